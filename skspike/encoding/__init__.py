"""Spike encoders: static data or time series to spike trains.

All encoders are scikit-learn transformers returning uint8 spikes of shape
``(n_samples, n_steps, n_channels)``.
"""

import importlib

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


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
