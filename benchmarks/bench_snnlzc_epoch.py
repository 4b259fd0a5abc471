"""Surrogate-BPTT epoch time of SNNLZCClassifier per neuron model, one process per tree.

The training set-up of ``bench_lzc.py``'s SNN-LZC section (1024 samples x
100 steps, 100 inputs -> 40 neurons, minibatches of 32, decision="rate"),
on one numba thread. The epoch time is (fit(max_iter=2) - fit(max_iter=0)) / 2
(best of 3 of each, after a warm-up fit), in wall and CPU seconds; CPU time
is the number to compare on a shared machine.

To compare two versions, run this script alternately with each tree on the
path, in the same session (the ``loss`` printed shows whether both trained
the same model)::

    for r in 1 2 3; do for t in /path/main /path/branch; do
        PYTHONPATH=$t nice -n 5 python benchmarks/bench_snnlzc_epoch.py --label $t; done; done

``--neuron lif|meta|adaptive|izhikevich`` picks the layer (default: the
estimator's default, a LIF layer; ``meta`` is MetaNeuron(a=0.5, b=0.5, d=0.2),
the others the models' defaults).
"""

import argparse
import os
import time

import numba
import numpy as np  # noqa: F401


def main(label, which):
    numba.set_num_threads(1)
    from skspike.classifiers import SNNLZCClassifier
    from skspike.datasets import make_spike_trains

    cfg = dict(n_samples=1024, n_steps=100, n_channels=100, n_classes=10, n_per_class=4, batch_size=32)
    X, y = make_spike_trains(n_samples=cfg["n_samples"], n_steps=cfg["n_steps"],
                             n_channels=cfg["n_channels"], n_classes=cfg["n_classes"], random_state=0)
    kw = {}
    if which != "default":
        from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron

        kw["neuron"] = {"lif": LIF(), "meta": MetaNeuron(a=0.5, b=0.5, d=0.2), "adaptive": AdaptiveLIF(),
                        "izhikevich": Izhikevich()}[which]

    def fit(max_iter):
        t0, c0 = time.perf_counter(), time.process_time()
        clf = SNNLZCClassifier(max_iter=max_iter, n_per_class=cfg["n_per_class"], decision="rate",
                               batch_size=cfg["batch_size"], random_state=0, **kw).fit(X, y)
        return time.perf_counter() - t0, time.process_time() - c0, clf

    fit(1)
    base = [fit(0)[:2] for _ in range(3)]
    full = [fit(2) for _ in range(3)]
    wall = (min(f[0] for f in full) - min(b[0] for b in base)) / 2
    cpu = (min(f[1] for f in full) - min(b[1] for b in base)) / 2
    line = (f"{label} {which} epoch_wall={wall:.3f} epoch_cpu={cpu:.3f} "
            f"loss={full[0][2].loss_curve_[-1]:.6f} load={os.getloadavg()[0]:.1f}")
    print(line, flush=True)
    return line


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="skspike")
    parser.add_argument("--neuron", default="default", choices=["default", "lif", "meta", "adaptive", "izhikevich"])
    args = parser.parse_args()
    main(args.label, args.neuron)
