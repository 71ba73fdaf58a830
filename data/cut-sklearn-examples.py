#!/usr/bin/env python3
"""Writes data/iris/raw/*.csv and data/diabetes/raw/*.csv from the files Debian's python3-sklearn ships.

    cd /tmp && apt-get download python3-sklearn && dpkg -x python3-sklearn_*.deb sk
    python3 data/cut-sklearn-examples.py /tmp/sk/usr/lib/python3/dist-packages/sklearn/datasets/data

Plain CSV with a header; the rows keep the source's order and are dealt round robin into three batches
(row i goes to batch i mod 3 + 1), so that each batch holds every class (iris is sorted by species).
Rerunning it gives byte-identical files. Only the Python standard library is used.
"""
import csv
import gzip
import os
import sys

BATCHES = 3


def write_batches(rows, header, folder, name):
    os.makedirs(folder, exist_ok=True)
    for b in range(BATCHES):
        path = os.path.join(folder, "%s-%d.csv" % (name, b + 1))
        with open(path, "w", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            out.writerows(rows[b::BATCHES])


def iris(source, root):
    with open(os.path.join(source, "iris.csv"), newline="") as f:
        lines = list(csv.reader(f))
    # First line: row count, attribute count, then the class names by index.
    classes = lines[0][2:]
    rows = [r[:4] + [classes[int(r[4])]] for r in lines[1:]]
    write_batches(rows, ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"],
                  os.path.join(root, "iris", "raw"), "iris")


def diabetes(source, root):
    with gzip.open(os.path.join(source, "diabetes_data_raw.csv.gz"), "rt") as f:
        features = [line.split() for line in f if line.strip()]
    with gzip.open(os.path.join(source, "diabetes_target.csv.gz"), "rt") as f:
        target = ["%g" % float(line) for line in f if line.strip()]
    assert len(features) == len(target) == 442, (len(features), len(target))
    rows = [r + [t] for r, t in zip(features, target)]
    write_batches(rows, ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"],
                  os.path.join(root, "diabetes", "raw"), "diabetes")


if __name__ == "__main__":
    source = sys.argv[1]
    root = os.path.dirname(os.path.abspath(__file__))
    iris(source, root)
    diabetes(source, root)
