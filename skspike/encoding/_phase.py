"""Weighted phase encoder (Kim et al. 2018)."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ..utils._validation import check_spikes
from ._base import BaseEncoder
from ._kernels import phase_kernel

__all__ = ["PhaseEncoder"]


class PhaseEncoder(BaseEncoder):
    """Weighted phase code: the bits of the quantised intensity, one per phase.

    Parameters
    ----------
    n_bits : int, default=8
        Bits ``K`` of the quantised intensity, and the period in steps.
        At most 30, which keeps :meth:`decode` exact for any train length.
    n_steps : int, default=100
        Number of time steps; at least ``n_bits``. The K-step period repeats;
        a last, incomplete period carries the leading bits only.
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
    step_weights_ : ndarray of shape (n_steps,)
        Weight ``2**-(k+1)`` of a spike in step ``t`` (phase ``k = t % n_bits``).
    n_channels_ : int
        Output channels (= n_features).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in ``fit``, when ``X`` has string column names.

    See Also
    --------
    LatencyEncoder : One spike per feature, timing codes the intensity.

    Notes
    -----
    An intensity ``x`` in [0, 1] is quantised to the level
    ``q = min(floor(x * 2**K), 2**K - 1)``, i.e. truncated to its first K
    binary digits ``b_0 b_1 ... b_{K-1}`` (most significant first; ``x = 1``
    saturates at all ones). In step ``t`` the channel spikes iff bit
    ``b_k``, ``k = t mod K``, is set; a spike in phase ``k`` weighs
    ``2**-(k+1)``, so the weighted sum over one period is ``q / 2**K``, the
    quantised intensity, which :meth:`decode` returns exactly. The
    quantisation error ``x - q / 2**K`` lies in ``[0, 2**-K)``.

    References
    ----------
    .. [1] Kim, J., Kim, H., Huh, S., Lee, J. & Choi, K. (2018). Deep neural
       networks with weighted spikes. Neurocomputing, 311, 373-386.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import PhaseEncoder
    >>> X = np.array([[0.0], [0.625], [1.0]])
    >>> enc = PhaseEncoder(n_bits=3, n_steps=6, feature_range=(0, 1))
    >>> spikes = enc.fit_transform(X)
    >>> spikes[:, :, 0]
    array([[0, 0, 0, 0, 0, 0],
           [1, 0, 1, 1, 0, 1],
           [1, 1, 1, 1, 1, 1]], dtype=uint8)
    >>> enc.decode(spikes)
    array([[0.   ],
           [0.625],
           [0.875]])
    """

    _parameter_constraints: dict = {
        **BaseEncoder._parameter_constraints,
        "n_bits": [Interval(Integral, 1, 30, closed="both")],
    }

    def __init__(self, n_bits=8, *, n_steps=100, dt=1.0, feature_range=None):
        self.n_bits = n_bits
        self.n_steps = n_steps
        self.dt = dt
        self.feature_range = feature_range

    def _check_params(self):
        if self.n_steps < self.n_bits:
            raise ValueError(
                f"n_steps={self.n_steps} is shorter than one phase period of n_bits="
                f"{self.n_bits} steps; the lowest bits could not be sent."
            )
        phase = np.arange(self.n_steps) % self.n_bits
        self.step_weights_ = np.ldexp(1.0, -(phase + 1))

    def levels(self, intensities):
        """Quantisation levels ``q = min(floor(x * 2**n_bits), 2**n_bits - 1)``.

        Parameters
        ----------
        intensities : ndarray of shape (n_samples, n_features)
            Intensities in [0, 1].

        Returns
        -------
        levels : ndarray of shape (n_samples, n_features), int64
        """
        top = (1 << int(self.n_bits)) - 1
        scaled = np.floor(np.ldexp(np.asarray(intensities, dtype=np.float64), int(self.n_bits)))
        return np.minimum(scaled, top).astype(np.int64)

    def quantize(self, X):
        """Quantised intensities ``q / 2**n_bits`` of ``X``, what :meth:`decode` recovers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        quantised : ndarray of shape (n_samples, n_features), float64
        """
        return np.ldexp(self.levels(self.intensities(X)).astype(np.float64), -int(self.n_bits))

    def decode(self, spikes):
        """Recover quantised intensities from phase-coded spikes.

        Averages the weighted sum ``sum_k 2**-(k+1) * s_k`` over the complete
        periods of the train; a trailing incomplete period is ignored.

        Parameters
        ----------
        spikes : array-like of shape (n_samples, n_steps, n_channels)
            Spikes as produced by :meth:`transform` (at least one full period).

        Returns
        -------
        intensities : ndarray of shape (n_samples, n_channels), float64
            ``q / 2**n_bits``, exactly for trains produced by this encoder.
        """
        check_is_fitted(self)
        spikes = check_spikes(spikes, name="spikes")
        n_samples, n_steps, n_channels = spikes.shape
        n_bits = int(self.n_bits)
        if n_channels != self.n_channels_:
            raise ValueError(
                f"spikes has {n_channels} channels, but {type(self).__name__} is expecting "
                f"{self.n_channels_} channels."
            )
        n_periods = n_steps // n_bits
        if n_periods == 0:
            raise ValueError(
                f"spikes has {n_steps} steps, fewer than one period of n_bits={n_bits}."
            )
        periods = spikes[:, : n_periods * n_bits].reshape(n_samples, n_periods, n_bits, n_channels)
        # Integer bit weights keep the sum exact; one division rounds once.
        bit_weights = np.left_shift(np.int64(1), np.arange(n_bits - 1, -1, -1, dtype=np.int64))
        totals = np.einsum("spkc,k->sc", periods.astype(np.int64), bit_weights)
        return totals / float(n_periods * (1 << n_bits))

    def _encode(self, intensities, seed):
        return phase_kernel(self.levels(intensities), int(self.n_bits), int(self.n_steps))
