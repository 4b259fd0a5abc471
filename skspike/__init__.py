"""skspike: spiking neural networks as scikit-learn estimators.

Subpackages
-----------
encoding
    Spike encoders (Poisson, rate, latency, phase, population, delta, BSA) and
    the event binner for neuromorphic data.
neurons
    Numba neuron dynamics (LIF, adaptive LIF, Izhikevich, meta-neuron) and
    :func:`~skspike.neurons.simulate`.
feature_extraction
    :class:`STDPFeatureExtractor`, unsupervised STDP features.
plasticity
    Plasticity rules as parts: pair and triplet STDP, reward-modulated STDP,
    Hebbian, homeostasis.
synapses
    Dynamic synapses (Tsodyks-Markram short-term plasticity).
classifiers
    :class:`NGSNNClassifier` and :class:`SNNLZCClassifier`.
complexity
    Lempel-Ziv complexity of spike trains.
energy
    Operation counts, hardware profiles and the energy scorer.
datasets
    Synthetic spike-train data and neuromorphic data set loaders.
nir
    Export to / import from NIR, the Neuromorphic Intermediate Representation
    (optional ``nir`` package).

Names are imported lazily, so ``import skspike`` is fast and compiles nothing.
"""

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "PoissonEncoder": "encoding",
    "RateEncoder": "encoding",
    "LatencyEncoder": "encoding",
    "PhaseEncoder": "encoding",
    "PopulationEncoder": "encoding",
    "DeltaEncoder": "encoding",
    "BSAEncoder": "encoding",
    "EventBinner": "encoding",
    "STDPFeatureExtractor": "feature_extraction",
    "VoteClassifier": "feature_extraction",
    "NGSNNClassifier": "classifiers",
    "SNNLZCClassifier": "classifiers",
    "LZCTransformer": "complexity",
    "lempel_ziv_complexity": "complexity",
    "simulate": "neurons",
    "OperationCounts": "_ops",
}

_SUBPACKAGES = (
    "encoding",
    "neurons",
    "plasticity",
    "synapses",
    "feature_extraction",
    "classifiers",
    "complexity",
    "energy",
    "datasets",
    "plotting",
    "utils",
    "nir",
)

__all__ = sorted(_EXPORTS) + list(_SUBPACKAGES) + ["__version__"]


def __getattr__(name):
    if name in _EXPORTS:
        module = importlib.import_module("." + _EXPORTS[name], __name__)
        return getattr(module, name)
    if name in _SUBPACKAGES:
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS) + list(_SUBPACKAGES))
