"""BSAEncoder (skspike/encoding/_bsa.py) and bsa_kernel."""

import numpy as np
import pytest
from scipy.signal import firwin

from skspike.encoding import BSAEncoder

from naive_encoding import bsa as naive_bsa
from naive_encoding import fir_reconstruct


def _smooth_signals(n_samples=5, n_steps=400, seed=0):
    """Sums of two slow sines with random phases and frequencies (cycles/step <= 0.02)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_steps)
    f = rng.uniform(0.002, 0.02, size=(n_samples, 2, 1))
    ph = rng.uniform(0, 2 * np.pi, size=(n_samples, 2, 1))
    a = rng.uniform(0.5, 1.5, size=(n_samples, 2, 1))
    return (a * np.sin(2 * np.pi * f * t + ph)).sum(axis=1) + 3.0


def test_matches_naive_reference():
    X = _smooth_signals(3, 150)
    for n_taps, cutoff, threshold in [(24, 0.1, 0.9), (7, 0.3, 0.5), (1, 0.5, 0.0)]:
        enc = BSAEncoder(n_taps, cutoff=cutoff, threshold=threshold).fit(X)
        spikes = enc.transform(X)
        scaled = (X - enc.data_min_) / enc.scale_
        for s in range(X.shape[0]):
            np.testing.assert_array_equal(spikes[s, :, 0], naive_bsa(scaled[s], enc.filter_, threshold))


def test_filter_is_the_documented_low_pass():
    enc = BSAEncoder(16, cutoff=0.2).fit(np.zeros((1, 30)))
    np.testing.assert_allclose(enc.filter_, firwin(16, 0.2))
    assert enc.filter_.sum() == pytest.approx(1.0)


def test_reconstruction_error_on_smooth_signals():
    """Decode by convolution: RMSE below 4% of the fitted range after the filter warm-up
    (measured: 1.4-3.2% per signal, 2.0% on average)."""
    X = _smooth_signals(8, 400)
    enc = BSAEncoder().fit(X)
    spikes = enc.transform(X)
    X_rec = enc.decode(spikes)
    assert X_rec.shape == X.shape
    warm = enc.n_taps // 2
    fitted_range = enc.data_max_ - enc.data_min_
    rmse = np.sqrt(np.mean((X_rec - X)[:, warm:] ** 2, axis=1))
    assert np.all(rmse < 0.04 * fitted_range), rmse / fitted_range
    assert rmse.mean() < 0.025 * fitted_range
    # a lower bound so the test can fail: the spikes carry the signal, a constant does not
    rmse_const = np.sqrt(np.mean((X - X.mean(axis=1, keepdims=True)) ** 2, axis=1))
    assert np.all(rmse < 0.2 * rmse_const)
    # decode is the plain FIR convolution of the trains, mapped back to input units
    rec0 = fir_reconstruct(spikes[0, :, 0], enc.filter_) * (enc.data_max_ - enc.data_min_) + enc.data_min_
    np.testing.assert_allclose(X_rec[0], rec0)


def test_multichannel_layout_and_per_channel_scaling():
    X = np.stack([_smooth_signals(4, 200, seed=1), 10 * _smooth_signals(4, 200, seed=2) - 50], axis=2)
    enc = BSAEncoder().fit(X)
    assert enc.data_min_.shape == (2,)
    spikes = enc.transform(X)
    assert spikes.shape == (4, 200, 2)
    X_rec = enc.decode(spikes)
    assert X_rec.shape == X.shape
    for c in range(2):
        one = BSAEncoder().fit(X[:, :, c])
        np.testing.assert_array_equal(one.transform(X[:, :, c])[:, :, 0], spikes[:, :, c])
        err = np.abs(X_rec[:, 20:, c] - X[:, 20:, c]).mean() / (X[:, :, c].max() - X[:, :, c].min())
        assert err < 0.05


def test_clipping_and_extremes():
    X = _smooth_signals(2, 120)
    enc = BSAEncoder(feature_range=(X.min(), X.max())).fit(X)
    X_out = X.copy()
    X_out[:, 50:60] = X.max() + 100.0
    clipped = np.clip(X_out, X.min(), X.max())
    np.testing.assert_array_equal(enc.transform(X_out), enc.transform(clipped))
    # the bottom of the range is silence, the top fires (almost) every step
    low = BSAEncoder(feature_range=(0, 1)).fit(np.zeros((1, 100)))
    assert not low.transform(np.zeros((1, 100))).any()
    assert low.transform(np.ones((1, 100)))[0, :, 0].mean() > 0.9


def test_decode_validates_spikes():
    enc = BSAEncoder().fit(_smooth_signals(2, 50))
    with pytest.raises(ValueError, match="channels"):
        enc.decode(np.zeros((2, 50, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="binary"):
        enc.decode(np.full((2, 50, 1), 2))
