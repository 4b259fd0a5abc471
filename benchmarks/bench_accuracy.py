"""Accuracy of NGSNN and SNN-LZC against scikit-learn baselines, same CV splits.

5-fold stratified CV (shuffled, seed 0) on iris, wine, breast cancer and
digits. Baselines: logistic regression, RBF SVC and an MLP, each after
standardisation. Writes ``benchmarks/results/accuracy.md``.

``--models NAME[,NAME...]`` re-measures only the named models (a name
matches a row when it is a case-insensitive prefix of the row's model name,
e.g. ``--models snn-lzc,logistic,svc``); the other rows of an existing table
with the same datasets are kept as they were (their times are from the run
that measured them).
"""

import argparse
import time
from pathlib import Path

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


def select(all_models, wanted):
    """The models whose names start with one of ``wanted`` (case-insensitive); all if ``wanted`` is None."""
    if wanted is None:
        return all_models
    keys = [w.strip().lower() for w in wanted.split(",") if w.strip()]
    chosen = {name: m for name, m in all_models.items() if any(name.lower().startswith(k) for k in keys)}
    unknown = [k for k in keys if not any(name.lower().startswith(k) for name in all_models)]
    if unknown or not chosen:
        raise SystemExit(f"unknown model(s) {unknown or keys}; choose from {list(all_models)}")
    return chosen


def _old_rows(header):
    """Rows ``{model: line}`` of the existing table if its header line equals ``header``."""
    if not OUT.exists():
        return {}
    lines = OUT.read_text().splitlines()
    if header not in lines:
        return {}
    rows = {}
    for line in lines[lines.index(header) + 2:]:
        if not line.startswith("| "):
            break
        rows[line.split("|")[1].strip()] = line
    return rows


def main(quick=False, wanted=None):
    cv = StratifiedKFold(n_splits=3 if quick else 5, shuffle=True, random_state=0)
    names = DATASETS[:2] if quick else DATASETS
    order = list(models())
    chosen = select(models(), wanted)
    rows = {}
    for ds in names:
        X, y = getattr(datasets, f"load_{ds}")(return_X_y=True)
        for model_name, model in chosen.items():
            t0 = time.perf_counter()
            res = cross_validate(model, X, y, cv=cv, n_jobs=1)
            elapsed = time.perf_counter() - t0
            acc = res["test_score"]
            rows.setdefault(model_name, {})[ds] = (acc.mean(), acc.std(), elapsed)
            print(f"{ds:14s} {model_name:22s} {acc.mean():.4f} +- {acc.std():.4f} ({elapsed:.1f} s)", flush=True)
    header = "| model | " + " | ".join(names) + " | total CV time (s) |"
    lines = [
        f"## Accuracy: {cv.get_n_splits()}-fold stratified CV (shuffle, seed 0), same splits for every model",
        "",
        header,
        "|---|" + "---|" * (len(names) + 1),
    ]
    kept = _old_rows(header) if wanted is not None else {}
    for model_name in order:
        if model_name in rows:
            per_ds = rows[model_name]
            cells = [f"{per_ds[d][0] * 100:.1f} +- {per_ds[d][1] * 100:.1f}" for d in names]
            total = sum(per_ds[d][2] for d in names)
            lines.append(f"| {model_name} | " + " | ".join(cells) + f" | {total:.1f} |")
        elif model_name in kept:
            lines.append(kept[model_name])
    table = "\n".join(lines) + "\n"
    if kept:
        import os

        table += (f"\nRe-measured in the last run (`--models {wanted}`): {', '.join(rows)} "
                  f"(1-min load average {os.getloadavg()[0]:.1f} at the end); the other rows and their "
                  "times are from the earlier run that wrote them.\n")
    print(table)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(table)
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--models", default=None,
                        help="comma-separated model name prefixes to re-measure (others kept from the table)")
    args = parser.parse_args()
    main(quick=args.quick, wanted=args.models)
