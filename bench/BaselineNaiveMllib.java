import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.to_timestamp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Training baseline (b): the naive MLlib way, the yardstick mlcycle's training path is measured
 * against. It does what bench/baseline_sklearn.py does, on the same CSV, the way the MLlib guide
 * shows it: a CrossValidator around the whole Pipeline (so every fold and every grid point refits
 * the StringIndexers and OneHotEncoder and re-reads the CSV), Spark's default settings, no caching.
 * Prints one JSON line.
 */
public final class BaselineNaiveMllib {

    // The same values as REG_PARAMS in baseline_sklearn.py.
    static final double[] REG_PARAMS = {0.00001, 0.0001, 0.001};
    static final int FOLDS = 3;
    static final long SEED = 2001;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BaselineNaiveMllib.java CSV MODEL_DIR");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder()
                .appName("baseline-naive-mllib")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Dataset<Row>[] split = features(spark, args[0]).randomSplit(new double[] {0.8, 0.2}, SEED);
            long trainingStart = System.nanoTime();
            CrossValidatorModel cv = crossValidator().fit(split[0]);
            double auc = evaluator().evaluate(cv.bestModel().transform(split[1]));
            ((PipelineModel) cv.bestModel()).write().overwrite().save(args[1]);
            double trainingSeconds = (System.nanoTime() - trainingStart) / 1e9;
            System.out.println(json(spark, cv, auc, trainingSeconds));
        } finally {
            spark.stop();
        }
    }

    static Dataset<Row> features(SparkSession spark, String csv) {
        StructType schema = new StructType()
                .add("flight_id", DataTypes.StringType)
                .add("date", DataTypes.StringType)
                .add("delay", DataTypes.LongType)
                .add("distance", DataTypes.LongType)
                .add("origin", DataTypes.StringType)
                .add("destination", DataTypes.StringType);
        Dataset<Row> flights = spark.read().option("header", "true").schema(schema).csv(csv)
                .withColumn("ts", to_timestamp(col("date"), "yyyy-MM-dd HH:mm:ss"));
        return flights.select(
                hour(col("ts")).as("hour"),
                dayofweek(col("ts")).as("dow"),
                month(col("ts")).as("month"),
                log(col("distance")).as("log_distance"),
                col("origin"),
                col("destination"),
                col("delay").gt(15).cast(DataTypes.DoubleType).as("label"));
    }

    static CrossValidator crossValidator() {
        StringIndexer indexer = new StringIndexer()
                .setInputCols(new String[] {"origin", "destination"})
                .setOutputCols(new String[] {"origin_index", "destination_index"})
                .setHandleInvalid("keep");
        OneHotEncoder encoder = new OneHotEncoder()
                .setInputCols(new String[] {"origin_index", "destination_index", "hour", "dow", "month"})
                .setOutputCols(new String[] {"origin_vec", "destination_vec", "hour_vec", "dow_vec", "month_vec"})
                .setHandleInvalid("keep");
        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(new String[] {"origin_vec", "destination_vec", "hour_vec", "dow_vec", "month_vec",
                        "log_distance"})
                .setOutputCol("features");
        LogisticRegression lr = new LogisticRegression();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {indexer, encoder, assembler, lr});
        ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), REG_PARAMS).build();
        return new CrossValidator()
                .setEstimator(pipeline)
                .setEstimatorParamMaps(grid)
                .setEvaluator(evaluator())
                .setNumFolds(FOLDS)
                .setSeed(SEED);
    }

    static BinaryClassificationEvaluator evaluator() {
        return new BinaryClassificationEvaluator().setMetricName("areaUnderROC");
    }

    static String json(SparkSession spark, CrossValidatorModel cv, double auc, double trainingSeconds)
            throws IOException {
        double[] metrics = cv.avgMetrics();
        int best = 0;
        for (int i = 1; i < metrics.length; i++) {
            best = metrics[i] > metrics[best] ? i : best;
        }
        // From the JVM's start, not main's: "whole process" includes starting the JVM (and compiling
        // this file when it runs under the source launcher; bench/run-baselines.sh compiles it first).
        double wholeSeconds = (System.currentTimeMillis()
                - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
        return String.format(Locale.ROOT,
                "{\"implementation\": \"naive MLlib\", \"spark\": \"%s\", \"whole_process_s\": %.2f, "
                        + "\"training_s\": %.2f, \"peak_rss_gb\": %.3f, \"holdout_auc\": %.4f, "
                        + "\"best_params\": {\"regParam\": %s}}",
                spark.version(), wholeSeconds, trainingSeconds, peakRssGb(), auc, REG_PARAMS[best]);
    }

    /** VmHWM, the kernel's peak resident set of this process: what ru_maxrss reports for Python. */
    static double peakRssGb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
            }
        }
        throw new IllegalStateException("Cannot measure peak RSS: no VmHWM in /proc/self/status");
    }
}
