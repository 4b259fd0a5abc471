"""Tests of skspike.complexity: LZ76 complexity and LZCTransformer."""

import numpy as np
import pytest

from skspike.complexity import lempel_ziv_complexity

antropy = pytest.importorskip("antropy")


def _random_binary(rng, n_seq, n_steps, p):
    return (rng.random((n_seq, n_steps)) < p).astype(np.uint8)


@pytest.mark.parametrize("normalize", [False, True])
def test_matches_antropy_random(normalize):
    rng = np.random.default_rng(0)
    for n_steps in list(range(2, 41)) + [64, 100, 257, 1000]:
        for p in (0.05, 0.3, 0.5, 0.9):
            X = _random_binary(rng, 25, n_steps, p)
            ours = lempel_ziv_complexity(X, normalize=normalize)
            ref = [antropy.lziv_complexity(row.astype(np.int64), normalize=normalize) for row in X]
            np.testing.assert_array_equal(ours, ref)


def test_known_values():
    assert lempel_ziv_complexity("1001111011000010", normalize=False) == 6
    assert lempel_ziv_complexity([1, 0] * 5, normalize=False) == 3
    assert lempel_ziv_complexity(np.zeros(100), normalize=False) == 2
    assert lempel_ziv_complexity([1], normalize=False) == 1
    assert lempel_ziv_complexity([1]) == 0.0


def test_transformer_spikes_and_static():
    from skspike.complexity import LZCTransformer
    from skspike.encoding import PoissonEncoder

    rng = np.random.default_rng(0)
    spikes = (rng.random((6, 50, 3)) < 0.3).astype(np.uint8)
    feats = LZCTransformer().fit_transform(spikes)
    assert feats.shape == (6, 3) and feats.dtype == np.float64
    np.testing.assert_array_equal(feats, lempel_ziv_complexity(spikes))
    rows = LZCTransformer(normalize=False).fit(spikes[:, :, 0]).transform(spikes[:, :, 0])
    np.testing.assert_array_equal(rows[:, 0], lempel_ziv_complexity(spikes[:, :, 0], False))
    enc = PoissonEncoder(max_rate=300, n_steps=40, random_state=0)
    X = rng.random((5, 4))
    lzt = LZCTransformer(encoder=enc).fit(X)
    np.testing.assert_array_equal(lzt.transform(X), lempel_ziv_complexity(enc.fit_transform(X)))
