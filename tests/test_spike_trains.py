"""Tests of skspike.datasets.make_spike_trains."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from naive_complexity import markov_stationary_stats
from skspike.complexity import LZCTransformer
from skspike.datasets import make_spike_trains


@pytest.mark.parametrize("process", ["poisson", "bernoulli", "markov", "gamma", "sync"])
def test_shape_dtype_balance_and_seed(process):
    X, y = make_spike_trains(31, 40, 5, n_classes=3, process=process, random_state=1)
    assert X.shape == (31, 40, 5) and X.dtype == np.uint8 and y.dtype == np.int64
    assert set(np.unique(X)) <= {0, 1}
    assert sorted(np.bincount(y).tolist()) == [10, 10, 11]
    X2, y2 = make_spike_trains(31, 40, 5, n_classes=3, process=process, random_state=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make_spike_trains(31, 40, 5, n_classes=3, process=process, random_state=2)
    assert not np.array_equal(X, X3)


def test_shuffle_false_gives_class_blocks_and_shuffle_permutes_them():
    X, y = make_spike_trains(12, 30, 2, n_classes=3, shuffle=False, random_state=0)
    assert y.tolist() == [0] * 4 + [1] * 4 + [2] * 4
    Xs, ys = make_spike_trains(12, 30, 2, n_classes=3, shuffle=True, random_state=0)
    assert not np.array_equal(ys, y)
    # same trains, other order: every shuffled sample is one of the unshuffled ones
    for xs, label in zip(Xs, ys):
        assert any(np.array_equal(xs, x) and label == lab for x, lab in zip(X, y))


def test_random_state_instance_and_thread_count():
    numba = pytest.importorskip("numba")
    ref = make_spike_trains(20, 50, 4, process="markov", random_state=3)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        again = make_spike_trains(20, 50, 4, process="markov", random_state=3)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(ref[0], again[0])
    rng = np.random.RandomState(0)
    first = make_spike_trains(10, 20, 2, random_state=rng)[0]
    second = make_spike_trains(10, 20, 2, random_state=rng)[0]
    assert not np.array_equal(first, second)


@pytest.mark.parametrize(
    "process, expected",
    [("poisson", -np.expm1(-np.array([20.0, 80.0]) * 2 / 1000)),
     ("bernoulli", np.array([20.0, 80.0]) * 2 / 1000)],
)
def test_rates_give_spike_probability(process, expected):
    X, y = make_spike_trains(400, 500, 10, process=process, rates=[20, 80], dt=2.0,
                             random_state=0)
    for k in range(2):
        p_hat = X[y == k].mean()
        # binomial standard error of 1e6 draws is below 4e-4
        assert abs(p_hat - expected[k]) < 2e-3


def test_default_rates_and_poisson_classes_separable_by_counts():
    X, y = make_spike_trains(200, 100, 10, random_state=0)
    rates = [X[y == k].mean() * 1000 for k in range(2)]
    assert rates[0] == pytest.approx(20, rel=0.1) and rates[1] == pytest.approx(60, rel=0.1)
    counts = X.sum(axis=1)
    model = make_pipeline(StandardScaler(), LogisticRegression())
    assert cross_val_score(model, counts, y, cv=5).mean() > 0.98


def test_markov_equal_rate_and_burstiness():
    burst = [-0.1, 0.0, 0.5, 0.8]
    X, y = make_spike_trains(800, 400, 5, n_classes=4, process="markov", rates=150,
                             burstiness=burst, random_state=0)
    p_hat, lam_hat = markov_stationary_stats(X)
    for k, lam in enumerate(burst):
        assert p_hat[y == k].mean() == pytest.approx(0.15, abs=0.01)
        assert lam_hat[y == k].mean() == pytest.approx(lam, abs=0.03)
    # a zero burstiness is the Bernoulli process: its lag-1 correlation is null
    assert abs(lam_hat[y == 1].mean()) < 0.02


def test_markov_lzc_separates_equal_rate_classes_counts_do_not():
    X, y = make_spike_trains(300, 100, 10, process="markov", random_state=0)
    assert abs(X[y == 0].mean() - X[y == 1].mean()) < 0.01  # same mean rate
    count_model = make_pipeline(
        FunctionTransformer(lambda s: s.sum(axis=1).astype(float)), StandardScaler(),
        LogisticRegression())
    lzc_model = make_pipeline(LZCTransformer(), StandardScaler(), LogisticRegression())
    acc_counts = cross_val_score(count_model, X, y, cv=5).mean()
    acc_lzc = cross_val_score(lzc_model, X, y, cv=5).mean()
    assert acc_counts < 0.65  # chance level is 0.5
    assert acc_lzc > 0.95
    # bursty class has lower complexity
    lzc = LZCTransformer().fit_transform(X).mean(axis=1)
    assert lzc[y == 1].mean() < lzc[y == 0].mean()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(process="poisson", burstiness=0.5), "only used by process='markov'"),
        (dict(process="bernoulli", rates=[100, 2000]), "at most 1"),
        (dict(process="markov", rates=900, burstiness=[0.0, -0.5]), "burstiness of class 1"),
        (dict(process="markov", burstiness=[0.0, 1.0]), "burstiness"),
        (dict(rates=[10, 20, 30]), "one value per class"),
        (dict(rates=[10, np.nan]), "NaN"),
        (dict(n_classes=11, n_samples=10), "larger than n_samples"),
        (dict(process="bogus"), "process"),
        (dict(process="poisson", shape=2.0), "only used by process='gamma'"),
        (dict(process="markov", correlation=0.2), "only used by process='sync'"),
        (dict(process="gamma", shape=[1.0, -1.0]), "shape"),
        (dict(process="sync", correlation=[0.0, 1.5]), "correlation"),
        (dict(process="sync", rates=200, correlation=[0.0, 0.1]), "below the spike probability"),
        (dict(process="sync", rates=2000, dt=1.0), "at most 1"),
        (dict(n_steps=0), "n_steps"),
        (dict(rates=-1.0), "rates"),
    ],
)
def test_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_spike_trains(**{"n_samples": 10, "random_state": 0, **kwargs})


def test_gamma_equal_rate_and_interval_cv():
    """Renewal trains: the rate is 1 / mean interval, the ISI CV is 1 / sqrt(k)."""
    shapes = [0.5, 1.0, 4.0, 16.0]
    X, y = make_spike_trains(n_samples=80, n_steps=4000, n_channels=4, n_classes=4, process="gamma",
                             rates=20.0, dt=0.1, shape=shapes, random_state=0)
    for k, shape in enumerate(shapes):
        trains = X[y == k]
        rate = trains.mean() * 1000.0 / 0.1
        assert rate == pytest.approx(20.0, rel=0.06), (shape, rate)
        isi = np.concatenate([np.diff(np.flatnonzero(tr)) for s in trains for tr in s.T])
        cv = isi.std() / isi.mean()
        assert cv == pytest.approx(1.0 / np.sqrt(shape), rel=0.08), (shape, cv)


def test_sync_rate_and_shared_spikes_analytic():
    """Multiple-interaction process: P(spike) = p, P(two channels share a spike) = p c."""
    p, corr = 0.05, [0.0, 0.3, 0.6]
    X, y = make_spike_trains(n_samples=300, n_steps=500, n_channels=6, n_classes=3, process="sync",
                             rates=p * 1000.0, correlation=corr, random_state=1)
    for k, c in enumerate(corr):
        trains = X[y == k].astype(np.float64)
        assert trains.mean() == pytest.approx(p, rel=0.03)
        both = (trains[:, :, 0] * trains[:, :, 1]).mean()
        expected = p * p if c == 0 else p * c
        assert both == pytest.approx(expected, rel=0.1), (c, both)


def test_gamma_and_sync_classes_not_separable_by_counts():
    for process in ("gamma", "sync"):
        X, y = make_spike_trains(n_samples=300, n_steps=200, n_channels=10, n_classes=3,
                                 process=process, random_state=0)
        totals = X.sum(axis=(1, 2))
        means = [totals[y == k].mean() for k in range(3)]
        assert np.ptp(means) < 0.05 * np.mean(means), (process, means)
