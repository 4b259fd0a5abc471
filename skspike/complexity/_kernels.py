"""Numba kernels of the Lempel-Ziv complexity: pure functions of arrays."""

import numpy as np
from numba import prange

from .._config import jit


@jit(inline="always")
def _lz76_count(seq, n):
    """LZ76 phrase count of ``seq[:n]`` (uint8 0/1), Kaspar & Schuster (1987).

    ``l`` is the length of the parsed prefix, ``i`` the start of the candidate
    source in it, ``k`` the current match length + 1 and ``k_max`` the longest
    match found for the phrase starting at ``l``. The last phrase is counted
    even if it is not new, as in the original algorithm.
    """
    if n <= 1:
        return n
    c = 1
    l = 1
    k_max = 1
    i = 0
    while True:
        k = 1
        while seq[i + k - 1] == seq[l + k - 1]:
            k += 1
            if l + k > n:
                return c + 1
        if k > k_max:
            k_max = k
        i += 1
        if i == l:
            c += 1
            l += k_max
            if l + 1 > n:
                return c
            i = 0
            k_max = 1


@jit(parallel=True)
def lzc_rows(x):
    """Phrase counts of every row of ``x``, a C-contiguous (n_seq, n_steps) uint8 array."""
    n_seq, n_steps = x.shape
    out = np.empty(n_seq, dtype=np.int64)
    for r in prange(n_seq):
        out[r] = _lz76_count(x[r], n_steps)
    return out


@jit(parallel=True)
def lzc_middle_axis(x):
    """Phrase counts along axis 1 of a C-contiguous (n_outer, n_steps, n_inner) uint8 array.

    Spike arrays ``(n_samples, n_steps, n_channels)`` are the main case: each
    sample is transposed once into a per-thread buffer so that every channel's
    train is contiguous for the scan.
    """
    n_outer, n_steps, n_inner = x.shape
    out = np.empty((n_outer, n_inner), dtype=np.int64)
    for o in prange(n_outer):
        buf = np.empty((n_inner, n_steps), dtype=np.uint8)
        for t in range(n_steps):
            for j in range(n_inner):
                buf[j, t] = x[o, t, j]
        for j in range(n_inner):
            out[o, j] = _lz76_count(buf[j], n_steps)
    return out
