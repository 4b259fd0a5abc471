"""PopulationEncoder (skspike/encoding/_population.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skspike.encoding import PoissonEncoder, PopulationEncoder, RateEncoder

from naive_encoding import bohte_fields, population_responses


@pytest.mark.parametrize("n_receptive, beta", [(3, 1.5), (5, 1.5), (8, 2.0)])
def test_fields_follow_bohte_2002(n_receptive, beta):
    enc = PopulationEncoder(n_receptive, beta=beta, feature_range=(0, 1)).fit([[0.0]])
    centers, sigma = bohte_fields(n_receptive, beta)
    np.testing.assert_allclose(enc.centers_, centers)
    assert enc.sigma_ == pytest.approx(sigma)
    # spacing 1/(m-2), outer centres half a spacing outside [0, 1]
    np.testing.assert_allclose(np.diff(enc.centers_), 1 / (n_receptive - 2))
    assert enc.centers_[0] == pytest.approx(-0.5 / (n_receptive - 2))
    X = np.random.default_rng(0).random((10, 3))
    np.testing.assert_allclose(enc.responses(X), population_responses(X, n_receptive, beta))


def test_channel_layout_and_best_field_fires_first():
    m = 6
    X = np.array([[0.0, 0.5], [1.0, 0.25]])
    enc = PopulationEncoder(m, n_steps=50, feature_range=(0, 1)).fit(X)
    spikes = enc.transform(X)
    assert spikes.shape == (2, 50, 2 * m)
    assert enc.n_channels_ == 2 * m
    first = np.where(spikes.any(axis=1), spikes.argmax(axis=1), 999)
    for s in range(2):
        for f in range(2):
            block = first[s, f * m:(f + 1) * m]
            nearest = np.argmin(np.abs(enc.centers_ - X[s, f]))
            assert block.argmin() == nearest  # channel f*m+i is field i of feature f
            assert block.min() == np.rint((1 - enc.responses(X)[s, f * m + nearest]) / 0.9 * 49)
    # only fields with response above min_response fire, once
    r = enc.responses(X)
    np.testing.assert_array_equal(spikes.sum(axis=1), (r > 0.1).astype(np.uint8))


def test_rate_coding_counts_follow_responses():
    X = np.random.default_rng(3).random((8, 2))
    enc = PopulationEncoder(5, coding="rate", max_rate=400, n_steps=40, feature_range=(0, 1)).fit(X)
    r = enc.responses(X)
    r[r <= 0.1] = 0
    expected = np.rint(np.minimum(r * 0.4, 1) * 40)
    np.testing.assert_array_equal(enc.transform(X).sum(axis=1), expected)
    # same kernel as RateEncoder applied to the responses
    ref = RateEncoder(max_rate=400, n_steps=40, feature_range=(0, 1)).fit(r)
    np.testing.assert_array_equal(enc.transform(X), ref.transform(r))


def test_poisson_coding_is_seeded_and_matches_rates():
    # streams are keyed on a row's content: a 1e-12 jitter makes every draw its own row
    X = np.full((3000, 1), 0.5) + 1e-12 * np.arange(3000)[:, None]
    enc = PopulationEncoder(
        3, coding="poisson", max_rate=200, n_steps=50, feature_range=(0, 1), random_state=5
    ).fit(X)
    spikes = enc.transform(X)
    np.testing.assert_array_equal(spikes, enc.transform(X))
    r = enc.responses(X[:1])[0]
    r[r <= 0.1] = 0
    p = np.minimum(r * 0.2, 1)
    sigma = np.sqrt(50 * p * (1 - p) / 3000)
    assert np.all(np.abs(spikes.sum(axis=1).mean(axis=0) - 50 * p) <= 4 * sigma + 1e-12)
    # same draws as PoissonEncoder on the responses with the same seed
    R = enc.responses(X)
    R[R <= 0.1] = 0
    ref = PoissonEncoder(max_rate=200, n_steps=50, feature_range=(0, 1), random_state=5)
    np.testing.assert_array_equal(spikes, ref.fit(R).transform(R))
    # latency and rate codings are deterministic whatever the seed
    a = PopulationEncoder(3, random_state=1).fit_transform(X[:5])
    b = PopulationEncoder(3, random_state=2).fit_transform(X[:5])
    np.testing.assert_array_equal(a, b)


def test_parameter_validation():
    with pytest.raises(ValueError, match="n_receptive"):
        PopulationEncoder(2).fit([[0.0], [1.0]])
    with pytest.raises(ValueError, match="coding"):
        PopulationEncoder(coding="burst").fit([[0.0], [1.0]])


@settings(max_examples=30, deadline=None)
@given(x=st.floats(0, 1), m=st.integers(3, 12), beta=st.floats(0.5, 4))
def test_responses_peak_at_nearest_centre(x, m, beta):
    enc = PopulationEncoder(m, beta=beta, feature_range=(0, 1)).fit([[0.0]])
    r = enc.responses([[x]])[0]
    # far fields underflow to exactly 0 for narrow fields (found: x=0, 12 fields, beta=4)
    assert np.all((r >= 0) & (r <= 1))
    assert r[np.argmin(np.abs(enc.centers_ - x))] == pytest.approx(r.max(), rel=1e-12)
