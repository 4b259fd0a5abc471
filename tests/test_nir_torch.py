"""skspike.nir against real consumers: snnTorch's NIR import/export and NeuroBench's op counts.

Needs the test extra (nir, nirtorch, snntorch, torch==2.13.0 CPU); the NeuroBench comparison also
needs neurobench (installed with ``pip install --no-deps neurobench``) and is skipped without it.
"""

import contextlib
import io

import numpy as np
import pytest

torch = pytest.importorskip("torch")
snn = pytest.importorskip("snntorch")
nir = pytest.importorskip("nir")
pytest.importorskip("nirtorch")

from sklearn.datasets import load_digits  # noqa: E402
from snntorch.export_nir import export_to_nir  # noqa: E402
from snntorch.import_nir import import_from_nir  # noqa: E402

from skspike.classifiers import NGSNNClassifier  # noqa: E402
from skspike.feature_extraction import STDPFeatureExtractor  # noqa: E402
from skspike.neurons import AdaptiveLIF, simulate  # noqa: E402
from skspike.nir import from_nir, nir_input, to_nir  # noqa: E402

SNNTORCH_DT = 1e-4  # snnTorch's importer and exporter assume this step (s)


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):  # snnTorch prints warnings on stdout
        return fn(*args, **kwargs)


def _via_file(graph, tmp_path, name):
    path = tmp_path / f"{name}.nir"
    nir.write(path, graph)
    return nir.read(path)


def _run_snntorch(module, data):
    """Step an imported snnTorch GraphModule over data (n_samples, n_steps, ...); returns its outputs."""
    import snntorch.utils

    snntorch.utils.reset(module)
    x = torch.tensor(np.asarray(data), dtype=torch.float32)
    out, state = [], None
    with torch.no_grad():
        for t in range(x.shape[1]):
            y, state = module(x[:, t], state)
            out.append(y.numpy())
    return np.stack(out, axis=1)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:400], y[:400], X[400:600]


@pytest.mark.parametrize("activity", ["trace", "rate"])
def test_ngsnn_runs_in_snntorch(digits, tmp_path, activity):
    X, y, X_test = digits
    clf = NGSNNClassifier(activity=activity, max_neurons=30, n_candidates=10, random_state=0).fit(X, y)
    # snnTorch steps 1e-4 s: rescale the time axis so its Euler step is skspike's 1 ms step
    hidden = _via_file(to_nir(clf, dt=SNNTORCH_DT, input="standardised", readout=False), tmp_path, "hidden")
    full = _via_file(to_nir(clf, dt=SNNTORCH_DT, input="standardised"), tmp_path, "full")
    data = nir_input(clf, X_test, input="standardised")
    T = int(hidden.metadata["n_steps"])
    theirs = _run_snntorch(_quiet(import_from_nir, hidden), np.repeat(data[:, None], T, axis=1))
    ours, _ = simulate(clf.neuron_, data, clf.input_weights_, bias=clf.biases_, n_steps=T, dt=clf.dt)
    assert ours.sum() > 100
    assert np.mean(theirs == ours) >= 0.999
    # the exported read-out (I -> [I ->] Affine, forward Euler) applied to snnTorch's spikes
    acc = theirs.astype(np.float64)
    for name in ("count", "trace"):
        if name in full.nodes:
            acc = np.cumsum(acc * SNNTORCH_DT * full.nodes[name].r, axis=1)
    readout = full.nodes["readout"]
    scores = acc[:, -1] @ readout.weight.T + readout.bias
    np.testing.assert_array_equal(clf.classes_[scores.argmax(axis=1)], clf.predict(X_test))


def test_stdp_runs_in_snntorch(digits, tmp_path):
    X = digits[0]
    rng = np.random.default_rng(1)
    spikes = (rng.random((60, 100, 64)) < X[:60, None, :] / 30.0).astype(np.uint8)
    # feed-forward (inhibition=0): snnTorch 1.0 + nirtorch 2.6 cannot import LIF<->Linear cycles from a file
    est = STDPFeatureExtractor(n_neurons=12, neuron=AdaptiveLIF.diehl_cook(t_ref=0.0, v_reset=-65.0),
                               inhibition=0.0, encoder=None, inference_inhibition=None, inference_window=1,
                               off_channels=False, output="spikes", random_state=0).fit(spikes[:40])
    graph = _via_file(to_nir(est, dt=SNNTORCH_DT), tmp_path, "stdp")
    theirs = _run_snntorch(_quiet(import_from_nir, graph), spikes[40:])
    ours = est.transform(spikes[40:])
    assert ours.sum() > 50
    assert np.mean(theirs == ours) >= 0.999
    np.testing.assert_array_equal(theirs.sum(axis=1), est.set_params(output="counts").transform(spikes[40:]))


def _leaky(n, beta):
    shape = n if isinstance(n, tuple) else (n,)
    return snn.Leaky(beta=torch.full(shape, beta), threshold=torch.ones(shape), init_hidden=True,
                     reset_mechanism="zero", reset_delay=False)


def _dense_net():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(20, 30), _leaky(30, 0.9), torch.nn.Linear(30, 5), _leaky(5, 0.8))
    net[-1].output = True
    with torch.no_grad():
        net[0].weight.mul_(3.0)
        net[2].weight[net[2].weight.abs() < 0.05] = 0.0  # some zero weights
    return net, (20,)


def _synaptic_net():
    torch.manual_seed(1)
    syn = snn.Synaptic(alpha=torch.full((16,), 0.7), beta=torch.full((16,), 0.85), threshold=torch.ones(16),
                       init_hidden=True, reset_mechanism="zero", reset_delay=False)
    net = torch.nn.Sequential(torch.nn.Linear(12, 16), syn, torch.nn.Linear(16, 4), _leaky(4, 0.9))
    net[-1].output = True
    return net, (12,)


def _deep_flatten_net():
    torch.manual_seed(5)
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(2 * 4 * 4, 24), _leaky(24, 0.9),
                              torch.nn.Linear(24, 16), _leaky(16, 0.95), torch.nn.Linear(16, 4), _leaky(4, 0.8))
    net[-1].output = True
    with torch.no_grad():
        for i in (1, 3, 5):
            net[i].weight.mul_(3.0)
    return net, (2, 4, 4)


def _conv_net():
    torch.manual_seed(2)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(2, 4, 3, padding=1), _leaky((4, 8, 8), 0.9),
        torch.nn.AvgPool2d(2), torch.nn.Flatten(), torch.nn.Linear(4 * 4 * 4, 6), _leaky(6, 0.8))
    net[-1].output = True
    with torch.no_grad():
        net[0].weight.mul_(4.0)
        net[4].weight.mul_(15.0)
    return net, (2, 8, 8)


def _reference(net, x):
    import snntorch.utils

    snntorch.utils.reset(net)
    out = []
    with torch.no_grad():
        for t in range(x.shape[1]):
            spk, _ = net(x[:, t])
            out.append(spk.numpy())
    return np.stack(out, axis=1)


@pytest.mark.parametrize("make", [_dense_net, _synaptic_net, _deep_flatten_net], ids=["leaky", "synaptic", "deep"])
def test_snntorch_network_imported_with_identical_spikes_and_neurobench_counts(make, tmp_path):
    net, shape = make()
    graph = _quiet(export_to_nir, net, torch.zeros((1,) + shape), ignore_dims=[0])
    graph = _via_file(graph, tmp_path, "net")
    gen = torch.Generator().manual_seed(3)
    if make is _deep_flatten_net:  # real-valued input: multiply-accumulates in the first layer
        x = torch.rand((32, 40) + shape, generator=gen)
    else:
        x = (torch.rand((32, 40) + shape, generator=gen) < 0.3).float()
    expected = _reference(net, x)
    model = from_nir(graph, dt=SNNTORCH_DT)
    ours = model.simulate(x.numpy())
    assert expected.sum() > 50
    np.testing.assert_array_equal(ours.reshape(expected.shape), expected)
    counts = model.count_operations(x.numpy())
    assert (counts.synaptic_mac > 0) == (make is _deep_flatten_net)
    _compare_neurobench(net, x, counts)


def _compare_neurobench(net, x, counts):
    pytest.importorskip("neurobench")
    from neurobench.benchmarks import Benchmark
    from neurobench.metrics.workload import ActivationSparsity, SynapticOperations
    from neurobench.models import SNNTorchModel
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(x, torch.zeros(x.shape[0])), batch_size=16)
    bench = Benchmark(SNNTorchModel(net), loader, [], [], [[], [SynapticOperations, ActivationSparsity]])
    result = bench.run(quiet=True)
    ops = result["SynapticOperations"]
    assert counts.synaptic_ac == pytest.approx(ops["Effective_ACs"], rel=1e-12)
    assert counts.synaptic_mac == pytest.approx(ops["Effective_MACs"], rel=1e-12, abs=1e-9)
    assert counts.dense_ops == pytest.approx(ops["Dense"], rel=1e-12)
    assert counts.activation_sparsity == pytest.approx(result["ActivationSparsity"], rel=1e-12)


def test_snntorch_conv_network(tmp_path):
    net, shape = _conv_net()
    graph = _quiet(export_to_nir, net, torch.zeros((1,) + shape), ignore_dims=[0])
    assert {type(v).__name__ for v in graph.nodes.values()} >= {"Conv2d", "AvgPool2d", "Flatten", "LIF"}
    x = (torch.rand((16, 30) + shape, generator=torch.Generator().manual_seed(4)) < 0.3).float()
    expected = _reference(net, x)
    model = from_nir(graph, dt=SNNTORCH_DT)
    ours = model.simulate(x.numpy())
    assert expected.sum() > 20
    np.testing.assert_array_equal(ours.reshape(expected.shape), expected)
    _compare_neurobench(net, x, model.count_operations(x.numpy()))
