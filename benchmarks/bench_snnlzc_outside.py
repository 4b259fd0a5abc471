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

``--neuron lif,meta,adaptive,izhikevich`` (any subset) adds a column
``SNNLZCClassifier(neuron=...)`` per model, each model with its defaults
(``meta``: the former ``neuron="meta"``, ``MetaNeuron(a=0.5, b=0.5, d=0.2)``);
``--learn-intrinsic`` adds each of them again with ``learn_intrinsic=True``.
``--decision rate|lzc`` sets every SNN-LZC column's readout (the default
``multiscale`` readout also sees the input trains, which can hide what the
trained layer adds). With ``--neuron`` the table goes to
``benchmarks/results/snnlzc_neurons.md`` (``snnlzc_neurons_<decision>.md``
for another readout; the default table is left as it is), with the default
``SNNLZCClassifier()`` (a LIF layer) and the baselines in the same run.
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
OUT_NEURONS = OUT.parent / "snnlzc_neurons.md"


def _neuron_models():
    from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron

    return {"lif": LIF(), "meta": MetaNeuron(a=0.5, b=0.5, d=0.2), "adaptive": AdaptiveLIF(),
            "izhikevich": Izhikevich()}


def models(with_ngsnn=True, neurons=(), learn_intrinsic=False, decision="multiscale"):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier
    from skspike.complexity import LZCTransformer

    out = {
        "SNNLZCClassifier": lambda: SNNLZCClassifier(decision=decision, random_state=0),
        "counts+LR": lambda: make_pipeline(
            FunctionTransformer(lambda X: np.asarray(X).sum(axis=1, dtype=np.float64)),
            StandardScaler(), LogisticRegression(max_iter=2000)),
        "LZC+LR": lambda: make_pipeline(LZCTransformer(), StandardScaler(),
                                        LogisticRegression(max_iter=2000)),
    }
    if with_ngsnn:
        out["NGSNNClassifier"] = lambda: NGSNNClassifier(random_state=0)
    table = _neuron_models()
    for key in neurons:
        for learn in (False, True) if learn_intrinsic else (False,):
            label = f"SNN-LZC({type(table[key]).__name__}{', intrinsic' if learn else ''})"
            out[label] = (lambda key=key, learn=learn: SNNLZCClassifier(
                neuron=_neuron_models()[key], learn_intrinsic=learn, decision=decision, random_state=0))
    return out


def run(gens, with_ngsnn=True, seed=0, neurons=(), learn_intrinsic=False, decision="multiscale"):
    from sklearn.model_selection import train_test_split

    rows = {}
    for gname, gen in gens.items():
        for family in FAMILIES:
            X, y = make_family(family, gen, n_per_class=200, seed=seed)
            Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)
            for name, make in models(with_ngsnn, neurons, learn_intrinsic, decision).items():
                t0 = time.perf_counter()
                c0 = time.process_time()
                acc = make().fit(Xtr, ytr).score(Xte, yte)
                dt = time.perf_counter() - t0
                rows[(gname, family, name)] = (acc, dt)
                print(f"{gname} {family:8s} {name:18s} acc={100 * acc:5.1f}% ({dt:.1f} s wall, "
                      f"{time.process_time() - c0:.1f} s CPU)", flush=True)
    return rows


def table(rows, gens, with_ngsnn=True, neurons=(), learn_intrinsic=False, decision="multiscale"):
    names = list(models(with_ngsnn, neurons, learn_intrinsic, decision))
    ours_names = [n for n in names if n.startswith("SNN")]
    title = "defaults, same run" if not neurons else "every neuron model, same run"
    if decision != "multiscale":
        title += f", decision={decision!r}"
    lines = [f"## SNNLZCClassifier on outside spike trains ({title})", "",
             "Test accuracy in % (420 train / 180 test, 3 classes). Data: "
             "`benchmarks/outside_spike_data.py` (plain NumPy). Fit+score seconds in brackets.", ""]
    if neurons:
        lines += ["`SNN-LZC(Model)`: `SNNLZCClassifier(neuron=Model(...), random_state=0)` with the "
                  f"model's defaults (MetaNeuron: a=0.5, b=0.5, d=0.2), decision={decision!r}, "
                  "otherwise the estimator's defaults; `intrinsic`: learn_intrinsic=True. Last columns: each SNN-LZC "
                  "column minus the best of counts+LR and LZC+LR.", ""]
    for gname in gens:
        diff_head = (" | ours - best baseline |" if not neurons else
                     " | " + " | ".join(f"{n} - best" for n in ours_names) + " |")
        n_cols = len(names) + 1 + (1 if not neurons else len(ours_names))
        lines += [f"### {gname}: {gens[gname]}", "", "| family | " + " | ".join(names)
                  + diff_head, "|---" * n_cols + "|"]
        for family in FAMILIES:
            cells = []
            for n in names:
                acc, dt = rows[(gname, family, n)]
                cells.append(f"{100 * acc:.1f} ({dt:.1f} s)")
            best = max(rows[(gname, family, "counts+LR")][0], rows[(gname, family, "LZC+LR")][0])
            diffs = ours_names if neurons else ["SNNLZCClassifier"]
            lines.append(f"| {family} | " + " | ".join(cells) + " | " + " | ".join(
                f"{100 * (rows[(gname, family, n)][0] - best):+.1f}" for n in diffs) + " |")
        lines.append("")
    return "\n".join(lines)


def main(quick=False, no_ngsnn=False, neurons=(), learn_intrinsic=False, decision="multiscale"):
    unknown = set(neurons) - set(_neuron_models())
    if unknown:
        raise ValueError(f"--neuron: unknown {sorted(unknown)}; choose from {sorted(_neuron_models())}")
    gens = {"GEN_A": GEN_A} if quick else {"GEN_A": GEN_A, "GEN_B": GEN_B}
    with_ngsnn = not (quick or no_ngsnn)
    t0 = time.perf_counter()
    c0 = time.process_time()
    load0 = os.getloadavg()[0]
    rows = run(gens, with_ngsnn, neurons=neurons, learn_intrinsic=learn_intrinsic, decision=decision)
    text = table(rows, gens, with_ngsnn, neurons, learn_intrinsic, decision)
    load = os.getloadavg()[0]
    text += (f"\nRun time {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU "
             f"on a shared 2-core machine (1-min load average {load0:.1f} at the start, "
             f"{load:.1f} at the end; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).\n")
    print(text)
    out = OUT_NEURONS if neurons else OUT
    if decision != "multiscale":
        out = out.with_name(f"{out.stem}_{decision}.md")
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-ngsnn", action="store_true")
    parser.add_argument("--neuron", default="", help="comma-separated: lif,meta,adaptive,izhikevich")
    parser.add_argument("--learn-intrinsic", action="store_true")
    parser.add_argument("--decision", default="multiscale", choices=["multiscale", "lzc", "rate"])
    args = parser.parse_args()
    main(quick=args.quick, no_ngsnn=args.no_ngsnn,
         neurons=tuple(n for n in args.neuron.split(",") if n), learn_intrinsic=args.learn_intrinsic,
         decision=args.decision)
