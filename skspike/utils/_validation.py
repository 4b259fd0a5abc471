"""Input validation shared by every skspike estimator."""

import numbers

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

__all__ = ["check_spikes", "check_series", "validate_spiking_input", "check_n_steps"]


def check_spikes(X, *, name="X", ensure_min_samples=1):
    """Validate a spike array and return it as uint8.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_steps, n_channels)
        Spike trains, 0/1 (bool, integer or float dtype accepted).
    name : str, default="X"
        Name used in error messages.
    ensure_min_samples : int, default=1
        Minimum number of samples.

    Returns
    -------
    spikes : ndarray of shape (n_samples, n_steps, n_channels), dtype uint8
        The same values; a new array unless ``X`` already was uint8.

    Raises
    ------
    ValueError
        If ``X`` is not 3-D, is empty, contains NaN or inf, or holds values
        other than 0 and 1.
    """
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(
            f"{name} must be spike trains of shape (n_samples, n_steps, n_channels); "
            f"got an array with {X.ndim} dimension(s), shape {X.shape}."
        )
    if X.dtype == np.uint8:
        spikes = X
    else:
        if X.dtype.kind not in "biuf":
            raise ValueError(f"{name} must hold numbers 0/1, got dtype {X.dtype}.")
        if X.dtype.kind == "f" and not np.isfinite(X).all():
            raise ValueError(f"{name} contains NaN or infinity; spike trains must be 0/1.")
        spikes = None
    if X.shape[0] < ensure_min_samples:
        raise ValueError(
            f"Found array with {X.shape[0]} sample(s) (shape={X.shape}) while a minimum "
            f"of {ensure_min_samples} is required."
        )
    if X.shape[1] < 1 or X.shape[2] < 1:
        raise ValueError(f"{name} has no time steps or no channels: shape {X.shape}.")
    if spikes is None:
        if not np.isin(X, (0, 1)).all():
            raise ValueError(
                f"{name} must be binary spike trains (values 0 or 1); found other values "
                f"such as {X[~np.isin(X, (0, 1))].ravel()[0]!r}."
            )
        spikes = X.astype(np.uint8)
    elif spikes.max(initial=0) > 1:
        raise ValueError(
            f"{name} must be binary spike trains (values 0 or 1); found values up to "
            f"{int(spikes.max())}."
        )
    return spikes


def check_n_steps(estimator, n_steps, name="X"):
    """Raise if ``n_steps`` differs from what ``estimator`` was fitted on."""
    expected = getattr(estimator, "n_steps_in_", None)
    if expected is not None and n_steps != expected:
        raise ValueError(
            f"{name} has {n_steps} time steps, but {type(estimator).__name__} was "
            f"fitted on spike trains of {expected} steps."
        )


def check_series(X, *, name="X", ensure_min_samples=1):
    """Validate real-valued time series and return them as float64.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_steps, n_channels)
        Series, float dtype. A list of 2-D arrays of different lengths
        (ragged) is refused: pad or resample them to a common length first.
    name : str, default="X"
        Name used in error messages.
    ensure_min_samples : int, default=1
        Minimum number of samples.

    Returns
    -------
    series : ndarray of shape (n_samples, n_steps, n_channels), float64
        The same values (a copy unless ``X`` was float64 already; never
        modified in place).

    Raises
    ------
    ValueError
        If ``X`` is not 3-D, is empty, or contains NaN or inf.
    """
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(
            f"{name} must be time series of shape (n_samples, n_steps, n_channels); got an "
            f"array with {X.ndim} dimension(s), shape {X.shape}. A univariate series of shape "
            "(n_samples, n_steps) is passed as X[:, :, None]."
        )
    if X.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers, got dtype {X.dtype}.")
    if X.shape[0] < ensure_min_samples:
        raise ValueError(
            f"Found array with {X.shape[0]} sample(s) (shape={X.shape}) while a minimum "
            f"of {ensure_min_samples} is required."
        )
    if X.shape[1] < 1 or X.shape[2] < 1:
        raise ValueError(f"{name} has no time steps or no channels: shape {X.shape}.")
    X = X.astype(np.float64, copy=False)
    if not np.isfinite(X).all():
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValueError(
            f"{name} contains NaN or infinity (first at sample {bad[0]}, step {bad[1]}, "
            f"channel {bad[2]}); fill or drop missing values before fitting."
        )
    return X


def _ragged_lengths(X):
    """Lengths of the items of a list of series if they differ, else None."""
    if not isinstance(X, (list, tuple)) or len(X) < 2:
        return None
    try:
        lengths = [len(item) for item in X]
        dims = {np.ndim(item) for item in X}
    except TypeError:
        return None
    if len(set(lengths)) > 1 and dims <= {1, 2}:
        return lengths
    return None


def validate_spiking_input(estimator, X, y=None, *, reset, encoder="encoder", allow_series=False):
    """Validate input of a spiking estimator: static ``X`` or spike trains.

    With ``allow_series``, 3-D input of float dtype is a real-valued time
    series (``check_series``, ``input_kind_ = "series"``); 3-D input of
    integer or bool dtype stays spike trains.

    2-D input ``(n_samples, n_features)`` goes through
    :func:`sklearn.utils.validation.validate_data` and then, if the estimator's
    ``encoder`` parameter is not None, through a clone of that encoder, fitted
    on ``X`` when ``reset`` (stored as ``encoder_``). 3-D input is used as
    spikes ``(n_samples, n_steps, n_channels)`` after :func:`check_spikes`.

    On ``reset`` the estimator records ``input_kind_`` (``"static"`` or
    ``"spikes"``), ``n_features_in_`` (features for static input, channels for
    spike input) and, for spike input, ``n_steps_in_``. Later calls must match.

    Returns
    -------
    data : ndarray
        Spikes (uint8, 3-D) or, with ``encoder=None``, static float64 ``X``
        used as direct input current.
    y : ndarray or None
        Validated targets when ``y`` is given.
    """
    lengths = _ragged_lengths(X) if allow_series else None
    if lengths is not None:
        raise ValueError(
            f"X is a list of {len(X)} series of different lengths (from {min(lengths)} to "
            f"{max(lengths)} steps); {type(estimator).__name__} needs one length: pad or "
            "resample the series to a common number of steps and pass an array of shape "
            "(n_samples, n_steps, n_channels)."
        )
    ndim = getattr(X, "ndim", None)
    if ndim is None and not hasattr(X, "__array__") and not hasattr(X, "iloc"):
        try:
            ndim = np.ndim(X)
        except Exception:  # ragged lists: let validate_data explain
            ndim = None
    if ndim is not None and ndim > 3:
        raise ValueError(
            f"{type(estimator).__name__} accepts static data of shape (n_samples, n_features) or spike "
            f"trains of shape (n_samples, n_steps, n_channels); got an array with {ndim} dimensions, "
            f"shape {np.shape(X)}."
        )
    if ndim == 3 and allow_series and np.asarray(X).dtype.kind == "f":
        series = check_series(X)
        y = _check_y(y, series.shape[0])
        _record_3d(estimator, series, "series", reset)
        return series, y
    if ndim == 3:
        spikes = check_spikes(X)
        y = _check_y(y, spikes.shape[0])
        _record_3d(estimator, spikes, "spikes", reset)
        return spikes, y

    if not reset:
        _check_kind(estimator, "static")
    if y is not None:
        X, y = validate_data(estimator, X, y, reset=reset, dtype=np.float64)
    else:
        X = validate_data(estimator, X, reset=reset, dtype=np.float64)
    if reset:
        estimator.input_kind_ = "static"
        if hasattr(estimator, "n_steps_in_"):
            del estimator.n_steps_in_
    enc = getattr(estimator, encoder, None) if encoder else None
    if enc is None:
        return X, y
    if reset:
        estimator.encoder_ = clone(enc).fit(X)
    return estimator.encoder_.transform(X), y


def _check_y(y, n_samples):
    if y is None:
        return None
    y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
    if y.ndim != 1:
        y = np.ravel(y) if y.ndim == 2 and y.shape[1] == 1 else y
    if len(y) != n_samples:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: [{n_samples}, {len(y)}]"
        )
    return y


def _record_3d(estimator, data, kind, reset):
    """Record (``reset``) or check the kind, channels and steps of 3-D input."""
    n_steps, n_channels = data.shape[1], data.shape[2]
    if reset:
        estimator.input_kind_ = kind
        estimator.n_features_in_ = n_channels
        estimator.n_steps_in_ = n_steps
        if hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return
    _check_kind(estimator, kind)
    if n_channels != estimator.n_features_in_:
        raise ValueError(
            f"X has {n_channels} channels, but {type(estimator).__name__} is "
            f"expecting {estimator.n_features_in_} channels as input."
        )
    check_n_steps(estimator, n_steps)


_KIND_TEXT = {
    "spikes": ("(n_samples, n_steps, n_channels) spike trains", "spike trains (uint8 0/1)"),
    "series": ("(n_samples, n_steps, n_channels) real-valued series", "real-valued (float) series"),
    "static": ("(n_samples, n_features) static data", "static 2-D data"),
}


def _check_kind(estimator, kind):
    check_is_fitted(estimator)
    fitted = getattr(estimator, "input_kind_", kind)
    if fitted != kind:
        raise ValueError(
            f"{type(estimator).__name__} was fitted on {_KIND_TEXT[fitted][0]}; got "
            f"{_KIND_TEXT[kind][1]} instead."
        )


def check_scalar_or_array(value, name, n, *, dtype=np.float64):
    """Broadcast a scalar or per-neuron array parameter to shape ``(n,)``."""
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim == 0:
        return np.full(n, arr, dtype=dtype)
    if arr.shape != (n,):
        raise ValueError(f"{name} must be a scalar or have shape ({n},), got {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return np.ascontiguousarray(arr)


def is_integer(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def num_samples(X):
    """Number of rows of an array-like (``len`` of a sequence); TypeError otherwise."""
    shape = getattr(X, "shape", None)
    if shape is not None:
        if len(shape) == 0:
            raise TypeError(f"Expected a sequence or array-like, got a scalar array {X!r}.")
        return int(shape[0])
    if hasattr(X, "__len__") and not isinstance(X, (str, bytes)):
        return len(X)
    raise TypeError(f"Expected a sequence or array-like, got {type(X).__name__}.")
