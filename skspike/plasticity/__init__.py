"""Plasticity rules as parts: pair and triplet STDP, reward-modulated STDP, Hebbian, homeostasis.

Each rule is a small parameter object (``get_params``/``set_params``, so
``STDPFeatureExtractor(rule=TripletSTDP())`` exposes ``rule__tau_plus`` to
``GridSearchCV``) documented with its equations. ``rule.weight_change(pre_times,
post_times)`` runs the rule's own training kernel on one synapse, so its
window can be computed and plotted. The kernels live in
``skspike.plasticity._kernels`` (one hook per event type); the training loops
in ``skspike.plasticity._training`` call the engine's neuron step.
Importing this package compiles nothing.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    "PlasticityRule": "._rules",
    "PairSTDP": "._rules",
    "TripletSTDP": "._rules",
    "RewardModulatedSTDP": "._rules",
    "Hebbian": "._rules",
    "AdaptiveThreshold": "._homeostasis",
    "SynapticScaling": "._homeostasis",
    "learn_from_reward": "._network",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
