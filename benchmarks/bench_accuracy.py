"""Accuracy of NGSNN and SNN-LZC against scikit-learn baselines, same CV splits.

5-fold stratified CV (shuffled, seed 0) on iris, wine, breast cancer and
digits. Baselines: logistic regression, RBF SVC and an MLP, each after
standardisation. Writes ``benchmarks/results/accuracy.md``.
"""

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

OUT = Path(__file__).resolve().parent / "results" / "accuracy.md"
DATASETS = ["iris", "wine", "breast_cancer", "digits"]


def models():
    from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier

    return {
        "NGSNN (skspike)": NGSNNClassifier(random_state=0),
        "SNN-LZC (skspike)": SNNLZCClassifier(random_state=0),
        "LogisticRegression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        "SVC (RBF)": make_pipeline(StandardScaler(), SVC()),
        "MLPClassifier": make_pipeline(StandardScaler(), MLPClassifier(max_iter=1000, random_state=0)),
    }


def main(quick=False):
    cv = StratifiedKFold(n_splits=3 if quick else 5, shuffle=True, random_state=0)
    names = DATASETS[:2] if quick else DATASETS
    rows = {}
    for ds in names:
        X, y = getattr(datasets, f"load_{ds}")(return_X_y=True)
        for model_name, model in models().items():
            t0 = time.perf_counter()
            res = cross_validate(model, X, y, cv=cv, n_jobs=1)
            elapsed = time.perf_counter() - t0
            acc = res["test_score"]
            rows.setdefault(model_name, {})[ds] = (acc.mean(), acc.std(), elapsed)
            print(f"{ds:14s} {model_name:22s} {acc.mean():.4f} +- {acc.std():.4f} ({elapsed:.1f} s)", flush=True)
    lines = [
        f"## Accuracy: {cv.get_n_splits()}-fold stratified CV (shuffle, seed 0), same splits for every model",
        "",
        "| model | " + " | ".join(names) + " | total CV time (s) |",
        "|---|" + "---|" * (len(names) + 1),
    ]
    for model_name, per_ds in rows.items():
        cells = [f"{per_ds[d][0] * 100:.1f} +- {per_ds[d][1] * 100:.1f}" for d in names]
        total = sum(per_ds[d][2] for d in names)
        lines.append(f"| {model_name} | " + " | ".join(cells) + f" | {total:.1f} |")
    table = "\n".join(lines) + "\n"
    print(table)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(table)
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
