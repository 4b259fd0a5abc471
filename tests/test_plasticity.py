"""Plasticity rules: windows against closed forms and NumPy references, the Sjostrom
frequency dependence, the parameter protocol, the extractor's rule= path, reward learning."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

import naive_plasticity as naive
from skspike.feature_extraction import STDPFeatureExtractor
from skspike.neurons import LIF, AdaptiveLIF, simulate
from skspike.plasticity import (
    AdaptiveThreshold,
    Hebbian,
    PairSTDP,
    RewardModulatedSTDP,
    SynapticScaling,
    TripletSTDP,
    learn_from_reward,
)


def _random_train(rng, n, t_max):
    return np.sort(rng.choice(np.arange(t_max), size=n, replace=False)).astype(float)


# ---------------------------------------------------------------- pair STDP
def test_pair_window_is_the_exponential_kernel():
    rule = PairSTDP(nu_pre=3e-3, nu_post=5e-3, tau_pre=12.0, tau_post=25.0)
    delta = np.arange(-60.0, 61.0, 3.0)
    expected = np.where(delta >= 0, 5e-3 * np.exp(-delta / 12.0), -3e-3 * np.exp(delta / 25.0))
    np.testing.assert_allclose(rule.window(delta, dt=1.0), expected, rtol=1e-12, atol=1e-16)
    # x_tar shifts potentiation down by nu_post * x_tar (every input is depressed at a post spike)
    shifted = PairSTDP(nu_post=5e-3, tau_pre=12.0, x_tar=0.1).window([0.0, 12.0], dt=1.0)
    np.testing.assert_allclose(shifted, 5e-3 * (np.exp(-np.array([0.0, 1.0])) - 0.1), rtol=1e-12)
    # the step grid: times are rounded to dt
    assert rule.weight_change([0.0], [10.04], dt=0.1) == pytest.approx(5e-3 * np.exp(-10.0 / 12.0), rel=1e-12)


@pytest.mark.parametrize("interaction", ["nearest", "all-to-all"])
@pytest.mark.parametrize("mu,x_tar", [(0.0, 0.0), (0.7, 0.2)])
def test_pair_trains_match_reference(interaction, mu, x_tar):
    rng = np.random.RandomState(1)
    rule = PairSTDP(nu_pre=0.02, nu_post=0.03, tau_pre=8.0, tau_post=15.0, x_tar=x_tar, mu=mu,
                    interaction=interaction)
    for _ in range(4):
        pre, post = _random_train(rng, 12, 200), _random_train(rng, 9, 200)
        got = 0.4 + rule.weight_change(pre, post, dt=1.0, w_init=0.4)
        want = naive.pair(pre, post, nu_pre=0.02, nu_post=0.03, tau_pre=8.0, tau_post=15.0,
                          x_tar=x_tar, mu=mu, nearest=interaction == "nearest", w=0.4)
        assert got == pytest.approx(want, abs=1e-12)


# ------------------------------------------------------------- triplet STDP
@pytest.mark.parametrize("interaction", ["all-to-all", "nearest"])
def test_triplet_trains_match_reference(interaction):
    rng = np.random.RandomState(2)
    rule = TripletSTDP.hippocampal(interaction, w_min=-5.0, w_max=5.0)
    params = {k: getattr(rule, k) for k in ("tau_plus", "tau_minus", "tau_x", "tau_y", "a2_plus",
                                            "a3_plus", "a2_minus", "a3_minus")}
    for _ in range(4):
        pre, post = _random_train(rng, 15, 300), _random_train(rng, 15, 300)
        got = rule.weight_change(pre, post, dt=1.0, w_init=0.0)
        want = naive.triplet(pre, post, nearest=interaction == "nearest", **params)
        assert got == pytest.approx(want, rel=1e-10, abs=1e-14)


def test_triplet_single_pairs_are_the_pair_window():
    rule = TripletSTDP(a2_plus=4e-3, a2_minus=2e-3, a3_plus=1.0, a3_minus=1.0)
    delta = np.array([-40.0, -10.0, 0.0, 10.0, 40.0])
    # one pair from rest: the slow traces are still 0 when the triplet terms are read
    expected = np.where(delta >= 0, 4e-3 * np.exp(-delta / 16.8), -2e-3 * np.exp(delta / 33.7))
    np.testing.assert_allclose(rule.window(delta, dt=1.0), expected, rtol=1e-12)


@pytest.mark.parametrize("interaction", ["all-to-all", "nearest"])
def test_triplet_reproduces_sjostrom_frequency_dependence(interaction):
    # Pfister & Gerstner's visual-cortex fit against the data it was fitted to:
    # 60 pairings at 0.1-50 Hz, +10 ms and -10 ms, unbounded weights.
    rule = TripletSTDP.visual_cortex(interaction, w_min=-10.0, w_max=10.0)
    data = naive.SJOSTROM_2001
    model = {}
    for delta, col in ((10.0, 1), (-10.0, 3)):
        curve = []
        for freq in data[:, 0]:
            pre, post = naive.pairing_protocol(freq, delta)
            curve.append(rule.weight_change(pre, post, dt=1.0, w_init=0.0))
        model[delta] = np.array(curve)
        # within two standard errors of every data point (one for the nearest-spike fit)
        n_sem = 1.0 if interaction == "nearest" else 2.0
        assert np.all(np.abs(model[delta] - data[:, col]) <= n_sem * data[:, col + 1]), model[delta]
    # the shape of the figure: +10 ms, no change at 0.1 Hz, LTP growing with frequency;
    # -10 ms: LTD at low frequency turning into LTP at 40-50 Hz
    assert abs(model[10.0][0]) < 0.01
    assert np.all(np.diff(model[10.0]) > 0)
    assert np.all(model[-10.0][:3] < -0.2) and np.all(model[-10.0][3:] > 0.1)
    # the kernel equals the continuous-time reference on these protocols
    params = {k: getattr(rule, k) for k in ("tau_plus", "tau_minus", "tau_x", "tau_y", "a2_plus",
                                            "a3_plus", "a2_minus", "a3_minus")}
    pre, post = naive.pairing_protocol(20.0, 10.0)
    want = naive.triplet(pre, post, nearest=interaction == "nearest", **params)
    assert model[10.0][2] == pytest.approx(want, rel=1e-9)


def test_triplet_presets():
    vc = TripletSTDP.visual_cortex("nearest")
    assert (vc.tau_x, vc.tau_y, vc.a3_plus, vc.interaction) == (714.0, 40.0, 5.3e-2, "nearest")
    hip = TripletSTDP.hippocampal(a2_plus=0.0)
    assert (hip.tau_x, hip.a2_plus) == (946.0, 0.0)
    assert TripletSTDP() == TripletSTDP.visual_cortex()
    with pytest.raises(ValueError, match="No triplet preset"):
        TripletSTDP.preset("cerebellum")


# ------------------------------------------------------- reward and Hebbian
def test_reward_window_matches_reference():
    rule = RewardModulatedSTDP(a_plus=0.02, a_minus=0.03, tau_plus=10.0, tau_minus=20.0, tau_elig=200.0)
    rng = np.random.RandomState(3)
    for _ in range(3):
        pre, post = _random_train(rng, 8, 150), _random_train(rng, 8, 150)
        last = max(pre[-1], post[-1])
        got = 0.5 + rule.weight_change(pre, post, dt=1.0)
        want = naive.reward_stdp(pre, post, last + 1.0, 1.0, a_plus=0.02, a_minus=0.03,
                                 tau_plus=10.0, tau_minus=20.0, tau_elig=200.0)
        assert got == pytest.approx(want, abs=1e-12)
    # a pair 10 ms before post: eligibility a_plus e^{-10/10}, decayed to the reward one step later
    assert rule.weight_change([0.0], [10.0], dt=1.0) == pytest.approx(
        0.02 * np.exp(-1.0) * np.exp(-1.0 / 200.0), rel=1e-12)


@pytest.mark.parametrize("tau,decay", [(0.0, 0.0), (5.0, 0.0), (5.0, 2e-3)])
def test_hebbian_matches_reference(tau, decay):
    rule = Hebbian(eta=0.05, tau=tau, decay=decay)
    rng = np.random.RandomState(4)
    for _ in range(3):
        pre, post = _random_train(rng, 20, 80), _random_train(rng, 20, 80)
        n_steps = int(max(pre[-1], post[-1])) + 1
        got = 0.5 + rule.weight_change(pre, post, dt=1.0)
        want = naive.hebbian_steps(pre, post, n_steps, eta=0.05, decay_per_step=decay,
                                   trace_decay=np.exp(-1.0 / tau) if tau > 0 else 0.0)
        assert got == pytest.approx(want, abs=1e-12)
    # symmetric window: both orders potentiate
    if decay == 0.0 and tau > 0:
        np.testing.assert_allclose(rule.window([-5.0, 5.0], dt=1.0), 0.05 * np.exp(-1.0), rtol=1e-12)


def test_bad_parameters_and_times():
    with pytest.raises(ValueError, match="tau_pre must be > 0"):
        PairSTDP(tau_pre=0.0).weight_change([0.0], [1.0])
    with pytest.raises(ValueError, match="interaction"):
        TripletSTDP(interaction="some").weight_change([0.0], [1.0])
    with pytest.raises(ValueError, match="nu_post must be a finite number"):
        PairSTDP(nu_post=np.nan).kernel_params(1.0)
    with pytest.raises(ValueError, match="one step"):
        PairSTDP().weight_change([0.0, 0.02], [1.0], dt=0.1)
    with pytest.raises(ValueError, match=">= 0 ms"):
        PairSTDP().weight_change([-1.0], [1.0])
    with pytest.raises(ValueError, match="w_max must be above w_min"):
        Hebbian(w_min=1.0, w_max=1.0).kernel_params(1.0)


# ------------------------------------------------------ parameter protocol
def test_rules_are_sklearn_parameters():
    rule = TripletSTDP(tau_x=80.0)
    assert rule.get_params()["tau_x"] == 80.0
    copy = clone(rule)
    assert copy == rule and copy is not rule
    assert pickle.loads(pickle.dumps(rule)) == rule
    assert repr(rule) == "TripletSTDP(tau_x=80.0)"
    est = STDPFeatureExtractor(rule=rule)
    params = est.get_params()
    assert params["rule__tau_x"] == 80.0
    est.set_params(rule__tau_y=50.0)
    assert est.rule.tau_y == 50.0
    with pytest.raises(ValueError, match="Invalid parameter"):
        rule.set_params(tau_z=1.0)
    assert AdaptiveThreshold(2.0).get_params() == {"theta_plus": 2.0, "tau_theta": 1e7}


def test_extractor_default_is_the_nearest_pair_rule_on_the_engine():
    # rule=None is PairSTDP(nearest) with the extractor's scalars, run by the same
    # engine loop: bit for bit the same weights, thresholds and outputs.
    rng = np.random.RandomState(0)
    S = (rng.rand(12, 60, 10) < 0.15).astype(np.uint8)
    common = dict(n_neurons=5, encoder=None, n_epochs=1, random_state=0,
                  neuron=AdaptiveLIF.diehl_cook(tau_m=20.0, v_thresh=-58.0), inhibition=2.0,
                  nu_pre=0.01, nu_post=0.02)
    for extra, rule in (({}, PairSTDP(0.01, 0.02)),
                        ({"x_tar": 0.3, "mu": 0.5, "tau_trace": 7.0},
                         PairSTDP(0.01, 0.02, x_tar=0.3, mu=0.5, tau_pre=7.0, tau_post=7.0))):
        base = STDPFeatureExtractor(**common, **extra).fit(S)
        generic = STDPFeatureExtractor(**common, **extra, rule=rule).fit(S)
        np.testing.assert_array_equal(generic.weights_, base.weights_)
        np.testing.assert_array_equal(generic.theta_, base.theta_)
        np.testing.assert_array_equal(generic.transform(S), base.transform(S))
        assert base.transform(S).sum() > 0
        assert not np.allclose(base.weights_, STDPFeatureExtractor(**common, **extra).fit(S[:1]).weights_)
    all_to_all = STDPFeatureExtractor(**common, rule=PairSTDP(0.01, 0.02, interaction="all-to-all")).fit(S)
    assert not np.array_equal(all_to_all.weights_, base.weights_)


def test_engine_shared_parameter_step_is_the_per_neuron_step():
    # A layer whose neurons share their parameters runs a step on hoisted scalars
    # (and delivers rows two at a time); a layer that differs only in a row the
    # adaptive LIF ignores (P_U_DRIVE) takes the per-neuron step: same bits.
    from skspike.neurons import _kernels as K
    from skspike.plasticity import _kernels as PK
    from skspike.plasticity import _training as T

    rng = np.random.RandomState(3)
    S = (rng.rand(8, 80, 13) < 0.3).astype(np.uint8)  # odd and even event counts per step
    neuron = AdaptiveLIF(tau_m=15.0, v_rest=-65.0, v_reset=-62.0, v_thresh=-60.0, t_ref=2.0,
                         theta_jump=0.3, tau_adapt=50.0, tau_syn=3.0)
    model, shared = neuron.kernel_params(4, 1.0)
    per_neuron = shared.copy()
    per_neuron[K.P_U_DRIVE, 1] = 1.0
    code, rprm = PairSTDP(0.01, 0.02, interaction="nearest").kernel_params(1.0)
    tab = PK.trace_tables(rprm, S.shape[1])
    runs = []
    for params in (shared, per_neuron):
        weights = rng.uniform(0.0, 3.0, (13, 4)) if not runs else runs[0][3].copy()
        w0 = weights.copy()
        theta = np.zeros(4)
        counts = np.zeros((8, 4), dtype=np.int64)
        T.learn_spikes(S, weights, model, params, theta, 1.0, code, rprm, tab, 0.0, 3.0, counts,
                       np.zeros(8, dtype=np.int64), np.empty((0, 0, 0)))
        runs.append((weights, theta, counts, w0))
    for a, b in zip(runs[0][:3], runs[1][:3]):
        np.testing.assert_array_equal(a, b)
    assert 0 < runs[0][2].sum() and not np.array_equal(runs[0][0], runs[0][3])


def test_engine_event_loop_scales_rows_by_spike_efficacies():
    from skspike.neurons import LIF
    from skspike.plasticity import _training as T

    rng = np.random.RandomState(1)
    S = (rng.rand(6, 50, 8) < 0.2).astype(np.uint8)
    weights = rng.uniform(0.0, 4.0, (8, 3))
    model, params = LIF(tau_m=10.0, v_thresh=3.0).kernel_params(3, 1.0)

    def run(w, eff):
        counts = np.zeros((6, 3), dtype=np.int64)
        out = np.zeros((6, 50, 3), dtype=np.uint8)
        T.infer_spikes(S, w, model, params, np.zeros(3), 0.0, counts, np.zeros(6, dtype=np.int64),
                       out, True, eff)
        return out

    plain = run(weights, np.empty((0, 0, 0)))
    assert 0 < plain.sum() < plain.size
    np.testing.assert_array_equal(run(weights, np.ones(S.shape)), plain)
    np.testing.assert_array_equal(run(weights, np.full(S.shape, 0.5)), run(0.5 * weights, np.empty((0, 0, 0))))
    assert run(weights, np.zeros(S.shape)).sum() == 0


def test_extractor_with_triplet_rule_learns_and_searches():
    rng = np.random.RandomState(0)
    S = (rng.rand(12, 60, 10) < 0.15).astype(np.uint8)
    est = STDPFeatureExtractor(n_neurons=5, encoder=None, n_epochs=1, random_state=0,
                               neuron=AdaptiveLIF.diehl_cook(tau_m=20.0, v_thresh=-58.0),
                               rule=TripletSTDP(a3_plus=0.05))
    fitted = clone(est).fit(S)
    start = clone(est).fit(S[:0 + 1])
    assert not np.allclose(fitted.weights_, start.weights_)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.transform(S), fitted.transform(S))

    def score(model, X, y=None):
        return float(model.transform(X).sum())

    grid = GridSearchCV(est, {"rule__tau_x": [50.0, 101.0]}, cv=2, scoring=score).fit(S)
    assert grid.best_params_["rule__tau_x"] in (50.0, 101.0)
    with pytest.raises(ValueError, match="rule"):
        STDPFeatureExtractor(encoder=None, rule="triplet").fit(S)


# ----------------------------------------------------------- reward alone
def _two_class(rng, n, n_steps=60, n_in=12):
    y = rng.randint(0, 2, size=n)
    first = np.arange(n_in) < n_in // 2
    rates = np.where(first[None, :] == (y[:, None] == 0), 0.25, 0.03)
    X = (rng.rand(n, n_steps, n_in) < rates[:, None, :]).astype(np.uint8)
    return X, y


def test_reward_modulated_stdp_learns_two_classes_from_reward_alone():
    # Two classes of Poisson trains (each drives its own half of the 12 channels) and a
    # layer of two neurons with nearly equal weights: one neuron answers everything at
    # first (chance). The reward (+1 right, -1 wrong) is the only signal; rewarding the
    # flipped labels from the same start must learn the flipped assignment.
    X, y = _two_class(np.random.RandomState(10), 300)
    X_test, y_test = _two_class(np.random.RandomState(100), 200)
    neuron = LIF(tau_m=10.0, r_m=10.0, t_ref=2.0)
    start = 0.17 + 0.01 * np.random.RandomState(0).rand(12, 2)
    rule = RewardModulatedSTDP(a_plus=0.01, a_minus=0.01, tau_elig=200.0)
    kw = dict(neuron=neuron, inhibition=0.5, scaling=SynapticScaling(2.1), w_init=start)

    def accuracy(w):
        counts, _ = simulate(neuron, X_test, w, output="counts")
        return np.mean(np.argmax(counts, axis=1) == y_test)

    weights, classes, rewards = learn_from_reward(X, y, rule, **kw)
    flipped, _, _ = learn_from_reward(X, 1 - y, rule, **kw)
    np.testing.assert_array_equal(classes, [0, 1])
    assert 0.35 < accuracy(start) < 0.65
    assert accuracy(weights) >= 0.95
    assert accuracy(flipped) <= 0.05
    assert rewards[0, -50:].mean() > rewards[0, :50].mean()
    # a rule that never charges its eligibility learns nothing beyond the scaling
    frozen, _, _ = learn_from_reward(X, y, RewardModulatedSTDP(a_plus=0.0, a_minus=0.0), **kw)
    np.testing.assert_allclose(frozen, SynapticScaling(2.1).apply(start, w_max=1.0))


def test_learn_from_reward_errors():
    X = np.zeros((4, 10, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="two classes"):
        learn_from_reward(X, np.zeros(4), RewardModulatedSTDP())
    with pytest.raises(TypeError, match="rule must be"):
        learn_from_reward(X, np.arange(4) % 2, "rstdp")
    with pytest.raises(ValueError, match="y must have shape"):
        learn_from_reward(X, np.arange(3) % 2, RewardModulatedSTDP())


@pytest.mark.parametrize("module", ["skspike.plasticity._rules", "skspike.plasticity._homeostasis",
                                    "skspike.plasticity._network", "skspike.synapses._models"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
