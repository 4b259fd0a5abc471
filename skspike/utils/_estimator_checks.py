"""The one place where sklearn common-check exceptions are declared.

``EXPECTED_FAILED_CHECKS`` maps an estimator class name to
``{check_name: reason}``; ``CHECK_PARAMS`` gives the constructor parameters
used by the common tests (small networks so the ~40 checks stay fast).
Both are read by ``tests/test_common.py``; nothing else may silence a check.
"""

from ..encoding._rate import RateEncoder

_STOCHASTIC_BY_POSITION = (
    "stochastic encoder: each sample draws from the random stream of its row "
    "position in the call (so results do not depend on the number of threads), "
    "hence a sample encoded alone or in another order gets other (equally "
    "distributed) spikes"
)

_VOTE_NEEDS_NEURONS = (
    "the vote readout assigns each feature to one class, so it needs at least as "
    "many (neuron-like, non-negative) features as classes; the check's 2-feature, "
    "3-class standardized blobs leave a class without voters (accuracy < 0.83)"
)

EXPECTED_FAILED_CHECKS = {
    "VoteClassifier": {
        "check_classifiers_train": _VOTE_NEEDS_NEURONS,
    },
    "PoissonEncoder": {
        "check_methods_subset_invariance": _STOCHASTIC_BY_POSITION,
        "check_methods_sample_order_invariance": _STOCHASTIC_BY_POSITION,
    },
}

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
    # the common checks feed static float X: encode it (LZC needs binary trains)
    # a deterministic encoder, so the checks test the transformer itself (order/subset invariance)
    "LZCTransformer": {"encoder": RateEncoder(max_rate=500.0, n_steps=20)},
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


def check_instance(cls):
    """Instance of ``cls`` configured for the common checks."""
    return cls(**CHECK_PARAMS.get(cls.__name__, {}))
