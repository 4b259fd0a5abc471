"""Numba kernels of the STDP feature extractor: pure functions of arrays.

One sample is simulated by :func:`_run_sample` from an event list in CSR form
(``step_ptr`` of length ``n_steps + 1``, ``ev_idx`` the spiking inputs of each
step, ascending). Work per step is one update per neuron plus, per input
spike, one row of ``weights`` (the row of that input: event-driven). The
drivers build the event lists, either from spike arrays or by drawing Poisson
spikes directly (geometric inter-spike gaps, so the cost is proportional to
the number of spikes, and no ``(n_samples, n_steps, n_in)`` array is built).

Learning drivers loop over the samples of a batch in order (weights change
after every sample); inference drivers run the samples in parallel with
``prange`` since nothing learns (blocks of samples b, b + 64, ... each own
their buffers; a sample's result does not depend on the split).

Parameter vector ``prm`` (float64), indices below:
"""

import numpy as np
from numba import prange

from .._config import jit
from .._numba._random import next_uniform, stream_seed
from ..encoding._kernels import row_key as _row_key

DECAY_M = 0  # exp(-dt / tau_m)
V_REST = 1
V_RESET = 2
V_THRESH = 3
INHIBITION = 4  # mV removed from every other neuron per spike
THETA_PLUS = 5
THETA_DECAY = 6  # exp(-dt / tau_theta)
NU_PRE = 7
NU_POST = 8
X_TAR = 9
W_MAX = 10
MU = 11
WEIGHT_NORM = 12  # <= 0: no normalisation
REF_STEPS = 13
GAIN = 14  # synaptic gain: mV per unit weight (weight_norm="auto" on sparse codes)
N_PRM = 15


@jit()
def _soft(x, mu):
    # x ** mu with 0 ** 0 == 1 and no pow call in the hard-bound case.
    if mu == 0.0:
        return 1.0
    if x <= 0.0:
        return 0.0
    return x ** mu


@jit()
def _clip(w, w_max):
    if w < 0.0:
        return 0.0
    if w > w_max:
        return w_max
    return w


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
    """Normalise every column of ``weights`` in place (see normalize_columns)."""
    n_neurons = weights.shape[1]
    n_in = weights.shape[0]
    sums = np.zeros(n_neurons)
    for i in range(n_in):
        for j in range(n_neurons):
            sums[j] += weights[i, j]
    cols = np.empty(n_neurons, dtype=np.int64)
    n_cols = 0
    for j in range(n_neurons):
        if sums[j] > 0.0:
            cols[n_cols] = j
            n_cols += 1
    normalize_columns(weights, cols, n_cols, norm, w_max)


@jit()
def _run_sample(step_ptr, ev_idx, n_steps, weights, theta, prm, trace, learn,
                counts, out_spikes, record, eff):
    """Simulate one sample; return the number of input spikes it received.

    ``eff`` (n_steps, n_in) float64 are per-spike synaptic efficacies (a
    dynamic synapse): the spike of input ``i`` at step ``t`` delivers
    ``eff[t, i] * weights[i, :]``; an empty ``(0, 0)`` array delivers the
    weights themselves.

    ``counts`` (n_neurons,) receives the output spike counts; ``out_spikes``
    (n_steps, n_neurons) the spike trains when ``record``. With ``learn``,
    ``weights`` and ``theta`` are updated in place (STDP, homeostasis and
    normalisation of the columns that changed); otherwise both are read only.
    """
    n_in, n_neurons = weights.shape
    decay_m = prm[DECAY_M]
    v_rest = prm[V_REST]
    v_reset = prm[V_RESET]
    v_thresh = prm[V_THRESH]
    inhibition = prm[INHIBITION]
    theta_plus = prm[THETA_PLUS]
    theta_decay = prm[THETA_DECAY]
    nu_pre = prm[NU_PRE]
    nu_post = prm[NU_POST]
    x_tar = prm[X_TAR]
    w_max = prm[W_MAX]
    mu = prm[MU]
    norm = prm[WEIGHT_NORM]
    ref_steps = int(prm[REF_STEPS])
    gain = prm[GAIN]

    v = np.full(n_neurons, v_rest)
    i_in = np.zeros(n_neurons)
    refrac = np.zeros(n_neurons, dtype=np.int64)
    spiked_prev = np.zeros(n_neurons, dtype=np.uint8)
    prev_list = np.empty(n_neurons, dtype=np.int64)
    now_list = np.empty(n_neurons, dtype=np.int64)
    n_prev = 0
    if learn:
        t_last_pre = np.full(n_in, -1, dtype=np.int64)
        pre_list = np.empty(n_in, dtype=np.int64)
        t_last_post = np.full(n_neurons, -1, dtype=np.int64)
        post_list = np.empty(n_neurons, dtype=np.int64)
    else:
        t_last_pre = np.empty(0, dtype=np.int64)
        pre_list = np.empty(0, dtype=np.int64)
        t_last_post = np.empty(0, dtype=np.int64)
        post_list = np.empty(0, dtype=np.int64)
    n_pre = 0
    n_post = 0
    use_eff = eff.shape[0] > 0
    for j in range(n_neurons):
        counts[j] = 0

    for t in range(n_steps):
        # 1. input spikes: deliver the row, then depress (pre after post).
        for e in range(step_ptr[t], step_ptr[t + 1]):
            i = ev_idx[e]
            if use_eff:
                g_e = eff[t, i]
                for j in range(n_neurons):
                    i_in[j] += g_e * weights[i, j]
            else:
                for j in range(n_neurons):
                    i_in[j] += weights[i, j]
            if learn:
                for q in range(n_post):
                    j = post_list[q]
                    w = weights[i, j]
                    w -= nu_pre * trace[t - t_last_post[j]] * _soft(w, mu)
                    weights[i, j] = _clip(w, w_max)
                if t_last_pre[i] < 0:
                    pre_list[n_pre] = i
                    n_pre += 1
                t_last_pre[i] = t

        # 2. membrane update, lateral inhibition from the previous step.
        inh_total = inhibition * n_prev
        n_now = 0
        for j in range(n_neurons):
            if learn:
                theta[j] *= theta_decay
            if refrac[j] > 0:
                refrac[j] -= 1
                i_in[j] = 0.0
                continue
            vj = v_rest + (v[j] - v_rest) * decay_m + gain * i_in[j] - inh_total
            if spiked_prev[j]:
                vj += inhibition
            i_in[j] = 0.0
            if vj > v_thresh + theta[j]:
                vj = v_reset
                refrac[j] = ref_steps
                now_list[n_now] = j
                n_now += 1
            v[j] = vj
        for q in range(n_prev):
            spiked_prev[prev_list[q]] = 0

        # 3. output spikes: homeostasis and potentiation (post after pre).
        for q in range(n_now):
            j = now_list[q]
            spiked_prev[j] = 1
            prev_list[q] = j
            counts[j] += 1
            if record:
                out_spikes[t, j] = 1
            if learn:
                theta[j] += theta_plus
                if x_tar == 0.0:
                    for p in range(n_pre):
                        i = pre_list[p]
                        w = weights[i, j]
                        w += nu_post * trace[t - t_last_pre[i]] * _soft(w_max - w, mu)
                        weights[i, j] = _clip(w, w_max)
                else:
                    for i in range(n_in):
                        x_pre = 0.0
                        if t_last_pre[i] >= 0:
                            x_pre = trace[t - t_last_pre[i]]
                        w = weights[i, j]
                        w += nu_post * (x_pre - x_tar) * _soft(w_max - w, mu)
                        weights[i, j] = _clip(w, w_max)
                if t_last_post[j] < 0:
                    post_list[n_post] = j
                    n_post += 1
                t_last_post[j] = t
        n_prev = n_now

    if learn and norm > 0.0 and n_post > 0:
        normalize_columns(weights, post_list, n_post, norm, w_max)
    return step_ptr[n_steps]


@jit()
def _events_from_spikes(spikes, step_ptr, ev_idx):
    """CSR event list of one sample's spike array (n_steps, n_in), C-contiguous.

    Rows are scanned eight channels at a time (one uint64 word), so silent
    stretches cost one comparison per word.
    """
    n_steps, n_in = spikes.shape
    n_words = n_in // 8
    n = 0
    for t in range(n_steps):
        step_ptr[t] = n
        row = spikes[t]
        if n_words > 0:
            words = row[:n_words * 8].view(np.uint64)
            for k in range(n_words):
                if words[k] != 0:
                    for i in range(8 * k, 8 * k + 8):
                        if row[i]:
                            ev_idx[n] = i
                            n += 1
        for i in range(8 * n_words, n_in):
            if row[i]:
                ev_idx[n] = i
                n += 1
    step_ptr[n_steps] = n


@jit()
def _events_poisson(prob, state, n_steps, step_ptr, ev_idx, ev_step, ev_chan):
    """Draw Bernoulli(prob[i]) spikes for every step; CSR sorted by step.

    The gaps between successes of a Bernoulli process are geometric, so each
    channel costs one uniform per spike: ``gap = floor(log(u) / log(1 - p))``.
    Returns the advanced random state.
    """
    n_in = prob.shape[0]
    n = 0
    for i in range(n_in):
        p = prob[i]
        if p <= 0.0:
            continue
        if p >= 1.0:
            for t in range(n_steps):
                ev_step[n] = t
                ev_chan[n] = i
                n += 1
            continue
        inv_log_q = 1.0 / np.log1p(-p)
        t = -1
        while True:
            state, u = next_uniform(state)
            # compare as float first: for tiny p the gap overflows an int
            gap = np.floor(np.log(1.0 - u) * inv_log_q)
            if gap >= n_steps - 1 - t:
                break
            t += 1 + int(gap)
            ev_step[n] = t
            ev_chan[n] = i
            n += 1
    for t in range(n_steps + 1):
        step_ptr[t] = 0
    for e in range(n):
        step_ptr[ev_step[e] + 1] += 1
    for t in range(n_steps):
        step_ptr[t + 1] += step_ptr[t]
    # Stable scatter: within a step, channels stay ascending.
    fill = step_ptr[:n_steps].copy()
    for e in range(n):
        t = ev_step[e]
        ev_idx[fill[t]] = ev_chan[e]
        fill[t] += 1
    return state


@jit()
def learn_spikes(spikes, weights, theta, prm, trace, counts, in_spikes, eff):
    """Train on spike arrays ``(n_batch, n_steps, n_in)``, samples in order.

    ``eff``: per-spike efficacies of the same shape, or shape (0, 0, 0) for none.
    """
    n_batch, n_steps, n_in = spikes.shape
    step_ptr = np.empty(n_steps + 1, dtype=np.int64)
    ev_idx = np.empty(n_steps * n_in, dtype=np.int32)
    dummy = np.empty((0, 0), dtype=np.uint8)
    no_eff = np.empty((0, 0), dtype=np.float64)
    for s in range(n_batch):
        _events_from_spikes(spikes[s], step_ptr, ev_idx)
        eff_s = eff[s] if eff.shape[0] > 0 else no_eff
        in_spikes[s] = _run_sample(step_ptr, ev_idx, n_steps, weights, theta, prm, trace,
                                   True, counts[s], dummy, False, eff_s)


@jit()
def _scale_prob(prob, factor, out):
    for i in range(prob.shape[0]):
        p = prob[i] * factor
        out[i] = p if p < 1.0 else 1.0


@jit()
def learn_poisson(prob, seed, first_index, n_steps, weights, theta, prm, trace, min_spikes,
                  rate_step, max_presentations, counts, in_spikes, n_presented):
    """Train on Poisson spikes drawn on the fly, samples in order.

    Sample ``s`` uses random stream ``first_index + s`` of ``seed``, so a data
    set presented in several calls gets the same spikes as in one call. A
    sample that makes fewer than ``min_spikes`` output spikes is presented
    again with its rates multiplied by ``1 + k * rate_step`` (k-th repeat,
    learning on), at most ``max_presentations`` times.
    """
    n_batch, n_in = prob.shape
    step_ptr = np.empty(n_steps + 1, dtype=np.int64)
    cap = n_steps * n_in
    ev_idx = np.empty(cap, dtype=np.int32)
    ev_step = np.empty(cap, dtype=np.int32)
    ev_chan = np.empty(cap, dtype=np.int32)
    p_now = np.empty(n_in)
    dummy = np.empty((0, 0), dtype=np.uint8)
    no_eff = np.empty((0, 0), dtype=np.float64)
    for s in range(n_batch):
        state = stream_seed(seed, first_index + s)
        total = 0
        k = 0
        while True:
            _scale_prob(prob[s], 1.0 + k * rate_step, p_now)
            state = _events_poisson(p_now, state, n_steps, step_ptr, ev_idx, ev_step, ev_chan)
            total += _run_sample(step_ptr, ev_idx, n_steps, weights, theta, prm, trace,
                                 True, counts[s], dummy, False, no_eff)
            k += 1
            if k >= max_presentations or counts[s].sum() >= min_spikes:
                break
        in_spikes[s] = total
        n_presented[s] = k


@jit(parallel=True)
def infer_spikes(spikes, weights, theta, prm, trace, counts, in_spikes, out_spikes, record, eff):
    """Frozen network on spike arrays, samples in parallel (``eff`` as in :func:`learn_spikes`)."""
    n_batch, n_steps, n_in = spikes.shape
    n_blocks = max(1, min(n_batch, 64))
    for b in prange(n_blocks):
        step_ptr = np.empty(n_steps + 1, dtype=np.int64)
        ev_idx = np.empty(n_steps * n_in, dtype=np.int32)
        no_eff = np.empty((0, 0), dtype=np.float64)
        for s in range(b, n_batch, n_blocks):
            _events_from_spikes(spikes[s], step_ptr, ev_idx)
            eff_s = eff[s] if eff.shape[0] > 0 else no_eff
            in_spikes[s] = _run_sample(step_ptr, ev_idx, n_steps, weights, theta, prm, trace,
                                       False, counts[s], out_spikes[s], record, eff_s)


@jit(parallel=True)
def infer_poisson(prob, prob_bits, seed, n_steps, weights, theta, prm, trace, min_spikes,
                  rate_step, max_presentations, counts, in_spikes, n_presented, out_total,
                  out_spikes, record):
    """Frozen network on Poisson spikes drawn on the fly, samples in parallel.

    The stream of a sample is keyed by a hash of its spike probabilities, so
    a sample gets the same spikes whatever its position in ``prob``. Repeats
    with raised rates as in :func:`learn_poisson`; the output is that of the
    last presentation, ``out_total`` the output spikes of all presentations.
    """
    n_batch, n_in = prob.shape
    n_blocks = max(1, min(n_batch, 64))
    for b in prange(n_blocks):
        step_ptr = np.empty(n_steps + 1, dtype=np.int64)
        cap = n_steps * n_in
        ev_idx = np.empty(cap, dtype=np.int32)
        ev_step = np.empty(cap, dtype=np.int32)
        ev_chan = np.empty(cap, dtype=np.int32)
        p_now = np.empty(n_in)
        no_eff = np.empty((0, 0), dtype=np.float64)
        for s in range(b, n_batch, n_blocks):
            state = stream_seed(seed, _row_key(prob_bits[s]))
            total = 0
            k = 0
            while True:
                _scale_prob(prob[s], 1.0 + k * rate_step, p_now)
                state = _events_poisson(p_now, state, n_steps, step_ptr, ev_idx, ev_step,
                                        ev_chan)
                if record:
                    out_spikes[s, :, :] = 0
                total += _run_sample(step_ptr, ev_idx, n_steps, weights, theta, prm, trace,
                                     False, counts[s], out_spikes[s], record, no_eff)
                k += 1
                n_out = counts[s].sum()
                out_total[s] += n_out
                if k >= max_presentations or n_out >= min_spikes:
                    break
            in_spikes[s] = total
            n_presented[s] = k
