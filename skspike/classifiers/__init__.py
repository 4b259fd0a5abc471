"""Spiking classifiers."""

from .._lazy import lazy_exports

_EXPORTS = {
    "NGSNNClassifier": "._ngsnn",
    "SNNLZCClassifier": "._snnlzc",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
