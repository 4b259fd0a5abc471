"""Default pipelines: what a user gets with ``random_state`` as the only parameter.

One stratified 75/25 split (seed 0) per data set. Rows: every static encoder
alone in front of ``NGSNNClassifier``, the full ``PoissonEncoder ->
STDPFeatureExtractor -> NGSNNClassifier`` pipeline, ``NGSNNClassifier`` alone
(direct current input) and the classical baseline a user would try first
(standardised logistic regression), all measured in the same run. Also the
mean number of spikes per sample the STDP layer emits (what the front end
buys: a sparse code). Writes ``benchmarks/results/defaults.md``.
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

OUT = Path(__file__).resolve().parent / "results" / "defaults.md"
DATASETS = ["digits", "iris", "wine", "breast_cancer"]
STATIC_ENCODERS = ["PoissonEncoder", "RateEncoder", "LatencyEncoder", "PhaseEncoder", "PopulationEncoder"]


def _seeded(cls):
    import inspect

    return cls(random_state=0) if "random_state" in inspect.signature(cls).parameters else cls()


def pipelines(dataset):
    from skspike import encoding
    from skspike.classifiers import NGSNNClassifier
    from skspike.feature_extraction import STDPFeatureExtractor

    rows = {
        "PoissonEncoder -> STDPFeatureExtractor -> NGSNNClassifier": make_pipeline(
            encoding.PoissonEncoder(random_state=0), STDPFeatureExtractor(random_state=0),
            NGSNNClassifier(random_state=0)),
        "NGSNNClassifier alone (direct current)": NGSNNClassifier(random_state=0),
        "LogisticRegression (standardised)": make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
    }
    if dataset == "digits":
        for name in STATIC_ENCODERS:
            rows[f"{name} -> NGSNNClassifier"] = make_pipeline(
                _seeded(getattr(encoding, name)), NGSNNClassifier(random_state=0))
    return rows


def main(quick=False):
    names = ["digits", "iris"] if quick else DATASETS
    lines = [
        "## Default pipelines (only random_state set), stratified 75/25 split, seed 0",
        "",
        "| data set | pipeline | test accuracy (%) | fit + predict (s) | STDP spikes / sample |",
        "|---|---|---|---|---|",
    ]
    for ds in names:
        X, y = getattr(datasets, f"load_{ds}")(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
        for label, model in pipelines(ds).items():
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                model.fit(X_tr, y_tr)
                acc = float(np.mean(model.predict(X_te) == y_te))
            elapsed = time.perf_counter() - t0
            spikes = ""
            steps = getattr(model, "named_steps", {})
            if "stdpfeatureextractor" in steps:
                feats = make_pipeline(*[s for _, s in model.steps[:-1]]).transform(X_te)
                spikes = f"{feats.sum(axis=1).mean():.1f} (of {feats.shape[1]} neurons)"
            print(f"{ds:14s} {label:58s} {acc * 100:5.1f} % ({elapsed:.1f} s) {spikes}", flush=True)
            lines.append(f"| {ds} | {label} | {acc * 100:.1f} | {elapsed:.1f} | {spikes} |")
    table = "\n".join(lines) + "\n"
    print(table)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(table)
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
