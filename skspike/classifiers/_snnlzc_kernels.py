"""Training kernels of :class:`SNNLZCClassifier`: pure functions of arrays.

One layer of LIF, meta-, adaptive-LIF or Izhikevich neurons, trained on
minibatches. Every kernel runs the forward pass through the engine's
recording step (``step_recorded`` of :mod:`skspike.neurons._kernels`; a LIF
layer runs as the meta-neuron with ``a = b = d = 0``, bit for bit the LIF
step), so a trained layer simulated by :func:`skspike.neurons.simulate`
emits the spikes training saw (checked by the tests).

Layout. ``(model, params)`` come from :func:`pack_model`: ``params`` is
``(N_PARAMS, n_out)``, the engine's rows (``skspike.neurons._kernels.P_*``,
the one parameter layout) plus the raw ``r_m``, ``a``, ``b`` needed by the
derivatives with respect to the decay factors. A batch is ``idx`` (rows of
the full data set) into ``spikes`` ``(n_samples, n_steps, n_in)`` or, for a
direct current, ``static`` ``(n_samples, n_in)`` (the current ``x @ W`` is
held for ``n_steps`` steps). Samples run in parallel (``prange``) and write to their own
gradient slices ``[b]``; the caller reduces them in a fixed order, so the
result does not depend on the number of threads.

Gradient outputs are *descent directions*: the caller subtracts them
(through Adam). ``g_drive`` ``(n_batch, n_out)`` is the gradient with respect
to a constant input current before the synaptic filter (for direct-current
input the caller forms ``X.T @ g_drive``), ``g_bias`` the gradient with
respect to the bias (added after the filter); ``g_w`` ``(n_batch, n_in,
n_out)`` the weight gradient for spike input; ``g_intr`` ``(n_batch,
N_GRADS, n_out)`` the gradients with respect to the intrinsic parameters
(slots ``G_*``: ``decay_m``, ``decay_w`` and ``v_thresh`` for the LIF
family, ``a``, ``b``, ``v_peak`` and ``d`` for Izhikevich); ``loss``
``(n_batch,)``.
"""

import dataclasses

import numpy as np
from numba import prange

from .._config import jit
from ..complexity._kernels import REGISTER_MAX_STEPS, lz76, lz76_words, new_work
from ..neurons import LIF, MetaNeuron
from ..neurons import _kernels as NK


def pack_model(neuron, n_out, dt):
    """Engine parameters of ``neuron`` plus the raw rows: ``(model, params)``.

    ``neuron.kernel_params(n_out, dt)`` (rows ``skspike.neurons._kernels.P_*``,
    the one parameter layout of the package) extended by the rows
    ``P_R_M``, ``P_A`` and ``P_B`` (``r_m``, ``a``, ``b`` of the LIF
    family; zero for an Izhikevich layer, whose ``a`` and ``b`` are engine
    rows) that the gradients with respect to the decay factors need; the
    engine's step ignores rows past ``N_PARAMS``. A LIF layer is packed as
    the meta-neuron with ``a = b = d = 0`` (bit for bit the same spikes),
    an :class:`~skspike.neurons.AdaptiveLIF` and an
    :class:`~skspike.neurons.Izhikevich` layer as themselves.
    """
    if isinstance(neuron, LIF):
        neuron = MetaNeuron(**{f.name: getattr(neuron, f.name) for f in dataclasses.fields(neuron)},
                            a=0.0, b=0.0, d=0.0, tau_u=_LIF_TAU_U)
    model, packed = neuron.kernel_params(n_out, dt)
    full = neuron.broadcast(n_out)
    params = np.zeros((N_PARAMS, n_out))
    params[:NK.N_PARAMS] = packed
    if model != NK.MODEL_IZHIKEVICH:
        params[P_R_M] = full.r_m
    if model == NK.MODEL_META:
        params[P_A] = full.a
        params[P_B] = full.b
    return model, params


def pack_params(tau_m, tau_u, v_thresh, a, b, d, tau_syn, subtract, dt, v_rest=0.0, v_reset=0.0, r_m=1.0):
    """:func:`pack_model` of the meta-neuron with these (per-neuron or scalar) parameters."""
    tau_m = np.asarray(tau_m, dtype=np.float64)
    n_out = tau_m.shape[0]
    full = lambda x: np.broadcast_to(np.asarray(x, dtype=np.float64), (n_out,))  # noqa: E731
    neuron = MetaNeuron(
        tau_m=tau_m, tau_u=full(tau_u), v_thresh=full(v_thresh), a=full(a), b=full(b), d=full(d),
        v_rest=full(v_rest), v_reset=full(v_reset), r_m=full(r_m), tau_syn=full(tau_syn),
        reset="subtract" if subtract else "zero",
    )
    return pack_model(neuron, n_out, dt)[1]


# Time constant of u packed for a LIF layer (a = b = d = 0: u stays 0, the value is unused).
_LIF_TAU_U = 100.0

RULE_SURROGATE = 0
RULE_TEMPOTRON = 1
RULE_STDP = 2

# Rows of the packed per-neuron parameters ``params`` (N_PARAMS, n_out): the
# engine's rows (``skspike.neurons._kernels``), then three raw parameters.
P_DECAY_SYN = NK.P_DECAY_SYN
P_DECAY_M = NK.P_DECAY_M
P_GAIN = NK.P_GAIN
P_REST_DRIVE = NK.P_REST_DRIVE
P_V_REST = NK.P_V_REST
P_V_RESET = NK.P_V_RESET
P_V_THRESH = NK.P_V_THRESH
P_SUBTRACT = NK.P_SUBTRACT
P_DECAY_U = NK.P_DECAY_W  # exp(-dt/tau_u)
P_JUMP = NK.P_JUMP  # d
P_U_DRIVE = NK.P_U_DRIVE  # (1 - decay_u) * a
P_COUPLING = NK.P_COUPLING  # (1 - decay_m) * b
P_R_M = NK.N_PARAMS
P_A = NK.N_PARAMS + 1
P_B = NK.N_PARAMS + 2
N_PARAMS = NK.N_PARAMS + 3

# Slots of the intrinsic gradients ``g_intr`` (N_GRADS, n_out). LIF family:
# decay_m, decay_w (exp(-dt/tau_u), exp(-dt/tau_adapt)), v_thresh. Izhikevich:
# a, b, v_peak (the spike test's threshold), d.
G_DECAY_M = 0
G_DECAY_U = 1
G_THRESH = 2
G_IZ_A = 0
G_IZ_B = 1
G_JUMP = 3
N_GRADS = 4


@jit()
def _forward(spikes, static, s, use_current, weights, bias, model, params, vprev, uprev, syn_hist, vpre,
             sub_hist, out):
    """Run one sample through the engine's recording layer loop, storing what the backward pass needs.

    ``vprev``/``uprev``: state at the start of each step; ``syn_hist``: the
    synaptic current of each step; ``vpre``: the potential at the spike
    test; ``out``: 0/1 spikes. All ``(n_steps, n_out)``. ``sub_hist``
    ``(n_steps, n_rec, n_out)``: the sub-step record of an Izhikevich layer
    (``n_rec = NK.n_substeps_recorded(model, params)``, 0 for the LIF family).
    """
    n_steps, n_out = vpre.shape
    n_rec = sub_hist.shape[1]
    drive = np.zeros((1, n_out), dtype=np.float64)
    fanout = np.zeros(weights.shape[0], dtype=np.int64)
    n_spikes = np.empty(1, dtype=np.int64)
    shape = (1, n_steps, n_out)  # one sample: a leading axis of 1
    bptt = (vprev.reshape(shape), uprev.reshape(shape), syn_hist.reshape(shape), vpre.reshape(shape),
            sub_hist.reshape((1, n_steps, n_rec, n_out)))
    rec = out.reshape(shape)
    if use_current:
        NK.accumulate_current(static[s], weights, drive[0], fanout)
        NK.run_layer(model, params, bias, n_steps, 0, 1, n_spikes, held=drive, rec=rec, bptt=bptt)
    else:
        NK.run_layer(model, params, bias, n_steps, 0, 1, n_spikes, spikes_in=spikes[s:s + 1], weights=weights,
                     fanout=fanout, rec=rec, bptt=bptt)


@jit()
def _backward(params, vprev, uprev, syn_hist, vpre, out, bias, g_spike, seed_v, slope,
              use_surrogate, adaptive, lsyn_hist, g_intr, g_bias_row):
    """Reverse-mode pass through one sample's stored trajectory (LIF family).

    The loss depends on the spikes through ``g_spike[j]`` (d loss / d spike,
    the same at every step: count-based losses), differentiated with the
    fast-sigmoid surrogate ``1 / (1 + slope |v - threshold|)^2`` when
    ``use_surrogate``, and directly on the pre-threshold potentials through
    ``seed_v`` ``(n_steps, n_out)``. Resets are detached (treated as
    constants), as in snnTorch; the spike-triggered jump of ``w`` (``d`` of
    the meta-neuron, ``theta_jump`` of the adaptive LIF) is differentiated
    through the surrogate. ``adaptive``: the layer is an AdaptiveLIF, whose
    threshold is ``v_thresh + decay_w w`` (``w`` the adaptation ``theta``),
    otherwise ``w`` is the meta-neuron's ``u`` (zero for a LIF). Writes
    d loss / d syn into ``lsyn_hist``, d loss / d(decay_m, decay_w,
    v_thresh) into ``g_intr`` rows ``G_DECAY_M``, ``G_DECAY_U``, ``G_THRESH``
    and d loss / d bias into ``g_bias_row``.
    """
    n_steps, n_out = vpre.shape
    for j in range(n_out):
        dm = params[P_DECAY_M, j]
        du = params[P_DECAY_U, j]
        ds = params[P_DECAY_SYN, j]
        gain = params[P_GAIN, j]
        u_drive = params[P_U_DRIVE, j]
        coupling = params[P_COUPLING, j]
        jump = params[P_JUMP, j]
        thr = params[P_V_THRESH, j]
        v_rest = params[P_V_REST, j]
        subtract = params[P_SUBTRACT, j] != 0.0
        r_m = params[P_R_M, j]
        a = params[P_A, j]
        b = params[P_B, j]
        lv = lu = lsyn = g_dm = g_du = g_thr = g_cur = 0.0  # adjoints and accumulators at the last step
        for t in range(n_steps - 1, -1, -1):
            spiked = out[t, j] != 0
            lw = lu  # adjoint of w after its decay, before the jump
            thr_t = thr
            if adaptive:
                thr_t = thr + du * uprev[t, j]
            if subtract:
                lvp = lv
                if spiked:
                    g_thr -= lv
                    if adaptive:
                        lw -= lv
            else:
                lvp = 0.0 if spiked else lv
            if use_surrogate:
                g_s = g_spike[j] + jump * lu
                x = slope * abs(vpre[t, j] - thr_t)
                sg = 1.0 / ((1.0 + x) * (1.0 + x))
                lvp += g_s * sg
                g_thr -= g_s * sg
                if adaptive:
                    lw -= g_s * sg
            lvp += seed_v[t, j]
            vp_old = vprev[t, j]
            u_old = uprev[t, j]
            g_dm += lvp * (vp_old - v_rest - r_m * (syn_hist[t, j] + bias[j]) + b * u_old)
            g_du += lw * (u_old - a * (vp_old - v_rest))
            lsyn = lvp * gain + ds * lsyn
            lsyn_hist[t, j] = lsyn
            g_cur += lvp * gain
            lv_prev = lvp * dm + lw * u_drive
            lu = -lvp * coupling + lw * du
            lv = lv_prev
        g_intr[G_DECAY_M, j] = g_dm
        g_intr[G_DECAY_U, j] = g_du
        g_intr[G_THRESH, j] += g_thr
        g_bias_row[j] = g_cur


@jit()
def _backward_izhikevich(params, vpre, sub_hist, out, g_spike, seed_v, slope, use_surrogate,
                         lsyn_hist, g_intr, g_bias_row):
    """Reverse-mode pass of an Izhikevich layer, through each step's forward-Euler sub-steps.

    Conventions as :func:`_backward`: the spike of a step is differentiated
    with the surrogate at its spike test (``vpre`` against ``v_peak``), the
    number of sub-steps run (fewer after an early spike) is held fixed.
    Sub-step ``k`` maps ``(v, u)`` to
    ``(v + h (0.04 v^2 + 5 v + 140 - u + I), u + h a (b v - u))`` with
    ``I = syn + bias``. Two parts of the spike are detached, as the reset of
    the LIF family is, because their exact derivatives grow without bound:

    - the whole after-spike reset, ``v = c`` and the jump ``u += d`` (the
      jump's path through the surrogate, ``u`` -> spike -> ``u``, has a gain
      up to ``h d`` per sub-step, 4 for the default ``d = 8``; in the LIF
      family the jump, ``d`` or ``theta_jump``, is well below the threshold
      gap and its path is kept);
    - the regenerative part of the upstroke: where ``0.08 v + 5 > 0``
      (``v`` above -62.5 mV, the minimum of the v-nullcline) a sub-step
      multiplies the adjoint of ``v`` by ``1 + h (0.08 v + 5) > 1``, about
      1e9 over an upstroke near rheobase, the sensitivity of the overshoot
      at the spike test rather than of the spike; the slope of the quadratic
      is clipped at 0 there (``v`` integrates its input, as a LIF with
      ``tau_m`` -> infinity), and kept below.

    Writes d loss / d syn into ``lsyn_hist``,
    d loss / d(a, b, v_peak, d) into ``g_intr`` rows ``G_IZ_A``, ``G_IZ_B``,
    ``G_THRESH``, ``G_JUMP`` and d loss / d bias into ``g_bias_row``.
    """
    n_steps, n_out = vpre.shape
    for j in range(n_out):
        ds = params[P_DECAY_SYN, j]
        a = params[NK.P_IZ_A, j]
        b = params[NK.P_IZ_B, j]
        peak = params[NK.P_IZ_PEAK, j]
        h = params[NK.P_IZ_H, j]
        n_sub = int(params[NK.P_IZ_NSUB, j])
        lv = lu = lsyn = g_a = g_b = g_peak = g_jump = g_cur = 0.0  # adjoints and accumulators at the last step
        for t in range(n_steps - 1, -1, -1):
            spiked = out[t, j] != 0
            lvk = 0.0 if spiked else lv
            luk = lu
            if spiked:
                g_jump += lu
            if use_surrogate:
                x = slope * abs(vpre[t, j] - peak)
                sg = 1.0 / ((1.0 + x) * (1.0 + x))
                lvk += g_spike[j] * sg
                g_peak -= g_spike[j] * sg
            lvk += seed_v[t, j]
            l_cur = 0.0
            for k in range(int(sub_hist[t, 0, j]) - 1, -1, -1):
                vk = sub_hist[t, 1 + k, j]
                uk = sub_hist[t, 1 + n_sub + k, j]
                l_cur += lvk * h
                g_a += luk * h * (b * vk - uk)
                g_b += luk * h * a * vk
                lv_k = lvk * (1.0 + h * min(0.08 * vk + 5.0, 0.0)) + luk * (h * a * b)
                luk = luk * (1.0 - h * a) - lvk * h
                lvk = lv_k
            lsyn = l_cur + ds * lsyn
            lsyn_hist[t, j] = lsyn
            g_cur += l_cur
            lv = lvk
            lu = luk
        g_intr[G_IZ_A, j] = g_a
        g_intr[G_IZ_B, j] = g_b + lu * params[NK.P_IZ_INIT, j]  # u starts at b v_init
        g_intr[G_THRESH, j] += g_peak
        g_intr[G_JUMP, j] = g_jump
        g_bias_row[j] = g_cur


@jit()
def _scatter_weights(spikes, s, lsyn_hist, g_w_row):
    """``g_w[i] += lsyn[t]`` for every input spike ``(t, i)`` (event-driven)."""
    n_steps, n_out = lsyn_hist.shape
    n_in = g_w_row.shape[0]
    for t in range(n_steps):
        for i in range(n_in):
            if spikes[s, t, i]:
                for j in range(n_out):
                    g_w_row[i, j] += lsyn_hist[t, j]


@jit(parallel=True)
def train_batch(rule, spikes, idx, static, use_current, n_steps, weights, bias, model, params, own,
                target_rates, slope, learn_intrinsic, tau_stdp_decay, out_counts, g_w, g_drive, g_bias,
                g_intr, loss):
    """Per-sample gradients of one minibatch under ``rule``.

    Parameters
    ----------
    rule : int
        ``RULE_SURROGATE``, ``RULE_TEMPOTRON`` or ``RULE_STDP``.
    model, params : int, ndarray of shape (N_PARAMS, n_out)
        The layer, from :func:`pack_model`.
    own : ndarray of shape (n_batch, n_out), uint8
        1 where the output neuron belongs to the sample's class.
    target_rates : ndarray of shape (2,)
        Spike probability per step wanted from other-class and own-class
        neurons (surrogate loss, STDP teacher).
    tau_stdp_decay : float
        Per-step decay of the presynaptic STDP trace.
    out_counts : ndarray of shape (n_batch, n_out), int64
        Receives the spike counts.

    Notes
    -----
    surrogate: loss ``0.5 / n_out * sum_j (count_j / T - target_j)^2``,
    gradient by BPTT with the surrogate derivative.

    tempotron: neuron ``j`` must fire at least once iff ``own[j]``. On an
    error the cost is ``+-(v_j(t_max) - v_thresh_j)`` with ``t_max`` the time
    of the maximal potential (for a neuron that fired wrongly, its first
    spike, so the potential up to ``t_max`` is reset-free); its gradient is
    the spike-free sensitivity of ``v_j(t_max)``, computed by the backward
    pass seeded at ``t_max`` (Gutig & Sompolinsky 2006).

    stdp: teacher spike trains ``d_j`` (evenly spaced at the target rate);
    weights change by ``sum_t (d_j(t) - s_j(t)) x_i(t)`` with ``x_i`` the
    presynaptic trace (ReSuMe, Ponulak & Kasinski 2010): STDP potentiation
    at teacher spikes, depression at the neuron's own spikes. Intrinsic
    parameters follow the same error signal through the backward pass
    seeded with ``-(d_j(t) - s_j(t))`` at every step.
    """
    n_batch = idx.shape[0]
    n_out = weights.shape[1]
    n_in = weights.shape[0]
    izhikevich = model == NK.MODEL_IZHIKEVICH
    thr_row = NK.P_IZ_PEAK if izhikevich else P_V_THRESH
    for b in prange(n_batch):
        s = idx[b]
        vprev = np.empty((n_steps, n_out))
        uprev = np.empty((n_steps, n_out))
        syn_hist = np.empty((n_steps, n_out))
        vpre = np.empty((n_steps, n_out))
        sub_hist = np.empty((n_steps, NK.n_substeps_recorded(model, params), n_out))
        out = np.empty((n_steps, n_out), dtype=np.uint8)
        _forward(spikes, static, s, use_current, weights, bias, model, params, vprev, uprev, syn_hist, vpre,
                 sub_hist, out)
        g_spike = np.zeros(n_out)
        seed_v = np.zeros((n_steps, n_out))
        lsyn_hist = np.zeros((n_steps, n_out))
        for k in range(N_GRADS):
            for j in range(n_out):
                g_intr[b, k, j] = 0.0
        total = 0.0
        first = np.full(n_out, -1, dtype=np.int64)
        for j in range(n_out):
            c = 0
            for t in range(n_steps):
                if out[t, j]:
                    if c == 0:
                        first[j] = t
                    c += 1
            out_counts[b, j] = c
        run_backward = True
        use_surrogate = False
        if rule == RULE_SURROGATE:
            use_surrogate = True
            for j in range(n_out):
                diff = out_counts[b, j] / n_steps - target_rates[own[b, j]]
                total += 0.5 * diff * diff / n_out
                g_spike[j] = diff / (n_steps * n_out)
        elif rule == RULE_TEMPOTRON:
            for j in range(n_out):
                fired = out_counts[b, j] > 0
                if own[b, j] and not fired:
                    t_max = 0
                    for t in range(1, n_steps):
                        if vpre[t, j] > vpre[t_max, j]:
                            t_max = t
                    total += (params[thr_row, j] - vpre[t_max, j]) / n_out
                    seed_v[t_max, j] = -1.0
                    g_intr[b, G_THRESH, j] = 1.0
                elif fired and not own[b, j]:
                    t_max = first[j]
                    total += (vpre[t_max, j] - params[thr_row, j]) / n_out
                    seed_v[t_max, j] = 1.0
                    g_intr[b, G_THRESH, j] = -1.0
        else:
            run_backward = learn_intrinsic
            pre = np.zeros(n_in)
            const = 0.0
            err = np.zeros(n_out)
            for j in range(n_out):
                diff = out_counts[b, j] / n_steps - target_rates[own[b, j]]
                total += 0.5 * diff * diff / n_out
            for t in range(n_steps):
                any_err = False
                for j in range(n_out):
                    rate = target_rates[own[b, j]]
                    teacher = np.floor((t + 1) * rate) > np.floor(t * rate)
                    e = (1.0 if teacher else 0.0) - out[t, j]
                    err[j] = e
                    seed_v[t, j] = -e
                    g_intr[b, G_THRESH, j] += e
                    if e != 0.0:
                        any_err = True
                const = tau_stdp_decay * const + 1.0
                if not use_current:
                    for i in range(n_in):
                        pre[i] = tau_stdp_decay * pre[i] + spikes[s, t, i]
                if any_err:
                    for j in range(n_out):
                        g_drive[b, j] -= err[j] * const
                        g_bias[b, j] -= err[j] * const
                    if not use_current:
                        for i in range(n_in):
                            if pre[i] != 0.0:
                                for j in range(n_out):
                                    g_w[b, i, j] -= err[j] * pre[i]
        loss[b] = total
        if run_backward:
            g_cur = np.empty(n_out)
            if izhikevich:
                _backward_izhikevich(params, vpre, sub_hist, out, g_spike, seed_v, slope, use_surrogate,
                                     lsyn_hist, g_intr[b], g_cur)
            else:
                _backward(params, vprev, uprev, syn_hist, vpre, out, bias, g_spike, seed_v, slope,
                          use_surrogate, model == NK.MODEL_ADAPTIVE, lsyn_hist, g_intr[b], g_cur)
            if rule != RULE_STDP:
                for j in range(n_out):
                    g_bias[b, j] = g_cur[j]
                    total_syn = 0.0
                    for t in range(n_steps):
                        total_syn += lsyn_hist[t, j]
                    g_drive[b, j] = total_syn
                if not use_current:
                    _scatter_weights(spikes, s, lsyn_hist, g_w[b])


# ------------------------------------------------------------ readout features
# Inference kernels of decision="multiscale" on spike trains: one pass per
# sample computes every readout feature (see ``_snnlzc_features`` for their
# definitions and the NumPy reference built from the public functions).


@jit()
def _sample_multiscale_features(spikes, s, weights, bias, model, params, n_out,
                                n_windows, bins, norms, feats):
    """Readout features of sample ``s`` into ``feats[s]``.

    Layout of a row: per-channel counts and LZC, total count, mean LZC, the
    mean LZC of each re-binning width in ``bins``, the ``n_windows``
    short-interval fractions, the coincidence detectors' rates, then, for
    ``n_out > 0``, the learned layer's per-neuron LZC and counts.
    ``norms[k]`` is the LZC normaliser ``n / log2(n)`` of the full trains
    (``k = 0``) and of the trains re-binned by ``bins[k - 1]``.

    One layer (``weights`` (n_in, n_out + n_det), packed ``params`` of
    ``model``) runs through the engine's layer loop
    (:func:`skspike.neurons._kernels.run_layer`), so its spikes are those
    of :func:`skspike.neurons.simulate`: its first ``n_out`` neurons are
    the learned layer (``n_out = 0`` when the caller simulates it apart),
    the others the detectors. ``spikes`` must be 0/1 (validated by the
    caller).

    One pass over the steps then records each input channel's spikes
    (count, times, and the train as bit words) and reduces the layer's
    recorded spikes (counts, bit words). Trains of
    up to ``REGISTER_MAX_STEPS`` steps (also after re-binning) are parsed
    from bit words by :func:`~skspike.complexity._kernels.lz76_words`;
    longer ones go through uint8 arrays and
    :func:`~skspike.complexity._kernels.lz76`.
    """
    n_steps = spikes.shape[1]
    n_ch = spikes.shape[2]
    n_all = weights.shape[1]
    n_det = n_all - n_out
    n_pair = n_windows * n_ch
    short = n_steps <= REGISTER_MAX_STEPS
    n_words = max((n_steps + 63) >> 6, 4)
    row = feats[s]
    counts = np.zeros(n_ch, dtype=np.int64)
    spike_times = np.empty((n_ch, n_steps), dtype=np.int64)  # row c: the times of channel c's spikes
    in_words = np.zeros((n_ch, n_words), dtype=np.uint64)
    out_words = np.zeros((n_out, n_words), dtype=np.uint64)
    trains = np.empty((n_ch, 0 if short else n_steps), dtype=np.uint8)  # long trains only
    out_trains = np.empty((n_out, 0 if short else n_steps), dtype=np.uint8)
    out_counts = np.zeros(n_out, dtype=np.int64)
    det_counts = np.zeros(n_det, dtype=np.int64)
    rec = np.empty((1, n_steps, n_all), dtype=np.uint8)
    NK.run_layer(model, params, bias, n_steps, 0, 1, np.empty(1, dtype=np.int64), spikes_in=spikes[s:s + 1],
                 weights=weights, fanout=np.zeros(n_ch, dtype=np.int64), rec=rec)
    for t in range(n_steps):
        bit = np.uint64(1) << np.uint64(t & 63)
        word = t >> 6
        for c in range(n_ch):
            x = spikes[s, t, c]
            if not short:
                trains[c, t] = x
            if x:
                spike_times[c, counts[c]] = t
                counts[c] += 1
                in_words[c, word] |= bit
        out = rec[0, t]
        for j in range(n_out):
            if out[j]:
                out_counts[j] += 1
                out_words[j, word] |= bit
        if not short:
            for j in range(n_out):
                out_trains[j, t] = out[j]
        for j in range(n_det):
            det_counts[j] += out[n_out + j]

    nxt, link, length, lz_bits = new_work(n_steps)
    total = 0
    lzc_sum = 0.0
    for c in range(n_ch):
        total += counts[c]
        row[c] = counts[c]
        if short:
            phrases = lz76_words(in_words[c], n_steps)
        else:
            phrases = lz76(trains[c], n_steps, nxt, link, length, lz_bits)
        row[n_ch + c] = phrases / norms[0]
        lzc_sum += row[n_ch + c]
    col = 2 * n_ch
    row[col] = total
    row[col + 1] = lzc_sum / n_ch
    col += 2
    binned = np.empty(n_steps, dtype=np.uint8)
    bin_words = np.zeros(n_words, dtype=np.uint64)
    for k in range(bins.shape[0]):
        width = bins[k]
        m = n_steps // width
        acc = 0.0
        for c in range(n_ch):  # a bin spikes if any of its steps does
            if m <= REGISTER_MAX_STEPS:
                for i in range(4):
                    bin_words[i] = 0
                for i in range(counts[c]):
                    t = spike_times[c, i]
                    if t < m * width:
                        b = t // width
                        bin_words[b >> 6] |= np.uint64(1) << np.uint64(b & 63)
                acc += lz76_words(bin_words, m) / norms[k + 1]
            else:
                for i in range(m):
                    binned[i] = 0
                for i in range(counts[c]):
                    t = spike_times[c, i]
                    if t < m * width:
                        binned[t // width] = 1
                acc += lz76(binned, m, nxt, link, length, lz_bits) / norms[k + 1]
        row[col] = acc / n_ch
        col += 1
    denom = max(total, 1)
    for k in range(n_windows):
        pairs = 0
        for c in range(n_ch):
            pairs += det_counts[k * n_ch + c]
        row[col] = pairs / denom
        col += 1
    for j in range(n_pair, n_det):
        row[col] = det_counts[j] / n_steps
        col += 1
    for j in range(n_out):
        if short:
            phrases = lz76_words(out_words[j], n_steps)
        else:
            phrases = lz76(out_trains[j], n_steps, nxt, link, length, lz_bits)
        row[col + j] = phrases / norms[0]
        row[col + n_out + j] = out_counts[j]


@jit(parallel=True)
def multiscale_features(spikes, weights, bias, model, params, n_out, n_windows, bins, norms, feats):
    """Readout features of every sample of ``spikes`` (n_samples, n_steps, n_channels), in parallel.

    ``feats`` (n_samples, n_features) receives one row per sample (see
    ``_sample_multiscale_features``); a row depends only on its sample.
    """
    for s in prange(spikes.shape[0]):
        _sample_multiscale_features(spikes, s, weights, bias, model, params, n_out, n_windows, bins, norms, feats)
