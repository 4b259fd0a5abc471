"""Plasticity rule objects: parameters, equations, kernel packing, windows.

Each rule is a parameter-only :class:`~skspike.plasticity._base.Part`
(``get_params``/``set_params``/``clone``) that packs itself into the
``(code, prm)`` pair read by the kernels of :mod:`skspike.plasticity._kernels`.
"""

from numbers import Real

import numpy as np

from . import _kernels as K
from ._base import Part

__all__ = ["PlasticityRule", "PairSTDP", "TripletSTDP", "RewardModulatedSTDP", "Hebbian"]

_INTERACTIONS = ("all-to-all", "nearest")


def _number(value, name, owner, *, low=None, strict=False, allow_zero=True):
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
        raise ValueError(f"{owner}: {name} must be a finite number, got {value!r}.")
    value = float(value)
    if low is not None and (value < low or (strict and value == low)):
        sign = ">" if strict else ">="
        raise ValueError(f"{owner}: {name} must be {sign} {low}, got {value}.")
    return value


def _rate(tau, dt):
    """dt / tau, the trace's decay exponent per step; tau = 0 (inf) means a trace that lasts one step only."""
    return np.inf if tau == 0.0 else float(dt / tau)


def _steps(times, dt, name):
    times = np.asarray(times, dtype=np.float64).ravel()
    if not np.isfinite(times).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    if (times < 0).any():
        raise ValueError(f"{name} must be >= 0 ms (the synapse starts from rest at 0).")
    steps = np.rint(times / dt).astype(np.int64)
    steps.sort()
    if steps.size > 1 and (np.diff(steps) == 0).any():
        raise ValueError(
            f"Two spikes of {name} fall into one step of dt={dt} ms; use a smaller dt."
        )
    return steps


class PlasticityRule(Part):
    """Base of the plasticity rules (not instantiated directly).

    A subclass sets ``_code`` (its kernel code) and implements
    ``_pack(prm, dt)`` filling the rows of the kernel parameter vector.
    """

    _code = -1

    def kernel_params(self, dt):
        """Validated kernel form ``(code, prm)`` for a step of ``dt`` ms."""
        dt = _number(dt, "dt", type(self).__name__, low=0.0, strict=True)
        prm = np.zeros(K.N_RULE_PRM)
        prm[K.W_MIN] = 0.0
        prm[K.W_MAX] = 1.0
        self._pack(prm, dt)
        if not prm[K.W_MAX] > prm[K.W_MIN]:
            raise ValueError(f"{type(self).__name__}: w_max must be above w_min.")
        return self._code, prm

    def _interaction(self):
        if self.interaction not in _INTERACTIONS:
            raise ValueError(
                f"{type(self).__name__}: interaction must be 'all-to-all' or 'nearest', "
                f"got {self.interaction!r}."
            )
        return 1.0 if self.interaction == "nearest" else 0.0

    def _window_reward(self):
        return 0.0

    def weight_change(self, pre_times, post_times, *, dt=0.1, w_init=None):
        """Weight change of one synapse for given spike times, from rest.

        Runs the rule's training kernel (the same hooks as the training
        loops) on a single synapse whose pre- and postsynaptic spikes are
        imposed, so the result is exactly what training does.

        Parameters
        ----------
        pre_times, post_times : array-like of float
            Spike times in ms (>= 0), rounded to the step grid of ``dt``.
        dt : float, default=0.1
            Step in ms.
        w_init : float, default=None
            Initial weight; None: halfway between the bounds (so that no
            bound is hit by small changes).

        Returns
        -------
        delta_w : float
            Final minus initial weight (after the last spike; for
            :class:`RewardModulatedSTDP` after the reward, delivered one step
            after the last spike).
        """
        code, prm = self.kernel_params(dt)
        if w_init is None:
            w_init = 0.5 * (prm[K.W_MIN] + prm[K.W_MAX])
        w_init = float(w_init)
        pre = _steps(pre_times, dt, "pre_times")
        post = _steps(post_times, dt, "post_times")
        last = max(pre[-1] if pre.size else -1, post[-1] if post.size else -1)
        n_steps = int(last) + 1
        w_end = K.single_synapse(code, prm, K.trace_tables(prm, n_steps), pre, post, n_steps, w_init,
                                 self._window_reward())
        return float(w_end - w_init)

    def window(self, delta_t, *, dt=0.1, w_init=None):
        """The pair window: weight change of single pairs, one per ``delta_t``.

        ``delta_t = t_post - t_pre`` in ms (positive: pre before post), the
        earlier spike at 0.

        Returns
        -------
        delta_w : ndarray of shape (n_pairs,)
        """
        delta_t = np.atleast_1d(np.asarray(delta_t, dtype=np.float64))
        return np.array([
            self.weight_change([max(-d, 0.0)], [max(d, 0.0)], dt=dt, w_init=w_init) for d in delta_t
        ])


class PairSTDP(PlasticityRule):
    """Pair-based STDP with traces: the rule of :class:`~skspike.feature_extraction.STDPFeatureExtractor`.

    Parameters
    ----------
    nu_pre : float, default=1e-4
        Depression rate, applied at presynaptic spikes (>= 0).
    nu_post : float, default=5e-3
        Potentiation rate, applied at postsynaptic spikes (>= 0).
    tau_pre : float, default=10.0
        Time constant in ms of the presynaptic trace ``x`` (> 0).
    tau_post : float, default=10.0
        Time constant in ms of the postsynaptic trace ``y`` (> 0).
    x_tar : float, default=0.0
        Target of the presynaptic trace: at a postsynaptic spike inputs with
        ``x < x_tar`` are depressed (Diehl & Cook 2015).
    w_max : float, default=1.0
        Upper weight bound; the lower one is 0.
    mu : float, default=0.0
        Soft-bound exponent (0: hard bounds).
    interaction : {"nearest", "all-to-all"}, default="nearest"
        ``"nearest"``: a spike sets its trace to 1 (the extractor's rule);
        ``"all-to-all"``: adds 1, so every earlier spike counts.

    Notes
    -----
    The traces decay as ``tau dx/dt = -x`` (exactly, once per step) and jump
    at spikes. At a presynaptic spike of input ``i`` and a postsynaptic spike
    of neuron ``j``

    .. math::

        \\Delta w_{ij} = -\\nu_{pre}\\, y_j\\, w_{ij}^{\\mu}, \\qquad
        \\Delta w_{ij} = \\nu_{post}\\, (x_i - x_{tar})\\, (w_{max} - w_{ij})^{\\mu},

    weights clipped to ``[0, w_max]``. For one pair with ``dt_pair = t_post -
    t_pre`` (ms) and ``mu = 0`` the change is ``nu_post exp(-dt_pair /
    tau_pre) - nu_post x_tar`` for ``dt_pair >= 0`` and ``-nu_pre
    exp(dt_pair / tau_post)`` for ``dt_pair < 0``: the exponential window of
    Bi & Poo (1998). A simultaneous pair counts as pre-before-post.

    With the defaults (and ``tau_pre = tau_post = tau_trace``) it is the rule
    of ``STDPFeatureExtractor`` with ``rule=None``.

    References
    ----------
    .. [1] P. U. Diehl and M. Cook, "Unsupervised learning of digit
       recognition using spike-timing-dependent plasticity", Front. Comput.
       Neurosci. 9:99, 2015.
    .. [2] G. Bi and M. Poo, "Synaptic modifications in cultured hippocampal
       neurons", J. Neurosci. 18(24), 10464-10472, 1998.

    Examples
    --------
    >>> from skspike.plasticity import PairSTDP
    >>> rule = PairSTDP(nu_post=0.01, tau_pre=20.0)
    >>> round(rule.weight_change([0.0], [20.0], dt=1.0), 6)  # 0.01 * exp(-1)
    0.003679
    """

    _code = K.RULE_PAIR

    def __init__(self, nu_pre=1e-4, nu_post=5e-3, *, tau_pre=10.0, tau_post=10.0, x_tar=0.0,
                 w_max=1.0, mu=0.0, interaction="nearest"):
        self.nu_pre = nu_pre
        self.nu_post = nu_post
        self.tau_pre = tau_pre
        self.tau_post = tau_post
        self.x_tar = x_tar
        self.w_max = w_max
        self.mu = mu
        self.interaction = interaction

    def _pack(self, prm, dt):
        name = type(self).__name__
        prm[K.W_MAX] = _number(self.w_max, "w_max", name, low=0.0, strict=True)
        prm[K.RATE_PRE1] = _rate(_number(self.tau_pre, "tau_pre", name, low=0.0, strict=True), dt)
        prm[K.RATE_POST1] = _rate(_number(self.tau_post, "tau_post", name, low=0.0, strict=True), dt)
        prm[K.NEAREST] = self._interaction()
        prm[K.A0] = _number(self.nu_pre, "nu_pre", name, low=0.0)
        prm[K.A1] = _number(self.nu_post, "nu_post", name, low=0.0)
        prm[K.A2] = _number(self.x_tar, "x_tar", name, low=0.0)
        prm[K.A3] = _number(self.mu, "mu", name, low=0.0)


# Pfister & Gerstner (2006), Table 4: (tau_x, tau_y, A2+, A3+, A2-, A3-) fitted to the
# visual-cortex data of Sjostrom et al. (2001) and the hippocampal data of Wang et al. (2005);
# tau_plus = 16.8 ms, tau_minus = 33.7 ms in all sets.
_TRIPLET_PRESETS = {
    ("visual_cortex", "all-to-all"): (101.0, 125.0, 5e-10, 6.2e-3, 7e-3, 2.3e-4),
    ("visual_cortex", "nearest"): (714.0, 40.0, 8.8e-11, 5.3e-2, 6.6e-3, 3.1e-3),
    ("hippocampal", "all-to-all"): (946.0, 27.0, 6.1e-3, 6.7e-3, 1.6e-3, 1.4e-3),
    ("hippocampal", "nearest"): (575.0, 47.0, 4.6e-3, 9.1e-3, 3e-3, 7.5e-9),
}


class TripletSTDP(PlasticityRule):
    """Triplet STDP (Pfister & Gerstner 2006).

    Parameters
    ----------
    tau_plus : float, default=16.8
        Time constant in ms of the fast presynaptic trace ``r1``.
    tau_minus : float, default=33.7
        Time constant in ms of the fast postsynaptic trace ``o1``.
    tau_x : float, default=101.0
        Time constant in ms of the slow presynaptic trace ``r2``.
    tau_y : float, default=125.0
        Time constant in ms of the slow postsynaptic trace ``o2``.
    a2_plus, a3_plus : float, default=5e-10, 6.2e-3
        Pair and triplet potentiation amplitudes (>= 0).
    a2_minus, a3_minus : float, default=7e-3, 2.3e-4
        Pair and triplet depression amplitudes (>= 0).
    interaction : {"all-to-all", "nearest"}, default="all-to-all"
        ``"all-to-all"``: a spike adds 1 to its traces; ``"nearest"``: sets
        them to 1 (only the nearest spikes interact).
    w_min, w_max : float, default=0.0, 1.0
        Weight bounds (hard, by clipping).

    The defaults are the visual-cortex all-to-all set; :meth:`visual_cortex`
    and :meth:`hippocampal` give the published sets of both interactions.

    Notes
    -----
    Traces decay exponentially (``tau_plus dr1/dt = -r1`` and so on) and
    jump at spikes. At a presynaptic spike ``t`` of input ``i`` and a
    postsynaptic spike ``t`` of neuron ``j``

    .. math::

        \\Delta w_{ij} = -o_1(t)\\,[A_2^- + A_3^- r_2(t - \\epsilon)], \\qquad
        \\Delta w_{ij} = r_1(t)\\,[A_2^+ + A_3^+ o_2(t - \\epsilon)],

    the slow trace taken before its own jump (``t - epsilon``). For single
    pairs it reduces to the exponential window with amplitudes ``A2+`` and
    ``A2-``; the triplet terms make potentiation grow with the
    postsynaptic rate (the frequency dependence of Sjostrom et al. 2001, and
    a BCM-like rule for Poisson trains).

    References
    ----------
    .. [1] J.-P. Pfister and W. Gerstner, "Triplets of spikes in a model of
       spike timing-dependent plasticity", J. Neurosci. 26(38), 9673-9682,
       2006 (Table 4: the parameter sets).
    .. [2] P. J. Sjostrom, G. G. Turrigiano and S. B. Nelson, "Rate, timing,
       and cooperativity jointly determine cortical synaptic plasticity",
       Neuron 32(6), 1149-1164, 2001.

    Examples
    --------
    >>> from skspike.plasticity import TripletSTDP
    >>> rule = TripletSTDP.visual_cortex()
    >>> rule.tau_x, rule.a3_plus
    (101.0, 0.0062)
    """

    _code = K.RULE_TRIPLET

    def __init__(self, tau_plus=16.8, tau_minus=33.7, tau_x=101.0, tau_y=125.0, a2_plus=5e-10,
                 a3_plus=6.2e-3, a2_minus=7e-3, a3_minus=2.3e-4, *, interaction="all-to-all",
                 w_min=0.0, w_max=1.0):
        self.tau_plus = tau_plus
        self.tau_minus = tau_minus
        self.tau_x = tau_x
        self.tau_y = tau_y
        self.a2_plus = a2_plus
        self.a3_plus = a3_plus
        self.a2_minus = a2_minus
        self.a3_minus = a3_minus
        self.interaction = interaction
        self.w_min = w_min
        self.w_max = w_max

    @classmethod
    def preset(cls, data, interaction="all-to-all", **overrides):
        """A published parameter set: ``data`` is "visual_cortex" or "hippocampal"."""
        key = (data, interaction)
        if key not in _TRIPLET_PRESETS:
            raise ValueError(
                f"No triplet preset for data={data!r}, interaction={interaction!r}; data is "
                "'visual_cortex' or 'hippocampal', interaction 'all-to-all' or 'nearest'."
            )
        tau_x, tau_y, a2p, a3p, a2m, a3m = _TRIPLET_PRESETS[key]
        params = dict(tau_plus=16.8, tau_minus=33.7, tau_x=tau_x, tau_y=tau_y, a2_plus=a2p,
                      a3_plus=a3p, a2_minus=a2m, a3_minus=a3m, interaction=interaction)
        params.update(overrides)
        return cls(**params)

    @classmethod
    def visual_cortex(cls, interaction="all-to-all", **overrides):
        """Fit to the visual-cortex data of Sjostrom et al. (2001) (P&G Table 4)."""
        return cls.preset("visual_cortex", interaction, **overrides)

    @classmethod
    def hippocampal(cls, interaction="all-to-all", **overrides):
        """Fit to the hippocampal-culture data of Wang et al. (2005) (P&G Table 4)."""
        return cls.preset("hippocampal", interaction, **overrides)

    def _pack(self, prm, dt):
        name = type(self).__name__
        for row, tau in ((K.RATE_PRE1, "tau_plus"), (K.RATE_PRE2, "tau_x"),
                         (K.RATE_POST1, "tau_minus"), (K.RATE_POST2, "tau_y")):
            prm[row] = _rate(_number(getattr(self, tau), tau, name, low=0.0, strict=True), dt)
        prm[K.NEAREST] = self._interaction()
        prm[K.A0] = _number(self.a2_minus, "a2_minus", name, low=0.0)
        prm[K.A1] = _number(self.a2_plus, "a2_plus", name, low=0.0)
        prm[K.A2] = _number(self.a3_minus, "a3_minus", name, low=0.0)
        prm[K.A3] = _number(self.a3_plus, "a3_plus", name, low=0.0)
        prm[K.W_MIN] = _number(self.w_min, "w_min", name)
        prm[K.W_MAX] = _number(self.w_max, "w_max", name)


class RewardModulatedSTDP(PlasticityRule):
    """Reward-modulated STDP with an eligibility trace (Izhikevich 2007, Florian 2007).

    Parameters
    ----------
    a_plus : float, default=0.01
        Eligibility added by a pre-before-post pair at zero delay (>= 0).
    a_minus : float, default=0.015
        Eligibility removed by a post-before-pre pair at zero delay (>= 0);
        Izhikevich's ratio ``A- / A+ = 1.5``.
    tau_plus, tau_minus : float, default=20.0
        Time constants in ms of the pre- and postsynaptic traces.
    tau_elig : float, default=1000.0
        Time constant in ms of the eligibility trace ``e`` (Izhikevich's
        ``tau_c = 1 s``).
    interaction : {"all-to-all", "nearest"}, default="all-to-all"
        How spikes add to the traces, as in :class:`PairSTDP`.
    w_min, w_max : float, default=0.0, 1.0
        Weight bounds.

    Notes
    -----
    STDP does not change the weight; it charges the synapse's eligibility
    trace, which decays with ``tau_elig``:

    .. math::

        \\tau_{elig} \\frac{de_{ij}}{dt} = -e_{ij}
            + A_+ x_i \\sum_f \\delta(t - t_j^f) - A_- y_j \\sum_f \\delta(t - t_i^f),

    with ``x`` and ``y`` the traces of :class:`PairSTDP`. A reward ``r``
    delivered at the end of a sample (a presentation) turns it into a weight
    change ``Delta w_ij = r e_ij`` (the dopamine signal of Izhikevich, the
    reinforcement of Florian's MSTDPET), clipped to the bounds. So only the
    spike pairs that preceded a reward (or a punishment, ``r < 0``) learn:
    reward alone, no target spikes, is the learning signal
    (:func:`~skspike.plasticity.learn_from_reward`).

    ``weight_change`` delivers a reward of 1 one step after the last spike.

    References
    ----------
    .. [1] E. M. Izhikevich, "Solving the distal reward problem through
       linkage of STDP and dopamine signaling", Cerebral Cortex 17(10),
       2443-2452, 2007.
    .. [2] R. V. Florian, "Reinforcement learning through modulation of
       spike-timing-dependent synaptic plasticity", Neural Computation
       19(6), 1468-1502, 2007.

    Examples
    --------
    >>> from skspike.plasticity import RewardModulatedSTDP
    >>> rule = RewardModulatedSTDP(tau_elig=1e9)
    >>> round(rule.weight_change([0.0], [0.0], dt=1.0), 6)
    0.01
    """

    _code = K.RULE_REWARD

    def __init__(self, a_plus=0.01, a_minus=0.015, *, tau_plus=20.0, tau_minus=20.0,
                 tau_elig=1000.0, interaction="all-to-all", w_min=0.0, w_max=1.0):
        self.a_plus = a_plus
        self.a_minus = a_minus
        self.tau_plus = tau_plus
        self.tau_minus = tau_minus
        self.tau_elig = tau_elig
        self.interaction = interaction
        self.w_min = w_min
        self.w_max = w_max

    def _window_reward(self):
        return 1.0

    def _pack(self, prm, dt):
        name = type(self).__name__
        prm[K.RATE_PRE1] = _rate(_number(self.tau_plus, "tau_plus", name, low=0.0, strict=True), dt)
        prm[K.RATE_POST1] = _rate(_number(self.tau_minus, "tau_minus", name, low=0.0, strict=True), dt)
        prm[K.NEAREST] = self._interaction()
        prm[K.A0] = _number(self.a_minus, "a_minus", name, low=0.0)
        prm[K.A1] = _number(self.a_plus, "a_plus", name, low=0.0)
        prm[K.SYN_RATE] = dt / _number(self.tau_elig, "tau_elig", name, low=0.0, strict=True)
        prm[K.W_MIN] = _number(self.w_min, "w_min", name)
        prm[K.W_MAX] = _number(self.w_max, "w_max", name)


class Hebbian(PlasticityRule):
    """Spike-based Hebbian learning, standard or decaying (Zhang et al. 2021, Table 2).

    Parameters
    ----------
    eta : float, default=1e-3
        Weight added per coincident pre/post spike pair (>= 0).
    tau : float, default=0.0
        Coincidence window in ms: a pair ``|t_post - t_pre|`` apart adds
        ``eta exp(-|t_post - t_pre| / tau)``. 0: only spikes in the same
        step coincide (the table's ``s_i s_j``).
    decay : float, default=0.0
        Constant decay ``c`` of every weight, per ms (>= 0): the "decaying"
        variant ``s_i s_j - c``.
    w_min, w_max : float, default=0.0, 1.0
        Weight bounds.

    Notes
    -----
    .. math::

        \\frac{dw_{ij}}{dt} = \\eta \\left[x_i \\sum_f \\delta(t - t_j^f)
            + y_j \\sum_f \\delta(t - t_i^f)\\right] - c,

    with nearest-spike traces ``x``, ``y`` of time constant ``tau`` (1 at a
    spike). Unlike STDP the sign does not depend on the order: both orders
    potentiate. With ``tau = 0`` a step adds ``eta s_i(t) s_j(t)``. The
    decay runs at every step, ``w <- max(w - c dt, w_min)``, applied lazily
    (a synapse catches up when touched), so it costs nothing per step.

    References
    ----------
    .. [1] D. O. Hebb, The Organization of Behavior, Wiley, 1949.
    .. [2] T. Zhang and B. Xu, "Research advances and perspectives on
       spiking neural networks" (in Chinese), Chinese Journal of Computers
       44(9), 2021, Table 2 (standard and decaying differential Hebb).

    Examples
    --------
    >>> from skspike.plasticity import Hebbian
    >>> round(Hebbian(eta=0.1).weight_change([5.0], [5.0], dt=1.0), 12)
    0.1
    """

    _code = K.RULE_HEBBIAN

    def __init__(self, eta=1e-3, *, tau=0.0, decay=0.0, w_min=0.0, w_max=1.0):
        self.eta = eta
        self.tau = tau
        self.decay = decay
        self.w_min = w_min
        self.w_max = w_max

    def _pack(self, prm, dt):
        name = type(self).__name__
        tau = _number(self.tau, "tau", name, low=0.0)
        prm[K.RATE_PRE1] = _rate(tau, dt)
        prm[K.RATE_POST1] = _rate(tau, dt)
        prm[K.NEAREST] = 1.0
        prm[K.A0] = _number(self.eta, "eta", name, low=0.0)
        prm[K.SYN_RATE] = _number(self.decay, "decay", name, low=0.0) * dt
        prm[K.W_MIN] = _number(self.w_min, "w_min", name)
        prm[K.W_MAX] = _number(self.w_max, "w_max", name)
