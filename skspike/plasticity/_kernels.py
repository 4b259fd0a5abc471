"""Numba kernels of the plasticity rules: pure functions of arrays and scalars.

A rule arrives as an integer ``code`` and a float64 vector ``prm`` of length
``N_RULE_PRM`` (rows below, built by ``rule.kernel_params(dt)``). Its state
for a layer with ``n_in`` inputs and ``n_out`` neurons is

- ``pre_tr`` (2, n_in) and ``post_tr`` (2, n_out): presynaptic and
  postsynaptic traces (row 0 the fast trace, row 1 the slow one of the
  triplet rule), decayed once per step by :func:`decay_traces`;
- ``syn_a`` (n_in, n_out) float64 and ``syn_t`` int64: a per-synapse
  variable and its clock; empty ``(0, 0)`` arrays for rules that need none.
  Hebbian decay: ``syn_t`` (n_in, n_out) holds the step each weight was last
  brought up to date (it catches up when touched). Reward-modulated STDP:
  ``syn_a`` is the eligibility trace scaled by ``exp((t - t0) dt/tau_elig)``
  and ``syn_t`` (1, 1) holds the origin ``t0``, so the common decay costs
  nothing per synapse (the scaled values are renormalised before they could
  overflow). Either way a step costs no per-synapse work.

The hooks, in the order the training loop calls them within step ``t``:

1. ``decay_traces(prm, pre_tr, post_tr)`` (for ``t > 0``);
2. per input spike ``i``: ``before_delivery`` (brings the synapses of ``i``
   up to step ``t``), the row ``weights[i]`` is delivered, then
   ``pre_spike`` (depression, then the presynaptic traces jump);
3. the neurons are advanced (``skspike.neurons._kernels.step_neurons``);
4. per output spike ``j``: ``post_spike`` (potentiation with the
   presynaptic traces of this step, so a simultaneous pair counts as
   pre-before-post, then the postsynaptic traces jump);
5. after the last step: ``end_sample`` (reward, pending decays).

:func:`single_synapse` runs the same hooks for one synapse with imposed
spike steps; ``rule.weight_change`` is a thin wrapper around it, so the
plotted window is the training rule itself.

Adding a rule: one code, one branch in each hook that the rule uses (a
rule ignores the others), one :class:`~skspike.plasticity.PlasticityRule`
subclass that packs ``prm``.
"""

import numpy as np

from .._config import jit
from ..feature_extraction._kernels import _soft  # x ** mu, the extractor's soft bound

RULE_PAIR = 0
RULE_TRIPLET = 1
RULE_REWARD = 2
RULE_HEBBIAN = 3

W_MIN = 0
W_MAX = 1
DECAY_PRE1 = 2  # exp(-dt / tau) of pre_tr[0]
DECAY_PRE2 = 3  # ... pre_tr[1]
DECAY_POST1 = 4  # ... post_tr[0]
DECAY_POST2 = 5  # ... post_tr[1]
NEAREST = 6  # 1.0: a spike sets its traces to 1; 0.0: adds 1 (all-to-all)
A0 = 7  # rule amplitudes, see each rule's kernel_params
A1 = 8
A2 = 9
A3 = 10
SYN_RATE = 11  # dt / tau_elig (reward) or decay per step (Hebbian)
N_RULE_PRM = 12


@jit()
def needs_synapse_state(code, prm):
    """True if the rule keeps a per-synapse variable (``syn_a``/``syn_t``)."""
    return code == RULE_REWARD or (code == RULE_HEBBIAN and prm[SYN_RATE] > 0.0)


@jit()
def new_rule_state(code, prm, n_in, n_out):
    """Zero state ``(pre_tr, post_tr, syn_a, syn_t)`` of a layer."""
    pre_tr = np.zeros((2, n_in))
    post_tr = np.zeros((2, n_out))
    if code == RULE_REWARD:
        syn_a = np.zeros((n_in, n_out))
        syn_t = np.zeros((1, 1), dtype=np.int64)
    elif needs_synapse_state(code, prm):
        syn_a = np.zeros((n_in, n_out))
        syn_t = np.zeros((n_in, n_out), dtype=np.int64)
    else:
        syn_a = np.zeros((0, 0))
        syn_t = np.zeros((0, 0), dtype=np.int64)
    return pre_tr, post_tr, syn_a, syn_t


@jit()
def reset_rule_state(pre_tr, post_tr, syn_a, syn_t):
    """Back to rest: traces, per-synapse variables and their clocks at 0."""
    pre_tr[:, :] = 0.0
    post_tr[:, :] = 0.0
    syn_a[:, :] = 0.0
    syn_t[:, :] = 0


@jit()
def decay_traces(prm, pre_tr, post_tr):
    """One step of exponential decay of every trace (exact for a step of dt)."""
    slow = prm[DECAY_PRE2] != 0.0 or prm[DECAY_POST2] != 0.0
    d1 = prm[DECAY_PRE1]
    for i in range(pre_tr.shape[1]):
        pre_tr[0, i] *= d1
    e1 = prm[DECAY_POST1]
    for j in range(post_tr.shape[1]):
        post_tr[0, j] *= e1
    if slow:  # the slow traces of the triplet rule
        d2 = prm[DECAY_PRE2]
        for i in range(pre_tr.shape[1]):
            pre_tr[1, i] *= d2
        e2 = prm[DECAY_POST2]
        for j in range(post_tr.shape[1]):
            post_tr[1, j] *= e2


@jit()
def _bump(traces, k, nearest):
    if nearest:
        traces[0, k] = 1.0
        traces[1, k] = 1.0
    else:
        traces[0, k] += 1.0
        traces[1, k] += 1.0


@jit()
def _clip(w, w_min, w_max):
    if w < w_min:
        return w_min
    if w > w_max:
        return w_max
    return w


@jit()
def _catch_up(prm, i, j, t, weights, syn_t):
    """Hebbian decay of synapse (i, j) from its last step up to step ``t``."""
    k = t - syn_t[i, j]
    if k > 0:
        syn_t[i, j] = t
        weights[i, j] = max(weights[i, j] - k * prm[SYN_RATE], prm[W_MIN])


# Largest exponent of the eligibility scale before renormalisation (exp(300) ~ 2e130).
_MAX_GAIN_EXPONENT = 300.0


@jit()
def _eligibility_gain(prm, t, syn_a, syn_t):
    """``exp((t - t0) dt / tau_elig)``, renormalising ``syn_a`` first if it grew too large."""
    exponent = (t - syn_t[0, 0]) * prm[SYN_RATE]
    if exponent > _MAX_GAIN_EXPONENT:
        scale = np.exp(-exponent)
        for i in range(syn_a.shape[0]):
            for j in range(syn_a.shape[1]):
                syn_a[i, j] *= scale
        syn_t[0, 0] = t
        exponent = 0.0
    return np.exp(exponent)


@jit()
def before_delivery(code, prm, i, t, weights, syn_a, syn_t):
    """Bring the synapses of input ``i`` up to step ``t`` (Hebbian decay)."""
    if code != RULE_HEBBIAN or syn_t.shape[0] == 0:
        return
    for j in range(weights.shape[1]):
        _catch_up(prm, i, j, t, weights, syn_t)


@jit()
def pre_spike(code, prm, i, t, weights, pre_tr, post_tr, syn_a, syn_t):
    """Input ``i`` spiked at step ``t`` (its row already delivered)."""
    n_out = weights.shape[1]
    w_min = prm[W_MIN]
    w_max = prm[W_MAX]
    if code == RULE_PAIR:
        nu_pre = prm[A0]
        mu = prm[A3]
        for j in range(n_out):
            y = post_tr[0, j]
            if y != 0.0:
                w = weights[i, j]
                weights[i, j] = _clip(w - nu_pre * y * _soft(w - w_min, mu), w_min, w_max)
    elif code == RULE_TRIPLET:
        depress = prm[A0] + prm[A2] * pre_tr[1, i]  # A2- + A3- r2(t - eps)
        for j in range(n_out):
            o1 = post_tr[0, j]
            if o1 != 0.0:
                weights[i, j] = _clip(weights[i, j] - o1 * depress, w_min, w_max)
    elif code == RULE_REWARD:
        a_minus = prm[A0] * _eligibility_gain(prm, t, syn_a, syn_t)
        for j in range(n_out):
            y = post_tr[0, j]
            if y != 0.0:
                syn_a[i, j] -= a_minus * y
    else:  # RULE_HEBBIAN
        eta = prm[A0]
        for j in range(n_out):
            y = post_tr[0, j]
            if y != 0.0:
                weights[i, j] = _clip(weights[i, j] + eta * y, w_min, w_max)
    _bump(pre_tr, i, prm[NEAREST] != 0.0)


@jit()
def post_spike(code, prm, j, t, weights, pre_tr, post_tr, syn_a, syn_t):
    """Neuron ``j`` spiked at step ``t``."""
    n_in = weights.shape[0]
    w_min = prm[W_MIN]
    w_max = prm[W_MAX]
    if code == RULE_PAIR:
        nu_post = prm[A1]
        x_tar = prm[A2]
        mu = prm[A3]
        for i in range(n_in):
            x = pre_tr[0, i]
            if x != 0.0 or x_tar != 0.0:
                w = weights[i, j]
                weights[i, j] = _clip(w + nu_post * (x - x_tar) * _soft(w_max - w, mu), w_min, w_max)
    elif code == RULE_TRIPLET:
        potentiate = prm[A1] + prm[A3] * post_tr[1, j]  # A2+ + A3+ o2(t - eps)
        for i in range(n_in):
            r1 = pre_tr[0, i]
            if r1 != 0.0:
                weights[i, j] = _clip(weights[i, j] + r1 * potentiate, w_min, w_max)
    elif code == RULE_REWARD:
        a_plus = prm[A1] * _eligibility_gain(prm, t, syn_a, syn_t)
        for i in range(n_in):
            x = pre_tr[0, i]
            if x != 0.0:
                syn_a[i, j] += a_plus * x
    else:  # RULE_HEBBIAN
        eta = prm[A0]
        decaying = syn_t.shape[0] > 0
        for i in range(n_in):
            if decaying:
                _catch_up(prm, i, j, t, weights, syn_t)
            x = pre_tr[0, i]
            if x != 0.0:
                weights[i, j] = _clip(weights[i, j] + eta * x, w_min, w_max)
    _bump(post_tr, j, prm[NEAREST] != 0.0)


@jit()
def end_sample(code, prm, n_steps, reward, weights, syn_a, syn_t):
    """After the last step (``n_steps``): pending decays, then the reward.

    Reward-modulated STDP: ``w += reward * e`` with the eligibility traces
    decayed to the end of the sample.
    """
    if syn_t.shape[0] == 0:
        return
    n_in, n_out = weights.shape
    if code == RULE_HEBBIAN:
        for i in range(n_in):
            for j in range(n_out):
                _catch_up(prm, i, j, n_steps, weights, syn_t)
    elif code == RULE_REWARD and reward != 0.0:
        w_min = prm[W_MIN]
        w_max = prm[W_MAX]
        # e(n_steps) = syn_a exp(-(n_steps - t0) dt / tau_elig), folded into the reward
        scaled = reward * np.exp(-(n_steps - syn_t[0, 0]) * prm[SYN_RATE])
        for i in range(n_in):
            for j in range(n_out):
                weights[i, j] = _clip(weights[i, j] + scaled * syn_a[i, j], w_min, w_max)


@jit()
def single_synapse(code, prm, pre_steps, post_steps, n_steps, w_init, reward):
    """Final weight of one synapse driven by imposed spike steps (sorted, unique).

    Runs the training hooks step by step on a 1 x 1 layer, from rest.
    """
    weights = np.full((1, 1), w_init)
    pre_tr, post_tr, syn_a, syn_t = new_rule_state(code, prm, 1, 1)
    p = 0
    q = 0
    n_pre = pre_steps.shape[0]
    n_post = post_steps.shape[0]
    for t in range(n_steps):
        if t > 0:
            decay_traces(prm, pre_tr, post_tr)
        if p < n_pre and pre_steps[p] == t:
            before_delivery(code, prm, 0, t, weights, syn_a, syn_t)
            pre_spike(code, prm, 0, t, weights, pre_tr, post_tr, syn_a, syn_t)
            p += 1
        if q < n_post and post_steps[q] == t:
            post_spike(code, prm, 0, t, weights, pre_tr, post_tr, syn_a, syn_t)
            q += 1
    end_sample(code, prm, n_steps, reward, weights, syn_a, syn_t)
    return weights[0, 0]


@jit()
def single_synapse_batch(code, prm, pre_steps, pre_ptr, post_steps, post_ptr, n_steps, w_init,
                         reward, out):
    """:func:`single_synapse` for several protocols (CSR lists of spike steps)."""
    for k in range(out.shape[0]):
        out[k] = single_synapse(code, prm, pre_steps[pre_ptr[k]:pre_ptr[k + 1]],
                                post_steps[post_ptr[k]:post_ptr[k + 1]], n_steps[k], w_init,
                                reward)
