"""Numba kernels of plasticity: the rules' event hooks and synaptic scaling.

A rule arrives as an integer ``code`` and a float64 vector ``prm`` of length
``N_RULE_PRM`` (rows below, built by ``rule.kernel_params(dt)``), plus its
trace tables ``tab`` ``(4, n_steps + 1)`` from :func:`trace_tables`:
``tab[r, k] = exp(-k dt / tau_r)`` for the fast and slow presynaptic and
postsynaptic traces (rows ``TAB_*``). Traces are *lazy*: each input ``i``
keeps the value its traces had just after its last spike and that spike's
step (``pre_x[:, i]``, ``pre_t[i]``, -1 before the first), so the trace at
step ``t`` is ``pre_x[r, i] * tab[r, t - pre_t[i]]`` and a step costs no
per-synapse or per-trace work; the neurons likewise (``post_x``,
``post_t``). ``pre_list``/``post_list`` hold the inputs and neurons that
spiked so far in the sample (``n_act[0]``, ``n_act[1]`` of them): a trace
that never jumped is zero, so the pair terms only visit those. The rule
state of a layer is the tuple ``(pre_x, pre_t, pre_list, post_x, post_t,
post_list, n_act, syn_a, syn_t)`` made by :func:`new_rule_state`.
``syn_a`` (n_in, n_out) float64 and ``syn_t`` int64 are a per-synapse
variable and its clock, empty ``(0, 0)`` for rules that need none. Hebbian
decay: ``syn_t`` holds the step each weight was last brought up to date (it
catches up when touched). Reward-modulated STDP: ``syn_a`` is the
eligibility trace scaled by ``exp((t - t0) dt/tau_elig)`` and ``syn_t``
(1, 1) holds the origin ``t0``, so the common decay costs nothing per
synapse (the scaled values are renormalised before they could overflow).

The hooks, in the order the engine's event loop
(``skspike.neurons._kernels.run_events``) calls them within step ``t``:

1. ``before_delivery`` for the step's input spikes (brings their synapses
   up to step ``t``), the rows of those inputs are delivered, then
   ``pre_spikes`` (the rule's presynaptic terms, then the inputs' traces jump);
2. the neurons are advanced (``step_neurons``);
3. ``post_spikes`` for the step's output spikes (the postsynaptic terms with
   the presynaptic traces of this step, so a simultaneous pair counts as
   pre-before-post, then the neurons' traces jump);
4. after the last step: ``end_sample`` (reward, pending decays).

Each hook is one call per step for all spikes of that step (an input
spikes at most once a step), so the state arrays are passed once a step.

Adding a rule: one :class:`~skspike.plasticity.PlasticityRule` subclass that
packs ``prm`` (its ``_code`` and ``_pack``), and one kernel function
``_<rule>_event(kind, prm, tab, units, first, last, t, weights, *state)``
here handling the spikes ``units[first:last]`` of kind ``PRE`` (inputs,
rows delivered) or ``POST`` (neurons) at step ``t`` -- their traces jump
after it returns -- listed in :func:`_rule_event`. :func:`single_synapse` runs the same hooks for one
synapse with imposed spike steps; ``rule.weight_change`` is a thin wrapper
around it, so the plotted window is the training rule itself.

:func:`normalize_columns` is the synaptic scaling of
:class:`~skspike.plasticity.SynapticScaling` (the Diehl & Cook column
normalisation of the STDP extractor).
"""

import numpy as np

from .._config import jit

RULE_PAIR = 0
RULE_TRIPLET = 1
RULE_REWARD = 2
RULE_HEBBIAN = 3

W_MIN = 0
W_MAX = 1
RATE_PRE1 = 2  # dt / tau of the fast presynaptic trace (inf: a trace that lasts one step)
RATE_PRE2 = 3  # ... slow presynaptic trace (0: unused)
RATE_POST1 = 4  # ... fast postsynaptic trace
RATE_POST2 = 5  # ... slow postsynaptic trace
NEAREST = 6  # 1.0: a spike sets its traces to 1; 0.0: adds 1 (all-to-all)
A0 = 7  # rule amplitudes, see each rule's kernel_params
A1 = 8
A2 = 9
A3 = 10
SYN_RATE = 11  # dt / tau_elig (reward) or decay per step (Hebbian)
N_RULE_PRM = 12

TAB_PRE1 = 0
TAB_PRE2 = 1
TAB_POST1 = 2
TAB_POST2 = 3

PRE = 0
POST = 1


def trace_tables(prm, n_steps):
    """``(4, n_steps + 1)`` table ``exp(-k * rate)`` of each trace (NumPy, not compiled)."""
    k = np.arange(n_steps + 1)
    tab = np.zeros((4, n_steps + 1))
    for row, rate in ((TAB_PRE1, prm[RATE_PRE1]), (TAB_PRE2, prm[RATE_PRE2]),
                      (TAB_POST1, prm[RATE_POST1]), (TAB_POST2, prm[RATE_POST2])):
        if np.isinf(rate):
            tab[row, 0] = 1.0
        else:
            tab[row] = np.exp(-k * rate)
    return tab


# --------------------------------------------------------------- soft bounds


@jit(inline="always")
def soft_bound(x, mu):
    """``x ** mu`` with ``0 ** 0 == 1`` and no pow call in the hard-bound case."""
    if mu == 0.0:
        return 1.0
    if x <= 0.0:
        return 0.0
    return x ** mu


@jit(inline="always")
def _clip(w, w_min, w_max):
    if w < w_min:
        return w_min
    if w > w_max:
        return w_max
    return w


# ------------------------------------------------------------ synaptic scaling


@jit()
def normalize_columns(weights, columns, n_columns, norm, w_max):
    """Scale weight columns so each sums to ``norm``, with every weight <= w_max.

    Columns are scaled by ``norm / sum``; weights that would exceed ``w_max``
    are clipped and the remainder is rescaled again over the unclipped ones
    (at most ``n_in`` rounds; one in practice). A zero column is left as is.
    Requires ``norm <= n_in * w_max`` for the sum to be reachable.
    """
    n_in = weights.shape[0]
    for q in range(n_columns):
        j = columns[q]
        for _ in range(n_in):
            fixed = 0.0
            free = 0.0
            for i in range(n_in):
                w = weights[i, j]
                if w >= w_max:
                    fixed += w_max
                else:
                    free += w
            if free <= 0.0:
                break
            scale = (norm - fixed) / free
            if scale <= 0.0:
                break
            over = False
            for i in range(n_in):
                w = weights[i, j]
                if w < w_max:
                    w = w * scale
                    if w >= w_max:
                        w = w_max
                        over = True
                    weights[i, j] = w
            if not over:
                break


@jit()
def normalize_all(weights, norm, w_max):
    """Normalise every non-zero column of ``weights`` in place (see normalize_columns)."""
    n_in, n_out = weights.shape
    sums = np.zeros(n_out)
    for i in range(n_in):
        for j in range(n_out):
            sums[j] += weights[i, j]
    cols = np.empty(n_out, dtype=np.int64)
    n_cols = 0
    for j in range(n_out):
        if sums[j] > 0.0:
            cols[n_cols] = j
            n_cols += 1
    normalize_columns(weights, cols, n_cols, norm, w_max)


@jit()
def scale_fired(weights, counts, norm, w_max, cols):
    """Synaptic scaling of the columns whose neuron fired (``counts > 0``); ``norm <= 0``: none."""
    n_cols = 0
    for j in range(counts.shape[0]):
        if counts[j] > 0:
            cols[n_cols] = j
            n_cols += 1
    if norm > 0.0 and n_cols > 0:
        normalize_columns(weights, cols, n_cols, norm, w_max)


# ------------------------------------------------------------------ rule state


@jit()
def needs_synapse_state(code, prm):
    """True if the rule keeps a per-synapse variable (``syn_a``/``syn_t``)."""
    return code == RULE_REWARD or (code == RULE_HEBBIAN and prm[SYN_RATE] > 0.0)


@jit()
def new_rule_state(code, prm, n_in, n_out):
    """Rest state of a layer: the tuple described in the module docstring."""
    if code == RULE_REWARD:
        syn_a = np.zeros((n_in, n_out))
        syn_t = np.zeros((1, 1), dtype=np.int64)
    elif needs_synapse_state(code, prm):
        syn_a = np.zeros((n_in, n_out))
        syn_t = np.zeros((n_in, n_out), dtype=np.int64)
    else:
        syn_a = np.zeros((0, 0))
        syn_t = np.zeros((0, 0), dtype=np.int64)
    return (np.zeros((2, n_in)), np.full(n_in, -1, dtype=np.int64), np.empty(n_in, dtype=np.int64),
            np.zeros((2, n_out)), np.full(n_out, -1, dtype=np.int64), np.empty(n_out, dtype=np.int64),
            np.zeros(2, dtype=np.int64), syn_a, syn_t)


@jit()
def reset_rule_state(rstate):
    """Back to rest at the start of a sample (only what the last sample touched)."""
    pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t = rstate
    for q in range(n_act[0]):
        pre_t[pre_list[q]] = -1
    for q in range(n_act[1]):
        post_t[post_list[q]] = -1
    n_act[0] = 0
    n_act[1] = 0
    syn_a[:, :] = 0.0
    syn_t[:, :] = 0


# Largest exponent of the eligibility scale before renormalisation (exp(300) ~ 2e130).
_MAX_GAIN_EXPONENT = 300.0


@jit(inline="always")
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


@jit(inline="always")
def _catch_up(prm, i, j, t, weights, syn_t):
    """Hebbian decay of synapse (i, j) from its last step up to step ``t``."""
    k = t - syn_t[i, j]
    if k > 0:
        syn_t[i, j] = t
        weights[i, j] = max(weights[i, j] - k * prm[SYN_RATE], prm[W_MIN])


# ---------------------------------------------------------- one function a rule
# A rule function handles the spikes ``units[first:last]`` of one side (``kind``)
# at step ``t``; the traces of those units jump after it returns. One call per
# step, not per spike: the state arrays are passed once.


@jit(inline="always")
def _pair_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t):
    """Pair STDP: depression ``nu_pre y w^mu`` at a pre spike, potentiation
    ``nu_post (x - x_tar) (w_max - w)^mu`` at a post spike."""
    w_min = prm[W_MIN]
    w_max = prm[W_MAX]
    mu = prm[A3]
    n_pre = n_act[0]
    n_post = n_act[1]
    if kind == PRE:
        nu_pre = prm[A0]
        for e in range(first, last):
            k = units[e]
            for q in range(n_post):
                j = post_list[q]
                y = post_x[0, j] * tab[TAB_POST1, t - post_t[j]]
                w = weights[k, j]
                weights[k, j] = _clip(w - nu_pre * y * soft_bound(w - w_min, mu), w_min, w_max)
    else:
        nu_post = prm[A1]
        x_tar = prm[A2]
        for e in range(first, last):
            k = units[e]
            if x_tar == 0.0:
                for q in range(n_pre):
                    i = pre_list[q]
                    x = pre_x[0, i] * tab[TAB_PRE1, t - pre_t[i]]
                    w = weights[i, k]
                    weights[i, k] = _clip(w + nu_post * x * soft_bound(w_max - w, mu), w_min, w_max)
            else:
                for i in range(weights.shape[0]):
                    t0 = pre_t[i]
                    x = 0.0 if t0 < 0 else pre_x[0, i] * tab[TAB_PRE1, t - t0]
                    w = weights[i, k]
                    weights[i, k] = _clip(w + nu_post * (x - x_tar) * soft_bound(w_max - w, mu), w_min, w_max)


@jit(inline="always")
def _triplet_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t):
    """Triplet STDP (Pfister & Gerstner 2006), slow traces read just before the jump."""
    w_min = prm[W_MIN]
    w_max = prm[W_MAX]
    n_pre = n_act[0]
    n_post = n_act[1]
    for e in range(first, last):
        k = units[e]
        if kind == PRE:
            t0 = pre_t[k]
            r2 = 0.0 if t0 < 0 else pre_x[1, k] * tab[TAB_PRE2, t - t0]
            depress = prm[A0] + prm[A2] * r2  # A2- + A3- r2(t - eps)
            for q in range(n_post):
                j = post_list[q]
                o1 = post_x[0, j] * tab[TAB_POST1, t - post_t[j]]
                weights[k, j] = _clip(weights[k, j] - o1 * depress, w_min, w_max)
        else:
            t0 = post_t[k]
            o2 = 0.0 if t0 < 0 else post_x[1, k] * tab[TAB_POST2, t - t0]
            potentiate = prm[A1] + prm[A3] * o2  # A2+ + A3+ o2(t - eps)
            for q in range(n_pre):
                i = pre_list[q]
                r1 = pre_x[0, i] * tab[TAB_PRE1, t - pre_t[i]]
                weights[i, k] = _clip(weights[i, k] + r1 * potentiate, w_min, w_max)


@jit(inline="always")
def _reward_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t):
    """Reward-modulated STDP: the pair terms charge the eligibility trace."""
    n_pre = n_act[0]
    n_post = n_act[1]
    gain = _eligibility_gain(prm, t, syn_a, syn_t)
    for e in range(first, last):
        k = units[e]
        if kind == PRE:
            a_minus = prm[A0] * gain
            for q in range(n_post):
                j = post_list[q]
                syn_a[k, j] -= a_minus * post_x[0, j] * tab[TAB_POST1, t - post_t[j]]
        else:
            a_plus = prm[A1] * gain
            for q in range(n_pre):
                i = pre_list[q]
                syn_a[i, k] += a_plus * pre_x[0, i] * tab[TAB_PRE1, t - pre_t[i]]


@jit(inline="always")
def _hebbian_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t):
    """Hebbian: ``eta`` times the other side's trace, at either spike (with optional decay)."""
    w_min = prm[W_MIN]
    w_max = prm[W_MAX]
    eta = prm[A0]
    rate = prm[SYN_RATE]
    decaying = syn_t.shape[0] > 0
    n_pre = n_act[0]
    n_post = n_act[1]
    for e in range(first, last):
        k = units[e]
        if kind == PRE:
            for q in range(n_post):
                j = post_list[q]
                weights[k, j] = _clip(weights[k, j] + eta * post_x[0, j] * tab[TAB_POST1, t - post_t[j]],
                                      w_min, w_max)
        else:
            if decaying:  # the column catches up first
                for i in range(weights.shape[0]):
                    gap = t - syn_t[i, k]
                    if gap > 0:
                        syn_t[i, k] = t
                        weights[i, k] = max(weights[i, k] - gap * rate, w_min)
            for q in range(n_pre):
                i = pre_list[q]
                weights[i, k] = _clip(weights[i, k] + eta * pre_x[0, i] * tab[TAB_PRE1, t - pre_t[i]],
                                      w_min, w_max)


@jit(inline="always")
def _rule_event(code, kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t):
    """The rule table: one kernel function per rule code."""
    if code == RULE_PAIR:
        _pair_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)
    elif code == RULE_TRIPLET:
        _triplet_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)
    elif code == RULE_REWARD:
        _reward_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)
    else:
        _hebbian_event(kind, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)


@jit(inline="always")
def _jump_all(x, last_t, unit_list, n_act, side, tab, units, first, last, t, nearest):
    """The units ``units[first:last]`` of ``side`` (0 inputs, 1 neurons) spiked at step ``t``."""
    for e in range(first, last):
        k = units[e]
        t0 = last_t[k]
        if t0 < 0:
            unit_list[n_act[side]] = k
            n_act[side] += 1
            x[0, k] = 1.0
            x[1, k] = 1.0
        elif nearest:
            x[0, k] = 1.0
            x[1, k] = 1.0
        else:
            x[0, k] = x[0, k] * tab[2 * side, t - t0] + 1.0
            x[1, k] = x[1, k] * tab[2 * side + 1, t - t0] + 1.0
        last_t[k] = t


# ---------------------------------------------------------------------- hooks


@jit()
def before_delivery(code, prm, units, first, last, t, weights, syn_t):
    """Bring the synapses of the inputs ``units[first:last]`` up to step ``t`` (Hebbian decay)."""
    if code != RULE_HEBBIAN or syn_t.shape[0] == 0:
        return
    for e in range(first, last):
        i = units[e]
        for j in range(weights.shape[1]):
            _catch_up(prm, i, j, t, weights, syn_t)


@jit()
def pre_spikes(code, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t):
    """The inputs ``units[first:last]`` spiked at step ``t`` (their rows already delivered)."""
    _rule_event(code, PRE, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)
    _jump_all(pre_x, pre_t, pre_list, n_act, 0, tab, units, first, last, t, prm[NEAREST] != 0.0)


@jit()
def post_spikes(code, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t):
    """The neurons ``units[first:last]`` spiked at step ``t``."""
    _rule_event(code, POST, prm, tab, units, first, last, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)
    _jump_all(post_x, post_t, post_list, n_act, 1, tab, units, first, last, t, prm[NEAREST] != 0.0)


@jit()
def end_sample(code, prm, n_steps, reward, weights, rstate):
    """After the last step (``n_steps``): pending decays, then the reward.

    Reward-modulated STDP: ``w += reward * e`` with the eligibility traces
    decayed to the end of the sample.
    """
    syn_a = rstate[7]
    syn_t = rstate[8]
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
def single_synapse(code, prm, tab, pre_steps, post_steps, n_steps, w_init, reward):
    """Final weight of one synapse driven by imposed spike steps (sorted, unique).

    Runs the training hooks step by step on a 1 x 1 layer, from rest; ``tab``
    covers at least ``n_steps + 1`` steps.
    """
    weights = np.full((1, 1), w_init)
    rstate = new_rule_state(code, prm, 1, 1)
    pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t = rstate
    zero = np.zeros(1, dtype=np.int64)
    p = 0
    q = 0
    n_pre = pre_steps.shape[0]
    n_post = post_steps.shape[0]
    for t in range(n_steps):
        if p < n_pre and pre_steps[p] == t:
            before_delivery(code, prm, zero, 0, 1, t, weights, syn_t)
            pre_spikes(code, prm, tab, zero, 0, 1, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)
            p += 1
        if q < n_post and post_steps[q] == t:
            post_spikes(code, prm, tab, zero, 0, 1, t, weights, pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t)
            q += 1
    end_sample(code, prm, n_steps, reward, weights, rstate)
    return weights[0, 0]


@jit()
def single_synapse_batch(code, prm, tab, pre_steps, pre_ptr, post_steps, post_ptr, n_steps, w_init,
                         reward, out):
    """:func:`single_synapse` for several protocols (CSR lists of spike steps)."""
    for k in range(out.shape[0]):
        out[k] = single_synapse(code, prm, tab, pre_steps[pre_ptr[k]:pre_ptr[k + 1]],
                                post_steps[post_ptr[k]:post_ptr[k + 1]], n_steps[k], w_init,
                                reward)
