"""DeltaEncoder (skspike/encoding/_delta.py) and delta_kernel."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skspike.encoding import DeltaEncoder

from naive_encoding import delta as naive_delta


def test_matches_naive_reference():
    X = np.cumsum(np.random.default_rng(4).normal(size=(6, 80, 3)), axis=1)
    for threshold in [0.0, 0.5, 2.0]:
        spikes = DeltaEncoder(threshold=threshold).fit_transform(X)
        np.testing.assert_array_equal(spikes, naive_delta(X, threshold))


def test_ramp_spikes_once_per_threshold_of_change():
    # a ramp rising by 0.03 per step; threshold 0.1: the reference follows the
    # signal, so an ON spike every 4th step (0.12 > 0.1), never OFF
    X = (0.03 * np.arange(101))[None, :]
    spikes = DeltaEncoder(threshold=0.1).fit_transform(X)[0]
    np.testing.assert_array_equal(np.flatnonzero(spikes[:, 0]), np.arange(4, 101, 4))
    assert not spikes[:, 1].any()
    # reversed: the same as OFF spikes
    spikes_down = DeltaEncoder(threshold=0.1).fit_transform(X[:, ::-1])[0]
    np.testing.assert_array_equal(spikes_down[:, ::-1], spikes)


def test_step_signal_one_spike_per_jump_and_channel_layout():
    X = np.zeros((1, 10, 2))
    X[0, 3:, 0] = 5.0  # channel 0 jumps up at step 3
    X[0, 6:, 1] = -5.0  # channel 1 jumps down at step 6
    enc = DeltaEncoder(threshold=1.0).fit(X)
    spikes = enc.transform(X)[0]
    assert spikes.shape == (10, 4)
    np.testing.assert_array_equal(np.flatnonzero(spikes[:, 0]), [3])  # channel 0 ON
    assert not spikes[:, 1].any()  # channel 0 OFF
    assert not spikes[:, 2].any()  # channel 1 ON
    np.testing.assert_array_equal(np.flatnonzero(spikes[:, 3]), [6])  # channel 1 OFF
    np.testing.assert_array_equal(
        enc.get_feature_names_out(),
        ["deltaencoder0_on", "deltaencoder0_off", "deltaencoder1_on", "deltaencoder1_off"],
    )


def test_strictly_more_than_threshold():
    X = np.array([[0.0, 0.5, 0.0, 0.5]])
    assert not DeltaEncoder(threshold=0.5).fit_transform(X).any()
    spikes = DeltaEncoder(threshold=0.49).fit_transform(X)[0]
    np.testing.assert_array_equal(spikes, [[0, 0], [1, 0], [0, 1], [1, 0]])


@settings(max_examples=30, deadline=None)
@given(
    X=hnp.arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(2, 50)), elements=st.floats(-10, 10)),
    offset=st.floats(-100, 100),
    threshold=st.floats(0.01, 3),
)
def test_offset_invariance_and_tracking(X, offset, threshold):
    enc = DeltaEncoder(threshold=threshold)
    spikes = enc.fit_transform(X)
    # shifting the whole series changes nothing (up to rounding of the shifted values)
    X_shift = X + offset
    # (compared only when no pair of values differs by almost exactly threshold,
    # where the rounding of X + offset may flip a comparison)
    diffs = np.abs(X[:, :, None] - X[:, None, :])
    if np.all(np.abs(diffs - threshold) > 1e-9 * (1 + abs(offset))):
        np.testing.assert_array_equal(DeltaEncoder(threshold=threshold).fit_transform(X_shift), spikes)
    # the level rebuilt from the spikes' signs tracks the series within threshold
    # whenever the reference is reset by a spike at every crossing
    on, off = spikes[:, :, 0], spikes[:, :, 1]
    assert not (on & off).any()
    ref = np.array(X[:, 0])
    for t in range(1, X.shape[1]):
        fired = (on[:, t] | off[:, t]).astype(bool)
        assert np.all(np.abs(X[fired, t] - ref[fired]) > threshold)
        assert np.all(np.abs(X[~fired, t] - ref[~fired]) <= threshold)
        up = X[fired, t] > ref[fired]
        np.testing.assert_array_equal(on[fired, t].astype(bool), up)
        ref[fired] = X[fired, t]


def test_threshold_validation():
    with pytest.raises(ValueError, match="threshold"):
        DeltaEncoder(threshold=-1.0).fit(np.zeros((2, 5)))
