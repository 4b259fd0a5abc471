"""Tests of skspike.datasets.make_spike_trains."""

import numpy as np
import pytest

from skspike.datasets import make_spike_trains


@pytest.mark.parametrize("process", ["poisson", "bernoulli", "markov"])
def test_shape_dtype_and_seed(process):
    X, y = make_spike_trains(30, 40, 5, n_classes=3, process=process, random_state=1)
    assert X.shape == (30, 40, 5) and X.dtype == np.uint8 and set(np.unique(X)) <= {0, 1}
    assert np.bincount(y).tolist() == [10, 10, 10]
    X2, y2 = make_spike_trains(30, 40, 5, n_classes=3, process=process, random_state=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
