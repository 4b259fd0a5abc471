"""Tests of NGSNNClassifier, its incremental readout solver and activity kernels."""

import numpy as np
import pytest
from scipy.special import log_softmax, softmax
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine, make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate

from skspike._ops import OperationCounts
from skspike.classifiers import NGSNNClassifier
from skspike.classifiers._ngsnn import _activity_weights, _penalty, _plateau, _rheobase
from skspike.classifiers._ngsnn_candidates import (
    GrowthContext,
    ReceptiveFieldCandidates,
    SampledCandidates,
    UniformCandidates,
)
from skspike.classifiers._ngsnn_solver import IncrementalRidge, ridge_direct
from skspike.encoding import PoissonEncoder
from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, simulate


def _objective(H, Y, lam):
    """Regularised residual ||Y - [1 H] beta||^2 + beta^T diag(lam) beta at the optimum."""
    intercept, beta = ridge_direct(H, Y, lam)
    E = Y - intercept - H @ beta
    return float(np.sum(E * E) + np.sum(lam[:, None] * beta * beta))


# --------------------------------------------------------------- solver
def test_incremental_solution_equals_direct_solve():
    rng = np.random.default_rng(0)
    n, k, m = 200, 60, 4
    H = rng.random((n, k)) * (rng.random(k) < 0.8)  # some sparse columns
    H[:, 5] = H[:, 3] + 1e-3 * rng.random(n)  # a nearly collinear column
    Y = np.eye(m)[rng.integers(0, m, n)]
    lam = 0.1 * np.einsum("ij,ij->j", H, H) + 1e-6
    solver = IncrementalRidge(Y, k)
    for j in range(k):
        solver.add(H[:, j], lam[j])
        if j in (0, 9, 30, k - 1):
            b0, B = solver.coef()
            d0, D = ridge_direct(H[:, : j + 1], Y, lam[: j + 1])
            np.testing.assert_allclose(B, D, rtol=0, atol=1e-8)
            np.testing.assert_allclose(b0, d0, rtol=0, atol=1e-8)
            assert solver.objective == pytest.approx(_objective(H[:, : j + 1], Y, lam[: j + 1]), rel=1e-9)
    # the kept basis is Q = [1 H] L^-T, and the fitted values Q P are [1 H] beta
    H1 = np.column_stack([np.ones(n), H])
    np.testing.assert_allclose(solver.Q[:, : k + 1] @ solver.L[: k + 1, : k + 1].T, H1, rtol=0, atol=1e-10)
    np.testing.assert_allclose(solver.fitted(), b0 + H @ B, rtol=0, atol=1e-8)
    solver.truncate(20)
    b0, B = solver.coef()
    np.testing.assert_allclose(B, ridge_direct(H[:, :20], Y, lam[:20])[1], rtol=0, atol=1e-8)
    np.testing.assert_allclose(solver.fitted(), b0 + H[:, :20] @ B, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(solver.penalty(), lam[:20])


def test_score_is_the_exact_objective_decrease():
    rng = np.random.default_rng(1)
    n, m = 150, 3
    H = rng.random((n, 8))
    Y = np.eye(m)[rng.integers(0, m, n)]
    lam = 0.2 * np.einsum("ij,ij->j", H, H)
    solver = IncrementalRidge(Y, 20)
    for j in range(8):
        solver.add(H[:, j], lam[j])
    cands = rng.random((n, 5))
    lam_c = 0.2 * np.einsum("ij,ij->j", cands, cands)
    gain, *_ = solver.score(cands, lam_c)
    before = _objective(H, Y, lam)
    for j in range(5):
        after = _objective(np.column_stack([H, cands[:, j]]), Y, np.append(lam, lam_c[j]))
        assert gain[j] == pytest.approx(before - after, rel=1e-8)


def test_exact_score_prefers_what_the_scn_bound_misses():
    # Unregularised, so the residual E is orthogonal to the layer. Candidate A
    # repeats the layer plus a small component along E: the SCN bound
    # (h^T E)^2 / h^T h is tiny for it, but re-solving removes that whole
    # component. Candidate B is a random activity with a moderate correlation.
    rng = np.random.default_rng(2)
    n = 300
    h1 = rng.random(n)
    y = rng.random(n)
    Y = y[:, None]
    solver = IncrementalRidge(Y, 5)
    solver.add(h1, 0.0)
    intercept, beta = solver.coef()
    E = Y[:, 0] - intercept - h1 * beta[0]
    cand_a = h1 + 0.05 * E
    cand_b = rng.random(n) + 0.3 * E
    cands = np.column_stack([cand_a, cand_b])
    exact, *_ = solver.score(cands, np.zeros(2))
    scn_bound = (cands.T @ E) ** 2 / np.einsum("ij,ij->j", cands, cands)
    assert np.argmax(scn_bound) == 1
    assert np.argmax(exact) == 0
    drop = [solver.objective - _objective(np.column_stack([h1, c]), Y, np.zeros(2)) for c in cands.T]
    assert drop[0] > drop[1]
    np.testing.assert_allclose(exact, drop, rtol=1e-7)


def test_penalty_rule():
    H = np.array([[0.0, 1.0, 2.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    lam = _penalty(H, 2.5)
    # silent: 0; dense: 2.5 * sqrt(4) * 4 / 4; sparse (one sample of 4): 2.5 * sqrt(4) * 4 / 1
    np.testing.assert_allclose(lam, [0.0, 5.0, 20.0])
    # invariant to the gain of a neuron: penalty / data term unchanged
    lam2 = _penalty(3.0 * H, 2.5)
    np.testing.assert_allclose(lam2[1:] / np.sum((3 * H[:, 1:]) ** 2, axis=0), lam[1:] / np.sum(H[:, 1:] ** 2, axis=0))


# --------------------------------------------------------------- kernels
@pytest.mark.parametrize("neuron", [LIF(), LIF(reset="subtract", tau_syn=5.0), AdaptiveLIF()], ids=repr)
@pytest.mark.parametrize("activity", ["trace", "rate"])
def test_activity_matches_simulated_spikes(neuron, activity):
    X, y = load_iris(return_X_y=True)
    clf = NGSNNClassifier(neuron, activity=activity, max_neurons=12, early_stopping=False, random_state=0).fit(X, y)
    H = clf.transform_hidden(X)
    spikes, _ = simulate(
        neuron, clf._validated(X), clf.input_weights_, bias=clf.biases_, n_steps=clf.n_steps, output="spikes"
    )
    expected = np.einsum("stj,t->sj", spikes.astype(float), _activity_weights(activity, clf.n_steps))
    np.testing.assert_allclose(H, expected, rtol=0, atol=1e-12)
    assert H.max() > 0


def test_activity_of_spike_input_matches_simulate():
    rng = np.random.default_rng(0)
    spikes_in = (rng.random((40, 25, 6)) < 0.2).astype(np.uint8)
    y = (spikes_in[:, :, :3].sum(axis=(1, 2)) > spikes_in[:, :, 3:].sum(axis=(1, 2))).astype(int)
    # delay-free candidates (spike trains default to temporal ones, tests/test_ngsnn_temporal.py)
    clf = NGSNNClassifier(max_neurons=8, early_stopping=False, candidates="fields", random_state=0).fit(spikes_in, y)
    assert clf.input_kind_ == "spikes" and clf.n_neurons_ > 0
    out, _ = simulate(LIF(), spikes_in, clf.input_weights_, bias=clf.biases_, output="spikes")
    expected = np.einsum("stj,t->sj", out.astype(float), _activity_weights("trace", 25))
    np.testing.assert_allclose(clf.transform_hidden(spikes_in), expected, rtol=0, atol=1e-12)


def test_rheobase_of_lif_is_analytic():
    # LIF from rest under current I: v(t) = I (1 - exp(-t/tau)); first spike by step T
    # needs I >= 1 / (1 - exp(-T/tau)).
    for n_steps in (10, 30, 100):
        expected = 1.0 / (1.0 - np.exp(-n_steps / 20.0))
        assert _rheobase(LIF(), n_steps, 1.0) == pytest.approx(expected, rel=2e-3)


# --------------------------------------------------------------- estimator
def test_fitted_readout_is_the_direct_regularised_solve():
    X, y = load_wine(return_X_y=True)
    clf = NGSNNClassifier(max_neurons=40, early_stopping=False, random_state=0).fit(X, y)
    H = clf.transform_hidden(X)
    Y = np.eye(3)[y]
    np.testing.assert_allclose(clf.regularization_, _penalty(H, clf.alpha), rtol=1e-10)
    intercept, beta = ridge_direct(H, Y, clf.regularization_)
    np.testing.assert_allclose(clf.output_weights_, beta, rtol=0, atol=1e-8)
    np.testing.assert_allclose(clf.intercept_, intercept, rtol=0, atol=1e-8)


def test_growth_curve_is_consistent():
    X, y = load_breast_cancer(return_X_y=True)
    clf = NGSNNClassifier(max_neurons=60, random_state=0).fit(X, y)
    curve = clf.growth_curve_
    size = len(curve["residual"])
    assert set(curve) == {
        "n_neurons", "residual", "contribution", "train_score", "validation_score", "validation_loss"
    }
    assert all(len(v) == size for v in curve.values())
    np.testing.assert_array_equal(curve["n_neurons"], np.arange(size))
    res, contrib = curve["residual"], curve["contribution"]
    assert res[0] == 1.0 and np.all(np.diff(res) < 0)
    # each neuron removes exactly its relative contribution of the residual
    np.testing.assert_allclose(res[1:], res[:-1] * (1 - contrib[1:]), rtol=1e-9)
    assert np.all(contrib[1:] >= clf.growth_threshold)
    # early stopping keeps the size with the lowest validation loss (measured after each growth step)
    assert clf.n_neurons_ == int(np.nanargmin(curve["validation_loss"]))
    if clf.stop_reason_ == "early_stopping":
        assert size - 1 - clf.n_neurons_ >= clf.n_iter_no_change
    assert clf.input_weights_.shape == (30, clf.n_neurons_)
    assert clf.biases_.shape == clf.regularization_.shape == (clf.n_neurons_,)
    assert clf.output_weights_.shape == (clf.n_neurons_, 2)


def test_stopping_rules():
    X, y = load_iris(return_X_y=True)
    clf = NGSNNClassifier(max_neurons=7, early_stopping=False, growth_threshold=0.0, random_state=0).fit(X, y)
    assert clf.n_neurons_ == 7 and clf.stop_reason_ == "max_neurons"
    clf = NGSNNClassifier(tol=0.5, early_stopping=False, random_state=0).fit(X, y)
    assert clf.stop_reason_ == "tol" and clf.growth_curve_["residual"][-1] <= 0.5
    assert clf.growth_curve_["residual"][-2] > 0.5
    clf = NGSNNClassifier(growth_threshold=0.2, early_stopping=False, random_state=0).fit(X, y)
    assert clf.stop_reason_ == "growth_threshold"
    assert np.all(clf.growth_curve_["contribution"][1:] >= 0.2)
    assert np.all(np.isnan(clf.growth_curve_["validation_loss"]))


def _first_plateau(sizes, loss, fraction=0.05, start=80):
    """Naive statement of the plateau rule: first step end k >= start with
    min L[sizes <= k/2] - min L[sizes <= k] < fraction * (L[0] - min L[sizes <= k])."""
    sizes, loss = np.asarray(sizes), np.asarray(loss)
    for i, k in enumerate(sizes):
        if k < start:
            continue
        now = loss[: i + 1].min()
        half = loss[sizes <= k // 2].min()
        if loss[0] - now > 0 and half - now < fraction * (loss[0] - now):
            return int(k)
    return None


def test_plateau_rule_fires_on_a_flattening_curve_not_on_a_log_curve():
    sizes = np.arange(0, 4097, 16)
    power = 0.1 + 0.9 * (1.0 + sizes) ** -0.7  # learned: the loss flattens like k^-a
    logc = 1.0 - 0.05 * np.log2(1.0 + sizes)  # hard data: the loss still falls like log k
    best = np.minimum.accumulate

    def fires(loss):
        for i in range(1, len(sizes)):
            if sizes[i] >= 80 and _plateau(list(sizes[: i + 1]), list(best(loss[: i + 1]))):
                return int(sizes[i])
        return None

    k = fires(power)
    assert k is not None and k == _first_plateau(sizes, power)
    # at the stop the last doubling gained < 5 % of the total, one step earlier it did not
    j = np.searchsorted(sizes, k)
    assert power[sizes <= k // 2].min() - power[j] < 0.05 * (1 - power[j])
    assert fires(logc) is None and _first_plateau(sizes, logc) is None
    # noise that never improves on the best does not move the rule (it reads the best loss so far)
    noisy = power + np.where(np.arange(len(sizes)) % 2 == 1, 0.3, 0.0)
    assert fires(noisy) == _first_plateau(sizes, noisy)


def test_validation_plateau_stops_growth_and_keeps_the_best_size(monkeypatch):
    import skspike.classifiers._ngsnn as ngsnn

    X, y = load_breast_cancer(return_X_y=True)
    # small data: the layer is cheap (n k^2 << 3e10), no minimum share; without the noise test
    # nothing but early stopping (a) ends growth
    monkeypatch.setattr(ngsnn, "_PLATEAU_Z", 0.0)
    clf = NGSNNClassifier(random_state=0).fit(X, y)
    assert clf.stop_reason_ == "early_stopping"
    # priced as if each neuron were expensive, the 5 % share applies from the first check
    monkeypatch.setattr(ngsnn, "_PLATEAU_WORK", 1.0)
    clf = NGSNNClassifier(random_state=0).fit(X, y)
    curve = clf.growth_curve_
    assert clf.stop_reason_ == "validation_plateau"
    cap = clf._plan(len(y) - 57, 57, 30, 2, 0)[1]
    assert clf.n_neurons_ < cap
    measured = np.flatnonzero(~np.isnan(curve["validation_loss"]))
    # the rule fired at the last step end, and at no earlier one
    assert _first_plateau(measured, curve["validation_loss"][measured]) == measured[-1]
    assert clf.n_neurons_ == int(np.nanargmin(curve["validation_loss"]))
    assert clf.score(X, y) > 0.95


def test_plateau_noise_rule_is_a_paired_test():
    rng = np.random.default_rng(0)
    n_val = 400
    e0 = np.ones(n_val)
    e_quarter = 0.5 + 0.2 * rng.standard_normal(n_val)
    sizes = [0, 50, 100, 200]
    for shift, fires in ((0.001, True), (0.05, False)):
        e_now = e_quarter - shift + 0.02 * rng.standard_normal(n_val)
        e_half = 0.5 * (e_quarter + e_now)
        best = [1.0, float(e_quarter.mean()), float(e_half.mean()), float(e_now.mean())]
        d = e_quarter - e_now  # two doublings: from k/4 = 50 to k = 200
        assert (d.mean() < 2 * d.std(ddof=1) / np.sqrt(n_val)) == fires
        # the share rule alone (fraction 0) never fires; the noise term decides
        assert _plateau(sizes, best, 0.0, [e0, e_quarter, e_half, e_now]) == fires
        assert not _plateau(sizes, best, 0.0)


def test_plateau_share_grows_with_the_work_of_the_layer():
    from skspike.classifiers._ngsnn import _PLATEAU, _PLATEAU_WORK

    sizes = [0, 100, 200]
    best = [1.0, 0.5, 0.49]  # the last doubling brought 2 % of the gain so far
    n = 5000
    cheap = _PLATEAU * min(1.0, n * 200**2 / _PLATEAU_WORK)
    assert cheap < 0.001 and not _plateau(sizes, best, cheap)
    assert _plateau(sizes, best, _PLATEAU)


def test_growth_goes_on_while_validation_improves():
    """Digits (fixed seed): the held-out loss still falls at the old 5 %-per-doubling stop, so growth
    must go on past it, to a size whose validation loss is lower; it ends at the data's bound."""
    X, y = load_digits(return_X_y=True)
    X, y = X[::2], y[::2]  # 899 samples: 809 for growth, 90 held out
    clf = NGSNNClassifier(random_state=0).fit(X, y)
    curve = clf.growth_curve_
    measured = np.flatnonzero(~np.isnan(curve["validation_loss"]))
    loss = curve["validation_loss"][measured]
    old_stop = _first_plateau(measured, loss)
    assert old_stop is not None and old_stop < clf.n_neurons_
    assert np.nanmin(curve["validation_loss"][: old_stop + 1]) > curve["validation_loss"][clf.n_neurons_]
    # no validation rule fired: the layer stopped at one neuron per growth sample
    assert clf.stop_reason_ == "growth_samples" and len(curve["n_neurons"]) - 1 == 809
    # and the best size is near the end: validation was still improving when growth stopped
    assert clf.n_neurons_ >= 809 - max(clf.n_iter_no_change, 809 // 4)


def test_larger_threshold_grows_smaller_network():
    X, y = load_wine(return_X_y=True)
    sizes = [
        NGSNNClassifier(growth_threshold=t, early_stopping=False, random_state=0).fit(X, y).n_neurons_
        for t in (1e-3, 1e-2, 5e-2)
    ]
    assert sizes[0] > sizes[1] > sizes[2] > 0


def test_early_stopping_falls_back_on_tiny_data():
    X = np.arange(12, dtype=float)[:, None]
    y = np.array([0] * 6 + [1] * 5 + [2])  # one sample of class 2: no stratified hold-out
    clf = NGSNNClassifier(max_neurons=5, random_state=0).fit(X, y)
    assert np.all(np.isnan(clf.growth_curve_["validation_loss"]))


def test_labels_binary_multiclass_strings_and_probabilities():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = NGSNNClassifier(max_neurons=30, random_state=0).fit(X, names)
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]
    pred = clf.predict(X)
    assert pred.dtype.kind == "U" and np.mean(pred == names) > 0.9
    F = clf.decision_function(X)
    P = clf.predict_proba(X)
    assert F.shape == P.shape == (150, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(P, softmax(F / clf.temperature_, axis=1))
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(P), atol=1e-10)
    np.testing.assert_array_equal(clf.classes_[P.argmax(1)], pred)

    mask = y > 0
    clf2 = NGSNNClassifier(max_neurons=30, random_state=0).fit(X[mask], names[mask])
    d = clf2.decision_function(X[mask])
    assert d.shape == (100,)
    np.testing.assert_array_equal(clf2.predict(X[mask]), np.where(d > 0, "virginica", "versicolor"))
    assert clf2.predict_proba(X[mask]).shape == (100, 2)


def test_temperature_minimises_training_log_loss():
    X, y = load_wine(return_X_y=True)
    clf = NGSNNClassifier(max_neurons=30, random_state=0).fit(X, y)
    F = clf.intercept_ + clf.transform_hidden(X) @ clf.output_weights_

    def nll(t):
        return -np.mean(log_softmax(F / t, axis=1)[np.arange(len(y)), y])

    t = clf.temperature_
    assert nll(t) <= nll(1.05 * t) and nll(t) <= nll(t / 1.05)


def test_one_class_and_bad_parameters_raise():
    X = np.random.default_rng(0).random((20, 3))
    with pytest.raises(ValueError, match="at least 2 classes"):
        NGSNNClassifier().fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="scalar parameters"):
        NGSNNClassifier(LIF(tau_m=np.full(3, 10.0))).fit(X, np.arange(20) % 2)
    with pytest.raises(ValueError, match="scales"):
        NGSNNClassifier(scales=(1.0, -2.0)).fit(X, np.arange(20) % 2)
    with pytest.raises(ValueError, match="does not fire"):
        NGSNNClassifier(LIF(r_m=1e-9), max_neurons=2).fit(X, np.arange(20) % 2)
    clf = NGSNNClassifier(max_neurons=3, random_state=0).fit(X, np.arange(20) % 2)
    with pytest.raises(ValueError, match="3 features"):
        clf.predict(X[:, :2])
    with pytest.raises(ValueError, match="static"):
        clf.predict(np.zeros((2, 5, 3), dtype=np.uint8))


def test_same_seed_same_model_whatever_the_threads():
    X, y = load_wine(return_X_y=True)
    a = NGSNNClassifier(max_neurons=25, random_state=3).fit(X, y)
    b = NGSNNClassifier(max_neurons=25, random_state=3, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.input_weights_, b.input_weights_)
    np.testing.assert_array_equal(a.output_weights_, b.output_weights_)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    c = NGSNNClassifier(max_neurons=25, random_state=4).fit(X, y)
    assert not np.array_equal(a.input_weights_[:, :1], c.input_weights_[:, :1])


def test_other_neuron_models_and_spike_encoders():
    X, y = load_iris(return_X_y=True)
    izh = NGSNNClassifier(Izhikevich(), max_neurons=30, random_state=0).fit(X, y)
    assert izh.current_unit_ > 1.0 and izh.score(X, y) > 0.9
    enc = PoissonEncoder(max_rate=500.0, n_steps=60, random_state=0)
    clf = NGSNNClassifier(encoder=enc, max_neurons=40, random_state=0).fit(X, y)
    assert clf.input_kind_ == "static" and hasattr(clf, "encoder_")
    # 60 Poisson steps carry about 30 spikes per feature at most: a noisy code
    assert clf.score(X, y) > 0.85


def test_count_operations():
    X, y = load_iris(return_X_y=True)
    clf = NGSNNClassifier(max_neurons=20, random_state=0).fit(X, y)
    k = clf.n_neurons_
    ops = clf.count_operations(X)
    assert isinstance(ops, OperationCounts)
    active = np.count_nonzero(clf.transform_hidden(X)) / 150
    assert ops.synaptic_ac == 0.0
    # hidden: one MAC per non-zero weight once per sample (held current); readout: active x 3
    n_weights = np.count_nonzero(clf.input_weights_)
    assert 0 < n_weights <= 4 * k
    assert ops.synaptic_mac == pytest.approx(n_weights + 3 * active, rel=0.02)
    assert ops.neuron_updates == 30 * k and ops.n_connections == 4 * k + 3 * k
    assert ops.n_zero_connections >= 4 * k - n_weights
    assert ops.dense_ops == 4 * k + 3 * k
    assert ops.spikes > 0

    enc = PoissonEncoder(max_rate=400.0, n_steps=20, random_state=0)
    spk = NGSNNClassifier(encoder=enc, max_neurons=10, random_state=0).fit(X, y)
    ops2 = spk.count_operations(X)
    spikes_in = spk.encoder_.transform(X)
    # one accumulate per input spike and non-zero weight of its channel
    fanout = np.count_nonzero(spk.input_weights_, axis=1)
    assert ops2.synaptic_ac == pytest.approx(np.einsum("stc,c->", spikes_in, fanout) / 150)
    assert ops2.synaptic_mac == pytest.approx(np.count_nonzero(spk.transform_hidden(X)) / 150 * 3)


def test_verbose_progress_bar(capsys):
    X, y = load_iris(return_X_y=True)
    NGSNNClassifier(max_neurons=5, verbose=1, random_state=0).fit(X, y)
    assert "NGSNN growth" in capsys.readouterr().err


def test_grid_search_over_growth_threshold():
    X, y = load_wine(return_X_y=True)
    grid = {"growth_threshold": [1e-3, 3e-2, 0.2]}
    search = GridSearchCV(NGSNNClassifier(max_neurons=100, random_state=0), grid, cv=3, n_jobs=2).fit(X, y)
    assert search.best_params_["growth_threshold"] in grid["growth_threshold"]
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores)) and scores.max() > 0.9
    assert search.best_estimator_.n_neurons_ >= 1


# --------------------------------------------------------------- quality targets
_DATASETS = {
    "iris": (load_iris, 0.966),
    "wine": (load_wine, 0.977),
    "breast_cancer": (load_breast_cancer, 0.977),
    "digits": (load_digits, 0.977),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(_DATASETS))
def test_cross_validated_accuracy_targets(name):
    loader, target = _DATASETS[name]
    X, y = loader(return_X_y=True)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    res = cross_validate(NGSNNClassifier(random_state=0), X, y, cv=cv, return_estimator=True)
    accuracy = res["test_score"].mean()
    sizes = [est.n_neurons_ for est in res["estimator"]]
    assert accuracy >= target, (name, accuracy, sizes)
    assert min(sizes) >= 1
    # the size is found by the validation loss or the data (one neuron per growth sample), not by
    # a cap or the threshold
    assert all(est.stop_reason_ in ("early_stopping", "validation_plateau", "growth_samples")
               for est in res["estimator"])


# --------------------------------------------------------------- growth in batches
def test_greedy_batch_addition_is_exact_and_equals_direct_solve():
    rng = np.random.default_rng(5)
    n, m = 300, 4
    Y = np.eye(m)[rng.integers(0, m, n)]
    H0 = rng.random((n, 6))
    lam0 = 0.1 * np.einsum("ij,ij->j", H0, H0)
    solver = IncrementalRidge(Y, 30)
    for j in range(6):
        solver.add(H0[:, j], lam0[j])
    cands = rng.random((n, 12))
    cands[:, 1] = cands[:, 0] + 1e-3 * rng.random(n)  # near duplicate: loses its gain once 0 is in
    lam_c = 0.1 * np.einsum("ij,ij->j", cands, cands)
    gain, Z, q, s = solver.score(cands, lam_c)
    before = solver.objective
    added, gains = solver.add_greedy(cands, lam_c, gain, Z, q, s, n_add=5)
    assert len(added) == 5 and len(set(added)) == 5
    assert not {0, 1} <= set(added)
    H = np.column_stack([H0, cands[:, added]])
    lam = np.concatenate([lam0, lam_c[added]])
    # each recorded gain is the exact decrease at the time of its addition
    objective = before
    for i, g in enumerate(gains):
        after = _objective(H[:, : 6 + i + 1], Y, lam[: 6 + i + 1])
        assert g == pytest.approx(objective - after, rel=1e-8)
        objective = after
    b0, B = solver.coef()
    d0, D = ridge_direct(H, Y, lam)
    np.testing.assert_allclose(B, D, rtol=0, atol=1e-8)
    np.testing.assert_allclose(b0, d0, rtol=0, atol=1e-8)


def test_score_bound_is_a_lower_bound():
    rng = np.random.default_rng(6)
    n = 200
    Y = np.eye(3)[rng.integers(0, 3, n)]
    solver = IncrementalRidge(Y, 10)
    for j in range(4):
        h = rng.random(n)
        solver.add(h, 0.1 * h @ h)
    cands = rng.random((n, 20))
    lam_c = 0.1 * np.einsum("ij,ij->j", cands, cands)
    exact, *_ = solver.score(cands, lam_c)
    bound = solver.score_bound(cands, lam_c)
    assert np.all(bound <= exact * (1 + 1e-10)) and np.all(bound > 0)


# --------------------------------------------------------------- candidate distributions
def _context(X, y, scales=(0.5, 1.0, 2.0, 4.0)):
    X = np.asarray(X, dtype=float)
    return GrowthContext(
        input_kind="static", n_features=X.shape[1], X=X, y=np.asarray(y), n_classes=int(np.max(y)) + 1,
        mu=np.zeros(X.shape[1]), sigma=np.ones(X.shape[1]), current_unit=1.7, scales=np.asarray(scales),
    )


def test_uniform_candidates_moments():
    rng = np.random.default_rng(0)
    d = 50
    ctx = _context(rng.standard_normal((10, d)), np.arange(10) % 2, scales=(2.0,))
    block = UniformCandidates().draw(rng, 400, ctx)
    U = block.weights / ctx.current_unit
    # u ~ U[-1, 1] sqrt(3/d) lambda: variance lambda^2 / d per weight
    assert np.var(U) == pytest.approx(4.0 / d, rel=0.03)
    V = block.bias / ctx.current_unit
    assert V.mean() == pytest.approx(2.0, abs=0.15)  # E[lambda v + c] = 0 + 2


def test_receptive_fields_follow_the_feature_correlations():
    # smooth random signals: neighbouring steps are the most correlated features
    rng = np.random.default_rng(1)
    n, d = 600, 40
    raw = rng.standard_normal((n, d + 14))
    X = np.stack([raw[:, i : i + 15].mean(axis=1) for i in range(d)], axis=1)
    X = (X - X.mean(0)) / X.std(0)
    ctx = _context(X, np.arange(n) % 3)
    fam = ReceptiveFieldCandidates(max_field=0.25, min_field=2, quantiles=(0.2, 0.7))
    block = fam.draw(rng, 300, ctx)
    support = block.weights != 0
    sizes = support.sum(axis=0)
    assert sizes.min() >= 2 and sizes.max() <= 10 and len(np.unique(sizes)) > 5
    for j in range(300):
        idx = np.flatnonzero(support[:, j])
        # contiguous window of steps (the correlation neighbourhood of a smooth signal)
        assert idx.max() - idx.min() + 1 == len(idx), idx
    current = (X @ block.weights + block.bias) / ctx.current_unit  # rheobase units
    silent = np.mean(current < 1.0, axis=0)
    calib = min(n, fam.n_calibration)
    assert silent.min() >= 0.2 - 2 / calib and silent.max() <= 0.7 + 2 / calib
    assert np.mean(silent) == pytest.approx(0.45, abs=0.04)
    # gain: the current's spread over the data is lambda rheobases, lambda from the scales
    spread = current.std(axis=0)
    assert np.all(np.min(np.abs(spread[:, None] - np.array([0.5, 1.0, 2.0, 4.0])), axis=1) < 1e-8)


def test_sampled_pairs_put_the_threshold_between_the_samples():
    # two samples of different classes: every pair is (a, b) or (b, a)
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 30))
    ctx = _context(X, [0, 1])
    fam = SampledCandidates(residual_fraction=0.0, tau_max=0.5)
    block = fam.draw(rng, 200, ctx)
    current = (X @ block.weights + block.bias) / ctx.current_unit
    high, low = current.max(axis=0), current.min(axis=0)
    lam = high - 1.0  # at z_2: 1 + lambda rheobases
    assert np.all(np.min(np.abs(lam[:, None] - np.array([0.5, 1.0, 2.0, 4.0])), axis=1) < 1e-9)
    # at z_1: 1 - lambda tau / (1 - tau) with tau in [0, 0.5]: at most one rheobase, at least 1 - lambda
    assert np.all(low <= 1.0 + 1e-12) and np.all(low >= 1.0 - lam - 1e-12)
    assert set(np.argmax(current, axis=0)) == {0, 1}


def test_residual_pairs_fire_where_the_class_is_under_predicted():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 8))
    y = np.arange(60) % 3
    ctx = _context(X, y)
    E = -0.1 * np.ones((60, 3))
    E[7, 1] = 1.0  # the only under-predicted sample, class 1
    ctx.residual = E
    block = SampledCandidates(residual_fraction=1.0).draw(rng, 50, ctx)
    current = (X @ block.weights + block.bias) / ctx.current_unit
    assert np.all(current[7] > 1.0 + 0.5 - 1e-9)  # z_2 is sample 7 for every candidate


def test_candidate_families_by_name_and_instance():
    X, y = load_wine(return_X_y=True)
    for cand in ("uniform", "sampled", "fields", SampledCandidates(uniform_fraction=0.5)):
        clf = NGSNNClassifier(candidates=cand, max_neurons=20, random_state=0).fit(X, y)
        assert clf.n_neurons_ > 0 and clf.score(X, y) > 0.9
        assert clf.hidden_.n_neurons == clf.n_neurons_
    with pytest.raises(ValueError, match="candidates"):
        NGSNNClassifier(candidates="nope").fit(X, y)


# --------------------------------------------------------------- memory
def test_memory_guard_fails_before_allocating():
    X, y = load_digits(return_X_y=True)
    X0 = X.copy()
    with pytest.raises(MemoryError, match=r"would need about \d+\.\d+ GB .*memory_limit"):
        NGSNNClassifier(max_neurons=5000, growth_samples=1500, memory_limit=1e6).fit(X, y)
    np.testing.assert_array_equal(X, X0)
    clf = NGSNNClassifier(max_neurons=10, memory_limit=2e8, random_state=0).fit(X, y)
    assert clf.n_neurons_ > 0


def test_automatic_sizes_follow_the_data():
    # growth samples at most 5,000; cap = one neuron per growth sample, at least 300
    plan = NGSNNClassifier()._size_bound
    for n_train, n_grow, cap in ((135, 135, 300), (3600, 3600, 3600), (48000, 5000, 5000)):
        got_grow, got_cap, _, need, reason = plan(n_train, n_train // 9, 40, 10, 0)
        assert (got_grow, got_cap, reason) == (n_grow, cap, "growth_samples")
        assert need["readout state"] >= 8 * n_grow * cap
    assert NGSNNClassifier(max_neurons=50, growth_samples=700)._plan(3600, 400, 40, 10, 0)[:2] == (700, 50)
    # the cap follows memory_limit: the largest size whose growth state fits it
    for limit in (3e8, 5e8):
        n_grow, cap, _, need, reason = NGSNNClassifier(memory_limit=limit)._size_bound(43200, 4800, 40, 10, 0)
        assert reason == "memory_limit" and cap < 5000
        assert sum(need.values()) <= limit
        bigger = NGSNNClassifier(memory_limit=limit, max_neurons=cap + 1)._plan(43200, 4800, 40, 10, 0)[3]
        assert sum(bigger.values()) > limit


def test_cap_from_memory_limit_is_the_stop_reason():
    X, y = load_digits(return_X_y=True)
    # digits: 1,617 samples for growth, 180 held out; the limit is what 60 neurons need
    limit = sum(NGSNNClassifier(max_neurons=60)._plan(1617, 180, 64, 10, 0)[3].values())
    clf = NGSNNClassifier(memory_limit=limit, random_state=0, n_iter_no_change=100).fit(X, y)
    assert clf.n_neurons_ == 60 and clf.stop_reason_ == "memory_limit"


def test_growth_on_a_subsample_solves_the_readout_on_all_data():
    X, y = load_digits(return_X_y=True)
    clf = NGSNNClassifier(growth_samples=600, max_neurons=60, early_stopping=False, random_state=0).fit(X, y)
    H = clf.transform_hidden(X)
    lam = _penalty(H, clf.alpha)
    np.testing.assert_allclose(clf.regularization_, lam, rtol=1e-9)
    intercept, beta = ridge_direct(H, np.eye(10)[y], lam)
    np.testing.assert_allclose(clf.output_weights_, beta, rtol=0, atol=1e-8)
    assert clf.score(X, y) > 0.9


# --------------------------------------------------------------- outside data
@pytest.fixture(scope="module")
def mnist1d_data():
    mnist1d = pytest.importorskip("mnist1d.data")
    args = mnist1d.get_dataset_args()
    args.num_samples = 2000  # 1,600 train / 400 test: a fast subset
    d = mnist1d.make_dataset(args)
    return d["x"], d["y"], d["x_test"], d["y_test"]


def test_mnist1d_keeps_growing_past_the_linear_level(mnist1d_data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, Xt, yt = mnist1d_data
    clf = NGSNNClassifier(max_neurons=300, random_state=0).fit(X, y)
    linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X, y).score(Xt, yt)
    acc = clf.score(Xt, yt)
    assert clf.stop_reason_ != "growth_threshold"
    # seed 0: 0.50 against 0.27 for logistic regression
    assert acc >= 0.45 and acc >= linear + 0.15, (acc, linear, clf.n_neurons_, clf.stop_reason_)


def test_mnist1d_default_size_is_not_the_cap(mnist1d_data):
    """Hard data whose validation loss falls like log k: with defaults no validation rule and no
    cap stops growth; it ends at one neuron per growth sample, still improving."""
    X, y, Xt, yt = mnist1d_data
    clf = NGSNNClassifier(random_state=0).fit(X, y)
    n_grow = 1440  # 1,600 training samples, 160 held out
    assert clf.stop_reason_ == "growth_samples"
    assert len(clf.growth_curve_["n_neurons"]) - 1 == n_grow
    assert clf.n_neurons_ >= n_grow - max(clf.n_iter_no_change, n_grow // 4)
    # seed 0: 0.60, against 0.50 with max_neurons=300 (test above)
    assert clf.score(Xt, yt) >= 0.55


# --------------------------------------------------- blocks, threads, growing arrays
def test_growing_arrays_give_the_preallocated_solution():
    from skspike.classifiers._ngsnn_solver import GrowingColumns

    rng = np.random.default_rng(5)
    n, k, m = 300, 45, 3
    H = rng.random((n, k)) * (rng.random((n, k)) < 0.6)
    Y = np.eye(m)[rng.integers(0, m, n)]
    lam = _penalty(H, 2.5)
    small = IncrementalRidge(Y, 2 * k, chunk=4)  # enlarged a dozen times
    whole = IncrementalRidge(Y, 2 * k, chunk=2 * k + 1)  # allocated once, for the cap
    assert small.Q.shape[1] == 4 and whole.Q.shape[1] == 2 * k + 1
    order = {id(small): [], id(whole): []}
    for start in range(0, k, 7):
        Hc, lam_c = H[:, start : start + 7], lam[start : start + 7]
        for solver in (small, whole):
            gain, Z, q, s = solver.score(Hc, lam_c)
            added = solver.add_greedy(Hc, lam_c, gain, Z, q, s, Hc.shape[1])[0]
            order[id(solver)] += [start + j for j in added]
    assert order[id(small)] == order[id(whole)]
    assert small.k == whole.k == k + 1 and small.Q.shape[1] < whole.Q.shape[1]
    np.testing.assert_array_equal(small.Q[:, : small.k], whole.Q[:, : whole.k])
    np.testing.assert_array_equal(small.L[: small.k, : small.k], whole.L[: whole.k, : whole.k])
    b_small, B_small = small.coef()
    np.testing.assert_array_equal(B_small, whole.coef()[1])
    # the grown solution is the direct solve of the columns in the order added
    cols = order[id(small)]
    d0, D = ridge_direct(H[:, cols], Y, lam[cols])
    np.testing.assert_allclose(B_small, D, rtol=0, atol=1e-8)
    np.testing.assert_allclose(b_small, d0, rtol=0, atol=1e-8)
    grow = GrowingColumns(10, 9, chunk=4)
    grow.array[:, :4] = np.arange(40.0).reshape(10, 4)
    grow.reserve(9)
    assert grow.array.shape == (10, 9) and grow.array.flags.f_contiguous
    np.testing.assert_array_equal(grow.array[:, :4], np.arange(40.0).reshape(10, 4))
    with pytest.raises(RuntimeError, match="capacity 9"):
        grow.reserve(10)


def test_blocked_products_do_not_depend_on_the_threads():
    from skspike.classifiers._ngsnn import _gram_update
    from skspike.classifiers._ngsnn_blocks import blocked_matmul

    rng = np.random.default_rng(6)
    H = rng.random((700, 600))
    G1 = _gram_update(H, np.zeros((600, 600), order="F"), 1)
    G2 = _gram_update(H, np.zeros((600, 600), order="F"), 2)
    np.testing.assert_array_equal(G1, G2)
    np.testing.assert_allclose(np.tril(G1), np.tril(H.T @ H), rtol=1e-12)
    A, B = rng.random((1000, 50)), rng.random((50, 7))
    np.testing.assert_array_equal(blocked_matmul(A, B, 1), blocked_matmul(A, B, 3))
    np.testing.assert_allclose(blocked_matmul(A, B, 2, block=64), A @ B, rtol=1e-13)
    with pytest.raises(ValueError):  # an error in a block reaches the caller
        blocked_matmul(A, rng.random((49, 7)), 2)


def test_fit_on_many_blocks_is_the_same_whatever_the_threads():
    """Enough samples and neurons for several blocks of samples, basis columns and Gram panels."""
    from threadpoolctl import threadpool_limits

    X, y = load_digits(return_X_y=True)
    kw = dict(max_neurons=300, random_state=0)
    one = NGSNNClassifier(n_jobs=1, **kw).fit(X, y)
    assert one.n_neurons_ > 256 and one.stop_reason_ != "growth_threshold"
    models = [NGSNNClassifier(n_jobs=2, **kw).fit(X, y), NGSNNClassifier(**kw).fit(X, y)]
    with threadpool_limits(1):  # n_jobs=None follows the BLAS limit
        models.append(NGSNNClassifier(**kw).fit(X, y))
    for other in models:
        assert other.n_neurons_ == one.n_neurons_
        np.testing.assert_array_equal(other.input_weights_, one.input_weights_)
        np.testing.assert_array_equal(other.output_weights_, one.output_weights_)
        np.testing.assert_array_equal(other.intercept_, one.intercept_)
        np.testing.assert_array_equal(other.predict_proba(X), one.predict_proba(X))


def test_input_statistics_in_batches_equal_numpy():
    from skspike.classifiers._ngsnn import _input_statistics

    rng = np.random.default_rng(7)
    X = rng.normal(3.0, 2.0, (9000, 5))
    X[:, 2] = 1.5  # constant feature: scale 1
    mu, sigma = _input_statistics(X)
    np.testing.assert_allclose(mu, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(sigma[[0, 1, 3, 4]], X.std(axis=0)[[0, 1, 3, 4]], rtol=1e-12)
    assert sigma[2] == 1.0
    S = (rng.random((5000, 4, 3)) < 0.3).astype(np.uint8)
    mu, sigma = _input_statistics(S)
    np.testing.assert_allclose(mu, S.mean(axis=1).mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(sigma, S.mean(axis=1).std(axis=0), rtol=1e-12)


def test_final_readout_from_the_factor_equals_simulating_the_growth_samples():
    """The growth samples' share of the normal equations read from L equals simulating them again."""
    from skspike.classifiers import _ngsnn as ngsnn_module

    X, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    X = np.vstack([X, X + rng.normal(0, 1.0, X.shape), X + rng.normal(0, 1.0, X.shape)])
    y = np.concatenate([y, y, y])
    clf = NGSNNClassifier(growth_samples=600, max_neurons=80, random_state=0)
    seen = {}
    readout = NGSNNClassifier._readout_all

    def spy(self, data, Y, n_threads=1, grown_eq=None):
        seen["full"] = readout(self, data, Y, n_threads, None)
        seen["eq"] = grown_eq
        seen["reuse"] = readout(self, data, Y, n_threads, grown_eq)
        return seen["reuse"]

    NGSNNClassifier._readout_all = spy
    try:
        clf.fit(X, y)
    finally:
        NGSNNClassifier._readout_all = readout
    assert seen["eq"] is not None and len(seen["eq"]["rows"]) == 600 and clf.n_neurons_ > 40
    b0, B, lam = seen["full"][:3]
    np.testing.assert_allclose(clf.output_weights_, B, rtol=0, atol=1e-9 * np.abs(B).max())
    np.testing.assert_allclose(clf.intercept_, b0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(clf.regularization_, lam, rtol=1e-10)
    # the temperature is fitted on the samples simulated by the readout (not the growth samples)
    kept = seen["reuse"][4]
    assert len(kept) == len(X) - 600 and not np.isin(kept, seen["eq"]["rows"]).any()
    assert ngsnn_module._READOUT_BATCH <= len(X) - 600
