"""One neuron API (issue 16, item 2) and synapse= in the estimators (item 4).

Every spiking estimator takes ``neuron=`` a skspike neuron model whose
parameters are reachable as ``neuron__<name>`` (get_params / set_params /
GridSearchCV / clone / pickle); the former flattened scalars still work for
one release, with a FutureWarning, and give the same result as the
equivalent model. Small networks only: the whole file runs in seconds once
the kernels are compiled.
"""

import contextlib
import dataclasses
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skspike.classifiers import NGSNNClassifier, SNNLZCClassifier
from skspike.datasets import make_spike_trains
from skspike.encoding import PoissonEncoder
from skspike.feature_extraction import STDPFeatureExtractor
from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron
from skspike.neurons import _kernels as NK
from skspike.synapses import TsodyksMarkram

DC = AdaptiveLIF.diehl_cook


@pytest.fixture(scope="module")
def trains():
    X, y = make_spike_trains(n_samples=40, n_steps=60, n_channels=6, process="sync", rates=40.0,
                             correlation=[0.0, 0.4], random_state=0)
    return X, y


@pytest.fixture(scope="module")
def static():
    rng = np.random.RandomState(0)
    X = rng.rand(40, 8)
    y = (X[:, :4].sum(axis=1) > X[:, 4:].sum(axis=1)).astype(int)
    return X, y


@contextlib.contextmanager
def _no_future_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        yield


# ------------------------------------------------------------------ models
@pytest.mark.parametrize("cls", [LIF, AdaptiveLIF, MetaNeuron, Izhikevich])
def test_models_speak_the_sklearn_parameter_protocol(cls):
    model = cls()
    params = model.get_params()
    assert params == {f.name: getattr(model, f.name) for f in dataclasses.fields(cls)}
    twin = clone(model)
    assert twin == model and twin is not model
    field = "tau_syn"
    assert model.set_params(**{field: 2.0}) is model
    assert getattr(model, field) == 2.0 and getattr(twin, field) == 0.0  # the clone is independent
    with pytest.raises(ValueError, match="tau_syn"):
        model.set_params(tau_syn=-1.0)
    assert model.tau_syn == 2.0  # a refused value leaves the model as it was
    with pytest.raises(ValueError, match="Invalid parameter 'tau_q'"):
        model.set_params(tau_q=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.tau_syn = 3.0  # attribute assignment stays refused
    model.set_params(tau_syn=np.array([1.0, 2.0]))
    assert model.n_neurons == 2 and pickle.loads(pickle.dumps(model)) == model


def test_diehl_cook_preset_and_the_auto_placeholder():
    neuron = DC()
    assert (neuron.tau_m, neuron.v_rest, neuron.v_reset, neuron.v_thresh, neuron.t_ref) == (
        100.0, -65.0, -60.0, -52.0, 5.0)
    assert neuron.theta_jump == 1.0 and neuron.tau_adapt == "auto"
    assert DC(theta_jump=0.05, tau_adapt=1e7).tau_adapt == 1e7
    with pytest.raises(ValueError, match="tau_adapt='auto' is resolved by the estimator"):
        neuron.kernel_params(3, 1.0)
    with pytest.raises(TypeError, match="tau_adapt must be a number, an array of numbers or 'auto'"):
        AdaptiveLIF(tau_adapt="often")
    assert clone(neuron) == neuron and hash(clone(neuron)) == hash(neuron)


# ------------------------------------------------- nested params, per estimator
def _estimators():
    return [
        (STDPFeatureExtractor(4, encoder=None, neuron=DC(), random_state=0), DC),
        (SNNLZCClassifier(LIF(), n_per_class=2, max_iter=2, decision="rate", random_state=0), LIF),
        (NGSNNClassifier(LIF(), max_neurons=8, n_candidates=10, random_state=0), LIF),
    ]


@pytest.mark.parametrize("est, _", _estimators(), ids=lambda e: type(e).__name__)
def test_nested_neuron_params_get_set_clone(est, _):
    params = est.get_params(deep=True)
    assert params["neuron__tau_m"] == est.neuron.tau_m
    original = est.neuron
    twin = clone(est)
    assert twin.neuron == est.neuron and twin.neuron is not est.neuron
    twin.set_params(neuron__tau_m=7.0)
    assert twin.neuron.tau_m == 7.0 and original.tau_m != 7.0
    assert twin.get_params()["neuron__tau_m"] == 7.0
    with pytest.raises(ValueError, match="tau_m"):
        twin.set_params(neuron__tau_m=-1.0)
    # the default neuron=None passes the common checks; its model is only resolved in fit
    assert type(est)().get_params()["neuron"] is None


def test_grid_search_over_neuron_tau_m_stdp(static):
    X, y = static
    pipe = make_pipeline(
        STDPFeatureExtractor(4, encoder=PoissonEncoder(max_rate=200.0, n_steps=40), neuron=DC(),
                             n_epochs=1, random_state=0),
        LogisticRegression(),
    )
    grid = GridSearchCV(pipe, {"stdpfeatureextractor__neuron__tau_m": [30.0, 100.0]}, cv=2).fit(X, y)
    assert len(grid.cv_results_["params"]) == 2
    best = grid.best_params_["stdpfeatureextractor__neuron__tau_m"]
    fitted = grid.best_estimator_[0]
    assert fitted.neuron.tau_m == best and fitted.neuron_.tau_m == best
    assert pipe[0].neuron.tau_m == 100.0  # the searched estimator's model is untouched


@pytest.mark.parametrize("est", [
    SNNLZCClassifier(LIF(), n_per_class=2, max_iter=2, n_steps=30, decision="rate", random_state=0),
    NGSNNClassifier(LIF(), max_neurons=8, n_candidates=10, random_state=0),
], ids=lambda e: type(e).__name__)
def test_grid_search_over_neuron_tau_m_classifiers(est, static):
    X, y = static
    grid = GridSearchCV(est, {"neuron__tau_m": [5.0, 20.0]}, cv=2).fit(X, y)
    assert [p["neuron__tau_m"] for p in grid.cv_results_["params"]] == [5.0, 20.0]
    best = grid.best_params_["neuron__tau_m"]
    assert grid.best_estimator_.neuron.tau_m == best
    assert np.all(grid.best_estimator_.neuron_.tau_m == best)
    assert est.neuron.tau_m == 20.0


# ------------------------------------------------------------- STDP extractor
def test_stdp_default_is_the_diehl_cook_preset(trains):
    X, _ = trains
    with _no_future_warning():
        default = STDPFeatureExtractor(4, random_state=0).fit(X)
        explicit = STDPFeatureExtractor(4, neuron=DC(), random_state=0).fit(X)
    np.testing.assert_array_equal(default.weights_, explicit.weights_)
    np.testing.assert_array_equal(default.transform(X), explicit.transform(X))
    assert isinstance(default.neuron_, AdaptiveLIF)
    # the "auto" adaptation rule of #15 is resolved in fit: 2.5 mV N T_w / theta_jump
    assert default.tau_theta_ == pytest.approx(2.5 * 4 * 60 * 1.0 / 1.0)
    assert default.neuron_.tau_adapt == default.tau_theta_
    assert explicit.neuron.tau_adapt == "auto"  # the user's model is not changed


def test_stdp_old_scalars_warn_and_equal_the_model(trains):
    X, _ = trains
    old = dict(tau_m=50.0, v_rest=-64.0, v_reset=-62.0, v_thresh=-55.0, t_ref=2.0, theta_plus=0.5,
               tau_theta=5e4)
    with pytest.warns(FutureWarning, match="deprecated in 0.2.*theta_plus is theta_jump"):
        before = STDPFeatureExtractor(4, random_state=0, **old).fit(X)
    neuron = DC(tau_m=50.0, v_rest=-64.0, v_reset=-62.0, v_thresh=-55.0, t_ref=2.0, theta_jump=0.5,
                tau_adapt=5e4)
    with _no_future_warning():
        after = STDPFeatureExtractor(4, neuron=neuron, random_state=0).fit(X)
    np.testing.assert_array_equal(before.weights_, after.weights_)
    np.testing.assert_array_equal(before.theta_, after.theta_)
    np.testing.assert_array_equal(before.transform(X), after.transform(X))
    assert before.neuron_ == after.neuron_ and before.tau_theta_ == 5e4
    # partial_fit warns too (first call), and tau_theta="auto" maps onto tau_adapt="auto"
    with pytest.warns(FutureWarning, match="tau_theta"):
        auto = STDPFeatureExtractor(4, random_state=0, tau_theta="auto").partial_fit(X)
    assert auto.tau_theta_ == STDPFeatureExtractor(4, random_state=0).partial_fit(X).tau_theta_


def test_stdp_lif_neuron_has_fixed_thresholds(trains):
    X, _ = trains
    lif = LIF(tau_m=100.0, v_rest=-65.0, v_reset=-60.0, v_thresh=-52.0, t_ref=5.0)
    est = STDPFeatureExtractor(4, neuron=lif, random_state=0).fit(X)
    same = STDPFeatureExtractor(4, neuron=DC(theta_jump=0.0), random_state=0).fit(X)
    np.testing.assert_array_equal(est.weights_, same.weights_)
    assert np.all(est.theta_ == 0.0) and est.tau_theta_ == np.inf
    assert isinstance(lif, LIF) and lif == LIF(tau_m=100.0, v_rest=-65.0, v_reset=-60.0,
                                               v_thresh=-52.0, t_ref=5.0)


@pytest.mark.parametrize("neuron, error, match", [
    (Izhikevich(), TypeError, "AdaptiveLIF"),
    (MetaNeuron(), TypeError, "AdaptiveLIF"),
    (DC(reset="subtract"), ValueError, "reset='zero'"),
    (DC(tau_syn=2.0), ValueError, "tau_syn=0.0"),
    (DC(r_m=2.0), ValueError, "r_m=1.0"),
    (DC(tau_m=np.array([50.0, 60.0, 70.0, 80.0])), ValueError, "scalar parameters"),
])
def test_stdp_refuses_what_its_kernel_cannot_run(neuron, error, match, trains):
    X, _ = trains
    with pytest.raises(error, match=match):
        STDPFeatureExtractor(4, neuron=neuron).fit(X)


# ---------------------------------------------------------------- SNN-LZC
def _snn(**kw):
    return SNNLZCClassifier(n_per_class=2, max_iter=3, n_steps=30, random_state=0, **kw)


def test_snnlzc_default_is_lif(static):
    X, y = static
    with _no_future_warning():
        default = _snn().fit(X, y)
        explicit = _snn(neuron=LIF()).fit(X, y)
    np.testing.assert_array_equal(default.coef_, explicit.coef_)
    np.testing.assert_array_equal(default.decision_function(X), explicit.decision_function(X))
    assert isinstance(default.neuron_, LIF)


@pytest.mark.parametrize("old, model", [
    (dict(neuron="meta"), MetaNeuron(a=0.5, b=0.5, d=0.2)),
    (dict(neuron="meta", tau_m=10.0, tau_u=50.0, a=0.3, b=0.2, d=0.1, reset="subtract", tau_syn=2.0),
     MetaNeuron(tau_m=10.0, tau_u=50.0, a=0.3, b=0.2, d=0.1, reset="subtract", tau_syn=2.0)),
    (dict(neuron="lif", tau_m=10.0, v_thresh=1.5, tau_u=50.0), LIF(tau_m=10.0, v_thresh=1.5)),
    (dict(tau_m=10.0), LIF(tau_m=10.0)),
])
def test_snnlzc_old_string_and_scalars_warn_and_equal_the_model(old, model, static):
    X, y = static
    with pytest.warns(FutureWarning, match="deprecated in 0.2"):
        before = _snn(learn_intrinsic=True, **old).fit(X, y)
    with _no_future_warning():
        after = _snn(neuron=model, learn_intrinsic=True).fit(X, y)
    np.testing.assert_array_equal(before.coef_, after.coef_)
    assert before.neuron_ == after.neuron_
    np.testing.assert_array_equal(before.output_spikes(X), after.output_spikes(X))
    np.testing.assert_array_equal(before.decision_function(X), after.decision_function(X))


def test_snnlzc_learned_intrinsics_live_on_a_copy(static):
    X, y = static
    model = MetaNeuron(a=0.5, b=0.5, d=0.2)
    clf = _snn(neuron=model, learn_intrinsic=True).fit(X, y)
    assert model == MetaNeuron(a=0.5, b=0.5, d=0.2) and model.n_neurons is None
    assert clf.neuron_.n_neurons == clf.coef_.shape[1]
    np.testing.assert_array_equal(clf.neuron_.tau_u, clf.intrinsic_params_["tau_u"])
    assert (clf.neuron_.a, clf.neuron_.b, clf.neuron_.d) == (0.5, 0.5, 0.2)
    assert not np.all(clf.neuron_.tau_m == 20.0)  # something was learned
    reloaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(reloaded.predict(X), clf.predict(X))


def test_snnlzc_rest_and_gain_reach_the_training_kernel(static):
    """A shifted potential scale (v -> v + c, all potentials) leaves the spikes unchanged."""
    X, y = static
    base = _snn(neuron=LIF(tau_m=10.0)).fit(X, y)
    shifted = _snn(neuron=LIF(tau_m=10.0, v_rest=-0.5, v_reset=-0.5, v_thresh=0.5)).fit(X, y)
    np.testing.assert_allclose(shifted.coef_, base.coef_, rtol=1e-12)
    np.testing.assert_array_equal(shifted.output_spikes(X), base.output_spikes(X))


# Every model SNN-LZC trains, with its learned fields (the table of the class docstring).
SNNLZC_MODELS = [
    (LIF(), ("tau_m", "v_thresh")),
    (MetaNeuron(a=0.5, b=0.5, d=0.2), ("tau_m", "v_thresh", "tau_u")),
    (AdaptiveLIF(theta_jump=0.2, tau_adapt=50.0), ("tau_m", "v_thresh", "tau_adapt")),
    (Izhikevich(), ("a", "b", "d")),
]


@pytest.mark.parametrize("model, learned", SNNLZC_MODELS, ids=lambda m: type(m).__name__)
@pytest.mark.parametrize("kind", ["trains", "static"])
def test_snnlzc_trains_every_model_and_simulate_replays_it(model, learned, kind, request):
    """fit learns the model's intrinsic fields on a copy; simulate(neuron_) gives the training spikes."""
    from skspike.classifiers import _snnlzc_kernels as K
    from skspike.neurons import simulate

    X, y = request.getfixturevalue(kind)
    clf = _snn(neuron=model, learn_intrinsic=True).fit(X, y)
    assert type(clf.neuron_) is type(model) and set(clf.intrinsic_params_) == set(learned)
    n_out = clf.coef_.shape[1]
    for field in learned:
        np.testing.assert_array_equal(getattr(clf.neuron_, field), clf.intrinsic_params_[field])
    assert any(not np.all(clf.intrinsic_params_[f] == getattr(model, f)) for f in learned)
    for field in set(dataclasses.asdict(model)) - set(learned):  # the others are the model's
        assert np.all(getattr(clf.neuron_, field) == getattr(model, field))
    assert model.n_neurons is None  # the user's model is not changed
    # the training kernel's forward pass on the fitted layer = the engine's simulate
    data = clf.encoder_.transform(X) if kind == "static" else X
    kernel_model, params = K.pack_model(clf.neuron_, n_out, clf.dt)
    n_steps = data.shape[1]
    out = np.zeros((len(data), n_steps, n_out), dtype=np.uint8)
    for s in range(len(data)):
        arrays = [np.empty((n_steps, n_out)) for _ in range(4)]
        sub = np.empty((n_steps, NK.n_substeps_recorded(kernel_model, params), n_out))
        K._forward(data, np.zeros((0, 0)), s, False, np.ascontiguousarray(clf.coef_), clf.intercept_,
                   kernel_model, params, *arrays, sub, out[s])
    expected, _ = simulate(clf.neuron_, data, clf.coef_, bias=clf.intercept_, output="spikes")
    assert 0 < expected.mean() < 0.9
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(clf.output_spikes(X), expected)
    reloaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(reloaded.decision_function(X), clf.decision_function(X))
    assert reloaded.neuron_ == clf.neuron_


@pytest.mark.parametrize("model, field, grid", [
    (AdaptiveLIF(theta_jump=0.2), "tau_adapt", [20.0, 200.0]),
    (Izhikevich(), "a", [0.02, 0.1]),
], ids=lambda m: type(m).__name__ if not isinstance(m, (str, list)) else None)
def test_snnlzc_nested_params_and_grid_search_of_the_new_models(model, field, grid, static):
    X, y = static
    est = _snn(neuron=model, decision="rate")
    assert est.get_params()[f"neuron__{field}"] == getattr(model, field)
    twin = clone(est).set_params(**{f"neuron__{field}": grid[1]})
    assert getattr(twin.neuron, field) == grid[1] and getattr(est.neuron, field) == getattr(model, field)
    search = GridSearchCV(est, {f"neuron__{field}": grid}, cv=2).fit(X, y)
    assert [p[f"neuron__{field}"] for p in search.cv_results_["params"]] == grid
    best = search.best_params_[f"neuron__{field}"]
    assert np.all(getattr(search.best_estimator_.neuron_, field) == best)
    a = clone(est).set_params(**{f"neuron__{field}": grid[0]}).fit(X, y)
    b = clone(est).set_params(**{f"neuron__{field}": grid[1]}).fit(X, y)
    assert not np.array_equal(a.output_spikes(X), b.output_spikes(X))  # the parameter reaches the layer


@pytest.mark.parametrize("neuron, error, match", [
    (LIF(t_ref=2.0), ValueError, "refractory"),
    (AdaptiveLIF(t_ref=2.0), ValueError, "refractory"),
    (AdaptiveLIF.diehl_cook(t_ref=0.0), ValueError, "tau_adapt='auto'"),
    (Izhikevich(b=5.0), ValueError, "b < 5"),
    (LIF(tau_m=np.array([10.0, 20.0])), ValueError, "scalar parameters"),
    (Izhikevich(a=np.array([0.02, 0.1])), ValueError, "scalar parameters"),
])
def test_snnlzc_refuses_what_its_kernel_cannot_run(neuron, error, match, static):
    X, y = static
    with pytest.raises(error, match=match):
        _snn(neuron=neuron).fit(X, y)


# ------------------------------------------------------------------ synapse=
IDENTITY = dict(U=1.0, tau_rec=0.0, tau_facil=0.0)  # every spike has efficacy 1


def test_stdp_identity_synapse_changes_nothing(trains):
    X, _ = trains
    plain = STDPFeatureExtractor(4, random_state=0).fit(X)
    syn = STDPFeatureExtractor(4, synapse=TsodyksMarkram(**IDENTITY), random_state=0).fit(X)
    np.testing.assert_array_equal(plain.weights_, syn.weights_)
    np.testing.assert_array_equal(plain.transform(X), syn.transform(X))


def test_stdp_synapse_scales_each_input_spike():
    """One neuron, one input, frozen weight: the membrane follows v += g e_k w (naive loop)."""
    spikes = np.zeros((1, 80, 1), dtype=np.uint8)
    spikes[0, 2:80:3, 0] = 1
    syn = TsodyksMarkram(U=0.6, tau_rec=80.0, tau_facil=0.0)
    neuron = DC(t_ref=0.0, theta_jump=0.0)
    est = STDPFeatureExtractor(1, encoder=None, neuron=neuron, synapse=syn, inhibition=0.0,
                               weight_norm=None, off_channels=False, output="spikes",
                               inference_window=1,  # one pass of the train
                               random_state=0).fit(np.zeros_like(spikes))
    w = 20.0
    est.weights_ = np.array([[w]])
    out = est.transform(spikes)[0, :, 0]
    eff = syn.efficacy(spikes[0, :, 0])
    decay = np.exp(-1.0 / neuron.tau_m)
    v, expected = neuron.v_rest, np.zeros(80, dtype=np.uint8)
    for t in range(80):
        v = neuron.v_rest + (v - neuron.v_rest) * decay + eff[t] * w * est.synaptic_gain_
        if v > neuron.v_thresh:
            expected[t], v = 1, neuron.v_reset
    assert 0 < expected.sum() < spikes.sum()  # depression makes later spikes too weak alone
    np.testing.assert_array_equal(out, expected)
    plain = clone(est).set_params(synapse=None).fit(np.zeros_like(spikes))
    plain.weights_ = est.weights_
    assert plain.transform(spikes).sum() > out.sum()


def test_stdp_synapse_with_poisson_encoder_uses_its_spikes(static):
    X, _ = static
    enc = PoissonEncoder(max_rate=200.0, n_steps=40, random_state=0)
    syn = TsodyksMarkram(**IDENTITY)
    fused = STDPFeatureExtractor(3, encoder=enc, synapse=syn, off_channels=False, random_state=0).fit(X)
    spikes = clone(enc).fit(X).transform(X)
    direct = STDPFeatureExtractor(3, encoder=None, synapse=syn, off_channels=False,
                                  random_state=0).fit(spikes)
    np.testing.assert_array_equal(fused.weights_, direct.weights_)


def test_ngsnn_synapse_reads_efficacy_weighted_events(trains):
    X, y = trains
    params = dict(max_neurons=8, n_candidates=10, random_state=0)
    syn = TsodyksMarkram(U=0.5, tau_rec=100.0, tau_facil=0.0)
    clf = NGSNNClassifier(synapse=syn, **params).fit(X, y)
    series = NGSNNClassifier(**params).fit(syn.efficacy(X), y)
    np.testing.assert_array_equal(clf.decision_function(X), series.decision_function(syn.efficacy(X)))
    assert clf.input_kind_ == "spikes"
    assert clf.get_params()["synapse__U"] == 0.5
    plain = NGSNNClassifier(**params).fit(X, y)
    assert not np.array_equal(plain.decision_function(X), clf.decision_function(X))
    reloaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(reloaded.predict(X), clf.predict(X))


def test_ngsnn_synapse_refuses_non_spike_input(trains, static):
    X, y = trains
    syn = TsodyksMarkram()
    with pytest.raises(ValueError, match="synapse= applies to spike trains"):
        NGSNNClassifier(synapse=syn, max_neurons=4).fit(static[0], static[1])
    with pytest.raises(ValueError, match="temporal candidates"):
        NGSNNClassifier(synapse=syn, candidates="fields", max_neurons=4).fit(X, y)
