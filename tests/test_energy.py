"""Tests of skspike.energy: counting, hardware profiles, report, scorer."""

import dataclasses
import json
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler

from skspike import OperationCounts
from skspike.neurons import LIF, simulate
from skspike.encoding import PoissonEncoder
from skspike.energy import (
    HARDWARE_PROFILES,
    EnergyReport,
    HardwareProfile,
    count_operations,
    energy_report,
    get_hardware_profile,
    make_energy_scorer,
    register_operation_counter,
)
from skspike.energy import _counting
from skspike.energy import _hardware

# Energies that are powers of two, so sums of products with integer counts are exact.
TOY = HardwareProfile(
    "toy", energy_per_ac=2.0**-40, energy_per_mac=2.0**-38, energy_per_neuron_update=2.0**-39,
    energy_per_spike=2.0**-41, energy_per_memory_access=2.0**-36,
)


def _deterministic_encoder(n_steps=10):
    # intensity 1 -> p = 1000 Hz * 1 ms = 1: a spike at every step; intensity 0 -> none
    return PoissonEncoder(max_rate=1000.0, n_steps=n_steps, dt=1.0, feature_range=(0, 1), random_state=0)


# --- counting -------------------------------------------------------------------------------


def test_encoder_counts_equal_hand_count():
    X = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    enc = _deterministic_encoder(n_steps=10).fit(X)
    counts = count_operations(enc, X)
    # sample 0: 2 channels x 10 steps, sample 1: 1 x 10 -> 15 spikes per sample
    assert counts.spikes == 15.0
    assert counts.n_activations == 30.0
    assert counts.activation_sparsity == 0.5
    assert counts.synaptic_ac == counts.synaptic_mac == counts.dense_ops == 0.0
    assert counts == enc.count_operations(X)


def test_hand_built_network_counts_with_simulate():
    # 2 samples, 4 steps, 3 inputs -> 2 LIF neurons; input 1 reaches only neuron 0 (one zero
    # weight). A weight of 25 gives v = 25 (1 - exp(-1/20)) = 1.22 >= 1 in one step, so every
    # input event makes its targets spike and the reset (to 0) leaves nothing for later steps.
    spikes = np.zeros((2, 4, 3), dtype=np.uint8)
    spikes[0, 0, 0] = spikes[0, 1, 1] = spikes[0, 3, 2] = 1
    spikes[1, 2, 1] = 1
    weights = np.array([[25.0, 25.0], [25.0, 0.0], [25.0, 25.0]])
    out, ops = simulate(LIF(), spikes, weights)
    expected = np.zeros((2, 4, 2), dtype=np.uint8)
    expected[0, 0, :] = expected[0, 1, 0] = expected[0, 3, :] = 1
    expected[1, 2, 0] = 1
    np.testing.assert_array_equal(out, expected)
    # accumulates: fan-outs 2 + 1 + 2 = 5 and 1 -> mean 3
    assert ops.synaptic_ac == 3.0
    assert ops.synaptic_mac == 0.0
    assert ops.dense_ops == 4 * 3 * 2
    assert ops.neuron_updates == ops.n_activations == 4 * 2
    assert ops.spikes == (5 + 1) / 2
    assert ops.activation_sparsity == 1 - 3 / 8
    assert (ops.n_connections, ops.n_zero_connections) == (6, 1)
    assert ops.connection_sparsity == 1 / 6
    # footprint: three more (zero-weight) inputs add exactly their 3 x 2 float64 weights
    padded = np.vstack([weights, np.zeros((3, 2))])
    _, ops_padded = simulate(LIF(), np.concatenate([spikes, np.zeros_like(spikes)], axis=2), padded)
    assert ops_padded.footprint_bytes - ops.footprint_bytes == 3 * 2 * 8
    assert ops_padded.synaptic_ac == ops.synaptic_ac and ops_padded.n_zero_connections == 7
    # the energy of these counts is counts x profile, exactly
    assert TOY.energy(ops) == 3 * 2.0**-40 + 8 * 2.0**-39 + 3 * 2.0**-41
    assert count_operations(_SimulateLayer(weights), spikes) == ops


class _SimulateLayer(TransformerMixin, BaseEstimator):
    """A fixed-weight LIF layer: the smallest estimator built on simulate()."""

    def __init__(self, weights=None):
        self.weights = weights

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return simulate(LIF(), X, self.weights)[0]

    def count_operations(self, X):
        return simulate(LIF(), X, self.weights)[1]


def test_spiking_pipeline_counts_each_step_on_the_previous_output():
    X = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    weights = np.array([[25.0, 25.0], [25.0, 0.0], [25.0, 25.0]])
    enc = _deterministic_encoder(n_steps=4)
    pipe = make_pipeline(enc, _SimulateLayer(weights)).fit(X)
    per = count_operations(pipe, X, per_step=True)
    spikes = pipe[0].transform(X)
    assert per["poissonencoder"] == pipe[0].count_operations(X)
    assert per["_simulatelayer"] == simulate(LIF(), spikes, weights)[1]
    # hand count: 2 active inputs x 4 steps per sample; fan-outs (2, 2) and (1, 2) -> 16, 12
    assert per["_simulatelayer"].synaptic_ac == (16 + 12) / 2
    assert count_operations(pipe, X) == per["poissonencoder"] + per["_simulatelayer"]


def test_operation_counts_arithmetic_for_steps():
    a = OperationCounts(synaptic_ac=4, spikes=2, n_activations=8, n_connections=10,
                        n_zero_connections=5, footprint_bytes=80)
    b = OperationCounts(synaptic_mac=3, dense_ops=6, spikes=1, n_activations=4,
                        n_connections=10, footprint_bytes=20)
    total = a + b
    assert (total.synaptic_ops, total.spikes, total.n_activations) == (7, 3, 12)
    assert total.activation_sparsity == 1 - 3 / 12
    assert total.connection_sparsity == 5 / 20
    assert total.footprint_bytes == 100


def test_linear_model_dense_and_effective_macs():
    X = np.array([[0.0, 1.0, 2.0, 0.0], [1.0, 0.0, 3.0, 4.0], [2.0, 2.0, 0.0, 1.0]] * 4)
    y = np.arange(12) % 3
    clf = LogisticRegression().fit(X, y)
    counts = count_operations(clf, X)
    assert counts.dense_ops == 4 * 3  # n_features * n_classes
    assert counts.synaptic_mac == np.mean([2, 3, 3]) * 3  # non-zero inputs only
    assert counts.n_connections == 12
    assert counts.footprint_bytes == clf.coef_.nbytes + clf.intercept_.nbytes
    binary = RidgeClassifier().fit(X, y % 2)
    assert count_operations(binary, X).dense_ops == 4  # one output


def test_pipeline_feeds_each_step_and_breaks_down():
    rng = np.random.RandomState(0)
    X = rng.rand(30, 5)
    y = np.arange(30) % 2
    pipe = make_pipeline(StandardScaler(), PCA(n_components=3), LogisticRegression()).fit(X, y)
    per = count_operations(pipe, X, per_step=True)
    assert list(per) == ["standardscaler", "pca", "logisticregression"]
    assert per["standardscaler"].dense_ops == 5
    assert per["pca"].dense_ops == 5 * 3
    # the classifier sees the PCA output: 3 features, 1 output
    assert per["logisticregression"].dense_ops == 3
    total = count_operations(pipe, X)
    assert total.dense_ops == 5 + 15 + 3
    assert total == per["standardscaler"] + per["pca"] + per["logisticregression"]


def test_pipeline_passthrough_and_nested_steps():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    y = [0, 1, 1, 0]
    inner = Pipeline([("scale", MinMaxScaler()), ("skip", "passthrough")])
    pipe = Pipeline([("prep", inner), ("none", None), ("clf", LogisticRegression())]).fit(X, y)
    per = count_operations(pipe, X, per_step=True)
    assert list(per) == ["prep__scale", "clf"]


def test_step_without_counts_is_a_type_error_naming_it():
    X = np.random.RandomState(0).rand(10, 3)
    y = np.arange(10) % 2
    with pytest.raises(TypeError, match="KNeighborsClassifier"):
        count_operations(KNeighborsClassifier(n_neighbors=1).fit(X, y), X)
    pipe = make_pipeline(FunctionTransformer(np.sqrt), LogisticRegression()).fit(X, y)
    with pytest.raises(TypeError, match=r"FunctionTransformer \(step 'functiontransformer'\)"):
        count_operations(pipe, X)
    with pytest.raises(TypeError, match="KNeighborsClassifier"):
        make_energy_scorer("loihi")(KNeighborsClassifier(n_neighbors=1).fit(X, y), X, y)


def test_registered_counter_is_used_for_subclasses():
    class Doubler(FunctionTransformer):
        pass

    try:
        @register_operation_counter(FunctionTransformer)
        def _count(est, X):
            return OperationCounts(synaptic_mac=float(np.shape(X)[1]), dense_ops=float(np.shape(X)[1]))

        X = np.ones((4, 3))
        assert count_operations(Doubler().fit(X), X).dense_ops == 3.0
    finally:
        _counting._COUNTERS.pop(FunctionTransformer, None)
    with pytest.raises(TypeError, match="expects a class"):
        register_operation_counter("FunctionTransformer")


def test_count_operations_must_return_operation_counts():
    class Liar(FunctionTransformer):
        def count_operations(self, X):
            return {"spikes": 1}

    X = np.ones((2, 2))
    with pytest.raises(TypeError, match="must return an OperationCounts"):
        count_operations(Liar().fit(X), X)


# --- hardware profiles ----------------------------------------------------------------------


def test_energy_is_counts_times_profile_exactly():
    c = OperationCounts(synaptic_ac=7, synaptic_mac=3, dense_ops=50, neuron_updates=11, spikes=5)
    assert TOY.energy(c) == 7 * 2.0**-40 + 3 * 2.0**-38 + 11 * 2.0**-39 + 5 * 2.0**-41
    assert TOY.energy(c, memory=True) == TOY.energy(c) + 10 * 2.0**-36
    assert TOY.dense_energy(c) == 50 * 2.0**-38 + 11 * 2.0**-39
    assert TOY.dense_energy(c, memory=True) == TOY.dense_energy(c) + 50 * 2.0**-36
    dense = dataclasses.replace(TOY, spiking=False)
    assert dense.energy(c) == dense.dense_energy(c)
    terms = TOY.energy_terms(c)
    assert terms == {"synaptic": 7 * 2.0**-40 + 3 * 2.0**-38, "neuron": 11 * 2.0**-39,
                     "routing": 5 * 2.0**-41, "memory": 0.0}


counts_strategy = st.builds(
    OperationCounts,
    synaptic_ac=st.floats(0, 1e6), synaptic_mac=st.floats(0, 1e6), dense_ops=st.floats(0, 1e7),
    neuron_updates=st.floats(0, 1e5), spikes=st.floats(0, 1e5),
)


@settings(max_examples=50, deadline=None)
@given(a=counts_strategy, b=counts_strategy, name=st.sampled_from(sorted(HARDWARE_PROFILES)))
def test_energy_is_linear_in_counts(a, b, name):
    hw = HARDWARE_PROFILES[name]
    assert math.isclose(hw.energy(a + b), hw.energy(a) + hw.energy(b), rel_tol=1e-12, abs_tol=1e-30)
    assert hw.energy(a) >= 0


def test_memory_none_adds_nothing():
    c = OperationCounts(synaptic_ac=100)
    loihi = get_hardware_profile("loihi")
    assert loihi.energy(c, memory=True) == loihi.energy(c)


def test_preset_numbers_match_their_sources():
    hw = HARDWARE_PROFILES
    # Horowitz ISSCC 2014 table (45 nm, 0.9 V): fp32 add 0.9, mult 3.7; fp16 0.4, 1.1; int8 0.03, 0.2
    assert (hw["cmos45_fp32"].energy_per_ac, hw["cmos45_fp32"].energy_per_mac) == (0.9e-12, 4.6e-12)
    assert (hw["cmos45_fp16"].energy_per_ac, hw["cmos45_fp16"].energy_per_mac) == (0.4e-12, 1.5e-12)
    assert (hw["cmos45_int8"].energy_per_ac, hw["cmos45_int8"].energy_per_mac) == (0.03e-12, 0.23e-12)
    assert hw["cmos45_fp32"].energy_per_memory_access == 10e-12
    assert hw["cmos45_fp32"].spiking and not hw["cmos45_fp32_dense"].spiking
    # Davies et al. 2018, Table 2
    loihi = hw["loihi"]
    assert (loihi.energy_per_ac, loihi.energy_per_neuron_update, loihi.energy_per_spike) == (
        23.6e-12, 81e-12, 1.7e-12)
    # Hoppner et al. 2019 as in keras-spiking
    assert (hw["spinnaker"].energy_per_ac, hw["spinnaker"].energy_per_neuron_update) == (13.3e-9, 26e-9)
    assert (hw["spinnaker2"].energy_per_ac, hw["spinnaker2"].energy_per_neuron_update) == (450e-12, 2.19e-9)
    for profile in hw.values():
        assert profile.citation


def test_truenorth_derivation_reproduces_the_published_points():
    tn = HARDWARE_PROFILES["truenorth"]
    events_per_hz = 2**20 * 128
    # Akopyan et al. 2015 Fig. 17 at 0.8 V: the fit passes the outer points and predicts the middle
    for rate, watts, tol in ((11.58, 68e-3, 1e-12), (95.93, 94e-3, 1e-12), (20.07, 71e-3, 0.01)):
        predicted = _hardware.TRUENORTH_BASELINE_POWER + tn.energy_per_ac * rate * events_per_hz
        assert math.isclose(predicted, watts, rel_tol=tol)
    assert math.isclose(tn.energy_per_ac, 2.30e-12, rel_tol=0.01)
    assert math.isclose(tn.energy_per_neuron_update, 61.4e-12, rel_tol=0.01)
    # Merolla et al. 2014: 26 pJ per synaptic event counting total energy at 20 Hz, 128 synapses
    per_event_total = tn.energy_per_ac + tn.energy_per_neuron_update / (20e-3 * 128)
    assert math.isclose(per_event_total, 26e-12, rel_tol=0.02)


def test_unknown_hardware_lists_known_names():
    with pytest.raises(ValueError, match="Unknown hardware 'loihi3'.*loihi, spinnaker"):
        get_hardware_profile("loihi3")
    with pytest.raises(ValueError, match="cmos45_fp32"):
        make_energy_scorer("gpu")
    with pytest.raises(ValueError, match="truenorth"):
        energy_report(None, None, hardware="akida")
    with pytest.raises(TypeError, match="HardwareProfile"):
        get_hardware_profile(3)
    assert get_hardware_profile("SpiNNaker-2") is HARDWARE_PROFILES["spinnaker2"]
    assert get_hardware_profile(TOY) is TOY


@pytest.mark.parametrize("field, value, error", [
    ("energy_per_ac", -1e-12, ValueError), ("energy_per_mac", float("nan"), ValueError),
    ("energy_per_spike", "1 pJ", TypeError), ("spiking", 1, TypeError), ("name", "", ValueError),
])
def test_profile_validation(field, value, error):
    with pytest.raises(error, match=field):
        dataclasses.replace(TOY, **{field: value})


def test_profile_is_frozen_and_picklable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TOY.energy_per_ac = 1.0
    assert pickle.loads(pickle.dumps(HARDWARE_PROFILES["loihi"])) == HARDWARE_PROFILES["loihi"]
    with pytest.raises(TypeError, match="OperationCounts"):
        TOY.energy({"spikes": 1})


# --- report ---------------------------------------------------------------------------------


def test_energy_report_per_step_and_dense_equivalent():
    X = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]] * 5)
    y = np.arange(10) % 2

    @register_operation_counter(FunctionTransformer)
    def _count_sum(est, X):  # a spike-count readout: one accumulate per input spike
        n_spikes = float(np.asarray(X).sum()) / len(X)
        return OperationCounts(synaptic_ac=n_spikes, dense_ops=float(np.prod(np.shape(X)[1:])))

    try:
        pipe = make_pipeline(
            _deterministic_encoder(n_steps=10),
            FunctionTransformer(lambda s: s.sum(axis=1).astype(float)),
            LogisticRegression(),
        ).fit(X, y)
        report = energy_report(pipe, X, hardware=TOY)
    finally:
        _counting._COUNTERS.pop(FunctionTransformer, None)
    assert isinstance(report, EnergyReport)
    assert [s.name for s in report.steps] == ["poissonencoder", "functiontransformer", "logisticregression"]
    assert [s.estimator for s in report.steps] == ["PoissonEncoder", "FunctionTransformer", "LogisticRegression"]
    enc, readout, clf = report.steps
    assert enc.counts.spikes == 15.0 and enc.joules == 15 * 2.0**-41 and enc.dense_joules == 0.0
    assert readout.counts.synaptic_ac == 15.0 and readout.counts.dense_ops == 30.0
    assert readout.joules == 15 * 2.0**-40 and readout.dense_joules == 30 * 2.0**-38
    # the classifier gets spike counts (10 or 0 per channel): non-zero inputs 2 and 1
    assert clf.counts.synaptic_mac == 1.5 and clf.counts.dense_ops == 3
    assert report.joules_per_sample == sum(s.joules for s in report.steps)
    assert report.dense_joules_per_sample == sum(s.dense_joules for s in report.steps)
    assert report.dense_ratio == report.dense_joules_per_sample / report.joules_per_sample
    assert report.counts.spikes == 15.0

    data = report.as_dict()
    json.dumps(data)
    assert data["hardware"]["name"] == "toy"
    assert data["steps"][1]["counts"]["synaptic_ac"] == 15.0
    text = str(report)
    for word in ("toy", "poissonencoder", "LogisticRegression", "total", "dense J/sample"):
        assert word in text
    assert "EnergyReport toy" in repr(report)


def test_energy_report_on_every_preset_is_finite():
    X = np.random.RandomState(0).rand(20, 4)
    enc = PoissonEncoder(max_rate=200, n_steps=20, random_state=0).fit(X)
    for name in HARDWARE_PROFILES:
        report = energy_report(enc, X, hardware=name)
        assert np.isfinite(report.joules_per_sample)
        assert name in str(report)


# --- scorer ---------------------------------------------------------------------------------


def test_scorer_returns_minus_joules_and_pickles():
    X = np.random.RandomState(0).rand(20, 4)
    y = np.arange(20) % 2
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    scorer = make_energy_scorer("cmos45_fp32_dense")
    expected = HARDWARE_PROFILES["cmos45_fp32_dense"].energy(count_operations(pipe, X))
    assert scorer(pipe, X, y) == -expected == -(4 + 4) * 4.6e-12
    clone = pickle.loads(pickle.dumps(scorer))
    assert clone(pipe, X) == scorer(pipe, X, y)
    assert repr(scorer) == "make_energy_scorer(hardware='cmos45_fp32_dense')"
    with_memory = make_energy_scorer("cmos45_fp32_dense", memory=True)
    assert with_memory(pipe, X) == -(8 * 4.6e-12 + 8 * 10e-12)
    assert "memory=True" in repr(with_memory)


def test_grid_search_with_energy_score_falls_as_model_shrinks():
    rng = np.random.RandomState(0)
    X = rng.rand(60, 8)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), PCA(), LogisticRegression()),
        {"pca__n_components": [6, 4, 2]},
        scoring={"accuracy": "accuracy", "energy": make_energy_scorer("loihi")},
        refit="accuracy", cv=3, n_jobs=2,
    ).fit(X, y)
    joules = -search.cv_results_["mean_test_energy"]
    assert np.all(np.isfinite(joules)) and np.all(joules > 0)
    assert np.all(np.diff(joules) < 0)
    assert hasattr(search, "best_estimator_")
