"""Thread limits for numba kernels."""

from contextlib import contextmanager


@contextmanager
def numba_threads(n_threads):
    """Run numba kernels on ``n_threads`` threads, restoring the count afterwards.

    Yields ``n_threads``.
    """
    import numba

    old = numba.get_num_threads()
    numba.set_num_threads(n_threads)
    try:
        yield n_threads
    finally:
        numba.set_num_threads(old)


def threads_from_n_jobs(n_jobs):
    """Threads for ``n_jobs``: None -> 1, negative -> all + 1 + n_jobs, capped at numba's pool."""
    import numba

    available = numba.config.NUMBA_NUM_THREADS
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(1, available + 1 + n_jobs)
    return max(1, min(int(n_jobs), available))
