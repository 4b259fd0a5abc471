"""Issue 15: defaults that compose (one time base, learning defaults, batch invariance).

The quality numbers use a stratified 75/25 split of scikit-learn's digits
(seed 0) and only ``random_state`` set, as a new user would write them.
"""

import inspect
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skspike import encoding
from skspike.classifiers import NGSNNClassifier
from skspike.complexity import LZCTransformer
from skspike.feature_extraction import STDPFeatureExtractor
from skspike.utils.discovery import all_estimators

STATIC_ENCODERS = ["PoissonEncoder", "RateEncoder", "LatencyEncoder", "PhaseEncoder", "PopulationEncoder"]


def _seeded(cls, seed=0):
    if "random_state" in inspect.signature(cls).parameters:
        return cls(random_state=seed)
    return cls()


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


def test_one_time_base_for_every_estimator():
    """Every estimator with a step interprets it the same way by default: 1 ms."""
    with_dt = {name: cls for name, cls in all_estimators() if "dt" in inspect.signature(cls).parameters}
    assert {"PoissonEncoder", "STDPFeatureExtractor", "NGSNNClassifier", "SNNLZCClassifier"} <= set(with_dt)
    for name, cls in with_dt.items():
        assert inspect.signature(cls).parameters["dt"].default == 1.0, name


@pytest.mark.parametrize("name", [
    "PoissonEncoder", "RateEncoder", "PhaseEncoder",
    "LatencyEncoder", "PopulationEncoder",
])
def test_default_encoder_composes_with_default_stdp(name, digits):
    """Any default encoder's trains drive a default STDP layer, which learns class-like fields."""
    X_train, _, y_train, _ = digits
    X, y = X_train[:500], y_train[:500]
    enc = _seeded(getattr(encoding, name))
    # as the extractor's own encoder: the steps agree, nothing to reconcile
    STDPFeatureExtractor(8, encoder=enc, n_epochs=1, random_state=0).fit(X[:20])
    spikes = enc.fit_transform(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a silent layer (time-base mismatch) would warn
        stdp = STDPFeatureExtractor(random_state=0).fit(spikes)
    counts = stdp.transform(spikes)
    assert (counts.sum(axis=1) > 0).mean() > 0.8
    # receptive fields in feature space
    W = stdp.weights_[:stdp.n_in_ // 2] if stdp.off_channels_ else stdp.weights_  # ON channels
    if name == "PopulationEncoder":  # the value a neuron prefers: centroid of its fields' centres
        W = W.reshape(X.shape[1], -1, stdp.n_neurons)
        W = np.einsum("fkn,k->fn", W, enc.centers_) / (W.sum(axis=1) + 1e-12)
    means = np.stack([X[y == c].mean(axis=0) for c in range(10)])

    def best_corr(weights):
        w = (weights - weights.mean(axis=0)) / (weights.std(axis=0) + 1e-12)
        m = (means - means.mean(axis=1, keepdims=True)) / means.std(axis=1, keepdims=True)
        return (m @ w / X.shape[1]).max(axis=0)

    active = counts.sum(axis=0) > 0
    learned = np.median(best_corr(W[:, active]))
    rng = np.random.RandomState(0)
    chance = np.median(best_corr(rng.uniform(size=W.shape)))
    print(f"{name}: median best correlation {learned:.3f} (random fields {chance:.3f})")
    assert learned > 0.3 and learned > chance + 0.2, (learned, chance)


@pytest.mark.slow
@pytest.mark.parametrize("name", STATIC_ENCODERS)
def test_every_default_encoder_in_front_of_ngsnn(name, digits):
    X_train, X_test, y_train, y_test = digits
    pipe = make_pipeline(_seeded(getattr(encoding, name)), NGSNNClassifier(random_state=0))
    acc = pipe.fit(X_train, y_train).score(X_test, y_test)
    print(f"{name} -> NGSNN: {acc:.4f}")
    assert acc >= 0.90


@pytest.mark.slow
def test_default_stdp_pipeline_on_digits(digits):
    X_train, X_test, y_train, y_test = digits
    pipe = make_pipeline(encoding.PoissonEncoder(random_state=0), STDPFeatureExtractor(random_state=0),
                         NGSNNClassifier(random_state=0))
    acc = pipe.fit(X_train, y_train).score(X_test, y_test)
    # the same fitted STDP layer read as trained (learning's 5 mV inhibition, one window):
    # the nearly binary winner-take-all code, ~19 of 400 neurons spiking once
    encoder, stdp = pipe.steps[0][1], pipe.steps[1][1]
    stdp.set_params(inference_inhibition=None, inference_window=1)
    hard = NGSNNClassifier(random_state=0).fit(stdp.transform(encoder.transform(X_train)), y_train)
    acc_hard = hard.score(stdp.transform(encoder.transform(X_test)), y_test)
    print(f"Poisson -> STDP -> NGSNN: {acc:.4f} (graded readout), {acc_hard:.4f} (read as trained)")
    # issue 15 asks for 95 %: measured 96.7 % with the graded readout
    # (inference_inhibition=0.5, inference_window=16; 92.0 % read as trained), seeds 1 and 2
    # 96.9 / 96.7 % with the 400-step encoder window (97.3 / 97.6 / 97.6 % with 200 steps;
    # benchmarks/results/defaults.md). NGSNN grows on these counts to one neuron
    # per growth sample (~1,200; issue 12: no validation rule stops a layer that is cheap
    # and still improving). Guard: the 95 %, 7 test samples below the measured level.
    assert acc >= 0.95
    assert acc >= acc_hard + 0.02  # the graded code is what lifts the pipeline


@pytest.mark.slow
@pytest.mark.parametrize("dataset", ["iris", "wine", "breast_cancer"])
def test_default_stdp_pipeline_on_tabular_data(dataset):
    from sklearn import datasets

    X, y = getattr(datasets, f"load_{dataset}")(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    accs = []
    for seed in range(5):
        pipe = make_pipeline(encoding.PoissonEncoder(random_state=seed), STDPFeatureExtractor(random_state=seed),
                             NGSNNClassifier(random_state=seed))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            accs.append(pipe.fit(X_train, y_train).score(X_test, y_test))
    print(f"{dataset}: Poisson -> STDP -> NGSNN, seeds 0-4: {np.round(accs, 4)}, mean {np.mean(accs):.4f}")
    # issue 15 asks for 90 % on each, read here as the pipeline's accuracy over its random
    # streams: a test set of 38 (iris) to 143 samples and Poisson spikes make one seed's score
    # spread by several points. Measured with seeds 0-4 and the 400-step encoder window
    # (2026-12-02): iris 94.7 / 97.4 / 94.7 / 97.4 / 97.4 (mean 96.3), wine 97.8 / 100 / 100 /
    # 97.8 / 93.3 (97.8), breast cancer 93.0 / 95.8 / 92.3 / 92.3 / 93.0 (93.3) %; with 200 steps
    # iris 84.2 / 86.8 / 92.1 / 92.1 / 100 (91.1), breast cancer 91.6 / 93.7 / 93.7 / 93.7 / 90.2.
    assert np.mean(accs) >= 0.90
    assert min(accs) >= 0.90  # and at every seed (worst measured: 92.3 %)


def _iris_split():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


def test_default_poisson_window_resolves_the_values():
    """Counts are Binomial(400, 0.4 x): the rate estimate's spread is sqrt(x (2.5 - x) / 400)."""
    m = 4000
    enc = encoding.PoissonEncoder(random_state=0).fit(np.array([[0.0] * m, [1.0] * m]))
    counts = enc.transform(np.array([[0.5] * m, [0.0] * m])).sum(axis=1)
    assert np.all(counts[1] == 0)
    estimate = counts[0] / (400 * 0.4)
    assert abs(estimate.mean() - 0.5) < 0.005
    assert 0.045 < estimate.std() < 0.055  # 0.05; the former 200-step window gave 0.071


def test_default_poisson_rates_keep_what_a_linear_model_reads():
    """A linear readout of the default encoder's rates on iris stays near its raw level (97.4 %) at
    every seed: 92.1 / 97.4 / 100 / 97.4 / 97.4 % with 400 steps, 92.1 / 89.5 / 94.7 / 84.2 / 97.4 %
    with the former 200."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    X_train, X_test, y_train, y_test = _iris_split()
    accs = []
    for seed in range(5):
        enc = encoding.PoissonEncoder(random_state=seed).fit(X_train)
        rates_train, rates_test = enc.transform(X_train).mean(axis=1), enc.transform(X_test).mean(axis=1)
        lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(rates_train, y_train)
        accs.append(lr.score(rates_test, y_test))
    assert min(accs) >= 0.92 and np.mean(accs) >= 0.95, accs


def _rows_alone(method, X, idx):
    return np.stack([method(X[i:i + 1])[0] for i in idx])


@pytest.mark.parametrize("make", [
    lambda: make_pipeline(encoding.PoissonEncoder(n_steps=40, random_state=1),
                          STDPFeatureExtractor(6, n_epochs=1, random_state=2),
                          NGSNNClassifier(max_neurons=10, random_state=3)),
    lambda: make_pipeline(encoding.PopulationEncoder(coding="poisson", n_steps=40, random_state=1),
                          NGSNNClassifier(max_neurons=10, random_state=3)),
    lambda: make_pipeline(encoding.PoissonEncoder(n_steps=40, random_state=1), LZCTransformer()),
    lambda: STDPFeatureExtractor(6, encoder=encoding.PoissonEncoder(n_steps=40), n_epochs=1,
                                 random_state=2),
    lambda: NGSNNClassifier(encoder=encoding.PoissonEncoder(n_steps=40, random_state=1),
                            max_neurons=10, random_state=3),
], ids=["poisson-stdp-ngsnn", "population-ngsnn", "poisson-lzc", "stdp-own-encoder",
        "ngsnn-own-encoder"])
def test_a_sample_does_not_depend_on_its_batch(make):
    rng = np.random.RandomState(0)
    X = rng.rand(60, 5)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    model = make().fit(X, y)
    method = model.predict_proba if hasattr(model, "predict_proba") else model.transform
    full = method(X)
    idx = [0, 7, 33, 59]
    # same spikes, so equal up to the rounding of a matrix product of another shape
    np.testing.assert_allclose(_rows_alone(method, X, idx), full[idx], rtol=1e-12, atol=1e-14)
    order = rng.permutation(60)
    np.testing.assert_allclose(method(X[order]), full[order], rtol=1e-12, atol=1e-14)
    if hasattr(model, "predict"):
        np.testing.assert_array_equal(_rows_alone(model.predict, X, idx), model.predict(X)[idx])


def test_poisson_spikes_independent_of_thread_count():
    import numba

    X = np.random.RandomState(0).rand(300, 9)
    enc = encoding.PoissonEncoder(random_state=0).fit(X)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = enc.transform(X)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = enc.transform(X)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one, many)


def test_rate_code_test_tells_rate_codes_from_timing_codes():
    from skspike.classifiers._ngsnn_temporal import rate_coded
    from skspike.datasets import make_spike_trains

    X = np.random.RandomState(0).rand(200, 12)
    assert rate_coded(encoding.PoissonEncoder(random_state=0).fit_transform(X))
    assert rate_coded(encoding.PopulationEncoder(coding="poisson", random_state=0).fit_transform(X))
    for name in ["RateEncoder", "LatencyEncoder", "PhaseEncoder", "PopulationEncoder"]:
        assert not rate_coded(getattr(encoding, name)().fit_transform(X)), name
    for process, expected in [("bernoulli", True), ("markov", False), ("gamma", False), ("sync", False)]:
        spikes, _ = make_spike_trains(200, process=process, random_state=0)
        assert rate_coded(spikes) is expected, process
    assert not rate_coded(np.zeros((5, 50, 3), dtype=np.uint8))


def test_ngsnn_reads_rate_coded_trains_through_their_rates():
    """Rate-coded trains grow delay-free rate neurons; their activity is that of the spike rates."""
    from skspike.classifiers._ngsnn_candidates import DenseBlock
    from skspike.classifiers._ngsnn_temporal import TemporalBlock

    rng = np.random.RandomState(0)
    X = rng.rand(120, 6)
    y = (X[:, 0] > X[:, 1]).astype(int)
    spikes = encoding.PoissonEncoder(n_steps=60, random_state=0).fit_transform(X)
    clf = NGSNNClassifier(max_neurons=8, random_state=0).fit(spikes, y)
    assert isinstance(clf.hidden_, DenseBlock)
    # only the counts matter: shuffling the steps of every train changes nothing
    shuffled = spikes[:, rng.permutation(spikes.shape[1])]
    np.testing.assert_allclose(clf.transform_hidden(shuffled), clf.transform_hidden(spikes))
    H = clf.transform_hidden(spikes)
    assert H.shape == (120, clf.n_neurons_) and H.std(axis=0).min() > 0
    assert clf.score(spikes, y) > 0.8
    latency = encoding.LatencyEncoder().fit_transform(X)
    assert isinstance(NGSNNClassifier(max_neurons=4, random_state=0).fit(latency, y).hidden_, TemporalBlock)
