"""Tests of SNNLZCClassifier and its training kernels."""

import dataclasses
import pickle

import numpy as np
import pytest

from skspike import OperationCounts
from skspike.classifiers import SNNLZCClassifier
from skspike.classifiers import _snnlzc_kernels as K
from skspike.datasets import make_spike_trains
from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron, simulate
from skspike.neurons import _kernels as NK

from naive_snnlzc import (forward_mode_gradients, pseudo_loss_izhikevich, pseudo_loss_lif_family,
                          simulate_layer)

# The layer models the former neuron="lif" / "meta" strings meant.
MODELS = {"lif": LIF(), "meta": MetaNeuron(a=0.5, b=0.5, d=0.2)}

CONFIGS = [
    ("lif", False, 0.0),
    ("lif", True, 0.0),
    ("meta", False, 0.0),
    ("meta", True, 3.0),
]


def _layer(neuron, subtract, tau_syn, n_in=6, n_out=4, seed=0):
    rng = np.random.RandomState(seed)
    tau_m = rng.uniform(5.0, 30.0, n_out)
    tau_u = rng.uniform(20.0, 200.0, n_out)
    v_thresh = rng.uniform(0.6, 1.4, n_out)
    a, b, d = (0.5, 0.5, 0.2) if neuron == "meta" else (0.0, 0.0, 0.0)
    weights = rng.normal(6.0, 6.0, (n_in, n_out))
    bias = rng.normal(0.0, 0.3, n_out)
    params = K.pack_params(tau_m, tau_u, v_thresh, a, b, d, tau_syn, subtract, 1.0)
    return dict(tau_m=tau_m, tau_u=tau_u, v_thresh=v_thresh, a=a, b=b, d=d, tau_syn=tau_syn,
                weights=weights, bias=bias, params=params)


def _kernel_forward(spikes, s, layer, model=NK.MODEL_META, static=None):
    """The training kernel's forward pass of sample ``s``: (vprev, uprev, syn, vpre, sub, out)."""
    n_steps = spikes.shape[1] if static is None else 60
    n_out = layer["weights"].shape[1]
    arrays = [np.empty((n_steps, n_out)) for _ in range(4)]
    sub = np.empty((n_steps, NK.n_substeps_recorded(model, layer["params"]), n_out))
    out = np.empty((n_steps, n_out), dtype=np.uint8)
    K._forward(spikes, np.zeros((0, 0)) if static is None else static, s, static is not None,
               layer["weights"], layer["bias"], model, layer["params"], *arrays, sub, out)
    return (*arrays, sub, out)


@pytest.mark.parametrize("neuron,subtract,tau_syn", CONFIGS)
def test_training_forward_matches_simulate(neuron, subtract, tau_syn):
    X, _ = make_spike_trains(n_samples=12, n_steps=80, n_channels=6, rates=[80.0, 150.0], random_state=1)
    layer = _layer(neuron, subtract, tau_syn)
    reset = "subtract" if subtract else "zero"
    if neuron == "lif":
        model = LIF(tau_m=layer["tau_m"], v_thresh=layer["v_thresh"], reset=reset, tau_syn=tau_syn)
    else:
        model = MetaNeuron(tau_m=layer["tau_m"], tau_u=layer["tau_u"], v_thresh=layer["v_thresh"],
                           a=layer["a"], b=layer["b"], d=layer["d"], reset=reset, tau_syn=tau_syn)
    expected, _ = simulate(model, X, layer["weights"], bias=layer["bias"], output="spikes")
    voltage, _ = simulate(model, X, layer["weights"], bias=layer["bias"], output="voltage")
    assert 0.02 < expected.mean() < 0.8  # the comparison covers spikes and silences
    for s in range(X.shape[0]):
        *_, vpre, _, out = _kernel_forward(X, s, layer)
        np.testing.assert_array_equal(out, expected[s])
        # voltage after reset equals the pre-threshold potential where no spike
        quiet = out == 0
        np.testing.assert_array_equal(vpre[quiet], voltage[s][quiet])


@pytest.mark.parametrize("neuron,subtract,tau_syn", CONFIGS)
def test_training_forward_matches_simulate_static_current(neuron, subtract, tau_syn):
    rng = np.random.RandomState(2)
    X = rng.normal(0.1, 0.2, (10, 6))
    X[X < 0] = 0.0  # zeros exercise the skipped inputs
    layer = _layer(neuron, subtract, tau_syn)
    reset = "subtract" if subtract else "zero"
    model = MetaNeuron(tau_m=layer["tau_m"], tau_u=layer["tau_u"], v_thresh=layer["v_thresh"],
                       a=layer["a"], b=layer["b"], d=layer["d"], reset=reset, tau_syn=tau_syn)
    expected, _ = simulate(model, X, layer["weights"], bias=layer["bias"], n_steps=60, output="spikes")
    assert 0.02 < expected.mean() < 0.8
    for s in range(X.shape[0]):
        out = _kernel_forward(np.zeros((0, 0, 0), dtype=np.uint8), s, layer, static=X)[-1]
        np.testing.assert_array_equal(out, expected[s])


@pytest.mark.parametrize("neuron,subtract,tau_syn", CONFIGS)
def test_naive_reference_forward(neuron, subtract, tau_syn):
    X, _ = make_spike_trains(n_samples=3, n_steps=60, n_channels=6, rates=120.0, random_state=2)
    layer = _layer(neuron, subtract, tau_syn)
    for s in range(3):
        *_, vpre, _, out = _kernel_forward(X, s, layer)
        ref_v, ref_out = simulate_layer(
            X[s], layer["weights"], layer["bias"], layer["tau_m"], layer["tau_u"], layer["v_thresh"],
            layer["a"], layer["b"], layer["d"], tau_syn, float(subtract))
        np.testing.assert_array_equal(out, ref_out)
        np.testing.assert_allclose(vpre, ref_v, rtol=1e-10, atol=1e-12)


def _run_backward(X, s, layer, g_spike, seed_v, slope, use_surrogate, model=NK.MODEL_META):
    n_steps = X.shape[1]
    n_in, n_out = layer["weights"].shape
    vprev, uprev, syn, vpre, sub, out = _kernel_forward(X, s, layer, model)
    lsyn = np.zeros((n_steps, n_out))
    g_intr = np.zeros((K.N_GRADS, n_out))
    g_bias = np.zeros(n_out)
    if model == NK.MODEL_IZHIKEVICH:
        K._backward_izhikevich(layer["params"], vpre, sub, out, g_spike, seed_v, slope, use_surrogate,
                               lsyn, g_intr, g_bias)
        grads = dict(a=g_intr[K.G_IZ_A], b=g_intr[K.G_IZ_B], v_peak=g_intr[K.G_THRESH],
                     d=g_intr[K.G_JUMP])
    else:
        K._backward(layer["params"], vprev, uprev, syn, vpre, out, layer["bias"], g_spike, seed_v, slope,
                    use_surrogate, model == NK.MODEL_ADAPTIVE, lsyn, g_intr, g_bias)
        grads = dict(decay_m=g_intr[K.G_DECAY_M], decay_u=g_intr[K.G_DECAY_U],
                     v_thresh=g_intr[K.G_THRESH])
    g_w = np.zeros((n_in, n_out))
    K._scatter_weights(X, s, lsyn, g_w)
    return dict(w=g_w, bias=g_bias, **grads), out


@pytest.mark.parametrize("neuron,subtract,tau_syn", CONFIGS)
@pytest.mark.parametrize("use_surrogate", [True, False])
def test_bptt_matches_forward_mode_reference(neuron, subtract, tau_syn, use_surrogate):
    X, _ = make_spike_trains(n_samples=2, n_steps=50, n_channels=6, rates=150.0, random_state=3)
    layer = _layer(neuron, subtract, tau_syn, seed=4)
    rng = np.random.RandomState(5)
    g_spike = rng.normal(size=4)
    seed_v = rng.normal(size=(50, 4)) * (rng.rand(50, 4) < 0.2)
    for s in range(2):
        got, out = _run_backward(X, s, layer, g_spike, seed_v, 5.0, use_surrogate)
        assert out.any()
        ref = forward_mode_gradients(
            X[s], layer["weights"], layer["bias"], layer["tau_m"], layer["tau_u"], layer["v_thresh"],
            layer["a"], layer["b"], layer["d"], tau_syn, float(subtract), g_spike, seed_v, 5.0,
            use_surrogate)
        for key in ref:
            np.testing.assert_allclose(got[key], ref[key], rtol=1e-8, atol=1e-10, err_msg=key)


# Layers of every trainable model for the finite-difference check (3 neurons, per-neuron values).
def _fd_neuron(name, rng):
    n = 3
    if name.startswith("izhikevich"):
        return Izhikevich(a=rng.uniform(0.02, 0.1, n), b=rng.uniform(0.15, 0.25, n),
                          c=rng.uniform(-65.0, -55.0, n), d=rng.uniform(2.0, 8.0, n),
                          tau_syn=2.0 if name.endswith("syn") else 0.0)
    common = dict(tau_m=rng.uniform(5.0, 30.0, n), v_thresh=rng.uniform(0.6, 1.4, n),
                  reset="subtract" if "subtract" in name else "zero",
                  tau_syn=3.0 if name.endswith("syn") else 0.0)
    if name.startswith("adaptive"):
        return AdaptiveLIF(tau_adapt=rng.uniform(20.0, 100.0, n), theta_jump=rng.uniform(0.1, 0.5, n),
                           **common)
    if name.startswith("meta"):
        return MetaNeuron(tau_u=rng.uniform(20.0, 200.0, n), a=0.5, b=0.5, d=0.2, **common)
    return LIF(**common)


FD_STEPS = (1e-6, 1e-7, 1e-8)  # relative steps of the central differences
FD_LAYERS = ["lif", "meta-subtract-syn", "adaptive", "adaptive-subtract", "adaptive-syn",
             "izhikevich", "izhikevich-syn"]


def _pseudo(neuron, X, weights, bias, g_spike, seed_v, slope, fixed=None):
    if isinstance(neuron, Izhikevich):
        p = {f: np.broadcast_to(getattr(neuron, f), (3,)) for f in ("a", "b", "c", "d", "v_peak", "v_init")}
        return pseudo_loss_izhikevich(X, weights, bias, dict(p, tau_syn=neuron.tau_syn), g_spike, seed_v,
                                      slope, fixed)
    p = dict(tau_m=neuron.tau_m, v_thresh=neuron.v_thresh, v_rest=0.0, v_reset=0.0, r_m=1.0,
             tau_syn=neuron.tau_syn, subtract=float(neuron.reset == "subtract"))
    if isinstance(neuron, AdaptiveLIF):
        p.update(adaptive=True, tau_adapt=neuron.tau_adapt, theta_jump=neuron.theta_jump)
    elif isinstance(neuron, MetaNeuron):
        p.update(tau_u=neuron.tau_u, a=neuron.a, b=neuron.b, d=neuron.d)
    else:
        p.update(tau_u=100.0, a=0.0, b=0.0, d=0.0)
    return pseudo_loss_lif_family(X, weights, bias, p, g_spike, seed_v, slope, fixed)


@pytest.mark.parametrize("name", FD_LAYERS)
def test_bptt_equals_finite_differences_of_the_surrogate_forward(name):
    """Reverse-mode gradients of every model = central differences of the pseudo-forward (naive_snnlzc)."""
    rng = np.random.RandomState(7)
    neuron = _fd_neuron(name, rng)
    izh = isinstance(neuron, Izhikevich)
    X, _ = make_spike_trains(n_samples=1, n_steps=40, n_channels=5, n_classes=1, rates=150.0, random_state=3)
    # (the synaptic filter of the Izhikevich layer sums ~3 steps of input; its gradients grow
    # fast with the drive near the spike's runaway, beyond what central differences resolve)
    weights = rng.normal(6.0, 6.0, (5, 3))
    if izh:
        weights = rng.normal(8.0, 4.0, (5, 3)) / (1.0 + neuron.tau_syn)
    bias = rng.normal(0.0, 0.3, 3)
    model, params = K.pack_model(neuron, 3, 1.0)
    slope = 25.0 / (95.0 if izh else 1.0)
    g_spike = rng.normal(size=3)
    seed_v = rng.normal(size=(40, 3)) * (rng.rand(40, 3) < 0.2)
    layer = dict(weights=weights, bias=bias, params=params)
    if izh:  # past v_peak the potential is the runaway's, too steep for central differences
        seed_v[_run_backward(X, 0, layer, g_spike, seed_v, slope, True, model)[1] != 0] = 0.0
    got, out = _run_backward(X, 0, layer, g_spike, seed_v, slope, True, model)
    assert 0 < out.sum() < 0.8 * out.size  # spikes and silences
    loss0, fixed = _pseudo(neuron, X[0], weights, bias, g_spike, seed_v, slope)
    np.testing.assert_array_equal(fixed[0], out.astype(bool))  # the pseudo-forward is the forward

    def central(make, x0, rel_step):
        eps = rel_step * max(abs(x0), 1e-2)
        vals = []
        for sign in (1, -1):
            n, w, b = make(x0 + sign * eps)
            vals.append(_pseudo(n, X[0], w, b, g_spike, seed_v, slope, fixed)[0])
        return (vals[0] - vals[1]) / (2 * eps)

    def field(f, j):
        def make(x):
            arr = np.array(np.broadcast_to(getattr(neuron, f), (3,)), dtype=float)
            arr[j] = x
            return dataclasses.replace(neuron, **{f: arr}), weights, bias
        return make

    checks = []
    for i, j in [(0, 0), (2, 1), (4, 2)]:
        def make_w(x, i=i, j=j):
            w = weights.copy()
            w[i, j] = x
            return neuron, w, bias
        checks.append((f"w[{i},{j}]", make_w, weights[i, j], got["w"][i, j]))
    for j in range(3):
        def make_b(x, j=j):
            b = bias.copy()
            b[j] = x
            return neuron, weights, b
        checks.append((f"bias[{j}]", make_b, bias[j], got["bias"][j]))
        if izh:
            for f, key in (("a", "a"), ("b", "b"), ("d", "d"), ("v_peak", "v_peak")):
                x0 = np.broadcast_to(getattr(neuron, f), (3,))[j]
                checks.append((f"{f}[{j}]", field(f, j), x0, got[key][j]))
            continue
        checks.append((f"v_thresh[{j}]", field("v_thresh", j), neuron.v_thresh[j], got["v_thresh"][j]))
        taus = [("tau_m", "decay_m")]
        if isinstance(neuron, (AdaptiveLIF, MetaNeuron)):
            taus.append(("tau_adapt" if isinstance(neuron, AdaptiveLIF) else "tau_u", "decay_u"))
        for f, key in taus:
            tau = getattr(neuron, f)[j]
            decay = np.exp(-1.0 / tau)  # d loss / d tau = d loss / d decay * decay dt / tau^2
            checks.append((f"{f}[{j}]", field(f, j), tau, got[key][j] * decay / tau**2))
    # Truncation error falls and rounding error grows with the step: the kernel's value must
    # be met at one of three steps (near the Izhikevich runaway only the small ones resolve
    # the derivative; for small parameters only the large ones stay above rounding).
    scale = max(abs(c[3]) for c in checks)
    for label, make, x0, grad in checks:
        fd = [central(make, x0, step) for step in FD_STEPS]
        assert any(grad == pytest.approx(v, rel=1e-5, abs=1e-7 * scale) for v in fd), (label, grad, fd)


def test_detached_gradient_is_exact_for_a_fixed_spike_pattern():
    """With the spikes held fixed, d(sum seed * vpre)/dw is the true derivative."""
    X, _ = make_spike_trains(n_samples=1, n_steps=50, n_channels=6, n_classes=1, rates=150.0, random_state=3)
    layer = _layer("meta", True, 3.0, seed=4)
    rng = np.random.RandomState(6)
    seed_v = rng.normal(size=(50, 4))
    got, out = _run_backward(X, 0, layer, np.zeros(4), seed_v, 5.0, False)
    eps = 1e-6
    for i, j in [(0, 0), (3, 1), (5, 3)]:
        vals = []
        for sign in (1, -1):
            pert = dict(layer)
            pert["weights"] = layer["weights"].copy()
            pert["weights"][i, j] += sign * eps
            *_, vpre, _, out2 = _kernel_forward(X, 0, pert)
            np.testing.assert_array_equal(out2, out)
            vals.append(np.sum(seed_v * vpre))
        assert got["w"][i, j] == pytest.approx((vals[0] - vals[1]) / (2 * eps), rel=1e-5, abs=1e-7)


def test_stdp_weight_change_for_a_known_spike_pair():
    # one input spike at t=2, a silent neuron, teacher at rate 0.1: spikes at t=9, 19, ...
    n_steps = 20
    spikes = np.zeros((1, n_steps, 1), dtype=np.uint8)
    spikes[0, 2, 0] = 1
    params = K.pack_params(np.array([20.0]), 100.0, 1.0, 0.0, 0.0, 0.0, 0.0, False, 1.0)
    weights = np.array([[0.5]])
    out = [np.zeros((1, 1), dtype=np.int64), np.zeros((1, 1, 1)), np.zeros((1, 1)),
           np.zeros((1, 1)), np.zeros((1, K.N_GRADS, 1)), np.zeros(1)]
    decay = np.exp(-1.0 / 20.0)
    K.train_batch(K.RULE_STDP, spikes, np.array([0]), np.zeros((0, 0)), False, n_steps, weights,
                  np.zeros(1), NK.MODEL_META, params, np.ones((1, 1), dtype=np.uint8), np.array([0.0, 0.1]), 25.0,
                  False, decay, *out)
    counts, g_w, g_drive, g_bias = out[0], out[1], out[2], out[3]
    assert counts[0, 0] == 0
    expected = decay ** (9 - 2) + decay ** (19 - 2)  # pre-before-post potentiation at teacher spikes
    assert -g_w[0, 0, 0] == pytest.approx(expected)
    # the bias sees a constant presynaptic input: trace (1 - decay^(t+1)) / (1 - decay)
    trace = lambda t: (1 - decay ** (t + 1)) / (1 - decay)  # noqa: E731
    assert -g_bias[0, 0] == pytest.approx(trace(9) + trace(19))


def test_tempotron_update_is_psp_at_time_of_max_potential():
    # a silent neuron that should fire (a miss): its weights move by each input's
    # post-synaptic potential at t_max, inputs after t_max do not count
    n_steps = 40
    spikes = np.zeros((1, n_steps, 2), dtype=np.uint8)
    spikes[0, 3, 0] = spikes[0, 5, 1] = spikes[0, 30, 0] = 1
    params = K.pack_params(np.array([20.0]), 100.0, 1.0, 0.0, 0.0, 0.0, 0.0, False, 1.0)
    weights = np.ones((2, 1))
    out = [np.zeros((1, 1), dtype=np.int64), np.zeros((1, 2, 1)), np.zeros((1, 1)),
           np.zeros((1, 1)), np.zeros((1, K.N_GRADS, 1)), np.zeros(1)]
    K.train_batch(K.RULE_TEMPOTRON, spikes, np.array([0]), np.zeros((0, 0)), False, n_steps, weights,
                  np.zeros(1), NK.MODEL_META, params, np.ones((1, 1), dtype=np.uint8), np.array([0.02, 0.2]), 25.0,
                  True, 0.9, *out)
    counts, g_w, _, g_bias, g_intr, loss = out
    decay = np.exp(-1.0 / 20.0)
    gain = 1.0 - decay
    assert counts[0, 0] == 0
    # t_max = 5: v(5) = gain (decay^2 + 1) > v(30) = gain (decay^27 + decay^25 + 1)
    np.testing.assert_allclose(-g_w[0, :, 0], [gain * decay**2, gain])
    assert -g_bias[0, 0] == pytest.approx(gain * sum(decay**k for k in range(6)))
    assert loss[0] == pytest.approx(1.0 - gain * (decay**2 + 1))
    assert g_intr[0, K.G_THRESH, 0] == 1.0  # a miss lowers the threshold (descent on +1)


def _poisson(n_train, n_test, seed=0, n_channels=20):
    X, y = make_spike_trains(n_samples=n_train, n_steps=100, n_channels=n_channels, random_state=seed)
    Xt, yt = make_spike_trains(n_samples=n_test, n_steps=100, n_channels=n_channels, random_state=seed + 100)
    return X, y, Xt, yt


def test_poisson_rate_classes_target():
    """Issue target: Poisson classes differing in rate, >= 99.5% test accuracy (LZC readout)."""
    X, y, Xt, yt = _poisson(300, 600)
    clf = SNNLZCClassifier(max_iter=15, random_state=0).fit(X, y)
    acc = clf.score(Xt, yt)
    assert acc >= 0.995, acc
    assert clf.loss_curve_[-1] < 0.5 * clf.loss_curve_[0]


def test_markov_lzc_beats_rate_target():
    """Issue target: equal-rate Markov classes, decision="lzc" >= 10 points above "rate"."""
    kw = dict(n_steps=200, n_channels=4, process="markov")
    X, y = make_spike_trains(n_samples=300, random_state=0, **kw)
    Xt, yt = make_spike_trains(n_samples=400, random_state=50, **kw)
    assert abs(X[y == 0].mean() - X[y == 1].mean()) < 0.01  # counts carry no class information
    acc = {}
    for decision in ("lzc", "rate"):
        clf = SNNLZCClassifier(decision=decision, max_iter=15, random_state=0).fit(X, y)
        acc[decision] = clf.score(Xt, yt)
    assert acc["lzc"] >= acc["rate"] + 0.10, acc
    assert acc["lzc"] >= 0.7, acc


@pytest.mark.parametrize("rule", ["surrogate", "tempotron", "stdp"])
@pytest.mark.parametrize("neuron", ["lif", "meta"])
def test_rules_learn_and_intrinsic_params_clamped(rule, neuron):
    X, y, Xt, yt = _poisson(120, 200, seed=1, n_channels=10)
    clf = SNNLZCClassifier(neuron=MODELS[neuron], learning_rule=rule, learn_intrinsic=True, decision="rate",
                           n_per_class=2, max_iter=8, random_state=0).fit(X, y)
    assert clf.score(Xt, yt) >= 0.9
    params = clf.intrinsic_params_
    assert set(params) == ({"tau_m", "v_thresh", "tau_u"} if neuron == "meta" else {"tau_m", "v_thresh"})
    assert not np.allclose(params["tau_m"], 20.0) or not np.allclose(params["v_thresh"], 1.0)
    assert np.all((params["tau_m"] >= 1.0) & (params["tau_m"] <= 200.0 * (1 + 1e-12)))
    assert np.all((params["v_thresh"] >= 0.05 - 1e-12) & (params["v_thresh"] <= 20.0 + 1e-12))
    np.testing.assert_array_equal(clf.neuron_.tau_m, params["tau_m"])
    fixed = SNNLZCClassifier(neuron=MODELS[neuron], learning_rule=rule, n_per_class=2, max_iter=2,
                             random_state=0).fit(X, y)
    np.testing.assert_array_equal(fixed.intrinsic_params_["tau_m"], 20.0)


@pytest.mark.parametrize("neuron", [None, AdaptiveLIF(theta_jump=0.2), Izhikevich()],
                         ids=["LIF", "AdaptiveLIF", "Izhikevich"])
def test_deterministic_and_thread_count_independent(neuron):
    numba = pytest.importorskip("numba")
    X, y, Xt, _ = _poisson(64, 20, n_channels=8)
    kw = dict(neuron=neuron, learn_intrinsic=True, n_per_class=2, max_iter=3, batch_size=16, random_state=7)
    a = SNNLZCClassifier(**kw).fit(X, y)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        b = SNNLZCClassifier(**kw).fit(X, y)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    for key in a.intrinsic_params_:
        np.testing.assert_array_equal(a.intrinsic_params_[key], b.intrinsic_params_[key])
    np.testing.assert_array_equal(a.decision_function(Xt), b.decision_function(Xt))
    c = SNNLZCClassifier(**{**kw, "random_state": 8}).fit(X, y)
    assert not np.array_equal(a.coef_, c.coef_)


def test_static_input_encoders_and_api():
    rng = np.random.RandomState(0)
    X = rng.rand(60, 3)
    y = np.where(X[:, 0] > 0.5, "hi", "lo")
    for encoder in ("rate", "poisson", None):
        clf = SNNLZCClassifier(encoder=encoder, n_steps=30, n_per_class=2, max_iter=5,
                               decision="lzc+rate", random_state=0).fit(X, y)
        assert clf.input_kind_ == "static" and clf.n_features_in_ == 3
        assert set(clf.predict(X)) <= {"hi", "lo"}
        assert clf.decision_function(X).shape == (60,)
        proba = clf.predict_proba(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))
        assert clf.output_spikes(X).shape == (60, 30, 4)
    assert clf.score(X, y) > 0.8
    rate = SNNLZCClassifier(decision="rate", encoder=None, n_steps=30, max_iter=2, random_state=0).fit(X, y)
    assert not hasattr(rate, "predict_proba")


def test_count_operations_and_pickle():
    X, y, Xt, _ = _poisson(40, 10, n_channels=8)
    clf = SNNLZCClassifier(n_per_class=3, max_iter=2, decision="lzc", random_state=0).fit(X, y)
    ops = clf.count_operations(Xt)
    assert isinstance(ops, OperationCounts)
    assert ops.neuron_updates == 100 * 6
    assert ops.n_connections == 8 * 6
    spikes_in = Xt.sum() / len(Xt)
    assert ops.synaptic_ac == pytest.approx(spikes_in * 6)
    assert ops.spikes == pytest.approx(clf.output_spikes(Xt).sum() / len(Xt))
    assert ops.synaptic_mac == 6 * 2  # readout: one MAC per feature and class
    clone = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(clone.decision_function(Xt), clf.decision_function(Xt))
    rate = clf.set_params(decision="rate").fit(X, y).count_operations(Xt)
    assert rate.synaptic_mac == 0 and rate.dense_ops == 100 * 8 * 6 + 6
    multi = clf.set_params(decision="multiscale").fit(X, y)
    n_det = multi.detector_layer_["weights"].shape[1]
    ops = multi.count_operations(Xt)
    assert ops.neuron_updates == 100 * (6 + n_det)
    assert ops.synaptic_mac == multi.feature_mean_.shape[0] * 2
    clone = pickle.loads(pickle.dumps(multi))
    np.testing.assert_array_equal(clone.predict_proba(Xt), multi.predict_proba(Xt))


def test_verbose_progress_and_multiclass(capsys):
    X, y = make_spike_trains(n_samples=90, n_steps=60, n_channels=6, n_classes=3, random_state=0)
    clf = SNNLZCClassifier(n_per_class=2, max_iter=3, verbose=1, random_state=0).fit(X, y)
    err = capsys.readouterr().err
    assert "SNNLZC surrogate" in err and "epoch" in err
    assert clf.decision_function(X).shape == (90, 3)
    assert len(clf.loss_curve_) == clf.n_iter_ == 3


def test_errors():
    X, y, _, _ = _poisson(20, 2, n_channels=4)
    with pytest.raises(ValueError, match="2 classes"):
        SNNLZCClassifier(max_iter=1).fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="target_rates"):
        SNNLZCClassifier(target_rates=(0.3, 0.1), max_iter=1).fit(X, y)
    with pytest.raises(ValueError, match="binary"):
        SNNLZCClassifier(max_iter=1).fit(X * 2, y)
    clf = SNNLZCClassifier(max_iter=1, n_per_class=1).fit(X, y)
    with pytest.raises(ValueError, match="channels"):
        clf.predict(X[:, :, :3])
    with pytest.raises(ValueError, match="time steps"):
        clf.predict(X[:, :50])
    with pytest.raises(ValueError, match="static"):
        clf.predict(X[:, 0, :].astype(float))
    Xn = X.astype(float)
    Xn[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SNNLZCClassifier(max_iter=1).fit(Xn, y)


def _baselines(X, y, Xt, yt):
    """Counts + LogisticRegression and per-channel LZC + LogisticRegression, same split."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skspike.complexity import lempel_ziv_complexity

    out = {}
    for name, feat in (("counts", lambda A: A.sum(axis=1, dtype=np.float64)),
                       ("lzc", lempel_ziv_complexity)):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        out[name] = model.fit(feat(X), y).score(feat(Xt), yt)
    return out


# family: (make_spike_trains arguments, allowed shortfall below the best baseline, floor)
FAMILIES = {
    # classes differ in rate (issue 14: >= best - 1 point)
    "poisson": (dict(process="poisson", rates=[20.0, 35.0, 50.0]), 0.01, None),
    "bernoulli": (dict(process="bernoulli", rates=[20.0, 35.0, 50.0]), 0.01, None),
    # equal rate: burstiness, regularity, synchrony (issue 14: >= best - 1 point, >= 90 %)
    "markov": (dict(process="markov", rates=40.0, burstiness=[0.0, 0.3, 0.6]), 0.01, None),
    "gamma": (dict(process="gamma", rates=40.0, shape=[1.0, 3.0, 9.0]), 0.01, 0.9),
    "sync": (dict(process="sync", rates=40.0, correlation=[0.0, 0.15, 0.3]), 0.01, 0.9),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_default_classifier_matches_best_baseline_on_every_family(family):
    """Default SNNLZCClassifier against (counts, LZC) + logistic regression, same split."""
    kw, margin, floor = FAMILIES[family]
    common = dict(n_steps=150, n_channels=10, n_classes=3, **kw)
    X, y = make_spike_trains(n_samples=300, random_state=11, **common)
    Xt, yt = make_spike_trains(n_samples=300, random_state=12, **common)
    base = _baselines(X, y, Xt, yt)
    clf = SNNLZCClassifier(random_state=0).fit(X, y)
    acc = clf.score(Xt, yt)
    assert acc >= max(base.values()) - margin, (acc, base)
    # rate-coded classes: the one-SE rule keeps the counts; otherwise the complexity features
    assert clf.readout_features_ == ("counts" if family in ("poisson", "bernoulli") else "all")
    if floor is not None:
        assert acc >= floor, (acc, base)


def test_interval_detectors_count_short_intervals():
    """An interval detector of window K fires once per spike that follows the last within K steps."""
    from skspike.classifiers import _snnlzc_features as F

    layer = F.detector_layer(1.0 / 40.0, 400, 1)  # mean ISI 40 steps
    np.testing.assert_array_equal(layer["pair_windows"], [1, 4, 10, 20, 40])
    spikes = np.zeros((1, 400, 1), dtype=np.uint8)
    spikes[0, [0, 3, 100, 125, 300, 301], 0] = 1  # intervals 3, 25 and 1 steps
    counts, _ = simulate(LIF(tau_m=layer["tau_steps"], v_thresh=layer["v_thresh"], reset="zero"),
                         spikes, layer["weights"], output="counts")
    n_windows = len(layer["pair_windows"])
    np.testing.assert_array_equal(counts[0, :n_windows], [1, 2, 2, 2, 3])
    feats = np.hstack([b for b, _ in F.spike_features(spikes, layer, 1.0)])
    # pooled short-interval fractions (count / 6 input spikes) follow the total and mean LZC
    np.testing.assert_allclose(feats[0, 2 + 2 + len(layer["bins"]):][:n_windows],
                               np.array([1, 2, 2, 2, 3]) / 6.0)


def test_coincidence_detectors_fire_on_enough_simultaneous_spikes():
    from skspike.classifiers import _snnlzc_features as F

    n_ch, p = 10, 0.02
    layer = F.detector_layer(p, 100, n_ch)
    n_pair = len(layer["pair_windows"]) * n_ch
    thresh = layer["v_thresh"][n_pair:]
    taus = layer["tau_steps"][n_pair:]
    # thresholds: mean + z sd of the potential under independent channels, at least 1.5
    for tau, th, z in zip(taus, thresh, np.tile([2.0, 3.0, 5.0, 8.0], 3)):
        d = np.exp(-1.0 / tau)
        mu, sd = n_ch * p / (1 - d), np.sqrt(n_ch * p * (1 - p) / (1 - d * d))
        assert th == pytest.approx(max(mu + z * sd, 1.5))
    model = LIF(tau_m=layer["tau_steps"], v_thresh=layer["v_thresh"], reset="zero")
    for k in range(1, n_ch + 1):
        spikes = np.zeros((1, 100, n_ch), dtype=np.uint8)
        spikes[0, 50, :k] = 1
        counts, _ = simulate(model, spikes, layer["weights"], output="counts")
        np.testing.assert_array_equal(counts[0, n_pair:], (thresh <= k + 1e-9).astype(int))


@pytest.mark.parametrize("neuron, reset", [("lif", "zero"), ("meta", "zero"), ("lif", "subtract")])
def test_feature_kernel_equals_numpy_blocks(neuron, reset):
    """The one-pass numba features equal the NumPy blocks built from simulate and lempel_ziv_complexity."""
    from skspike.classifiers import _snnlzc_features as F

    X, y = make_spike_trains(n_samples=60, n_steps=80, n_channels=6, process="sync", rates=50.0,
                             correlation=[0.0, 0.5], random_state=4)
    model = MODELS[neuron]
    clf = SNNLZCClassifier(type(model)(**{**model.get_params(), "reset": reset}), max_iter=3,
                           random_state=0).fit(X, y)
    # a zero-reset layer is simulated together with the detectors, a subtractive one apart
    assert clf._kernel_args[2] == (reset == "zero")
    separate = np.hstack([b for b, _ in F.spike_features(X, clf.detector_layer_, clf.dt)
                          + F.layer_features(clf.output_spikes(X))])
    feats = clf._multiscale_features(X)
    assert feats.shape[1] == sum(k for k, _ in F.feature_layout(6, clf.detector_layer_, clf.coef_.shape[1]))
    np.testing.assert_allclose(feats, separate, rtol=1e-12, atol=0)
    # a sample gets the same row alone (one thread, see _threads_for) as inside a batch
    np.testing.assert_array_equal(clf._multiscale_features(X[3:4]), feats[3:4])
    np.testing.assert_allclose(clf.decision_function(X[3:4]), clf.decision_function(X)[3:4], rtol=1e-12)


def test_feature_kernel_equals_numpy_blocks_on_long_trains():
    """Trains longer than the four-register LZ76 parser (256 steps), also after re-binning, take the array path."""
    from skspike.classifiers import _snnlzc_features as F
    from skspike.complexity._kernels import REGISTER_MAX_STEPS

    X, y = make_spike_trains(n_samples=30, n_steps=600, n_channels=3, process="markov", rates=125.0,
                             burstiness=[0.0, 0.5], random_state=5)
    clf = SNNLZCClassifier(max_iter=2, random_state=0).fit(X, y)
    bins = clf.detector_layer_["bins"]
    assert 600 // min(bins) > REGISTER_MAX_STEPS >= 600 // max(bins)  # both paths for the binned trains
    separate = np.hstack([b for b, _ in F.spike_features(X, clf.detector_layer_, clf.dt)
                          + F.layer_features(clf.output_spikes(X))])
    np.testing.assert_allclose(clf._multiscale_features(X), separate, rtol=1e-12, atol=0)


# The common checks (tests/test_common.py runs them on the default LIF layer) on the other
# trainable models, with the same small configuration.
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from skspike.utils._estimator_checks import CHECK_PARAMS, expected_failed_checks  # noqa: E402


@parametrize_with_checks(
    [SNNLZCClassifier(neuron=neuron, **CHECK_PARAMS["SNNLZCClassifier"])
     for neuron in (AdaptiveLIF(theta_jump=0.2), Izhikevich())],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_compatible_with_every_neuron_model(estimator, check):
    check(estimator)


# Every trainable model with its defaults, and two other Izhikevich cell classes.
RATE_MODELS = {"lif": LIF(), "meta": MetaNeuron(a=0.5, b=0.5, d=0.2), "adaptive": AdaptiveLIF(),
               "izhikevich": Izhikevich(), "izhikevich-fs": Izhikevich.preset("fast_spiking"),
               "izhikevich-ch": Izhikevich.preset("chattering")}


def _two_rates(n_train=120, n_test=200):
    kw = dict(n_steps=100, n_channels=10, rates=[20.0, 40.0])
    X, y = make_spike_trains(n_samples=n_train, random_state=1, **kw)
    Xt, yt = make_spike_trains(n_samples=n_test, random_state=101, **kw)
    return X, y, Xt, yt


@pytest.mark.parametrize("name", list(RATE_MODELS))
def test_initial_layer_is_neither_silent_nor_saturated(name):
    """The untrained layer (weights from the model's drive scale) fires for both classes, below saturation."""
    X, y, _, _ = _two_rates()
    clf = SNNLZCClassifier(neuron=RATE_MODELS[name], decision="rate", max_iter=0, random_state=0).fit(X, y)
    rates = clf.output_spikes(X).mean(axis=1)
    for k in (0, 1):
        assert 0.005 < rates[y == k].mean() < 0.3, (k, rates[y == k].mean())
    assert (rates.mean(axis=0) > 0).all()  # no silent neuron
    assert rates[y == 1].mean() > rates[y == 0].mean()  # it responds to the input rate


@pytest.mark.parametrize("name", list(RATE_MODELS))
def test_bias_gradient_follows_the_spiking_loss(name):
    """Batch BPTT gradient of the surrogate loss vs central differences of the true (spiking) loss.

    Direction: each output neuron's bias. The Izhikevich layer's exact
    pseudo-gradient through its upstroke and its jump ``u += d`` was ~1e9
    times too large with a cosine of 0.2 (random direction) before these
    were detached.
    """
    X, y, _, _ = _two_rates(n_train=200)
    clf = SNNLZCClassifier(neuron=RATE_MODELS[name], decision="rate", max_iter=0, n_per_class=3,
                           random_state=0).fit(X, y)
    W, bias = clf.coef_, clf.intercept_
    n, n_out = len(X), W.shape[1]
    own = ((np.arange(n_out) // 3)[None] == y[:, None]).astype(np.uint8)
    targets = np.array([0.02, 0.2])
    model, params = K.pack_model(clf.neuron_, n_out, 1.0)
    g_bias = np.zeros((n, n_out))
    K.train_batch(K.RULE_SURROGATE, X, np.arange(n), np.zeros((0, 0)), False, X.shape[1], np.ascontiguousarray(W),
                  bias, model, params, own, targets, 25.0 / clf._voltage_scale(), False, 0.9,
                  np.zeros((n, n_out), np.int64), np.zeros((n, X.shape[2], n_out)), np.zeros((n, n_out)), g_bias,
                  np.zeros((n, K.N_GRADS, n_out)), np.zeros(n))
    grad = g_bias.mean(axis=0)

    def loss(b):
        rates = simulate(clf.neuron_, X, W, bias=b, dt=1.0, output="spikes")[0].mean(axis=1)
        return 0.5 * np.mean(np.sum((rates - targets[own]) ** 2, axis=1) / n_out)

    eps = 0.1 * clf._drive_scale(targets)
    fd = np.array([(loss(bias + eps * e) - loss(bias - eps * e)) / (2 * eps) for e in np.eye(n_out)])
    cos = grad @ fd / (np.linalg.norm(grad) * np.linalg.norm(fd))
    assert cos > 0.6, cos  # 0.99-1.0 for the LIF family, 0.78-0.95 for Izhikevich
    assert 0.03 < np.linalg.norm(grad) / np.linalg.norm(fd) < 30.0  # 0.4 (LIF) to 11 (Izhikevich RS)


@pytest.mark.parametrize("name", list(RATE_MODELS))
def test_rate_decision_learns_two_rates_with_every_model(name):
    """decision='rate' (argmax of the classes' mean counts) on 20 vs 40 Hz Poisson trains, every model."""
    X, y, Xt, yt = _two_rates()
    clf = SNNLZCClassifier(neuron=RATE_MODELS[name], decision="rate", n_per_class=2, max_iter=40,
                           random_state=0).fit(X, y)
    assert clf.score(Xt, yt) >= 0.8, clf.score(Xt, yt)
