"""Tests of skspike.complexity: LZ76 complexity and LZCTransformer."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from naive_complexity import lz76_by_definition, lz76_kaspar_schuster
from skspike._ops import OperationCounts
from skspike.complexity import LZCTransformer, lempel_ziv_complexity

antropy = pytest.importorskip("antropy")

binary_arrays = hnp.arrays(
    np.uint8, st.integers(1, 300), elements=st.integers(0, 1)
)


def _random_binary(rng, n_seq, n_steps, p):
    return (rng.random((n_seq, n_steps)) < p).astype(np.uint8)


def _markov(rng, n_seq, n_steps, p_flip):
    flips = rng.random((n_seq, n_steps)) < p_flip
    flips[:, 0] = rng.random(n_seq) < 0.5
    return (np.cumsum(flips, axis=1) % 2).astype(np.uint8)


def _structured(rng, n_steps):
    """Periodic, bursty, sparse and self-similar sequences of length n_steps."""
    seqs = []
    for period in (1, 2, 3, 5, 8, 13):
        block = (rng.random(period) < 0.5).astype(np.uint8)
        seqs.append(np.tile(block, n_steps // period + 1)[:n_steps])
    sparse = np.zeros(n_steps, dtype=np.uint8)
    sparse[rng.integers(0, n_steps, 3)] = 1
    seqs.append(sparse)
    thue_morse = np.array([bin(i).count("1") % 2 for i in range(n_steps)], dtype=np.uint8)
    seqs.append(thue_morse)
    fib = "0"
    prev = "1"
    while len(fib) < n_steps:
        fib, prev = fib + prev, fib
    seqs.append(np.frombuffer(fib[:n_steps].encode(), dtype=np.uint8) - 48)
    seqs.extend(_markov(rng, 4, n_steps, 0.05))
    return np.array(seqs, dtype=np.uint8)


# ---------------------------------------------------------------- agreement


@pytest.mark.parametrize("normalize", [False, True])
def test_equals_antropy_on_random_sequences(normalize):
    rng = np.random.default_rng(0)
    n_checked = 0
    for n_steps in list(range(2, 41)) + [64, 100, 257, 1000]:
        for p in (0.05, 0.3, 0.5, 0.9):
            X = _random_binary(rng, 25, n_steps, p)
            ours = lempel_ziv_complexity(X, normalize=normalize)
            ref = [antropy.lziv_complexity(row.astype(np.int64), normalize=normalize) for row in X]
            # normalised values are computed as antropy does: equal to the bit
            np.testing.assert_array_equal(ours, ref)
            n_checked += len(X)
    assert n_checked > 4000


@pytest.mark.parametrize("normalize", [False, True])
def test_equals_antropy_on_structured_sequences(normalize):
    rng = np.random.default_rng(1)
    for n_steps in (2, 3, 7, 16, 50, 99, 500, 2000):
        X = _structured(rng, n_steps)
        X = np.concatenate([X, _markov(rng, 100, n_steps, 0.02), _markov(rng, 100, n_steps, 0.3)])
        ours = lempel_ziv_complexity(X, normalize=normalize)
        ref = [antropy.lziv_complexity(row.astype(np.int64), normalize=normalize) for row in X]
        np.testing.assert_array_equal(ours, ref)
        for row, value in zip(X[:20], ours[:20]):  # 1-D path agrees too
            assert lempel_ziv_complexity(row, normalize=normalize) == value


def test_equals_literal_kaspar_schuster_and_definition():
    rng = np.random.default_rng(2)
    X = np.concatenate([_random_binary(rng, 300, 60, 0.5), _markov(rng, 300, 60, 0.1)])
    counts = lempel_ziv_complexity(X, normalize=False)
    assert counts.tolist() == [lz76_kaspar_schuster(row) for row in X]
    assert counts[:100].tolist() == [lz76_by_definition(row) for row in X[:100]]


def test_bitset_and_automaton_parsers_agree():
    """The LZ76 parsers (bit-parallel in registers and on arrays, suffix automaton) give the same counts."""
    from numba import njit

    from skspike.complexity import _kernels as K

    @njit
    def both(x):
        n = x.shape[0]
        nxt = np.empty(4 * n + 2, dtype=np.int32)
        link = np.empty(2 * n + 1, dtype=np.int32)
        length = np.empty(2 * n + 1, dtype=np.int32)
        words = np.empty((3, max(n // 64 + 2, 4)), dtype=np.uint64)
        a = K._lz76_count(x, n, nxt, link, length)
        b = K._lz76_count_bits(x, n, words[0], words[1], words[2])
        if n <= K.REGISTER_MAX_STEPS:  # the four-register parser of short trains
            c = K.lz76_words(words[0], n) if K._seq_to_words(x, n, words[0]) else -1
            if c != b:
                return a, c
        return a, b

    rng = np.random.default_rng(5)
    for n_steps in (1, 2, 63, 64, 65, 127, 128, 129, 200, 255, 256, 257, 1023, 1024, 1025):
        X = np.concatenate([_random_binary(rng, 20, n_steps, 0.04), _random_binary(rng, 20, n_steps, 0.5),
                            _markov(rng, 10, n_steps, 0.05)])
        half = X[0, : (n_steps + 1) // 2]
        X = np.vstack([X, np.r_[half, half][:n_steps]])  # a long copy: many words of candidates
        for row in X:
            a, b = both(row)
            assert a == b, (n_steps, a, b)
    assert both(np.array([0, 2, 1], dtype=np.uint8)) == (-1, -1)


# ------------------------------------------------------------- known values


def test_known_values():
    # Lempel & Ziv's example 0.001.10.100.1000.101 and antropy's docstring string
    assert lempel_ziv_complexity("0001101001000101", normalize=False) == 6
    assert lempel_ziv_complexity("1001111011000010", normalize=False) == 6
    assert lempel_ziv_complexity("1001111011000010") == 1.5
    assert lempel_ziv_complexity([1, 0] * 5, normalize=False) == 3
    assert lempel_ziv_complexity([1], normalize=False) == 1
    assert lempel_ziv_complexity([1]) == 0.0
    for n in (2, 3, 10, 1000):
        assert lempel_ziv_complexity(np.zeros(n), normalize=False) == 2
        assert lempel_ziv_complexity(np.ones(n)) == pytest.approx(2 * math.log2(n) / n, rel=1e-14)
    # a period-p string costs at most its first period plus one copy phrase
    rng = np.random.default_rng(3)
    block = (rng.random(10) < 0.5).astype(np.uint8)
    assert lempel_ziv_complexity(np.tile(block, 100), normalize=False) <= 10 + 1


def test_random_strings_normalised_near_one():
    rng = np.random.default_rng(4)
    values = lempel_ziv_complexity(_random_binary(rng, 20, 20000, 0.5))
    # c(n) -> n / log2(n) for a fair coin; at n = 2e4 finite-size bias is a few %
    assert 0.95 < values.mean() < 1.08
    assert values.min() > 0.9
    biased = lempel_ziv_complexity(_random_binary(rng, 20, 20000, 0.05))
    entropy = -(0.05 * np.log2(0.05) + 0.95 * np.log2(0.95))
    assert abs(biased.mean() - entropy) < 0.1  # normalised LZC estimates entropy rate


# ------------------------------------------------------------------ layouts


def test_spike_array_is_per_channel_and_batches_follow_last_axis():
    rng = np.random.default_rng(5)
    spikes = (rng.random((7, 80, 3)) < 0.3).astype(np.uint8)
    lzc = lempel_ziv_complexity(spikes)
    assert lzc.shape == (7, 3) and lzc.dtype == np.float64
    for s in range(7):
        for c in range(3):
            assert lzc[s, c] == lempel_ziv_complexity(spikes[s, :, c])
    last = lempel_ziv_complexity(spikes, normalize=False, axis=-1)
    assert last.shape == (7, 80) and last.dtype == np.int64
    assert last[2, 5] == lempel_ziv_complexity(spikes[2, 5], normalize=False)
    four_d = rng.integers(0, 2, (2, 3, 4, 30))
    assert lempel_ziv_complexity(four_d).shape == (2, 3, 4)
    np.testing.assert_array_equal(
        lempel_ziv_complexity(four_d, axis=2), lempel_ziv_complexity(np.swapaxes(four_d, 2, 3))
    )


def test_dtypes_and_non_contiguous_input():
    rng = np.random.default_rng(6)
    spikes = (rng.random((4, 60, 5)) < 0.5).astype(np.uint8)
    ref = lempel_ziv_complexity(spikes)
    for arr in (spikes.astype(bool), spikes.astype(np.float32), spikes.astype(np.int64),
                np.asfortranarray(spikes)):
        np.testing.assert_array_equal(lempel_ziv_complexity(arr), ref)
    view = spikes[:, ::2, 1:4]
    np.testing.assert_array_equal(
        lempel_ziv_complexity(view), lempel_ziv_complexity(np.ascontiguousarray(view))
    )
    as_list = spikes[0, :, 0].tolist()
    assert lempel_ziv_complexity(as_list) == ref[0, 0]
    assert lempel_ziv_complexity("".join(map(str, as_list))) == ref[0, 0]


def test_input_not_modified():
    x = np.array([[0.0, 1.0, 1.0, 0.0]] * 3)
    copy = x.copy()
    lempel_ziv_complexity(x)
    np.testing.assert_array_equal(x, copy)


@pytest.mark.parametrize(
    "x, match",
    [
        ([0, 1, 2], "binary"),
        (np.array([0, 1, 0], dtype=np.uint8) * 3, "binary"),
        (np.array([[0, 1, 0], [1, 1, 2]], dtype=np.uint8), "binary"),
        (np.full((2, 5, 3), 7, dtype=np.uint8), "binary"),
        ([0.0, 0.5, 1.0], "binary"),
        ([0.0, np.nan, 1.0], "NaN"),
        ([], "no time steps"),
        (np.zeros((3, 0)), "no time steps"),
        (np.zeros((0, 5)), "empty"),
        (1, "scalar"),
        ("01a", "'0' and '1'"),
        (np.array(["0", "1"]), "dtype"),
    ],
)
def test_errors(x, match):
    with pytest.raises(ValueError, match=match):
        lempel_ziv_complexity(x)


def test_argument_errors():
    with pytest.raises(ValueError, match="out of bounds"):
        lempel_ziv_complexity(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis"):
        lempel_ziv_complexity(np.zeros((2, 3)), axis=1.0)
    with pytest.raises(TypeError, match="normalize"):
        lempel_ziv_complexity([0, 1], normalize="yes")


# --------------------------------------------------------------- properties


def _max_distinct_words(n):
    """Most distinct non-empty binary words whose lengths sum to at most n."""
    count, k = 0, 1
    while True:
        take = min(2**k, n // k)
        count += take
        n -= take * k
        if take < 2**k:
            return count
        k += 1


def test_max_distinct_words_bound_is_tight_enough():
    assert [_max_distinct_words(n) for n in (1, 2, 6, 10)] == [1, 2, 4, 6]
    # exhaustive over all strings of 12 steps: the bound holds and is nearly reached
    idx = np.arange(2**12)
    X = ((idx[:, None] >> np.arange(12)) & 1).astype(np.uint8)
    assert lempel_ziv_complexity(X, normalize=False).max() == 6 <= _max_distinct_words(12) + 1


@settings(max_examples=150, deadline=None)
@given(binary_arrays)
def test_property_bounds_and_reference(x):
    c = lempel_ziv_complexity(x, normalize=False)
    n = len(x)
    assert 1 <= c <= n
    assert c == lz76_kaspar_schuster(x)
    # all phrases but the last are distinct words, which caps c near n / log2 n
    assert c <= _max_distinct_words(n) + 1
    expected = 0.0 if n == 1 else c / (n / math.log(n, 2))
    assert lempel_ziv_complexity(x) == expected


@settings(max_examples=150, deadline=None)
@given(binary_arrays)
def test_property_symbol_swap_invariance(x):
    assert lempel_ziv_complexity(x, False) == lempel_ziv_complexity(1 - x, False)


@settings(max_examples=100, deadline=None)
@given(binary_arrays, st.integers(0, 300))
def test_property_prefix_monotone(x, cut):
    cut = min(max(cut, 1), len(x))
    assert lempel_ziv_complexity(x[:cut], False) <= lempel_ziv_complexity(x, False)


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.uint8, st.tuples(st.integers(1, 6), st.integers(1, 40), st.integers(1, 4)),
                  elements=st.integers(0, 1)))
def test_property_batch_equals_loop(spikes):
    batch = lempel_ziv_complexity(spikes, normalize=False)
    loop = [[lempel_ziv_complexity(spikes[s, :, c], normalize=False)
             for c in range(spikes.shape[2])] for s in range(spikes.shape[0])]
    np.testing.assert_array_equal(batch, loop)


@settings(max_examples=50, deadline=None)
@given(binary_arrays)
def test_property_constant_string(x):
    const = np.full(len(x), x[0])
    assert lempel_ziv_complexity(const, False) == min(len(x), 2)


def test_thread_count_does_not_change_result():
    numba = pytest.importorskip("numba")
    rng = np.random.default_rng(7)
    spikes = (rng.random((40, 200, 3)) < 0.4).astype(np.uint8)
    rows = spikes[:, :, 0]
    ref = lempel_ziv_complexity(spikes), lempel_ziv_complexity(rows)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        np.testing.assert_array_equal(lempel_ziv_complexity(spikes), ref[0])
        np.testing.assert_array_equal(lempel_ziv_complexity(rows), ref[1])
    finally:
        numba.set_num_threads(before)


# ----------------------------------------------------------- LZCTransformer


def test_transformer_spikes_rows_and_static():
    from skspike.encoding import PoissonEncoder

    rng = np.random.default_rng(0)
    spikes = (rng.random((6, 50, 3)) < 0.3).astype(np.uint8)
    lzt = LZCTransformer()
    feats = lzt.fit_transform(spikes)
    assert feats.shape == (6, 3) and feats.dtype == np.float64
    np.testing.assert_array_equal(feats, lempel_ziv_complexity(spikes))
    assert lzt.input_kind_ == "spikes" and lzt.n_features_in_ == 3 and lzt.n_steps_in_ == 50
    assert list(lzt.get_feature_names_out()) == ["lzctransformer0", "lzctransformer1",
                                                 "lzctransformer2"]
    rows = LZCTransformer(normalize=False).fit(spikes[:, :, 0]).transform(spikes[:, :, 0])
    assert rows.shape == (6, 1)
    np.testing.assert_array_equal(rows[:, 0], lempel_ziv_complexity(spikes[:, :, 0], False))
    enc = PoissonEncoder(max_rate=300, n_steps=40, random_state=0)
    X = rng.random((5, 4))
    lzt = LZCTransformer(encoder=enc).fit(X)
    np.testing.assert_array_equal(lzt.transform(X), lempel_ziv_complexity(enc.fit_transform(X)))
    assert lzt.n_channels_ == 4


def test_transformer_errors():
    rng = np.random.default_rng(0)
    spikes = (rng.random((6, 50, 3)) < 0.3).astype(np.uint8)
    lzt = LZCTransformer().fit(spikes)
    with pytest.raises(ValueError, match="channels"):
        lzt.transform(spikes[:, :, :2])
    with pytest.raises(ValueError, match="time steps"):
        lzt.transform(spikes[:, :40])
    with pytest.raises(ValueError, match="NaN"):
        lzt.transform(np.where(spikes == 1, np.nan, 0.0))
    with pytest.raises(ValueError, match="fitted on .*spike trains; got static 2-D data"):
        lzt.transform(spikes[:, :, 0])
    rows = LZCTransformer().fit(spikes[:, :, 0])
    with pytest.raises(ValueError, match="fitted on"):
        rows.transform(spikes)


def test_transformer_pickle_and_count_operations():
    from skspike.encoding import PoissonEncoder

    rng = np.random.default_rng(0)
    spikes = (rng.random((6, 50, 3)) < 0.3).astype(np.uint8)
    lzt = LZCTransformer().fit(spikes)
    clone = pickle.loads(pickle.dumps(lzt))
    np.testing.assert_array_equal(clone.transform(spikes), lzt.transform(spikes))
    ops = lzt.count_operations(spikes)
    assert isinstance(ops, OperationCounts)
    assert ops.synaptic_ops == 0 and ops.spikes == 0 and ops.footprint_bytes == 150
    enc = PoissonEncoder(max_rate=300, n_steps=40, random_state=0)
    X = rng.random((5, 4))
    lzt = LZCTransformer(encoder=enc).fit(X)
    enc_ops = lzt.encoder_.count_operations(X)
    ops = lzt.count_operations(X)
    assert ops.spikes == enc_ops.spikes > 0 and ops.synaptic_ops == enc_ops.synaptic_ops


def _naive_binarise(series, rule):
    """Per sample and channel: 1 where the series exceeds its median/mean/level."""
    out = np.empty(series.shape, dtype=np.uint8)
    for s in range(series.shape[0]):
        for c in range(series.shape[2]):
            x = series[s, :, c]
            if np.all((x == 0) | (x == 1)):
                out[s, :, c] = x
                continue
            level = {"median": np.median, "mean": np.mean}.get(rule, lambda v: rule)(x)
            out[s, :, c] = [1 if v > level else 0 for v in x]
    return out


@pytest.mark.parametrize("rule", ["median", "mean", 0.25])
def test_transformer_binarises_continuous_series(rule):
    rng = np.random.default_rng(1)
    series = rng.normal(size=(7, 40, 3)).cumsum(axis=1)
    series[2, :, 1] = (rng.random(40) < 0.8)  # a binary channel stays as it is
    lzt = LZCTransformer(normalize=False, threshold=rule)
    got = lzt.fit_transform(series)
    expected = LZCTransformer(normalize=False).fit_transform(_naive_binarise(series, rule))
    np.testing.assert_array_equal(got, expected)
    # per-sample thresholds: a sample's features do not depend on the batch
    np.testing.assert_array_equal(lzt.transform(series[3:4]), got[3:4])
    # 2-D rows are single-channel series, binarised the same way
    rows = LZCTransformer(normalize=False, threshold=rule).fit_transform(series[:, :, 0])
    np.testing.assert_array_equal(rows[:, 0], got[:, 0])


def test_transformer_binary_input_unchanged_and_median_separates():
    rng = np.random.default_rng(2)
    spikes = (rng.random((5, 64, 2)) < 0.7).astype(np.uint8)  # median 1: thresholding would erase it
    np.testing.assert_array_equal(
        LZCTransformer().fit_transform(spikes),
        LZCTransformer().fit_transform(spikes.astype(np.float64)),
    )
    t = np.arange(256)
    periodic = np.sin(2 * np.pi * t / 16.0)
    noise = rng.normal(size=256)
    feats = LZCTransformer().fit_transform(np.stack([periodic, noise]))
    assert feats[0, 0] < 0.3 < 0.8 < feats[1, 0]
