"""Spike-train families generated OUTSIDE skspike (plain NumPy), for honest benchmarks.

Nothing here imports skspike: the trains are drawn in continuous time or by
explicit Markov chains and binned, so the classifier is measured on data it
was not written against. Four families, three classes each; within the
equal-rate families every class has the same mean rate, so spike counts carry
(almost) no class information:

- ``rate``: homogeneous Poisson trains, one rate per class;
- ``burst``: two-state Markov chains on the binned train with P(1 -> 1) per
  class and P(0 -> 1) set so that the stationary rate is the common rate;
- ``regular``: gamma renewal processes (shape k per class, mean ISI 1/rate),
  started in equilibrium (burn-in), binned (several events in one bin merge);
- ``sync``: each channel is the union of a shared "mother" Poisson train of
  rate ``c * rate`` and its own Poisson train of rate ``(1 - c) * rate``
  (pairwise correlation ~c, the single-interaction process of Kuhn et al. 2003).

Two parameterisations: ``GEN_A`` (the issue's: 20 channels, 200 steps of 1 ms)
and ``GEN_B`` (other rates, levels, channel count, length and dt; sync as a
multiple-interaction process -- mother rate ``rate / c``, each channel copies
each mother spike with probability c -- with 1 ms Gaussian jitter).
"""

import numpy as np

GEN_A = dict(
    n_channels=20, n_steps=200, dt=1.0, mean_rate=20.0, sync_kind="sip", jitter=0.0,
    levels={"rate": (10.0, 20.0, 30.0), "burst": (0.2, 0.5, 0.8),
            "regular": (1.0, 4.0, 16.0), "sync": (0.0, 0.3, 0.6)},
)
GEN_B = dict(
    n_channels=12, n_steps=300, dt=0.5, mean_rate=40.0, sync_kind="mip", jitter=1.0,
    levels={"rate": (15.0, 25.0, 35.0), "burst": (0.3, 0.6, 0.85),
            "regular": (1.0, 3.0, 9.0), "sync": (0.0, 0.2, 0.5)},
)
FAMILIES = ("rate", "burst", "regular", "sync")


def _bin(times_list, n_steps, dt):
    out = np.zeros((n_steps, len(times_list)), dtype=np.uint8)
    for c, times in enumerate(times_list):
        idx = np.floor(np.asarray(times) / dt).astype(np.int64)
        idx = idx[(idx >= 0) & (idx < n_steps)]
        out[idx, c] = 1
    return out


def _poisson_times(rng, rate_hz, duration_ms):
    n = rng.poisson(rate_hz * duration_ms / 1000.0)
    return np.sort(rng.uniform(0.0, duration_ms, n))


def _gamma_times(rng, rate_hz, shape, duration_ms, burn_in_ms=2000.0):
    mean_isi = 1000.0 / rate_hz
    n_max = int((duration_ms + burn_in_ms) / mean_isi * 2 + 50)
    t = np.cumsum(rng.gamma(shape, mean_isi / shape, n_max)) - burn_in_ms
    return t[(t >= 0) & (t < duration_ms)]


def _sample(rng, family, level, n_channels, n_steps, dt, mean_rate, sync_kind, jitter):
    duration = n_steps * dt
    if family == "rate":
        return _bin([_poisson_times(rng, level, duration) for _ in range(n_channels)], n_steps, dt)
    if family == "regular":
        return _bin([_gamma_times(rng, mean_rate, level, duration) for _ in range(n_channels)],
                    n_steps, dt)
    if family == "burst":
        p = mean_rate * dt / 1000.0
        p11 = level
        p01 = p * (1.0 - p11) / (1.0 - p)
        out = np.zeros((n_steps, n_channels), dtype=np.uint8)
        state = rng.random_sample(n_channels) < p
        u = rng.random_sample((n_steps, n_channels))
        for t in range(n_steps):
            out[t] = state
            state = u[t] < np.where(state, p11, p01)
        return out
    # sync
    c = level
    if c == 0.0:
        return _bin([_poisson_times(rng, mean_rate, duration) for _ in range(n_channels)], n_steps, dt)
    trains = []
    if sync_kind == "sip":
        mother = _poisson_times(rng, c * mean_rate, duration)
        for _ in range(n_channels):
            own = _poisson_times(rng, (1.0 - c) * mean_rate, duration)
            trains.append(np.concatenate([mother, own]))
    else:
        mother = _poisson_times(rng, mean_rate / c, duration)
        for _ in range(n_channels):
            copied = mother[rng.random_sample(mother.shape[0]) < c]
            trains.append(copied + jitter * rng.standard_normal(copied.shape[0]))
    return _bin(trains, n_steps, dt)


def make_family(family, gen=GEN_A, n_per_class=200, seed=0):
    """Return ``X`` (n, n_steps, n_channels) uint8 and ``y`` (n,) for one family."""
    rng = np.random.RandomState(seed)
    kw = {k: gen[k] for k in ("n_channels", "n_steps", "dt", "mean_rate", "sync_kind", "jitter")}
    X, y = [], []
    for k, level in enumerate(gen["levels"][family]):
        for _ in range(n_per_class):
            X.append(_sample(rng, family, level, **kw))
            y.append(k)
    X, y = np.stack(X), np.asarray(y)
    order = rng.permutation(len(y))
    return X[order], y[order]
