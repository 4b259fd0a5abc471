"""Delta (send-on-delta, ON/OFF) encoder for time series."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._base import BaseTimeSeriesEncoder
from ._kernels import delta_kernel

__all__ = ["DeltaEncoder"]


class DeltaEncoder(BaseTimeSeriesEncoder):
    """Delta (ON/OFF) code of time series: spike when the signal moved by more than a threshold.

    Parameters
    ----------
    threshold : float, default=0.1
        Change, in the units of the input, that triggers a spike.

    Attributes
    ----------
    n_steps_in_ : int
        Steps of the series seen in ``fit``; output spikes have as many.
    n_channels_in_ : int
        Input channels (1 for 2-D input).
    input_ndim_ : int
        2 or 3, the layout of ``X`` in ``fit``.
    n_channels_ : int
        Output channels, ``2 * n_channels_in_``: channel ``2c`` is the ON
        (rise) and ``2c + 1`` the OFF (fall) channel of input channel ``c``.
    n_features_in_ : int
        ``n_steps_in_`` for 2-D input (scikit-learn's column count),
        ``n_channels_in_`` for 3-D input.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns seen in ``fit``, for 2-D ``X`` with string column names.

    See Also
    --------
    BSAEncoder : Time series to spikes by deconvolution with a filter.
    EventBinner : Spikes from event-camera or cochlea events.

    Notes
    -----
    Per sample and channel the reference level starts at the first value,
    ``ref = x[0]`` (step 0 never spikes). At step ``t >= 1``, if
    ``x[t] - ref > threshold`` the ON channel spikes, if
    ``ref - x[t] > threshold`` the OFF channel spikes, and in both cases the
    reference becomes ``x[t]``. This is the send-on-delta / temporal-contrast
    scheme of event cameras and silicon cochleas: a slow drift spikes once
    per ``threshold`` of accumulated change, a jump of any size spikes once.
    The code is invariant to a constant offset of the series, so no scaling
    is learned (``threshold`` is in input units) and nothing is clipped.

    References
    ----------
    .. [1] Lichtsteiner, P., Posch, C. & Delbruck, T. (2008). A 128x128 120 dB
       15 us latency asynchronous temporal contrast vision sensor. IEEE
       Journal of Solid-State Circuits, 43(2), 566-576.
    .. [2] Petro, B., Kasabov, N. & Kiss, R. M. (2020). Selection and
       optimization of temporal spike encoding methods for spiking neural
       networks. IEEE Trans. Neural Netw. Learn. Syst., 31(2), 358-370.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import DeltaEncoder
    >>> X = np.array([[0.0, 0.05, 0.2, 0.25, 0.5, 0.1]])
    >>> spikes = DeltaEncoder(threshold=0.1).fit_transform(X)
    >>> spikes.shape
    (1, 6, 2)
    >>> spikes[0].T  # row 0: ON, row 1: OFF
    array([[0, 0, 1, 0, 1, 0],
           [0, 0, 0, 0, 0, 1]], dtype=uint8)
    """

    _parameter_constraints: dict = {
        **BaseTimeSeriesEncoder._parameter_constraints,
        "threshold": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, threshold=0.1):
        self.threshold = threshold

    def _n_channels(self, n_channels_in):
        return 2 * n_channels_in

    def get_feature_names_out(self, input_features=None):
        """Channel names ``deltaencoder{c}_on`` and ``deltaencoder{c}_off``.

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
        names = [f"{prefix}{c}_{kind}" for c in range(self.n_channels_in_) for kind in ("on", "off")]
        return np.asarray(names, dtype=object)

    def _encode(self, series, seed):
        return delta_kernel(np.ascontiguousarray(series), float(self.threshold))
