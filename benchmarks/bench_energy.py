"""Energy per sample of skspike estimators and Pipelines on every hardware profile.

Usage::

    python benchmarks/bench_energy.py           # digits, 300 test samples
    python benchmarks/bench_energy.py --quick   # 60 test samples

Prints three markdown tables and writes them to benchmarks/results/energy.md:

1. joules per sample of a few estimators and Pipelines on every preset of
   ``skspike.energy.HARDWARE_PROFILES``, next to the equivalent non-spiking
   network on the same hardware;
2. the operation counts behind them, checked against a NumPy hand count of
   the same network (the LIF layer), with the time of skspike's first
   (compiling) and warm counting calls;
3. the peers: keras-spiking's ``ModelEnergy`` on the same dense layer and
   NeuroBench's synaptic-operation count, each "skipped (not installed)"
   when it cannot be imported.
"""

import argparse
import importlib
import time
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skspike.encoding import LatencyEncoder, PoissonEncoder
from skspike.energy import HARDWARE_PROFILES, count_operations, energy_report
from skspike.neurons import LIF, simulate

RESULTS = Path(__file__).resolve().parent / "results" / "energy.md"
N_HIDDEN = 100
N_STEPS = 50


class LIFLayer(TransformerMixin, BaseEstimator):
    """Random-weight LIF layer (spike counts out), the smallest spiking step."""

    def __init__(self, n_neurons=N_HIDDEN, *, scale=0.6, random_state=0):
        self.n_neurons = n_neurons
        self.scale = scale
        self.random_state = random_state

    def fit(self, X, y=None):
        rng = np.random.RandomState(self.random_state)
        self.weights_ = rng.uniform(-0.2, 1.0, size=(X.shape[2], self.n_neurons)) * self.scale
        return self

    def transform(self, X):
        return simulate(LIF(tau_m=20.0), X, self.weights_, output="counts")[0].astype(float)

    def count_operations(self, X):
        return simulate(LIF(tau_m=20.0), X, self.weights_, output="counts")[1]


def _optional(module, name):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def build_models(X_train, y_train):
    """Fitted (label, estimator) pairs; models whose code is missing are reported as such."""
    encoder = PoissonEncoder(max_rate=200.0, n_steps=N_STEPS, random_state=0)
    models = [
        ("PoissonEncoder (50 steps)", make_pipeline(encoder)),
        ("Poisson -> LIF layer (100)", make_pipeline(encoder, LIFLayer())),
        ("Latency (1 spike/feature) -> LIF layer (100)",
         make_pipeline(LatencyEncoder(n_steps=N_STEPS), LIFLayer(scale=3.0))),
        ("Poisson -> LIF layer -> LogisticRegression",
         make_pipeline(encoder, LIFLayer(), StandardScaler(), LogisticRegression(max_iter=500))),
        ("StandardScaler -> LogisticRegression (no spikes)",
         make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))),
    ]
    missing = []
    stdp = _optional("skspike.feature_extraction", "STDPFeatureExtractor")
    ngsnn = _optional("skspike.classifiers", "NGSNNClassifier")
    if stdp is not None:
        models.append(("Poisson -> STDP (50) -> LogisticRegression", make_pipeline(
            encoder, stdp(n_neurons=50, dt=1.0, random_state=0), LogisticRegression(max_iter=500))))
    else:
        missing.append("STDPFeatureExtractor")
    if ngsnn is not None:
        models.append(("NGSNNClassifier (direct current)", make_pipeline(ngsnn(random_state=0))))
        if stdp is not None:
            models.append(("Poisson -> STDP (50) -> NGSNNClassifier", make_pipeline(
                encoder, stdp(n_neurons=50, dt=1.0, random_state=0), ngsnn(random_state=0))))
    else:
        missing.append("NGSNNClassifier")
    fitted = []
    for label, model in models:
        fitted.append((label, model.fit(X_train, y_train)))
    return fitted, missing


def energy_table(models, X_test, y_test):
    names = list(HARDWARE_PROFILES)
    lines = [
        "| model | test accuracy | " + " | ".join(names) + " |",
        "|---|---:|" + "---:|" * len(names),
    ]
    ratio_lines = [
        "| model | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for label, model in models:
        cells, ratios = [], []
        per_step = count_operations(model, X_test, per_step=True)
        for name in names:
            hw = HARDWARE_PROFILES[name]
            joules = sum(hw.energy(c) for c in per_step.values())
            dense = sum(hw.dense_energy(c) for c in per_step.values())
            cells.append(f"{joules:.3g}")
            ratios.append(f"{dense / joules:.3g}" if joules > 0 and dense > 0 else "-")
        accuracy = f"{model.score(X_test, y_test):.3f}" if hasattr(model, "predict") else "-"
        lines.append(f"| {label} | {accuracy} | " + " | ".join(cells) + " |")
        ratio_lines.append(f"| {label} | " + " | ".join(ratios) + " |")
    return lines, ratio_lines


def hand_count_table(X_test):
    """skspike's counts of the LIF layer against a NumPy hand count, with timings."""
    encoder = PoissonEncoder(max_rate=200.0, n_steps=N_STEPS, random_state=0).fit(X_test)
    spikes = encoder.transform(X_test)
    layer = LIFLayer().fit(spikes)
    t0 = time.perf_counter()
    counts = count_operations(layer, spikes)
    first = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        count_operations(layer, spikes)
        warm.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    fanout = np.count_nonzero(layer.weights_, axis=1)
    ref_ac = float((spikes.sum(axis=1) @ fanout).mean())
    ref_dense = float(N_STEPS * layer.weights_.size)
    ref_updates = float(N_STEPS * layer.n_neurons)
    ref_time = time.perf_counter() - t0
    out = layer.transform(spikes)
    ref_spikes = float(out.sum() / len(out))
    rows = [
        ("synaptic AC", counts.synaptic_ac, ref_ac),
        ("dense ops", counts.dense_ops, ref_dense),
        ("neuron updates", counts.neuron_updates, ref_updates),
        ("output spikes", counts.spikes, ref_spikes),
    ]
    lines = [
        "| count per sample | skspike | NumPy hand count | equal |",
        "|---|---:|---:|:---:|",
    ]
    lines += [f"| {name} | {a:.6g} | {b:.6g} | {'yes' if a == b else 'NO'} |" for name, a, b in rows]
    lines.append(f"| activation sparsity | {counts.activation_sparsity:.4f} | "
                 f"{1 - ref_spikes / (N_STEPS * layer.n_neurons):.4f} | |")
    timing = (
        f"Counting {len(X_test)} samples (LIF layer, {spikes.shape[2]} inputs -> {N_HIDDEN} neurons, "
        f"{N_STEPS} steps): skspike first call {first * 1e3:.1f} ms (compiles unless numba's cache "
        f"is warm), "
        f"warm {min(warm) * 1e3:.1f} ms; NumPy hand count of the synaptic terms "
        f"{ref_time * 1e3:.2f} ms (the spikes themselves come from skspike's simulation)."
    )
    return lines, timing, counts, layer, spikes


def peer_table(counts, layer, spikes):
    """keras-spiking ModelEnergy and NeuroBench on the same dense layer, if importable."""
    lines = ["| tool | what it reports | value |", "|---|---|---:|"]
    hw = HARDWARE_PROFILES["loihi"]
    lines.append(f"| skspike | Loihi J/sample, LIF layer (23.6 pJ/AC, 81 pJ/update, 1.7 pJ/spike) "
                 f"| {hw.energy(counts):.3g} |")
    try:
        import keras_spiking  # noqa: F401
        import tensorflow as tf
    except ImportError:
        lines.append("| keras-spiking ModelEnergy | Loihi J/inference | skipped (not installed) |")
    else:
        try:
            joules = _keras_spiking_energy(keras_spiking, tf, layer, spikes)
        except Exception as exc:  # report, never invent
            lines.append(f"| keras-spiking ModelEnergy | Loihi J/inference | failed: {exc!r} |")
        else:
            lines.append(f"| keras-spiking ModelEnergy | Loihi J/inference (27.1 pJ/synop, 81 pJ/neuron, "
                         f"dense fan-out) | {joules:.3g} |")
    try:
        import neurobench  # noqa: F401
    except ImportError:
        lines.append("| NeuroBench | synaptic operations per sample | skipped (not installed) |")
    else:
        lines.append("| NeuroBench | synaptic operations per sample | skipped (needs a torch model; "
                     "not wired up) |")
    return lines


def _keras_spiking_energy(keras_spiking, tf, layer, spikes):
    n_in = layer.weights_.shape[0]
    inp = tf.keras.Input((None, n_in))
    out = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(layer.n_neurons))(inp)
    out = keras_spiking.SpikingActivation("relu")(out)
    model = tf.keras.Model(inp, out)
    rates = spikes.astype("float32") / 1e-3  # spikes per second at dt = 1 ms
    energy = keras_spiking.ModelEnergy(model, example_data=rates)
    return energy.total_energy("loihi", timesteps_per_inference=spikes.shape[1], dt=1e-3)


def main(quick=False):
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=60 if quick else 300, train_size=200 if quick else 600,
        stratify=y, random_state=0)
    t0 = time.perf_counter()
    models, missing = build_models(X_train, y_train)
    fit_time = time.perf_counter() - t0
    energy_lines, ratio_lines = energy_table(models, X_test, y_test)
    count_lines, timing, counts, layer, spikes = hand_count_table(X_test)
    peers = peer_table(counts, layer, spikes)

    out = ["## Energy per sample (skspike.energy)", ""]
    out.append(
        f"Digits (64 features), {len(X_test)} test samples, Poisson code of {N_STEPS} steps at "
        f"dt = 1 ms. Joules per sample on each hardware preset (counts x profile; weight fetches "
        f"not included). Models fitted in {fit_time:.1f} s."
    )
    out += ["", *energy_lines, ""]
    if missing:
        out.append("Not in this run (not committed yet): " + ", ".join(missing) + ".")
        out.append("")
    out.append("Equivalent non-spiking network / spiking run, same hardware (> 1: spikes save energy; "
               "'-' when the step has no dense equivalent, e.g. an encoder alone):")
    out += ["", *ratio_lines, ""]
    label, model = models[-1]
    out.append(f"### Per-step report: {label}, on Loihi")
    out += ["", "```", str(energy_report(model, X_test, hardware="loihi")), "```", ""]
    out.append("### Operation counts of the LIF layer against a hand count")
    out += ["", *count_lines, "", timing, ""]
    out.append("### Peers")
    out += ["", *peers, ""]
    text = "\n".join(out)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n")
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small version")
    main(quick=parser.parse_args().quick)
