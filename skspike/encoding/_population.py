"""Population encoder with Gaussian receptive fields (Bohte et al. 2002)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseEncoder
from ._kernels import latency_kernel, poisson_kernel, rate_kernel
from ._latency import linear_latency_steps

__all__ = ["PopulationEncoder"]


class PopulationEncoder(BaseEncoder):
    """Population code: Gaussian receptive fields per feature, then latency or rate.

    Each feature is seen by ``n_receptive`` neurons with overlapping Gaussian
    tuning curves; each neuron's response in [0, 1] is sent as a spike time
    (``"latency"``) or a firing rate (``"rate"``, ``"poisson"``).

    Parameters
    ----------
    n_receptive : int, default=5
        Receptive fields (output channels) per feature, at least 3.
    beta : float, default=1.5
        Width factor of the fields: ``sigma = 1 / (beta * (n_receptive - 2))``
        in intensity units; larger ``beta`` gives narrower fields.
    coding : {"latency", "rate", "poisson"}, default="latency"
        How a response ``r`` becomes spikes: ``"latency"`` one spike, earlier
        for larger ``r`` (as Bohte et al.); ``"rate"`` deterministic, evenly
        spaced spikes at rate ``r * max_rate`` (as :class:`RateEncoder`);
        ``"poisson"`` Bernoulli spikes at that rate (as
        :class:`PoissonEncoder`), the only stochastic option.
    min_response : float in [0, 1), default=0.1
        Responses at or below it are silent (Bohte et al. use 0.1), so that
        only the fields near the value fire.
    max_rate : float, default=100.0
        Rate in Hz of a response of 1 (``"rate"`` and ``"poisson"`` only).
    n_steps : int, default=30
        Number of time steps. One spike per channel needs no long window:
        30 steps resolve an intensity to 1/30 of the range and match the
        integration window of :class:`~skspike.classifiers.NGSNNClassifier`
        (``tau_m = 20`` ms), so a downstream membrane still holds the early
        spikes when the late ones arrive.
    dt : float, default=1.0
        Step length in milliseconds, the default step of every skspike
        encoder and spiking estimator.
    feature_range : tuple (min, max) or None, default=None
        Fixed input range mapped to intensities [0, 1]. None learns each
        feature's min and max in ``fit``. Values outside the range are
        clipped to it.
    random_state : int, RandomState instance or None, default=None
        Seed of the spike draws with ``coding="poisson"``; unused otherwise
        (the other codings are deterministic).

    Attributes
    ----------
    centers_ : ndarray of shape (n_receptive,)
        Field centres in intensity units (the outer two lie outside [0, 1]).
    sigma_ : float
        Field width (standard deviation) in intensity units.
    data_min_, data_max_ : ndarray of shape (n_features,)
        Input range mapped to intensities 0 and 1.
    scale_ : ndarray of shape (n_features,)
        ``data_max_ - data_min_`` (inf for constant features, which map to 0).
    n_channels_ : int
        Output channels, ``n_features * n_receptive``; channel
        ``f * n_receptive + i`` is field ``i`` of feature ``f``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in ``fit``, when ``X`` has string column names.

    See Also
    --------
    LatencyEncoder : One channel per feature, latency code.
    RateEncoder, PoissonEncoder : One channel per feature, rate codes.

    Notes
    -----
    Following Bohte, Kok & La Poutre (2002), for ``m = n_receptive`` fields
    over the intensity range [0, 1] the centres are
    ``mu_i = (2i - 3) / (2 (m - 2))``, ``i = 1 .. m`` (spacing
    ``1 / (m - 2)``, the outer centres half a spacing outside the range) and
    the common width is ``sigma = 1 / (beta (m - 2))``. The response of field
    ``i`` to intensity ``x`` is ``r_i = exp(-(x - mu_i)**2 / (2 sigma**2))``.

    ``"latency"``: field ``i`` fires once at step
    ``round((1 - r_i) / (1 - min_response) * (n_steps - 1))``: the best
    matching field at once, weaker ones later, fields with
    ``r_i <= min_response`` never. ``"rate"``/``"poisson"``: responses at or
    below ``min_response`` are set to 0, the others fire with probability
    ``min(1, r_i * max_rate * dt / 1000)`` per step (Poisson) or exactly
    ``round`` of that times ``n_steps`` evenly spaced spikes (rate).

    References
    ----------
    .. [1] Bohte, S. M., Kok, J. N. & La Poutre, H. (2002). Error-backpropagation
       in temporally encoded networks of spiking neurons. Neurocomputing, 48,
       17-37.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import PopulationEncoder
    >>> X = np.array([[0.0], [0.5], [1.0]])
    >>> enc = PopulationEncoder(n_receptive=4, n_steps=10).fit(X)
    >>> enc.centers_
    array([-0.25,  0.25,  0.75,  1.25])
    >>> spikes = enc.transform(X)
    >>> spikes.shape
    (3, 10, 4)
    >>> spikes[1].T  # x = 0.5: the two middle fields fire at step 2, the outer stay silent
    array([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], dtype=uint8)
    """

    _parameter_constraints: dict = {
        **BaseEncoder._parameter_constraints,
        "n_receptive": [Interval(Integral, 3, None, closed="left")],
        "beta": [Interval(Real, 0, None, closed="neither")],
        "coding": [StrOptions({"latency", "rate", "poisson"})],
        "min_response": [Interval(Real, 0, 1, closed="left")],
        "max_rate": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_receptive=5,
        *,
        beta=1.5,
        coding="latency",
        min_response=0.1,
        max_rate=100.0,
        n_steps=30,
        dt=1.0,
        feature_range=None,
        random_state=None,
    ):
        self.n_receptive = n_receptive
        self.beta = beta
        self.coding = coding
        self.min_response = min_response
        self.max_rate = max_rate
        self.n_steps = n_steps
        self.dt = dt
        self.feature_range = feature_range
        self.random_state = random_state

    @property
    def _stochastic(self):
        return self.coding == "poisson"

    def _check_params(self):
        m = int(self.n_receptive)
        self.centers_ = (2.0 * np.arange(1, m + 1) - 3.0) / (2.0 * (m - 2))
        self.sigma_ = 1.0 / (self.beta * (m - 2))

    def _n_channels(self, n_features):
        return n_features * int(self.n_receptive)

    def responses(self, intensities):
        """Receptive-field responses in [0, 1] to intensities.

        Parameters
        ----------
        intensities : ndarray of shape (n_samples, n_features)
            Intensities in [0, 1], e.g. from :meth:`intensities`.

        Returns
        -------
        responses : ndarray of shape (n_samples, n_features * n_receptive)
            Channel ``f * n_receptive + i`` holds field ``i`` of feature ``f``.
        """
        x = np.asarray(intensities, dtype=np.float64)
        z = (x[:, :, np.newaxis] - self.centers_) / self.sigma_
        r = np.exp(-0.5 * z * z)
        return r.reshape(x.shape[0], -1)

    def _encode(self, intensities, seed):
        r = self.responses(intensities)
        n_steps = int(self.n_steps)
        if self.coding == "latency":
            return latency_kernel(linear_latency_steps(r, self.min_response, n_steps), n_steps)
        r[r <= self.min_response] = 0.0
        prob = np.minimum(r * (self.max_rate * self.dt / 1000.0), 1.0)
        if self.coding == "rate":
            return rate_kernel(np.rint(prob * n_steps).astype(np.int64), n_steps)
        return poisson_kernel(np.ascontiguousarray(prob), n_steps, seed)
