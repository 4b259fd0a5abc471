"""Dynamic synapses: short-term plasticity as parts.

:class:`TsodyksMarkram` (depression and facilitation) is a parameter object
with ``efficacy(spikes, dt)`` and can be passed to
``skspike.neurons.simulate(..., synapse=...)``. Kernels live in
``skspike.synapses._kernels``. Importing this package compiles nothing.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    "SynapseModel": "._models",
    "TsodyksMarkram": "._models",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
