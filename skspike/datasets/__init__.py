"""Data sets: synthetic spike trains and neuromorphic event data loaders."""

import importlib

_EXPORTS = {
    "make_spike_trains": "._spike_trains",
    "load_nmnist": "._neuromorphic",
    "load_dvs_gesture": "._neuromorphic",
    "load_shd": "._neuromorphic",
    "make_event_dataset": "._neuromorphic",
    "CorruptFileError": "._neuromorphic",
    "EventStreams": "._neuromorphic",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
