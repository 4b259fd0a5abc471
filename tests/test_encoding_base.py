"""Behaviour shared by every encoder (skspike/encoding/_base.py).

Shape/dtype/binary output, bad input, input left unchanged, seeding,
clipping, operation counts and hypothesis property tests, over all static
and time-series encoders.
"""

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skspike.encoding import (
    BSAEncoder,
    DeltaEncoder,
    LatencyEncoder,
    PhaseEncoder,
    PoissonEncoder,
    PopulationEncoder,
    RateEncoder,
)
from skspike.encoding._base import BaseEncoder, BaseTimeSeriesEncoder

N_STEPS = 16

STATIC = {
    "poisson": lambda: PoissonEncoder(max_rate=300.0, n_steps=N_STEPS, random_state=0),
    "rate": lambda: RateEncoder(max_rate=300.0, n_steps=N_STEPS),
    "latency-linear": lambda: LatencyEncoder(n_steps=N_STEPS),
    "latency-log": lambda: LatencyEncoder("log", threshold=0.1, n_steps=N_STEPS),
    "phase": lambda: PhaseEncoder(n_bits=4, n_steps=N_STEPS),
    "population-latency": lambda: PopulationEncoder(3, n_steps=N_STEPS),
    "population-rate": lambda: PopulationEncoder(4, coding="rate", max_rate=300.0, n_steps=N_STEPS),
    "population-poisson": lambda: PopulationEncoder(
        4, coding="poisson", max_rate=300.0, n_steps=N_STEPS, random_state=0
    ),
}
SERIES = {
    "delta": lambda: DeltaEncoder(threshold=0.2),
    "bsa": lambda: BSAEncoder(n_taps=6),
}
STOCHASTIC = ["poisson", "population-poisson"]
CHANNELS_PER_FEATURE = {"population-latency": 3, "population-rate": 4, "population-poisson": 4}


def _channels(name, n_features):
    if name in SERIES:
        return n_features * (2 if name == "delta" else 1)
    return n_features * CHANNELS_PER_FEATURE.get(name, 1)


def _static_X(n_samples=7, n_features=5, seed=0):
    return np.random.default_rng(seed).normal(size=(n_samples, n_features))


def _series_X(shape=(4, 30, 3), seed=0):
    return np.cumsum(np.random.default_rng(seed).normal(scale=0.3, size=shape), axis=1)


def _assert_spikes(spikes, shape):
    assert isinstance(spikes, np.ndarray)
    assert spikes.dtype == np.uint8
    assert spikes.shape == shape
    assert spikes.flags.c_contiguous
    assert np.isin(spikes, (0, 1)).all()


def test_encoders_use_their_base():
    for make in STATIC.values():
        assert isinstance(make(), BaseEncoder)
    for make in SERIES.values():
        assert isinstance(make(), BaseTimeSeriesEncoder)


@pytest.mark.parametrize("name", list(STATIC))
def test_static_output_shape_dtype_binary(name):
    X = _static_X()
    enc = STATIC[name]().fit(X)
    spikes = enc.transform(X)
    _assert_spikes(spikes, (7, N_STEPS, _channels(name, 5)))
    assert enc.n_channels_ == spikes.shape[2]
    assert enc.n_features_in_ == 5
    assert spikes.any()  # something fires on varied input
    np.testing.assert_array_equal(spikes, STATIC[name]().fit_transform(X))


@pytest.mark.parametrize("name", list(SERIES))
def test_series_output_shape_dtype_binary(name):
    X3 = _series_X((4, 30, 3))
    enc = SERIES[name]().fit(X3)
    spikes = enc.transform(X3)
    _assert_spikes(spikes, (4, 30, _channels(name, 3)))
    assert spikes.any()
    assert (enc.n_steps_in_, enc.n_channels_in_, enc.n_features_in_) == (30, 3, 3)

    X2 = X3[:, :, 0]
    enc2 = SERIES[name]().fit(X2)
    spikes2 = enc2.transform(X2)
    _assert_spikes(spikes2, (4, 30, _channels(name, 1)))
    # a 2-D series is one channel: n_features_in_ counts its columns (steps)
    assert (enc2.n_steps_in_, enc2.n_channels_in_, enc2.n_features_in_) == (30, 1, 30)
    # 2-D and single-channel 3-D are interchangeable at transform
    np.testing.assert_array_equal(enc2.transform(X2[:, :, None]), spikes2)


# --- bad input -------------------------------------------------------------------------


def _bad_static_inputs():
    X = _static_X()
    nan = X.copy()
    nan[2, 3] = np.nan
    inf = X.copy()
    inf[0, 0] = np.inf
    return [
        ("nan", nan, "NaN"),
        ("inf", inf, "infinity"),
        ("1-D", X[0], "1D array"),
        ("4-D", X.reshape(7, 5, 1, 1), "dim 4"),
        ("zero samples", X[:0], "0 sample"),
    ]


@pytest.mark.parametrize("name", list(STATIC))
@pytest.mark.parametrize("case, X_bad, match", _bad_static_inputs(), ids=lambda v: v if isinstance(v, str) else "")
def test_static_bad_input_raises(name, case, X_bad, match):
    with pytest.raises(ValueError, match=match):
        STATIC[name]().fit(X_bad)
    enc = STATIC[name]().fit(_static_X())
    with pytest.raises(ValueError, match=match):
        enc.transform(X_bad)


@pytest.mark.parametrize("name", list(STATIC))
def test_static_feature_count_mismatch(name):
    enc = STATIC[name]().fit(_static_X(n_features=5))
    with pytest.raises(ValueError, match="X has 3 features, but .* is expecting 5 features"):
        enc.transform(_static_X(n_features=3))


def _bad_series_inputs():
    X = _series_X((4, 30, 3))
    nan = X.copy()
    nan[1, 5, 2] = np.nan
    inf = X.copy()
    inf[0, 0, 0] = -np.inf
    return [
        ("nan", nan, "NaN"),
        ("inf", inf, "infinity"),
        ("nan 2-D", nan[:, :, 2], "NaN"),
        ("1-D", X[0, :, 0], "got a 1-D array"),
        ("4-D", X[..., None], "got a 4-D array"),
        ("zero samples", X[:0], "0 sample"),
        ("zero samples 2-D", X[:0, :, 0], "0 sample"),
        ("zero steps", X[:, :0], "no time steps"),
    ]


@pytest.mark.parametrize("name", list(SERIES))
@pytest.mark.parametrize("case, X_bad, match", _bad_series_inputs(), ids=lambda v: v if isinstance(v, str) else "")
def test_series_bad_input_raises(name, case, X_bad, match):
    with pytest.raises(ValueError, match=match):
        SERIES[name]().fit(X_bad)
    enc = SERIES[name]().fit(_series_X((4, 30, 3)))
    with pytest.raises(ValueError, match=match):
        enc.transform(X_bad)


@pytest.mark.parametrize("name", list(SERIES))
def test_series_layout_mismatch(name):
    enc = SERIES[name]().fit(_series_X((4, 30, 3)))
    with pytest.raises(ValueError, match="X has 2 channels, but .* is expecting 3 channels"):
        enc.transform(_series_X((4, 30, 2)))
    with pytest.raises(ValueError, match="X has 20 time steps, .* fitted on series of 30 steps"):
        enc.transform(_series_X((4, 20, 3)))
    with pytest.raises(ValueError, match="X has 1 channels, but .* is expecting 3"):
        enc.transform(_series_X((4, 30, 3))[:, :, 0])
    enc2 = SERIES[name]().fit(_series_X((4, 30, 1))[:, :, 0])
    with pytest.raises(ValueError, match="X has 20 features, but .* is expecting 30 features"):
        enc2.transform(_series_X((4, 20, 1))[:, :, 0])
    with pytest.raises(ValueError, match="X has 20 time steps"):
        enc2.transform(_series_X((4, 20, 1)))


@pytest.mark.parametrize("name", list(STATIC) + list(SERIES))
def test_transform_leaves_input_unchanged(name):
    X = _series_X((3, 25, 2)) if name in SERIES else _static_X()
    enc = (SERIES.get(name) or STATIC[name])().fit(X)
    before = X.copy()
    enc.transform(X)
    np.testing.assert_array_equal(X, before)
    X.flags.writeable = False  # read-only input must work too
    enc.transform(X)


@pytest.mark.parametrize("name", list(STATIC) + list(SERIES))
def test_unfitted_transform_raises(name):
    from sklearn.exceptions import NotFittedError

    X = _series_X((3, 25, 2)) if name in SERIES else _static_X()
    with pytest.raises(NotFittedError):
        (SERIES.get(name) or STATIC[name])().transform(X)


# --- seeding ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", STOCHASTIC)
def test_same_random_state_same_spikes(name):
    X = _static_X(20, 6)
    a = STATIC[name]().set_params(random_state=42).fit_transform(X)
    b = STATIC[name]().set_params(random_state=42).fit_transform(X)
    np.testing.assert_array_equal(a, b)
    c = STATIC[name]().set_params(random_state=43).fit_transform(X)
    assert not np.array_equal(a, c)
    # an int seed gives the same spikes at every call; None gives fresh ones
    enc = STATIC[name]().set_params(random_state=42).fit(X)
    np.testing.assert_array_equal(enc.transform(X), enc.transform(X))
    enc.set_params(random_state=None)
    assert not np.array_equal(enc.transform(X), enc.transform(X))
    # a RandomState instance advances (scikit-learn semantics)
    enc.set_params(random_state=np.random.RandomState(0))
    assert not np.array_equal(enc.transform(X), enc.transform(X))


@pytest.mark.parametrize("name", STOCHASTIC)
def test_spikes_do_not_depend_on_thread_count(name):
    X = _static_X(50, 8)
    enc = STATIC[name]().fit(X)
    n_threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        serial = enc.transform(X)
    finally:
        numba.set_num_threads(n_threads)
    np.testing.assert_array_equal(serial, enc.transform(X))


# --- scaling and clipping --------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in STATIC if n not in STOCHASTIC])
def test_values_outside_fitted_range_are_clipped(name):
    X = _static_X(10, 4)
    enc = STATIC[name]().fit(X)
    X_wide = X * 5.0 + 1.0
    clipped = np.clip(X_wide, enc.data_min_, enc.data_max_)
    np.testing.assert_array_equal(enc.transform(X_wide), enc.transform(clipped))
    assert enc.intensities(X_wide).min() >= 0.0 and enc.intensities(X_wide).max() <= 1.0


def test_feature_range_fixed_and_validated():
    X = np.array([[0.2, 5.0], [0.4, 7.0]])
    enc = RateEncoder(max_rate=1000, n_steps=10, feature_range=(0, 10)).fit(X)
    np.testing.assert_array_equal(enc.data_min_, [0.0, 0.0])
    np.testing.assert_array_equal(enc.data_max_, [10.0, 10.0])
    np.testing.assert_allclose(enc.intensities(X), X / 10)
    for bad in [(1, 1), (2, 0), (0, np.nan), (0, 1, 2)]:
        with pytest.raises(ValueError, match="feature_range"):
            RateEncoder(feature_range=bad).fit(X)


def test_constant_feature_maps_to_zero_intensity():
    X = np.column_stack([np.full(5, 3.0), np.linspace(0, 1, 5)])
    enc = PoissonEncoder(max_rate=1000, n_steps=10, random_state=0).fit(X)
    np.testing.assert_array_equal(enc.intensities(X)[:, 0], 0.0)
    assert enc.transform(X)[:, :, 0].sum() == 0


# --- operation counts and names --------------------------------------------------------


@pytest.mark.parametrize("name", list(STATIC) + list(SERIES))
def test_count_operations_reports_spikes_and_slots(name):
    X = _series_X((3, 25, 2)) if name in SERIES else _static_X()
    enc = (SERIES.get(name) or STATIC[name])().fit(X)
    spikes = enc.transform(X)
    ops = enc.count_operations(X)
    assert ops.spikes == pytest.approx(spikes.sum() / spikes.shape[0])
    assert ops.n_activations == spikes.shape[1] * spikes.shape[2]
    assert ops.synaptic_ops == 0.0
    assert 0.0 <= ops.activation_sparsity <= 1.0
    names = enc.get_feature_names_out()
    assert names.dtype == object and len(names) == enc.n_channels_ == spikes.shape[2]
    assert len(set(names)) == len(names)


# --- property tests --------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(list(STATIC)),
    X=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=6), elements=finite),
    n_steps=st.integers(4, 24),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_static_encoders(name, X, n_steps, seed):
    enc = STATIC[name]().set_params(n_steps=n_steps)
    if name in STOCHASTIC:
        enc.set_params(random_state=seed)
    X_before = X.copy()
    spikes = enc.fit(X).transform(X)
    _assert_spikes(spikes, (X.shape[0], n_steps, _channels(name, X.shape[1])))
    np.testing.assert_array_equal(X, X_before)
    # rate codes never exceed one spike per step; latency codes one spike per channel
    if name.startswith("latency") or name == "population-latency":
        assert spikes.sum(axis=1).max(initial=0) <= 1
    # clipping: values beyond the fitted range encode like the range ends
    X_out = np.concatenate([X + 1e7, X - 1e7])
    ends = np.concatenate([np.broadcast_to(enc.data_max_, X.shape), np.broadcast_to(enc.data_min_, X.shape)])
    if name not in STOCHASTIC:
        np.testing.assert_array_equal(enc.transform(X_out), enc.transform(ends))


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(list(SERIES)),
    X=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 40), st.integers(1, 3)),
        elements=st.floats(-100, 100, allow_nan=False),
    ),
    two_d=st.booleans(),
)
def test_property_series_encoders(name, X, two_d):
    if two_d:
        X = X[:, :, 0]
    X_before = X.copy()
    enc = SERIES[name]().fit(X)
    spikes = enc.transform(X)
    n_channels = 1 if two_d else X.shape[2]
    _assert_spikes(spikes, (X.shape[0], X.shape[1], _channels(name, n_channels)))
    np.testing.assert_array_equal(X, X_before)
    if name == "delta":
        # never ON and OFF in the same step; step 0 never spikes
        assert not (spikes[:, :, 0::2] & spikes[:, :, 1::2]).any()
        assert not spikes[:, 0].any()


# --- docstring examples ----------------------------------------------------------------


@pytest.mark.parametrize(
    "module", ["_base", "_poisson", "_rate", "_latency", "_phase", "_population", "_delta", "_bsa"]
)
def test_docstring_examples_run(module):
    import doctest
    import importlib

    mod = importlib.import_module(f"skspike.encoding.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    if module not in ("_base",):
        assert result.attempted > 0
