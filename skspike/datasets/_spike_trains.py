"""Synthetic class-conditional spike-train data."""

from numbers import Integral, Real

import numpy as np
from numba import prange
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from .._config import jit
from .._numba._random import next_uniform, stream_seed
from ..utils._random import derive_seed

__all__ = ["make_spike_trains"]

_DEFAULT_RATES = (20.0, 60.0)  # Hz, range of the per-class rates of poisson / bernoulli
_DEFAULT_MARKOV_RATE = 100.0  # Hz, common rate of all markov classes
_DEFAULT_BURSTINESS = (0.0, 0.7)  # range of the per-class lag-1 correlation (markov)


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "n_channels": [Interval(Integral, 1, None, closed="left")],
        "n_classes": [Interval(Integral, 1, None, closed="left")],
        "process": [StrOptions({"poisson", "bernoulli", "markov"})],
        "rates": [None, Interval(Real, 0, None, closed="left"), "array-like"],
        "dt": [Interval(Real, 0, None, closed="neither")],
        "burstiness": [None, Interval(Real, None, 1, closed="neither"), "array-like"],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_spike_trains(
    n_samples=200,
    n_steps=100,
    n_channels=10,
    *,
    n_classes=2,
    process="poisson",
    rates=None,
    dt=1.0,
    burstiness=None,
    shuffle=True,
    random_state=None,
):
    """Generate class-conditional spike trains.

    Every channel of a sample of class ``k`` is an independent binary train
    drawn from the source of class ``k``. With ``process="poisson"`` or
    ``"bernoulli"`` the classes differ in firing rate; with ``"markov"`` they
    share one mean rate by default and differ only in temporal structure
    (burstiness), so spike counts carry no class information but the
    complexity of the trains does.

    Parameters
    ----------
    n_samples : int, default=200
        Number of samples, split as evenly as possible between the classes.
    n_steps : int, default=100
        Time steps per train; one step lasts ``dt`` ms.
    n_channels : int, default=10
        Channels (independent trains) per sample.
    n_classes : int, default=2
        Number of classes.
    process : {"poisson", "bernoulli", "markov"}, default="poisson"
        Source of the trains (see Notes).
    rates : float or array-like of shape (n_classes,), default=None
        Firing rates in Hz per class (a scalar gives all classes the same
        rate). None means rates evenly spaced from 20 to 60 Hz for "poisson"
        and "bernoulli" (20 Hz for a single class), and 100 Hz for every class
        with "markov".
    dt : float, default=1.0
        Step length in milliseconds.
    burstiness : float or array-like of shape (n_classes,), default=None
        Only for ``process="markov"``: lag-1 autocorrelation ``lambda`` of each
        class's trains, in ``[max(-p / (1 - p), 1 - 1 / p), 1)``. 0 is a
        Bernoulli train, positive values give bursts, negative values regular
        (alternating) firing. None means values evenly spaced from 0.0 to 0.7.
    shuffle : bool, default=True
        Shuffle the samples. Otherwise classes come in contiguous blocks.
    random_state : int, RandomState instance or None, default=None
        Seed of the trains and of the shuffle. An int gives identical data at
        every call, whatever the number of threads.

    Returns
    -------
    X : ndarray of shape (n_samples, n_steps, n_channels), dtype uint8
        Spike trains (1 = spike in that step).
    y : ndarray of shape (n_samples,), dtype int64
        Class labels ``0 .. n_classes - 1``.

    Raises
    ------
    ValueError
        If a spike probability falls outside [0, 1], a burstiness value is
        not admissible for its rate, ``burstiness`` is given for another
        process, or there are more classes than samples.

    See Also
    --------
    skspike.complexity.lempel_ziv_complexity : Separates the markov classes.
    skspike.encoding.PoissonEncoder : Poisson spikes from static data.

    Notes
    -----
    With ``r`` the class rate in Hz and ``dt`` in ms, the per-step spike
    probability is

    - ``"poisson"``: ``p = 1 - exp(-r dt / 1000)``, the probability of at least
      one event of a homogeneous Poisson process in a step (events in the same
      step merge into one spike);
    - ``"bernoulli"``: ``p = r dt / 1000`` (must be at most 1), independent steps;
    - ``"markov"``: ``p = r dt / 1000`` is the stationary spike probability of a
      two-state Markov chain with transition probabilities

      .. math:: P(1 \\mid 1) = p + \\lambda (1 - p), \\qquad
                P(1 \\mid 0) = p (1 - \\lambda),

      where ``lambda`` is the class burstiness: the chain's second eigenvalue
      and the lag-1 autocorrelation of the train. Each train starts in the
      stationary distribution, so the expected count ``p * n_steps`` is the
      same for every class of equal rate; bursts last ``1 / (1 - P(1|1))``
      steps on average. ``lambda = 0`` reduces to the Bernoulli process.

    Each sample draws from its own counter-based random stream.

    Examples
    --------
    >>> from skspike.datasets import make_spike_trains
    >>> X, y = make_spike_trains(n_samples=6, n_steps=50, n_channels=4, random_state=0)
    >>> X.shape, X.dtype, y.shape
    ((6, 50, 4), dtype('uint8'), (6,))
    >>> X, y = make_spike_trains(
    ...     n_samples=4, process="markov", burstiness=[0.0, 0.8], random_state=0)
    >>> sorted(set(y.tolist()))
    [0, 1]
    """
    if n_classes > n_samples:
        raise ValueError(
            f"n_classes={n_classes} is larger than n_samples={n_samples}; every class "
            "needs at least one sample."
        )
    if burstiness is not None and process != "markov":
        raise ValueError(
            f"burstiness is only used by process='markov', got process={process!r}."
        )
    if rates is None:
        if process == "markov":
            rates = _DEFAULT_MARKOV_RATE
        else:
            rates = np.linspace(*_DEFAULT_RATES, n_classes) if n_classes > 1 else _DEFAULT_RATES[0]
    rates = _per_class(rates, "rates", n_classes)
    if (rates < 0).any():
        raise ValueError(f"rates must be non-negative, got {rates}.")

    if process == "poisson":
        prob = -np.expm1(-rates * dt / 1000.0)
        lam = np.zeros(n_classes)
    else:
        prob = rates * dt / 1000.0
        if (prob > 1).any():
            raise ValueError(
                f"rates * dt / 1000 must be at most 1 (a spike probability per step) for "
                f"process={process!r}; got {prob} for rates={rates} Hz and dt={dt} ms."
            )
        if process == "markov":
            if burstiness is None:
                burstiness = (
                    np.linspace(*_DEFAULT_BURSTINESS, n_classes) if n_classes > 1
                    else _DEFAULT_BURSTINESS[0]
                )
            lam = _per_class(burstiness, "burstiness", n_classes)
            _check_burstiness(lam, prob)
        else:
            lam = np.zeros(n_classes)

    p_on_on = prob + lam * (1.0 - prob)
    p_on_off = prob * (1.0 - lam)

    y = (np.arange(n_samples, dtype=np.int64) * n_classes) // n_samples
    rng = check_random_state(random_state)
    seed = derive_seed(rng)
    X = _markov_trains(
        np.ascontiguousarray(p_on_off[y]),
        np.ascontiguousarray(p_on_on[y]),
        np.ascontiguousarray(prob[y]),
        int(n_steps),
        int(n_channels),
        seed,
    )
    if shuffle:
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
    return X, y


def _per_class(value, name, n_classes):
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(n_classes, float(arr))
    if arr.shape != (n_classes,):
        raise ValueError(
            f"{name} must be a scalar or have one value per class, shape ({n_classes},); "
            f"got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity: {arr}.")
    return arr


def _check_burstiness(lam, prob):
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.maximum(
            np.where(prob < 1, -prob / (1.0 - prob), -np.inf),
            np.where(prob > 0, 1.0 - 1.0 / prob, -np.inf),
        )
    bad = (lam < low - 1e-12) | (lam >= 1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"burstiness of class {k} is {lam[k]}, but with a spike probability "
            f"p={prob[k]:.4g} per step it must lie in [{low[k]:.4g}, 1) so that both "
            "transition probabilities are in [0, 1]."
        )


@jit(parallel=True)
def _markov_trains(p_on_off, p_on_on, p_start, n_steps, n_channels, seed):
    """Two-state Markov spike trains, one random stream per sample.

    Sample ``s`` starts with P(spike) = ``p_start[s]`` and then spikes with
    probability ``p_on_on[s]`` after a spike and ``p_on_off[s]`` after silence.
    """
    n_samples = p_on_off.shape[0]
    out = np.empty((n_samples, n_steps, n_channels), dtype=np.uint8)
    for s in prange(n_samples):
        state = stream_seed(seed, s)
        for c in range(n_channels):
            state, u = next_uniform(state)
            out[s, 0, c] = u < p_start[s]
        for t in range(1, n_steps):
            for c in range(n_channels):
                state, u = next_uniform(state)
                p = p_on_on[s] if out[s, t - 1, c] else p_on_off[s]
                out[s, t, c] = u < p
    return out
