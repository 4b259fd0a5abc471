"""Python side of the plastic layers.

``setup``/``learn_batch``/``infer_batch`` run
:class:`~skspike.feature_extraction.STDPFeatureExtractor` (its default pair
STDP and every ``rule``) through :mod:`skspike.plasticity._training` (the
engine's event-driven layer loop plus the rule's hooks);
:func:`learn_from_reward` trains a layer from a reward signal alone.
Nothing here loops over steps or neurons.
"""

import dataclasses
from numbers import Integral, Real

import numpy as np

from ..neurons import LIF, NeuronModel
from ..utils._random import derive_seed
from ..utils._validation import check_spikes
from . import _training as T
from ._homeostasis import AdaptiveThreshold, SynapticScaling
from ._kernels import trace_tables
from ._rules import PairSTDP, PlasticityRule

__all__ = ["learn_from_reward"]

# Samples per kernel call for spike arrays (bounds the encoded temporaries).
_BATCH = 256
_FROZEN_TAU = 1e300  # exp(-dt / 1e300) == 1.0: a threshold that no longer moves


def _check_rule(rule):
    if not isinstance(rule, PlasticityRule):
        raise TypeError(
            f"rule must be a skspike.plasticity rule (PairSTDP, TripletSTDP, RewardModulatedSTDP, "
            f"Hebbian), got {type(rule).__name__}."
        )


def extractor_rule(est):
    """The extractor's rule: ``est.rule``, or for None its own pair STDP as a :class:`PairSTDP`.

    The default is the nearest-spike pair rule of Diehl & Cook with the
    extractor's ``nu_pre``, ``nu_post``, ``tau_trace`` (both traces),
    ``x_tar``, ``w_max`` and ``mu``.
    """
    if est.rule is not None:
        _check_rule(est.rule)
        return est.rule
    return PairSTDP(est.nu_pre, est.nu_post, tau_pre=est.tau_trace, tau_post=est.tau_trace,
                    x_tar=est.x_tar, w_max=est.w_max, mu=est.mu, interaction="nearest")


def _extractor_neuron(est, *, learn):
    """The extractor's Diehl & Cook neuron as an engine model (voltage-jump synapses).

    The neuron is the fitted ``est.neuron_`` (an
    :class:`~skspike.neurons.AdaptiveLIF`; ``fit`` resolves a LIF, the
    default preset and the deprecated scalars into it).
    ``r_m = g / (1 - exp(-dt/tau_m))`` makes a spike through ``w`` a jump
    of ``g w`` mV (``g`` the extractor's ``synaptic_gain_``); ``t_ref + dt`` gives
    ``round(t_ref / dt)`` clamped steps under the engine's (Brian2's)
    refractory convention. Inference freezes the threshold (no decay, no jump).
    """
    neuron = est.neuron_
    fields = {f.name: getattr(neuron, f.name) for f in dataclasses.fields(LIF)}
    theta_plus = getattr(neuron, "theta_jump", 0.0)
    tau_theta = est.tau_theta_
    decay_m = np.exp(-est.dt / np.asarray(fields["tau_m"], dtype=np.float64))
    gain = float(getattr(est, "synaptic_gain_", 1.0))  # the extractor's synaptic gain g
    t_ref = np.asarray(fields["t_ref"], dtype=np.float64)
    fields.update(r_m=gain / (1.0 - decay_m), t_ref=np.where(t_ref > 0, t_ref + est.dt, 0.0),
                  tau_syn=0.0)
    if np.ndim(fields["t_ref"]) == 0:
        fields["t_ref"] = float(fields["t_ref"])
    base = LIF(**fields)
    tau_theta = min(float(tau_theta), _FROZEN_TAU)  # inf (no adaptation): exp(-dt / tau) is 1 either way
    if learn:
        return AdaptiveThreshold(theta_plus, tau_theta=tau_theta).adapt(base)
    return AdaptiveThreshold(0.0, tau_theta=_FROZEN_TAU).adapt(base)


def _inhibition(est):
    """Lateral inhibition in the engine's input units (it goes through the gain ``g`` there)."""
    return float(est.inhibition) / float(getattr(est, "synaptic_gain_", 1.0))


def _efficacy(est, spikes):
    """Per-spike efficacies of the extractor's ``synapse`` (float64, like ``spikes``), or ``(0, 0, 0)``."""
    synapse = getattr(est, "synapse", None)
    if synapse is None:
        return np.empty((0, 0, 0))
    return np.ascontiguousarray(synapse.efficacy(spikes, est.dt), dtype=np.float64)


def setup(est, n_steps, *, learn):
    """Kernel arguments of the extractor: neuron, inhibition, rule and its trace tables."""
    rule = extractor_rule(est)
    code, rprm = rule.kernel_params(est.dt)
    model, params = _extractor_neuron(est, learn=learn).kernel_params(est.n_neurons, est.dt)
    return dict(model=model, params=params, inhibition=_inhibition(est), code=code, rprm=rprm,
                tab=trace_tables(rprm, n_steps), n_steps=n_steps)


def learn_batch(est, net, kind, payload, weights, theta, counts, in_spikes, presented, seed,
                max_presentations):
    """Train ``weights``/``theta`` in place on one batch.

    ``kind`` "poisson": ``payload`` holds spike probabilities, sample ``i``
    of the data (``est.n_samples_seen_`` + its row) drawn from key
    ``stream_seed(seed, i)``; else spike trains (``seed`` unused).
    """
    args = (weights, net["model"], net["params"], theta, net["inhibition"], net["code"], net["rprm"],
            net["tab"], float(est.weight_norm_), float(est.w_max))
    if kind == "poisson":
        T.learn_poisson(payload, seed, est.n_samples_seen_, net["n_steps"], *args,
                        int(est.min_spikes), est._rate_step(), max_presentations, counts, in_spikes,
                        presented)
    else:
        T.learn_spikes(payload, *args, counts, in_spikes, _efficacy(est, payload))


def infer_batch(est, net, kind, payload, weights, theta, counts, in_spikes, presented, out_total,
                spikes_out, record, seed, max_presentations):
    """Frozen network on one batch; the outputs are written into the given arrays.

    ``kind`` "poisson": ``payload`` holds the spike probabilities (the OFF
    channels, if any, after the ON ones), drawn from ``seed``, each sample
    keyed on its ON channels as PoissonEncoder keys its rows.
    """
    args = (weights, net["model"], net["params"], theta, net["inhibition"])
    if kind == "poisson":
        n_key = payload.shape[1] // (2 if est.off_channels_ else 1)
        T.infer_poisson(payload, n_key, seed, net["n_steps"], *args,
                        int(est.min_spikes), est._rate_step(), max_presentations, counts, in_spikes,
                        presented, out_total, spikes_out, record)
    else:
        T.infer_spikes(payload, *args, counts, in_spikes, spikes_out, record, _efficacy(est, payload))
        out_total[:] = counts.sum(axis=1)


def learn_from_reward(spikes, y, rule, *, neurons_per_class=1, neuron=None, dt=1.0, inhibition=0.0,
                      threshold=None, scaling=None, w_init=0.5, baseline=0.1, n_epochs=1,
                      random_state=None):
    """Train a layer from reward alone: +1 when its answer is right, -1 otherwise.

    A layer of ``neurons_per_class * n_classes`` neurons, all driven by
    every input channel, answers each sample with the class whose neurons
    fired most. A critic compares the answer with the label and delivers
    reward +1 (right) or -1 (wrong, silent or tied) at the end of the
    sample; with :class:`RewardModulatedSTDP` the weights change by reward
    times eligibility. The labels reach the network only through this
    scalar: no target spikes, no error per neuron.

    Parameters
    ----------
    spikes : array-like of shape (n_samples, n_steps, n_channels)
        Binary input spike trains (uint8 0/1), presented in order.
    y : array-like of shape (n_samples,)
        Labels, used only by the critic.
    rule : PlasticityRule
        Usually :class:`RewardModulatedSTDP`; any rule runs (the others
        ignore the reward).
    neurons_per_class : int, default=1
        Neurons voting for each class.
    neuron : LIF or AdaptiveLIF, default=None
        Neuron model (potentials and times as in :mod:`skspike.neurons`);
        None: ``LIF(tau_m=20.0)``.
    dt : float, default=1.0
        Step in ms.
    inhibition : float, default=0.0
        Each output spike lowers the input of every other neuron by this
        much at the next step (competition between the classes).
    threshold : AdaptiveThreshold, default=None
        Homeostatic threshold adaptation (carried across samples).
    scaling : SynapticScaling, default=None
        Keep every neuron's input weights at a fixed sum after each sample.
    w_init : float or ndarray of shape (n_channels, n_neurons), default=0.5
        Initial weights: a float draws them uniformly from ``[0, w_init)``;
        an array gives them (copied).
    baseline : float, default=0.1
        Rate in (0, 1] of the critic's running mean reward ``r_bar``; the
        synapses receive ``r - r_bar`` (reward prediction error, as
        Fremaux et al. 2010 show R-STDP needs: without it a reward that is
        on average negative depresses whatever wins). 0: raw reward.
    n_epochs : int, default=1
        Passes over the data.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights.

    Returns
    -------
    weights : ndarray of shape (n_channels, n_neurons)
        Learned weights; neuron ``j`` votes for class ``classes[j // neurons_per_class]``.
    classes : ndarray of shape (n_classes,)
        The sorted labels.
    rewards : ndarray of shape (n_epochs, n_samples)
        The reward of every presentation.

    See Also
    --------
    RewardModulatedSTDP : The rule, with its equations.
    skspike.neurons.simulate : Run the learned layer
        (``simulate(neuron, spikes, weights, output="counts")``).

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.plasticity import RewardModulatedSTDP, learn_from_reward
    >>> rng = np.random.RandomState(0)
    >>> y = np.arange(40) % 2
    >>> rates = np.where((np.arange(10) < 5) == (y[:, None] == 0), 0.2, 0.02)
    >>> X = (rng.rand(40, 50, 10) < rates[:, None, :]).astype(np.uint8)
    >>> w, classes, rewards = learn_from_reward(X, y, RewardModulatedSTDP(), random_state=0)
    >>> w.shape, rewards.shape
    ((10, 2), (1, 40))
    """
    _check_rule(rule)
    spikes = check_spikes(spikes, name="spikes")
    if spikes.ndim != 3:
        raise ValueError(f"spikes must have shape (n_samples, n_steps, n_channels), got {spikes.shape}.")
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != spikes.shape[0]:
        raise ValueError(f"y must have shape ({spikes.shape[0]},), got {y.shape}.")
    classes, labels = np.unique(y, return_inverse=True)
    if classes.size < 2:
        raise ValueError("learn_from_reward needs at least two classes in y.")
    for name, value in (("neurons_per_class", neurons_per_class), ("n_epochs", n_epochs)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if isinstance(baseline, bool) or not isinstance(baseline, Real) or not 0 <= baseline <= 1:
        raise ValueError(f"baseline must be a number in [0, 1], got {baseline!r}.")
    for name, value in (("inhibition", inhibition),):
        if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    neuron = LIF(tau_m=20.0) if neuron is None else neuron
    if not isinstance(neuron, NeuronModel):
        raise TypeError(f"neuron must be a skspike.neurons model, got {type(neuron).__name__}.")
    if threshold is not None:
        if not isinstance(threshold, AdaptiveThreshold):
            raise TypeError(f"threshold must be an AdaptiveThreshold, got {type(threshold).__name__}.")
        neuron = threshold.adapt(neuron)
    norm = 0.0
    code, rprm = rule.kernel_params(dt)
    w_max = float(rprm[1])
    if scaling is not None:
        if not isinstance(scaling, SynapticScaling):
            raise TypeError(f"scaling must be a SynapticScaling, got {type(scaling).__name__}.")
        norm = scaling.norm()
    n_classes = classes.size
    n_out = n_classes * int(neurons_per_class)
    groups = np.repeat(np.arange(n_classes), int(neurons_per_class)).astype(np.int64)
    model, params = neuron.kernel_params(n_out, dt)
    shape = (spikes.shape[2], n_out)
    if np.ndim(w_init) == 0:
        w_init = float(w_init)
        if not (np.isfinite(w_init) and w_init > 0):
            raise ValueError(f"w_init must be a positive number or an array, got {w_init!r}.")
        rng = np.random.RandomState(derive_seed(random_state))
        weights = np.minimum(rng.uniform(0.0, w_init, size=shape), w_max)
    else:
        weights = np.array(w_init, dtype=np.float64, order="C", copy=True)
        if weights.shape != shape or not np.isfinite(weights).all():
            raise ValueError(f"w_init must be finite with shape {shape}, got shape {weights.shape}.")
    if norm > 0.0:
        weights = scaling.apply(weights, w_max=w_max)
    theta = np.zeros(n_out)
    rewards = np.zeros((int(n_epochs), spikes.shape[0]))
    labels = labels.astype(np.int64)
    mean_reward = np.zeros(1)
    tab = trace_tables(rprm, spikes.shape[1])
    for epoch in range(int(n_epochs)):
        for start in range(0, spikes.shape[0], _BATCH):
            stop = min(start + _BATCH, spikes.shape[0])
            batch = np.ascontiguousarray(spikes[start:stop], dtype=np.uint8)
            T.learn_reward(batch, labels[start:stop], groups, n_classes, weights, model, params,
                           theta, float(inhibition), code, rprm, tab, norm, w_max, float(baseline),
                           mean_reward, rewards[epoch, start:stop])
    return weights, classes, rewards
