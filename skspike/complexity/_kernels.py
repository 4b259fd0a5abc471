"""Numba kernels of the Lempel-Ziv complexity: pure functions of arrays.

The LZ76 phrase count is the one defined by the Kaspar & Schuster (1987)
algorithm (the last phrase counted even if it is not new). Their scan costs
up to O(n^2 / log n) comparisons per sequence of length n; here the longest
earlier match of each phrase is found instead

- for sequences of up to ``REGISTER_MAX_STEPS`` (256) symbols, by
  bit-parallel matching in four machine words held in registers
  (``lz76_words``): the set of earlier positions still matching is shifted
  one place per symbol and narrowed by one AND with the bits of that symbol;
  spike-train kernels that already hold a train as words call it directly;
- up to ``BITSET_MAX_STEPS`` symbols, by the same bit-parallel matching on
  arrays of words (the candidate start positions, narrowed by the shifted
  bitset of the next symbol's positions);
- for longer sequences, with a suffix automaton of the parsed prefix, in
  O(n) time and O(n) memory.

All give the Kaspar-Schuster counts (checked against a literal
implementation, the definition and antropy in the tests). ``lz76`` picks
one; ``work`` is the buffers both need, from ``new_work(n)``.
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
def _lz76_count_bits(seq, n, ones, zeros, cand):
    """LZ76 phrase count of ``seq[:n]`` by bit-parallel matching, or -1 if a value exceeds 1.

    Bit ``i`` of ``ones`` (``zeros``) is set where ``seq[i]`` is 1 (0). For
    the phrase starting at ``l`` the candidate set ``cand`` starts as all
    positions ``i < l``; after reading ``seq[l + k]`` it keeps the ``i`` with
    ``seq[i + k] == seq[l + k]``, i.e. ``cand &= (bits of seq[l + k]) >> k``.
    The match has length ``k`` when the set empties at step ``k``; the phrase
    is the match plus one symbol. A match reaching the end is the last
    (counted) phrase. Work buffers: uint64 arrays of ``n // 64 + 2`` words.
    Each step touches ``ceil(l / 64)`` words at most, so the cost is
    ``O(n^2 / 64)`` in the worst case: meant for short sequences.
    """
    n_words = (n + 63) >> 6
    for w in range(n_words + 1):
        ones[w] = 0
    for t in range(n):
        ch = seq[t]
        if ch > 1:
            return -1  # not binary: the wrapper raises
        if ch:
            ones[t >> 6] |= np.uint64(1) << np.uint64(t & 63)
    for w in range(n_words):
        zeros[w] = ~ones[w]
    zeros[n_words] = 0  # padding read by the shifts (positions >= n are never candidates)
    count = 0
    start = 0
    while start < n:
        n_cand = (start + 63) >> 6
        for w in range(n_cand):
            cand[w] = ~np.uint64(0)
        if start & 63:
            cand[n_cand - 1] = (np.uint64(1) << np.uint64(start & 63)) - np.uint64(1)
        k = 0
        while True:
            if start + k == n:
                return count + 1  # the last phrase reaches the end: counted
            bits = ones if seq[start + k] else zeros
            q = k >> 6
            r = np.uint64(k & 63)
            alive = np.uint64(0)
            last = 0
            if r == 0:
                for w in range(n_cand):
                    c = cand[w] & bits[w + q]
                    cand[w] = c
                    if c:
                        alive |= c
                        last = w + 1
            else:
                rl = np.uint64(64) - r
                for w in range(n_cand):
                    c = cand[w] & ((bits[w + q] >> r) | (bits[w + q + 1] << rl))
                    cand[w] = c
                    if c:
                        alive |= c
                        last = w + 1
            if alive == 0:
                break
            n_cand = last
            k += 1
        count += 1
        start += k + 1
    return count


# Longest sequence parsed by bit-parallel matching (16 words of candidates):
# faster than the automaton up to a few thousand symbols, O(n) beyond.
BITSET_MAX_STEPS = 1024
# Longest sequence parsed with the matching set in four registers (lz76_words).
REGISTER_MAX_STEPS = 256


@jit(inline="always")
def _low_bits(start, word):
    """Bits of positions ``0 .. start - 1`` that fall in word ``word`` (64 positions each)."""
    lo = word * 64
    if start >= lo + 64:
        return ~np.uint64(0)
    if start <= lo:
        return np.uint64(0)
    return (np.uint64(1) << np.uint64(start - lo)) - np.uint64(1)


@jit()
def lz76_words(words, n):
    """LZ76 phrase count of a binary sequence of ``n <= 256`` symbols given as bits.

    Bit ``t & 63`` of ``words[t >> 6]`` is symbol ``t`` (``words`` has at
    least four uint64 words; bits at positions ``>= n`` are ignored).

    For the phrase starting at ``l`` the matching set ``E`` holds ``i + k``
    for every earlier start ``i < l`` whose next ``k`` symbols equal
    ``seq[l:l + k]``. Reading symbol ``s = seq[l + k]`` keeps the positions
    holding ``s`` (one AND with the bits of ``s``: the ones, or their
    complement) and moves them one place on (a 256-bit shift by one). The
    match has length ``k`` when ``E`` empties at step ``k``; the phrase is
    the match plus one symbol, and a match reaching the end is the last
    (counted) phrase. Positions in ``E`` stay below ``l + k < n``. The four
    words of ``E`` and of the sequence stay in registers: about a dozen
    integer operations per symbol, without branches on the data except the
    end of a phrase.
    """
    if n <= 64:
        return _lz76_word(words[0], n)
    o0 = words[0]
    o1 = words[1]
    o2 = words[2]
    o3 = words[3]
    one = np.uint64(1)
    top = np.uint64(63)
    count = 0
    start = 0
    while start < n:
        e0 = _low_bits(start, 0)
        e1 = _low_bits(start, 1)
        e2 = _low_bits(start, 2)
        e3 = _low_bits(start, 3)
        j = start
        while True:
            if j == n:
                return count + 1  # the last phrase reaches the end: counted
            # all ones for a 0 symbol (keep the zeros: complement), 0 for a 1
            flip = ((words[j >> 6] >> np.uint64(j & 63)) & one) - one
            e0 &= o0 ^ flip
            e1 &= o1 ^ flip
            e2 &= o2 ^ flip
            e3 &= o3 ^ flip
            if (e0 | e1 | e2 | e3) == 0:
                break
            e3 = (e3 << one) | (e2 >> top)
            e2 = (e2 << one) | (e1 >> top)
            e1 = (e1 << one) | (e0 >> top)
            e0 = e0 << one
            j += 1
        count += 1
        start = j + 1
    return count


@jit()
def _lz76_word(o, n):
    """``lz76_words`` for ``n <= 64`` symbols: the sequence and the matching set in one word each."""
    one = np.uint64(1)
    count = 0
    start = 0
    while start < n:
        e = _low_bits(start, 0)
        j = start
        while True:
            if j == n:
                return count + 1
            e &= o ^ (((o >> np.uint64(j)) & one) - one)
            if e == 0:
                break
            e = e << one
            j += 1
        count += 1
        start = j + 1
    return count


@jit()
def _seq_to_words(seq, n, words):
    """Bits of ``seq[:n]`` into ``words`` (zero-padded to four words); False if a value exceeds 1."""
    n_words = max((n + 63) >> 6, 4)
    for w in range(n_words):
        words[w] = 0
    for t in range(n):
        ch = seq[t]
        if ch > 1:
            return False
        if ch:
            words[t >> 6] |= np.uint64(1) << np.uint64(t & 63)
    return True


@jit()
def new_work(n):
    """Work buffers of ``lz76`` for sequences of up to ``n`` symbols."""
    n_words = max((n + 63) // 64 + 2, 4)
    if n <= BITSET_MAX_STEPS:
        size = 1
    else:
        size = n
    nxt = np.empty(4 * size + 2, dtype=np.int32)
    link = np.empty(2 * size + 1, dtype=np.int32)
    length = np.empty(2 * size + 1, dtype=np.int32)
    bits = np.empty((3, n_words), dtype=np.uint64)
    return nxt, link, length, bits


@jit()
def lz76(seq, n, nxt, link, length, bits):
    """LZ76 phrase count of ``seq[:n]`` (-1 if a value exceeds 1); buffers from ``new_work``."""
    if n <= REGISTER_MAX_STEPS:
        if not _seq_to_words(seq, n, bits[0]):
            return -1  # not binary: the wrapper raises
        return lz76_words(bits[0], n)
    if n <= BITSET_MAX_STEPS:
        return _lz76_count_bits(seq, n, bits[0], bits[1], bits[2])
    return _lz76_count(seq, n, nxt, link, length)


@jit()
def lzc_one(seq):
    """Phrase count of one 1-D uint8 sequence (serial: no thread start-up)."""
    n = seq.shape[0]
    nxt, link, length, bits = new_work(n)
    return lz76(seq, n, nxt, link, length, bits)


@jit(parallel=True)
def lzc_rows(x):
    """Phrase counts of every row of ``x``, a C-contiguous (n_seq, n_steps) uint8 array."""
    n_seq, n_steps = x.shape
    out = np.empty(n_seq, dtype=np.int64)
    n_tasks = (n_seq + _ROWS_PER_TASK - 1) // _ROWS_PER_TASK
    for task in prange(n_tasks):
        nxt, link, length, bits = new_work(n_steps)
        stop = min(n_seq, (task + 1) * _ROWS_PER_TASK)
        for r in range(task * _ROWS_PER_TASK, stop):
            out[r] = lz76(x[r], n_steps, nxt, link, length, bits)
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
        nxt, link, length, bits = new_work(n_steps)
        for t in range(n_steps):
            for j in range(n_inner):
                buf[j, t] = x[o, t, j]
        for j in range(n_inner):
            out[o, j] = lz76(buf[j], n_steps, nxt, link, length, bits)
    return out
