"""Data sets: synthetic spike trains and neuromorphic event data loaders."""

from .._lazy import lazy_exports

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

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
