"""Candidate families of NGSNNClassifier: where new hidden neurons come from.

The growth loop of :class:`~skspike.classifiers.NGSNNClassifier` never looks
inside a neuron. It talks to a *candidate family* through five methods:

``draw(rng, n_candidates, context) -> block``
    Draw a pool of candidate neurons; the block holds their parameters.
``activity(data, block, sim) -> H``
    Hidden activity, ndarray of shape ``(n_samples, block.n_neurons)``, of
    the block's neurons on ``data`` (validated input: standardised static
    features or binary spike trains). Batched over samples; never builds a
    ``(n_samples, n_steps, n_neurons)`` array.
``select(block, idx) -> block``
    The sub-block of the neurons ``idx`` (grown neurons are stored this way).
``stack(blocks) -> block``
    Concatenate blocks (the grown layer is ``stack`` of the selected ones).
``operation_counts(data, block, sim) -> (counts, OperationCounts)``
    Output spike counts and operation counts of the block on ``data``
    (for ``NGSNNClassifier.count_operations``).

A block is any object with an ``n_neurons`` attribute; :class:`DenseBlock`
(input weights and a bias per neuron) is the one of the static/spike
families here. ``context`` (:class:`GrowthContext`) carries what a family
may use to draw: input kind, training data, labels, the current residual of
the readout, the current unit and scales, and a ``cache`` dict for
statistics computed once per fit. ``sim`` (:class:`NeuronSim`) carries the
neuron model, ``dt``, the number of steps and the activity weights
``kappa``. Families are parameter-only estimators (``get_params`` works, so
``candidates__...`` reaches them); they keep no state between calls, so one
instance can serve many fits.

Adding a family is one class here (or in its own module) plus an entry in
:data:`CANDIDATE_FAMILIES`; ``NGSNNClassifier(candidates=...)`` takes the
registered name or an instance, and ``"auto"`` picks by input kind
(:func:`resolve_candidates`).
"""

import math
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator

from ..neurons import simulate
from ._ngsnn_blocks import run_blocks
from ._ngsnn_kernels import spike_activity_kernel, static_activity_kernel

__all__ = [
    "CandidateFamily",
    "DenseBlock",
    "GrowthContext",
    "NeuronSim",
    "UniformCandidates",
    "SampledCandidates",
    "ReceptiveFieldCandidates",
    "CANDIDATE_FAMILIES",
    "resolve_candidates",
]

# Mean current of a uniform candidate, in rheobase units, is drawn from U[_OFFSET].
_OFFSET = (1.0, 3.0)
# Samples per block of the activity computation (bounds the (block, n_neurons) drive
# buffers; blocks are the unit of parallel work, fixed so that results do not depend
# on the number of threads).
_BATCH = 512
# Up to this many features the full feature-correlation order is cached per fit.
_DENSE_CORRELATION = 2048


@dataclass
class NeuronSim:
    """How hidden neurons are simulated: model, step, window, activity weights and threads.

    ``n_threads`` runs the blocks of samples of :func:`dense_activity` on a
    thread pool (see ``_ngsnn_blocks``); the result does not depend on it.
    """

    neuron: object
    dt: float
    n_steps: int
    kappa: np.ndarray
    n_threads: int = 1
    _packed: dict = field(default_factory=dict, repr=False)

    def packed(self, n_neurons):
        """``neuron.kernel_params(n_neurons, dt)`` (cached per size)."""
        if n_neurons not in self._packed:
            self._packed[n_neurons] = self.neuron.kernel_params(n_neurons, self.dt, np.float64)
        return self._packed[n_neurons]


@dataclass
class GrowthContext:
    """What a candidate family may use to draw candidates during one fit.

    Attributes
    ----------
    input_kind : {"static", "spikes"}
    n_features : int
        Features (static) or channels (spikes).
    X : ndarray
        Training part used for growth: standardised static features
        ``(n, n_features)`` or spike trains ``(n, n_steps, n_channels)``.
    y : ndarray of shape (n,)
        Class indices of ``X``.
    n_classes : int
    mu, sigma : ndarray of shape (n_features,)
        Statistics folded into the weights (zeros/ones for static input,
        which is already standardised; spike rates for spike input).
    current_unit : float
        Rheobase of the neuron over the window (current unit).
    scales : ndarray
        Scales of the input weights (rheobase units).
    residual : ndarray of shape (n, n_classes) or None
        Current residual ``Y - F`` of the readout on ``X``; updated by the
        growth loop before every draw.
    cache : dict
        Per-fit statistics a family computes once.
    """

    input_kind: str
    n_features: int
    X: np.ndarray
    y: np.ndarray
    n_classes: int
    mu: np.ndarray
    sigma: np.ndarray
    current_unit: float
    scales: np.ndarray
    residual: np.ndarray = None
    cache: dict = field(default_factory=dict)


@dataclass
class DenseBlock:
    """Neurons with one input weight per feature/channel and a constant current.

    Attributes
    ----------
    weights : ndarray of shape (n_features, n_neurons)
        Input weights (on the standardised features, or on the raw spikes).
    bias : ndarray of shape (n_neurons,)
        Constant input current.
    """

    weights: np.ndarray
    bias: np.ndarray

    @property
    def n_neurons(self):
        return self.bias.shape[0]


class CandidateFamily(BaseEstimator):
    """Base of the candidate families (see the module docstring for the seam).

    Subclasses implement :meth:`draw`; the dense-block methods below serve
    any family whose neurons are ``(weights, bias)`` pairs.
    """

    def draw(self, rng, n_candidates, context):
        """Pool of ``n_candidates`` candidate neurons (a block)."""
        raise NotImplementedError

    def empty(self, context):
        """Block of no neurons."""
        return DenseBlock(np.empty((context.n_features, 0)), np.empty(0))

    def activity(self, data, block, sim):
        """Hidden activity ``(n_samples, n_neurons)`` of ``block`` on ``data``."""
        return dense_activity(data, block.weights, block.bias, sim)

    def select(self, block, idx):
        idx = np.atleast_1d(np.asarray(idx, dtype=np.intp))
        return DenseBlock(np.ascontiguousarray(block.weights[:, idx]), block.bias[idx].copy())

    def stack(self, blocks):
        blocks = list(blocks)
        return DenseBlock(
            np.concatenate([b.weights for b in blocks], axis=1), np.concatenate([b.bias for b in blocks])
        )

    def operation_counts(self, data, block, sim):
        return simulate(
            sim.neuron, data, block.weights, bias=block.bias,
            n_steps=None if data.ndim == 3 else sim.n_steps, dt=sim.dt, output="counts",
        )


def fold(U, V, context):
    """Weights/bias of currents ``I = I_rh (U^T z + V)`` on ``z = (x - mu) / sigma``, folded onto ``x``."""
    Wz = U / context.sigma[:, None]
    return DenseBlock(Wz * context.current_unit, (V - context.mu @ Wz) * context.current_unit)


class UniformCandidates(CandidateFamily):
    r"""Uniform random input weights (the stochastic-configuration-network pool).

    Candidate ``i`` of a pool has scale ``lambda = scales[i % len(scales)]``
    and receives, on the standardised input ``z``, the current

    .. math:: I = I_{rh} \left(\lambda (u^\top z + v) + c\right), \quad
              u \sim U[-1, 1]^d \sqrt{3/d},\; v \sim U[-1, 1],\;
              c \sim U[1, 3],

    whose input-driven part has a standard deviation of about ``lambda``
    rheobases around a mean of one to three rheobases.
    """

    def draw(self, rng, n_candidates, context):
        d = context.n_features
        lam = context.scales[np.arange(n_candidates) % context.scales.size]
        U = rng.uniform(-1.0, 1.0, size=(d, n_candidates)) * (lam * math.sqrt(3.0 / d))
        V = rng.uniform(-1.0, 1.0, size=n_candidates) * lam + rng.uniform(*_OFFSET, size=n_candidates)
        return fold(U, V, context)


class SampledCandidates(CandidateFamily):
    r"""Data-driven candidates: weights sampled from pairs of training samples.

    Each candidate is built from two training samples ``z_1, z_2`` (in the
    standardised input space) of *different* classes, as in sampled networks
    (SWIM, Bolager et al. 2023): its direction points from ``z_1`` to
    ``z_2`` and its threshold sits at ``z_1``, so the neuron separates the
    two samples whatever the input dimension. With ``t(z) = w^T (z - z_1)``,

    .. math:: w = \frac{z_2 - z_1}{\|z_2 - z_1\|^2}, \quad
              I(z) = I_{rh} \left(1 + \lambda\, \frac{t(z) - \tau}{1 - \tau}\right),

    the current is exactly one rheobase ``I_rh`` (the neuron's threshold over
    the window) at ``t = tau`` and ``1 + lambda`` rheobases at ``z_2``;
    ``tau ~ U[0, tau_max]`` moves the threshold from ``z_1`` towards the
    midpoint and ``lambda`` is drawn from the estimator's ``scales``.

    The pairs are drawn two ways (``residual_fraction`` of the pool the
    second way):

    - *uniform pairs*: ``z_1`` uniform over the training samples, ``z_2``
      uniform over the samples of the other classes;
    - *residual pairs*: with ``E = Y - F`` the current residual of the
      readout, a class ``c`` with probability ``\propto \sum_i \max(E_{ic}, 0)^2``;
      ``z_2`` (where the neuron fires) among the samples with ``E_{ic} > 0``
      (class ``c`` under-predicted) with probability ``\propto E_{ic}``,
      ``z_1`` among the samples with ``E_{ic} < 0`` with probability
      ``\propto -E_{ic}``. These neurons respond where the network is
      currently wrong; the exact contribution score still decides.

    Parameters
    ----------
    residual_fraction : float, default=0.5
        Fraction of each pool drawn as residual pairs.
    tau_max : float, default=0.5
        Largest threshold position along the pair (0 = at ``z_1``, 0.5 =
        midway).
    uniform_fraction : float, default=0.0
        Fraction of the pool drawn from :class:`UniformCandidates` instead.
    """

    def __init__(self, residual_fraction=0.5, tau_max=0.5, uniform_fraction=0.0):
        self.residual_fraction = residual_fraction
        self.tau_max = tau_max
        self.uniform_fraction = uniform_fraction

    def _static_view(self, context):
        """Samples as static vectors (spike trains: rates per channel), standardised."""
        if "z" not in context.cache:
            X = context.X
            if X.ndim == 3:
                X = X.mean(axis=1, dtype=np.float64)
                X = (X - context.mu) / context.sigma
            context.cache["z"] = np.ascontiguousarray(X, dtype=np.float64)
            context.cache["by_class"] = [np.flatnonzero(context.y == c) for c in range(context.n_classes)]
        return context.cache["z"], context.cache["by_class"]

    def draw(self, rng, n_candidates, context):
        n_uniform = int(round(self.uniform_fraction * n_candidates))
        n_pairs = n_candidates - n_uniform
        blocks = []
        if n_pairs > 0:
            blocks.append(self._draw_pairs(rng, n_pairs, context))
        if n_uniform > 0:
            blocks.append(UniformCandidates().draw(rng, n_uniform, context))
        return blocks[0] if len(blocks) == 1 else self.stack(blocks)

    def _draw_pairs(self, rng, n_pairs, context):
        z, by_class = self._static_view(context)
        y = context.y
        n = z.shape[0]
        E = context.residual
        n_res = int(round(self.residual_fraction * n_pairs)) if E is not None else 0
        i1 = np.empty(n_pairs, dtype=np.intp)
        i2 = np.empty(n_pairs, dtype=np.intp)
        # uniform pairs of different classes
        n_uni = n_pairs - n_res
        i1[:n_uni] = rng.integers(0, n, n_uni)
        u = rng.random(n_uni)
        for c in np.unique(y[i1[:n_uni]]):
            sel = np.flatnonzero(y[i1[:n_uni]] == c)
            idx = by_class[c]
            # r-th sample not of class c: skip over that class's sorted indices
            r = np.minimum((u[sel] * (n - idx.size)).astype(np.intp), n - idx.size - 1)
            i2[sel] = r + np.searchsorted(idx - np.arange(idx.size), r, side="right")
        if n_res > 0:
            under = np.clip(E, 0.0, None)
            energy = np.sum(under * under, axis=0) * np.any(E < 0, axis=0)
            if not energy.sum() > 0:
                energy = np.ones(E.shape[1])
            cls = rng.choice(E.shape[1], size=n_res, p=energy / energy.sum())
            for c in np.unique(cls):
                sel = np.flatnonzero(cls == c)
                pos = np.clip(E[:, c], 0.0, None)
                neg = np.clip(-E[:, c], 0.0, None)
                if pos.sum() <= 0 or neg.sum() <= 0:
                    i1[n_uni + sel] = rng.integers(0, n, sel.size)
                    i2[n_uni + sel] = rng.integers(0, n, sel.size)
                    continue
                i2[n_uni + sel] = rng.choice(n, size=sel.size, p=pos / pos.sum())
                i1[n_uni + sel] = rng.choice(n, size=sel.size, p=neg / neg.sum())
        diff = (z[i2] - z[i1]).T  # (d, n_pairs)
        norm2 = np.einsum("ij,ij->j", diff, diff)
        same = ~(norm2 > 1e-12)
        if same.any():  # identical samples: fall back to a random direction
            diff[:, same] = rng.standard_normal((diff.shape[0], int(same.sum())))
            norm2[same] = np.einsum("ij,ij->j", diff[:, same], diff[:, same])
        w = diff / norm2
        lam = context.scales[rng.integers(0, context.scales.size, n_pairs)]
        tau = rng.uniform(0.0, self.tau_max, n_pairs)
        gain = lam / (1.0 - tau)
        # I / I_rh = 1 + gain * (w^T (z - z1) - tau)
        U = w * gain
        V = 1.0 - gain * (np.einsum("ij,ji->j", w, z[i1]) + tau)
        return fold(U, V, context)


class ReceptiveFieldCandidates(CandidateFamily):
    r"""Data-driven candidates: correlated receptive fields with calibrated thresholds.

    Each candidate looks at a *receptive field*: a random centre feature
    ``c`` and the ``m`` features most correlated with it (absolute Pearson
    correlation on the training data, the centre included). On series and
    images these are the neighbouring steps or pixels, found from the data
    without knowing the layout; on tabular data, groups of related
    features. The direction is Gaussian on the field and zero elsewhere, and
    threshold and gain are fitted to the distribution of the projection
    ``p = u^T z`` over the training samples:

    .. math:: u_i \sim \mathcal N(0, 1)\,[i \in F_c(m)],\quad
              m \sim U\{m_{min}, \dots, \lceil f d 
ceil\},\quad
              I(z) = I_{rh}\left(1 + \lambda\,rac{u^	op z - p_q}{\sigma_p}
ight),

    with ``p_q`` the ``q``-quantile of ``p`` (``q ~ U[q_lo, q_hi]``: the
    neuron is silent on a fraction ``q`` of the training data), ``sigma_p``
    its standard deviation, ``lambda`` drawn from the estimator's
    ``scales`` (rheobases per standard deviation) and ``I_rh`` the rheobase.
    Fields are sparse, so a pool covers different parts of the input; the
    exact contribution score decides which are integrated. The statistics
    (correlations, quantiles) are taken on at most ``n_calibration``
    training samples.

    Parameters
    ----------
    max_field : float, default=0.5
        Largest field as a fraction ``f`` of the number of features.
    min_field : int, default=2
        Smallest field (features).
    quantiles : tuple of float, default=(0.1, 0.9)
        Range ``[q_lo, q_hi]`` of the silent fraction of the training data.
    n_calibration : int, default=1000
        Samples used for the correlations and the projection statistics.
    """

    def __init__(self, max_field=0.5, min_field=2, quantiles=(0.1, 0.9), n_calibration=1000):
        self.max_field = max_field
        self.min_field = min_field
        self.quantiles = quantiles
        self.n_calibration = n_calibration

    def _statistics(self, rng, context):
        cache = context.cache
        if "calibration" not in cache:
            X = context.X
            n = X.shape[0]
            idx = np.sort(rng.choice(n, size=min(n, int(self.n_calibration)), replace=False))
            z = X[idx]
            if z.ndim == 3:
                z = (z.mean(axis=1, dtype=np.float64) - context.mu) / context.sigma
            z = np.ascontiguousarray(z, dtype=np.float64)
            cache["calibration"] = z
            d = z.shape[1]
            if d <= _DENSE_CORRELATION:
                zc = z - z.mean(axis=0)
                norm = np.sqrt(np.einsum("ij,ij->j", zc, zc))
                norm[norm == 0] = 1.0
                corr = np.abs((zc / norm).T @ (zc / norm))
                np.fill_diagonal(corr, np.inf)
                cache["neighbours"] = np.argsort(-corr, axis=1, kind="stable")
        return cache["calibration"], cache.get("neighbours")

    def draw(self, rng, n_candidates, context):
        z, neighbours = self._statistics(rng, context)
        d = context.n_features
        hi = max(int(self.min_field), int(math.ceil(self.max_field * d)))
        lo = min(int(self.min_field), hi)
        centre = rng.integers(0, d, n_candidates)
        size = np.minimum(rng.integers(lo, hi + 1, n_candidates), d)
        U = rng.standard_normal((d, n_candidates))
        mask = np.zeros((d, n_candidates), dtype=bool)
        if neighbours is None:
            zc = z - z.mean(axis=0)
            norm = np.sqrt(np.einsum("ij,ij->j", zc, zc))
            norm[norm == 0] = 1.0
            corr = np.abs((zc[:, centre] / norm[centre]).T @ (zc / norm))  # (C, d)
            corr[np.arange(n_candidates), centre] = np.inf
            order = np.argsort(-corr, axis=1, kind="stable")
        else:
            order = neighbours[centre]
        ranks = np.arange(d)[None, :] < size[:, None]
        rows = np.broadcast_to(np.arange(n_candidates)[:, None], order.shape)
        mask[order[ranks], rows[ranks]] = True
        U *= mask
        return calibrated(U, z, rng, context, self.quantiles)


def calibrated(U, z, rng, context, quantiles):
    """Dense block of directions ``U`` on ``z`` with quantile thresholds and std-scaled gains."""
    P = z @ U
    n, C = P.shape
    q = rng.uniform(quantiles[0], quantiles[1], C)
    P_sorted = np.sort(P, axis=0)
    pos = q * (n - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, n - 1)
    frac = pos - lo
    cols = np.arange(C)
    threshold = (1.0 - frac) * P_sorted[lo, cols] + frac * P_sorted[hi, cols]
    spread = P.std(axis=0)
    spread[~(spread > 0)] = 1.0
    lam = context.scales[rng.integers(0, context.scales.size, C)]
    gain = lam / spread
    return fold(U * gain, 1.0 - gain * threshold, context)


def dense_activity(data, W, b, sim):
    """Activity ``(n_samples, n_neurons)`` of neurons ``(W, b)``, in blocks of samples.

    Each block of ``_BATCH`` samples computes its drive ``X @ W`` (static
    input) and simulates it on one thread; blocks run on ``sim.n_threads``
    threads.
    """
    n, n_out = data.shape[0], W.shape[1]
    out = np.empty((n, n_out), dtype=np.float64)
    if n_out == 0 or n == 0:
        return out
    model, params = sim.packed(n_out)
    W = np.ascontiguousarray(W, dtype=np.float64)
    bias = np.ascontiguousarray(b, dtype=np.float64)
    if data.ndim == 3:
        fanout = np.count_nonzero(W, axis=1).astype(np.int64)

        def part(start, stop):
            spike_activity_kernel(
                np.ascontiguousarray(data[start:stop]), W, fanout, bias, model, params, sim.kappa, out[start:stop]
            )
    else:

        def part(start, stop):
            drive = np.ascontiguousarray(data[start:stop] @ W)
            static_activity_kernel(drive, bias, model, params, sim.kappa, out[start:stop])

    run_blocks(part, n, _BATCH, sim.n_threads)
    return out


#: Registered families by name (``NGSNNClassifier(candidates=name)``).
CANDIDATE_FAMILIES = {
    "uniform": UniformCandidates,
    "sampled": SampledCandidates,
    "fields": ReceptiveFieldCandidates,
}

#: Family used by ``candidates="auto"`` for each input kind.
AUTO_FAMILY = {"static": "fields", "spikes": "fields"}


def resolve_candidates(candidates, input_kind):
    """The family object for the ``candidates`` parameter and the input kind."""
    if isinstance(candidates, CandidateFamily):
        from sklearn.base import clone

        return clone(candidates)
    if candidates == "auto":
        candidates = AUTO_FAMILY[input_kind]
    if candidates not in CANDIDATE_FAMILIES:
        raise ValueError(
            f"candidates must be 'auto', one of {sorted(CANDIDATE_FAMILIES)} or a CandidateFamily; "
            f"got {candidates!r}."
        )
    return CANDIDATE_FAMILIES[candidates]()
