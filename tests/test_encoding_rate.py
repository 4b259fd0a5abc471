"""RateEncoder (skspike/encoding/_rate.py) and rate_kernel."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skspike.encoding import RateEncoder
from skspike.encoding._kernels import rate_kernel

from naive_encoding import rate as naive_rate


def test_matches_naive_reference():
    rng = np.random.default_rng(0)
    X = rng.random((20, 7))
    for max_rate, dt, n_steps in [(100.0, 1.0, 100), (333.0, 0.7, 37), (5000.0, 1.0, 10)]:
        enc = RateEncoder(max_rate=max_rate, n_steps=n_steps, dt=dt, feature_range=(0, 1)).fit(X)
        np.testing.assert_array_equal(enc.transform(X), naive_rate(X, max_rate, dt, n_steps))


@settings(max_examples=40, deadline=None)
@given(n_steps=st.integers(1, 300), data=st.data())
def test_count_exact_and_evenly_spaced(n_steps, data):
    count = data.draw(st.integers(0, n_steps))
    train = rate_kernel(np.array([[count]], dtype=np.int64), n_steps)[0, :, 0]
    assert train.sum() == count
    if count >= 2:
        isi = np.diff(np.flatnonzero(train))
        # intervals differ by at most one step and average n_steps / count
        assert isi.max() - isi.min() <= 1
        assert isi.min() >= n_steps // count
        assert isi.max() <= -(-n_steps // count)


def test_count_is_rounded_rate_times_duration():
    X = np.linspace(0, 1, 11)[:, None]
    enc = RateEncoder(max_rate=200.0, n_steps=50, dt=2.0, feature_range=(0, 1)).fit(X)
    counts = enc.transform(X).sum(axis=1)[:, 0]
    expected = np.rint(np.minimum(X[:, 0] * 200.0 * 2.0 / 1000, 1) * 50)  # rate * duration
    np.testing.assert_array_equal(counts, expected)
    np.testing.assert_array_equal(enc.spike_counts(enc.intensities(X))[:, 0], expected)
    assert np.all(np.diff(counts) >= 0)  # monotone in the intensity


def test_deterministic_and_saturating():
    X = np.array([[1.0], [0.0]])
    enc = RateEncoder(max_rate=1e6, n_steps=12).fit(X)
    spikes = enc.transform(X)
    assert spikes[0].all() and not spikes[1].any()
    np.testing.assert_array_equal(spikes, enc.transform(X))


def test_weak_input_spikes_mid_window():
    # one spike over the window sits in the middle, not at the end
    train = rate_kernel(np.array([[1]], dtype=np.int64), 21)[0, :, 0]
    assert np.flatnonzero(train).tolist() == [10]
