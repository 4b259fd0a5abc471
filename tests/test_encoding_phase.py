"""PhaseEncoder (skspike/encoding/_phase.py) and phase_kernel."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skspike.encoding import PhaseEncoder

from naive_encoding import phase as naive_phase


def test_matches_naive_reference():
    X = np.random.default_rng(2).random((15, 6))
    X[0, :3] = [0.0, 1.0, 0.5]
    for n_bits, n_steps in [(8, 100), (3, 7), (1, 5), (12, 24)]:
        enc = PhaseEncoder(n_bits, n_steps=n_steps, feature_range=(0, 1)).fit(X)
        np.testing.assert_array_equal(enc.transform(X), naive_phase(X, n_bits, n_steps))


@settings(max_examples=40, deadline=None)
@given(
    X=hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.floats(-50, 50)),
    n_bits=st.integers(1, 16),
    extra=st.integers(0, 40),
)
def test_decode_round_trip_is_exact(X, n_bits, extra):
    enc = PhaseEncoder(n_bits, n_steps=n_bits + extra).fit(X)
    spikes = enc.transform(X)
    decoded = enc.decode(spikes)
    quantised = enc.quantize(X)
    np.testing.assert_array_equal(decoded, quantised)  # exact, not approximate
    x = enc.intensities(X)
    # truncation to n_bits binary digits: error in [0, 2**-n_bits)
    err = x - decoded
    assert np.all(err >= 0)
    assert np.all(err < 2.0**-n_bits + 1e-12)
    np.testing.assert_array_equal(decoded * 2**n_bits, np.floor(decoded * 2**n_bits))


def test_weights_and_spike_count():
    enc = PhaseEncoder(4, n_steps=10, feature_range=(0, 1)).fit([[0.0]])
    np.testing.assert_array_equal(
        enc.step_weights_, [0.5, 0.25, 0.125, 0.0625, 0.5, 0.25, 0.125, 0.0625, 0.5, 0.25]
    )
    spikes = enc.transform([[0.8125]])  # 0.1101 in binary
    np.testing.assert_array_equal(spikes[0, :, 0], [1, 1, 0, 1, 1, 1, 0, 1, 1, 1])
    # the weighted sum over one period is the value
    assert spikes[0, :4, 0] @ enc.step_weights_[:4] == 0.8125
    # saturation: intensity 1 is all ones, 1 - 2**-4
    assert enc.decode(enc.transform([[1.0]]))[0, 0] == 1 - 2**-4


def test_decode_ignores_trailing_partial_period_and_validates():
    enc = PhaseEncoder(3, n_steps=8, feature_range=(0, 1)).fit([[0.0, 1.0]])
    spikes = enc.transform([[0.375, 0.75]])
    np.testing.assert_array_equal(enc.decode(spikes), [[0.375, 0.75]])
    corrupted = spikes.copy()
    corrupted[0, 6:, :] = 1  # partial period: ignored
    np.testing.assert_array_equal(enc.decode(corrupted), [[0.375, 0.75]])
    with pytest.raises(ValueError, match="channels"):
        enc.decode(spikes[:, :, :1])
    with pytest.raises(ValueError, match="fewer than one period"):
        enc.decode(spikes[:, :2])
    with pytest.raises(ValueError, match="binary"):
        enc.decode(spikes * 2)


def test_n_steps_must_cover_one_period():
    with pytest.raises(ValueError, match="shorter than one phase period"):
        PhaseEncoder(8, n_steps=5).fit([[0.0], [1.0]])
