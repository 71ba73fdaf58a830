"""Training baseline (c): the pandas + scikit-learn way, on the same rows and features as mlcycle.

Reads a flights CSV cut by bench/cut-batches.sh (--single-csv, optionally its first N rows), labels
`delay > 15`, and trains LogisticRegression on one-hot hour, day of week, month, origin and
destination plus standardised log(distance): GridSearchCV over three regularisation values (3 folds, roc_auc, n_jobs=2),
AUC on a 20% holdout, model saved with joblib. Prints one JSON line.

Run with the Debian interpreter, which has the packages: /usr/bin/python3 bench/baseline_sklearn.py ...
"""
import time

# Taken before the heavy imports so that "whole process" includes them, as a user would wait for them.
PROCESS_START = time.perf_counter()

import argparse
import json
import os
import resource
import warnings

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# Spark MLlib's regParam values used by BaselineNaiveMllib.java; see c_for() for the mapping.
REG_PARAMS = [0.00001, 0.0001, 0.001]
FOLDS = 3
SEED = 2001


def c_for(reg_param, fit_rows):
    """MLlib minimises mean(loss) + reg/2 |w|^2, scikit-learn C * sum(loss) + 1/2 |w|^2: C = 1/(reg n)."""
    return 1.0 / (reg_param * fit_rows)


def load(path, rows):
    flights = pd.read_csv(path, nrows=rows, usecols=["date", "delay", "distance", "origin", "destination"])
    flights["date"] = pd.to_datetime(flights["date"], format="%Y-%m-%d %H:%M:%S")
    features = pd.DataFrame({
        "hour": flights["date"].dt.hour,
        "dow": flights["date"].dt.dayofweek,
        "month": flights["date"].dt.month,
        "log_distance": np.log(flights["distance"]),
        "origin": flights["origin"],
        "destination": flights["destination"],
    })
    return features, (flights["delay"] > 15).astype(int)


def pipeline():
    columns = ColumnTransformer([
        ("categories", OneHotEncoder(handle_unknown="ignore"), ["hour", "dow", "month", "origin", "destination"]),
        ("distance", StandardScaler(), ["log_distance"]),
    ])
    return Pipeline([("features", columns), ("model", LogisticRegression(max_iter=100))])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True, help="flights CSV with the cutter's header")
    parser.add_argument("--rows", type=int, help="read only the first N rows (default: all)")
    parser.add_argument("--model-out", required=True, help="where to save the fitted model (joblib)")
    args = parser.parse_args()
    # Both baselines stop at 100 iterations, MLlib's default, converged or not; the warning is expected.
    # The variable carries the filter into GridSearchCV's worker processes.
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    os.environ["PYTHONWARNINGS"] = "ignore:lbfgs failed to converge"

    load_start = time.perf_counter()
    features, label = load(args.csv, args.rows)
    load_s = time.perf_counter() - load_start
    train_x, test_x, train_y, test_y = train_test_split(
        features, label, test_size=0.2, random_state=SEED, stratify=label)

    training_start = time.perf_counter()
    fold_rows = len(train_x) * (FOLDS - 1) // FOLDS
    search = GridSearchCV(pipeline(), {"model__C": [c_for(r, fold_rows) for r in REG_PARAMS]},
                          cv=FOLDS, scoring="roc_auc", n_jobs=2, refit=True)
    search.fit(train_x, train_y)
    auc = roc_auc_score(test_y, search.predict_proba(test_x)[:, 1])
    joblib.dump(search.best_estimator_, args.model_out)
    training_s = time.perf_counter() - training_start

    best_c = search.best_params_["model__C"]
    best_reg = REG_PARAMS[[c_for(r, fold_rows) for r in REG_PARAMS].index(best_c)]
    # ru_maxrss is in KiB on Linux. It covers this process only: GridSearchCV's two worker processes
    # are still alive here, so RUSAGE_CHILDREN cannot see them.
    peak_rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(json.dumps({
        "implementation": "pandas+sklearn",
        "rows": len(features),
        "whole_process_s": round(time.perf_counter() - PROCESS_START, 2),
        "load_s": round(load_s, 2),
        "training_s": round(training_s, 2),
        "peak_rss_gb": round(peak_rss_gb, 3),
        "holdout_auc": round(auc, 4),
        "best_params": {"regParam": best_reg, "C": best_c},
    }))


if __name__ == "__main__":
    main()
