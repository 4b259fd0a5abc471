"""Spike encoders: static data or time series to spike trains.

All encoders are scikit-learn transformers returning uint8 spikes of shape
``(n_samples, n_steps, n_channels)``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    "BaseEncoder": "._base",
    "PoissonEncoder": "._poisson",
    "RateEncoder": "._rate",
    "LatencyEncoder": "._latency",
    "PhaseEncoder": "._phase",
    "PopulationEncoder": "._population",
    "DeltaEncoder": "._delta",
    "BSAEncoder": "._bsa",
    "EventBinner": "._events",
}

__all__ = [name for name in _EXPORTS if name != "BaseEncoder"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
