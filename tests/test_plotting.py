import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from skspike.plotting import (
    pareto_front,
    plot_energy_accuracy,
    plot_growth_curve,
    plot_raster,
    plot_receptive_fields,
)


def _drawn(ax):
    return len(ax.lines) + len(ax.collections) + len(ax.images)


def test_plot_raster_draws_every_spike():
    spikes = np.zeros((2, 10, 3), dtype=np.uint8)
    spikes[1, [1, 4, 7], [0, 1, 2]] = 1
    ax = plot_raster(spikes, sample=1, dt=0.5)
    x, y = ax.lines[0].get_data()
    np.testing.assert_allclose(x, [0.5, 2.0, 3.5])
    np.testing.assert_allclose(y, [0, 1, 2])
    with pytest.raises(ValueError, match="2-D or 3-D"):
        plot_raster(np.zeros(5))


def test_plot_receptive_fields_grid():
    w = np.random.RandomState(0).rand(64, 10)
    ax = plot_receptive_fields(w)
    img = ax.images[0].get_array()
    assert img.shape == (3 * 9 - 1, 4 * 9 - 1)  # 10 neurons: 3 rows x 4 columns
    with pytest.raises(ValueError, match="square"):
        plot_receptive_fields(np.ones((10, 3)))


def test_plot_growth_curve_from_dict():
    ax = plot_growth_curve({"n_neurons": [1, 2, 3], "residual": [0.9, 0.5, 0.4],
                            "validation_score": [0.5, 0.8, 0.85]})
    assert _drawn(ax) >= 1
    with pytest.raises(ValueError, match="residual"):
        plot_growth_curve({"n_neurons": [1]})


def test_pareto_front():
    acc = [0.9, 0.95, 0.8, 0.95, 0.97]
    energy = [1.0, 2.0, 0.5, 3.0, 5.0]
    np.testing.assert_array_equal(pareto_front(acc, energy), [2, 0, 1, 4])


def test_plot_energy_accuracy():
    cv = {"mean_test_accuracy": [0.9, 0.95, 0.8], "mean_test_energy": [-1e-6, -2e-6, -5e-7],
          "param_clf__growth_threshold": [0.01, 0.001, 0.1]}
    ax = plot_energy_accuracy(cv, label_param="clf__growth_threshold")
    front_x, front_y = ax.lines[0].get_data()
    np.testing.assert_allclose(front_x, [5e-7, 1e-6, 2e-6])
    assert len(ax.texts) == 3
