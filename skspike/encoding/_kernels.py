"""Numba kernels of the encoders: pure functions of arrays and scalars."""

import numpy as np
from numba import prange

from .._config import jit
from .._numba._random import next_uint64, stream_seed

_LOW32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)


@jit(parallel=True)
def poisson_kernel(prob, n_steps, seed):
    """Bernoulli spikes: ``spikes[s, t, c] = (u < prob[s, c])``.

    ``prob`` is ``(n_samples, n_channels)`` float64 in [0, 1]. Each sample has
    its own random stream, so the result depends only on ``seed``. One 64-bit
    draw yields two 32-bit uniforms; p is resolved to 2**-32.
    """
    n_samples, n_channels = prob.shape
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
        state = stream_seed(seed, s)
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
