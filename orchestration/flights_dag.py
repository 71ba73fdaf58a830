"""Airflow DAG: the mlcycle chain for one monthly batch of flights, as spark-submit jobs.

Each task runs one mlcycle job with spark-submit and reads its exit code, mlcycle's contract with
orchestrators: 0 success (also "nothing to do"), 1 unexpected failure (retry), 2 usage or configuration
error (do not retry), 3 data-quality gate failed (nothing published: stop and alert), 4 model gate said
no-go (the champion stays). Every job gets a run id derived from Airflow's, so a retried task reuses it
and mlcycle's exactly-once writes make the retry change nothing.

Settings come from Airflow Variables: MLCYCLE_JAR (the shaded jar, jobs/target/mlcycle-spark-submit.jar),
MLCYCLE_CONFIG (a HOCON file such as conf/cluster.conf), MLCYCLE_RAW (where monthly files land, e.g.
s3a://landing/flights) and SPARK_MASTER. S3 credentials come from the workers' environment, never from here.
"""
import subprocess

import pendulum
from airflow.decorators import dag, task
from airflow.exceptions import AirflowFailException, AirflowSkipException
from airflow.models import Variable

OK, FAILURE, USAGE, DATA_QUALITY, MODEL_GATE = 0, 1, 2, 3, 4


def mlcycle(job, *args, run_id):
    """Runs one job with spark-submit; returns its exit code. The last stdout line is its JSON summary."""
    command = [
        "spark-submit",
        "--master", Variable.get("SPARK_MASTER"),
        "--class", "io.mlcycle.jobs.Runner",
        # Spark's generated code for wide aggregations exceeds HotSpot's 8000-byte limit for compiling a method.
        "--conf", "spark.driver.extraJavaOptions=-XX:-DontCompileHugeMethods",
        "--conf", "spark.executor.extraJavaOptions=-XX:-DontCompileHugeMethods",
        Variable.get("MLCYCLE_JAR"),
        job,
        "--config", Variable.get("MLCYCLE_CONFIG"),
        "--pipeline", "flights",
        "--run-id", run_id,
        *args,
    ]
    completed = subprocess.run(command, capture_output=True, text=True)
    print(completed.stdout)
    print(completed.stderr)
    return completed.returncode


def settle(code, job):
    """Turns an exit code into the task's state: 1 is retried by Airflow, 2 is not, 3 and 4 stop the chain."""
    if code == OK:
        return
    if code == USAGE:
        raise AirflowFailException(f"{job}: usage or configuration error (exit 2); fix the config, do not retry")
    if code == FAILURE:
        raise RuntimeError(f"{job}: unexpected failure (exit 1); Airflow retries")
    raise AirflowSkipException(f"{job}: gate closed (exit {code}); downstream steps are skipped")


@dag(
    schedule="@monthly",
    start_date=pendulum.datetime(2001, 4, 1, tz="UTC"),
    catchup=True,
    max_active_runs=1,
    default_args={"retries": 2},
    tags=["mlcycle"],
)
def flights_lifecycle():
    @task
    def ingest(ds=None, run_id=None):
        month = ds[:7]
        settle(mlcycle("ingest", "--input", f"{Variable.get('MLCYCLE_RAW')}/{month}.csv", "--batch-id", month,
                       run_id=f"{run_id}-ingest"), "ingest")
        return month

    @task.branch
    def validate(month, run_id=None):
        code = mlcycle("validate", "--batch-id", month, run_id=f"{run_id}-validate")
        if code == DATA_QUALITY:
            return "quality_alert"
        settle(code, "validate")
        return "score"

    @task
    def quality_alert(ds=None):
        print(f"batch {ds[:7]}: an error-severity quality rule failed; see _mlcycle/quality. Nothing was published.")

    @task
    def score(ds=None, run_id=None):
        settle(mlcycle("score", "--batch", ds[:7], run_id=f"{run_id}-score"), "score")

    @task
    def features(run_id=None):
        settle(mlcycle("features", run_id=f"{run_id}-features"), "features")

    @task
    def monitor(ds=None, run_id=None):
        settle(mlcycle("monitor", "--batch", ds[:7], run_id=f"{run_id}-monitor"), "monitor")

    @task.branch
    def retrain(run_id=None):
        code = mlcycle("retrain", run_id=f"{run_id}-retrain")
        if code == MODEL_GATE:
            return "keep_champion"
        settle(code, "retrain")
        return "report"

    @task
    def keep_champion():
        print("the retrained model was a no-go (exit 4): the champion stays; see _mlcycle/gates")

    @task(trigger_rule="none_failed_min_one_success")
    def report(run_id=None):
        settle(mlcycle("report", run_id=f"{run_id}-report"), "report")

    month = ingest()
    checked = validate(month)
    scored = score()
    checked >> [quality_alert(), scored]
    decided = retrain()
    scored >> features() >> monitor() >> decided
    decided >> [keep_champion(), report()]


flights_lifecycle()
