"""PoissonEncoder (skspike/encoding/_poisson.py) and its kernel."""

import numpy as np
import pytest

from skspike.encoding import PoissonEncoder
from skspike.encoding._kernels import poisson_kernel


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


def test_spikes_are_uniform_over_steps_and_independent_across_channels():
    n_draws, n_steps, p = 4000, 50, 0.2
    prob = np.full((n_draws, 2), p) + 1e-15 * np.arange(n_draws)[:, None]  # distinct rows
    spikes = poisson_kernel(prob, n_steps, 7)
    per_step = spikes[:, :, 0].mean(axis=0)
    sigma = np.sqrt(p * (1 - p) / n_draws)
    assert np.all(np.abs(per_step - p) < 5 * sigma)
    # the two channels share 64-bit draws: their spikes must still be uncorrelated
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
    assert spikes.shape[1] == 200
    # a feature at its maximum fires about 0.4 * 200 = 80 times in the window
    top = spikes[X.argmax(axis=0), :, np.arange(3)].sum(axis=1, dtype=np.int64)
    assert np.all(np.abs(top - 80) < 4 * np.sqrt(200 * 0.4 * 0.6))
