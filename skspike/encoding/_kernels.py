"""Numba kernels of the encoders: pure functions of arrays and scalars.

Poisson spikes have one generator, :func:`poisson_draw`: one sample's
spikes from its keyed random stream, written densely (:func:`poisson_kernel`,
the kernel of PoissonEncoder and PopulationEncoder) or as an event list
(:func:`poisson_events`, the CSR list STDPFeatureExtractor's fused Poisson
path feeds the layer loop). Both forms hold the same spikes for the same
key. Besides the dense encoders, :func:`events_from_spikes` makes the CSR
event list of a spike array, the input of the event-driven layer loop
(``skspike.neurons._kernels.run_events``).
"""

import numpy as np
from numba import prange

from .._config import jit
from .._numba._random import _mix, next_uint64, next_uniform, stream_seed

_LOW32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# A channel with at least this spike probability per step draws its steps by
# threshold compares, two steps per 64-bit word (about 1 ns a step); a rarer
# one draws the geometric gaps between its spikes, one uniform and one log
# per spike (about 10 ns a spike), cheaper below p ~ 0.1. Measured on the
# encoder benchmark's rates (mean p 0.34) and STDP's (p <= 0.064).
_COMPARE_MIN_P = 0.1


@jit()
def row_key(bits):
    """Hash of one sample's values (their float64 bit patterns, as uint64).

    Stochastic kernels start a sample's random stream at
    ``stream_seed(seed, row_key(bits))``: the spikes of a sample then depend
    on its content and the seed only, never on the other samples of the call,
    its position or the number of threads.
    """
    h = np.uint64(0x243F6A8885A308D3)
    for i in range(bits.shape[0]):
        h = _mix(h ^ bits[i])
    return h


@jit()
def _threshold(p):
    """32-bit compare threshold of probability ``p``: ``u32 < threshold`` has probability p."""
    if p >= 1.0:
        return np.uint64(0xFFFFFFFF) + np.uint64(1)
    return np.uint64(p * 4294967296.0)


@jit()
def poisson_draw(prob, key, n_steps, out, ev_step, ev_chan):
    """Bernoulli spikes of one sample: channel ``c`` spikes in each step with probability ``prob[c]``.

    The one Poisson generator of the package. Channel ``c`` draws from its
    own stream ``stream_seed(key, c)``. With ``prob[c] < _COMPARE_MIN_P``
    it draws the gaps between its spikes, geometric with
    ``P(gap = g) = (1 - p)**g p``, as ``floor(log(1 - u) / log(1 - p))``
    from one 53-bit uniform ``u`` per spike; otherwise word ``k`` of the
    stream gives steps ``2k`` (low 32 bits) and ``2k + 1`` (high 32 bits) by
    ``bits < p * 2**32``. Either way a channel's spikes in the first ``m``
    steps do not depend on ``n_steps >= m`` (a longer train extends a
    shorter one) and channels are independent. ``prob`` is float64 in
    [0, 1], one sample's channels.

    Dense form: ``out`` of shape ``(n_steps, n_channels)`` uint8 receives
    the spikes (every element is written); returns 0. Event form: ``out``
    of shape ``(0, 0)``; the spikes are appended to ``ev_step`` (step) and
    ``ev_chan`` (channel), channel by channel, steps ascending within a
    channel (capacity ``n_steps * n_channels``); returns their number. The
    two forms hold the same spikes for the same ``key``.
    """
    n_ch = prob.shape[0]
    dense = out.shape[0] > 0
    n_compare = 0
    for c in range(n_ch):
        n_compare += prob[c] >= _COMPARE_MIN_P
    if dense and n_compare == 0:
        out[:, :] = 0
    elif dense:
        # steps of the compare channels, row by row (two rows per word, a loop
        # over channels that vectorises); every other channel is written 0
        # here, its spikes below
        base = np.empty(n_ch, dtype=np.uint64)
        thresh = np.zeros(n_ch, dtype=np.uint64)
        for c in range(n_ch):
            base[c] = stream_seed(key, c)
            if prob[c] >= _COMPARE_MIN_P:
                thresh[c] = _threshold(prob[c])
        counter = np.uint64(0)
        t = 0
        while t < n_steps:
            counter += _GOLDEN
            row = out[t]
            if t + 1 < n_steps:
                row_next = out[t + 1]
                for c in range(n_ch):
                    bits = _mix(base[c] + counter)
                    row[c] = (bits & _LOW32) < thresh[c]
                    row_next[c] = (bits >> _S32) < thresh[c]
            else:
                for c in range(n_ch):
                    row[c] = (_mix(base[c] + counter) & _LOW32) < thresh[c]
            t += 2
    n = 0
    scratch = np.empty(n_steps if dense else 0, dtype=np.int32)
    for c in range(n_ch):
        p = prob[c]
        if p <= 0.0 or (dense and p >= _COMPARE_MIN_P):
            continue
        state = stream_seed(key, c)
        if dense:
            for j in range(_geometric_steps(state, p, n_steps, scratch, 0)):
                out[scratch[j], c] = 1
            continue
        if p >= _COMPARE_MIN_P:
            end = _compare_steps(state, _threshold(p), n_steps, ev_step, n)
        else:
            end = _geometric_steps(state, p, n_steps, ev_step, n)
        ev_chan[n:end] = c
        n = end
    return n


@jit()
def _geometric_steps(state, p, n_steps, steps, n):
    """Write the spike steps of a Bernoulli(p) train, ``0 < p < 1``, to ``steps[n:]``; return the end.

    The gaps between spikes are geometric: one uniform and one log per spike.
    """
    inv_log_q = 1.0 / np.log1p(-p)
    t = -1
    while True:
        state, u = next_uniform(state)
        # compare as float first: for tiny p the gap overflows an int
        gap = np.floor(np.log(1.0 - u) * inv_log_q)
        if gap >= n_steps - 1 - t:
            return n
        t += 1 + int(gap)
        steps[n] = t
        n += 1


@jit()
def _compare_steps(state, thresh, n_steps, steps, n):
    """Write the steps ``t`` with ``half_t < thresh`` to ``steps[n:]``; return the end.

    Word ``k`` of the stream holds steps ``2k`` (low 32 bits) and ``2k + 1``.
    """
    for t in range(0, n_steps, 2):
        state, bits = next_uint64(state)
        steps[n] = t
        n += (bits & _LOW32) < thresh
        if t + 1 < n_steps:
            steps[n] = t + 1
            n += (bits >> _S32) < thresh
    return n


@jit(parallel=True)
def poisson_kernel(prob, n_steps, seed):
    """Bernoulli spikes ``(n_samples, n_steps, n_channels)`` uint8 of ``prob``, by :func:`poisson_draw`.

    ``prob`` is ``(n_samples, n_channels)`` float64 in [0, 1], C-contiguous.
    Sample ``s`` draws from key ``stream_seed(seed, row_key(prob[s]))``
    (:func:`row_key`), so a row's spikes do not depend on the other rows,
    its position or the number of threads.
    """
    n_samples, n_channels = prob.shape
    prob_bits = prob.view(np.uint64)
    out = np.empty((n_samples, n_steps, n_channels), dtype=np.uint8)
    no_events = np.empty(0, dtype=np.int32)
    for s in prange(n_samples):
        poisson_draw(prob[s], stream_seed(seed, row_key(prob_bits[s])), n_steps, out[s],
                     no_events, no_events)
    return out


@jit(parallel=True)
def rate_kernel(counts, n_steps):
    """Evenly spaced spikes: ``counts[s, c]`` spikes spread over ``n_steps``.

    Spike ``j`` of ``n`` falls on step ``floor((2 j + 1) n_steps / (2 n))``,
    the centre of the j-th of ``n`` equal slices of the window, in exact
    integer arithmetic. ``counts`` is ``(n_samples, n_channels)`` int64 in
    ``[0, n_steps]``.
    """
    n_samples, n_channels = counts.shape
    out = np.zeros((n_samples, n_steps, n_channels), dtype=np.uint8)
    for s in prange(n_samples):
        for c in range(n_channels):
            n = counts[s, c]
            for j in range(n):
                out[s, ((2 * j + 1) * n_steps) // (2 * n), c] = 1
    return out


@jit(parallel=True)
def latency_kernel(steps, n_steps):
    """One spike per channel at ``steps[s, c]``; a negative step or one at or
    beyond ``n_steps`` means no spike. ``steps`` is int64
    ``(n_samples, n_channels)``."""
    n_samples, n_channels = steps.shape
    out = np.zeros((n_samples, n_steps, n_channels), dtype=np.uint8)
    for s in prange(n_samples):
        for c in range(n_channels):
            t = steps[s, c]
            if 0 <= t < n_steps:
                out[s, t, c] = 1
    return out


@jit(parallel=True)
def phase_kernel(levels, n_bits, n_steps):
    """Weighted phase code: step ``t`` carries bit ``n_bits - 1 - t % n_bits``
    of the integer level (most significant bit first), periodically.
    ``levels`` is int64 ``(n_samples, n_channels)`` in ``[0, 2**n_bits)``."""
    n_samples, n_channels = levels.shape
    out = np.empty((n_samples, n_steps, n_channels), dtype=np.uint8)
    for s in prange(n_samples):
        for t in range(n_steps):
            shift = n_bits - 1 - t % n_bits
            for c in range(n_channels):
                out[s, t, c] = (levels[s, c] >> shift) & 1
    return out


@jit(parallel=True)
def delta_kernel(series, threshold):
    """Send-on-delta ON/OFF spikes of ``series`` ``(n_samples, n_steps, n_channels)``.

    The reference starts at the first value; when ``x[t] - ref > threshold``
    channel ``2c`` (ON) spikes, when ``ref - x[t] > threshold`` channel
    ``2c + 1`` (OFF) spikes, and the reference becomes ``x[t]``.
    """
    n_samples, n_steps, n_channels = series.shape
    out = np.zeros((n_samples, n_steps, 2 * n_channels), dtype=np.uint8)
    for s in prange(n_samples):
        ref = np.empty(n_channels)
        for c in range(n_channels):
            ref[c] = series[s, 0, c]
        for t in range(1, n_steps):
            for c in range(n_channels):
                x = series[s, t, c]
                if x - ref[c] > threshold:
                    out[s, t, 2 * c] = 1
                    ref[c] = x
                elif ref[c] - x > threshold:
                    out[s, t, 2 * c + 1] = 1
                    ref[c] = x
    return out


@jit(parallel=True)
def bsa_kernel(series, fir, threshold):
    """Ben's Spiker Algorithm (Schrauwen & Van Campenhout 2003).

    At each step ``t`` the filter ``fir`` is compared with the residual signal
    ahead, ``r[t:t+F]``: if subtracting it lowers the summed absolute error by
    at least ``threshold`` times the filter mass in the window, i.e.
    ``sum|r - fir| <= sum|r| - threshold * sum(fir)``, a spike is emitted and
    the filter subtracted. Near the end the window and its mass are
    truncated, so the last steps are coded like the others. ``series`` is
    ``(n_samples, n_steps, n_channels)`` float64, normally in [0, 1]; it is
    not modified.
    """
    n_samples, n_steps, n_channels = series.shape
    n_taps = fir.shape[0]
    out = np.zeros((n_samples, n_steps, n_channels), dtype=np.uint8)
    # required gain per window length m: threshold * sum(fir[:m])
    gain = np.empty(n_taps + 1)
    gain[0] = 0.0
    for j in range(n_taps):
        gain[j + 1] = gain[j] + fir[j]
    gain *= threshold
    for s in prange(n_samples):
        resid = np.empty(n_steps)
        for c in range(n_channels):
            for t in range(n_steps):
                resid[t] = series[s, t, c]
            for t in range(n_steps):
                m = min(n_taps, n_steps - t)
                err_spike = 0.0
                err_none = 0.0
                for j in range(m):
                    err_spike += abs(resid[t + j] - fir[j])
                    err_none += abs(resid[t + j])
                if err_spike <= err_none - gain[m]:
                    out[s, t, c] = 1
                    for j in range(m):
                        resid[t + j] -= fir[j]
    return out


@jit()
def events_from_spikes(spikes, step_ptr, ev_idx):
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
def poisson_events(prob, key, n_steps, step_ptr, ev_idx, ev_step, ev_chan):
    """The spikes of :func:`poisson_draw` as a CSR event list sorted by step.

    Step ``t`` holds channels ``ev_idx[step_ptr[t]:step_ptr[t + 1]]``,
    ascending, as :func:`events_from_spikes` lists the dense spikes of the
    same key. ``ev_step`` and ``ev_chan`` are scratch of capacity
    ``n_steps * n_channels`` like ``ev_idx``. Returns the number of spikes.
    """
    n = poisson_draw(prob, key, n_steps, np.empty((0, 0), dtype=np.uint8), ev_step, ev_chan)
    for t in range(n_steps + 1):
        step_ptr[t] = 0
    for e in range(n):
        step_ptr[ev_step[e] + 1] += 1
    for t in range(n_steps):
        step_ptr[t + 1] += step_ptr[t]
    # Stable scatter: the events come channel by channel, so within a step
    # the channels stay ascending.
    fill = step_ptr[:n_steps].copy()
    for e in range(n):
        t = ev_step[e]
        ev_idx[fill[t]] = ev_chan[e]
        fill[t] += 1
    return n


@jit()
def scale_prob(prob, factor, out):
    """``out = min(prob * factor, 1)`` (raised rates of a repeated presentation)."""
    for i in range(prob.shape[0]):
        p = prob[i] * factor
        out[i] = p if p < 1.0 else 1.0
