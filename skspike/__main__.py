"""The skspike demo: a full hybrid spiking pipeline on a scikit-learn data set.

``python -m skspike`` (or the ``skspike`` command) trains

    PoissonEncoder -> STDPFeatureExtractor -> NGSNNClassifier   (default)
    PoissonEncoder -> STDPFeatureExtractor -> SNNLZCClassifier  (--classifier snnlzc)

on a stratified 75/25 split of a data set that ships with scikit-learn,
every step on its defaults (only ``random_state`` set), then prints test
accuracy, fit and predict times, the hidden neurons NG-SNN grew, and the
energy per sample on two hardware profiles. In the same run it fits
NGSNNClassifier alone (direct current input, defaults) and says plainly
whether the STDP front end beats it and what the front end changes:
accuracy, spikes per sample, energy.
"""

import argparse
import sys
import time

DATASETS = ("digits", "iris", "wine", "breast_cancer")
HARDWARE = ("loihi", "cmos45_fp32")


def build_pipeline(dataset, classifier, n_features, *, quick=False, random_state=0, verbose=1):
    """The demo Pipeline: the package defaults, only ``random_state`` (and progress bars) set.

    ``PoissonEncoder() -> STDPFeatureExtractor() -> classifier``, the pipeline
    a new user writes; the same for every data set (the STDP layer adds OFF
    channels to the rate code and sizes its epochs, threshold decay and
    synaptic gain from the data, see its docstring).

    Parameters
    ----------
    dataset : {"digits", "iris", "wine", "breast_cancer"}
        Unused (kept for the command line); the defaults do not depend on it.
    classifier : {"ngsnn", "snnlzc"}
    n_features : int
        Number of input features of the data set (unused by the defaults).
    quick : bool, default=False
        SNN-LZC: 5 training epochs instead of 15 (the NG-SNN pipeline is
        the defaults either way).
    random_state : int, default=0
    verbose : int, default=1
        Progress bars of the STDP and classifier steps.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline
        Steps ``"encoder"``, ``"stdp"``, ``"classifier"``.
    """
    from sklearn.pipeline import Pipeline

    from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier
    from skspike.encoding import PoissonEncoder
    from skspike.feature_extraction import STDPFeatureExtractor

    encoder = PoissonEncoder(random_state=random_state)
    stdp = STDPFeatureExtractor(output="counts" if classifier == "ngsnn" else "spikes",
                                random_state=random_state, verbose=verbose)
    if classifier == "ngsnn":
        clf = NGSNNClassifier(random_state=random_state, verbose=verbose)
    else:
        clf = SNNLZCClassifier(
            decision="lzc+rate", encoder=None, max_iter=5 if quick else 15,
            random_state=random_state, verbose=verbose,
        )
    return Pipeline([("encoder", encoder), ("stdp", stdp), ("classifier", clf)])


def _chain(pipeline):
    for _, step in pipeline.steps:
        yield step


def plot_summary(pipeline, X_test, path, image_shape=None):
    """Raster of one encoded test sample, receptive fields and growth curve in one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skspike.plotting import plot_growth_curve, plot_raster, plot_receptive_fields

    stdp, clf = pipeline.named_steps["stdp"], pipeline.named_steps["classifier"]
    encoder = pipeline.named_steps["encoder"]
    has_growth = hasattr(clf, "growth_curve_")
    fig, axes = plt.subplots(1, 3 if has_growth else 2, figsize=(15 if has_growth else 10, 4.5))
    plot_raster(encoder.transform(X_test[:1]), dt=encoder.dt, ax=axes[0], title="encoded test sample")
    weights = stdp.weights_[: stdp.n_in_ // 2] if stdp.off_channels_ else stdp.weights_  # ON channels
    shape = image_shape or (1, weights.shape[0])
    plot_receptive_fields(weights, image_shape=shape, n_max=100, ax=axes[1])
    if has_growth:
        plot_growth_curve(clf, ax=axes[2])
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="skspike", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="digits", choices=DATASETS)
    parser.add_argument("--classifier", default="ngsnn", choices=("ngsnn", "snnlzc"))
    parser.add_argument("--quick", action="store_true", help="SNN-LZC: fewer epochs")
    parser.add_argument("--plot", metavar="FILE.png", help="save raster, receptive fields and growth curve")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    args = parser.parse_args(argv)

    from sklearn import datasets
    from sklearn.model_selection import train_test_split

    from skspike.energy import count_operations, get_hardware_profile

    X, y = getattr(datasets, f"load_{args.dataset}")(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=args.seed)
    pipeline = build_pipeline(args.dataset, args.classifier, X.shape[1], quick=args.quick,
                              random_state=args.seed, verbose=0 if args.no_progress else 1)
    print(f"skspike demo: {args.dataset} ({X.shape[0]} samples, {X.shape[1]} features, "
          f"{len(set(y))} classes); pipeline: "
          + " -> ".join(type(step).__name__ for step in _chain(pipeline)), flush=True)

    t0 = time.perf_counter()
    pipeline.fit(X_train, y_train)
    fit_time = time.perf_counter() - t0
    t0 = time.perf_counter()
    y_pred = pipeline.predict(X_test)
    predict_time = time.perf_counter() - t0
    accuracy = float((y_pred == y_test).mean())

    clf = pipeline.named_steps["classifier"]
    print()
    print(f"test accuracy      {accuracy * 100:.1f} %  ({len(y_test)} test samples)")
    print(f"fit time           {fit_time:.1f} s (numba compilation included on a first run)")
    print(f"predict time       {predict_time:.2f} s ({predict_time / len(y_test) * 1e3:.2f} ms per sample)")
    print(f"STDP neurons       {pipeline.named_steps['stdp'].n_neurons}")
    if hasattr(clf, "n_neurons_"):
        print(f"hidden neurons     {clf.n_neurons_} grown by NG-SNN")
    # count once (this runs the network on the test set), price on every profile
    steps = count_operations(pipeline, X_test, per_step=True).values()
    for hardware in HARDWARE:
        profile = get_hardware_profile(hardware)
        joules = sum(profile.energy(c) for c in steps)
        dense = sum(profile.dense_energy(c) for c in steps)
        print(f"energy ({hardware:11s}) {joules:.3e} J per sample "
              f"(equivalent non-spiking network {dense:.3e} J)")
    # The same split without the spiking front end: NGSNNClassifier alone, defaults.
    from skspike.classifiers import NGSNNClassifier

    t0 = time.perf_counter()
    alone = NGSNNClassifier(random_state=args.seed).fit(X_train, y_train)
    alone_time = time.perf_counter() - t0
    alone_accuracy = float(alone.score(X_test, y_test))
    alone_counts = count_operations(alone, X_test, per_step=True).values()
    stdp = pipeline.named_steps["stdp"]
    test_spikes = pipeline.named_steps["encoder"].transform(X_test)
    stdp_spikes = stdp.count_operations(test_spikes).spikes
    silent = float((stdp.transform(test_spikes).sum(axis=0) == 0).mean())
    loihi = get_hardware_profile(HARDWARE[0])
    front_joules = sum(loihi.energy(c) for c in steps)
    alone_joules = sum(loihi.energy(c) for c in alone_counts)
    diff = (accuracy - alone_accuracy) * 100
    print()
    print(f"NGSNN alone        {alone_accuracy * 100:.1f} % (direct current input, defaults; "
          f"fit {alone_time:.1f} s), {alone_joules:.3e} J per sample on {HARDWARE[0]}")
    answer = "yes" if diff > 0.05 else "no" if diff < -0.05 else "a tie"
    head = {"ngsnn": "NGSNN", "snnlzc": "SNN-LZC"}[args.classifier]
    print(f"STDP + {head} beats NGSNN alone here: {answer} ({accuracy * 100:.1f} % vs "
          f"{alone_accuracy * 100:.1f} %, {diff:+.1f} points)")
    print(f"the front end buys a label-free code: {stdp_spikes:.1f} output spikes per sample "
          f"of {stdp.n_neurons} unsupervised neurons ({silent:.0%} of them silent on the test set), "
          f"graded (read with {stdp._readout_inhibition():g} mV inhibition over {stdp.inference_window} "
          f"windows, see STDPFeatureExtractor); energy {front_joules / alone_joules:.2g}x that of NGSNN alone on "
          f"{HARDWARE[0]} ({'cheaper' if front_joules < alone_joules else 'dearer'}: the STDP layer "
          f"integrates every input spike)")
    if args.plot:
        shape = (8, 8) if args.dataset == "digits" else None
        plot_summary(pipeline, X_test, args.plot, image_shape=shape)
        print(f"figure saved to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
