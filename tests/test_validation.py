"""Bad input and bad parameters: refused with a message naming what is accepted."""

import faulthandler
import os
import pickle
import re

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_iris, make_classification

from skspike._config import WorkLimitError, limits, max_updates_per_sample
from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier
from skspike.complexity import lempel_ziv_complexity
from skspike.feature_extraction import STDPFeatureExtractor
from skspike.datasets import make_spike_trains
from skspike.encoding import EventBinner, PoissonEncoder
from skspike.neurons import LIF, simulate


def test_four_dimensional_input_names_the_accepted_shapes():
    X = np.zeros((4, 2, 3, 2))
    msg = r"accepts static data of shape \(n_samples, n_features\) or spike trains of shape " \
          r"\(n_samples, n_steps, n_channels\); got an array with 4 dimensions, shape \(4, 2, 3, 2\)"
    with pytest.raises(ValueError, match=msg):
        NGSNNClassifier().fit(X, [0, 1, 0, 1])
    X2, y2 = make_classification(40, 4, n_informative=3, n_redundant=0, random_state=0)
    model = NGSNNClassifier(max_neurons=3, n_candidates=4, random_state=0).fit(X2, y2)
    with pytest.raises(ValueError, match=msg.replace(r"\(4, 2, 3, 2\)", r"\(4, 2, 3, 2\)")):
        model.predict(X)


def test_sparse_input_to_simulate_names_the_accepted_shapes():
    with pytest.raises(TypeError, match=r"sparse csr_matrix; simulate accepts dense arrays.*toarray"):
        simulate(LIF(), sp.csr_matrix(np.ones((2, 3))), n_steps=5)


def test_sparse_input_to_lempel_ziv_names_the_accepted_input():
    with pytest.raises(TypeError, match=r"sparse csr_matrix; lempel_ziv_complexity accepts dense 0/1 data"):
        lempel_ziv_complexity(sp.csr_matrix(np.ones((2, 3), dtype=np.uint8)), axis=1)


@pytest.mark.parametrize("param", [{"v_thresh": np.nan}, {"v_rest": np.nan}, {"v_reset": np.nan},
                                   {"v_thresh": np.inf}, {"v_rest": -np.inf}])
def test_stdp_refuses_non_finite_potentials(param):
    name = next(iter(param))
    X = np.random.default_rng(0).random((6, 4))
    with pytest.raises(ValueError, match=rf"'{name}' parameter of STDPFeatureExtractor must be a float in the range \(-inf, inf\)"):
        STDPFeatureExtractor(n_neurons=2, **param).fit(X)


def test_stdp_refuses_reset_above_threshold():
    X = np.random.default_rng(0).random((6, 4))
    from skspike.neurons import AdaptiveLIF

    with pytest.raises(ValueError, match=r"v_thresh must be above v_reset \(got v_thresh=-52.0, v_reset=-40.0\)"):
        AdaptiveLIF.diehl_cook(v_reset=-40.0)
    est = STDPFeatureExtractor(n_neurons=2, neuron=AdaptiveLIF.diehl_cook())
    with pytest.raises(ValueError, match="v_thresh must be above v_reset"):
        est.set_params(neuron__v_reset=-40.0)
    # the deprecated scalars reach the same check in fit and partial_fit
    with pytest.warns(FutureWarning), pytest.raises(ValueError, match="v_thresh must be above v_reset"):
        STDPFeatureExtractor(n_neurons=2, v_reset=-40.0, v_thresh=-52.0).fit(X)
    with pytest.warns(FutureWarning), pytest.raises(ValueError, match="v_thresh must be above v_reset"):
        STDPFeatureExtractor(n_neurons=2, v_reset=-40.0, v_thresh=-52.0).partial_fit(X)


def test_ngsnn_fitted_arrays_are_contiguous_and_pickle_bit_exactly():
    X, y = make_classification(150, 6, n_informative=4, n_classes=3, n_clusters_per_class=1, random_state=0)
    model = NGSNNClassifier(max_neurons=12, n_candidates=8, random_state=0).fit(X, y)
    assert model.output_weights_.flags.c_contiguous
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.decision_function(X), model.decision_function(X))
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))


# ------------------------------------------------------------------ size guards
# The audit cases of issue 18, item 4: each must be refused before it simulates
# anything. A guard that let one through would run for minutes; the watchdog
# then aborts the test process with a traceback (a failure, not a stalled CI).
WATCHDOG_S = 120
WORK = "WorkLimitError"
OVERRIDE_HINT = "skspike._config.limits(max_updates_per_sample=None)"


def _events():
    events = np.zeros(3, dtype=[("x", int), ("y", int), ("t", int), ("p", int)])
    events["t"] = [0, 5, 9]
    return events


AUDIT_CASES = {
    "simulate": (lambda X, y, S, yS: simulate(LIF(), np.zeros((2, 3)), np.ones((3, 4)), n_steps=10**9),
                 WORK, r"^simulate: 4e\+09 neuron updates per sample \(n_steps=1000000000 x 4 neurons; "
                       r"8e\+09 in total for 2 sample\(s\)\), more than the limit of 1e\+09.*Lower n_steps"),
    "simulate_counts": (lambda X, y, S, yS: simulate(LIF(), np.zeros((2, 3)), np.ones((3, 4)), n_steps=10**9,
                                                     output="counts"),
                        WORK, r"n_steps=1000000000 x 4 neurons.*Lower n_steps"),
    "simulate_currents": (lambda X, y, S, yS: simulate(LIF(), np.ones((2, 4)), n_steps=10**9, output="counts"),
                          WORK, r"n_steps=1000000000 x 4 neurons.*Lower n_steps"),
    "ngsnn_n_steps": (lambda X, y, S, yS: NGSNNClassifier(n_steps=10**8).fit(X, y),
                      WORK, r"^NGSNNClassifier\.fit: .*100000000 steps x 200 candidates.*Lower n_steps"),
    "ngsnn_n_candidates": (lambda X, y, S, yS: NGSNNClassifier(n_candidates=10**7).fit(X, y),
                           WORK, r"^NGSNNClassifier\.fit: .*30 steps x 10000000 candidates.*n_candidates"),
    "ngsnn_temporal": (lambda X, y, S, yS: NGSNNClassifier(candidates="temporal", n_candidates=10**7).fit(S, yS),
                       WORK, r"^NGSNNClassifier\.fit: .*10000000 candidates.*Lower the number of steps of X, "
                             r"n_candidates"),
    "stdp_fit": (lambda X, y, S, yS: STDPFeatureExtractor(encoder=PoissonEncoder(n_steps=10**8)).fit(X),
                 WORK, r"^STDPFeatureExtractor\.fit: .*n_epochs=14 x 100000000 steps.*Lower n_steps of the encoder"),
    "stdp_partial_fit": (lambda X, y, S, yS: STDPFeatureExtractor(n_neurons=10**7).partial_fit(X),
                         WORK, r"^STDPFeatureExtractor\.fit: .*10000000 neurons.*n_neurons"),
    "snnlzc_current": (lambda X, y, S, yS: SNNLZCClassifier(encoder=None, n_steps=10**8).fit(X, y),
                       WORK, r"^SNNLZCClassifier\.fit: .*100000000 steps x 12 neurons.*Lower n_steps"),
    "snnlzc_spikes": (lambda X, y, S, yS: SNNLZCClassifier(n_per_class=10**7).fit(S, yS),
                      WORK, r"^SNNLZCClassifier\.fit: .*30 steps x 20000000 neurons.*n_per_class"),
    "poisson": (lambda X, y, S, yS: PoissonEncoder(n_steps=10**9).fit_transform(X),
                "MemoryError", r"^PoissonEncoder: the uint8 spike trains of shape \(150, 1000000000, 4\).*reduce n_steps"),
    "snnlzc_encoder": (lambda X, y, S, yS: SNNLZCClassifier(n_steps=10**8).fit(X, y),
                       "MemoryError", r"^RateEncoder: the uint8 spike trains of shape \(150, 100000000, 4\)"),
    "event_binner": (lambda X, y, S, yS: EventBinner(sensor_size=(34, 34, 2), n_steps=10**9, time_window=1.0)
                     .fit([_events()]).transform([_events()] * 3),
                     "MemoryError", r"^EventBinner: the uint8 spike trains of shape \(3, 1000000000, .*reduce n_steps"),
}


@pytest.fixture(scope="module")
def audit_data():
    X, y = load_iris(return_X_y=True)
    S, yS = make_spike_trains(n_samples=20, n_steps=30, n_channels=3, random_state=0)
    return X, y, S, yS


@pytest.mark.parametrize("name", sorted(AUDIT_CASES))
def test_audit_sizes_are_refused_before_running(name, audit_data, monkeypatch):
    case, kind, pattern = AUDIT_CASES[name]
    monkeypatch.delenv("SKSPIKE_MAX_UPDATES_PER_SAMPLE", raising=False)
    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "16G")  # the default depends on the machine's free memory
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True)
    try:
        with pytest.raises(MemoryError if kind == "MemoryError" else WorkLimitError) as info:
            case(*audit_data)
    finally:
        faulthandler.cancel_dump_traceback_later()
    message = str(info.value)
    assert re.search(pattern, message), message
    if kind == WORK:
        assert OVERRIDE_HINT in message and "SKSPIKE_MAX_UPDATES_PER_SAMPLE" in message, message


@pytest.fixture(scope="module")
def small_static():
    return make_classification(60, 4, n_informative=3, n_redundant=0, random_state=0)


def test_override_lets_a_refused_simulation_run():
    neuron, current = LIF(tau_m=10.0), np.full((1, 1), 2.0)
    with limits(max_updates_per_sample=1e4):
        with pytest.raises(WorkLimitError, match=r"2e\+04 neuron updates per sample \(n_steps=20000 x 1 neurons"):
            simulate(neuron, current, n_steps=20000, output="counts")
        with limits(max_updates_per_sample=None):
            counts, ops = simulate(neuron, current, n_steps=20000, output="counts")
        with pytest.raises(WorkLimitError):  # the inner block restored the outer limit
            simulate(neuron, current, n_steps=20000, output="counts")
        half = simulate(neuron, current, n_steps=10000, output="counts")[0]
    # Constant current, constant interspike interval: twice the steps, twice the spikes (+-1).
    assert ops.neuron_updates == 20000 and half[0, 0] > 100
    assert abs(int(counts[0, 0]) - 2 * int(half[0, 0])) <= 1


def test_work_limit_from_the_environment(monkeypatch, small_static):
    X, y = small_static
    # 30 steps x 200 candidates x 54 growth samples x 3 pools / 60 samples, + the layer: 1.64e4 per sample
    monkeypatch.setenv("SKSPIKE_MAX_UPDATES_PER_SAMPLE", "5000")
    with pytest.raises(WorkLimitError, match=r"NGSNNClassifier\.fit: 1\.64e\+04 neuron updates per sample "
                                             r"\(30 steps x 200 candidates x up to 3 candidate pools.*limit of 5e\+03"):
        NGSNNClassifier(max_neurons=3).fit(X, y)
    monkeypatch.setenv("SKSPIKE_MAX_UPDATES_PER_SAMPLE", "none")
    assert NGSNNClassifier(max_neurons=3, random_state=0).fit(X, y).n_neurons_ <= 3


@pytest.mark.filterwarnings("ignore:.*the layer stayed silent")
def test_predict_and_transform_are_guarded(small_static):
    """A model fitted under a raised limit is refused at predict under a lower one, and runs with the override."""
    X, y = small_static
    ngsnn = NGSNNClassifier(max_neurons=6, n_candidates=4, n_steps=40, early_stopping=False,
                            random_state=0).fit(X, y)
    assert ngsnn.n_neurons_ > 0
    stdp = STDPFeatureExtractor(n_neurons=5, encoder=PoissonEncoder(n_steps=40), random_state=0).fit(X)
    lzc = SNNLZCClassifier(encoder=None, n_steps=40, n_per_class=2, max_iter=0, decision="rate").fit(X, y)
    expected = ngsnn.predict(X), stdp.transform(X), lzc.predict(X)
    with limits(max_updates_per_sample=39):  # below one neuron for 40 steps
        with pytest.raises(WorkLimitError, match=rf"NGSNNClassifier predict: {40 * ngsnn.n_neurons_:.3g} .*"
                                                 r"Lower n_steps"):
            ngsnn.predict(X)
        # 4 features and their OFF twins (off_channels="auto") feed 5 neurons, for
        # inference_window=16 windows of 40 steps
        with pytest.raises(WorkLimitError, match=r"STDPFeatureExtractor\.transform: 8\.32e\+03 neuron updates per "
                                                 r"sample \(640 steps x \(5 neurons \+ 8 input channels\).*"
                                                 r"x inference_window=16"):
            stdp.transform(X)
        with pytest.raises(WorkLimitError, match=r"SNNLZCClassifier predict: 160 .*40 steps x 4 neurons"):
            lzc.predict(X)
        with limits(max_updates_per_sample=None):
            again = ngsnn.predict(X), stdp.transform(X), lzc.predict(X)
    for a, b in zip(expected, again):
        np.testing.assert_array_equal(a, b)


@pytest.mark.filterwarnings("ignore:.*the layer stayed silent")
def test_stdp_spike_output_bytes_are_guarded(small_static, monkeypatch):
    X, _ = small_static
    stdp = STDPFeatureExtractor(n_neurons=5, encoder=PoissonEncoder(n_steps=40), output="spikes",
                                random_state=0).fit(X)
    # transform reads inference_window=16 windows of 40 steps: 60 x 640 x 5 = 192000 bytes
    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "10000")
    with pytest.raises(MemoryError, match=r"STDPFeatureExtractor\.transform: the uint8 output spike trains "
                                          r"of shape \(60, 640, 5\) would need 187\.5 KiB.*x inference_window=16"):
        stdp.transform(X)
    with limits(max_bytes=None):
        assert stdp.transform(X).shape == (60, 640, 5)


def test_default_sized_calls_pass_the_guards(small_static):
    """The guards never refuse the defaults (their estimates are far below the limits)."""
    from skspike.utils._limits import ngsnn_growth_plan

    X, y = small_static
    for n_samples in (60, 4000, 60000):
        sims, cap, pools, n_cand = ngsnn_growth_plan(NGSNNClassifier(), n_samples)
        per_sample = 30 * (sims + 2 * n_samples * cap) / n_samples
        assert per_sample < 1e-2 * max_updates_per_sample(), (n_samples, per_sample)
    assert max_updates_per_sample() == 1e9 or "SKSPIKE_MAX_UPDATES_PER_SAMPLE" in os.environ
