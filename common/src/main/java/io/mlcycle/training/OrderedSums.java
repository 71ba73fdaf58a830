package io.mlcycle.training;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;

/**
 * Sums of doubles over an RDD in a fixed order: each partition folds its elements in their order, and the
 * driver adds the partitions' sums in partition order. Spark's {@code treeAggregate} merges partial sums in
 * the order tasks finish, so its last bits change from run to run; with this, the same partitions give the
 * same bits, which is what makes a training run reproducible bit for bit ({@code mlcycle reproduce}).
 * Costs what {@code treeAggregate} costs at the partition counts training uses (one array per partition).
 */
final class OrderedSums {
  private OrderedSums() {}

  static <T> double[] of(JavaRDD<T> rdd, int length, Function2<double[], T, double[]> add) {
    List<double[]> partials = rdd.mapPartitions((Iterator<T> elements) -> {
      double[] sums = new double[length];
      while (elements.hasNext()) {
        sums = add.call(sums, elements.next());
      }
      return List.of(sums).iterator();
    }).collect();
    double[] total = new double[length];
    for (double[] partial : partials) {
      MultiModelLogisticRegression.add(total, partial);
    }
    return total;
  }
}
