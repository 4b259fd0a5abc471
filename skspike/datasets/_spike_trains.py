"""Synthetic class-conditional spike-train data."""

from numbers import Integral, Real

import numpy as np
from numba import prange
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from .._config import jit
from .._numba._random import next_normal, next_uniform, stream_seed
from ..utils._random import derive_seed

__all__ = ["make_spike_trains"]

_DEFAULT_RATES = (20.0, 60.0)  # Hz, range of the per-class rates of poisson / bernoulli
_DEFAULT_MARKOV_RATE = 100.0  # Hz, common rate of all markov classes
_DEFAULT_BURSTINESS = (0.0, 0.7)  # range of the per-class lag-1 correlation (markov)
_DEFAULT_GAMMA_RATE = 50.0  # Hz, common rate of all gamma / sync classes
_DEFAULT_SHAPE = (1.0, 8.0)  # range of the per-class gamma shape k (log-spaced)
_DEFAULT_CORRELATION = (0.0, 0.5)  # range of the per-class correlation c (sync)
_GAMMA_BURN_IN = 20.0  # mean intervals simulated before the window (equilibrium start)


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "n_channels": [Interval(Integral, 1, None, closed="left")],
        "n_classes": [Interval(Integral, 1, None, closed="left")],
        "process": [StrOptions({"poisson", "bernoulli", "markov", "gamma", "sync"})],
        "rates": [None, Interval(Real, 0, None, closed="left"), "array-like"],
        "dt": [Interval(Real, 0, None, closed="neither")],
        "burstiness": [None, Interval(Real, None, 1, closed="neither"), "array-like"],
        "shape": [None, Interval(Real, 0, None, closed="neither"), "array-like"],
        "correlation": [None, Interval(Real, 0, 1, closed="both"), "array-like"],
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
    shape=None,
    correlation=None,
    shuffle=True,
    random_state=None,
):
    """Generate class-conditional spike trains.

    Every channel of a sample of class ``k`` is an independent binary train
    drawn from the source of class ``k``. With ``process="poisson"`` or
    ``"bernoulli"`` the classes differ in firing rate; with ``"markov"`` they
    share one mean rate by default and differ only in temporal structure
    (burstiness), so spike counts carry no class information but the
    complexity of the trains does. ``"gamma"`` (renewal trains of one rate,
    more or less regular) and ``"sync"`` (channels sharing spikes of a common
    "mother" train) also keep the rate equal across classes: the classes
    differ in the regularity of the intervals or in the synchrony between
    channels.

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
    process : {"poisson", "bernoulli", "markov", "gamma", "sync"}, default="poisson"
        Source of the trains (see Notes).
    rates : float or array-like of shape (n_classes,), default=None
        Firing rates in Hz per class (a scalar gives all classes the same
        rate). None means rates evenly spaced from 20 to 60 Hz for "poisson"
        and "bernoulli" (20 Hz for a single class), 100 Hz for every class
        with "markov" and 50 Hz for every class with "gamma" and "sync".
    dt : float, default=1.0
        Step length in milliseconds.
    burstiness : float or array-like of shape (n_classes,), default=None
        Only for ``process="markov"``: lag-1 autocorrelation ``lambda`` of each
        class's trains, in ``[max(-p / (1 - p), 1 - 1 / p), 1)``. 0 is a
        Bernoulli train, positive values give bursts, negative values regular
        (alternating) firing. None means values evenly spaced from 0.0 to 0.7.
    shape : float or array-like of shape (n_classes,), default=None
        Only for ``process="gamma"``: shape ``k > 0`` of each class's gamma
        inter-spike-interval distribution (coefficient of variation
        ``1 / sqrt(k)``): 1 is a Poisson train, larger is more regular,
        smaller more irregular. None means values log-spaced from 1 to 8.
    correlation : float or array-like of shape (n_classes,), default=None
        Only for ``process="sync"``: probability ``c`` in [0, 1] that a
        channel copies a spike of the mother train, about the pairwise
        correlation of the channels. Must be 0 or at least the spike
        probability per step. None means values evenly spaced from 0 to 0.5.
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
    - ``"gamma"``: a renewal process in continuous time whose intervals are
      gamma distributed with shape ``k`` and mean ``1000 / r`` ms, started
      ``20`` mean intervals before the window (so the window sees the
      stationary process), binned into steps of ``dt`` (two events in one
      step make one spike, which lowers the rate of very irregular trains
      slightly);
    - ``"sync"``: the multiple-interaction process (Kuhn, Aertsen & Rotter
      2003) in discrete time: a mother train spikes in each step with
      probability ``p / c`` (``p = r dt / 1000``) and every channel copies each
      mother spike independently with probability ``c``; so each channel
      spikes with probability ``p`` per step and two channels share a spike
      with probability ``p c``: their correlation is ``(c - p) / (1 - p)``.
      ``c = 0`` gives independent Bernoulli channels;
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

    References
    ----------
    .. [1] Kuhn, A., Aertsen, A. and Rotter, S. (2003). Higher-order
       statistics of input ensembles and the response of simple model
       neurons. Neural Computation 15, 67-101.

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
    >>> X, y = make_spike_trains(n_samples=4, process="gamma", shape=[1.0, 16.0], random_state=0)
    >>> X, y = make_spike_trains(n_samples=4, process="sync", correlation=[0.0, 0.6], random_state=0)
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
    if shape is not None and process != "gamma":
        raise ValueError(f"shape is only used by process='gamma', got process={process!r}.")
    if correlation is not None and process != "sync":
        raise ValueError(f"correlation is only used by process='sync', got process={process!r}.")
    if rates is None:
        if process == "markov":
            rates = _DEFAULT_MARKOV_RATE
        elif process in ("gamma", "sync"):
            rates = _DEFAULT_GAMMA_RATE
        else:
            rates = np.linspace(*_DEFAULT_RATES, n_classes) if n_classes > 1 else _DEFAULT_RATES[0]
    rates = _per_class(rates, "rates", n_classes)
    if (rates < 0).any():
        raise ValueError(f"rates must be non-negative, got {rates}.")

    y = (np.arange(n_samples, dtype=np.int64) * n_classes) // n_samples
    rng = check_random_state(random_state)
    if process == "gamma":
        if shape is None:
            shape = np.geomspace(*_DEFAULT_SHAPE, n_classes) if n_classes > 1 else _DEFAULT_SHAPE[0]
        shape = _per_class(shape, "shape", n_classes)
        if (shape <= 0).any():
            raise ValueError(f"shape must be positive, got {shape}.")
        X = _gamma_trains(np.ascontiguousarray(rates[y]), np.ascontiguousarray(shape[y]),
                          float(dt), int(n_steps), int(n_channels), derive_seed(rng))
        return _shuffled(X, y, shuffle, rng)
    if process == "sync":
        prob = rates * dt / 1000.0
        if correlation is None:
            correlation = (np.linspace(*_DEFAULT_CORRELATION, n_classes) if n_classes > 1
                           else _DEFAULT_CORRELATION[0])
        corr = _per_class(correlation, "correlation", n_classes)
        if ((corr < 0) | (corr > 1)).any():
            raise ValueError(f"correlation must lie in [0, 1], got {corr}.")
        if (prob > 1).any():
            raise ValueError(
                f"rates * dt / 1000 must be at most 1 (a spike probability per step) for "
                f"process='sync'; got {prob} for rates={rates} Hz and dt={dt} ms."
            )
        bad = (corr > 0) & (corr < prob)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"correlation of class {k} is {corr[k]}, below the spike probability per step "
                f"p={prob[k]:.4g}: the mother train would need to spike with probability p / c > 1. "
                "Use 0 or a value of at least p."
            )
        mother = np.where(corr > 0, prob / np.where(corr > 0, corr, 1.0), prob)
        copy = np.where(corr > 0, corr, 1.0)
        independent = (corr == 0).astype(np.uint8)
        X = _sync_trains(np.ascontiguousarray(mother[y]), np.ascontiguousarray(copy[y]),
                         np.ascontiguousarray(independent[y]), int(n_steps), int(n_channels),
                         derive_seed(rng))
        return _shuffled(X, y, shuffle, rng)
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

    seed = derive_seed(rng)
    X = _markov_trains(
        np.ascontiguousarray(p_on_off[y]),
        np.ascontiguousarray(p_on_on[y]),
        np.ascontiguousarray(prob[y]),
        int(n_steps),
        int(n_channels),
        seed,
    )
    return _shuffled(X, y, shuffle, rng)


def _shuffled(X, y, shuffle, rng):
    if shuffle:
        order = rng.permutation(X.shape[0])
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


@jit()
def _gamma_draw(state, k):
    """Gamma(k, 1) variate (Marsaglia & Tsang 2000; ``k < 1`` by boosting)."""
    boost = 1.0
    if k < 1.0:
        state, u = next_uniform(state)
        boost = (1.0 - u) ** (1.0 / k)
        k = k + 1.0
    d = k - 1.0 / 3.0
    c = 1.0 / np.sqrt(9.0 * d)
    while True:
        state, z = next_normal(state)
        v = 1.0 + c * z
        if v <= 0.0:
            continue
        v = v * v * v
        state, u = next_uniform(state)
        if np.log(1.0 - u) < 0.5 * z * z + d - d * v + d * np.log(v):
            return state, d * v * boost


@jit(parallel=True)
def _gamma_trains(rates, shapes, dt, n_steps, n_channels, seed):
    """Binned gamma renewal trains, one random stream per sample (rates in Hz, dt in ms)."""
    n_samples = rates.shape[0]
    out = np.zeros((n_samples, n_steps, n_channels), dtype=np.uint8)
    for s in prange(n_samples):
        state = stream_seed(seed, s)
        if rates[s] <= 0.0:
            continue
        mean_isi = 1000.0 / rates[s]
        scale = mean_isi / shapes[s]
        end = n_steps * dt
        for c in range(n_channels):
            t = -_GAMMA_BURN_IN * mean_isi
            while True:
                state, g = _gamma_draw(state, shapes[s])
                t += g * scale
                if t >= end:
                    break
                if t >= 0.0:
                    step = int(t / dt)
                    if step < n_steps:
                        out[s, step, c] = 1
    return out


@jit(parallel=True)
def _sync_trains(p_mother, p_copy, independent, n_steps, n_channels, seed):
    """Multiple-interaction trains: channels copy a mother train's spikes with probability p_copy.

    For ``independent[s]`` the channels are independent Bernoulli trains of
    probability ``p_mother[s]``.
    """
    n_samples = p_mother.shape[0]
    out = np.zeros((n_samples, n_steps, n_channels), dtype=np.uint8)
    for s in prange(n_samples):
        state = stream_seed(seed, s)
        for t in range(n_steps):
            if independent[s]:
                for c in range(n_channels):
                    state, u = next_uniform(state)
                    out[s, t, c] = u < p_mother[s]
            else:
                state, u = next_uniform(state)
                if u < p_mother[s]:
                    for c in range(n_channels):
                        state, u = next_uniform(state)
                        out[s, t, c] = u < p_copy[s]
    return out
