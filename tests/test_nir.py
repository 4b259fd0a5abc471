"""skspike.nir without torch: export, file round trips, the simulator, errors, op counts."""

import pickle
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

nir = pytest.importorskip("nir")

from naive_nir import run as naive_run  # noqa: E402

from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier  # noqa: E402
from skspike.energy import count_operations, energy_report, make_energy_scorer  # noqa: E402
from skspike.feature_extraction import STDPFeatureExtractor  # noqa: E402
from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron  # noqa: E402
from skspike.nir import NIRClassifier, NIRNetwork, from_nir, nir_input, to_nir  # noqa: E402
from skspike.nir._export import NIRExportWarning  # noqa: E402

SMALL = dict(max_neurons=12, n_candidates=10, random_state=0)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:300], y[:300], X[300:420]


@pytest.fixture(scope="module")
def ngsnn(digits):
    X, y, _ = digits
    return NGSNNClassifier(**SMALL).fit(X, y)


def test_import_skspike_pulls_in_neither_nir_nor_torch():
    code = ("import sys, skspike, skspike.nir; print('nir' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("activity", ["trace", "rate"])
def test_ngsnn_graph_reproduces_decision_function(digits, activity):
    X, y, X_test = digits
    clf = NGSNNClassifier(activity=activity, **SMALL).fit(X, y)
    graph = to_nir(clf, input="standardised")
    net = from_nir(graph)
    assert isinstance(net, NIRClassifier) and net.readout_ == "last"
    data = nir_input(clf, X_test, input="standardised")
    np.testing.assert_allclose(net.decision_function(data), clf._scores(X_test), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(clf.classes_[net.predict(data)], clf.predict(X_test))


def test_exported_tau_is_the_euler_equivalent(ngsnn):
    graph = to_nir(ngsnn)
    lif = graph.nodes["hidden.lif"]
    dt = 1e-3
    # forward Euler's leak factor 1 - dt/tau equals skspike's exact exp(-dt/tau_m)
    np.testing.assert_allclose(1.0 - dt / lif.tau, np.exp(-1.0 / 20.0), rtol=1e-14)
    np.testing.assert_allclose(lif.tau, dt / (1.0 - np.exp(-1.0 / 20.0)))
    assert graph.metadata["dt"] == dt and graph.metadata["n_steps"] == 30
    # skspike's >= becomes NIR's > against the next float below the (normalised) threshold 1
    assert np.all(lif.v_threshold < 1.0) and np.all(np.nextafter(lif.v_threshold, 2.0) == 1.0)
    np.testing.assert_allclose(lif.r * dt / lif.tau, 1.0)


def test_write_read_round_trip(ngsnn, digits, tmp_path):
    _, _, X_test = digits
    graph = to_nir(ngsnn, input="standardised")
    path = tmp_path / "ngsnn.nir"
    nir.write(path, graph)
    back = nir.read(path)
    assert set(back.nodes) == set(graph.nodes) and sorted(back.edges) == sorted(graph.edges)
    for name, node in graph.nodes.items():
        for key, value in node.to_dict().items():
            if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                np.testing.assert_array_equal(back.nodes[name].to_dict()[key], value)
    data = nir_input(ngsnn, X_test, input="standardised")
    from_file = from_nir(str(path))
    np.testing.assert_array_equal(from_file.predict(data), from_nir(graph).predict(data))
    np.testing.assert_array_equal(ngsnn.classes_[from_file.predict(data)], ngsnn.predict(X_test))


def test_graph_matches_naive_euler_reference(ngsnn, digits):
    _, _, X_test = digits
    graph = to_nir(ngsnn, input="standardised")
    data = nir_input(ngsnn, X_test[:5], input="standardised")
    T = graph.metadata["n_steps"]
    ref = np.stack([naive_run(graph, np.repeat(x[None], T, 0), 1e-3) for x in data])
    ours = from_nir(graph, reduce="none").simulate(data)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9)


def test_raw_input_folds_standardisation_and_warns_about_the_clip(ngsnn, digits):
    X, _, X_test = digits
    with pytest.warns(NIRExportWarning, match="clip"):
        graph = to_nir(ngsnn)
    net = from_nir(graph)
    z = (X_test - ngsnn.input_mean_) / ngsnn.input_scale_
    inside = np.all(np.abs(z) <= 2.5, axis=1)
    # exact wherever the clip is inactive
    np.testing.assert_allclose(net.decision_function(X_test[inside]), ngsnn._scores(X_test[inside]), atol=1e-9)


def test_pipeline_scaler_is_folded(digits):
    X, y, X_test = digits
    pipe = make_pipeline(MinMaxScaler(), StandardScaler(), NGSNNClassifier(**SMALL)).fit(X, y)
    graph = to_nir(pipe, input="standardised")  # standardisation of the NGSNN itself stays outside
    data = nir_input(pipe, X_test, input="standardised")
    np.testing.assert_allclose(from_nir(graph).decision_function(data), pipe.decision_function(X_test), atol=1e-9)
    with pytest.warns(NIRExportWarning):
        raw = to_nir(pipe)
    Xs = pipe[:-1].transform(X_test)
    inside = np.all(np.abs((Xs - pipe[-1].input_mean_) / pipe[-1].input_scale_) <= 2.5, axis=1)
    np.testing.assert_allclose(from_nir(raw).decision_function(X_test[inside]),
                               pipe.decision_function(X_test[inside]), atol=1e-8)


def test_cuba_lif_with_bias_exports_v_leak(digits):
    X, y, X_test = digits
    clf = NGSNNClassifier(neuron=LIF(tau_syn=5.0), **SMALL).fit(X, y)
    graph = to_nir(clf, input="standardised")
    assert type(graph.nodes["hidden.lif"]).__name__ == "CubaLIF"
    assert np.any(graph.nodes["hidden.lif"].v_leak != 0)
    data = nir_input(clf, X_test, input="standardised")
    np.testing.assert_allclose(from_nir(graph).decision_function(data), clf._scores(X_test), atol=1e-9)
    ref = naive_run(graph, np.repeat(data[:1], 30, 0), 1e-3)
    np.testing.assert_allclose(from_nir(graph, reduce="none").simulate(data[:1])[0], ref, atol=1e-9)


def test_spike_input_ngsnn(digits):
    rng = np.random.default_rng(0)
    X, y, _ = digits
    spikes = (rng.random((200, 25, 64)) < X[:200, None, :] / 40.0).astype(np.uint8)
    # spike trains get temporal (delayed-synapse) or, rate-coded, rate neurons by default: not NIR-expressible
    with pytest.raises(ValueError, match="NIR cannot express"):
        to_nir(NGSNNClassifier(**{**SMALL, "max_neurons": 3}).fit(spikes[:150], y[:150]))
    clf = NGSNNClassifier(candidates="fields", **SMALL).fit(spikes[:150], y[:150])
    graph = to_nir(clf)
    assert graph.metadata["input"] == "spikes"
    net = from_nir(graph)
    np.testing.assert_allclose(net.decision_function(spikes[150:]), clf._scores(spikes[150:]), atol=1e-9)
    ops = net.count_operations(spikes[150:])
    assert ops.synaptic_ac > 0 and ops.synaptic_mac > 0  # spikes in (AC), integrator traces out (MAC)


def _stdp(X, inhibition):
    rng = np.random.default_rng(1)
    spikes = (rng.random((60, 80, 64)) < X[:60, None, :] / 30.0).astype(np.uint8)
    est = STDPFeatureExtractor(n_neurons=10, neuron=AdaptiveLIF.diehl_cook(t_ref=0.0, v_reset=-65.0),
                               inhibition=inhibition, encoder=None,
                               off_channels=False, output="spikes", random_state=0).fit(spikes[:40])
    return est, spikes[40:]


@pytest.mark.parametrize("inhibition", [0.0, 17.5])
def test_stdp_graph_matches_transform(digits, inhibition):
    est, spikes = _stdp(digits[0], inhibition)
    est.set_params(inference_inhibition=None, inference_window=1)  # the network as trained
    graph = to_nir(est)
    assert graph.metadata["input_repeat"] == 1
    lif = graph.nodes["hidden.lif"]
    np.testing.assert_allclose(lif.v_threshold, 1.0)  # per-neuron thresholds folded into the weights
    assert ("hidden.lif", "hidden.w_rec") in graph.edges if inhibition else "hidden.w_rec" not in graph.nodes
    expected = est.transform(spikes)
    assert expected.sum() > 20
    ref = np.stack([naive_run(graph, s, graph.metadata["dt"]) for s in spikes])
    assert np.mean(ref == expected) >= 0.999
    if not inhibition:
        np.testing.assert_array_equal(from_nir(graph, reduce="none").simulate(spikes), expected)


def test_stdp_graph_of_the_graded_readout(digits):
    """Default readout: the readout's inhibition in the graph, the train replayed input_repeat times."""
    est, spikes = _stdp(digits[0], 17.5)
    with pytest.warns(NIRExportWarning, match="inference_window=16"):
        graph = to_nir(est)
    k = graph.metadata["input_repeat"]
    assert k == 16
    rec = graph.nodes["hidden.w_rec"].weight
    trained = to_nir(est.set_params(inference_inhibition=None, inference_window=1)).nodes["hidden.w_rec"].weight
    np.testing.assert_allclose(rec * 17.5, trained * 0.5)  # 0.5 mV instead of 17.5 mV per spike
    expected = est.set_params(inference_inhibition=0.5, inference_window=16).transform(spikes)
    assert expected.shape[1] == k * spikes.shape[1]
    ref = np.stack([naive_run(graph, np.tile(s, (k, 1)), graph.metadata["dt"]) for s in spikes])
    assert np.mean(ref == expected) >= 0.999


def test_stdp_refractoriness_is_refused():
    spikes = (np.random.default_rng(0).random((10, 20, 64)) < 0.1).astype(np.uint8)
    est = STDPFeatureExtractor(n_neurons=3, encoder=None, random_state=0).fit(spikes)  # t_ref=5 ms
    with pytest.raises(ValueError, match="refractoriness"):
        to_nir(est)


def test_snnlzc_spiking_layer_only(digits):
    X, y, X_test = digits
    clf = SNNLZCClassifier(encoder=None, n_steps=20, n_per_class=2, max_iter=3, random_state=0).fit(X, y)
    with pytest.warns(NIRExportWarning, match="spiking layer"):
        graph = to_nir(clf)
    out = from_nir(graph, reduce="none").simulate(X_test)
    np.testing.assert_array_equal(out, clf.output_spikes(X_test))


@pytest.mark.parametrize(
    "neuron, match",
    [
        (LIF(reset="subtract"), "subtract reset"),
        (LIF(t_ref=2.0), "refractoriness"),
        (AdaptiveLIF(), "AdaptiveLIF"),
        (Izhikevich(), "Izhikevich"),
        (MetaNeuron(b=0.5, d=0.2), "MetaNeuron"),
    ],
)
def test_unsupported_features_are_named(neuron, match):
    X, y = load_iris(return_X_y=True)
    clf = NGSNNClassifier(neuron=neuron, max_neurons=2, n_candidates=4, n_steps=10, random_state=0,
                          early_stopping=False).fit(X[::3], y[::3])
    with pytest.raises(ValueError, match=match):
        to_nir(clf)


def test_unsupported_pipeline_step_and_estimator(ngsnn):
    from sklearn.decomposition import PCA

    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(PCA(2), NGSNNClassifier(max_neurons=2, n_candidates=4, random_state=0)).fit(X, y)
    with pytest.raises(ValueError, match="PCA"):
        to_nir(pipe)
    with pytest.raises(TypeError, match="StandardScaler"):
        to_nir(StandardScaler().fit(X))


def _toy_graph():
    W = np.array([[1.5, -0.5, 0.0], [0.2, 0.9, 0.4]])
    return nir.NIRGraph.from_list(
        nir.Affine(weight=W, bias=np.array([0.1, 0.0])),
        nir.LIF(tau=np.full(2, 5e-3), r=np.full(2, 5.0), v_leak=np.zeros(2), v_threshold=np.ones(2)),
        nir.Linear(weight=np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])),
        nir.CubaLIF(tau_syn=np.full(3, 2e-3), tau_mem=np.full(3, 4e-3), r=np.full(3, 4.0), v_leak=np.zeros(3),
                    v_threshold=np.full(3, 0.5), w_in=np.full(3, 2.0)),
    )


def test_from_nir_matches_naive_reference_on_other_nodes():
    graph = nir.NIRGraph.from_list(
        nir.Scale(scale=np.array([2.0, 1.0, 0.5])),
        nir.Affine(weight=np.array([[1.0, -1.0, 0.5], [0.3, 0.3, 0.3]]), bias=np.array([0.05, -0.1])),
        nir.LI(tau=np.full(2, 3e-3), r=np.ones(2), v_leak=np.array([0.1, 0.0])),
        nir.Threshold(threshold=np.array([0.2, 0.1])),
        nir.Linear(weight=np.array([[1.0, 2.0]])),
        nir.IF(r=np.array([400.0]), v_threshold=np.array([1.0]), v_reset=np.array([0.0])),
    )
    x = np.random.default_rng(0).normal(size=(4, 15, 3))
    ours = from_nir(graph, dt=1e-3, reduce="none").simulate(x)
    ref = np.stack([naive_run(graph, xi, 1e-3) for xi in x])
    np.testing.assert_array_equal(ours, ref)
    assert ref.sum() > 0


def test_network_api_and_energy():
    graph = _toy_graph()
    x = np.random.default_rng(0).random((6, 12, 3))
    net = from_nir(graph, dt=1e-3)
    ref = np.stack([naive_run(graph, xi, 1e-3) for xi in x])
    np.testing.assert_array_equal(net.simulate(x), ref)
    np.testing.assert_array_equal(net.transform(x), ref.sum(axis=1))
    again = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(again.transform(x), net.transform(x))
    np.testing.assert_array_equal(clone(net).fit().transform(x), net.transform(x))
    ops = count_operations(net, x)
    assert ops == net.count_operations(x)
    # layer 1: real input -> MACs on the non-zero inputs (W has one zero); layer 2: spikes -> ACs
    assert ops.synaptic_mac == pytest.approx(12 * 5)
    assert ops.dense_ops == pytest.approx(12 * (6 + 6))
    assert ops.n_activations == pytest.approx(12 * 5)
    report = energy_report(net, x, "loihi")
    assert report.joules_per_sample > 0 and report.dense_joules_per_sample > report.joules_per_sample
    clf = from_nir(graph, dt=1e-3, classes=["a", "b", "c"])
    assert clf.predict(x).shape == (6,) and set(clf.predict(x)) <= {"a", "b", "c"}
    scorer = make_energy_scorer("loihi")
    assert scorer(clf, x, clf.predict(x)) == pytest.approx(-energy_report(clf, x, "loihi").joules_per_sample)
    fitted = NIRClassifier(graph, dt=1e-3).fit(x[:, 0], ["p", "q", "r", "p", "q", "r"])
    assert list(fitted.classes_) == ["p", "q", "r"]
    with pytest.raises(ValueError, match="4 features"):
        net.transform(np.ones((2, 4)))
    with pytest.raises(ValueError, match="n_steps"):
        net.transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        net.transform(np.full((2, 5, 3), np.nan))
    with pytest.raises(ValueError, match="dt"):
        NIRNetwork(graph).fit()


def test_from_nir_rejects_recurrent_and_unknown_nodes():
    lif = nir.LIF(tau=np.ones(2), r=np.ones(2), v_leak=np.zeros(2), v_threshold=np.ones(2))
    graph = nir.NIRGraph(
        nodes={"input": nir.Input({"input": np.array([2])}), "lif": lif,
               "rec": nir.Linear(weight=np.eye(2)), "output": nir.Output({"output": np.array([2])})},
        edges=[("input", "lif"), ("lif", "rec"), ("rec", "lif"), ("lif", "output")],
    )
    with pytest.raises(ValueError, match="recurrent"):
        from_nir(graph, dt=1e-3)
    delay = nir.NIRGraph.from_list(nir.Delay(delay=np.ones(2)))
    with pytest.raises(ValueError, match="Delay"):
        from_nir(delay, dt=1e-3)


@pytest.mark.parametrize("module", ["skspike.nir._network", "skspike.nir._export"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_encoder_is_left_out_with_a_warning_and_nir_input_supplies_its_spikes(digits):
    from skspike.encoding import PoissonEncoder

    X, y, X_test = digits
    clf = NGSNNClassifier(encoder=PoissonEncoder(n_steps=20, max_rate=300.0, random_state=0), **SMALL).fit(X, y)
    with pytest.warns(NIRExportWarning, match="PoissonEncoder"):
        graph = to_nir(clf)
    assert graph.metadata["input"] == "spikes"
    spikes = nir_input(clf, X_test)
    assert spikes.ndim == 3 and spikes.shape[1] == 20
    np.testing.assert_allclose(from_nir(graph).decision_function(spikes), clf._scores(X_test), atol=1e-9)
