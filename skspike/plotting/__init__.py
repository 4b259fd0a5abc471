"""Plots for spike trains, STDP receptive fields, NGSNN growth and energy trade-offs.

Requires matplotlib (``pip install skspike[plot]``). Every function draws on
the given ``ax`` (or a new figure) and returns the axes, so plots compose.
"""

from ._plots import (
    pareto_front,
    plot_energy_accuracy,
    plot_growth_curve,
    plot_raster,
    plot_receptive_fields,
)

__all__ = [
    "plot_raster",
    "plot_receptive_fields",
    "plot_growth_curve",
    "plot_energy_accuracy",
    "pareto_front",
]
