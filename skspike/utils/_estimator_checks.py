"""The one place where sklearn common-check exceptions are declared.

``EXPECTED_FAILED_CHECKS`` maps an estimator class name to
``{check_name: reason}``; ``CHECK_PARAMS`` gives the constructor parameters
used by the fast common tests (small networks so the ~40 checks stay fast:
they may only make checks faster, never make one pass). The same checks also
run on every estimator constructed with its defaults
(``tests/test_common.py::test_sklearn_compatible_defaults``), where only
``EXPECTED_FAILED_CHECKS`` and ``DEFAULT_EXPECTED_FAILED_CHECKS`` apply.
Nothing else may silence a check.
"""


_VOTE_NEEDS_NEURONS = (
    "the vote readout assigns each feature to one class, so it needs at least as "
    "many (neuron-like, non-negative) features as classes; the check's 2-feature, "
    "3-class standardized blobs leave a class without voters (accuracy < 0.83)"
)

EXPECTED_FAILED_CHECKS = {
    "VoteClassifier": {
        "check_classifiers_train": _VOTE_NEEDS_NEURONS,
    },
}

#: Failures of default-constructed estimators only (on top of EXPECTED_FAILED_CHECKS).
DEFAULT_EXPECTED_FAILED_CHECKS = {}

CHECK_PARAMS = {
    "PoissonEncoder": {"n_steps": 20, "random_state": 0},
    # 70 steps of 5 ms, 4 neurons: the ~40 checks stay well under a second each.
    "STDPFeatureExtractor": {"n_neurons": 4, "dt": 5.0, "random_state": 0},
    "RateEncoder": {"n_steps": 20},
    "LatencyEncoder": {"n_steps": 20},
    "PhaseEncoder": {"n_bits": 4, "n_steps": 16},
    "PopulationEncoder": {"n_receptive": 3, "n_steps": 20},
    "DeltaEncoder": {"threshold": 0.1},
    "BSAEncoder": {"n_taps": 8},
    # real-valued input is binarised per sample (median): the defaults pass as they are
    # EventBinner's input is a sequence of structured tonic event arrays, never numeric 2-D X:
    # it sets input_tags.two_d_array=False, so sklearn skips its generated-data checks (no
    # entry in EXPECTED_FAILED_CHECKS); tests/test_events.py runs the data-free sklearn API
    # checks and event-data versions of the others (fit/params contract, order/subset
    # invariance, pickle). A fixed grid keeps those checks free of learning.
    "EventBinner": {"sensor_size": (6, 5, 2), "n_steps": 4, "time_window": 100.0},
    # defaults (deterministic rate encoder, multiscale readout) with a shorter window, a smaller
    # layer and fewer epochs, only for speed: check_estimator(SNNLZCClassifier()) passes as well
    "SNNLZCClassifier": {"n_steps": 50, "n_per_class": 2, "max_iter": 5},
    # a small pool and layer keep each NGSNN check fast; defaults otherwise (early stopping on)
    "NGSNNClassifier": {"max_neurons": 15, "n_candidates": 10, "random_state": 0},
}


def expected_failed_checks(estimator):
    """Callable for ``parametrize_with_checks(expected_failed_checks=...)``."""
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def default_expected_failed_checks(estimator):
    """Expected failures of a default-constructed estimator."""
    name = type(estimator).__name__
    return {**EXPECTED_FAILED_CHECKS.get(name, {}), **DEFAULT_EXPECTED_FAILED_CHECKS.get(name, {})}


def check_instance(cls):
    """Instance of ``cls`` configured for the common checks."""
    return cls(**CHECK_PARAMS.get(cls.__name__, {}))
