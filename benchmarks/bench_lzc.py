"""Lempel-Ziv complexity throughput (skspike vs antropy) and SNN-LZC speed.

Part 1, ``lzc_table``: ``skspike.complexity.lempel_ziv_complexity`` against
``antropy.lziv_complexity`` (the tool a Python user would otherwise pick),
both with ``normalize=True``, on

- fair-coin sequences (p = 0.5), the worst case of the Kaspar-Schuster scan
  that antropy runs, and
- spike-train-like sequences (Bernoulli p = 0.05, i.e. 50 Hz at 1 ms bins),

of 1,000 steps. "Single" calls the function once per sequence (1,000
sequences, one Python call each); "batched" hands skspike one
(10,000, 1,000) array, or the same trains as spike arrays
(1,000 samples, 1,000 steps, 10 channels), while antropy, which has no batch
API, is called in a loop. Each side gets its preferred input: uint8 arrays for
skspike, int64 arrays for antropy (its uint8 path goes through strings).
The first call (numba compilation, or skspike's on-disk cache load) is timed
separately; warm times are the best of ``repeats`` runs (the machine is
shared; the minimum is the least noisy estimate). Every skspike value is
checked equal to antropy's.

Part 2, ``classifier_table``: the SNNLZCClassifier benchmark (inference
microseconds per sample, surrogate-gradient epoch time against snnTorch on
the same network; see ``snnlzc_section``).

Writes ``benchmarks/results/lzc.md``. ``--quick``: 1,000 sequences batched,
200 single. ``--threads N``: run numba and torch on ``N`` threads (default:
numba's and torch's defaults, the machine's cores). On a machine shared with
other jobs, torch's thread team can wait for cores at every small operation
(the snnTorch epoch then takes minutes); ``--threads 1`` compares both
implementations single-threaded, which such load distorts least.
``--classifier-only``: only the SNNLZCClassifier section (the LZC table of the
existing file is kept).
"""

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "results" / "lzc.md"

N_STEPS = 1000
N_BATCH, N_BATCH_QUICK = 10_000, 1_000
N_SINGLE, N_SINGLE_QUICK = 1_000, 200
N_CHANNELS = 10
SOURCES = {"fair coin p=0.5": 0.5, "spike-like p=0.05": 0.05}


def make_sequences(n_seq, p, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n_seq, N_STEPS)) < p).astype(np.uint8)


def _best_time(fn, repeats):
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _antropy():
    try:
        import antropy
    except ImportError:
        return None
    return antropy


def _fmt_ratio(ours, theirs):
    return f"{theirs / ours:.1f} x" if np.isfinite(theirs) else "skipped (not installed)"


_COMPILE_SNIPPET = """
import time, numpy as np
from skspike.complexity import lempel_ziv_complexity as lzc
x = (np.random.default_rng(0).random((80, 50)) < 0.5).astype(np.uint8)
out = []
for arg in (x[0], x, x.reshape(8, 10, 50).transpose(0, 2, 1)):
    t0 = time.perf_counter(); lzc(arg); out.append(time.perf_counter() - t0)
print(*out)
"""


def measure_compile():
    """First-call times with numba's on-disk cache off (true compilation), in a subprocess."""
    import subprocess
    import sys

    env = dict(os.environ, SKSPIKE_NUMBA_CACHE="0")
    proc = subprocess.run([sys.executable, "-c", _COMPILE_SNIPPET], env=env,
                          capture_output=True, text=True, check=True)
    return [float(v) for v in proc.stdout.split()]


def measure_lzc(quick=False, repeats=3):
    """Time skspike and antropy; return a dict of results (seconds)."""
    from skspike.complexity import lempel_ziv_complexity

    antropy = _antropy()
    n_batch = N_BATCH_QUICK if quick else N_BATCH
    n_single = N_SINGLE_QUICK if quick else N_SINGLE
    res = {"n_batch": n_batch, "n_single": n_single, "sources": {},
           "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")}

    # first calls: compilation (or cache load) of each kernel path skspike uses
    x = make_sequences(n_batch, 0.5)
    t0 = time.perf_counter()
    lempel_ziv_complexity(x[0])
    res["first_single"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lempel_ziv_complexity(x[:8])
    res["first_rows"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lempel_ziv_complexity(x[:80].reshape(8, N_CHANNELS, N_STEPS).transpose(0, 2, 1))
    res["first_spikes"] = time.perf_counter() - t0
    if antropy is not None:
        t0 = time.perf_counter()
        antropy.lziv_complexity(x[0].astype(np.int64), normalize=True)
        res["first_antropy"] = time.perf_counter() - t0
    res["compile"] = measure_compile()

    for name, p in SOURCES.items():
        x = make_sequences(n_batch, p, seed=1)
        # (n_samples, n_steps, n_channels): 10 consecutive sequences form one sample
        spikes = np.ascontiguousarray(
            x.reshape(n_batch // N_CHANNELS, N_CHANNELS, N_STEPS).transpose(0, 2, 1)
        )
        x64 = x.astype(np.int64)
        r = {}
        r["single"], ours_single = _best_time(
            lambda: [lempel_ziv_complexity(s) for s in x[:n_single]], repeats
        )
        r["batch"], ours_batch = _best_time(lambda: lempel_ziv_complexity(x), repeats)
        r["spikes"], ours_spikes = _best_time(lambda: lempel_ziv_complexity(spikes), repeats)
        assert np.array_equal(ours_spikes.reshape(-1, N_CHANNELS), ours_batch.reshape(-1, N_CHANNELS))
        assert ours_single == ours_batch[:n_single].tolist()
        if antropy is not None:
            r["antropy_single"], theirs = _best_time(
                lambda: [antropy.lziv_complexity(s, normalize=True) for s in x64[:n_single]],
                repeats,
            )
            # antropy's batch is the same loop over all sequences: time it once
            r["antropy_batch"], theirs_all = _best_time(
                lambda: [antropy.lziv_complexity(s, normalize=True) for s in x64], 1
            )
            r["n_equal"] = int(np.sum(np.asarray(theirs_all) == ours_batch))
            r["max_abs_diff"] = float(np.max(np.abs(np.asarray(theirs_all) - ours_batch)))
        else:
            r["antropy_single"] = r["antropy_batch"] = np.inf
        r["mean_lzc"] = float(ours_batch.mean())
        res["sources"][name] = r
        print(f"{name}: {r}", flush=True)
    return res


def lzc_table(quick=False, repeats=3, results=None):
    """Markdown table of LZC throughput, skspike vs antropy (measured now)."""
    import numba

    res = results if results is not None else measure_lzc(quick=quick, repeats=repeats)
    antropy = _antropy()
    peer = f"antropy {antropy.__version__}" if antropy is not None else "antropy"
    n_b, n_s = res["n_batch"], res["n_single"]
    lines = [
        f"## Lempel-Ziv complexity: skspike vs {peer}, sequences of {N_STEPS} steps",
        "",
        f"Machine: {os.cpu_count()} cores shared with other users ({platform.machine()}); "
        f"numba threads = {numba.get_num_threads()}; 1-min load average "
        f"{res['load']:.1f} when the run started, so the batched calls' 2 threads "
        "rarely had both cores. Normalised LZC (`normalize=True`). "
        f"Single: {n_s} calls, one sequence each. Batched: {n_b:,} sequences in one call "
        f"(skspike: a ({n_b}, {N_STEPS}) array, or spike arrays "
        f"({n_b // N_CHANNELS}, {N_STEPS}, {N_CHANNELS}); antropy: a Python loop, it has no "
        "batch API). Warm time = best of "
        f"{repeats} runs (antropy batched: 1 run).",
        "",
        "| sequences | method | skspike (us/seq) | antropy (us/seq) | skspike speed-up |",
        "|---|---|---|---|---|",
    ]
    for name, r in res["sources"].items():
        ant_single = r["antropy_single"] / n_s * 1e6
        ant_batch = r["antropy_batch"] / n_b * 1e6
        lines.append(
            f"| {name} | single call | {r['single'] / n_s * 1e6:.2f} | {ant_single:.2f} | "
            f"{_fmt_ratio(r['single'], r['antropy_single'])} |"
        )
        lines.append(
            f"| {name} | batched (n_seq, n_steps) | {r['batch'] / n_b * 1e6:.2f} | "
            f"{ant_batch:.2f} | {_fmt_ratio(r['batch'], r['antropy_batch'])} |"
        )
        lines.append(
            f"| {name} | batched spike array (per channel) | {r['spikes'] / n_b * 1e6:.2f} | "
            f"{ant_batch:.2f} | {_fmt_ratio(r['spikes'], r['antropy_batch'])} |"
        )
    lines.append("")
    first = (
        f"First calls (compilation or on-disk cache load): skspike single "
        f"{res['first_single']:.2f} s, batched rows {res['first_rows']:.2f} s, spike arrays "
        f"{res['first_spikes']:.2f} s (with the cache off, i.e. compiling: "
        + ", ".join(f"{t:.1f} s" for t in res["compile"]) + ")"
    )
    if "first_antropy" in res:
        first += (f"; antropy {res['first_antropy'] * 1e3:.2f} ms (its kernel is compiled "
                  "at import, eagerly, from an explicit signature)")
    lines.append(first + ".")
    if antropy is not None:
        agree = "; ".join(
            f"{name}: {r['n_equal']:,}/{n_b:,} values equal (max abs difference "
            f"{r['max_abs_diff']:.1e}), mean LZC {r['mean_lzc']:.3f}"
            for name, r in res["sources"].items()
        )
        lines.append(f"Agreement with antropy: {agree}.")
    else:
        lines.append("antropy: skipped (not installed).")
    lines.append(
        "skspike finds each phrase's longest earlier match by bit-parallel matching for "
        "sequences of up to 1024 steps (the candidate start positions as a bitset, one AND "
        "per symbol) and with a suffix automaton (O(n) per sequence) for longer ones; both "
        "yield the same counts as the Kaspar-Schuster scan (O(n^2 / log n) worst case) that "
        "antropy runs; batched calls also run in parallel over sequences."
    )
    table = "\n".join(lines) + "\n"
    return table


# ---------------------------------------------------------------------------
# Hook for the SNNLZCClassifier benchmark (owned by the SNN-LZC engineer):
# return a markdown section (inference us/sample, surrogate-gradient epoch time
# vs snnTorch on the same network), or None to leave it out. main() appends it
# after the LZC table.
# ---------------------------------------------------------------------------
def classifier_table(quick=False):
    """Markdown section for SNNLZCClassifier timings (inference, training vs snnTorch)."""
    return snnlzc_section(quick=quick)


# --- SNNLZCClassifier rows (SNN-LZC engineer) --------------------------------
# Inference: a fitted classifier (default LIF layer, LZC readout) predicting
# Poisson spike trains; the whole predict() call (validation, simulate(), the
# LZC of every output train, the discriminant) divided by the number of samples.
# Training: one epoch of surrogate-gradient BPTT on the same network in
# skspike (numba) and in snnTorch (torch autograd, CPU): Linear(n_in, n_out)
# with bias -> Leaky (beta = exp(-dt/tau_m), threshold 1, zero reset, fast
# sigmoid surrogate of slope 25), loss 0.5 mean (count / T - target)^2 with
# targets 0.2 / 0.02 per step, Adam (lr 0.05), same minibatches of 32.
# skspike's epoch time is (fit(max_iter=E) - fit(max_iter=0)) / E, so the
# readout fit and initialisation are excluded; snnTorch's is a full epoch
# loop after one warm-up epoch. Both use the machine's threads (numba's and
# torch's thread counts are printed).
_THREADS = None  # --threads: numba and torch thread count
SNN_INFER = dict(n_train=400, n_test=2000, n_steps=100, n_channels=20)
SNN_TRAIN = dict(n_samples=1024, n_steps=100, n_channels=100, n_classes=10, n_per_class=4, batch_size=32)
SNN_TRAIN_QUICK = dict(n_samples=256, n_steps=100, n_channels=100, n_classes=10, n_per_class=4, batch_size=32)


def _snn_inference(quick=False, repeats=3):
    from skspike.classifiers import SNNLZCClassifier
    from skspike.datasets import make_spike_trains

    cfg = dict(SNN_INFER)
    if quick:
        cfg["n_test"] = 500
    X, y = make_spike_trains(n_samples=cfg["n_train"], n_steps=cfg["n_steps"],
                             n_channels=cfg["n_channels"], random_state=0)
    Xt, yt = make_spike_trains(n_samples=cfg["n_test"], n_steps=cfg["n_steps"],
                               n_channels=cfg["n_channels"], random_state=1)
    rows = []
    for decision in ("multiscale", "lzc", "rate"):
        clf = SNNLZCClassifier(decision=decision, max_iter=5 if quick else 15, random_state=0).fit(X, y)
        t0 = time.perf_counter()
        clf.predict(Xt[:10])
        first = time.perf_counter() - t0
        warm, pred = _best_time(lambda: clf.predict(Xt), repeats)
        one, _ = _best_time(lambda: clf.predict(Xt[:1]), repeats * 3)
        rows.append(dict(decision=decision, first=first, per_sample=warm / len(Xt), single=one,
                         accuracy=float(np.mean(pred == yt)), n_out=clf.coef_.shape[1]))
        print(f"inference {decision}: {rows[-1]}", flush=True)
    return cfg, rows


SNN_FIT = dict(n_samples=420, n_steps=200, n_channels=20, n_classes=3)


def _snn_fit_time():
    """Seconds of a default ``fit`` on the issue's size (420 samples of 200 steps x 20 channels)."""
    from skspike.classifiers import SNNLZCClassifier
    from skspike.datasets import make_spike_trains

    X, y = make_spike_trains(random_state=0, process="sync", rates=20.0,
                             correlation=[0.0, 0.3, 0.6], **SNN_FIT)
    SNNLZCClassifier(max_iter=1, random_state=0).fit(X[:40], y[:40])  # compile / cache load
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        SNNLZCClassifier(random_state=0).fit(X, y)
        times.append(time.perf_counter() - t0)
    return min(times)


def _snntorch_epoch_time(X, y, cfg, n_epochs):
    """Seconds per warm epoch of the same network in snnTorch, or None if absent."""
    try:
        import torch
        import snntorch as snn
        from snntorch import surrogate
    except ImportError:
        return None
    n_out = cfg["n_classes"] * cfg["n_per_class"]
    n_samples, n_steps = X.shape[0], X.shape[1]
    torch.manual_seed(0)
    fc = torch.nn.Linear(X.shape[2], n_out)
    lif = snn.Leaky(beta=float(np.exp(-1.0 / 20.0)), threshold=1.0,
                    spike_grad=surrogate.fast_sigmoid(slope=25), reset_mechanism="zero")
    if _THREADS is not None:
        torch.set_num_threads(_THREADS)
    opt = torch.optim.Adam(fc.parameters(), lr=0.05)
    data = torch.tensor(np.ascontiguousarray(X.transpose(1, 0, 2)), dtype=torch.float32)
    owner = torch.arange(n_out) // cfg["n_per_class"]
    target = torch.where(owner[None, :] == torch.as_tensor(y)[:, None], 0.2, 0.02)

    def epoch():
        perm = torch.randperm(n_samples)
        for start in range(0, n_samples, cfg["batch_size"]):
            idx = perm[start:start + cfg["batch_size"]]
            mem = lif.init_leaky()
            count = 0
            for t in range(n_steps):
                spk, mem = lif(fc(data[t, idx]), mem)
                count = count + spk
            loss = 0.5 * ((count / n_steps - target[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()

    t0 = time.perf_counter()
    epoch()
    first = time.perf_counter() - t0
    times = []
    for _ in range(n_epochs):
        t0 = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - t0)
    return dict(first=first, epoch=min(times), threads=torch.get_num_threads(),
                version=f"snnTorch {snn.__version__} / torch {torch.__version__}")


def _snn_training(quick=False):
    from skspike.classifiers import SNNLZCClassifier
    from skspike.datasets import make_spike_trains

    cfg = dict(SNN_TRAIN_QUICK if quick else SNN_TRAIN)
    X, y = make_spike_trains(n_samples=cfg["n_samples"], n_steps=cfg["n_steps"],
                             n_channels=cfg["n_channels"], n_classes=cfg["n_classes"], random_state=0)
    n_epochs = 2

    def fit(max_iter):
        t0 = time.perf_counter()
        # decision="rate": no readout fit, so fit(E) - fit(0) is the E epochs alone
        SNNLZCClassifier(max_iter=max_iter, n_per_class=cfg["n_per_class"], decision="rate",
                         batch_size=cfg["batch_size"], random_state=0).fit(X, y)
        return time.perf_counter() - t0

    first = fit(1)
    base = min(fit(0) for _ in range(2))
    full = min(fit(n_epochs) for _ in range(2))
    ours = dict(first=first, epoch=max(full - base, 1e-9) / n_epochs)
    print(f"skspike surrogate epoch: {ours}", flush=True)
    theirs = _snntorch_epoch_time(X, y, cfg, n_epochs)
    print(f"snnTorch surrogate epoch: {theirs}", flush=True)
    return cfg, ours, theirs


def snnlzc_section(quick=False):
    """Markdown: SNNLZCClassifier inference us/sample and surrogate epoch time vs snnTorch."""
    import numba

    cfg_i, inf_rows = _snn_inference(quick=quick)
    cfg_t, ours, theirs = _snn_training(quick=quick)
    fit_s = _snn_fit_time()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "## SNNLZCClassifier: inference and surrogate-gradient training",
        "",
        f"Inference: classifier (LIF, surrogate, {inf_rows[0]['n_out']} output neurons; "
        "`multiscale` is the default readout and adds the input features and detector layer) "
        f"fitted on {cfg_i['n_train']} Poisson samples of {cfg_i['n_steps']} steps x "
        f"{cfg_i['n_channels']} channels (2 classes, 20 / 60 Hz); `predict` on {cfg_i['n_test']} "
        "samples, whole call (validation, simulate, LZC of every output train, readout), best "
        f"of 3. numba threads = {numba.get_num_threads()}; 1-min load average {load:.1f}.",
        "",
        "| decision | us / sample (batch) | ms for 1 sample | first call incl. compile or cache load (s) | test accuracy |",
        "|---|---|---|---|---|",
    ]
    for r in inf_rows:
        lines.append(f"| {r['decision']} | {r['per_sample'] * 1e6:.1f} | {r['single'] * 1e3:.2f} | "
                     f"{r['first']:.2f} | {r['accuracy']:.4f} |")
    n_out = cfg_t["n_classes"] * cfg_t["n_per_class"]
    lines += [
        "",
        f"Default `fit` (30 epochs, multiscale readout) on {SNN_FIT['n_samples']} samples of "
        f"{SNN_FIT['n_steps']} steps x {SNN_FIT['n_channels']} channels (3 sync classes): "
        f"{fit_s:.2f} s (best of 2, after compilation).",
        "",
        f"Training: one epoch of surrogate-gradient BPTT, {cfg_t['n_samples']} samples x "
        f"{cfg_t['n_steps']} steps, {cfg_t['n_channels']} inputs -> {n_out} LIF neurons "
        f"({cfg_t['n_classes']} classes x {cfg_t['n_per_class']}), minibatches of "
        f"{cfg_t['batch_size']}, Adam; same loss, surrogate and reset on both sides "
        "(skspike float64 numba kernels, snnTorch float32 autograd).",
        "",
        "| implementation | epoch (s) | first epoch incl. compile/warm-up (s) | skspike speed-up |",
        "|---|---|---|---|",
        f"| skspike (numba BPTT, {numba.get_num_threads()} threads) | {ours['epoch']:.3f} | {ours['first']:.2f} | 1.0 x |",
    ]
    if theirs is None:
        lines.append("| snnTorch | skipped (not installed) | | |")
    else:
        lines.append(f"| {theirs['version']} ({theirs['threads']} threads) | {theirs['epoch']:.3f} | "
                     f"{theirs['first']:.2f} | {theirs['epoch'] / ours['epoch']:.1f} x |")
    return "\n".join(lines) + "\n"


def main(quick=False, threads=None, classifier_only=False):
    global _THREADS
    if threads is not None:
        import numba

        _THREADS = int(threads)
        numba.set_num_threads(_THREADS)
    if classifier_only and OUT.exists():
        old = OUT.read_text()
        cut = old.find("## SNNLZCClassifier")
        sections = [old[:cut].rstrip("\n") + "\n" if cut >= 0 else old]
    else:
        sections = [lzc_table(quick=quick, repeats=2 if quick else 3)]
    extra = classifier_table(quick=quick)
    if extra:
        sections.append(extra)
    text = "\n".join(sections)
    print(text)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--classifier-only", action="store_true")
    args = parser.parse_args()
    main(quick=args.quick, threads=args.threads, classifier_only=args.classifier_only)
