"""Counter-based random numbers for numba kernels.

``prange`` loops cannot share one generator and stay reproducible, so each
sample owns a stream: ``state = stream_seed(seed, sample_index)``, then
``state, u = next_uniform(state)``. The output depends only on ``seed`` and
the indices, never on the number of threads. The generator is SplitMix64
(Steele, Lea & Flood 2014), which passes BigCrush.
"""

import numpy as np

from .._config import jit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0


@jit(inline="always")
def _mix(z):
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@jit(inline="always")
def stream_seed(seed, index):
    """Start state of stream ``index`` under ``seed`` (both integers)."""
    return _mix(np.uint64(seed) * _GOLDEN + _mix(np.uint64(index) + _GOLDEN))


@jit(inline="always")
def next_uint64(state):
    """Advance ``state``; return ``(state, 64 random bits)``."""
    state = state + _GOLDEN
    return state, _mix(state)


@jit(inline="always")
def next_uniform(state):
    """Advance ``state``; return ``(state, u)`` with u uniform on [0, 1)."""
    state = state + _GOLDEN
    return state, np.float64(_mix(state) >> _S11) * _INV53


@jit(inline="always")
def next_normal(state):
    """Advance ``state``; return ``(state, z)`` with z standard normal (Box-Muller)."""
    state, u1 = next_uniform(state)
    state, u2 = next_uniform(state)
    u1 = 1.0 - u1
    return state, np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
