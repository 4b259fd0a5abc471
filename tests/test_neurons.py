"""Tests of the neuron models (skspike.neurons._models) and their kernels."""

import dataclasses
import pickle

import numpy as np
import pytest

from naive_neurons import naive_simulate
from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron, simulate
from skspike.neurons import _kernels as K


def isi_of(spikes, dt):
    return np.diff(np.flatnonzero(spikes)) * dt


# ----------------------------------------------------------------- objects
@pytest.mark.parametrize("cls", [LIF, AdaptiveLIF, MetaNeuron, Izhikevich])
def test_models_are_immutable_comparable_and_pickle(cls):
    neuron = cls()
    with pytest.raises(dataclasses.FrozenInstanceError):
        neuron.tau_syn = 3.0
    assert neuron == cls()
    assert hash(neuron) == hash(cls())
    assert neuron != cls(tau_syn=2.0)
    per_neuron = cls(tau_syn=np.array([0.0, 1.0, 2.0]))
    assert per_neuron.n_neurons == 3 and neuron.n_neurons is None
    clone = pickle.loads(pickle.dumps(per_neuron))
    assert clone == per_neuron and hash(clone) == hash(per_neuron)
    assert not per_neuron.tau_syn.flags.writeable


def test_arrays_are_copied_and_broadcast():
    tau = np.array([10.0, 20.0])
    neuron = LIF(tau_m=tau)
    tau[0] = 99.0
    assert neuron.tau_m[0] == 10.0
    full = neuron.broadcast(2)
    assert isinstance(full, LIF)
    for field in ("tau_m", "v_rest", "v_reset", "v_thresh", "t_ref", "tau_syn", "r_m"):
        value = getattr(full, field)
        assert value.shape == (2,) and value.dtype == np.float64
    assert full.reset == "zero"
    np.testing.assert_array_equal(LIF().broadcast(4).v_thresh, np.ones(4))
    with pytest.raises(ValueError, match="2 neurons"):
        neuron.broadcast(3)
    with pytest.raises(ValueError, match="same length"):
        LIF(tau_m=np.ones(2), v_thresh=np.ones(3) * 2)


@pytest.mark.parametrize(
    "factory, match",
    [
        (lambda: LIF(tau_m=0.0), "tau_m"),
        (lambda: LIF(tau_m=np.array([1.0, -1.0])), "tau_m"),
        (lambda: LIF(v_thresh=0.0, v_reset=0.5), "v_thresh"),
        (lambda: LIF(t_ref=-1.0), "t_ref"),
        (lambda: LIF(tau_syn=-1.0), "tau_syn"),
        (lambda: LIF(reset="hard"), "reset"),
        (lambda: LIF(tau_m=np.nan), "finite"),
        (lambda: LIF(tau_m=np.ones((2, 2))), "1-D"),
        (lambda: AdaptiveLIF(tau_adapt=0.0), "tau_adapt"),
        (lambda: AdaptiveLIF(theta_jump=-0.1), "theta_jump"),
        (lambda: MetaNeuron(tau_u=-5.0), "tau_u"),
        (lambda: Izhikevich(c=40.0), "v_peak"),
        (lambda: Izhikevich.preset("bursty"), "preset"),
    ],
)
def test_invalid_parameters_raise(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_non_numeric_parameter_raises_type_error():
    with pytest.raises(TypeError, match="tau_m"):
        LIF(tau_m="fast")


def test_kernel_params_pack_the_documented_quantities():
    neuron = LIF(tau_m=np.array([10.0, 20.0]), t_ref=2.0, tau_syn=5.0, r_m=2.0, v_rest=0.1, reset="subtract")
    model, params = neuron.kernel_params(2, dt=0.5, dtype=np.float32)
    assert model == K.MODEL_LIF
    assert params.shape == (K.N_PARAMS, 2) and params.dtype == np.float32
    decay = np.exp(-0.5 / np.array([10.0, 20.0]))
    np.testing.assert_allclose(params[K.P_DECAY_M], decay, rtol=1e-6)
    np.testing.assert_allclose(params[K.P_GAIN], 2 * (1 - decay), rtol=1e-6)
    np.testing.assert_allclose(params[K.P_REST_DRIVE], 0.1 * (1 - decay), rtol=1e-6)
    np.testing.assert_allclose(params[K.P_DECAY_SYN], np.exp(-0.1), rtol=1e-6)
    # round(2.0 / 0.5) = 4 refractory steps: the spike step plus 3 clamped ones (Brian2)
    assert (params[K.P_REF_STEPS] == 3).all() and (params[K.P_SUBTRACT] == 1).all()
    _, params = LIF().kernel_params(3, dt=1.0)
    assert (params[K.P_DECAY_SYN] == 0).all() and params.dtype == np.float64
    with pytest.raises(ValueError, match="dt"):
        LIF().kernel_params(3, dt=-1.0)


def test_izhikevich_presets_have_the_published_parameters():
    assert Izhikevich.preset("regular_spiking") == Izhikevich(a=0.02, b=0.2, c=-65.0, d=8.0)
    assert Izhikevich.preset("fast_spiking").a == 0.1
    assert Izhikevich.preset("resonator").b == 0.26
    assert Izhikevich.preset("chattering", d=3.0).d == 3.0
    assert len(Izhikevich.PRESETS) == 7


# ------------------------------------------------------ MetaNeuron == LIF
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"tau_m": np.array([5.0, 10.0, 30.0, 7.0]), "tau_syn": 4.0, "t_ref": 2.0},
        {"reset": "subtract", "v_rest": -0.1, "v_reset": -0.3, "v_thresh": 0.7, "r_m": 1.5},
    ],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_meta_neuron_without_coupling_is_identical_to_lif(params, dtype):
    rng = np.random.default_rng(10)
    spikes_in = (rng.random((6, 80, 15)) < 0.2).astype(np.uint8)
    weights = rng.normal(0.3, 1.0, (15, 4)).astype(dtype)
    lif_spikes, lif_ops = simulate(LIF(**params), spikes_in, weights, bias=0.8)
    lif_volt, _ = simulate(LIF(**params), spikes_in, weights, bias=0.8, output="voltage")
    meta = MetaNeuron(tau_u=37.0, a=0.0, b=0.0, d=0.0, **params)
    meta_spikes, meta_ops = simulate(meta, spikes_in, weights, bias=0.8)
    meta_volt, _ = simulate(meta, spikes_in, weights, bias=0.8, output="voltage")
    assert lif_spikes.sum() > 50
    np.testing.assert_array_equal(meta_spikes, lif_spikes)
    np.testing.assert_array_equal(meta_volt, lif_volt)
    assert meta_ops.spikes == lif_ops.spikes


def test_meta_neuron_coupling_changes_dynamics():
    x = np.array([[1.5]])
    lif, _ = simulate(LIF(), x, n_steps=500, output="counts")
    adapting, _ = simulate(MetaNeuron(b=1.0, d=0.5), x, n_steps=500, output="counts")
    subthreshold_adapt, _ = simulate(MetaNeuron(a=1.0, b=1.0), x, n_steps=500, output="counts")
    assert lif[0, 0] > adapting[0, 0] > 0
    assert subthreshold_adapt[0, 0] < lif[0, 0]
    spikes, _ = simulate(MetaNeuron(b=1.0, d=0.5, tau_u=200.0), x, n_steps=500)
    isi = isi_of(spikes[0, :, 0], 1.0)
    assert isi[-1] > 1.5 * isi[0]  # spike-triggered adaptation slows firing


def test_adaptive_lif_adapts_and_reduces_to_lif():
    x = np.array([[2.0]])
    spikes, _ = simulate(AdaptiveLIF(tau_adapt=200.0, theta_jump=0.2), x, n_steps=1000, dt=0.5)
    isi = isi_of(spikes[0, :, 0], 0.5)
    assert isi[-1] > 1.5 * isi[0]
    assert np.all(np.diff(isi[:5]) >= 0)
    plain, _ = simulate(LIF(), x, n_steps=1000, dt=0.5)
    no_jump, _ = simulate(AdaptiveLIF(theta_jump=0.0), x, n_steps=1000, dt=0.5)
    np.testing.assert_array_equal(plain, no_jump)


# ------------------------------------------------------------- Izhikevich
@pytest.mark.parametrize("name", Izhikevich.PRESETS)
@pytest.mark.parametrize("dt", [0.25, 1.0])
def test_izhikevich_presets_match_reference(name, dt):
    n_steps = int(300 / dt)
    current = np.full((1, n_steps, 1), 10.0)
    current[0, : int(20 / dt)] = 0.0  # a quiet start, then the step of Fig. 2
    neuron = Izhikevich.preset(name)
    spikes, _ = simulate(neuron, current, dt=dt)
    volt, _ = simulate(neuron, current, dt=dt, output="voltage")
    ref_spikes, ref_volt = naive_simulate(neuron, current, dt=dt)
    assert ref_spikes.sum() >= 5
    np.testing.assert_array_equal(spikes, ref_spikes)
    np.testing.assert_allclose(volt, ref_volt, rtol=1e-9, atol=1e-9)


def izhikevich_isis(name, current=10.0, duration=600.0, dt=0.25):
    n_steps = int(duration / dt)
    spikes, _ = simulate(Izhikevich.preset(name), np.array([[current]]), n_steps=n_steps, dt=dt)
    return isi_of(spikes[0, :, 0], dt)


def test_izhikevich_firing_patterns_by_isi_statistics():
    rs = izhikevich_isis("regular_spiking")
    fs = izhikevich_isis("fast_spiking")
    ch = izhikevich_isis("chattering")
    ib = izhikevich_isis("intrinsically_bursting")
    lts = izhikevich_isis("low_threshold_spiking")

    # regular spiking: tonic, with spike-frequency adaptation (intervals lengthen)
    assert rs[1] > 1.5 * rs[0]
    assert np.std(rs[2:]) / np.mean(rs[2:]) < 0.05
    # fast spiking: tonic at a much higher rate, adapting less than regular spiking
    assert np.mean(fs[5:]) < np.mean(rs[2:]) / 3
    assert np.std(fs[5:]) / np.mean(fs[5:]) < 0.05
    assert fs[-1] / fs[0] < rs[-1] / rs[0]
    # chattering: repeated bursts, bimodal intervals (short within, long between)
    long_gaps = ch > 20.0
    assert long_gaps.sum() >= 5
    assert (ch[~long_gaps] < 8.0).all()
    assert len(ch) / long_gaps.sum() >= 4  # several spikes per burst
    # intrinsically bursting: an initial burst, then tonic single spikes
    assert ib[0] < 8.0 and ib[1] < 8.0
    assert (ib[3:] > 20.0).all()
    assert np.std(ib[3:]) / np.mean(ib[3:]) < 0.05
    # low-threshold spiking: high initial rate with strong adaptation
    assert lts[0] < 5.0 and lts[-1] > 2.5 * lts[0]


def test_thalamo_cortical_rebound_burst():
    # hyperpolarised then released: the thalamo-cortical cell answers with a burst
    dt = 0.25
    current = np.zeros((1, int(400 / dt), 1))
    current[0, int(50 / dt) : int(200 / dt)] = -10.0
    spikes, _ = simulate(Izhikevich.preset("thalamo_cortical"), current, dt=dt)
    times = np.flatnonzero(spikes[0, :, 0]) * dt
    assert len(times) >= 2 and (times > 200).all() and times[0] < 230
    assert np.diff(times)[0] < 10.0
    rs_spikes, _ = simulate(Izhikevich.preset("regular_spiking"), current, dt=dt)
    assert rs_spikes.sum() <= 1


# ------------------------------------------------- kernels in a user's loop
def test_building_block_kernels_reproduce_simulate():
    from skspike._config import jit

    @jit()
    def user_loop(spikes_in, weights, fanout, bias, model, params):
        n_samples, n_steps, _ = spikes_in.shape
        n_out = weights.shape[1]
        out = np.zeros((n_samples, n_steps, n_out), dtype=np.uint8)
        events = 0
        for s in range(n_samples):
            v, syn, w, ref = K.new_state(model, params)
            drive = np.empty(n_out)
            for t in range(n_steps):
                drive[:] = 0.0
                events += K.accumulate_spikes(spikes_in[s, t], weights, drive, fanout)
                K.step_neurons(model, params, v, syn, w, ref, drive, bias, out[s, t])
        return out, events

    rng = np.random.default_rng(11)
    spikes_in = (rng.random((3, 40, 10)) < 0.3).astype(np.uint8)
    weights = rng.normal(0.2, 1.0, (10, 5))
    neuron = MetaNeuron(tau_m=8.0, b=0.5, d=0.2, a=0.1, tau_syn=3.0)
    model, params = neuron.kernel_params(5, dt=1.0)
    bias = np.full(5, 0.1)
    fanout = np.count_nonzero(weights, axis=1).astype(np.int64)
    out, events = user_loop(spikes_in, weights, fanout, bias, model, params)
    expected, ops = simulate(neuron, spikes_in, weights, bias=0.1)
    assert expected.sum() > 10
    np.testing.assert_array_equal(out, expected)
    assert events / 3 == ops.synaptic_ac
