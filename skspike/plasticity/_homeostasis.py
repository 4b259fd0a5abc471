"""Homeostasis parts: adaptive thresholds and synaptic scaling."""

import dataclasses

import numpy as np

from ._kernels import normalize_columns
from ..neurons import LIF, AdaptiveLIF
from ._base import Part
from ._rules import _number

__all__ = ["AdaptiveThreshold", "SynapticScaling"]


class AdaptiveThreshold(Part):
    """Adaptive firing threshold: each spike raises it, it relaxes slowly.

    Parameters
    ----------
    theta_plus : float, default=1.0
        Increase of the threshold per spike, in the neuron's potential unit
        (mV for the extractor) (>= 0).
    tau_theta : float, default=1e7
        Relaxation time constant in ms (> 0).

    Notes
    -----
    The threshold of neuron ``j`` is ``v_thresh + theta_j`` with

    .. math:: \\tau_\\theta \\frac{d\\theta_j}{dt} = -\\theta_j
        + \\theta_+ \\sum_f \\delta(t - t_j^f).

    During learning ``theta`` is carried from sample to sample (Diehl &
    Cook's homeostasis: a neuron that wins often becomes harder to excite,
    so the others get their turn); it is frozen when the network only
    transforms. It is the :class:`~skspike.neurons.AdaptiveLIF` dynamics
    (the engine's own neuron step), with ``tau_adapt = tau_theta`` and
    ``theta_jump = theta_plus``.

    References
    ----------
    .. [1] P. U. Diehl and M. Cook, Front. Comput. Neurosci. 9:99, 2015.

    Examples
    --------
    >>> from skspike.neurons import LIF
    >>> from skspike.plasticity import AdaptiveThreshold
    >>> AdaptiveThreshold(theta_plus=0.5).adapt(LIF(tau_m=10.0)).theta_jump
    0.5
    """

    def __init__(self, theta_plus=1.0, *, tau_theta=1e7):
        self.theta_plus = theta_plus
        self.tau_theta = tau_theta

    def adapt(self, neuron):
        """The :class:`~skspike.neurons.AdaptiveLIF` of a LIF-family ``neuron`` with this adaptation."""
        name = type(self).__name__
        theta_plus = _number(self.theta_plus, "theta_plus", name, low=0.0)
        tau_theta = _number(self.tau_theta, "tau_theta", name, low=0.0, strict=True)
        if not isinstance(neuron, (LIF, AdaptiveLIF)):
            raise TypeError(
                f"{name} adapts a LIF or AdaptiveLIF neuron, got {type(neuron).__name__}."
            )
        fields = {f.name: getattr(neuron, f.name) for f in dataclasses.fields(LIF)}
        return AdaptiveLIF(**fields, tau_adapt=tau_theta, theta_jump=theta_plus)


class SynapticScaling(Part):
    """Multiplicative synaptic scaling: each neuron's input weights keep a fixed sum.

    Parameters
    ----------
    target : float, default=1.0
        Sum of the input weights of every neuron after scaling (> 0).

    Notes
    -----
    After each learning sample the input weights of every neuron ``j`` that
    fired are multiplied by a common factor so that
    ``sum_i w_ij = target`` (Turrigiano's synaptic scaling in the
    normalising form Diehl & Cook use), with weights above ``w_max``
    clipped and the rest rescaled again. Scaling keeps the relative weights
    that plasticity learned and stops one neuron's total drive from running
    away. The kernel is the extractor's column normalisation.

    References
    ----------
    .. [1] G. G. Turrigiano et al., "Activity-dependent scaling of quantal
       amplitude in neocortical neurons", Nature 391, 892-896, 1998.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.plasticity import SynapticScaling
    >>> w = np.array([[0.2, 0.1], [0.2, 0.3]])
    >>> SynapticScaling(target=1.0).apply(w, w_max=1.0).sum(axis=0)
    array([1., 1.])
    """

    def __init__(self, target=1.0):
        self.target = target

    def norm(self):
        """The validated target sum."""
        return _number(self.target, "target", type(self).__name__, low=0.0, strict=True)

    def apply(self, weights, *, w_max, columns=None):
        """Scaled copy of ``weights`` (n_in, n_out); ``columns``: neurons to scale (default all)."""
        weights = np.array(weights, dtype=np.float64, order="C", copy=True)
        if weights.ndim != 2:
            raise ValueError(f"weights must have shape (n_in, n_out), got {weights.shape}.")
        norm = self.norm()
        if norm > weights.shape[0] * float(w_max):
            raise ValueError(f"target={norm} cannot be reached with {weights.shape[0]} weights <= {w_max}.")
        cols = np.arange(weights.shape[1]) if columns is None else np.asarray(columns, dtype=np.int64)
        cols = cols[weights[:, cols].sum(axis=0) > 0]
        normalize_columns(weights, np.ascontiguousarray(cols, dtype=np.int64), cols.size, norm, float(w_max))
        return weights
