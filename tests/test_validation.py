"""Bad input and bad parameters: refused with a message naming what is accepted."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification

from skspike.classifiers import NGSNNClassifier
from skspike.complexity import lempel_ziv_complexity
from skspike.feature_extraction import STDPFeatureExtractor
from skspike.neurons import LIF, simulate


def test_four_dimensional_input_names_the_accepted_shapes():
    X = np.zeros((4, 2, 3, 2))
    msg = r"accepts static data of shape \(n_samples, n_features\) or spike trains of shape " \
          r"\(n_samples, n_steps, n_channels\); got an array with 4 dimensions, shape \(4, 2, 3, 2\)"
    with pytest.raises(ValueError, match=msg):
        NGSNNClassifier().fit(X, [0, 1, 0, 1])
    X2, y2 = make_classification(40, 4, n_informative=3, n_redundant=0, random_state=0)
    model = NGSNNClassifier(max_neurons=3, n_candidates=4, random_state=0).fit(X2, y2)
    with pytest.raises(ValueError, match=msg.replace(r"\(4, 2, 3, 2\)", r"\(4, 2, 3, 2\)")):
        model.predict(X)


def test_sparse_input_to_simulate_names_the_accepted_shapes():
    with pytest.raises(TypeError, match=r"sparse csr_matrix; simulate accepts dense arrays.*toarray"):
        simulate(LIF(), sp.csr_matrix(np.ones((2, 3))), n_steps=5)


def test_sparse_input_to_lempel_ziv_names_the_accepted_input():
    with pytest.raises(TypeError, match=r"sparse csr_matrix; lempel_ziv_complexity accepts dense 0/1 data"):
        lempel_ziv_complexity(sp.csr_matrix(np.ones((2, 3), dtype=np.uint8)), axis=1)


@pytest.mark.parametrize("param", [{"v_thresh": np.nan}, {"v_rest": np.nan}, {"v_reset": np.nan},
                                   {"v_thresh": np.inf}, {"v_rest": -np.inf}])
def test_stdp_refuses_non_finite_potentials(param):
    name = next(iter(param))
    X = np.random.default_rng(0).random((6, 4))
    with pytest.raises(ValueError, match=rf"'{name}' parameter of STDPFeatureExtractor must be a float in the range \(-inf, inf\)"):
        STDPFeatureExtractor(n_neurons=2, **param).fit(X)


def test_stdp_refuses_reset_above_threshold():
    X = np.random.default_rng(0).random((6, 4))
    with pytest.raises(ValueError, match=r"v_thresh must be above v_reset \(got v_thresh=-52.0, v_reset=-40.0\)"):
        STDPFeatureExtractor(n_neurons=2, v_reset=-40.0, v_thresh=-52.0).fit(X)
    with pytest.raises(ValueError, match="v_thresh must be above v_reset"):
        STDPFeatureExtractor(n_neurons=2, v_reset=-40.0, v_thresh=-52.0).partial_fit(X)


def test_ngsnn_fitted_arrays_are_contiguous_and_pickle_bit_exactly():
    X, y = make_classification(150, 6, n_informative=4, n_classes=3, n_clusters_per_class=1, random_state=0)
    model = NGSNNClassifier(max_neurons=12, n_candidates=8, random_state=0).fit(X, y)
    assert model.output_weights_.flags.c_contiguous
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.decision_function(X), model.decision_function(X))
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))
