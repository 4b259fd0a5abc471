"""Tsodyks-Markram synapses: closed-form recursion, steady state, simulate(synapse=), synapse= with rule=."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone

import naive_plasticity as naive
from skspike.feature_extraction import STDPFeatureExtractor
from skspike.neurons import LIF, AdaptiveLIF, simulate
from skspike.plasticity import PairSTDP, TripletSTDP
from skspike.synapses import TsodyksMarkram


def _regular(interval_steps, n_spikes, offset=3):
    train = np.zeros(offset + interval_steps * n_spikes, dtype=np.uint8)
    train[offset::interval_steps] = 1
    return train


@pytest.mark.parametrize("U,tau_rec,tau_facil", [
    (0.2, 200.0, 1500.0),  # facilitating (Mongillo et al. 2008)
    (0.5, 800.0, 0.0),  # depressing, no facilitation
    (0.1, 0.0, 300.0),  # facilitation only
])
@pytest.mark.parametrize("interval", [10, 50])
def test_regular_train_equals_recursion_and_converges(U, tau_rec, tau_facil, interval):
    syn = TsodyksMarkram(U=U, tau_rec=tau_rec, tau_facil=tau_facil)
    train = _regular(interval, 400)
    eff = syn.efficacy(train, dt=0.5)
    assert eff.shape == train.shape
    assert np.all(eff[train == 0] == 0.0)
    got = eff[train == 1]
    want = naive.tsodyks_markram_regular(U, tau_rec, tau_facil, interval * 0.5, 400)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert got[0] == pytest.approx(U)
    steady = naive.tsodyks_markram_steady_state(U, tau_rec, tau_facil, interval * 0.5)
    assert got[-1] == pytest.approx(steady, rel=1e-9)


def test_depression_and_facilitation_directions():
    train = _regular(20, 10)
    dep = TsodyksMarkram(U=0.6, tau_rec=500.0, tau_facil=0.0).efficacy(train)[train == 1]
    fac = TsodyksMarkram(U=0.05, tau_rec=1.0, tau_facil=1000.0).efficacy(train)[train == 1]
    assert np.all(np.diff(dep) < 0)
    assert np.all(np.diff(fac) > 0)
    # a long pause brings the synapse back to rest
    long = np.zeros(20000, dtype=np.uint8)
    long[[0, 10, 19999]] = 1
    assert TsodyksMarkram(U=0.6, tau_rec=50.0, tau_facil=50.0).efficacy(long)[19999] == pytest.approx(0.6)


def test_per_channel_parameters_and_batches():
    rng = np.random.RandomState(0)
    spikes = (rng.rand(3, 80, 4) < 0.2).astype(np.uint8)
    U = np.array([0.1, 0.3, 0.5, 0.7])
    eff = TsodyksMarkram(U=U).efficacy(spikes)
    for c in range(4):
        single = TsodyksMarkram(U=U[c]).efficacy(spikes[1, :, c])
        np.testing.assert_array_equal(eff[1, :, c], single)
    # samples are independent: each starts from rest
    np.testing.assert_array_equal(TsodyksMarkram(U=U).efficacy(spikes[2:]), eff[2:])


def test_simulate_with_synapse_equals_efficacy_weighted_currents():
    rng = np.random.RandomState(1)
    spikes = (rng.rand(4, 120, 6) < 0.15).astype(np.uint8)
    weights = rng.rand(6, 3) * 2.0
    neuron = LIF(tau_m=10.0, tau_syn=5.0)
    syn = TsodyksMarkram(U=0.4, tau_rec=100.0, tau_facil=50.0)
    volt, ops = simulate(neuron, spikes, weights, output="voltage", synapse=syn)
    currents = np.einsum("stc,cj->stj", syn.efficacy(spikes), weights)
    ref, _ = simulate(neuron, currents, output="voltage")
    np.testing.assert_allclose(volt, ref, rtol=1e-12, atol=1e-12)
    plain, plain_ops = simulate(neuron, spikes, weights, output="voltage")
    assert not np.allclose(plain, volt)  # depression weakens the drive
    assert ops.synaptic_ac == plain_ops.synaptic_ac


def test_parameters_and_errors():
    syn = TsodyksMarkram(U=0.3)
    assert clone(syn).get_params() == {"U": 0.3, "tau_facil": 1500.0, "tau_rec": 200.0}
    assert pickle.loads(pickle.dumps(syn)) == syn
    with pytest.raises(ValueError, match=r"U must lie in \(0, 1\]"):
        TsodyksMarkram(U=0.0).efficacy(np.ones(3, dtype=np.uint8))
    with pytest.raises(ValueError, match="tau_rec must be >= 0"):
        TsodyksMarkram(tau_rec=-1.0).efficacy(np.ones(3, dtype=np.uint8))
    with pytest.raises(ValueError, match="shape"):
        TsodyksMarkram(U=np.array([0.1, 0.2])).efficacy(np.ones((5, 3), dtype=np.uint8))
    with pytest.raises(ValueError):
        TsodyksMarkram().efficacy(np.full(3, 2, dtype=np.uint8))
    with pytest.raises(TypeError, match="synapse must be"):
        simulate(LIF(), np.ones((1, 3, 2), dtype=np.uint8), np.ones((2, 1)), synapse="tm")
    with pytest.raises(ValueError, match="spike inputs"):
        simulate(LIF(), np.ones((1, 2)), np.ones((2, 1)), n_steps=3, synapse=TsodyksMarkram())


# ------------------------------------------------ STDPFeatureExtractor(synapse=..., rule=...)
# Amplitudes small enough that the weight hardly moves within the sample, so the
# reference below may drive the membrane with the initial weight.
_SMALL_RULES = [
    PairSTDP(nu_pre=1e-7, nu_post=2e-7, w_max=100.0),
    TripletSTDP(a2_plus=5e-14, a3_plus=6.2e-7, a2_minus=7e-7, a3_minus=2.3e-8, w_max=100.0),
]


@pytest.mark.parametrize("rule", _SMALL_RULES, ids=lambda r: type(r).__name__)
def test_rule_learns_with_efficacy_weighted_drive(rule):
    """One input, one neuron: the membrane jumps by g e_k w, the rule counts every spike whole.

    The output spikes come from a NumPy loop over the efficacies; the weight
    change must be the rule's own for those pre/post times (weight_change).
    """
    n_steps = 120
    spikes = np.zeros((1, n_steps, 1), dtype=np.uint8)
    spikes[0, 2::3, 0] = 1
    syn = TsodyksMarkram(U=0.6, tau_rec=80.0, tau_facil=0.0)
    neuron = AdaptiveLIF.diehl_cook(t_ref=0.0, theta_jump=0.0)
    est = STDPFeatureExtractor(1, encoder=None, neuron=neuron, synapse=syn, rule=rule,
                               inhibition=0.0, weight_norm=None, off_channels=False,
                               random_state=0).fit(np.zeros_like(spikes))
    w = 20.0
    est.weights_ = np.array([[w]])
    est.partial_fit(spikes)
    eff = syn.efficacy(spikes[0, :, 0], dt=est.dt)
    decay = np.exp(-est.dt / neuron.tau_m)
    v, post, margin = neuron.v_rest, [], np.inf
    for t in range(n_steps):
        v = neuron.v_rest + (v - neuron.v_rest) * decay + eff[t] * w * est.synaptic_gain_
        margin = min(margin, abs(v - neuron.v_thresh))
        if v >= neuron.v_thresh:
            post.append(t)
            v = neuron.v_reset
    pre = np.flatnonzero(spikes[0, :, 0])
    assert 0 < len(post) < 10 and margin > 1e-3  # depression: only a few spikes, none borderline
    want = rule.weight_change(pre * est.dt, np.array(post) * est.dt, dt=est.dt, w_init=w)
    assert want != 0.0
    np.testing.assert_allclose(est.weights_[0, 0] - w, want, rtol=1e-12)
    plain = clone(est).set_params(synapse=None).fit(np.zeros_like(spikes))
    plain.weights_ = np.array([[w]])
    plain.partial_fit(spikes)  # every spike at full strength: other post spikes, other change
    assert abs(plain.weights_[0, 0] - w - want) > 10 * abs(want)


def test_rule_with_identity_synapse_changes_nothing():
    rng = np.random.RandomState(3)
    X = (rng.rand(12, 60, 8) < 0.15).astype(np.uint8)
    params = dict(encoder=None, rule=TripletSTDP(), random_state=0)
    plain = STDPFeatureExtractor(4, **params).fit(X)
    syn = STDPFeatureExtractor(4, synapse=TsodyksMarkram(U=1.0, tau_rec=0.0, tau_facil=0.0),
                               **params).fit(X)
    np.testing.assert_array_equal(plain.weights_, syn.weights_)
    np.testing.assert_array_equal(plain.transform(X), syn.transform(X))
    assert not np.array_equal(plain.weights_, STDPFeatureExtractor(
        4, synapse=TsodyksMarkram(), **params).fit(X).weights_)
    got = clone(syn).get_params()
    assert got["synapse__U"] == 1.0 and got["rule__tau_x"] == 101.0
