"""Slow, obviously-correct reference implementations of the encoders.

Plain Python/NumPy loops written straight from the definitions in the
docstrings, used to check the numba kernels.
"""

import math

import numpy as np


def rate(intensities, max_rate, dt, n_steps):
    n_samples, n_features = intensities.shape
    out = np.zeros((n_samples, n_steps, n_features), dtype=np.uint8)
    for s in range(n_samples):
        for c in range(n_features):
            p = min(1.0, intensities[s, c] * max_rate * dt / 1000.0)
            n = int(round(p * n_steps))
            for j in range(n):
                t = math.floor((2 * j + 1) * n_steps / (2 * n))
                out[s, t, c] = 1
    return out


def latency_linear(intensities, threshold, n_steps):
    n_samples, n_features = intensities.shape
    out = np.zeros((n_samples, n_steps, n_features), dtype=np.uint8)
    for s in range(n_samples):
        for c in range(n_features):
            x = intensities[s, c]
            if x > threshold:
                out[s, int(round((1 - x) * ((n_steps - 1) / (1 - threshold)))), c] = 1
    return out


def latency_rc(intensities, threshold, tau, dt, n_steps, substeps=2000):
    """Integrate ``tau dv/dt = -v + x`` exactly per sub-step; spike at the first
    sub-step where ``v >= threshold``. Returns the step index per channel or -1."""
    n_samples, n_features = intensities.shape
    steps = np.full((n_samples, n_features), -1)
    h = dt / substeps
    decay = math.exp(-h / tau)
    for s in range(n_samples):
        for c in range(n_features):
            x = intensities[s, c]
            v = 0.0
            for k in range(n_steps * substeps):
                v = x + (v - x) * decay
                if v >= threshold:
                    steps[s, c] = k // substeps
                    break
    return steps


def phase(intensities, n_bits, n_steps):
    n_samples, n_features = intensities.shape
    out = np.zeros((n_samples, n_steps, n_features), dtype=np.uint8)
    for s in range(n_samples):
        for c in range(n_features):
            q = min(int(math.floor(intensities[s, c] * 2**n_bits)), 2**n_bits - 1)
            bits = format(q, f"0{n_bits}b")  # most significant bit first
            for t in range(n_steps):
                out[s, t, c] = int(bits[t % n_bits])
    return out


def bohte_fields(n_receptive, beta):
    """Centres and width of Bohte et al. (2002) on the range [0, 1], i = 1..m."""
    m = n_receptive
    centers = [(2 * i - 3) / 2 * (1.0 / (m - 2)) for i in range(1, m + 1)]
    sigma = 1.0 / beta * (1.0 / (m - 2))
    return np.array(centers), sigma


def population_responses(intensities, n_receptive, beta):
    centers, sigma = bohte_fields(n_receptive, beta)
    n_samples, n_features = intensities.shape
    out = np.zeros((n_samples, n_features * n_receptive))
    for s in range(n_samples):
        for f in range(n_features):
            for i in range(n_receptive):
                d = intensities[s, f] - centers[i]
                out[s, f * n_receptive + i] = math.exp(-d * d / (2 * sigma * sigma))
    return out


def delta(series, threshold):
    n_samples, n_steps, n_channels = series.shape
    out = np.zeros((n_samples, n_steps, 2 * n_channels), dtype=np.uint8)
    for s in range(n_samples):
        for c in range(n_channels):
            ref = series[s, 0, c]
            for t in range(1, n_steps):
                x = series[s, t, c]
                if x - ref > threshold:
                    out[s, t, 2 * c] = 1
                    ref = x
                elif ref - x > threshold:
                    out[s, t, 2 * c + 1] = 1
                    ref = x
    return out


def bsa(signal, fir, threshold):
    """BSA on one 1-D signal in [0, 1] (Schrauwen & Van Campenhout 2003),
    threshold scaled by the filter mass inside the (possibly truncated) window."""
    resid = np.array(signal, dtype=float)
    n, n_taps = len(resid), len(fir)
    out = np.zeros(n, dtype=np.uint8)
    for t in range(n):
        m = min(n_taps, n - t)
        err_spike = sum(abs(resid[t + j] - fir[j]) for j in range(m))
        err_none = sum(abs(resid[t + j]) for j in range(m))
        if err_spike <= err_none - threshold * sum(fir[:m]):
            out[t] = 1
            for j in range(m):
                resid[t + j] -= fir[j]
    return out


def fir_reconstruct(spikes, fir):
    """``rec[t] = sum_j fir[j] * spikes[t - j]`` for a 1-D train."""
    n = len(spikes)
    rec = np.zeros(n)
    for t in range(n):
        for j in range(len(fir)):
            if t - j >= 0:
                rec[t] += fir[j] * spikes[t - j]
    return rec


# --- Poisson: the generator's stream layout, in Python integers --------------
_M64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def splitmix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def stream_seed(seed, index):
    return splitmix((seed * _GOLDEN + splitmix((index + _GOLDEN) & _M64)) & _M64)


def row_key(prob):
    """Hash of a row's float64 bit patterns (the kernels' ``row_key``)."""
    h = 0x243F6A8885A308D3
    for bits in np.ascontiguousarray(prob, dtype=np.float64).view(np.uint64):
        h = splitmix(h ^ int(bits))
    return h


def poisson_train(prob, key, n_steps, compare_min_p):
    """One sample's spikes ``(n_steps, n_channels)`` as documented in ``poisson_draw``.

    Channel ``c`` reads stream ``stream_seed(key, c)``: state ``z`` advances
    by the golden gamma and each draw is ``splitmix(z)``. At
    ``p >= compare_min_p`` word ``k`` decides steps ``2k`` (low 32 bits) and
    ``2k + 1`` (high 32 bits) by ``bits < floor(p 2**32)``; below it the
    gaps are ``floor(log(1 - u) / log1p(-p))`` with ``u`` the top 53 bits.
    """
    out = np.zeros((n_steps, len(prob)), dtype=np.uint8)
    for c, p in enumerate(prob):
        if p <= 0.0:
            continue
        z = stream_seed(key, c)
        if p >= compare_min_p:
            thresh = 1 << 32 if p >= 1.0 else int(p * 4294967296.0)
            for t in range(n_steps):
                if t % 2 == 0:
                    z = (z + _GOLDEN) & _M64
                    bits = splitmix(z)
                half = bits & 0xFFFFFFFF if t % 2 == 0 else bits >> 32
                out[t, c] = half < thresh
            continue
        inv_log_q = 1.0 / math.log1p(-p)
        t = -1
        while True:
            z = (z + _GOLDEN) & _M64
            u = (splitmix(z) >> 11) * (1.0 / 9007199254740992.0)
            gap = math.floor(math.log(1.0 - u) * inv_log_q)
            if t + 1 + gap >= n_steps:
                break
            t += 1 + gap
            out[t, c] = 1
    return out


def poisson(prob, n_steps, seed, compare_min_p):
    """PoissonEncoder's spikes of probabilities ``prob`` (n_samples, n_channels)."""
    return np.stack([poisson_train(row, stream_seed(seed, row_key(row)), n_steps, compare_min_p)
                     for row in prob])
