"""Deterministic rate (uniform) encoder."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import BaseEncoder
from ._kernels import rate_kernel

__all__ = ["RateEncoder"]


class RateEncoder(BaseEncoder):
    """Deterministic rate code: evenly spaced spikes, rate proportional to intensity.

    Parameters
    ----------
    max_rate : float, default=100.0
        Firing rate in Hz of a feature at intensity 1.
    n_steps : int, default=100
        Number of time steps.
    dt : float, default=1.0
        Step length in milliseconds.
    feature_range : tuple (min, max) or None, default=None
        Fixed input range mapped to intensities [0, 1]. None learns each
        feature's min and max in ``fit``. Values outside the range are
        clipped to it.

    Attributes
    ----------
    data_min_, data_max_ : ndarray of shape (n_features,)
        Input range mapped to intensities 0 and 1.
    scale_ : ndarray of shape (n_features,)
        ``data_max_ - data_min_`` (inf for constant features, which map to 0).
    n_channels_ : int
        Output channels (= n_features).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in ``fit``, when ``X`` has string column names.

    See Also
    --------
    PoissonEncoder : The same rate with random (Bernoulli) spike times.
    LatencyEncoder : One spike per feature, timing codes the intensity.

    Notes
    -----
    A feature of intensity ``x`` fires at rate ``r = x * max_rate`` (Hz),
    i.e. with ``p = min(1, r * dt / 1000)`` spikes per step. Over the window
    of ``n_steps`` it emits exactly ``n = round(p * n_steps)`` spikes (ties
    round to even), the count of a Poisson train of the same rate rounded to
    its mean, without the Poisson variance. Spike ``j`` (``j = 0 .. n-1``)
    falls on step ``floor((2j + 1) * n_steps / (2n))``, the centre of the
    j-th of ``n`` equal slices of the window, so inter-spike intervals differ
    by at most one step. Unlike an integrate-and-fire converter, a weak input
    still spikes inside a short window (its single spike sits mid-window).

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import RateEncoder
    >>> X = np.array([[0.0], [0.5], [1.0]])
    >>> spikes = RateEncoder(max_rate=400, n_steps=10).fit_transform(X)
    >>> spikes[:, :, 0]
    array([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0, 0, 0, 1, 0, 0],
           [0, 1, 0, 1, 0, 0, 1, 0, 1, 0]], dtype=uint8)
    """

    _parameter_constraints: dict = {
        **BaseEncoder._parameter_constraints,
        "max_rate": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, max_rate=100.0, *, n_steps=100, dt=1.0, feature_range=None):
        self.max_rate = max_rate
        self.n_steps = n_steps
        self.dt = dt
        self.feature_range = feature_range

    def spike_counts(self, intensities):
        """Spike count per channel over the window for intensities in [0, 1].

        Parameters
        ----------
        intensities : ndarray of shape (n_samples, n_features)

        Returns
        -------
        counts : ndarray of shape (n_samples, n_features), int64
        """
        prob = np.minimum(np.asarray(intensities) * (self.max_rate * self.dt / 1000.0), 1.0)
        return np.rint(prob * self.n_steps).astype(np.int64)

    def _encode(self, intensities, seed):
        return rate_kernel(self.spike_counts(intensities), int(self.n_steps))
