"""SNNLZCClassifier on spike trains generated outside skspike, against baselines.

Data: ``benchmarks/outside_spike_data.py`` (plain NumPy, independent of
``skspike.datasets``), four families x two parameterisations (GEN_A: the
issue's 20 channels x 200 steps of 1 ms; GEN_B: 12 channels x 300 steps of
0.5 ms, other rates and levels, jittered multiple-interaction sync). 200
samples per class, stratified 70/30 split. All estimators with default
parameters, measured in the same run:

- ``SNNLZCClassifier()``;
- ``NGSNNClassifier()``;
- per-channel spike counts -> StandardScaler -> LogisticRegression;
- ``LZCTransformer()`` (per-channel LZC) -> StandardScaler -> LogisticRegression.

Writes ``benchmarks/results/snnlzc_outside.md``. ``--quick``: GEN_A only, no NGSNN.
``--no-ngsnn``: both generators without NGSNNClassifier (whose fits take minutes
each on a heavily shared machine).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from outside_spike_data import FAMILIES, GEN_A, GEN_B, make_family  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "snnlzc_outside.md"


def models(with_ngsnn=True):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier
    from skspike.complexity import LZCTransformer

    out = {
        "SNNLZCClassifier": lambda: SNNLZCClassifier(random_state=0),
        "counts+LR": lambda: make_pipeline(
            FunctionTransformer(lambda X: np.asarray(X).sum(axis=1, dtype=np.float64)),
            StandardScaler(), LogisticRegression(max_iter=2000)),
        "LZC+LR": lambda: make_pipeline(LZCTransformer(), StandardScaler(),
                                        LogisticRegression(max_iter=2000)),
    }
    if with_ngsnn:
        out["NGSNNClassifier"] = lambda: NGSNNClassifier(random_state=0)
    return out


def run(gens, with_ngsnn=True, seed=0):
    from sklearn.model_selection import train_test_split

    rows = {}
    for gname, gen in gens.items():
        for family in FAMILIES:
            X, y = make_family(family, gen, n_per_class=200, seed=seed)
            Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)
            for name, make in models(with_ngsnn).items():
                t0 = time.perf_counter()
                acc = make().fit(Xtr, ytr).score(Xte, yte)
                dt = time.perf_counter() - t0
                rows[(gname, family, name)] = (acc, dt)
                print(f"{gname} {family:8s} {name:18s} acc={100 * acc:5.1f}% ({dt:.1f} s)", flush=True)
    return rows


def table(rows, gens, with_ngsnn=True):
    names = list(models(with_ngsnn))
    lines = ["## SNNLZCClassifier on outside spike trains (defaults, same run)", "",
             "Test accuracy in % (420 train / 180 test, 3 classes). Data: "
             "`benchmarks/outside_spike_data.py` (plain NumPy). Fit+score seconds in brackets.", ""]
    for gname in gens:
        lines += [f"### {gname}: {gens[gname]}", "", "| family | " + " | ".join(names)
                  + " | ours - best baseline |", "|---" * (len(names) + 2) + "|"]
        for family in FAMILIES:
            cells = []
            for n in names:
                acc, dt = rows[(gname, family, n)]
                cells.append(f"{100 * acc:.1f} ({dt:.1f} s)")
            best = max(rows[(gname, family, "counts+LR")][0], rows[(gname, family, "LZC+LR")][0])
            ours = rows[(gname, family, "SNNLZCClassifier")][0]
            lines.append(f"| {family} | " + " | ".join(cells) + f" | {100 * (ours - best):+.1f} |")
        lines.append("")
    return "\n".join(lines)


def main(quick=False, no_ngsnn=False):
    gens = {"GEN_A": GEN_A} if quick else {"GEN_A": GEN_A, "GEN_B": GEN_B}
    with_ngsnn = not (quick or no_ngsnn)
    t0 = time.perf_counter()
    rows = run(gens, with_ngsnn)
    text = table(rows, gens, with_ngsnn)
    load = os.getloadavg()[0]
    text += (f"\nRun time {time.perf_counter() - t0:.0f} s on a shared 2-core machine "
             f"(1-min load average {load:.1f} at the end).\n")
    print(text)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-ngsnn", action="store_true")
    args = parser.parse_args()
    main(quick=args.quick, no_ngsnn=args.no_ngsnn)
