"""Numba kernels of the Lempel-Ziv complexity: pure functions of arrays.

The LZ76 phrase count is the one defined by the Kaspar & Schuster (1987)
algorithm (the last phrase counted even if it is not new). Their scan costs
up to O(n^2 / log n) comparisons per sequence of length n; here the longest
earlier match of each phrase is found with a suffix automaton of the parsed
prefix instead, in O(n) time and O(n) memory, giving the same counts
(checked against a literal Kaspar-Schuster implementation and antropy in
the tests).
"""

import numpy as np
from numba import prange

from .._config import jit

# Sequences per parallel task in lzc_rows: amortises the buffer allocation.
_ROWS_PER_TASK = 16


@jit()
def _lz76_count(seq, n, nxt, link, length):
    """LZ76 phrase count of ``seq[:n]`` (values 0/1), or -1 if a value exceeds 1.

    The phrase starting at ``l`` is the longest prefix of ``seq[l:]`` that
    occurs starting before ``l`` (overlaps allowed), plus one symbol.
    ``seq[l:l+m]`` occurs starting before ``l`` iff it is a substring of
    ``seq[:l+m-1]``, so a suffix automaton of the prefix read so far, grown one
    symbol per step, answers "can the match grow by ``seq[j]``?" by one
    transition. ``nxt`` (transitions, ``nxt[2 * state + symbol]``, size 4n+2),
    ``link`` and ``length`` (size 2n+1) are int32 work buffers of the
    automaton (Blumer et al. 1985).
    """
    nxt[0] = -1
    nxt[1] = -1
    link[0] = -1
    length[0] = 0
    size = 1
    last = 0
    count = 0
    state = 0  # automaton state of the current match seq[j - match_len:j]
    match_len = 0
    for j in range(n):
        ch = np.intp(seq[j])
        if ch > 1:
            return -1  # not binary: the wrapper raises
        target = nxt[2 * state + ch]
        if target >= 0:
            match_len += 1
            if j + 1 == n:
                return count + 1  # the last phrase reaches the end: counted
            state = target
        else:
            count += 1  # seq[j] ends a phrase
            state = 0
            match_len = 0
            if j + 1 == n:
                return count
        # append seq[j] to the automaton
        cur = size
        size += 1
        length[cur] = length[last] + 1
        nxt[2 * cur] = -1
        nxt[2 * cur + 1] = -1
        p = last
        while p != -1 and nxt[2 * p + ch] == -1:
            nxt[2 * p + ch] = cur
            p = link[p]
        if p == -1:
            link[cur] = 0
        else:
            q = nxt[2 * p + ch]
            if length[p] + 1 == length[q]:
                link[cur] = q
            else:
                clone = size
                size += 1
                length[clone] = length[p] + 1
                nxt[2 * clone] = nxt[2 * q]
                nxt[2 * clone + 1] = nxt[2 * q + 1]
                link[clone] = link[q]
                while p != -1 and nxt[2 * p + ch] == q:
                    nxt[2 * p + ch] = clone
                    p = link[p]
                link[q] = clone
                link[cur] = clone
                # the short strings of q, our match among them, moved to the clone
                if state == q and match_len <= length[clone]:
                    state = clone
        last = cur
    return count


@jit()
def lzc_one(seq):
    """Phrase count of one 1-D uint8 sequence (serial: no thread start-up)."""
    n = seq.shape[0]
    nxt = np.empty(4 * n + 2, dtype=np.int32)
    link = np.empty(2 * n + 1, dtype=np.int32)
    length = np.empty(2 * n + 1, dtype=np.int32)
    return _lz76_count(seq, n, nxt, link, length)


@jit(parallel=True)
def lzc_rows(x):
    """Phrase counts of every row of ``x``, a C-contiguous (n_seq, n_steps) uint8 array."""
    n_seq, n_steps = x.shape
    out = np.empty(n_seq, dtype=np.int64)
    n_tasks = (n_seq + _ROWS_PER_TASK - 1) // _ROWS_PER_TASK
    for task in prange(n_tasks):
        nxt = np.empty(4 * n_steps + 2, dtype=np.int32)
        link = np.empty(2 * n_steps + 1, dtype=np.int32)
        length = np.empty(2 * n_steps + 1, dtype=np.int32)
        stop = min(n_seq, (task + 1) * _ROWS_PER_TASK)
        for r in range(task * _ROWS_PER_TASK, stop):
            out[r] = _lz76_count(x[r], n_steps, nxt, link, length)
    return out


@jit(parallel=True)
def lzc_middle_axis(x):
    """Phrase counts along axis 1 of a C-contiguous (n_outer, n_steps, n_inner) uint8 array.

    Spike arrays ``(n_samples, n_steps, n_channels)`` are the main case: each
    sample is transposed once into a per-task buffer so that every channel's
    train is contiguous for the scan.
    """
    n_outer, n_steps, n_inner = x.shape
    out = np.empty((n_outer, n_inner), dtype=np.int64)
    for o in prange(n_outer):
        buf = np.empty((n_inner, n_steps), dtype=np.uint8)
        nxt = np.empty(4 * n_steps + 2, dtype=np.int32)
        link = np.empty(2 * n_steps + 1, dtype=np.int32)
        length = np.empty(2 * n_steps + 1, dtype=np.int32)
        for t in range(n_steps):
            for j in range(n_inner):
                buf[j, t] = x[o, t, j]
        for j in range(n_inner):
            out[o, j] = _lz76_count(buf[j], n_steps, nxt, link, length)
    return out
