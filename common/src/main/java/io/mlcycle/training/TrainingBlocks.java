package io.mlcycle.training;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Assembled training rows packed once into one compressed-sparse-row block per partition and cached:
 * every later pass of the optimiser walks primitive arrays instead of Rows and Vectors.
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
   * Packs the rows of {@code data}: a vector column, a 0/1 label, a weight and a fold number (0..k-1).
   * Costs two Spark jobs: one row for the dimension, and the pass that fills the cache and finds the folds.
   */
  public static TrainingBlocks pack(Dataset<Row> data, String features, String label, String weight, String fold) {
    Dataset<Row> columns = data.select(features, label, weight, fold);
    int dimension = ((Vector) columns.first().get(0)).size();
    JavaRDD<Block> blocks = columns.javaRDD().mapPartitions(TrainingBlocks::block)
        .persist(StorageLevel.MEMORY_AND_DISK());
    int folds = blocks.map(Block::maxFold).fold(-1, Math::max) + 1;
    return new TrainingBlocks(blocks, dimension, folds);
  }

  private static Iterator<Block> block(Iterator<Row> rows) {
    Block.Builder builder = new Block.Builder();
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
      private final DoubleList label = new DoubleList();
      private final DoubleList weight = new DoubleList();
      private final IntList fold = new IntList();
      private final IntList start = new IntList();
      private final IntList index = new IntList();
      private final DoubleList value = new DoubleList();

      Builder() {
        start.add(0);
      }

      void add(Row row) {
        Vector vector = (Vector) row.get(0);
        if (vector instanceof SparseVector sparse) {
          int[] indices = sparse.indices();
          double[] values = sparse.values();
          for (int i = 0; i < indices.length; i++) {
            put(indices[i], values[i]);
          }
        } else {
          double[] values = ((DenseVector) vector).values();
          for (int i = 0; i < values.length; i++) {
            put(i, values[i]);
          }
        }
        start.add(index.size());
        label.add(((Number) row.get(1)).doubleValue());
        weight.add(((Number) row.get(2)).doubleValue());
        fold.add(((Number) row.get(3)).intValue());
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
