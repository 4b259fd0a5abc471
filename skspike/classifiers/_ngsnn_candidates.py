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
from ._ngsnn_kernels import spike_activity_kernel, static_activity_kernel

__all__ = [
    "CandidateFamily",
    "DenseBlock",
    "GrowthContext",
    "NeuronSim",
    "UniformCandidates",
    "CANDIDATE_FAMILIES",
    "resolve_candidates",
]

# Mean current of a uniform candidate, in rheobase units, is drawn from U[_OFFSET].
_OFFSET = (1.0, 3.0)
# Samples per batch of the activity computation (bounds the (batch, n_neurons) buffers).
_BATCH = 4096


@dataclass
class NeuronSim:
    """How hidden neurons are simulated: model, step, window and activity weights."""

    neuron: object
    dt: float
    n_steps: int
    kappa: np.ndarray
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


def dense_activity(data, W, b, sim):
    """Activity ``(n_samples, n_neurons)`` of neurons ``(W, b)``, in batches of samples."""
    n, n_out = data.shape[0], W.shape[1]
    out = np.empty((n, n_out), dtype=np.float64)
    if n_out == 0 or n == 0:
        return out
    model, params = sim.packed(n_out)
    W = np.ascontiguousarray(W, dtype=np.float64)
    bias = np.ascontiguousarray(b, dtype=np.float64)
    if data.ndim == 3:
        fanout = np.count_nonzero(W, axis=1).astype(np.int64)
    for start in range(0, n, _BATCH):
        stop = min(n, start + _BATCH)
        part = out[start:stop]
        if data.ndim == 3:
            spike_activity_kernel(np.ascontiguousarray(data[start:stop]), W, fanout, bias, model, params, sim.kappa, part)
        else:
            drive = np.ascontiguousarray(data[start:stop] @ W)
            static_activity_kernel(drive, bias, model, params, sim.kappa, part)
    return out


#: Registered families by name (``NGSNNClassifier(candidates=name)``).
CANDIDATE_FAMILIES = {"uniform": UniformCandidates}

#: Family used by ``candidates="auto"`` for each input kind.
AUTO_FAMILY = {"static": "uniform", "spikes": "uniform"}


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
