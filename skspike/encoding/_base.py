"""Template-method bases of the spike encoders.

Two families share one template: ``transform`` validates the input, turns it
into what the subclass's kernel needs, and calls the abstract
``_encode(data, seed)``, which returns uint8 spikes of shape
``(n_samples, n_steps, n_channels)``.

- :class:`BaseEncoder`: static data ``(n_samples, n_features)``, scaled per
  feature into intensities in [0, 1].
- :class:`BaseTimeSeriesEncoder`: time series ``(n_samples, n_steps)`` or
  ``(n_samples, n_steps, n_channels)``; one output step per input step.
"""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from .._ops import OperationCounts

__all__ = ["BaseEncoder", "BaseTimeSeriesEncoder"]


class _SpikeEncoderMixin(metaclass=ABCMeta):
    """What every encoder shares: operation counts, channel names, seeding, tags."""

    #: Whether ``_encode`` uses ``seed`` (stochastic encoders).
    _stochastic = False

    def count_operations(self, X):
        """Operation counts of encoding ``X``, averaged per sample.

        The encoder itself performs no synaptic operations; it reports the
        spikes it emits and the activation slots, so a Pipeline's total can
        see the sparsity of its input code.

        Parameters
        ----------
        X : array-like
            Input accepted by ``transform``.

        Returns
        -------
        counts : OperationCounts
        """
        spikes = self.transform(X)
        n_samples = spikes.shape[0]
        return OperationCounts(
            spikes=float(spikes.sum(dtype=np.int64)) / n_samples,
            n_activations=float(spikes.shape[1] * spikes.shape[2]),
        )

    def get_feature_names_out(self, input_features=None):
        """Channel names ``encoder0, encoder1, ...`` (one per output channel).

        Parameters
        ----------
        input_features : None
            Ignored; present for API compatibility.

        Returns
        -------
        names : ndarray of shape (`n_channels_`,), dtype object
        """
        check_is_fitted(self)
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(self.n_channels_)], dtype=object)

    def _seed(self):
        from ..utils import derive_seed

        return derive_seed(self.random_state)

    def _encode_with_seed(self, data):
        from .._config import check_allocation

        # Static data: (n_samples, n_features) -> n_steps steps; series bring their steps.
        steps, parameter = (data.shape[1], "the number of steps or samples") if data.ndim == 3 else (
            int(self.n_steps), "n_steps (or the number of samples)")
        n_bytes = data.shape[0] * steps * int(self.n_channels_)
        check_allocation(
            n_bytes, f"{type(self).__name__}: the uint8 spike trains of shape "
            f"({data.shape[0]}, {steps}, {self.n_channels_})", parameter,
        )
        seed = self._seed() if self._stochastic else 0
        return self._encode(data, seed)

    @abstractmethod
    def _encode(self, data, seed):
        """Return uint8 spikes ``(n_samples, n_steps, n_channels)``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        tags.non_deterministic = False
        return tags


class BaseEncoder(_SpikeEncoderMixin, TransformerMixin, BaseEstimator, metaclass=ABCMeta):
    """Base class of encoders from static data to spike trains.

    ``fit`` learns the per-feature range of ``X`` (or takes the fixed
    ``feature_range``); ``transform`` validates ``X``, maps it to intensities
    in [0, 1] with values outside the fitted range clipped, and hands them to
    the subclass's ``_encode(intensities, seed)``, which returns spikes of
    shape ``(n_samples, n_steps, n_channels)``, dtype uint8.

    Subclasses define ``_encode`` and, if they emit more than one channel per
    feature, ``_n_channels(n_features)``.
    """

    _parameter_constraints: dict = {
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "dt": [Interval(Real, 0, None, closed="neither")],
        "feature_range": [None, tuple, list],
    }

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the per-feature scaling of ``X`` into intensities in [0, 1].

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Static input.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted encoder.
        """
        self._check_params()
        X = validate_data(self, X, dtype=np.float64)
        data_min, data_max = _fit_range(X, self.feature_range, axis=(0,))
        self.data_min_ = data_min
        self.data_max_ = data_max
        self.scale_ = _scale(data_min, data_max)
        self.n_channels_ = self._n_channels(X.shape[1])
        return self

    def transform(self, X):
        """Encode ``X`` as spike trains.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Static input; values outside the fitted range are clipped.

        Returns
        -------
        spikes : ndarray of shape (n_samples, n_steps, n_channels), dtype uint8
            Spike trains, one step = ``dt`` milliseconds.
        """
        return self._encode_with_seed(self.intensities(X))

    def intensities(self, X):
        """Map ``X`` to intensities in [0, 1] with the fitted scaling (clipped).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        intensities : ndarray of shape (n_samples, n_features), float64
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return _to_unit(X, self.data_min_, self.scale_)

    def _n_channels(self, n_features):
        return n_features

    def _check_params(self):
        """Hook for checks across parameters, run at the start of ``fit``."""


class BaseTimeSeriesEncoder(
    _SpikeEncoderMixin, TransformerMixin, BaseEstimator, metaclass=ABCMeta
):
    """Base class of encoders from time series to spike trains.

    Input is ``(n_samples, n_steps)`` (one channel) or
    ``(n_samples, n_steps, n_channels)``; output spikes have the same
    ``n_steps``, one output step per input sample. ``transform`` validates
    the series, hands them to ``_prepare_series`` (identity by default; the
    place to rescale) and then to the subclass's ``_encode(series, seed)``.

    Because the per-feature scaling of :class:`BaseEncoder` does not apply
    (a "feature" of a 2-D series is a time step), this base validates the
    layout itself:

    - ``n_steps_in_`` and ``n_channels_in_`` record the fitted layout;
      ``transform`` requires the same number of steps (downstream spiking
      estimators expect fixed-length trains) and channels. A 2-D series and
      the 3-D series with one channel are interchangeable.
    - ``n_features_in_`` is ``X.shape[1]`` for 2-D input, i.e. the number of
      steps, as scikit-learn defines it for 2-D arrays (so pipelines and
      feature-name checks behave as usual); for 3-D input it is the number of
      channels, as for spike trains in :func:`skspike.utils.validate_spiking_input`.

    Subclasses define ``_encode`` and may override ``_fit_series(series)``
    (learn from the validated 3-D float64 series), ``_prepare_series`` and
    ``_n_channels(n_channels_in)``.
    """

    _parameter_constraints: dict = {}

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Validate the series layout (and let the encoder learn from ``X``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) or (n_samples, n_steps, n_channels)
            Time series; 2-D input is a single channel.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted encoder.
        """
        self._check_params()
        series = self._validate_series(X, reset=True)
        self._fit_series(series)
        self.n_channels_ = self._n_channels(self.n_channels_in_)
        return self

    def transform(self, X):
        """Encode the time series ``X`` as spike trains.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) or (n_samples, n_steps, n_channels)
            Time series with the number of steps and channels seen in ``fit``.

        Returns
        -------
        spikes : ndarray of shape (n_samples, n_steps, `n_channels_`), dtype uint8
            Spike trains, one step per input step.
        """
        check_is_fitted(self)
        series = self._validate_series(X, reset=False)
        return self._encode_with_seed(self._prepare_series(series))

    def _check_params(self):
        """Hook for checks across parameters, run at the start of ``fit``."""

    def _fit_series(self, series):
        """Learn from the validated ``(n_samples, n_steps, n_channels)`` series."""

    def _prepare_series(self, series):
        return series

    def _n_channels(self, n_channels_in):
        return n_channels_in

    def _validate_series(self, X, *, reset):
        ndim = _ndim(X)
        if ndim not in (2, 3):
            shape = getattr(X, "shape", None)
            hint = " Reshape your data with X.reshape(1, -1) if it is a single series." if ndim == 1 else ""
            raise ValueError(
                f"{type(self).__name__} expects time series of shape (n_samples, n_steps) or "
                f"(n_samples, n_steps, n_channels); got a {ndim}-D array"
                + (f" of shape {shape}." if shape is not None else ".")
                + hint
            )
        fitted_2d = not reset and getattr(self, "input_ndim_", None) == 2
        if ndim == 2 and (reset or fitted_2d):
            # validate_data keeps scikit-learn's n_features_in_ / feature-name semantics.
            X = validate_data(self, X, reset=reset, dtype=np.float64)
            series = X[:, :, np.newaxis]
        elif ndim == 2:
            X = check_array(X, dtype=np.float64, input_name="X")
            series = X[:, :, np.newaxis]
        else:
            series = check_array(
                X, dtype=np.float64, allow_nd=True, ensure_min_features=1, input_name="X"
            )
        n_samples, n_steps, n_channels = series.shape
        if n_steps < 1 or n_channels < 1:
            raise ValueError(
                f"X has no time steps or no channels: shape {series.shape}; a time series "
                f"needs at least one step and one channel."
            )
        if reset:
            self.input_ndim_ = ndim
            self.n_steps_in_ = n_steps
            self.n_channels_in_ = n_channels
            if ndim == 3:
                self.n_features_in_ = n_channels
                if hasattr(self, "feature_names_in_"):
                    del self.feature_names_in_
            return series
        name = type(self).__name__
        if n_channels != self.n_channels_in_:
            raise ValueError(
                f"X has {n_channels} channels, but {name} is expecting "
                f"{self.n_channels_in_} channels as input."
            )
        if n_steps != self.n_steps_in_:
            raise ValueError(
                f"X has {n_steps} time steps, but {name} was fitted on series of "
                f"{self.n_steps_in_} steps."
            )
        return series


def _ndim(X):
    ndim = getattr(X, "ndim", None)
    if ndim is not None:
        return ndim
    try:
        return np.asarray(X, dtype=object).ndim
    except ValueError:  # ragged nesting; check_array will explain
        return np.ndim(np.asarray(X, dtype=object))


def _fit_range(X, feature_range, axis):
    """Per-feature ``(min, max)`` of ``X`` along ``axis``, or the fixed range."""
    if feature_range is None:
        return X.min(axis=axis), X.max(axis=axis)
    if (
        len(feature_range) != 2
        or not np.all(np.isfinite(np.asarray(feature_range, dtype=float)))
        or not feature_range[0] < feature_range[1]
    ):
        raise ValueError(
            f"feature_range must be (min, max) with finite min < max, got {feature_range!r}."
        )
    shape = np.delete(X.shape, axis)
    return (
        np.full(shape, float(feature_range[0])),
        np.full(shape, float(feature_range[1])),
    )


def _to_unit(X, data_min, scale):
    """``(X - data_min) / scale`` clipped to [0, 1] (a new array)."""
    # Far outside a narrow range the quotient may overflow to inf: clipped anyway.
    with np.errstate(over="ignore"):
        return np.clip((X - data_min) / scale, 0.0, 1.0)


def _scale(data_min, data_max):
    scale = data_max - data_min
    # A constant feature carries no information: it maps to intensity 0.
    scale[scale == 0.0] = np.inf
    return scale
