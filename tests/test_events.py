"""Tests of EventBinner (skspike/encoding/_events.py)."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils import estimator_checks as ec

from skspike._ops import OperationCounts
from skspike.encoding import EventBinner
from skspike.utils._estimator_checks import check_instance

tonic = pytest.importorskip("tonic")

XYTP = np.dtype([("x", np.int64), ("y", np.int64), ("t", np.int64), ("p", np.int64)])
TXP = np.dtype([("t", np.int64), ("x", np.int64), ("p", np.int64)])


def events(rows, dtype=XYTP):
    """Structured events from (x, y, t, p) rows (or (t, x, p) for audio)."""
    return np.array([tuple(r) for r in rows], dtype=dtype)


def naive_bin(stream, sensor_size, n_steps, time_window, *, split, clip, origin=0.0):
    """Obviously-correct reference: one event at a time, no tonic."""
    width, height, n_pol = sensor_size
    n_pol_out = n_pol if split and n_pol > 1 else 1
    counts = np.zeros((n_steps, n_pol_out, height, width), dtype=np.int64)
    names = stream.dtype.names
    for ev in stream:
        x, t = int(ev["x"]), float(ev["t"])
        y = int(ev["y"]) if "y" in names else 0
        p = int(ev["p"]) if n_pol_out > 1 else 0
        step = int(np.floor((t - origin) / time_window))
        if 0 <= step < n_steps:
            counts[step, p, y, x] += 1
    counts = counts.reshape(n_steps, -1)
    return (counts > 0).astype(np.uint8) if clip else np.minimum(counts, 255).astype(np.uint8)


def random_stream(rng, n, sensor=(6, 5, 2), t_max=10_000):
    ev = np.empty(n, dtype=XYTP)
    ev["x"] = rng.integers(0, sensor[0], n)
    ev["y"] = rng.integers(0, sensor[1], n)
    ev["p"] = rng.integers(0, sensor[2], n)
    ev["t"] = np.sort(rng.integers(0, t_max, n))
    return ev


# ------------------------------------------------------------ hand-computed frames


def test_hand_computed_frame_merge_and_split():
    # sensor 3 x 2 (width x height), 2 polarities; steps of 100 us
    ev = events(
        [
            (0, 0, 10, 1),  # step 0, channel y0 x0
            (2, 1, 50, 0),  # step 0, y1 x2
            (2, 1, 99, 1),  # step 0, y1 x2, other polarity
            (1, 0, 100, 0),  # step 1 (boundary belongs to the later step)
            (1, 0, 150, 0),  # step 1, same pixel again
            (0, 1, 250, 1),  # step 2, y1 x0
            (0, 1, 300, 1),  # t = 300 is past the 3-step grid: ignored
        ]
    )
    merge = EventBinner((3, 2, 2), n_steps=3, time_window=100).fit_transform([ev])
    # channel = y * 3 + x
    expected_merge = np.array(
        [
            [1, 0, 0, 0, 0, 1],
            [0, 1, 0, 0, 0, 0],
            [0, 0, 0, 1, 0, 0],
        ],
        dtype=np.uint8,
    )
    np.testing.assert_array_equal(merge[0], expected_merge)
    assert merge.dtype == np.uint8 and merge.shape == (1, 3, 6)

    split = EventBinner((3, 2, 2), n_steps=3, time_window=100, polarity="split", clip=False)
    counts = split.fit_transform([ev])[0]
    # channel = (p * 2 + y) * 3 + x
    expected_split = np.zeros((3, 12), dtype=np.uint8)
    expected_split[0, 6 + 0] = 1  # p1 y0 x0
    expected_split[0, 5] = 1  # p0 y1 x2
    expected_split[0, 6 + 5] = 1  # p1 y1 x2
    expected_split[1, 1] = 2  # p0 y0 x1, twice
    expected_split[2, 6 + 3] = 1  # p1 y1 x0
    np.testing.assert_array_equal(counts, expected_split)
    assert split.n_channels_ == 12
    names = split.get_feature_names_out()
    assert names[0] == "p0_y0_x0" and names[11] == "p1_y1_x2" and len(names) == 12


def test_audio_events_hand_computed():
    # SHD-like stream: fields (t, x, p), p = 1 everywhere, sensor (700, 1, 1)
    ev = events([(0, 3, 1), (999, 3, 1), (1000, 699, 1), (2500, 0, 1)], dtype=TXP)
    binner = EventBinner((700, 1, 1), n_steps=3, time_window=1000, clip=False)
    out = binner.fit_transform([ev])[0]
    expected = np.zeros((3, 700), dtype=np.uint8)
    expected[0, 3] = 2
    expected[1, 699] = 1
    expected[2, 0] = 1
    np.testing.assert_array_equal(out, expected)
    # one-polarity sensor: "split" ignores p just like "merge"
    split = EventBinner((700, 1, 1), n_steps=3, time_window=1000, polarity="split", clip=False)
    np.testing.assert_array_equal(split.fit_transform([ev])[0], expected)
    assert list(binner.get_feature_names_out()[:2]) == ["x0", "x1"]


def test_matches_tonic_toframe_directly():
    rng = np.random.default_rng(0)
    ev = random_stream(rng, 500, sensor=(7, 4, 2))
    binner = EventBinner((7, 4, 2), n_steps=10, time_window=1000, polarity="split", clip=False)
    ours = binner.fit_transform([ev])[0]
    frames = tonic.transforms.ToFrame(
        sensor_size=(7, 4, 2), time_window=1000, start_time=0, end_time=10_000,
        include_incomplete=True,
    )(ev.copy())
    np.testing.assert_array_equal(ours, frames.reshape(10, -1))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(0, 60),
    split=st.booleans(),
    clip=st.booleans(),
    time_window=st.sampled_from([1.0, 7.5, 100.0, 333.0]),
    n_steps=st.integers(1, 12),
)
def test_property_equals_naive_reference(seed, n, split, clip, time_window, n_steps):
    rng = np.random.default_rng(seed)
    sensor = (4, 3, 2)
    ev = random_stream(rng, n, sensor=sensor, t_max=int(time_window * n_steps * 1.3) + 1)
    binner = EventBinner(
        sensor, n_steps=n_steps, time_window=time_window,
        polarity="split" if split else "merge", clip=clip,
    )
    out = binner.fit_transform([ev])[0]
    ref = naive_bin(ev, sensor, n_steps, time_window, split=split, clip=clip)
    np.testing.assert_array_equal(out, ref)
    assert set(np.unique(out)) <= ({0, 1} if clip else set(range(256)))


def test_merge_is_clipped_sum_of_split():
    rng = np.random.default_rng(1)
    X = [random_stream(rng, 300) for _ in range(4)]
    split = EventBinner((6, 5, 2), n_steps=8, time_window=1250, polarity="split", clip=False)
    merge = EventBinner((6, 5, 2), n_steps=8, time_window=1250, clip=False)
    s = split.fit_transform(X).reshape(4, 8, 2, 30).astype(int).sum(axis=2)
    np.testing.assert_array_equal(merge.fit_transform(X), np.minimum(s, 255))


def test_counts_saturate_at_255():
    ev = events([(0, 0, t, 0) for t in range(300)])
    out = EventBinner((1, 1, 2), n_steps=1, time_window=1000, clip=False).fit_transform([ev])
    assert out[0, 0, 0] == 255
    out = EventBinner((1, 1, 2), n_steps=1, time_window=1000).fit_transform([ev])
    assert out[0, 0, 0] == 1


# ------------------------------------------------------------ time grid


def test_learned_time_window_covers_longest_stream():
    a = events([(0, 0, 0, 0), (1, 0, 499, 1)])
    b = events([(1, 1, 100, 0), (0, 1, 999, 0)])
    binner = EventBinner((2, 2, 2), n_steps=4).fit([a, b])
    assert binner.time_window_ == pytest.approx(1000 / 4)  # (max t + 1 us) / n_steps
    assert binner.dt_ == pytest.approx(0.25)
    out = binner.transform([a, b])
    assert out[1, 3, 2] == 1  # last event of the longest stream lands in the last step
    assert out[1].sum() == 2 and out[0].sum() == 2


def test_learned_n_steps_and_truncation_of_longer_streams():
    a = events([(0, 0, 0, 0), (1, 0, 2500, 1)])
    binner = EventBinner((2, 1, 2), time_window=1000).fit([a])
    assert binner.n_steps_ == 3  # ceil((2500 + 1) / 1000)
    longer = events([(0, 0, 100, 0), (1, 0, 5000, 0)])
    out = binner.transform([longer])
    assert out.shape == (1, 3, 2)
    assert out[0].sum() == 1  # the event at 5 ms is past the grid


def test_time_origin_first_is_shift_invariant():
    rng = np.random.default_rng(2)
    ev = random_stream(rng, 200)
    shifted = ev.copy()
    shifted["t"] += 123_456
    first = EventBinner((6, 5, 2), n_steps=5, time_window=2000, time_origin="first")
    np.testing.assert_array_equal(first.fit_transform([ev]), first.transform([shifted]))
    ref = naive_bin(ev, (6, 5, 2), 5, 2000, split=False, clip=True, origin=float(ev["t"][0]))
    np.testing.assert_array_equal(first.transform([ev])[0], ref)
    zero = EventBinner((6, 5, 2), n_steps=5, time_window=2000).fit([ev])
    assert zero.transform([shifted]).sum() == 0  # shifted stream lies past the grid


# ------------------------------------------------------------ awkward input


def test_empty_stream_gives_zero_sample():
    full = events([(0, 0, 10, 1)])
    empty = np.empty(0, dtype=XYTP)
    binner = EventBinner((2, 2, 2), n_steps=2, time_window=100)
    out = binner.fit_transform([empty, full, empty])
    assert out.shape == (3, 2, 4)
    assert out[0].sum() == 0 and out[2].sum() == 0 and out[1].sum() == 1


def test_stream_emptied_by_transforms_gives_zero_sample():
    # Denoise drops isolated events: a single event has no neighbour
    lonely = events([(0, 0, 10, 1)])
    binner = EventBinner(
        (2, 2, 2), n_steps=2, time_window=100,
        transforms=[tonic.transforms.Denoise(filter_time=5)],
    )
    assert binner.fit_transform([lonely]).sum() == 0


def test_learning_from_only_empty_streams_raises():
    empty = np.empty(0, dtype=XYTP)
    with pytest.raises(ValueError, match="no events"):
        EventBinner((2, 2, 2), n_steps=3).fit([empty, empty])
    with pytest.raises(ValueError, match="sensor_size"):
        EventBinner(n_steps=3, time_window=10).fit([empty])


def test_events_outside_sensor_raise_or_drop():
    good = events([(0, 0, 10, 0), (1, 1, 20, 1)])
    bad = events([(0, 0, 10, 0), (5, 1, 20, 1), (1, -1, 30, 0), (1, 1, 40, 1)])
    binner = EventBinner((2, 2, 2), n_steps=1, time_window=100)
    binner.fit([good])
    with pytest.raises(ValueError, match=r"X\[1\] has 2 event\(s\) outside the sensor"):
        binner.transform([good, bad])
    dropper = clone(binner).set_params(outside="drop").fit([good])
    kept = bad[[0, 3]]
    np.testing.assert_array_equal(dropper.transform([bad]), dropper.transform([kept]))


def test_polarity_outside_sensor_only_matters_when_split():
    ev = events([(0, 0, 10, 2)])  # polarity 2 on a 2-polarity sensor
    merge = EventBinner((1, 1, 2), n_steps=1, time_window=100)
    assert merge.fit_transform([ev]).sum() == 1
    split = EventBinner((1, 1, 2), n_steps=1, time_window=100, polarity="split")
    with pytest.raises(ValueError, match="outside the sensor"):
        split.fit_transform([ev])


def test_unsorted_times_are_sorted_and_input_untouched():
    rng = np.random.default_rng(3)
    ev = random_stream(rng, 400)
    shuffled = ev[rng.permutation(len(ev))]
    before = shuffled.copy()
    binner = EventBinner((6, 5, 2), n_steps=7, time_window=1500, polarity="split", clip=False)
    np.testing.assert_array_equal(binner.fit_transform([shuffled]), binner.transform([ev]))
    np.testing.assert_array_equal(shuffled, before)


def test_one_polarity_sensor_does_not_modify_input():
    # tonic's ToFrame sets p = 0 in place on one-polarity sensors; we must not
    ev = events([(0, 3, 1), (5, 2, 1)], dtype=TXP)
    before = ev.copy()
    EventBinner((4, 1, 1), n_steps=1, time_window=10).fit_transform([ev])
    np.testing.assert_array_equal(ev, before)


def test_float_coordinates_are_floored():
    fdt = np.dtype([("x", float), ("y", float), ("t", float), ("p", float)])
    ev = np.array([(1.7, 0.2, 5.0, 1.0)], dtype=fdt)
    out = EventBinner((2, 1, 2), n_steps=1, time_window=10).fit_transform([ev])
    np.testing.assert_array_equal(out[0], [[0, 1]])


def test_learned_sensor_size():
    a = events([(4, 2, 0, 1), (0, 0, 5, 0)])
    b = events([(1, 6, 3, 0)])
    binner = EventBinner(n_steps=2, time_window=5).fit([a, b])
    assert binner.sensor_size_ == (5, 7, 2)
    assert binner.n_channels_ == 35


# ------------------------------------------------------------ tonic transforms


def test_downsample_transform_then_binning():
    rng = np.random.default_rng(4)
    ev = random_stream(rng, 300, sensor=(8, 6, 2))
    binner = EventBinner(
        (4, 3, 2), n_steps=5, time_window=2000, clip=False,
        transforms=[tonic.transforms.Downsample(spatial_factor=0.5)],
    )
    out = binner.fit_transform([ev])
    halved = ev.copy()
    halved["x"] //= 2
    halved["y"] //= 2
    ref = naive_bin(halved, (4, 3, 2), 5, 2000, split=False, clip=False)
    np.testing.assert_array_equal(out[0], ref)


def test_transforms_callable_and_list_agree_and_time_units_follow():
    rng = np.random.default_rng(5)
    ev = random_stream(rng, 200, t_max=10_000)
    to_ms = tonic.transforms.Downsample(time_factor=0.001)
    single = EventBinner((6, 5, 2), n_steps=10, time_window=1.0, transforms=to_ms)
    listed = EventBinner((6, 5, 2), n_steps=10, time_window=1.0, transforms=[to_ms])
    in_us = EventBinner((6, 5, 2), n_steps=10, time_window=1000.0)
    a = single.fit_transform([ev])
    np.testing.assert_array_equal(a, listed.fit_transform([ev]))
    np.testing.assert_array_equal(a, in_us.fit_transform([ev]))


# ------------------------------------------------------------ input validation


@pytest.mark.parametrize(
    "X, exc, match",
    [
        (np.zeros((3, 4)), TypeError, "numeric array"),
        (events([(0, 0, 0, 0)]), TypeError, "wrap it as"),
        ([(events([(0, 0, 0, 0)]), 3)], TypeError, "tuple"),
        ([np.zeros((5, 4))], TypeError, "not a structured event array"),
        ([], ValueError, "0 event streams"),
        ((e for e in [events([(0, 0, 0, 0)])]), TypeError, "sequence"),
        ([np.zeros(2, dtype=[("x", int), ("t", int)])], ValueError, "lacks field"),
        ([np.array([(0, 0, np.nan, 0)], dtype=[("x", int), ("y", int), ("t", float),
                                              ("p", int)])], ValueError, "NaN"),
        ("abc", TypeError, "sequence"),
    ],
)
def test_invalid_input_errors(X, exc, match):
    with pytest.raises(exc, match=match):
        EventBinner((2, 2, 2), n_steps=2, time_window=10).fit(X).transform(X)


def test_missing_y_field_for_2d_sensor():
    ev = events([(0, 1, 1)], dtype=TXP)
    binner = EventBinner((2, 2, 2), n_steps=1, time_window=10).fit([ev])
    with pytest.raises(ValueError, match="needs y"):
        binner.transform([ev])


@pytest.mark.parametrize(
    "params, exc, match",
    [
        ({}, ValueError, "n_steps, time_window or both"),
        ({"sensor_size": (2, 2), "n_steps": 2}, ValueError, "3 positive integers"),
        ({"sensor_size": (2, 0, 2), "n_steps": 2}, ValueError, "3 positive integers"),
        ({"n_steps": 2, "polarity": "both"}, InvalidParameterError, "polarity"),
        ({"n_steps": 0}, InvalidParameterError, "n_steps"),
        ({"time_window": -1.0}, InvalidParameterError, "time_window"),
        ({"n_steps": 2, "batch_size": 0}, InvalidParameterError, "batch_size"),
    ],
)
def test_invalid_params(params, exc, match):
    with pytest.raises(exc, match=match):
        EventBinner(**params).fit([events([(0, 0, 5, 0)])])


# ------------------------------------------------------------ API, batching, counts


def _dataset(n=9, seed=6):
    rng = np.random.default_rng(seed)
    return [random_stream(rng, int(rng.integers(0, 200))) for _ in range(n)]


def test_batch_size_does_not_change_output():
    X = _dataset()
    ref = EventBinner((6, 5, 2), n_steps=6, batch_size=1000).fit_transform(X)
    for batch_size in (1, 2, 4):
        out = EventBinner((6, 5, 2), n_steps=6, batch_size=batch_size).fit_transform(X)
        np.testing.assert_array_equal(out, ref)


def test_list_tuple_object_array_agree_and_order_subset_invariance():
    X = _dataset()
    binner = EventBinner((6, 5, 2), n_steps=6).fit(X)
    ref = binner.transform(X)
    obj = np.empty(len(X), dtype=object)
    obj[:] = X
    np.testing.assert_array_equal(binner.transform(tuple(X)), ref)
    np.testing.assert_array_equal(binner.transform(obj), ref)
    perm = np.random.default_rng(0).permutation(len(X))
    np.testing.assert_array_equal(binner.transform(obj[perm]), ref[perm])
    np.testing.assert_array_equal(binner.transform(obj[2:5]), ref[2:5])


def test_fit_contract_and_pickle():
    X = _dataset()
    binner = EventBinner((6, 5, 2), n_steps=6, transforms=[tonic.transforms.Denoise(1000)])
    params = binner.get_params()
    with pytest.raises(NotFittedError):
        binner.transform(X)
    assert binner.fit(X) is binner
    assert binner.get_params() == params  # fit does not touch parameters
    ref = binner.transform(X)
    np.testing.assert_array_equal(clone(binner).fit_transform(X), ref)
    restored = pickle.loads(pickle.dumps(binner))
    np.testing.assert_array_equal(restored.transform(X), ref)


def sum_over_time(spikes):
    return spikes.sum(axis=1, dtype=np.float64)


def test_pipeline_grid_search_on_event_lists():
    # the class is where the events fall (left or right half of the sensor)
    rng = np.random.default_rng(7)
    X, y = [], np.arange(30) % 2
    for label in y:
        ev = random_stream(rng, 40, sensor=(2, 4, 2))
        ev["x"] += 2 * label
        X.append(ev)
    pipe = Pipeline([
        ("binner", EventBinner((4, 4, 2))),
        ("counts", FunctionTransformer(sum_over_time)),
        ("clf", LogisticRegression()),
    ])
    search = GridSearchCV(pipe, {"binner__n_steps": [2, 5]}, cv=3).fit(X, y)
    assert search.best_score_ == 1.0
    assert search.best_estimator_.named_steps["binner"].n_steps_ in (2, 5)
    assert search.predict(X[:4]).tolist() == y[:4].tolist()


def test_count_operations():
    X = _dataset()
    binner = EventBinner((6, 5, 2), n_steps=6, batch_size=4).fit(X)
    counts = binner.count_operations(X)
    spikes = binner.transform(X)
    assert isinstance(counts, OperationCounts)
    assert counts.spikes == pytest.approx(spikes.sum() / len(X))
    assert counts.n_activations == 6 * 30
    assert counts.synaptic_ops == 0
    assert 0 < counts.activation_sparsity < 1


def test_sklearn_tags_declare_non_array_input():
    tags = EventBinner(n_steps=3).__sklearn_tags__()
    assert tags.input_tags.two_d_array is False
    assert tags.transformer_tags is not None
    assert tags.non_deterministic is False
    assert EventBinner(n_steps=3, transforms=[tonic.transforms.Denoise(10)]).__sklearn_tags__(
    ).non_deterministic


# sklearn's checks that do not generate numeric 2-D data apply unchanged.
API_CHECKS = [
    ec.check_estimator_cloneable,
    ec.check_estimator_repr,
    ec.check_no_attributes_set_in_init,
    ec.check_do_not_raise_errors_in_init_or_set_params,
    ec.check_parameters_default_constructible,
    ec.check_mixin_order,
    ec.check_valid_tag_types,
    ec.check_estimator_tags_renamed,
    ec.check_get_params_invariance,
    ec.check_set_params,
]


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_api_checks(check):
    check("EventBinner", check_instance(EventBinner))


def test_docstring_examples_run():
    import doctest

    import skspike.encoding._events as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
