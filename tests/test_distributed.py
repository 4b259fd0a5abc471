"""Grid search on a dask.distributed LocalCluster and chunked prediction with dask-ml."""

import warnings

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

distributed = pytest.importorskip("dask.distributed")

from skspike.classifiers import NGSNNClassifier  # noqa: E402


def _search():
    pipe = make_pipeline(StandardScaler(), NGSNNClassifier(max_neurons=40, random_state=0))
    grid = {"ngsnnclassifier__growth_threshold": [1e-3, 1e-2, 1e-1]}
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    return GridSearchCV(pipe, grid, cv=cv)


def test_grid_search_on_local_cluster_matches_default_backend():
    X, y = load_iris(return_X_y=True)
    local = _search().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True,
            host="127.0.0.1", dashboard_address=None,
        )
        with cluster, distributed.Client(cluster):
            with joblib.parallel_config(backend="dask"):
                remote = _search().fit(X, y)
    assert remote.best_params_ == local.best_params_
    np.testing.assert_allclose(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )


def test_chunked_prediction_with_parallel_post_fit():
    da = pytest.importorskip("dask.array")
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X, y = load_iris(return_X_y=True)
    model = make_pipeline(StandardScaler(), NGSNNClassifier(max_neurons=30, random_state=0)).fit(X, y)
    wrapped = wrappers.ParallelPostFit(estimator=model)
    X_big = da.from_array(np.vstack([X] * 4), chunks=(100, X.shape[1]))
    predicted = wrapped.predict(X_big)
    assert predicted.chunks[0] == X_big.chunks[0]
    np.testing.assert_array_equal(predicted.compute(), np.tile(model.predict(X), 4))
