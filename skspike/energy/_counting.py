"""Operation counts of an estimator or a whole Pipeline."""

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .._ops import OperationCounts

__all__ = ["count_operations", "register_operation_counter"]

# class -> counter(estimator, X) -> OperationCounts, for estimators without a
# count_operations method (non-spiking scikit-learn steps).
_COUNTERS = {}


def register_operation_counter(cls):
    """Register the operation counter of an estimator class without ``count_operations``.

    Use it as a decorator on a function ``counter(estimator, X)`` that
    returns the per-sample :class:`~skspike.energy.OperationCounts` of the fitted
    ``estimator`` on ``X``. Subclasses of ``cls`` use the same counter unless
    they have their own.

    Parameters
    ----------
    cls : type
        Estimator class.

    Returns
    -------
    decorator : callable

    Examples
    --------
    >>> from sklearn.preprocessing import Normalizer
    >>> from skspike import OperationCounts
    >>> from skspike.energy import register_operation_counter
    >>> @register_operation_counter(Normalizer)
    ... def _count_normalizer(est, X):
    ...     n = X.shape[1]  # n multiply-adds for the norm, n multiplies to scale
    ...     return OperationCounts(synaptic_mac=2.0 * n, dense_ops=2.0 * n)
    """
    if not isinstance(cls, type):
        raise TypeError(f"register_operation_counter expects a class, got {cls!r}.")

    def decorator(counter):
        _COUNTERS[cls] = counter
        return counter

    return decorator


def count_operations(estimator, X, *, per_step=False):
    """Per-sample operation counts of a fitted estimator or Pipeline on ``X``.

    A single estimator is asked for its own ``count_operations(X)`` (every
    skspike encoder and spiking estimator has one). A
    :class:`~sklearn.pipeline.Pipeline` is counted step by step, each step
    receiving the previous step's ``transform`` output, as in ``predict``.
    Non-spiking scikit-learn steps get dense counts where they are
    derivable: linear models (``coef_``: ``n_features * n_outputs``
    multiply-accumulates, of which the effective ones skip zero inputs),
    ``StandardScaler``, ``MinMaxScaler``, ``MaxAbsScaler`` (one per feature)
    and ``PCA`` (``n_features * n_components``). Other estimators can be made
    countable with :func:`register_operation_counter`.

    Parameters
    ----------
    estimator : estimator or Pipeline
        Fitted.
    X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)
        Input of the estimator (of the Pipeline's first step).
    per_step : bool, default=False
        Return the counts of each step instead of their sum.

    Returns
    -------
    counts : OperationCounts or dict of str -> OperationCounts
        The sum over steps; with ``per_step=True`` an ordered dict from step
        name to counts (a lone estimator is one step named after its class,
        in lower case). Steps that are ``"passthrough"`` or None are left out.

    Raises
    ------
    TypeError
        If a step has no ``count_operations`` method and no registered
        counter; the message names it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skspike.energy import count_operations
    >>> X = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 3.0], [2.0, 2.0, 0.0], [3.0, 1.0, 1.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> counts = count_operations(clf, X)
    >>> counts.dense_ops, counts.synaptic_mac
    (3.0, 2.25)
    """
    steps = named_steps(estimator)
    if not steps:
        raise ValueError("The Pipeline has no step to count (all are 'passthrough' or None).")
    per = {}
    data = X
    for i, (name, step) in enumerate(steps):
        per[name] = _count_step(name, step, data)
        if i < len(steps) - 1:
            data = step.transform(data)
    if per_step:
        return per
    total = OperationCounts()
    for counts in per.values():
        total = total + counts
    return total


def named_steps(estimator):
    """``[(name, step), ...]`` to count: nested Pipelines flattened, names unique."""
    named = []
    taken = set()
    for name, step in _flatten_steps(estimator):
        unique = name
        i = 2
        while unique in taken:
            unique = f"{name}_{i}"
            i += 1
        taken.add(unique)
        named.append((unique, step))
    return named


def _flatten_steps(estimator):
    if isinstance(estimator, Pipeline):
        steps = []
        for name, step in estimator.steps:
            if step is None or (isinstance(step, str) and step == "passthrough"):
                continue
            if isinstance(step, Pipeline):
                steps.extend((f"{name}__{sub}", est) for sub, est in _flatten_steps(step))
            else:
                steps.append((name, step))
        return steps
    return [(type(estimator).__name__.lower(), estimator)]



def _count_step(name, step, X):
    method = getattr(step, "count_operations", None)
    if callable(method):
        counts = method(X)
    else:
        counter = next((_COUNTERS[c] for c in type(step).__mro__ if c in _COUNTERS), None)
        if counter is None:
            counter = _default_counter(step)
        if counter is None:
            raise TypeError(
                f"{type(step).__name__} (step {name!r}) has no operation counts: it has no "
                "count_operations(X) method and no counter is registered for its class. "
                "Register one with skspike.energy.register_operation_counter."
            )
        counts = counter(step, X)
    if not isinstance(counts, OperationCounts):
        raise TypeError(
            f"{type(step).__name__}.count_operations must return an OperationCounts, "
            f"got {type(counts).__name__}."
        )
    return counts


def _default_counter(step):
    module = type(step).__module__
    if module.startswith("sklearn.linear_model") or type(step).__name__ in ("LinearSVC", "LinearSVR"):
        return _count_linear
    return None


def _static(X, name):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(
            f"{name} counts operations on 2-D input (n_samples, n_features); got shape {X.shape}."
        )
    return X


def _nbytes(*arrays):
    return int(sum(np.asarray(a).nbytes for a in arrays if a is not None))


def _count_linear(est, X):
    check_is_fitted(est, "coef_")
    X = _static(X, type(est).__name__)
    coef = np.atleast_2d(np.asarray(est.coef_))
    n_outputs, n_features = coef.shape
    if X.shape[1] != n_features:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(est).__name__} has {n_features} inputs."
        )
    active_inputs = float(np.count_nonzero(X, axis=1).mean())
    return OperationCounts(
        synaptic_mac=active_inputs * n_outputs,
        dense_ops=float(n_features * n_outputs),
        n_connections=int(coef.size),
        n_zero_connections=int(np.count_nonzero(coef == 0)),
        footprint_bytes=_nbytes(coef, getattr(est, "intercept_", None)),
    )


def _count_elementwise(est, X, params):
    check_is_fitted(est)
    X = _static(X, type(est).__name__)
    arrays = [getattr(est, p, None) for p in params]
    n_ops = float(X.shape[1]) if any(a is not None for a in arrays) else 0.0
    return OperationCounts(synaptic_mac=n_ops, dense_ops=n_ops, footprint_bytes=_nbytes(*arrays))


def _register_sklearn_counters():
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

    # x * (1 / scale) - mean / scale: one fused multiply-add per feature.
    register_operation_counter(StandardScaler)(
        lambda est, X: _count_elementwise(est, X, ("mean_", "scale_"))
    )
    register_operation_counter(MinMaxScaler)(
        lambda est, X: _count_elementwise(est, X, ("scale_", "min_"))
    )
    register_operation_counter(MaxAbsScaler)(
        lambda est, X: _count_elementwise(est, X, ("scale_",))
    )

    @register_operation_counter(PCA)
    def _count_pca(est, X):
        check_is_fitted(est, "components_")
        X = _static(X, "PCA")
        n_components, n_features = est.components_.shape
        return OperationCounts(
            # centring (one add per feature) folded into the projection's MACs
            synaptic_mac=float(n_features * n_components),
            dense_ops=float(n_features * n_components),
            n_connections=int(est.components_.size),
            n_zero_connections=int(np.count_nonzero(est.components_ == 0)),
            footprint_bytes=_nbytes(est.components_, est.mean_),
        )


_register_sklearn_counters()
