"""NGSNNClassifier vs a surrogate-gradient SNN (snnTorch) and MLPClassifier on digits.

One stratified split of the scikit-learn digits (75 % train, 25 % test,
``random_state=0``) and one encoding for all three models: the features are
standardised with the training statistics and clipped to +-2.5 (what
NGSNNClassifier does inside), and the spiking models receive them as a
constant input current for 30 steps of 1 ms (direct current encoding).

- NGSNN: ``NGSNNClassifier(random_state=0)`` with default parameters; it grows
  its hidden LIF layer (tau_m 20 ms, threshold 1) and solves its readout in
  closed form. First fit (numba compilation or cache load) and warm fit are
  timed separately.
- snnTorch: one hidden layer of ``snn.Leaky`` neurons of the size NGSNN chose
  (beta = exp(-1/20), threshold 1, reset to zero, fast-sigmoid surrogate
  gradient), a linear readout of the hidden spikes summed over the 30 steps,
  cross-entropy, Adam (lr 2e-3), mini-batches of 64. After every epoch the
  test accuracy is measured (not counted in the training time); training
  stops at the first epoch that reaches NGSNN's test accuracy, or after 100
  epochs (20 with ``--quick``).
- MLPClassifier: one hidden ReLU layer of the same size, default Adam
  training (early stopping off, max_iter 500).

Every model runs single-threaded (numba 1 thread, torch 1 thread, BLAS
1 thread), so the times compare like for like on a shared machine. Inference
is the warm ``predict`` time on the test set per sample. Adds a dated section to
``benchmarks/results/ngsnn.md``.
"""

import argparse
import sys
import math
import os
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import write_section  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "ngsnn.md"
N_STEPS = 30
CLIP = 2.5


def load_split():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


def encode(X_train, X_test):
    """The direct-current encoding NGSNN applies inside: standardise, clip."""
    mu = X_train.mean(axis=0)
    sigma = X_train.std(axis=0)
    sigma[sigma == 0] = 1.0
    return tuple(np.clip((X - mu) / sigma, -CLIP, CLIP) for X in (X_train, X_test))


def bench_ngsnn(X_train, X_test, y_train, y_test):
    from skspike.classifiers import NGSNNClassifier

    t0 = time.perf_counter()
    NGSNNClassifier(max_neurons=2, random_state=0).fit(X_train[:100], y_train[:100])
    first = time.perf_counter() - t0
    fits = []
    for _ in range(3):
        t0 = time.perf_counter()
        clf = NGSNNClassifier(random_state=0).fit(X_train, y_train)
        fits.append(time.perf_counter() - t0)
    clf.predict(X_test[:5])
    preds = []
    for _ in range(5):
        t0 = time.perf_counter()
        pred = clf.predict(X_test)
        preds.append(time.perf_counter() - t0)
    acc = float(np.mean(pred == y_test))
    ops = clf.count_operations(X_test)
    return dict(
        first=first, fit=min(fits), fit_median=float(np.median(fits)), acc=acc,
        n_neurons=clf.n_neurons_, stop=clf.stop_reason_,
        infer_us=min(preds) / len(X_test) * 1e6, ops=ops,
    )


def bench_snntorch(Z_train, Z_test, y_train, y_test, n_hidden, target, max_epochs):
    try:
        import snntorch as snn
        import torch
        from snntorch import surrogate
    except Exception as exc:  # pragma: no cover - depends on the environment
        return dict(skipped=f"skipped (not installed: {type(exc).__name__})")

    torch.set_num_threads(1)
    torch.manual_seed(0)
    beta = math.exp(-1.0 / 20.0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(Z_train.shape[1], n_hidden)
            self.lif = snn.Leaky(beta=beta, threshold=1.0, reset_mechanism="zero",
                                 spike_grad=surrogate.fast_sigmoid())
            self.fc2 = torch.nn.Linear(n_hidden, 10)

        def forward(self, x):
            current = self.fc1(x)  # direct encoding: the same current every step
            mem = self.lif.init_leaky()
            count = 0.0
            for _ in range(N_STEPS):
                spk, mem = self.lif(current, mem)
                count = count + spk
            return self.fc2(count / N_STEPS)

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt = torch.tensor(Z_train, dtype=torch.float32)
    yt = torch.tensor(y_train, dtype=torch.long)
    Xs = torch.tensor(Z_test, dtype=torch.float32)
    gen = torch.Generator().manual_seed(0)

    def test_accuracy():
        with torch.no_grad():
            return float((net(Xs).argmax(1).numpy() == y_test).mean())

    train_time, reached, best, epochs = 0.0, None, 0.0, 0
    first_epoch = None
    for epoch in range(1, max_epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(len(Xt), generator=gen)
        for start in range(0, len(Xt), 64):
            idx = perm[start : start + 64]
            opt.zero_grad()
            loss = loss_fn(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        dt = time.perf_counter() - t0
        train_time += dt
        first_epoch = dt if first_epoch is None else first_epoch
        epochs = epoch
        acc = test_accuracy()
        best = max(best, acc)
        if acc >= target:
            reached = epoch
            break
    with torch.no_grad():
        net(Xs[:5])
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            net(Xs)
            times.append(time.perf_counter() - t0)
    return dict(
        version=snn.__version__, torch=torch.__version__, train_time=train_time, epochs=epochs,
        reached=reached, best=best, final=acc, first_epoch=first_epoch,
        infer_us=min(times) / len(Xs) * 1e6,
    )


def bench_mlp(Z_train, Z_test, y_train, y_test, n_hidden):
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        mlp = MLPClassifier(hidden_layer_sizes=(n_hidden,), max_iter=500, random_state=0).fit(Z_train, y_train)
        fit = time.perf_counter() - t0
    mlp.predict(Z_test[:5])
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        pred = mlp.predict(Z_test)
        times.append(time.perf_counter() - t0)
    return dict(fit=fit, acc=float(np.mean(pred == y_test)), n_iter=mlp.n_iter_,
                infer_us=min(times) / len(Z_test) * 1e6)


def main(quick=False):
    from threadpoolctl import threadpool_limits

    X_train, X_test, y_train, y_test = load_split()
    Z_train, Z_test = encode(X_train, X_test)
    max_epochs = 20 if quick else 100
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with threadpool_limits(1):
        ng = bench_ngsnn(X_train, X_test, y_train, y_test)
        st = bench_snntorch(Z_train, Z_test, y_train, y_test, ng["n_neurons"], ng["acc"], max_epochs)
        mlp = bench_mlp(Z_train, Z_test, y_train, y_test, ng["n_neurons"])

    k = ng["n_neurons"]
    lines = [
        f"## NGSNN on digits: closed-form growth vs surrogate-gradient training ({k} hidden LIF neurons)",
        "",
        f"Machine: {os.cpu_count()} cores, shared (1-min load average {load:.1f} at the start); every "
        "model single-threaded. Data: sklearn digits, stratified 75/25 split (1,347 train, 450 test, "
        "seed 0); features standardised on the training set and clipped to +-2.5; spiking models get "
        f"them as a constant current for {N_STEPS} steps of 1 ms. Hidden size = the size NGSNN chose.",
        "",
        "| model | training | train time (s) | test accuracy | inference (us/sample) |",
        "|---|---|---|---|---|",
        f"| skspike NGSNNClassifier | growth to {k} neurons ({ng['stop']}), closed-form readout "
        f"| {ng['fit']:.2f} (first call {ng['first']:.2f}) | {ng['acc']:.4f} | {ng['infer_us']:.1f} |",
    ]
    if "skipped" in st:
        lines.append(f"| snnTorch surrogate-gradient SNN | - | {st['skipped']} | - | - |")
        ratio_text = "snnTorch not installed: no speed ratio."
    else:
        if st["reached"]:
            how = f"{st['epochs']} epochs to reach NGSNN's accuracy"
            ratio = st["train_time"] / ng["fit"]
            ratio_text = (f"snnTorch needed {st['train_time']:.1f} s ({st['epochs']} epochs) to reach NGSNN's "
                          f"test accuracy {ng['acc']:.4f}: NGSNN is {ratio:.0f} x faster (target >= 10 x).")
        else:
            how = f"{st['epochs']} epochs, NGSNN's accuracy not reached (best {st['best']:.4f})"
            ratio = st["train_time"] / ng["fit"]
            ratio_text = (f"snnTorch did not reach NGSNN's test accuracy {ng['acc']:.4f} in {st['epochs']} "
                          f"epochs (best {st['best']:.4f}, {st['train_time']:.1f} s): NGSNN is more than "
                          f"{ratio:.0f} x faster to that accuracy (target >= 10 x).")
        lines.append(
            f"| snnTorch {st['version']} surrogate-gradient SNN (torch {st['torch']}) | {how} "
            f"| {st['train_time']:.2f} | {st['final']:.4f} | {st['infer_us']:.1f} |"
        )
    lines.append(
        f"| scikit-learn MLPClassifier, {k} ReLU units | Adam, {mlp['n_iter']} epochs "
        f"| {mlp['fit']:.2f} | {mlp['acc']:.4f} | {mlp['infer_us']:.1f} |"
    )
    ops = ng["ops"]
    lines += [
        "",
        ratio_text,
        f"NGSNN fit: best of 3 warm fits (median {ng['fit_median']:.2f} s); its first call (small fit, numba "
        "compilation or cache load) is timed separately. snnTorch time excludes the per-epoch test evaluation.",
        f"NGSNN inference per sample: {ops.synaptic_mac:.0f} MACs (hidden current once + readout on active "
        f"neurons), {ops.neuron_updates:.0f} neuron updates, {ops.spikes:.0f} spikes.",
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    write_section(OUT, 'NGSNN on digits: closed-form growth vs surrogate-gradient training', table)  # a dated section on top; earlier runs kept
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="at most 20 snnTorch epochs")
    main(quick=parser.parse_args().quick)
