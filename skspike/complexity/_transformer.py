"""LZCTransformer: per-channel Lempel-Ziv complexity features of spike trains."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted

from .._ops import OperationCounts
from ..encoding._base import _ndim
from ..utils._validation import validate_spiking_input
from ._lempel_ziv import _as_binary_batch, _count, _normaliser

__all__ = ["LZCTransformer"]


class LZCTransformer(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Lempel-Ziv complexity of each channel of spike trains, as features.

    Parameters
    ----------
    normalize : bool, default=True
        Output the normalised complexity ``c(n) log2(n) / n`` instead of the
        LZ76 phrase count ``c(n)``.
    encoder : estimator or None, default=None
        Encoder turning static 2-D input ``(n_samples, n_features)`` into spike
        trains (e.g. :class:`~skspike.encoding.PoissonEncoder`); a clone is
        fitted in ``fit``. With None, 2-D input must already be binary and each
        row is taken as the single-channel train ``(n_samples, n_steps)`` of
        one sample. 3-D input is always used as time series.
    threshold : {"median", "mean"} or float, default="median"
        How a real-valued series becomes a binary train before its complexity
        is measured: each channel of each sample is 1 where it exceeds its own
        median over time (the LZC literature's rule, e.g. Zhang et al. 2001),
        its own mean, or a fixed number. A channel whose values are all 0 or
        1 is a spike train already and is used unchanged.

    Attributes
    ----------
    input_kind_ : {"spikes", "static"}
        Whether ``fit`` saw 3-D spike trains or 2-D input.
    n_features_in_ : int
        Channels of 3-D input; features (or, with ``encoder=None``, steps) of
        2-D input.
    n_steps_in_ : int
        Time steps of 3-D input (only set for spike input).
    n_channels_ : int
        Output features: one per spike channel (1 for 2-D binary rows).
    encoder_ : estimator
        Fitted clone of ``encoder`` (only when ``encoder`` is not None and the
        input is 2-D).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in ``fit`` (2-D input with string column names).

    See Also
    --------
    lempel_ziv_complexity : The function computed per channel.
    skspike.datasets.make_spike_trains : Equal-rate classes that LZC separates.

    Notes
    -----
    For every sample and channel the binary train ``s_1 ... s_n`` is mapped
    to its LZ76 complexity (Lempel & Ziv 1976, Kaspar & Schuster 1987)

    .. math:: C = \\frac{c(n) \\log_2 n}{n}

    (see :func:`lempel_ziv_complexity`). A real-valued channel ``x_1 ... x_n``
    is first binarised, ``s_t = [x_t > m]``, with ``m`` its median (or mean,
    or the fixed ``threshold``) over the ``n`` steps of that sample, so the
    features of a sample do not depend on the other samples. Irregular (Poisson-like) trains score
    near 1 at moderate rates, bursty or periodic trains lower; silent
    and saturated trains get ``2 log2(n) / n``. The transformer learns nothing
    but the input layout (and the encoder's scaling), so it composes after an
    encoder or a spiking feature extractor in a Pipeline.

    References
    ----------
    .. [1] Lempel, A. & Ziv, J. (1976). On the complexity of finite sequences.
       IEEE Transactions on Information Theory, 22(1), 75-81.
    .. [2] Kaspar, F. & Schuster, H. G. (1987). Easily calculable measure for
       the complexity of spatiotemporal patterns. Physical Review A, 36(2),
       842-848.
    .. [3] Zhang, X.-S., Roy, R. J. & Jensen, E. W. (2001). EEG complexity as a
       measure of depth of anesthesia for patients. IEEE Transactions on
       Biomedical Engineering, 48(12), 1424-1433 (median binarisation).

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.complexity import LZCTransformer
    >>> spikes = np.zeros((2, 64, 2), dtype=np.uint8)
    >>> spikes[0, ::2, 0] = 1
    >>> spikes[1] = np.random.default_rng(0).random((64, 2)) < 0.5
    >>> LZCTransformer(normalize=False).fit_transform(spikes)
    array([[ 3.,  2.],
           [11., 13.]])

    Real-valued series are binarised at each channel's median:

    >>> t = np.arange(64)
    >>> series = np.stack([np.sin(t / 4.0), np.random.default_rng(0).normal(size=64)])
    >>> LZCTransformer(normalize=False).fit_transform(series)
    array([[ 6.],
           [14.]])
    """

    _parameter_constraints: dict = {
        "normalize": ["boolean"],
        "encoder": [None, HasMethods(["fit", "transform"])],
        "threshold": [StrOptions({"median", "mean"}), Real],
    }

    def __init__(self, normalize=True, *, encoder=None, threshold="median"):
        self.normalize = normalize
        self.encoder = encoder
        self.threshold = threshold

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Record the input layout (and fit the encoder on static input).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps, n_channels) or (n_samples, n_features)
            Spike trains, or 2-D input (see ``encoder``).
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=False)
    def fit_transform(self, X, y=None):
        """Fit and return the LZC features of ``X`` (encoding ``X`` only once).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps, n_channels) or (n_samples, n_features)
            Spike trains, or 2-D input (see ``encoder``).
        y : None
            Ignored.

        Returns
        -------
        lzc : ndarray of shape (n_samples, `n_channels_`), float64
        """
        return self._lzc(self._fit(X))

    def transform(self, X):
        """Lempel-Ziv complexity of every channel of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps, n_channels) or (n_samples, n_features)
            Spike trains, or 2-D input (see ``encoder``).

        Returns
        -------
        lzc : ndarray of shape (n_samples, `n_channels_`), float64
            Normalised complexity (or phrase count with ``normalize=False``).
        """
        check_is_fitted(self)
        spikes = self._spikes(X, reset=False)
        return self._lzc(spikes)

    def count_operations(self, X):
        """Operation counts per sample of transforming ``X``.

        The LZ76 scan compares symbols; it performs no synaptic operation,
        updates no neuron and emits no spike, so all NeuroBench counts are 0.
        ``footprint_bytes`` is the per-sample working buffer (one byte per step
        and channel). When this transformer encodes static input itself
        (``encoder`` set), the encoder's counts (its emitted spikes) are added.

        Parameters
        ----------
        X : array-like
            Input as for :meth:`transform`.

        Returns
        -------
        counts : OperationCounts
        """
        check_is_fitted(self)
        spikes = self._spikes(X, reset=False)
        counts = OperationCounts(footprint_bytes=int(spikes.shape[1] * spikes.shape[2]))
        if getattr(self, "encoder_", None) is not None and hasattr(self.encoder_, "count_operations"):
            counts = counts + self.encoder_.count_operations(X)
        return counts

    @property
    def _n_features_out(self):
        return self.n_channels_

    def _fit(self, X):
        spikes = self._spikes(X, reset=True)
        self.n_channels_ = int(spikes.shape[2])
        return spikes

    def _spikes(self, X, *, reset):
        if not hasattr(X, "iloc") and _ndim(X) == 3:
            series = check_array(X, dtype=None, allow_nd=True, ensure_min_features=1,
                                 input_name="X")
            if series.dtype.kind not in "biuf":
                series = check_array(series, dtype=np.float64, allow_nd=True, input_name="X")
            X = self._binarise(series, axis=1)
        data, _ = validate_spiking_input(self, X, reset=reset)
        if data.ndim == 2:
            # encoder=None: each row of 2-D input is a single-channel series.
            data = self._binarise(data, axis=1)
            data, _ = _as_binary_batch(data, axis=-1)
            data = data.reshape(data.shape[0], data.shape[1], 1)
        return data

    def _binarise(self, series, axis):
        """Binary trains of ``series`` along the time ``axis`` (a new array)."""
        series = np.asarray(series)
        binary = np.all((series == 0) | (series == 1), axis=axis)
        if binary.all():
            return series.astype(np.uint8)
        values = series.astype(np.float64)
        if self.threshold == "median":
            level = np.median(values, axis=axis, keepdims=True)
        elif self.threshold == "mean":
            level = np.mean(values, axis=axis, keepdims=True)
        else:
            level = float(self.threshold)
        out = (values > level).astype(np.uint8)
        keep = np.expand_dims(binary, axis)
        return np.where(keep, values == 1.0, out).astype(np.uint8)

    def _lzc(self, spikes):
        n_samples, n_steps, n_channels = spikes.shape
        counts = _count(spikes).reshape(n_samples, n_channels).astype(np.float64)
        if self.normalize:
            counts /= _normaliser(n_steps)
        return counts

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
