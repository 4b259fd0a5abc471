"""Time-to-first-spike (latency) encoder."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseEncoder
from ._kernels import latency_kernel

__all__ = ["LatencyEncoder"]


def linear_latency_steps(values, threshold, n_steps):
    """Linear latency: step ``rint((1 - v) / (1 - threshold) * (n_steps - 1))``.

    ``values`` in [0, 1]; values at or below ``threshold`` get ``-1`` (no
    spike). Value 1 fires at step 0, values just above ``threshold`` at the
    last step.
    """
    values = np.asarray(values, dtype=np.float64)
    steps = np.rint((1.0 - values) * ((n_steps - 1) / (1.0 - threshold))).astype(np.int64)
    steps[values <= threshold] = -1
    return steps


class LatencyEncoder(BaseEncoder):
    """Latency (time-to-first-spike) code: one spike per feature, stronger earlier.

    Parameters
    ----------
    method : {"linear", "log"}, default="linear"
        Mapping from intensity to spike time: ``"linear"`` spreads intensities
        (threshold, 1] evenly over the window; ``"log"`` is the firing time of
        an RC (leaky integrator) neuron driven by the intensity, see Notes.
    tau : float or None, default=None
        Membrane time constant in ms of the ``"log"`` mapping. None picks
        ``tau = (n_steps - 1) * dt / ln(1 / threshold)``, which makes the
        window end exactly when intensity ``threshold / (1 - threshold)``
        fires. Ignored by ``"linear"``.
    threshold : float in [0, 1), default=0.01
        Intensities at or below ``threshold`` emit no spike (so zero input is
        silent). For ``"log"`` it is also the RC neuron's firing threshold
        and must be positive.
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

    Attributes
    ----------
    data_min_, data_max_ : ndarray of shape (n_features,)
        Input range mapped to intensities 0 and 1.
    scale_ : ndarray of shape (n_features,)
        ``data_max_ - data_min_`` (inf for constant features, which map to 0
        and never fire).
    tau_ : float or None
        Time constant in ms used by ``"log"`` (None for ``"linear"``).
    n_channels_ : int
        Output channels (= n_features).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in ``fit``, when ``X`` has string column names.

    See Also
    --------
    RateEncoder : Intensity coded by the number of spikes.
    PopulationEncoder : Gaussian receptive fields, then latency coding.

    Notes
    -----
    With intensity ``x`` and threshold ``theta``, only ``x > theta`` fires,
    once.

    ``"linear"``: spike at step
    ``k = round((1 - x) / (1 - theta) * (n_steps - 1))``: ``x = 1`` fires at
    step 0, ``x -> theta`` at the last step.

    ``"log"``: an RC neuron ``tau dv/dt = -v + x`` starting from ``v = 0``
    reaches ``theta`` at ``t(x) = tau * ln(x / (x - theta))`` ms; it fires in
    step ``k = floor(t(x) / dt)``. Spikes that would come after the window
    (intensities just above ``theta``) are dropped. The mapping compresses
    strong intensities into the first steps (``t ~ tau * theta / x`` for
    ``x >> theta``); raise ``threshold`` to spread them out.

    Both mappings are non-increasing in ``x``: a stronger input never fires
    later.

    References
    ----------
    .. [1] Thorpe, S., Delorme, A. & Van Rullen, R. (2001). Spike-based
       strategies for rapid processing. Neural Networks, 14(6-7), 715-725.
    .. [2] Eshraghian, J. K. et al. (2023). Training spiking neural networks
       using lessons from deep learning. Proceedings of the IEEE, 111(9).

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import LatencyEncoder
    >>> X = np.array([[0.0, 0.5, 1.0]])
    >>> enc = LatencyEncoder(n_steps=5, threshold=0.0, feature_range=(0, 1))
    >>> enc.fit_transform(X)[0].T
    array([[0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0],
           [1, 0, 0, 0, 0]], dtype=uint8)
    >>> log_enc = enc.set_params(method="log", threshold=0.2).fit(X)
    >>> log_enc.spike_steps(log_enc.intensities(X))
    array([[-1,  1,  0]])
    """

    _parameter_constraints: dict = {
        **BaseEncoder._parameter_constraints,
        "method": [StrOptions({"linear", "log"})],
        "tau": [None, Interval(Real, 0, None, closed="neither")],
        "threshold": [Interval(Real, 0, 1, closed="left")],
    }

    def __init__(
        self, method="linear", *, tau=None, threshold=0.01, n_steps=30, dt=1.0, feature_range=None
    ):
        self.method = method
        self.tau = tau
        self.threshold = threshold
        self.n_steps = n_steps
        self.dt = dt
        self.feature_range = feature_range

    def _check_params(self):
        if self.method == "log" and self.threshold <= 0:
            raise ValueError(
                "threshold must be positive with method='log' (an RC neuron with threshold 0 "
                f"fires at once for every input); got threshold={self.threshold!r}."
            )
        if self.method == "log":
            self.tau_ = (
                float(self.tau)
                if self.tau is not None
                else (self.n_steps - 1) * self.dt / np.log(1.0 / self.threshold)
            )
        else:
            self.tau_ = None

    def spike_steps(self, intensities):
        """Step of the single spike of each channel, -1 for no spike.

        Parameters
        ----------
        intensities : ndarray of shape (n_samples, n_features)
            Intensities in [0, 1], e.g. from :meth:`intensities`.

        Returns
        -------
        steps : ndarray of shape (n_samples, n_features), int64
            Spike step in ``[0, n_steps)``, or -1 when the channel is silent.
        """
        x = np.asarray(intensities, dtype=np.float64)
        n_steps = int(self.n_steps)
        if self.method == "linear":
            return linear_latency_steps(x, self.threshold, n_steps)
        fires = x > self.threshold
        with np.errstate(divide="ignore", invalid="ignore"):
            # -log1p(-theta/x) = ln(x / (x - theta)), monotone in x under rounding.
            t = -self.tau_ * np.log1p(-self.threshold / np.where(fires, x, 1.0))
            steps = np.floor(t / self.dt)
        late = ~fires | ~(steps < n_steps)
        steps[late] = -1
        return steps.astype(np.int64)

    def _encode(self, intensities, seed):
        return latency_kernel(self.spike_steps(intensities), int(self.n_steps))
