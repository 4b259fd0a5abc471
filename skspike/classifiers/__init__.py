"""Spiking classifiers."""

import importlib

_EXPORTS = {
    "NGSNNClassifier": "._ngsnn",
    "SNNLZCClassifier": "._snnlzc",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
