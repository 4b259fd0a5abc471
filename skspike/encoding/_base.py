"""Template-method base of the spike encoders."""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from .._ops import OperationCounts

__all__ = ["BaseEncoder"]


class BaseEncoder(TransformerMixin, BaseEstimator, metaclass=ABCMeta):
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

    #: Whether ``_encode`` uses ``seed`` (stochastic encoders).
    _stochastic = False

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
        X = validate_data(self, X, dtype=np.float64)
        if self.feature_range is None:
            data_min = X.min(axis=0)
            data_max = X.max(axis=0)
        else:
            if len(self.feature_range) != 2 or not self.feature_range[0] < self.feature_range[1]:
                raise ValueError(
                    f"feature_range must be (min, max) with min < max, got {self.feature_range!r}."
                )
            data_min = np.full(X.shape[1], float(self.feature_range[0]))
            data_max = np.full(X.shape[1], float(self.feature_range[1]))
        scale = data_max - data_min
        # A constant feature carries no information: it maps to intensity 0.
        scale[scale == 0.0] = np.inf
        self.data_min_ = data_min
        self.data_max_ = data_max
        self.scale_ = scale
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
        intensities = self.intensities(X)
        seed = self._seed() if self._stochastic else 0
        return self._encode(intensities, seed)

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
        return np.clip((X - self.data_min_) / self.scale_, 0.0, 1.0)

    def count_operations(self, X):
        """Operation counts of encoding ``X``, averaged per sample.

        The encoder itself performs no synaptic operations; it reports the
        spikes it emits and the activation slots, so a Pipeline's total can
        see the sparsity of its input code.

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
        """Channel names ``encoder0, encoder1, ...`` (one per output channel)."""
        check_is_fitted(self)
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(self.n_channels_)], dtype=object)

    def _seed(self):
        from ..utils import derive_seed

        return derive_seed(self.random_state)

    def _n_channels(self, n_features):
        return n_features

    @abstractmethod
    def _encode(self, intensities, seed):
        """Return uint8 spikes ``(n_samples, n_steps, n_channels)``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        tags.non_deterministic = False
        return tags
