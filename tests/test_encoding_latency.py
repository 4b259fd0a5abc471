"""LatencyEncoder (skspike/encoding/_latency.py) and latency_kernel."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skspike.encoding import LatencyEncoder

from naive_encoding import latency_linear, latency_rc


def _first_spike(spikes):
    """Step of the first spike per (sample, channel), -1 when silent."""
    fired = spikes.any(axis=1)
    return np.where(fired, spikes.argmax(axis=1), -1)


def test_linear_matches_naive_reference():
    X = np.random.default_rng(1).random((30, 6))
    for threshold, n_steps in [(0.0, 100), (0.01, 100), (0.3, 17)]:
        enc = LatencyEncoder(threshold=threshold, n_steps=n_steps, feature_range=(0, 1)).fit(X)
        np.testing.assert_array_equal(enc.transform(X), latency_linear(X, threshold, n_steps))


def test_linear_end_points():
    X = np.array([[1.0, 0.0, 0.5]])
    spikes = LatencyEncoder(threshold=0.0, n_steps=11, feature_range=(0, 1)).fit_transform(X)
    np.testing.assert_array_equal(_first_spike(spikes), [[0, -1, 5]])


@pytest.mark.parametrize("tau", [None, 3.0])
def test_log_matches_simulated_rc_neuron(tau):
    """The closed form equals the step where a simulated RC neuron crosses threshold."""
    X = np.linspace(0.0, 1.0, 41)[None, :]
    enc = LatencyEncoder("log", tau=tau, threshold=0.2, n_steps=20, dt=0.5, feature_range=(0, 1)).fit(X)
    steps = enc.spike_steps(enc.intensities(X))
    simulated = latency_rc(X, 0.2, enc.tau_, 0.5, 20)
    # the closed form and the sub-stepped simulation may straddle a step boundary
    assert np.abs(steps - simulated).max() <= 1
    assert np.mean(steps == simulated) > 0.9
    np.testing.assert_array_equal(_first_spike(enc.transform(X)), steps)


def test_log_auto_tau_uses_the_window():
    theta, n_steps = 0.1, 50
    enc = LatencyEncoder("log", threshold=theta, n_steps=n_steps, feature_range=(0, 1)).fit([[0.0]])
    assert enc.tau_ == pytest.approx((n_steps - 1) / np.log(1 / theta))
    x_last = theta / (1 - theta)  # fires exactly at the end of the window
    x = np.array([[1.0, x_last * 1.001, x_last * 0.99, theta, 0.0]])
    steps = enc.spike_steps(x)[0]
    assert steps[0] == np.floor(enc.tau_ * np.log(1 / (1 - theta)))  # RC time of x = 1
    assert steps[1] in (n_steps - 2, n_steps - 1)
    assert steps[2] == -1 and steps[3] == -1 and steps[4] == -1


def test_log_needs_positive_threshold():
    with pytest.raises(ValueError, match="threshold must be positive with method='log'"):
        LatencyEncoder("log", threshold=0.0).fit([[0.0], [1.0]])
    assert LatencyEncoder("linear", threshold=0.0).fit([[0.0], [1.0]]).tau_ is None


@pytest.mark.parametrize("method", ["linear", "log"])
def test_zero_input_never_spikes_and_at_most_one_spike(method):
    X = np.vstack([np.zeros(4), np.random.default_rng(0).random((50, 4))])
    spikes = LatencyEncoder(method, threshold=0.05, n_steps=30).fit(X).transform(X)
    assert spikes.sum(axis=1).max() <= 1
    assert not spikes[0].any()


@settings(max_examples=40, deadline=None)
@given(
    method=st.sampled_from(["linear", "log"]),
    x=hnp.arrays(np.float64, st.integers(2, 60), elements=st.floats(0, 1)),
    threshold=st.floats(0.001, 0.9),
    n_steps=st.integers(2, 200),
)
def test_order_preserved(method, x, threshold, n_steps):
    """Stronger input never fires later; fired channels outrank silent ones."""
    enc = LatencyEncoder(method, threshold=threshold, n_steps=n_steps, feature_range=(0, 1))
    t = _first_spike(enc.fit_transform(x[None, :]))[0]
    t_eff = np.where(t < 0, n_steps, t)  # silent = later than any step
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(t_eff[order]) <= 0)
    assert np.all(t[x <= threshold] == -1)
    if method == "linear":
        assert np.all(t[x > threshold] >= 0)
        # intensities a step apart get distinct steps
        gap = (1 - threshold) / (n_steps - 1)
        xs = np.sort(x[x > threshold])
        far = np.diff(xs) > 1.01 * gap
        ts = np.sort(t[x > threshold])[::-1]
        assert np.all(np.diff(ts)[far] < 0)
