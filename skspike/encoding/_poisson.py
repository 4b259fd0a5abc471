"""Poisson rate encoder."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import BaseEncoder
from ._kernels import poisson_kernel

__all__ = ["PoissonEncoder"]


class PoissonEncoder(BaseEncoder):
    """Poisson rate code: each feature fires at a rate proportional to its value.

    Parameters
    ----------
    max_rate : float, default=400.0
        Firing rate in Hz of a feature at intensity 1 (spike probability
        0.4 per 1 ms step).
    n_steps : int, default=400
        Number of time steps. The defaults give a feature at intensity 1 an
        expected 160 spikes in the 400 ms window. The window sets how much
        of the values survives the code: the rate estimate ``x^ = count /
        (n_steps p_max)`` (``p_max = max_rate dt / 1000``) has variance
        ``x (1 / p_max - x) / n_steps``, a standard deviation of 0.05 at mid
        range with 400 steps (0.071 with 200). On small tabular data that
        noise, not the downstream learner, was the limit: a logistic
        regression on the encoder's rates of iris (75/25 split, encoder
        seeds 0-4) reached 91.6 % on average (84.2 % at the worst seed)
        with 200 steps, 96.8 % (92.1 %) with 400, against 97.4 % on the raw
        features; the default Poisson -> STDP -> NG-SNN pipeline went from
        91.1 % (84.2 %) to 96.3 % (94.7 %). A higher ``max_rate`` lowers the
        noise as well (1000 Hz, one spike per step at intensity 1: iris
        97.4 %), but the STDP layer learns worse from such dense trains
        (UCR Coffee 84.3 %, GunPoint 75.1 %, against 87.9 % and 76.5 %
        with 400 steps at 400 Hz; means over seeds 0-4). The longer window
        is not free on long flattened series: there the pipeline gave 90.7 %
        and 77.2 % with 200 steps, and its cost is linear in the window
        (twice the work of 200 steps for every consumer of the trains;
        ``benchmarks/results/defaults.md``).
    dt : float, default=1.0
        Step length in milliseconds, the default step of every skspike
        encoder and spiking estimator.
    feature_range : tuple (min, max) or None, default=None
        Fixed input range mapped to intensities [0, 1]. None learns each
        feature's min and max in ``fit``. Values outside are clipped.
    random_state : int, RandomState instance or None, default=None
        Seed of the spike draws. An int gives identical spikes at every call,
        whatever the number of threads.

    Attributes
    ----------
    data_min_, data_max_ : ndarray of shape (n_features,)
        Input range mapped to intensities 0 and 1.
    scale_ : ndarray of shape (n_features,)
        ``data_max_ - data_min_`` (inf for constant features).
    n_channels_ : int
        Output channels (= n_features).
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    RateEncoder : Deterministic, evenly spaced spikes.

    Notes
    -----
    A Bernoulli approximation of a homogeneous Poisson process: in each step of
    ``dt`` ms a channel with intensity ``x`` spikes with probability
    ``p = min(1, x * max_rate * dt / 1000)``, independently. The expected count
    over the window is ``p * n_steps``, i.e. ``rate * duration`` while
    ``p < 1``.

    A sample's random stream is keyed on its intensities and the seed, so
    ``transform(X)[i]`` equals ``transform(X[i:i + 1])[0]`` whatever the other
    rows, their order or the number of threads (identical rows get identical
    spikes). Each channel draws from its own stream: a rare channel
    (``p < 0.1``) the geometric gaps between its spikes, a busier one a
    threshold compare per step, the cheaper way for each; either way a
    channel's spikes over the first ``m`` steps are the same for any
    ``n_steps >= m``. The same generator draws the spikes of
    :class:`PopulationEncoder` (``coding="poisson"``) and the fused Poisson
    input of :class:`~skspike.feature_extraction.STDPFeatureExtractor`.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import PoissonEncoder
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0]])
    >>> spikes = PoissonEncoder(max_rate=500, n_steps=20, random_state=0).fit_transform(X)
    >>> spikes.shape, spikes.dtype
    ((2, 20, 2), dtype('uint8'))
    >>> int(spikes[0, :, 0].sum())
    0
    """

    _parameter_constraints: dict = {
        **BaseEncoder._parameter_constraints,
        "max_rate": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }
    _stochastic = True

    def __init__(self, max_rate=400.0, *, n_steps=400, dt=1.0, feature_range=None, random_state=None):
        self.max_rate = max_rate
        self.n_steps = n_steps
        self.dt = dt
        self.feature_range = feature_range
        self.random_state = random_state

    def spike_probability(self, intensities):
        """Per-step spike probability for intensities in [0, 1]."""
        return np.minimum(intensities * (self.max_rate * self.dt / 1000.0), 1.0)

    def _encode(self, intensities, seed):
        prob = np.ascontiguousarray(self.spike_probability(intensities))
        return poisson_kernel(prob, int(self.n_steps), seed)
