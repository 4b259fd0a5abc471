"""The energy scorer in a grid search over encoder -> STDP -> NG-SNN Pipelines."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from skspike.classifiers import NGSNNClassifier
from skspike.encoding import PoissonEncoder
from skspike.energy import count_operations, make_energy_scorer
from skspike.feature_extraction import STDPFeatureExtractor

THRESHOLDS = [1e-3, 1e-2, 3e-2, 1e-1]  # 40, 19, 8 and 3 hidden neurons on these data


def _digits(n=240, classes=(0, 1, 2, 3)):
    X, y = load_digits(return_X_y=True)
    keep = np.isin(y, classes)
    return X[keep][:n], y[keep][:n]


def _pipeline():
    return make_pipeline(
        PoissonEncoder(max_rate=300.0, n_steps=50, random_state=0),
        STDPFeatureExtractor(n_neurons=30, dt=1.0, random_state=0),
        # no early stopping, so the growth threshold alone decides the size
        NGSNNClassifier(max_neurons=40, early_stopping=False, random_state=0),
    )


def test_grid_search_accuracy_and_energy_over_growth_thresholds():
    X, y = _digits()
    search = GridSearchCV(
        _pipeline(),
        {"ngsnnclassifier__growth_threshold": THRESHOLDS},
        scoring={"accuracy": "accuracy", "energy": make_energy_scorer(hardware="loihi")},
        refit="accuracy",
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        n_jobs=2,
    ).fit(X, y)
    results = search.cv_results_
    joules = -results["mean_test_energy"]
    assert np.all(np.isfinite(joules)) and np.all(joules > 0)
    assert np.all(np.isfinite(results["mean_test_accuracy"]))
    # a larger growth threshold grows a smaller hidden layer, which costs less per sample
    thresholds = np.asarray(results["param_ngsnnclassifier__growth_threshold"], dtype=float)
    order = np.argsort(thresholds)
    assert np.all(np.diff(joules[order]) < 0)
    assert search.best_estimator_ is not None


def test_energy_falls_with_the_number_of_grown_neurons():
    X, y = _digits()
    fitted = [_pipeline().set_params(ngsnnclassifier__growth_threshold=t).fit(X, y) for t in THRESHOLDS]
    sizes = [p[-1].n_neurons_ for p in fitted]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
    scorer = make_energy_scorer(hardware="loihi")
    joules = [-scorer(p, X, y) for p in fitted]
    # only the classifier differs between the pipelines (same encoder and STDP seeds)
    per_step = [count_operations(p, X, per_step=True) for p in fitted]
    assert per_step[0]["stdpfeatureextractor"] == per_step[-1]["stdpfeatureextractor"]
    for i in range(len(fitted)):
        for j in range(len(fitted)):
            if sizes[i] > sizes[j]:
                assert joules[i] > joules[j]
