"""Row batches for predict-time methods: working memory independent of ``n_samples``."""

import functools

import numpy as np
from sklearn.utils import _safe_indexing

from .._config import get_batch_size
from ._validation import num_samples

__all__ = ["batched_call", "batched_method"]


def batched_call(func, X, batch_size=None):
    """``func(X)`` computed on row batches of ``X`` and stacked along axis 0.

    Parameters
    ----------
    func : callable
        Maps an array-like of ``n`` samples to an ndarray of ``n`` rows; it
        must treat samples independently (its output for a sample does not
        depend on the other samples).
    X : array-like, sparse matrix or list
        Input; anything whose number of samples cannot be read is passed to
        ``func`` whole, so that its validation reports the problem.
    batch_size : int or None, default=None
        Rows per call; None uses :func:`skspike._config.get_batch_size`.

    Returns
    -------
    out : ndarray
        ``func(X)``, filled batch by batch into one preallocated array.
    """
    size = get_batch_size() if batch_size is None else int(batch_size)
    try:
        n_samples = num_samples(X)
    except TypeError:
        return func(X)
    if n_samples <= size:
        return func(X)
    out = None
    for start in range(0, n_samples, size):
        stop = min(start + size, n_samples)
        part = np.asarray(func(_safe_indexing(X, slice(start, stop))))
        if out is None:
            out = np.empty((n_samples,) + part.shape[1:], dtype=part.dtype)
        out[start:stop] = part
    return out


def batched_method(method):
    """Wrap ``method(self, X)`` so that it runs through :func:`batched_call`."""

    @functools.wraps(method)
    def wrapper(self, X, *args, **kwargs):
        return batched_call(lambda part: method(self, part, *args, **kwargs), X)

    wrapper._skspike_batched = True
    return wrapper
