"""PoissonEncoder (skspike/encoding/_poisson.py) and its kernel."""

import numpy as np
import pytest

from scipy import stats

from skspike.encoding import PoissonEncoder
from skspike.encoding._kernels import (
    _COMPARE_MIN_P,
    events_from_spikes,
    poisson_events,
    poisson_kernel,
)

import naive_encoding as naive

# one probability each side of the generator's switch between geometric gaps
# and threshold compares, so that both ways of drawing are checked
BOTH_WAYS = [0.3 * _COMPARE_MIN_P, 0.02, 3.0 * _COMPARE_MIN_P]


@pytest.mark.parametrize("max_rate, dt", [(20.0, 1.0), (100.0, 1.0), (250.0, 0.5)])
def test_mean_count_matches_rate_times_duration(max_rate, dt):
    """10k draws: mean spike count within 4 sigma of rate * duration."""
    n_draws, n_steps = 10_000, 100
    intensities = np.array([0.1, 0.5, 1.0])
    # streams are keyed on a row's content: a 1e-12 jitter makes every draw its own row
    X = np.tile(intensities, (n_draws, 1)) - 1e-12 * np.arange(n_draws)[:, None]
    enc = PoissonEncoder(max_rate=max_rate, n_steps=n_steps, dt=dt, feature_range=(0, 1), random_state=0)
    counts = enc.fit_transform(X).sum(axis=1, dtype=np.int64)  # (n_draws, 3)
    rate = intensities * max_rate  # Hz
    duration = n_steps * dt / 1000.0  # s
    expected = rate * duration
    p = rate * dt / 1000.0
    sigma_of_mean = np.sqrt(n_steps * p * (1 - p) / n_draws)
    assert np.all(np.abs(counts.mean(axis=0) - expected) < 4 * sigma_of_mean), (
        counts.mean(axis=0), expected, sigma_of_mean)
    # the count variance is binomial (independent steps), not sub- or over-dispersed
    np.testing.assert_allclose(counts.var(axis=0), n_steps * p * (1 - p), rtol=0.1)


@pytest.mark.parametrize("p", BOTH_WAYS)
def test_spikes_are_uniform_over_steps_and_independent_across_channels(p):
    n_draws, n_steps = 4000, 50
    prob = np.full((n_draws, 2), p) + 1e-15 * np.arange(n_draws)[:, None]  # distinct rows
    spikes = poisson_kernel(prob, n_steps, 7)
    per_step = spikes[:, :, 0].mean(axis=0)
    sigma = np.sqrt(p * (1 - p) / n_draws)
    assert np.all(np.abs(per_step - p) < 5 * sigma)
    # the channels' streams start from one key: their spikes must still be uncorrelated
    corr = np.corrcoef(spikes[:, :, 0].ravel(), spikes[:, :, 1].ravel())[0, 1]
    assert abs(corr) < 5 / np.sqrt(n_draws * n_steps)
    # and consecutive steps too
    a = spikes[:, :-1, 0].ravel().astype(float)
    b = spikes[:, 1:, 0].ravel().astype(float)
    assert abs(np.corrcoef(a, b)[0, 1]) < 5 / np.sqrt(a.size)


def test_probability_edges():
    prob = np.array([[0.0, 1.0, 0.0, 1.0, 1.0]])  # odd channel count exercises the tail
    spikes = poisson_kernel(prob, 200, 3)
    np.testing.assert_array_equal(spikes.sum(axis=1)[0], [0, 200, 0, 200, 200])


def test_rate_saturates_at_one_spike_per_step():
    X = np.array([[0.0], [1.0]])
    enc = PoissonEncoder(max_rate=5000.0, n_steps=30, random_state=0).fit(X)
    np.testing.assert_allclose(enc.spike_probability(enc.intensities(X)), [[0.0], [1.0]])
    assert enc.transform(X)[1].sum() == 30


def test_docstring_example_row_is_silent_at_zero():
    X = np.array([[0.0, 1.0], [1.0, 0.0]])
    spikes = PoissonEncoder(max_rate=500, n_steps=20, random_state=0).fit_transform(X)
    assert spikes[0, :, 0].sum() == 0 and spikes[1, :, 1].sum() == 0
    assert spikes[0, :, 1].sum() > 0 and spikes[1, :, 0].sum() > 0


def test_a_sample_gets_the_same_spikes_in_any_batch():
    rng = np.random.RandomState(0)
    X = rng.rand(40, 6)
    enc = PoissonEncoder(random_state=3).fit(X)
    full = enc.transform(X)
    for i in (0, 17, 39):
        np.testing.assert_array_equal(enc.transform(X[i:i + 1])[0], full[i])
    order = rng.permutation(40)
    np.testing.assert_array_equal(enc.transform(X[order]), full[order])
    # identical rows share their stream; the seed changes every stream
    np.testing.assert_array_equal(enc.transform(X[[5, 5]])[1], full[5])
    other = PoissonEncoder(random_state=4).fit(X).transform(X)
    assert not np.array_equal(other, full)
    # the kernel's keying matches the reference hash of the float64 bit patterns
    from skspike.encoding._kernels import row_key

    prob = np.ascontiguousarray(enc.spike_probability(enc.intensities(X)))
    assert row_key(prob[3].view(np.uint64)) != row_key(prob[4].view(np.uint64))


def test_defaults_give_enough_spikes():
    X = np.random.RandomState(0).rand(200, 3)
    spikes = PoissonEncoder(random_state=0).fit_transform(X)
    assert spikes.shape[1] == 400
    # a feature at its maximum fires about 0.4 * 400 = 160 times in the window
    top = spikes[X.argmax(axis=0), :, np.arange(3)].sum(axis=1, dtype=np.int64)
    assert np.all(np.abs(top - 160) < 4 * np.sqrt(400 * 0.4 * 0.6))


def _binned_chisquare(observed_values, pmf, n_max):
    """p-value of a chi-square test of integer samples against ``pmf(k)``, k = 0..n_max.

    Bins are merged from both tails until each expects at least 5 samples.
    """
    n = observed_values.size
    expected = n * pmf(np.arange(n_max + 1))
    expected[-1] += n - expected.sum()  # the tail beyond n_max
    observed = np.bincount(np.minimum(observed_values, n_max), minlength=n_max + 1).astype(float)
    obs_bins, exp_bins, o, e = [], [], 0.0, 0.0
    for k in range(n_max + 1):
        o, e = o + observed[k], e + expected[k]
        if e >= 5.0:
            obs_bins.append(o)
            exp_bins.append(e)
            o, e = 0.0, 0.0
    obs_bins[-1] += o
    exp_bins[-1] += e
    return stats.chisquare(obs_bins, exp_bins).pvalue


@pytest.mark.parametrize("p", BOTH_WAYS)
def test_counts_per_channel_follow_the_binomial(p):
    """Spike counts of 4000 trains x 8 channels against Binomial(n_steps, p) (chi-square)."""
    n_draws, n_steps = 4000, 60
    prob = np.full((n_draws, 8), p) + 1e-15 * np.arange(n_draws)[:, None]  # distinct rows
    counts = poisson_kernel(prob, n_steps, 5).sum(axis=1, dtype=np.int64)
    # a correct generator fails this at the 1e-4 level with probability 1e-4
    for c in range(8):
        assert _binned_chisquare(counts[:, c], lambda k: stats.binom.pmf(k, n_steps, p),
                                 n_steps) > 1e-4
    assert _binned_chisquare(counts.ravel(), lambda k: stats.binom.pmf(k, n_steps, p), n_steps) > 1e-4


@pytest.mark.parametrize("p", BOTH_WAYS)
def test_gaps_between_spikes_are_geometric(p):
    """Silent steps between consecutive spikes: P(g) = (1 - p)**g p (chi-square)."""
    n_draws, n_steps = 200, 1000
    prob = np.full((n_draws, 4), p) + 1e-15 * np.arange(n_draws)[:, None]
    spikes = poisson_kernel(prob, n_steps, 9)
    gaps = []
    for train in spikes.transpose(0, 2, 1).reshape(-1, n_steps):
        gaps.append(np.diff(np.flatnonzero(train)) - 1)
    gaps = np.concatenate(gaps)
    assert gaps.size > 5000
    assert _binned_chisquare(gaps, lambda g: stats.geom.pmf(g + 1, p), 400) > 1e-4


def test_kernel_equals_the_naive_stream_layout():
    """Bit-exact against the Python reference of the documented stream layout."""
    rng = np.random.RandomState(0)
    prob = rng.rand(5, 7) * 3.0 * _COMPARE_MIN_P
    prob[0, :4] = [0.0, 1.0, 1e-300, _COMPARE_MIN_P]
    for n_steps in (1, 2, 31, 60):
        np.testing.assert_array_equal(poisson_kernel(prob, n_steps, 11),
                                      naive.poisson(prob, n_steps, 11, _COMPARE_MIN_P))


def test_a_longer_train_extends_a_shorter_one():
    prob = np.random.RandomState(1).rand(6, 9) * 0.4
    long = poisson_kernel(prob, 101, 2)
    for n_steps in (1, 36, 37, 100):
        np.testing.assert_array_equal(poisson_kernel(prob, n_steps, 2), long[:, :n_steps])


def test_event_form_holds_the_dense_spikes():
    """poisson_events (the fused STDP input) lists exactly the spikes poisson_kernel writes."""
    from numba import njit

    from skspike._numba._random import stream_seed
    from skspike.encoding._kernels import row_key

    @njit
    def events_of(prob, seed, n_steps, step_ptr, ev_idx, ev_step, ev_chan):
        key = stream_seed(seed, row_key(prob.view(np.uint64)))
        return poisson_events(prob, key, n_steps, step_ptr, ev_idx, ev_step, ev_chan)

    prob = np.random.RandomState(3).rand(4, 50) * 0.3
    prob[0, :3] = [0.0, 1.0, 1e-300]
    n_steps = 45
    dense = poisson_kernel(prob, n_steps, 8)
    cap = n_steps * prob.shape[1]
    for s in range(prob.shape[0]):
        step_ptr = np.empty(n_steps + 1, dtype=np.int64)
        ev_idx, ev_step, ev_chan = (np.empty(cap, dtype=np.int32) for _ in range(3))
        n = events_of(np.ascontiguousarray(prob[s]), 8, n_steps, step_ptr, ev_idx, ev_step, ev_chan)
        ref_ptr = np.empty(n_steps + 1, dtype=np.int64)
        ref_idx = np.empty(cap, dtype=np.int32)
        events_from_spikes(dense[s], ref_ptr, ref_idx)
        assert n == dense[s].sum() == ref_ptr[-1]
        np.testing.assert_array_equal(step_ptr, ref_ptr)
        np.testing.assert_array_equal(ev_idx[:n], ref_idx[:n])


def test_same_spikes_whatever_the_thread_count():
    import numba

    X = np.random.RandomState(0).rand(64, 30)
    enc = PoissonEncoder(max_rate=150.0, n_steps=40, random_state=1).fit(X)
    full = enc.transform(X)
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        np.testing.assert_array_equal(enc.transform(X), full)
    finally:
        numba.set_num_threads(threads)
