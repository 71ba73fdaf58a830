package io.mlcycle.training;

import io.mlcycle.io.ColumnNames;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Training rows packed once into one compressed-sparse-row block per partition and cached: every later pass
 * of the optimiser walks primitive arrays instead of Rows and Vectors.
 */
public final class TrainingBlocks implements AutoCloseable {
  private final JavaRDD<Block> blocks;
  private final int dimension;
  private final int folds;

  private TrainingBlocks(JavaRDD<Block> blocks, int dimension, int folds) {
    this.blocks = blocks;
    this.dimension = dimension;
    this.folds = folds;
  }

  /**
   * Where each input lands in a row's vector, as MLlib's {@code VectorAssembler} and {@code OneHotEncoderModel}
   * put it: the numeric columns first, one slot each, then each category index one-hot over its encoded size.
   * An index outside {@code 0 .. categorySizes[i] - 1} is the invalid category, {@code categorySizes[i]}, and an
   * index at or past {@code encodedSizes[i]} (a dropped last or invalid category) sets no slot.
   */
  public record Layout(List<String> numeric, List<String> categories, int[] categorySizes, int[] encodedSizes)
      implements Serializable {
    /**
     * The layout of numeric columns and of category indices one-hot encoded by {@code encoder} (none without
     * categories): its encoded sizes add a slot for invalid values when it keeps them, less the dropped last one.
     */
    public static Layout of(List<String> numeric, List<String> categories, Optional<OneHotEncoderModel> encoder) {
      int[] categorySizes = encoder.map(OneHotEncoderModel::categorySizes).orElse(new int[0]);
      int extra = encoder.map(e -> (e.getHandleInvalid().equals("keep") ? 1 : 0) - (e.getDropLast() ? 1 : 0)).orElse(0);
      return new Layout(numeric, categories, categorySizes, Arrays.stream(categorySizes).map(s -> s + extra).toArray());
    }

    public int dimension() {
      int dimension = numeric.size();
      for (int size : encodedSizes) {
        dimension += size;
      }
      return dimension;
    }
  }

  /**
   * Packs the rows of {@code data}: the layout's numeric columns and category indices (doubles), a 0/1 label, a
   * weight and a fold number (0..k-1), straight into blocks, without building a vector a row. Costs one Spark
   * job, the pass that fills the cache and finds the folds.
   */
  public static TrainingBlocks pack(Dataset<Row> data, Layout layout, String label, String weight, String fold) {
    List<String> names = new ArrayList<>(layout.numeric());
    names.addAll(layout.categories());
    names.addAll(List.of(label, weight, fold));
    Dataset<Row> columns = data.select(names.stream().map(ColumnNames::column).toArray(Column[]::new));
    JavaRDD<Block> blocks = columns.javaRDD().mapPartitions(rows -> block(rows, layout))
        .persist(StorageLevel.MEMORY_AND_DISK());
    int folds = blocks.map(Block::maxFold).fold(-1, Math::max) + 1;
    return new TrainingBlocks(blocks, layout.dimension(), folds);
  }

  private static Iterator<Block> block(Iterator<Row> rows, Layout layout) {
    Block.Builder builder = new Block.Builder(layout);
    rows.forEachRemaining(builder::add);
    return List.of(builder.build()).iterator();
  }

  JavaRDD<Block> rdd() {
    return blocks;
  }

  public int dimension() {
    return dimension;
  }

  /** Number of folds: the largest fold number plus one. */
  public int folds() {
    return folds;
  }

  @Override
  public void close() {
    blocks.unpersist(false);
  }

  /** One partition's rows as flat arrays. */
  static final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int size;
    final double[] label;
    final double[] weight;
    final int[] fold;
    /** Row i's non-zeros are index[start[i] .. start[i+1]) with the matching values. */
    final int[] start;
    final int[] index;
    final double[] value;

    private Block(int size, double[] label, double[] weight, int[] fold, int[] start, int[] index, double[] value) {
      this.size = size;
      this.label = label;
      this.weight = weight;
      this.fold = fold;
      this.start = start;
      this.index = index;
      this.value = value;
    }

    int maxFold() {
      int max = -1;
      for (int f : fold) {
        max = Math.max(max, f);
      }
      return max;
    }

    static final class Builder {
      private final Layout layout;
      private final DoubleList label = new DoubleList();
      private final DoubleList weight = new DoubleList();
      private final IntList fold = new IntList();
      private final IntList start = new IntList();
      private final IntList index = new IntList();
      private final DoubleList value = new DoubleList();

      Builder(Layout layout) {
        this.layout = layout;
        start.add(0);
      }

      void add(Row row) {
        int numeric = layout.numeric().size();
        for (int i = 0; i < numeric; i++) {
          put(i, row.isNullAt(i) ? 0 : ((Number) row.get(i)).doubleValue());
        }
        int offset = numeric;
        int[] categories = layout.categorySizes();
        int[] sizes = layout.encodedSizes();
        for (int c = 0; c < categories.length; c++) {
          double category = ((Number) row.get(numeric + c)).doubleValue();
          int slot = category >= 0 && category < categories[c] ? (int) category : categories[c];
          if (slot < sizes[c]) {
            put(offset + slot, 1.0);
          }
          offset += sizes[c];
        }
        int at = numeric + categories.length;
        start.add(index.size());
        label.add(((Number) row.get(at)).doubleValue());
        weight.add(((Number) row.get(at + 1)).doubleValue());
        fold.add(((Number) row.get(at + 2)).intValue());
      }

      private void put(int i, double v) {
        if (v != 0) {
          index.add(i);
          value.add(v);
        }
      }

      Block build() {
        return new Block(label.size(), label.toArray(), weight.toArray(), fold.toArray(), start.toArray(),
            index.toArray(), value.toArray());
      }
    }
  }

  /** A growable double array (boxing a few million values would dominate the packing time). */
  private static final class DoubleList {
    private double[] data = new double[1024];
    private int size;

    void add(double v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    int size() {
      return size;
    }

    double[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }

  private static final class IntList {
    private int[] data = new int[1024];
    private int size;

    void add(int v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
