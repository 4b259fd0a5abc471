"""scikit-learn's common checks over every public skspike estimator.

Estimators are discovered automatically; exceptions live in
``skspike/utils/_estimator_checks.py``, each with its reason.
"""

import pickle

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skspike.utils.discovery import all_estimators
from skspike.utils._estimator_checks import (
    CHECK_PARAMS,
    DEFAULT_EXPECTED_FAILED_CHECKS,
    EXPECTED_FAILED_CHECKS,
    check_instance,
    default_expected_failed_checks,
    expected_failed_checks,
)

ESTIMATORS = [check_instance(cls) for _, cls in all_estimators()]
# What a user constructs: every public estimator with its default parameters.
DEFAULT_ESTIMATORS = [cls() for _, cls in all_estimators()]


def test_discovery_finds_estimators():
    names = {name for name, _ in all_estimators()}
    assert "PoissonEncoder" in names
    # every declared exception refers to an estimator that exists
    assert set(EXPECTED_FAILED_CHECKS) <= names
    assert set(DEFAULT_EXPECTED_FAILED_CHECKS) <= names
    assert set(CHECK_PARAMS) <= names


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.slow
@parametrize_with_checks(DEFAULT_ESTIMATORS, expected_failed_checks=default_expected_failed_checks)
def test_sklearn_compatible_defaults(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_pickle_roundtrip_after_fit(estimator):
    if not estimator.__sklearn_tags__().input_tags.two_d_array:
        pytest.skip(f"{type(estimator).__name__} takes no numeric 2-D input; its own tests pickle it")
    rng = np.random.RandomState(0)
    X = rng.rand(30, 4)
    y = np.arange(30) % 3
    est = estimator.fit(X, y)
    clone = pickle.loads(pickle.dumps(est))
    method = "predict" if hasattr(est, "predict") else "transform"
    np.testing.assert_array_equal(getattr(est, method)(X), getattr(clone, method)(X))
