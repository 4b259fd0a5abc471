"""Numba compilation settings, read in one place.

Every kernel in skspike is compiled through :func:`jit`, so the options below
apply package-wide. They are read from environment variables once, at import:

``SKSPIKE_NUMBA_CACHE`` (default ``1``)
    Cache compiled kernels on disk (``cache=True``).
``SKSPIKE_NUMBA_FASTMATH`` (default ``0``)
    Allow ``fastmath``. Off by default so that results are bit-reproducible.
``SKSPIKE_NUMBA_PARALLEL`` (default ``1``)
    Compile kernels marked parallel with ``parallel=True`` (``prange`` over
    samples). With ``0`` every ``prange`` runs serially.

Kernels are compiled lazily, on first call, never at import.
"""

import os

__all__ = ["NUMBA_CACHE", "NUMBA_FASTMATH", "NUMBA_PARALLEL", "jit", "get_config"]


def _flag(name, default):
    value = os.environ.get(name, default)
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


NUMBA_CACHE = _flag("SKSPIKE_NUMBA_CACHE", "1")
NUMBA_FASTMATH = _flag("SKSPIKE_NUMBA_FASTMATH", "0")
NUMBA_PARALLEL = _flag("SKSPIKE_NUMBA_PARALLEL", "1")


def get_config():
    """Return the numba options in force, as a dict."""
    return {
        "cache": NUMBA_CACHE,
        "fastmath": NUMBA_FASTMATH,
        "parallel": NUMBA_PARALLEL,
    }


def jit(parallel=False, inline=None, **kwargs):
    """``numba.njit`` with skspike's options.

    Parameters
    ----------
    parallel : bool, default=False
        Request ``parallel=True``; honoured only when ``NUMBA_PARALLEL``.
    inline : {None, "always"}, default=None
        Numba IR inlining, for small device-style helpers.
    **kwargs
        Passed to ``numba.njit``.
    """
    import numba

    options = dict(cache=NUMBA_CACHE, fastmath=NUMBA_FASTMATH, nogil=True)
    if parallel and NUMBA_PARALLEL:
        options["parallel"] = True
    if inline is not None:
        options["inline"] = inline
    options.update(kwargs)
    return numba.njit(**options)
