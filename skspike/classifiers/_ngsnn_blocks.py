"""Thread-count-invariant parallel work for NGSNNClassifier: fixed blocks on a thread pool.

Multithreaded BLAS splits a product by the number of threads, and the
rounding of the result changes with the split; a greedy growth that picks
the best of near-equal candidates would then grow another network on another
machine. Here the large products and simulations are cut into blocks whose
bounds depend only on the array shapes (a fixed block length), each block is
computed by single-threaded BLAS or a single-threaded kernel call, and the
blocks run on a pool of ``n_threads`` Python threads (BLAS and the numba
kernels release the GIL). The result depends on the blocks, never on the
number of threads; one thread runs the same blocks in order.

The caller limits BLAS to one thread for the duration (``_threads`` in
``_ngsnn.py``); the pool's workers run numba kernels on one thread each
(numba's thread count is per calling thread).
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["run_blocks", "blocked_matmul"]

_POOLS = {}


def _init_worker():
    import numba

    numba.set_num_threads(1)


def _pool(n_threads):
    key = (os.getpid(), n_threads)  # a forked child cannot use its parent's threads
    if key not in _POOLS:
        _POOLS[key] = ThreadPoolExecutor(n_threads, thread_name_prefix="skspike-ngsnn", initializer=_init_worker)
    return _POOLS[key]


def run_blocks(fn, n, block, n_threads):
    """Call ``fn(start, stop)`` for the blocks ``[0, block), [block, 2 block), ...`` of ``range(n)``.

    The blocks run on ``n_threads`` threads (in order on the calling thread
    when 1 or when there is a single block); ``fn`` must write disjoint
    outputs per block. Exceptions are re-raised in the caller.
    """
    bounds = [(start, min(n, start + block)) for start in range(0, n, block)]
    if n_threads <= 1 or len(bounds) <= 1:
        for start, stop in bounds:
            fn(start, stop)
        return
    futures = [_pool(n_threads).submit(fn, start, stop) for start, stop in bounds]
    for future in futures:
        future.result()


def blocked_matmul(A, B, n_threads, block=256, out=None):
    """``A @ B`` computed in fixed blocks of ``block`` rows of ``A`` (see the module docstring).

    Parameters
    ----------
    A : ndarray of shape (p, r)
    B : ndarray of shape (r, q)
    n_threads : int
    block : int, default=256
    out : ndarray of shape (p, q) or None

    Returns
    -------
    C : ndarray of shape (p, q)
    """
    p, q = A.shape[0], B.shape[1]
    if out is None:
        out = np.empty((p, q), dtype=np.result_type(A, B))

    def part(start, stop):
        np.matmul(A[start:stop], B, out=out[start:stop])

    run_blocks(part, p, block, n_threads)
    return out
