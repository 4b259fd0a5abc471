"""SNNLZCClassifier accuracy: neuron x learning rule x learn_intrinsic.

The second seed paper reports that learning intrinsic neuron parameters
(time constants, thresholds) adds up to 13.5 points (LIF) and 8.5 points
(meta-neuron) of accuracy. This script measures what skspike's
implementation gives, per family of ``make_spike_trains``:

- ``poisson-5``: five Poisson classes with close rates (20, 30, ..., 60 Hz),
  20 channels, 100 steps of 1 ms;
- ``markov-3``: three classes with the same rate (100 Hz) and different
  burstiness (lag-1 correlation 0, 0.35, 0.7), 4 channels, 200 steps;
- ``gamma-3``: equal-rate (40 Hz) gamma renewal trains of shape 1, 3, 9,
  10 channels, 150 steps;
- ``sync-3``: equal-rate (40 Hz) multiple-interaction trains with
  correlation 0, 0.15, 0.3, 10 channels, 150 steps.

Every cell is the mean (and standard deviation) of the test accuracy over
``n_seeds`` data/model seeds; every configuration uses the classifier's
defaults (4 neurons per class, 15 epochs, learning rate 0.05, Adam) with only
``neuron``, ``learning_rule``, ``learn_intrinsic`` and ``decision`` varied:
no per-cell tuning. The network is trained identically for both decisions
(training does not depend on the readout): ``multiscale`` (the default:
input trains, data-scaled detector neurons and the learned layer) and
``lzc`` (the learned layer's output LZC only, where the learned intrinsic
parameters act alone). There is no peer here: the table
is an ablation. Reference rows: a random (untrained, ``max_iter=0``) network,
and non-spiking logistic regressions on the *input* trains' per-channel spike
counts and per-channel LZC (what the input offers to a plain readout).

Writes ``benchmarks/results/snnlzc.md``. ``--quick``: one seed, fewer samples.
"""

import argparse
import itertools
import os
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "results" / "snnlzc.md"

SETTINGS = {
    "poisson-5": dict(n_steps=100, n_channels=20, n_classes=5, process="poisson",
                      rates=[20.0, 30.0, 40.0, 50.0, 60.0]),
    "markov-3": dict(n_steps=200, n_channels=4, n_classes=3, process="markov",
                     burstiness=[0.0, 0.35, 0.7]),
    "gamma-3": dict(n_steps=150, n_channels=10, n_classes=3, process="gamma", rates=40.0,
                    shape=[1.0, 3.0, 9.0]),
    "sync-3": dict(n_steps=150, n_channels=10, n_classes=3, process="sync", rates=40.0,
                   correlation=[0.0, 0.15, 0.3]),
}
NEURONS = ("lif", "meta")
RULES = ("surrogate", "tempotron", "stdp")
DECISIONS = ("multiscale", "lzc")


def _data(setting, n_train, n_test, seed):
    from skspike.datasets import make_spike_trains

    kw = SETTINGS[setting]
    X, y = make_spike_trains(n_samples=n_train, random_state=seed, **kw)
    Xt, yt = make_spike_trains(n_samples=n_test, random_state=seed + 1000, **kw)
    return X, y, Xt, yt


def _references(X, y, Xt, yt):
    """Logistic regression on the input trains' per-channel counts and LZC."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skspike.complexity import lempel_ziv_complexity

    out = {}
    for name, feat in (("counts", lambda A: A.sum(axis=1, dtype=np.float64)),
                       ("lzc", lempel_ziv_complexity)):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        out[name] = model.fit(feat(X), y).score(feat(Xt), yt)
    return out


def run(quick=False):
    """Return ``{(setting, neuron, rule, learn_intrinsic, decision): [accuracies]}``."""
    from skspike.classifiers import SNNLZCClassifier

    n_seeds = 1 if quick else 3
    n_train, n_test = (300, 300) if quick else (400, 400)
    results = {}
    for setting in SETTINGS:
        for seed in range(n_seeds):
            X, y, Xt, yt = _data(setting, n_train, n_test, seed)
            for name, acc in _references(X, y, Xt, yt).items():
                results.setdefault((setting, name), []).append(acc)
            configs = [("untrained", "-", False)] + list(
                itertools.product(NEURONS, RULES, (False, True)))
            for neuron, rule, intrinsic in configs:
                for decision in DECISIONS:
                    if neuron == "untrained":
                        clf = SNNLZCClassifier(max_iter=0, decision=decision, random_state=seed)
                    else:
                        from skspike.neurons import LIF, MetaNeuron

                        model = LIF() if neuron == "lif" else MetaNeuron(a=0.5, b=0.5, d=0.2)
                        clf = SNNLZCClassifier(neuron=model, learning_rule=rule,
                                               learn_intrinsic=intrinsic, decision=decision,
                                               max_iter=15, random_state=seed)
                    t0 = time.perf_counter()
                    acc = clf.fit(X, y).score(Xt, yt)
                    key = (setting, neuron, rule, intrinsic, decision)
                    results.setdefault(key, []).append(acc)
                    print(f"{setting} seed={seed} {neuron:9s} {rule:9s} intrinsic={intrinsic!s:5s} "
                          f"{decision:4s} acc={acc:.4f} ({time.perf_counter() - t0:.1f} s)", flush=True)
    return results, n_seeds, n_train, n_test


def _cell(values):
    values = np.asarray(values) * 100
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{values.mean():.1f} +- {values.std(ddof=1):.1f}"


def table(results, n_seeds, n_train, n_test):
    lines = [
        "## SNNLZCClassifier: accuracy by neuron, learning rule and intrinsic learning",
        "",
        f"Test accuracy in % (mean +- sd over {n_seeds} seed(s); {n_train} training and "
        f"{n_test} test samples). Defaults everywhere (4 neurons per class, 15 epochs, Adam "
        "lr 0.05); `lzc` = linear discriminant on the learned layer's output LZC alone, "
        "`multiscale` = the default readout (input trains at several time scales, detector "
        "neurons, learned layer). Chance: 20% (poisson-5), 33.3% (others). "
        "Delta = learn_intrinsic True minus False, in points.",
        "",
    ]
    for setting, kw in SETTINGS.items():
        desc = ", ".join(f"{k}={v}" for k, v in kw.items())
        lines += [f"### {setting} ({desc})", "",
                  "| neuron | rule | multiscale, fixed | multiscale, learned | delta multiscale | "
                  "lzc, fixed | lzc, learned | delta lzc |",
                  "|---|---|---|---|---|---|---|---|"]
        for neuron, rule in itertools.product(NEURONS, RULES):
            cells, deltas = [], {}
            for decision in DECISIONS:
                fixed = results[(setting, neuron, rule, False, decision)]
                learned = results[(setting, neuron, rule, True, decision)]
                deltas[decision] = 100 * (np.mean(learned) - np.mean(fixed))
                cells += [_cell(fixed), _cell(learned), f"{deltas[decision]:+.1f}"]
            lines.append(f"| {neuron} | {rule} | " + " | ".join(cells) + " |")
        untrained = [_cell(results[(setting, "untrained", "-", False, d)]) for d in DECISIONS]
        lines.append(f"| lif | untrained (max_iter=0) | {untrained[0]} | | | {untrained[1]} | | |")
        lines += ["", "Non-spiking references on the *input* trains (standardised features, "
                  f"logistic regression): per-channel spike counts {_cell(results[(setting, 'counts')])}, "
                  f"per-channel LZC {_cell(results[(setting, 'lzc')])}.", ""]
    return "\n".join(lines)


def main(quick=False):
    t0 = time.perf_counter()
    results, n_seeds, n_train, n_test = run(quick=quick)
    text = table(results, n_seeds, n_train, n_test)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    text += (f"Run time {time.perf_counter() - t0:.0f} s on a shared 2-core machine "
             f"(1-min load average {load:.1f} at the end).\n")
    print(text)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
