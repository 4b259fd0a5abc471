"""Dynamic synapses: short-term plasticity as parts.

:class:`TsodyksMarkram` (depression and facilitation) is a parameter object
with ``efficacy(spikes, dt)`` and can be passed to
``skspike.neurons.simulate(..., synapse=...)``. Kernels live in
``skspike.synapses._kernels``. Importing this package compiles nothing.
"""

import importlib

_EXPORTS = {
    "SynapseModel": "._models",
    "TsodyksMarkram": "._models",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
