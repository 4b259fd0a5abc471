"""Numba compilation settings and runtime limits, read in one place.

Every kernel in skspike is compiled through :func:`jit`, so the options below
apply package-wide. They are read from environment variables once, at import:

``SKSPIKE_NUMBA_CACHE`` (default ``1``)
    Cache compiled kernels on disk (``cache=True``). Cache entries are keyed
    by the compile settings (``fastmath``, ``parallel``) and by a digest of
    the package's sources: a run with other settings, or with changed or
    upgraded skspike code, compiles and stores its own entry instead of
    loading one compiled under different options or against other callees
    (numba's own cache key is the function's file alone: it leaves the
    options out and misses changes to the kernels it inlines from other
    files).
``SKSPIKE_NUMBA_FASTMATH`` (default ``0``)
    Allow ``fastmath``. Off by default so that results are bit-reproducible.
``SKSPIKE_NUMBA_PARALLEL`` (default ``1``)
    Compile kernels marked parallel with ``parallel=True`` (``prange`` over
    samples). With ``0`` every ``prange`` runs serially.
``SKSPIKE_NUMBA_THREADING_LAYER`` (default ``auto``)
    numba threading layer for the parallel kernels. ``auto`` picks ``tbb``
    (Intel oneTBB, the ``tbb`` package) when it can be loaded: it is both
    fork-safe (process pools with the ``fork`` start method work after a
    parallel kernel ran in the parent) and thread-safe (several threads may
    call kernels at once). Without TBB, ``auto`` picks ``workqueue``, which
    is fork-safe but not thread-safe; skspike then runs one parallel kernel
    at a time (a process-wide lock; other threads wait), so it stays both.
    Any other value (``tbb``, ``omp``, ``workqueue``, ``safe``, ...) is
    passed to numba as is; ``omp`` with GNU OpenMP is *not* fork-safe. A
    ``NUMBA_THREADING_LAYER`` set in the environment is respected. The
    layer must be chosen before numba launches its threads: import skspike
    before running other parallel numba code.
``SKSPIKE_BATCH_SIZE`` (default ``4096``)
    Samples per batch of the classifiers' ``predict``, ``predict_proba``,
    ``decision_function`` and hidden-layer transforms, so that their working
    memory does not grow with ``n_samples`` (see :func:`batch_size`).
``SKSPIKE_MAX_BYTES`` (default: 80 % of the available memory, or 16 GiB without psutil)
    Largest single allocation skspike plans for an output or working array
    (encoder outputs, simulations, training buffers) before refusing it with
    a ``MemoryError`` naming the parameter (see :func:`check_allocation`).
    Accepts a number of bytes, optionally with a ``K``/``M``/``G``/``T`` suffix.
``SKSPIKE_MAX_UPDATES_PER_SAMPLE`` (default ``1e9``)
    Largest planned work per sample of one call, in neuron updates (one
    neuron advanced by one time step), before skspike refuses the call with a
    :class:`WorkLimitError` naming the parameter (see :func:`check_work`).
    ``0``, ``none`` or ``inf`` remove the limit.

Both limits can be changed for one block of code, in this thread, with
:func:`limits` (``with limits(max_updates_per_sample=None): ...`` runs a long
simulation the default refuses).

Kernels are compiled lazily, on first call, never at import.
"""

import os
import sys
import threading
from contextlib import contextmanager

__all__ = [
    "NUMBA_CACHE",
    "NUMBA_FASTMATH",
    "NUMBA_PARALLEL",
    "THREADING_LAYER",
    "jit",
    "get_config",
    "batch_size",
    "get_batch_size",
    "check_allocation",
    "max_bytes",
    "max_updates_per_sample",
    "limits",
    "check_work",
    "WorkLimitError",
]


def _flag(name, default):
    value = os.environ.get(name, default)
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


NUMBA_CACHE = _flag("SKSPIKE_NUMBA_CACHE", "1")
NUMBA_FASTMATH = _flag("SKSPIKE_NUMBA_FASTMATH", "0")
NUMBA_PARALLEL = _flag("SKSPIKE_NUMBA_PARALLEL", "1")


# ------------------------------------------------------------ threading layer
_TBB_LIBRARY = {"win32": "tbb12.dll", "darwin": "libtbb.12.dylib"}.get(sys.platform, "libtbb.so.12")


def _load_tbb():
    """Make oneTBB loadable for numba; True if numba's TBB layer imports.

    The ``tbb`` wheel puts the shared library in ``<prefix>/lib`` (``Library/bin``
    on Windows), which is not always on the loader's path; loading it once by
    full path makes the later import of ``numba.np.ufunc.tbbpool`` find it.
    """
    import ctypes

    for prefix in dict.fromkeys((sys.prefix, sys.base_prefix, os.environ.get("CONDA_PREFIX") or sys.prefix)):
        for sub in ("lib", "Library/bin", "bin"):
            path = os.path.join(prefix, sub, _TBB_LIBRARY)
            if os.path.exists(path):
                try:
                    ctypes.CDLL(path, mode=getattr(ctypes, "RTLD_GLOBAL", 0))
                except OSError:
                    continue
                break
        else:
            continue
        break
    try:
        from numba.np.ufunc import parallel

        check_version = getattr(parallel, "_check_tbb_version_compatible", None)
        if check_version is not None:
            check_version()
        import numba.np.ufunc.tbbpool  # noqa: F401
    except Exception:  # ImportError, OSError, a too old TBB (numba warns)
        return False
    return True


def _select_threading_layer():
    """Set ``numba.config.THREADING_LAYER``; return the layer chosen."""
    import numba

    if os.environ.get("NUMBA_THREADING_LAYER"):
        return str(numba.config.THREADING_LAYER)
    requested = os.environ.get("SKSPIKE_NUMBA_THREADING_LAYER", "auto").strip().lower() or "auto"
    if requested == "auto":
        requested = "tbb" if _load_tbb() else "workqueue"
    elif requested in ("tbb", "safe", "threadsafe", "forksafe", "default"):
        _load_tbb()
    numba.config.THREADING_LAYER = requested
    return requested


THREADING_LAYER = None
# Held around parallel kernel calls when the layer cannot run two at once.
_LAUNCH_LOCK = threading.RLock()


def _serialise_launches():
    return THREADING_LAYER == "workqueue"


class _SerialLaunch:
    """A parallel dispatcher called under a process-wide lock (workqueue layer).

    numba's workqueue layer aborts the process when two threads launch
    parallel work at once; calls from Python go through this wrapper.
    Attribute access is forwarded to the dispatcher.
    """

    def __init__(self, dispatcher):
        self._dispatcher = dispatcher
        self.__wrapped__ = dispatcher
        self.__doc__ = dispatcher.__doc__
        self.__name__ = getattr(dispatcher, "__name__", "kernel")

    def __call__(self, *args, **kwargs):
        with _LAUNCH_LOCK:
            return self._dispatcher(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._dispatcher, name)

    def __repr__(self):
        return f"<serialised {self._dispatcher!r}>"


# ------------------------------------------------------------------- caching
def _source_tag(root=None):
    """Digest of the package's Python sources (every ``skspike/**/*.py``, or below ``root``).

    numba keys a cache entry on its own function's file only, yet the entry
    holds the machine code of every ``inline="always"`` helper and every
    compiled callee from other files (the engine's step functions in
    ``run_layer``'s callers). Keyed on all sources, a changed or upgraded
    package never loads a caller compiled against the callees it had
    before; the price is one recompilation after any change.
    """
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent if root is None else Path(root)
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _settings_tag():
    return f"fm{int(NUMBA_FASTMATH)}par{int(NUMBA_PARALLEL)}src{_source_tag()}"


def _keyed_cache_class():
    """A numba ``FunctionCache`` whose file names carry the compile settings.

    Returns None if numba's caching internals are not the expected ones.
    """
    try:
        from numba.core.caching import CompileResultCacheImpl, FunctionCache
    except ImportError:
        return None
    tag = _settings_tag()

    class _KeyedImpl(CompileResultCacheImpl):
        def get_filename_base(self, fullname, abiflags):
            return super().get_filename_base(f"{fullname}~{tag}", abiflags)

    class _KeyedFunctionCache(FunctionCache):
        _impl_class = _KeyedImpl

    return _KeyedFunctionCache


_KEYED_CACHE = None


def _enable_keyed_cache(dispatcher):
    """Point ``dispatcher``'s disk cache at entries keyed by the settings.

    Returns False (the dispatcher is left uncached) if that is not possible.
    """
    global _KEYED_CACHE
    if _KEYED_CACHE is None:
        _KEYED_CACHE = _keyed_cache_class() or False
    if not _KEYED_CACHE or not hasattr(dispatcher, "_cache"):
        return False
    try:
        dispatcher._cache = _KEYED_CACHE(dispatcher.py_func)
    except Exception:  # no writable cache location: numba's own behaviour is to fail
        return False
    return True


def get_config():
    """Return the numba options and limits in force, as a dict."""
    return {
        "cache": NUMBA_CACHE,
        "fastmath": NUMBA_FASTMATH,
        "parallel": NUMBA_PARALLEL,
        "threading_layer": THREADING_LAYER,
        "batch_size": get_batch_size(),
        "max_bytes": max_bytes(),
        "max_updates_per_sample": max_updates_per_sample(),
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

    _ensure_threading_layer()
    options = dict(fastmath=NUMBA_FASTMATH, nogil=True)
    is_parallel = bool(parallel and NUMBA_PARALLEL)
    if is_parallel:
        options["parallel"] = True
    if inline is not None:
        options["inline"] = inline
    cache = bool(kwargs.pop("cache", NUMBA_CACHE))
    options.update(kwargs)

    def decorate(func):
        dispatcher = numba.njit(**options)(func)
        if cache:
            if not _enable_keyed_cache(dispatcher) and not (NUMBA_FASTMATH or not NUMBA_PARALLEL):
                # Default settings: numba's plain cache cannot mix up options.
                dispatcher.enable_caching()
        if is_parallel and _serialise_launches():
            return _SerialLaunch(dispatcher)
        return dispatcher

    return decorate


_LAYER_LOCK = threading.Lock()


def _ensure_threading_layer():
    global THREADING_LAYER
    if THREADING_LAYER is None:
        with _LAYER_LOCK:
            if THREADING_LAYER is None:
                THREADING_LAYER = _select_threading_layer()
    return THREADING_LAYER


# -------------------------------------------------------------------- batches
def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    number = int(value)
    if number < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return number


_BATCH_SIZE = _env_int("SKSPIKE_BATCH_SIZE", 4096)
_local = threading.local()


def get_batch_size():
    """Samples per batch of the classifiers' predict-time methods."""
    return getattr(_local, "batch_size", None) or _BATCH_SIZE


@contextmanager
def batch_size(n_samples):
    """Run the classifiers' predict-time methods in batches of ``n_samples`` (this thread).

    Parameters
    ----------
    n_samples : int
        Samples per batch (>= 1). The default, 4096 or ``SKSPIKE_BATCH_SIZE``,
        keeps the working memory of a prediction at a few tens of MB.

    Examples
    --------
    >>> from skspike._config import batch_size, get_batch_size
    >>> with batch_size(128):
    ...     get_batch_size()
    128
    """
    n_samples = int(n_samples)
    if n_samples < 1:
        raise ValueError(f"batch size must be >= 1, got {n_samples}.")
    old = getattr(_local, "batch_size", None)
    _local.batch_size = n_samples
    try:
        yield n_samples
    finally:
        _local.batch_size = old


# --------------------------------------------------------------- size guards
_UNSET = object()
_SUFFIXES = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def _parse_bytes(text):
    text = str(text).strip().lower().rstrip("ib").rstrip("b")
    factor = 1
    if text and text[-1] in _SUFFIXES:
        factor = _SUFFIXES[text[-1]]
        text = text[:-1]
    value = float(text) * factor
    if not value > 0:
        raise ValueError(f"SKSPIKE_MAX_BYTES must be a positive size, got {text!r}.")
    return int(value)


def max_bytes():
    """Largest single allocation skspike accepts, in bytes (see ``SKSPIKE_MAX_BYTES``)."""
    override = getattr(_local, "max_bytes", _UNSET)
    if override is not _UNSET:
        return float("inf") if override is None else override
    env = os.environ.get("SKSPIKE_MAX_BYTES", "").strip()
    if env:
        return _parse_bytes(env)
    try:
        import psutil

        return int(0.8 * psutil.virtual_memory().available)
    except Exception:
        return 16 << 30


def _format_bytes(n):
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


def check_allocation(n_bytes, what, parameter):
    """Refuse an allocation of ``n_bytes`` larger than :func:`max_bytes`.

    Parameters
    ----------
    n_bytes : int or float
        Planned size in bytes (computed in Python integers, so it cannot
        overflow).
    what : str
        What would be allocated, e.g. ``"the spike trains (n_samples, n_steps, n_channels)"``.
    parameter : str
        The parameter (or input) that sets the size, named in the message.

    Raises
    ------
    MemoryError
        If the allocation exceeds the limit; the message names ``parameter``,
        the bytes needed and the limit.
    """
    limit = max_bytes()
    if n_bytes > limit:
        raise MemoryError(
            f"{what} would need {_format_bytes(n_bytes)} ({int(n_bytes)} bytes), more than the "
            f"{_format_bytes(limit)} skspike may allocate; reduce {parameter} (or process the data "
            "in batches; the limit is set by the SKSPIKE_MAX_BYTES environment variable)."
        )


# ---------------------------------------------------------------- work guards
_DEFAULT_MAX_UPDATES = 10**9


class WorkLimitError(ValueError):
    """A call would run more neuron updates per sample than skspike allows.

    Raised before any simulation starts; the message names the parameter
    that sets the work, the estimate, and how to lift the limit
    (:func:`limits` or ``SKSPIKE_MAX_UPDATES_PER_SAMPLE``).
    """


def _parse_count(name, text):
    text = str(text).strip().lower()
    if text in ("none", "inf", "0", "off", "unlimited"):
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ValueError(f"{name} must be a positive number (or 'none' for no limit), got {text!r}.")
    return value


def max_updates_per_sample():
    """Largest planned work per sample of one call, in neuron updates (None: no limit).

    A thread's :func:`limits` block wins over ``SKSPIKE_MAX_UPDATES_PER_SAMPLE``,
    which wins over the default of ``1e9`` (a few seconds of one core for
    the simplest neuron; one sample runs on one thread).
    """
    override = getattr(_local, "max_updates_per_sample", _UNSET)
    if override is not _UNSET:
        return override
    env = os.environ.get("SKSPIKE_MAX_UPDATES_PER_SAMPLE", "").strip()
    if env:
        return _parse_count("SKSPIKE_MAX_UPDATES_PER_SAMPLE", env)
    return float(_DEFAULT_MAX_UPDATES)


@contextmanager
def limits(*, max_bytes=_UNSET, max_updates_per_sample=_UNSET):
    """Change skspike's size guards for a block of code (this thread).

    Parameters
    ----------
    max_bytes : int, str or None, optional
        Largest single allocation in bytes (``"64G"`` accepted); None removes
        the guard. Left unchanged when not given.
    max_updates_per_sample : float or None, optional
        Largest planned neuron updates per sample of one call; None removes
        the guard. Left unchanged when not given.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike._config import WorkLimitError, limits
    >>> from skspike.neurons import LIF, simulate
    >>> try:
    ...     simulate(LIF(), np.ones((1, 1)), n_steps=10**10, output="counts")
    ... except WorkLimitError as exc:
    ...     print(str(exc)[:41])
    simulate: 1e+10 neuron updates per sample
    >>> with limits(max_updates_per_sample=1e4):
    ...     counts = simulate(LIF(), np.ones((1, 1)), n_steps=10**4, output="counts")[0]
    """
    new = {}
    if max_bytes is not _UNSET:
        new["max_bytes"] = None if max_bytes is None else _parse_bytes(max_bytes)
    if max_updates_per_sample is not _UNSET:
        if max_updates_per_sample is None:
            new["max_updates_per_sample"] = None
        else:
            value = float(max_updates_per_sample)
            if not value > 0:
                raise ValueError(
                    f"max_updates_per_sample must be positive (or None for no limit), got {max_updates_per_sample!r}."
                )
            new["max_updates_per_sample"] = value
    old = {key: getattr(_local, key, _UNSET) for key in new}
    for key, value in new.items():
        setattr(_local, key, value)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is _UNSET:
                delattr(_local, key)
            else:
                setattr(_local, key, value)


def check_work(updates_per_sample, n_samples, what, parameter, detail=None):
    """Refuse a call whose planned work per sample exceeds :func:`max_updates_per_sample`.

    The guard is on the work *per sample*: work proportional to the number of
    samples is the size of the user's data and runs in batches of bounded
    memory, while parameters such as ``n_steps``, ``n_neurons`` or
    ``n_candidates`` multiply the cost of every sample (and one sample runs
    on one thread, without a way to interrupt it).

    Parameters
    ----------
    updates_per_sample : int or float
        Planned neuron updates (neurons x steps, summed over everything the
        call simulates) per sample, computed in Python numbers.
    n_samples : int
        Number of samples of the call (for the total in the message).
    what : str
        The call, e.g. ``"NGSNNClassifier.fit"``.
    parameter : str
        The parameter(s) to lower, named in the message, e.g. ``"n_steps"``.
    detail : str, optional
        How the estimate is made, e.g. ``"n_steps=100000000 x 200
        candidates x 300 pools"``.

    Raises
    ------
    WorkLimitError
        If ``updates_per_sample`` exceeds the limit.
    """
    limit = max_updates_per_sample()
    if limit is None or not updates_per_sample > limit:
        return
    total = float(updates_per_sample) * n_samples
    detail = f"{detail}; " if detail else ""
    raise WorkLimitError(
        f"{what}: {float(updates_per_sample):.3g} neuron updates per sample ({detail}"
        f"{total:.3g} in total for {n_samples} sample(s)), more than the limit of {limit:.3g} per "
        f"sample (about a second per 1e8 updates on one core). Lower {parameter}, or, to run it "
        "anyway, raise the limit: `with skspike._config.limits(max_updates_per_sample=None): ...` "
        "or the SKSPIKE_MAX_UPDATES_PER_SAMPLE environment variable."
    )
