package io.mlcycle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.testing.TestSpark;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionFactoryTest {
  @Test
  void localDefaultsSuitASmallMachine() {
    SparkConf conf = SparkSessionFactory.sparkConf(TestSpark.settings("mlcycle.spark.shuffle-partitions=0"));
    assertEquals("io.delta.sql.DeltaSparkSessionExtension", conf.get("spark.sql.extensions"));
    assertEquals("2", conf.get("spark.sql.shuffle.partitions"));
    assertEquals("false", conf.get("spark.ui.enabled"));
    assertEquals("true", conf.get("spark.sql.adaptive.enabled"));
  }

  @Test
  void aMasterGivenBySparkSubmitWins() {
    System.setProperty("spark.master", "local[3]");
    try {
      SparkConf conf = SparkSessionFactory.sparkConf(TestSpark.settings("mlcycle.spark.shuffle-partitions=0"));
      assertEquals("local[3]", conf.get("spark.master"));
      assertEquals("3", conf.get("spark.sql.shuffle.partitions"));
    } finally {
      System.clearProperty("spark.master");
    }
  }

  @Test
  void s3SettingsBecomeHadoopOptionsWithoutCredentials() {
    SparkConf conf = SparkSessionFactory.sparkConf(TestSpark.settings(
        "mlcycle.storage.s3.endpoint=http://127.0.0.1:9000", "mlcycle.storage.s3.path-style-access=true"));
    assertEquals("http://127.0.0.1:9000", conf.get("spark.hadoop.fs.s3a.endpoint"));
    assertEquals("true", conf.get("spark.hadoop.fs.s3a.path.style.access"));
    assertEquals(false, conf.contains("spark.hadoop.fs.s3a.secret.key"));
  }

  @Test
  void partitionsFollowTheLocalMaster() {
    assertEquals(4, SparkSessionFactory.defaultPartitions("local[4]"));
    assertEquals(2, SparkSessionFactory.defaultPartitions("local[1,4]"));
    assertEquals(2, SparkSessionFactory.defaultPartitions("local-cluster[2,1,1024]"));
    assertEquals(0, SparkSessionFactory.defaultPartitions("spark://host:7077"));
  }
}
