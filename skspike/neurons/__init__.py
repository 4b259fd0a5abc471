"""Neuron dynamics: LIF, adaptive LIF, Izhikevich and meta-neuron models.

Models are small immutable parameter objects (scalars or per-neuron arrays);
:func:`simulate` runs one layer of them on spikes or currents with numba and
returns the result with its :class:`~skspike.energy.OperationCounts`. The kernels
underneath (for estimators' own loops) live in ``skspike.neurons._kernels``.
Importing this package compiles nothing; kernels compile on first call.
"""

from ._models import LIF, AdaptiveLIF, Izhikevich, MetaNeuron, NeuronModel
from ._simulate import simulate

__all__ = ["LIF", "AdaptiveLIF", "Izhikevich", "MetaNeuron", "NeuronModel", "simulate"]
