"""BaseSpikingClassifier: predict-time methods run in batches of bounded memory."""

import tracemalloc

import numpy as np
import pytest
from sklearn.datasets import make_classification

from skspike._config import batch_size
from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier
from skspike.datasets import make_spike_trains
from skspike.utils._batching import batched_call

UNBATCHED = 10**9


@pytest.fixture(scope="module")
def static_data():
    X, y = make_classification(200, 8, n_informative=5, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def models(static_data):
    X, y = static_data
    ngsnn = NGSNNClassifier(max_neurons=20, n_candidates=10, random_state=0).fit(X, y)
    # encoder=None: direct current. max_iter=0: batching is a property of the predict
    # path (simulate, multiscale features, readout); training would only compile the
    # surrogate-gradient kernel (about 45 s cold) that tests/test_snnlzc.py covers.
    lzc = SNNLZCClassifier(encoder=None, n_steps=30, n_per_class=2, max_iter=0, random_state=0).fit(X, y)
    return {"ngsnn": ngsnn, "snnlzc": lzc}


def test_models_are_not_trivial(models, static_data):
    """The batching checks below compare outputs that vary: spikes fire, classes differ."""
    X, y = static_data
    assert models["ngsnn"].n_neurons_ > 0 and models["ngsnn"].score(X, y) > 0.7
    assert models["snnlzc"].output_spikes(X).any()
    for model in models.values():
        assert len(np.unique(model.predict(X))) == 2
        assert np.ptp(model.predict_proba(X)[:, 0]) > 0.05


METHODS = {
    "ngsnn": ["predict", "predict_proba", "decision_function", "transform_hidden", "predict_log_proba"],
    "snnlzc": ["predict", "predict_proba", "decision_function", "output_spikes"],
}


@pytest.mark.parametrize("name", ["ngsnn", "snnlzc"])
def test_batched_equals_unbatched(models, static_data, name):
    model = models[name]
    X = np.tile(static_data[0], (2, 1))[:333]
    for method in METHODS[name]:
        with batch_size(UNBATCHED):
            whole = getattr(model, method)(X)
        with batch_size(50):
            parts = getattr(model, method)(X)
        assert parts.dtype == whole.dtype and parts.shape == whole.shape, method
        np.testing.assert_array_equal(parts, whole, err_msg=method)


def test_batched_spike_input_equals_unbatched():
    X, y = make_spike_trains(n_samples=90, n_steps=40, n_channels=5, random_state=0)
    model = NGSNNClassifier(max_neurons=10, n_candidates=8, random_state=0).fit(X, y)
    with batch_size(UNBATCHED):
        whole = model.predict_proba(X)
    with batch_size(16):
        np.testing.assert_array_equal(model.predict_proba(X), whole)


def _peak_bytes(func, X):
    tracemalloc.start()
    try:
        out = func(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, out.nbytes


@pytest.mark.parametrize("name", ["ngsnn", "snnlzc"])
@pytest.mark.parametrize("method", ["predict_proba", "predict"])
def test_predict_peak_memory_independent_of_n_samples(models, name, method):
    """Peak of the numpy allocations of a predict (tracemalloc) beyond its output.

    Eight times the samples must not need more working memory: without
    batches the validated copy of X, the hidden currents and the spike
    trains all grow with n_samples.
    """
    model = models[name]
    rng = np.random.default_rng(0)
    small, large = rng.normal(size=(400, 8)), rng.normal(size=(3200, 8))
    func = getattr(model, method)
    with batch_size(200):
        func(small)  # warm: compile, lazy imports
        peak_small, out_small = _peak_bytes(func, small)
        peak_large, out_large = _peak_bytes(func, large)
    assert peak_large - out_large <= 1.25 * (peak_small - out_small) + 64 * 1024, (peak_small, peak_large)


def test_batched_call_passes_unsized_input_through():
    calls = []

    def func(X):
        calls.append(X)
        return np.zeros((1, 1))

    batched_call(func, 3.0, batch_size=1)
    assert calls == [3.0]
    out = batched_call(lambda X: np.asarray(X)[:, :1] * 2, [[1, 2], [3, 4], [5, 6]], batch_size=2)
    np.testing.assert_array_equal(out, [[2], [6], [10]])
