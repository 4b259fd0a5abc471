"""Tests of skspike.neurons.simulate and its kernels."""

import numpy as np
import pytest

from naive_neurons import lif_analytic_count, lif_analytic_rate, lif_isi_steps, naive_currents, naive_simulate
from skspike._ops import OperationCounts
from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron, simulate

# Dyadic weights: every partial sum is exact in float32 and float64, so the
# event-driven accumulation and a dense matmul agree to the last bit.
def dyadic_weights(rng, n_in, n_out, scale=1.0):
    return np.round(rng.normal(0.0, scale, (n_in, n_out)) * 64.0) / 64.0


def random_spikes(rng, n_samples, n_steps, n_in, density=0.2):
    return (rng.random((n_samples, n_steps, n_in)) < density).astype(np.uint8)


# ----------------------------------------------------------------- analytic LIF
def current_for_rate(rate_hz, *, tau_m, v_thresh, v_reset, t_ref):
    """Invert the analytic LIF rate: the constant current giving ``rate_hz``."""
    ratio = np.exp((1000.0 / rate_hz - t_ref) / tau_m)
    return (ratio * v_thresh - v_reset) / (ratio - 1.0)


LIF_CASES = [(20.0, 1.0, 0.0, 0.0), (10.0, 1.0, 0.0, 2.0), (15.0, 1.5, 0.25, 1.0)]


@pytest.mark.parametrize("tau_m, v_thresh, v_reset, t_ref", LIF_CASES)
def test_lif_rate_matches_analytic_within_one_spike(tau_m, v_thresh, v_reset, t_ref):
    # Each discrete interval is the analytic one rounded up to whole steps, so
    # the count over T lags by at most T dt / ISI^2 spikes: < 1 for rates up to
    # 100 Hz at dt = 0.1 ms over 1 s.
    dt, duration = 0.1, 1000.0
    n_steps = int(round(duration / dt))
    params = dict(tau_m=tau_m, v_thresh=v_thresh, v_reset=v_reset, t_ref=t_ref)
    rates = np.array([4.3, 10.7, 25.3, 50.9, 75.6, 99.1])
    currents = np.array([current_for_rate(r, **params) for r in rates])
    spikes, _ = simulate(LIF(**params), currents[None, :], n_steps=n_steps, dt=dt)
    for j, (current, rate_hz) in enumerate(zip(currents, rates)):
        rate = lif_analytic_rate(current, **params)
        np.testing.assert_allclose(rate * 1000.0, rate_hz, rtol=1e-6)
        count = int(spikes[0, :, j].sum())
        expected = lif_analytic_count(duration, current, **params)
        assert abs(count - expected) <= 1, (current, count, expected)
        # every interval is the analytic one on the step grid: rounded down with a
        # refractory period of at least one step (Brian2's), up without one
        intervals = np.diff(np.flatnonzero(spikes[0, :, j])) * dt
        low, high = (-dt, 0.0) if t_ref >= dt else (0.0, dt)
        assert np.all(intervals >= 1.0 / rate + low - 1e-9)
        assert np.all(intervals <= 1.0 / rate + high + 1e-9)


@pytest.mark.parametrize("tau_m, v_thresh, v_reset, t_ref", LIF_CASES)
def test_lif_rate_at_high_rates_within_discretisation_bound(tau_m, v_thresh, v_reset, t_ref):
    dt, duration = 0.1, 1000.0
    params = dict(tau_m=tau_m, v_thresh=v_thresh, v_reset=v_reset, t_ref=t_ref)
    rates = np.array([150.0, 250.0, 400.0])
    currents = np.array([current_for_rate(r, **params) for r in rates])
    counts, _ = simulate(LIF(**params), currents[None, :], n_steps=10000, dt=dt, output="counts")
    for count, rate_hz in zip(counts[0], rates):
        isi = 1000.0 / rate_hz
        # on the step grid each interval is the analytic one rounded to a whole
        # number of steps, down with a refractory period of at least one step and up
        # without one (see the test above): at most one step shorter or longer
        assert count <= duration / (isi - dt) + 1
        assert count >= duration / (isi + dt) - 1


def test_lif_rate_via_weights_and_bias_matches_analytic():
    dt, duration = 0.1, 500.0
    n_steps = int(duration / dt)
    x = np.array([[1.0], [2.0], [4.0]])
    weights = np.array([[0.5, 0.25]])
    bias = np.array([0.6, 1.0])
    counts, _ = simulate(LIF(tau_m=20.0), x, weights, bias=bias, n_steps=n_steps, dt=dt, output="counts")
    for s in range(3):
        for j in range(2):
            current = x[s, 0] * weights[0, j] + bias[j]
            expected = lif_analytic_count(duration, current, tau_m=20.0, v_thresh=1.0)
            assert abs(counts[s, j] - expected) <= 1


@pytest.mark.parametrize("reset", ["zero", "subtract"])
def test_lif_subthreshold_current_is_silent(reset):
    currents = np.array([[0.0, 0.5, 0.9, 0.999, 1.0]])
    counts, ops = simulate(LIF(tau_m=20.0, reset=reset), currents, n_steps=20000, dt=0.1, output="counts")
    assert counts.sum() == 0
    assert ops.spikes == 0.0 and ops.activation_sparsity == 1.0
    volt, _ = simulate(LIF(tau_m=20.0), currents, n_steps=20000, dt=0.1, output="voltage")
    np.testing.assert_allclose(volt[0, -1], currents[0], rtol=1e-9, atol=1e-12)
    assert (volt < 1.0).all()


def test_lif_voltage_follows_exact_exponential():
    dt, tau_m = 0.5, 20.0
    volt, _ = simulate(LIF(tau_m=tau_m), np.array([[0.8]]), n_steps=40, dt=dt, output="voltage")
    t = dt * np.arange(1, 41)
    np.testing.assert_allclose(volt[0, :, 0], 0.8 * (1 - np.exp(-t / tau_m)), rtol=1e-12)


def test_subtract_reset_keeps_overshoot():
    # one big kick of 3 thresholds: zero reset loses it, subtract keeps 2 thresholds
    x = np.zeros((1, 3, 1))
    x[0, 0, 0] = 3.0 / (1 - np.exp(-1 / 20.0))
    zero, _ = simulate(LIF(), x, output="voltage")
    sub, _ = simulate(LIF(reset="subtract"), x, output="voltage")
    assert zero[0, 0, 0] == 0.0
    np.testing.assert_allclose(sub[0, 0, 0], 2.0)


def test_refractory_period_blocks_spikes():
    # the drive reaches threshold within one step: the interval is t_ref itself
    spikes, _ = simulate(LIF(t_ref=5.0), np.array([[100.0]]), n_steps=30, dt=1.0)
    times = np.flatnonzero(spikes[0, :, 0])
    assert times[0] == 0 and np.all(np.diff(times) == 5)


ISI_CASES = [
    # tau_m, v_thresh, v_reset, t_ref, dt, current
    (20.0, 1.0, 0.0, 0.0, 0.1, 1.3),
    (20.0, 1.0, 0.0, 0.1, 0.1, 1.3),  # one step: no clamped step
    (20.0, 1.0, 0.0, 2.0, 0.1, 1.3),
    (10.0, 1.0, 0.0, 2.2, 0.1, 4.0),
    (15.0, 1.5, 0.25, 1.0, 0.25, 2.0),
    (15.0, 1.5, 0.25, 1.1, 0.25, 2.0),  # rounded to 4 steps
    (5.0, 1.0, 0.0, 3.0, 1.0, 50.0),  # climbs in one step
]


@pytest.mark.parametrize("tau_m, v_thresh, v_reset, t_ref, dt, current", ISI_CASES)
@pytest.mark.parametrize("model", [LIF, AdaptiveLIF, MetaNeuron])
def test_isi_under_constant_current_is_analytic_on_step_grid(model, tau_m, v_thresh, v_reset, t_ref, dt, current):
    params = dict(tau_m=tau_m, v_thresh=v_thresh, v_reset=v_reset, t_ref=t_ref)
    extra = {"theta_jump": 0.0} if model is AdaptiveLIF else {}
    n_steps = 4000
    spikes, _ = simulate(model(**params, **extra), np.array([[current]]), n_steps=n_steps, dt=dt)
    times = np.flatnonzero(spikes[0, :, 0])
    assert times.size > 5
    expected = lif_isi_steps(current, dt=dt, **params)
    assert np.all(np.diff(times) == expected), (np.unique(np.diff(times)), expected)


def test_refractory_clamp_matches_brian2_schedule():
    # Brian2 (non-legacy): not_refractory = timestep(t - lastspike) >= timestep(t_ref);
    # with t_ref = 2.2 ms at dt = 0.1 ms a neuron that spiked at step k integrates
    # again at step k + 22, and v stays at v_reset in steps k + 1 ... k + 21.
    x = np.zeros((1, 60, 1))
    x[0, 0, 0] = 1e3  # one spike at step 0
    x[0, 1:, 0] = 0.5  # sub-threshold drive afterwards
    volts, _ = simulate(LIF(tau_m=10.0, t_ref=2.2, v_reset=0.0), x, dt=0.1, output="voltage")
    v = volts[0, :, 0]
    assert np.all(v[:22] == 0.0)
    assert v[22] > 0.0


@pytest.mark.parametrize("model", [LIF, AdaptiveLIF, MetaNeuron])
@pytest.mark.parametrize("t_ref", [2.2e9, 1e12, 1e300])
def test_huge_refractory_period_does_not_overflow(model, t_ref):
    spikes, _ = simulate(model(t_ref=t_ref), np.array([[50.0]]), n_steps=50, dt=1.0)
    assert int(spikes.sum()) == 1


# ------------------------------------------------------- reference and paths
MODELS = [
    LIF(tau_m=10.0),
    LIF(tau_m=np.array([5.0, 10.0, 20.0, 40.0, 8.0]), reset="subtract", t_ref=2.0, tau_syn=5.0),
    LIF(tau_m=15.0, v_rest=-0.2, v_reset=-0.5, v_thresh=0.8, r_m=2.0),
    AdaptiveLIF(tau_m=10.0, tau_adapt=50.0, theta_jump=0.3),
    MetaNeuron(tau_m=10.0, tau_u=30.0, a=0.5, b=2.0, d=0.3, tau_syn=3.0),
    MetaNeuron(tau_m=10.0, tau_u=30.0, a=-0.4, b=1.0, d=0.0, reset="subtract"),
]


@pytest.mark.parametrize("neuron", MODELS, ids=lambda m: type(m).__name__)
def test_event_driven_matches_dense_reference(neuron):
    rng = np.random.default_rng(1)
    spikes_in = random_spikes(rng, 4, 60, 12, density=0.3)
    weights = dyadic_weights(rng, 12, 5, scale=2.0)
    spikes, _ = simulate(neuron, spikes_in, weights, bias=0.6)
    volt, _ = simulate(neuron, spikes_in, weights, bias=0.6, output="voltage")
    dense = naive_currents(spikes_in, weights)
    ref_spikes, ref_volt = naive_simulate(neuron, dense, bias=0.6)
    assert ref_spikes.sum() > 10  # the test exercises spiking
    np.testing.assert_array_equal(spikes, ref_spikes)
    np.testing.assert_allclose(volt, ref_volt, rtol=1e-12, atol=1e-12)
    # the dense path of simulate (currents given directly) gives the same spikes
    direct, _ = simulate(neuron, dense, bias=0.6)
    np.testing.assert_array_equal(direct, spikes)


def test_static_input_equals_repeated_current_input():
    rng = np.random.default_rng(2)
    x = np.round(rng.random((6, 10)) * 16) / 16
    weights = dyadic_weights(rng, 10, 7, scale=0.5)
    neuron = LIF(tau_m=8.0, tau_syn=4.0)
    static, _ = simulate(neuron, x, weights, bias=0.2, n_steps=25)
    repeated = np.repeat((x @ weights)[:, None, :], 25, axis=1)
    dynamic, _ = simulate(neuron, repeated, bias=0.2)
    np.testing.assert_array_equal(static, dynamic)


@pytest.mark.parametrize("kind", ["spikes", "static", "currents"])
def test_outputs_are_consistent(kind):
    rng = np.random.default_rng(3)
    if kind == "spikes":
        args = (random_spikes(rng, 5, 40, 9), rng.normal(0, 1.0, (9, 4)))
        kw = {}
    elif kind == "static":
        args = (rng.random((5, 9)), rng.normal(0.3, 0.5, (9, 4)))
        kw = {"n_steps": 40}
    else:
        args = (rng.normal(0.5, 1.0, (5, 40, 4)),)
        kw = {}
    spikes, ops_s = simulate(LIF(tau_m=5.0), *args, **kw)
    counts, ops_c = simulate(LIF(tau_m=5.0), *args, output="counts", **kw)
    volt, ops_v = simulate(LIF(tau_m=5.0), *args, output="voltage", **kw)
    assert spikes.dtype == np.uint8 and spikes.shape == (5, 40, 4)
    assert counts.dtype == np.int32 and counts.shape == (5, 4)
    assert volt.dtype == np.float64 and volt.shape == (5, 40, 4)
    assert spikes.sum() > 0
    np.testing.assert_array_equal(counts, spikes.sum(axis=1))
    assert ops_s == ops_c == ops_v
    assert ops_s.spikes == spikes.sum() / 5


# ---------------------------------------------------------------- dtype
def test_float32_and_float64_agree_on_counts():
    rng = np.random.default_rng(4)
    spikes_in = random_spikes(rng, 20, 100, 50, density=0.1)
    weights = rng.normal(0.05, 0.3, (50, 30))
    c64, _ = simulate(LIF(tau_m=10.0, tau_syn=5.0), spikes_in, weights, output="counts")
    c32, _ = simulate(LIF(tau_m=10.0, tau_syn=5.0), spikes_in, weights.astype(np.float32), output="counts")
    assert c64.sum() > 100
    # well-conditioned: near-threshold ties are rare; allow a handful of off-by-one counts
    diff = np.abs(c64.astype(int) - c32)
    assert diff.max() <= 1 and (diff > 0).mean() < 0.02


def test_dtype_follows_weights_and_parameter():
    rng = np.random.default_rng(5)
    spikes_in = random_spikes(rng, 2, 10, 3)
    w32 = rng.random((3, 2)).astype(np.float32)
    v32, _ = simulate(LIF(), spikes_in, w32, output="voltage")
    assert v32.dtype == np.float32
    v64, _ = simulate(LIF(), spikes_in, w32, output="voltage", dtype=np.float64)
    assert v64.dtype == np.float64
    vc, _ = simulate(LIF(), np.ones((2, 3), dtype=np.float32), n_steps=4, output="voltage")
    assert vc.dtype == np.float32
    with pytest.raises(ValueError, match="float32 or float64"):
        simulate(LIF(), spikes_in, w32, dtype=np.int32)


# ---------------------------------------------------------------- operations
def test_operation_counts_hand_counted():
    # 3 inputs -> 2 neurons; input 0 has fan-out 2, input 1 fan-out 1 (one zero weight),
    # input 2 fan-out 0.
    weights = np.array([[0.5, 0.5], [0.0, 2.0], [0.0, 0.0]])
    spikes_in = np.zeros((2, 4, 3), dtype=np.uint8)
    spikes_in[0, 0, 0] = 1  # 2 events
    spikes_in[0, 1, 1] = 1  # 1 event
    spikes_in[0, 2, 2] = 1  # 0 events
    spikes_in[1, :, 0] = 1  # 4 x 2 = 8 events
    spikes_in[1, 3, 1] = 1  # 1 event
    out, ops = simulate(LIF(tau_m=1e-3), spikes_in, weights)  # tau_m tiny: v = I each step
    expected_out = np.zeros((2, 4, 2), dtype=np.uint8)
    expected_out[0, 1, 1] = 1
    expected_out[1, :, 1] = 0
    expected_out[1, 3, 1] = 1
    np.testing.assert_array_equal(out, expected_out)
    assert ops == OperationCounts(
        synaptic_ac=(3 + 9) / 2,
        synaptic_mac=0.0,
        dense_ops=4 * 3 * 2,
        neuron_updates=4 * 2,
        spikes=2 / 2,
        n_activations=8,
        n_connections=6,
        n_zero_connections=3,
        footprint_bytes=6 * 8 + 2 * 8 + 14 * 2 * 8 + (3 * 8 + 4) * 2,
    )
    assert ops.activation_sparsity == 1 - 1 / 8
    assert ops.connection_sparsity == 0.5

    x = np.array([[1.0, 0.0, 3.0], [0.0, 0.0, 0.0], [2.0, 1.0, 0.0]])
    _, ops = simulate(LIF(), x, weights, n_steps=5)
    assert ops.synaptic_mac == (2 + 0 + 3) / 3
    assert ops.synaptic_ac == 0.0
    assert ops.dense_ops == 6
    assert ops.neuron_updates == 10

    _, ops = simulate(LIF(), np.full((2, 5, 4), 30.0))
    assert ops.synaptic_ac == ops.synaptic_mac == ops.dense_ops == 0
    assert ops.neuron_updates == 20 and ops.spikes > 0


# ---------------------------------------------------------- determinism, batches
def test_batches_and_repeats_give_identical_results():
    rng = np.random.default_rng(6)
    spikes_in = random_spikes(rng, 13, 30, 8)
    weights = rng.normal(0.1, 0.8, (8, 6))
    neuron = AdaptiveLIF(tau_m=7.0, tau_syn=2.0)
    a, ops_a = simulate(neuron, spikes_in, weights, output="voltage")
    b, ops_b = simulate(neuron, spikes_in, weights, output="voltage", batch_size=4)
    c, _ = simulate(neuron, spikes_in, weights, output="voltage", batch_size=1)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert ops_a == ops_b
    # each sample is independent of the others
    single, _ = simulate(neuron, spikes_in[7:8], weights, output="voltage")
    np.testing.assert_array_equal(single[0], a[7])


def test_inputs_are_not_modified():
    rng = np.random.default_rng(7)
    spikes_in = random_spikes(rng, 3, 10, 4).astype(np.float64)
    weights = rng.normal(0, 1, (4, 3))
    copies = spikes_in.copy(), weights.copy()
    simulate(LIF(), spikes_in, weights)
    np.testing.assert_array_equal(spikes_in, copies[0])
    np.testing.assert_array_equal(weights, copies[1])


# ---------------------------------------------------------------- bad inputs
def test_bad_inputs_raise_clear_errors():
    spikes_in = np.zeros((2, 5, 3), dtype=np.uint8)
    weights = np.ones((3, 2))
    with pytest.raises(TypeError, match="neuron"):
        simulate("lif", spikes_in, weights)
    with pytest.raises(ValueError, match="output"):
        simulate(LIF(), spikes_in, weights, output="rates")
    with pytest.raises(ValueError, match="binary"):
        simulate(LIF(), spikes_in + 0.5, weights)
    with pytest.raises(ValueError, match="rows"):
        simulate(LIF(), spikes_in, np.ones((4, 2)))
    with pytest.raises(ValueError, match="weights must have shape"):
        simulate(LIF(), spikes_in, np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        simulate(LIF(), spikes_in, np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="NaN"):
        simulate(LIF(), np.full((2, 3), np.nan), weights, n_steps=3)
    with pytest.raises(ValueError, match="n_steps is required"):
        simulate(LIF(), np.ones((2, 3)), weights)
    with pytest.raises(ValueError, match="n_steps"):
        simulate(LIF(), spikes_in, weights, n_steps=7)
    with pytest.raises(ValueError, match="n_steps"):
        simulate(LIF(), np.ones((2, 3)), weights, n_steps=0)
    with pytest.raises(ValueError, match="shape"):
        simulate(LIF(), np.ones(3), weights, n_steps=3)
    with pytest.raises(ValueError, match="dt"):
        simulate(LIF(), spikes_in, weights, dt=0.0)
    with pytest.raises(ValueError, match="bias"):
        simulate(LIF(), spikes_in, weights, bias=np.ones(3))
    with pytest.raises(ValueError, match="bias contains NaN"):
        simulate(LIF(), spikes_in, weights, bias=np.nan)
    with pytest.raises(ValueError, match="NaN"):
        simulate(LIF(), np.full((2, 5, 2), np.inf))
    with pytest.raises(ValueError, match="numbers"):
        simulate(LIF(), np.array([["a", "b"]]), n_steps=3)
    with pytest.raises(ValueError, match="neurons"):
        simulate(LIF(tau_m=np.ones(5)), spikes_in, weights)
    with pytest.raises(ValueError, match="batch_size"):
        simulate(LIF(), spikes_in, weights, batch_size=0)
    with pytest.raises(ValueError, match="samples"):
        simulate(LIF(), np.zeros((0, 5, 3)), weights)


def test_results_do_not_depend_on_thread_count():
    numba = pytest.importorskip("numba")
    rng = np.random.default_rng(8)
    spikes_in = random_spikes(rng, 9, 30, 12)
    weights = rng.normal(0.2, 0.8, (12, 5))
    x = rng.random((9, 12))
    neuron = MetaNeuron(tau_m=6.0, a=0.2, b=0.5, d=0.1)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = simulate(neuron, spikes_in, weights, output="voltage")[0], simulate(neuron, x, weights, n_steps=20)[0]
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = simulate(neuron, spikes_in, weights, output="voltage")[0], simulate(neuron, x, weights, n_steps=20)[0]
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one[0], many[0])
    np.testing.assert_array_equal(one[1], many[1])


def test_static_current_float32_and_float64_agree():
    rng = np.random.default_rng(9)
    x = rng.random((40, 16))
    weights = rng.normal(0.1, 0.4, (16, 10))
    bias = rng.normal(0.5, 0.3, 10)
    c64, ops64 = simulate(LIF(tau_m=10.0), x, weights, bias=bias, n_steps=50, output="counts")
    c32, ops32 = simulate(LIF(tau_m=10.0), x.astype(np.float32), weights.astype(np.float32), bias=bias,
                          n_steps=50, output="counts")
    assert c64.sum() > 100
    assert np.abs(c64.astype(int) - c32).max() <= 1
    assert ops64.synaptic_mac == ops32.synaptic_mac == 16 * 10
    assert ops32.footprint_bytes < ops64.footprint_bytes


def test_izhikevich_with_synaptic_filter_matches_reference():
    rng = np.random.default_rng(12)
    spikes_in = random_spikes(rng, 2, 200, 6, density=0.2)
    weights = dyadic_weights(rng, 6, 3, scale=4.0) + 4.0
    neuron = Izhikevich.preset("fast_spiking", tau_syn=5.0)
    spikes, _ = simulate(neuron, spikes_in, weights, dt=0.5)
    ref, _ = naive_simulate(neuron, naive_currents(spikes_in, weights), dt=0.5)
    assert ref.sum() > 10
    np.testing.assert_array_equal(spikes, ref)


def test_import_compiles_nothing():
    import subprocess
    import sys

    code = (
        "import skspike.neurons as n, skspike.neurons._kernels as K;"
        "kernels = [K.spike_input_kernel, K.static_input_kernel, K.current_input_kernel, K.step_neurons];"
        "print(sum(len(k.signatures) for k in kernels))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_docstring_examples_run():
    import doctest

    from skspike.neurons import _models, _simulate

    for module in (_models, _simulate):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_output_larger_than_memory_refused_before_allocating(monkeypatch):
    from skspike._config import WorkLimitError, limits

    with pytest.raises(WorkLimitError, match=r"3e\+12 neuron updates per sample"):  # the work guard comes first
        simulate(LIF(), np.ones((2, 4)), np.ones((4, 3)), n_steps=10**12)
    with limits(max_updates_per_sample=None), pytest.raises(
        MemoryError, match=r"spikes output of shape \(2, 1000000000000, 3\) would need 5\.5 TiB.*reduce n_steps"
    ):
        simulate(LIF(), np.ones((2, 4)), np.ones((4, 3)), n_steps=10**12)
    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "1000")
    counts, _ = simulate(LIF(), np.ones((2, 4)), np.ones((4, 3)), n_steps=10**4, output="counts")
    assert counts.shape == (2, 3)
    with pytest.raises(MemoryError, match=r"voltage output of shape \(2, 100, 3\).*4800 bytes.*the number of samples"):
        simulate(LIF(), np.ones((2, 100, 3)), output="voltage", dtype=np.float64)
