"""Lempel-Ziv (LZ76) complexity of binary sequences and spike trains."""

import math
import numbers

import numpy as np

__all__ = ["lempel_ziv_complexity"]


def lempel_ziv_complexity(x, normalize=True, *, axis=None):
    """Lempel-Ziv complexity (LZ76) of binary sequences or spike trains.

    Parameters
    ----------
    x : array-like or str
        Binary data (values 0/1; bool, integer or float dtype, or a string of
        ``"0"``/``"1"`` characters). Accepted layouts:

        - 1-D ``(n_steps,)``: one sequence;
        - 3-D ``(n_samples, n_steps, n_channels)``: spike trains, one value per
          sample and channel (time is axis 1, skspike's spike layout);
        - any other ``(..., n_steps)``: a batch of sequences along the last axis.

    normalize : bool, default=True
        Return the normalised complexity ``c(n) log2(n) / n`` instead of the
        phrase count ``c(n)``.
    axis : int or None, default=None
        Time axis. None means axis 1 for 3-D input and the last axis otherwise.
        Pass ``axis=-1`` to treat a 3-D array as a batch of sequences.

    Returns
    -------
    lzc : float, int or ndarray
        For 1-D input a Python float (``normalize=True``) or int. Otherwise an
        array with the time axis removed, float64 or int64; for spike trains of
        shape ``(n_samples, n_steps, n_channels)`` it has shape
        ``(n_samples, n_channels)``.

    Raises
    ------
    ValueError
        If ``x`` is empty, scalar, contains NaN or values other than 0 and 1.

    See Also
    --------
    LZCTransformer : Per-channel LZC features of spike trains, as a transformer.

    Notes
    -----
    A sequence ``s_1 ... s_n`` is parsed from the left into phrases; each new
    phrase is the shortest substring starting at the current position that
    does not occur earlier (an earlier occurrence may overlap the phrase
    itself). The complexity ``c(n)`` is the number of phrases, the last one
    counted even when it is not new (Lempel & Ziv 1976), exactly as counted
    by the Kaspar & Schuster (1987) algorithm. Their scan takes up to
    ``O(n^2 / log n)`` comparisons; the numba kernel finds each phrase's
    longest earlier match instead by bit-parallel matching for sequences of
    up to 1024 steps (the set of earlier start positions that still match is
    a bitset, narrowed by one AND per symbol) and with a suffix automaton of
    the parsed prefix (Blumer et al. 1985, ``O(n)`` time) for longer ones,
    with identical counts. It runs in parallel over sequences; single
    sequences run serially.

    For a binary sequence, ``c(n) <= n / log2(n)`` asymptotically (with equality
    for random sequences), hence the normalisation

    .. math:: C(n) = \\frac{c(n) \\log_2 n}{n},

    about 1 for a fair coin and near 0 for regular trains. This equals
    ``antropy.lziv_complexity(x, normalize=True)`` for binary sequences (which
    divides by ``n / log_b n`` with ``b = 2`` symbols). For ``n = 1`` the
    normalised value is 0. A constant sequence of length ``n >= 2`` has
    ``c = 2``; an alternating one ``c = 3`` for ``n >= 3``.

    References
    ----------
    .. [1] Lempel, A. & Ziv, J. (1976). On the complexity of finite sequences.
       IEEE Transactions on Information Theory, 22(1), 75-81.
    .. [2] Kaspar, F. & Schuster, H. G. (1987). Easily calculable measure for
       the complexity of spatiotemporal patterns. Physical Review A, 36(2),
       842-848.
    .. [3] Blumer, A., Blumer, J., Haussler, D., Ehrenfeucht, A., Chen, M. T. &
       Seiferas, J. (1985). The smallest automaton recognizing the subwords of
       a text. Theoretical Computer Science, 40, 31-55.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.complexity import lempel_ziv_complexity
    >>> lempel_ziv_complexity("1001111011000010", normalize=False)
    6
    >>> lempel_ziv_complexity([0, 1] * 8, normalize=False)
    3
    >>> round(lempel_ziv_complexity("1001111011000010"), 4)
    1.5
    >>> spikes = np.zeros((2, 50, 3), dtype=np.uint8)
    >>> spikes[1, ::2, :] = 1
    >>> lempel_ziv_complexity(spikes, normalize=False)
    array([[2, 2, 2],
           [3, 3, 3]])
    """
    if not isinstance(normalize, (bool, np.bool_)):
        raise TypeError(f"normalize must be a bool, got {normalize!r}.")
    seqs, batch_shape = _as_binary_batch(x, axis)
    n_steps = seqs.shape[1]
    if batch_shape is None:
        from ._kernels import lzc_one

        count = int(lzc_one(seqs.reshape(n_steps)))
        if count < 0:
            _check_counts(count)
        return count / _normaliser(n_steps) if normalize else count
    counts = _count(seqs)
    if normalize:
        counts = counts / _normaliser(n_steps)
    return counts.reshape(batch_shape)


def _check_counts(counts):
    # uint8 input is range-checked inside the kernel (-1 marks a value > 1)
    if np.min(counts) < 0:
        raise ValueError("x must be binary (values 0 or 1); found values greater than 1.")


def _normaliser(n_steps):
    # n / log2(n) computed as antropy does, so normalised values agree to the bit.
    if n_steps <= 1:
        return np.inf
    return n_steps / math.log(n_steps, 2)


def _count(seqs):
    """Phrase counts of a 3-D (n_outer, n_steps, n_inner) uint8 view, flattened."""
    from ._kernels import lzc_middle_axis, lzc_rows

    n_outer, n_steps, n_inner = seqs.shape
    if n_inner == 1:
        counts = lzc_rows(np.ascontiguousarray(seqs.reshape(n_outer, n_steps)))
    else:
        counts = lzc_middle_axis(np.ascontiguousarray(seqs)).ravel()
    _check_counts(counts)
    return counts


def _as_binary_batch(x, axis):
    """Validate ``x`` and return it as ``(n_outer, n_steps, n_inner)`` uint8.

    The second value is the output shape (input shape without the time axis),
    or None for a single 1-D sequence.
    """
    if isinstance(x, str):
        if not x or set(x) - {"0", "1"}:
            raise ValueError(
                "A string sequence must be a non-empty string of '0' and '1' characters."
            )
        x = np.frombuffer(x.encode("ascii"), dtype=np.uint8) - np.uint8(48)
    else:
        if hasattr(x, "tocsr") or hasattr(x, "todense"):  # scipy.sparse: np.asarray gives a 0-d object
            raise TypeError(
                f"x is a sparse {type(x).__name__}; lempel_ziv_complexity accepts dense 0/1 data: a "
                "string of '0'/'1', a 1-D sequence, or an array with time along `axis`. Use x.toarray()."
            )
        x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError("x must be a sequence (at least 1-D), got a scalar.")
    if axis is None and x.ndim == 1:
        if x.shape[0] == 0:
            raise ValueError("x has no time steps (shape (0,)).")
        return np.ascontiguousarray(_binary_uint8(x)).reshape(1, x.shape[0], 1), None
    if axis is None:
        axis = 1 if x.ndim == 3 else x.ndim - 1
    elif not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
        raise TypeError(f"axis must be an int or None, got {axis!r}.")
    elif not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of bounds for an array of {x.ndim} dimension(s).")
    axis = int(axis) % x.ndim
    if x.shape[axis] == 0:
        raise ValueError(f"x has no time steps (shape {x.shape}, time axis {axis}).")
    if x.size == 0:
        raise ValueError(f"x is empty (shape {x.shape}).")
    x = _binary_uint8(x)
    outer = math.prod(x.shape[:axis])
    inner = math.prod(x.shape[axis + 1:])
    seqs = np.ascontiguousarray(x).reshape(outer, x.shape[axis], inner)
    batch_shape = None if x.ndim == 1 else x.shape[:axis] + x.shape[axis + 1:]
    return seqs, batch_shape


def _binary_uint8(x):
    if x.dtype == np.bool_:
        return x.view(np.uint8)
    if x.dtype == np.uint8:
        return x  # values > 1 are caught by the kernel
    if x.dtype.kind not in "biuf":
        raise ValueError(f"x must hold numbers 0/1, got dtype {x.dtype}.")
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError("x contains NaN or infinity; sequences must be binary (0/1).")
    is_binary = (x == 0) | (x == 1)
    if not is_binary.all():
        raise ValueError(
            "x must be binary (values 0 or 1); found other values such as "
            f"{x[~is_binary].ravel()[0]!r}. Binarise continuous signals first, "
            "e.g. (x > np.median(x)).astype(np.uint8)."
        )
    return x.astype(np.uint8)
