"""Slow, literal reference implementations for tests/test_complexity.py."""

import numpy as np


def lz76_kaspar_schuster(seq):
    """LZ76 phrase count, Kaspar & Schuster (1987), transcribed line by line."""
    s = [int(v) for v in seq]
    n = len(s)
    if n <= 1:
        return n
    c, l, i, k, k_max = 1, 1, 0, 1, 1
    while True:
        if s[i + k - 1] == s[l + k - 1]:
            k += 1
            if l + k > n:
                c += 1
                break
        else:
            k_max = max(k, k_max)
            i += 1
            if i == l:
                c += 1
                l += k_max
                if l + 1 > n:
                    break
                i, k, k_max = 0, 1, 1
            else:
                k = 1
    return c


def lz76_by_definition(seq):
    """LZ76 phrase count from the definition: each phrase is the longest
    prefix of the rest that occurs starting earlier (overlap allowed), plus
    one symbol; a last phrase that is only a copy is counted too."""
    s = "".join(str(int(v)) for v in seq)
    n, pos, count = len(s), 0, 0
    while pos < n:
        m = 0
        while pos + m < n and s.find(s[pos:pos + m + 1], 0, pos + m) != -1:
            m += 1
        count += 1
        pos += m + 1
    return count


def markov_stationary_stats(X):
    """Spike probability and lag-1 autocorrelation of every sample's trains."""
    X = np.asarray(X, dtype=np.float64)
    p = X.mean(axis=(1, 2))
    a, b = X[:, :-1, :], X[:, 1:, :]
    cov = (a * b).mean(axis=(1, 2)) - a.mean(axis=(1, 2)) * b.mean(axis=(1, 2))
    return p, cov / (p * (1 - p))
