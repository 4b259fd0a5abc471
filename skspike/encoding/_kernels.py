"""Numba kernels of the encoders: pure functions of arrays and scalars.

Besides the dense encoders, the event lists the event-driven layer loop
(``skspike.neurons._kernels.run_events``) reads: :func:`events_from_spikes`
(CSR list of a spike array) and :func:`poisson_events` (Bernoulli spikes
drawn straight into a CSR list, one uniform per spike).
"""

import numpy as np
from numba import prange

from .._config import jit
from .._numba._random import _mix, next_uint64, next_uniform, stream_seed

_LOW32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)


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


@jit(parallel=True)
def poisson_kernel(prob, n_steps, seed):
    """Bernoulli spikes: ``spikes[s, t, c] = (u < prob[s, c])``.

    ``prob`` is ``(n_samples, n_channels)`` float64 in [0, 1], C-contiguous.
    Each sample's random stream is keyed on its probabilities and ``seed``
    (:func:`row_key`), so a row's spikes do not depend on the other rows or
    on its position. One 64-bit draw yields two 32-bit uniforms; p is
    resolved to 2**-32.
    """
    n_samples, n_channels = prob.shape
    prob_bits = prob.view(np.uint64)
    out = np.empty((n_samples, n_steps, n_channels), dtype=np.uint8)
    scale = 4294967296.0
    for s in prange(n_samples):
        thresh = np.empty(n_channels, dtype=np.uint64)
        for c in range(n_channels):
            p = prob[s, c]
            if p >= 1.0:
                thresh[c] = np.uint64(0xFFFFFFFF) + np.uint64(1)
            else:
                thresh[c] = np.uint64(p * scale)
        state = stream_seed(seed, row_key(prob_bits[s]))
        for t in range(n_steps):
            c = 0
            while c + 1 < n_channels:
                state, bits = next_uint64(state)
                out[s, t, c] = (bits & _LOW32) < thresh[c]
                out[s, t, c + 1] = (bits >> _S32) < thresh[c + 1]
                c += 2
            if c < n_channels:
                state, bits = next_uint64(state)
                out[s, t, c] = (bits & _LOW32) < thresh[c]
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
def poisson_events(prob, state, n_steps, step_ptr, ev_idx, ev_step, ev_chan):
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
def scale_prob(prob, factor, out):
    for i in range(prob.shape[0]):
        p = prob[i] * factor
        out[i] = p if p < 1.0 else 1.0
