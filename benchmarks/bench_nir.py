"""NIR export/import against the consumers a user would otherwise use: snnTorch and NeuroBench.

Tables (written to ``benchmarks/results/nir.md``):

1. snnTorch networks exported with ``export_to_nir`` and run by
   ``skspike.nir.from_nir``: spike agreement with snnTorch itself, and the
   operation counts next to NeuroBench's SynapticOperations
   (Effective_ACs / Effective_MACs / Dense) and ActivationSparsity on the same
   network and input ("skipped" when neurobench is not installed; it is
   installed with ``pip install --no-deps neurobench``);
2. simulation time of the same graph in ``from_nir`` (first, compiling call and
   a warm call) and in snnTorch's own step loop;
3. fitted NGSNNClassifier and STDPFeatureExtractor written by ``to_nir`` and
   loaded with snnTorch's ``import_from_nir``: spike slots and predictions.

Usage: ``python benchmarks/bench_nir.py [--quick]``.
"""

import argparse
import contextlib
import io
import os
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "results" / "nir.md"
DT = 1e-4  # snnTorch's NIR step


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _networks(quick):
    import snntorch as snn
    import torch

    def leaky(shape, beta):
        shape = shape if isinstance(shape, tuple) else (shape,)
        return snn.Leaky(beta=torch.full(shape, beta), threshold=torch.ones(shape), init_hidden=True,
                         reset_mechanism="zero", reset_delay=False)

    torch.manual_seed(0)
    n_in, n_h = (100, 128) if quick else (784, 500)
    dense = torch.nn.Sequential(torch.nn.Linear(n_in, n_h), leaky(n_h, 0.9), torch.nn.Linear(n_h, 10),
                                leaky(10, 0.9))
    with torch.no_grad():
        dense[0].weight.mul_(4.0)
    syn = snn.Synaptic(alpha=torch.full((64,), 0.8), beta=torch.full((64,), 0.9), threshold=torch.ones(64),
                       init_hidden=True, reset_mechanism="zero", reset_delay=False)
    synaptic = torch.nn.Sequential(torch.nn.Linear(n_in, 64), syn, torch.nn.Linear(64, 10), leaky(10, 0.9))
    with torch.no_grad():
        synaptic[0].weight.mul_(2.0)
    side = 16
    conv = torch.nn.Sequential(
        torch.nn.Conv2d(2, 8, 3, padding=1), leaky((8, side, side), 0.9), torch.nn.AvgPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(8 * (side // 2) ** 2, 10), leaky(10, 0.9))
    with torch.no_grad():
        conv[0].weight.mul_(4.0)
        conv[4].weight.mul_(8.0)
    for net in (dense, synaptic, conv):
        net[-1].output = True
    return [(f"Linear {n_in}-{n_h}-10, Leaky", dense, (n_in,)), (f"Linear {n_in}-64-10, Synaptic", synaptic, (n_in,)),
            (f"Conv2d 2x{side}x{side} -> 8ch, AvgPool, Linear -> 10", conv, (2, side, side))]


def _snntorch_run(net, x):
    import snntorch.utils
    import torch

    snntorch.utils.reset(net)
    out = []
    with torch.no_grad():
        for t in range(x.shape[1]):
            spk, _ = net(x[:, t])
            out.append(spk.numpy())
    return np.stack(out, axis=1)


def _neurobench(net, x):
    try:
        from neurobench.benchmarks import Benchmark
        from neurobench.metrics.workload import ActivationSparsity, SynapticOperations
        from neurobench.models import SNNTorchModel
    except ImportError:
        return None
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(x, torch.zeros(x.shape[0])), batch_size=32)
    res = Benchmark(SNNTorchModel(net), loader, [], [], [[], [SynapticOperations, ActivationSparsity]]).run(quiet=True)
    return res


def import_tables(quick):
    import torch
    from snntorch.export_nir import export_to_nir

    from skspike.nir import from_nir

    n_samples, n_steps = (64, 50) if quick else (256, 100)
    ops_lines = ["| network | spike slots equal to snnTorch | tool | Effective_ACs | Effective_MACs | Dense | "
                 "ActivationSparsity |", "|---|---:|---|---:|---:|---:|---:|"]
    time_lines = ["| network | skspike from_nir, first call (s) | skspike from_nir, warm (s) | snnTorch step loop (s) |",
                  "|---|---:|---:|---:|"]
    for name, net, shape in _networks(quick):
        gen = torch.Generator().manual_seed(1)
        x = (torch.rand((n_samples, n_steps) + shape, generator=gen) < 0.1).float()
        graph = _quiet(export_to_nir, net, torch.zeros((1,) + shape), ignore_dims=[0])
        t0 = time.perf_counter()
        ref = _snntorch_run(net, x)
        t_torch = time.perf_counter() - t0
        model = from_nir(graph, dt=DT)
        xn = x.numpy()
        t0 = time.perf_counter()
        ours = model.simulate(xn)
        t_first = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours = model.simulate(xn)
        t_warm = time.perf_counter() - t0
        equal = float(np.mean(ours.reshape(ref.shape) == ref))
        counts = model.count_operations(xn)
        ops_lines.append(f"| {name} | {equal:.6f} | skspike | {counts.synaptic_ac:,.2f} | {counts.synaptic_mac:,.2f} | "
                         f"{counts.dense_ops:,.0f} | {counts.activation_sparsity:.6f} |")
        nb = _neurobench(net, x)
        if nb is None:
            ops_lines.append(f"| {name} | | NeuroBench | skipped (not installed) | | | |")
        else:
            s = nb["SynapticOperations"]
            ops_lines.append(f"| {name} | | NeuroBench | {s['Effective_ACs']:,.2f} | {s['Effective_MACs']:,.2f} | "
                             f"{s['Dense']:,.0f} | {nb['ActivationSparsity']:.6f} |")
        time_lines.append(f"| {name} | {t_first:.3f} | {t_warm:.3f} | {t_torch:.3f} |")
    return ops_lines, time_lines, (n_samples, n_steps)


def export_table(quick):
    import nir
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from snntorch.import_nir import import_from_nir

    from skspike import NGSNNClassifier, STDPFeatureExtractor
    from skspike.neurons import simulate
    from skspike.nir import nir_input, to_nir

    def run(module, data):
        import snntorch.utils

        snntorch.utils.reset(module)
        xt = torch.tensor(np.asarray(data), dtype=torch.float32)
        out, state = [], None
        with torch.no_grad():
            for t in range(xt.shape[1]):
                o, state = module(xt[:, t], state)
                out.append(o.numpy())
        return np.stack(out, axis=1)

    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    lines = ["| model | spike slots equal in snnTorch | predictions equal | test accuracy (skspike) |",
             "|---|---:|---:|---:|"]
    path = "/tmp/_skspike_bench_nir.nir"
    for activity in ("trace", "rate"):
        clf = NGSNNClassifier(activity=activity, max_neurons=60 if quick else 300, random_state=0).fit(X_tr, y_tr)
        nir.write(path, to_nir(clf, dt=DT, input="standardised", readout=False))
        hidden = nir.read(path)
        full = to_nir(clf, dt=DT, input="standardised")
        data = nir_input(clf, X_te, input="standardised")
        T = int(hidden.metadata["n_steps"])
        theirs = run(_quiet(import_from_nir, hidden), np.repeat(data[:, None], T, axis=1))
        ours, _ = simulate(clf.neuron_, data, clf.input_weights_, bias=clf.biases_, n_steps=T, dt=clf.dt)
        acc = theirs.astype(np.float64)
        for name in ("count", "trace"):
            if name in full.nodes:
                acc = np.cumsum(acc * DT * full.nodes[name].r, axis=1)
        scores = acc[:, -1] @ full.nodes["readout"].weight.T + full.nodes["readout"].bias
        same = float(np.mean(clf.classes_[scores.argmax(1)] == clf.predict(X_te)))
        lines.append(f"| NGSNNClassifier(activity={activity!r}), {clf.n_neurons_} neurons | "
                     f"{np.mean(theirs == ours):.6f} | {same:.4f} | {clf.score(X_te, y_te):.4f} |")
    rng = np.random.default_rng(0)
    n = 200 if quick else 600
    spikes = (rng.random((n, 100, 64)) < X[:n, None, :] / 32.0).astype(np.uint8)
    from skspike.neurons import AdaptiveLIF

    stdp = STDPFeatureExtractor(n_neurons=50, neuron=AdaptiveLIF.diehl_cook(t_ref=0.0, v_reset=-65.0),
                                inhibition=0.0, encoder=None,
                                off_channels=False, output="spikes", random_state=0).fit(spikes[: n // 2])
    nir.write(path, to_nir(stdp, dt=DT))
    theirs = run(_quiet(import_from_nir, nir.read(path)), spikes[n // 2:])
    ours = stdp.transform(spikes[n // 2:])
    lines.append(f"| STDPFeatureExtractor(t_ref=0, inhibition=0), 50 neurons | {np.mean(theirs == ours):.6f} | "
                 "n/a (features) | n/a |")
    os.remove(path)
    return lines


def main(quick=False):
    load = os.getloadavg()
    out = ["## NIR export and import (skspike.nir)", "",
           f"`python benchmarks/bench_nir.py{' --quick' if quick else ''}`.", ""]
    try:
        import nir  # noqa: F401
        import snntorch  # noqa: F401
        import torch  # noqa: F401
    except ImportError as exc:
        out.append(f"skipped: {exc} (pip install nir nirtorch snntorch torch==2.13.0)")
    else:
        ops_lines, time_lines, (n_samples, n_steps) = import_tables(quick)
        out += [f"snnTorch networks (zero reset, no reset delay) exported with `export_to_nir`, run by `from_nir` "
                f"(dt = 1e-4 s) on {n_samples} Bernoulli(0.1) spike inputs of {n_steps} steps; counts per sample.", ""]
        out += ops_lines + ["", "Simulation of the same graphs (float64 skspike kernel vs snnTorch float32 "
                            "CPU step loop):", ""] + time_lines
        out += ["", "skspike models written by `to_nir(dt=1e-4)` and loaded with snnTorch's `import_from_nir` "
                "(digits, 25 % test split; NGSNN read-out applied to snnTorch's spikes from the exported nodes):", ""]
        out += export_table(quick)
    out += ["", f"Load average during the run: {load[0]:.2f} (1 min)."]
    text = "\n".join(out) + "\n"
    print(text)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(parser.parse_args().quick)
