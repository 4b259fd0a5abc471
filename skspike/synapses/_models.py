"""Synapse model objects: parameters, equations, kernel packing."""

import numpy as np

from ..plasticity._base import Part
from ..utils._validation import check_spikes
from . import _kernels as K

__all__ = ["SynapseModel", "TsodyksMarkram"]


def _per_channel(value, name, owner, n_in, *, positive=False, unit=False):
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != n_in):
        raise ValueError(
            f"{owner}: {name} must be a scalar or an array of shape ({n_in},) (one per input "
            f"channel), got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"{owner}: {name} contains NaN or infinity.")
    if unit and not ((arr > 0) & (arr <= 1)).all():
        raise ValueError(f"{owner}: {name} must lie in (0, 1], got {value!r}.")
    if not unit and not (arr >= 0).all():
        raise ValueError(f"{owner}: {name} must be >= 0 ms, got {value!r}.")
    return np.broadcast_to(arr, (n_in,)).astype(np.float64)


class SynapseModel(Part):
    """Base of the dynamic synapse models (not instantiated directly).

    A subclass sets ``_code`` and implements ``_pack(prm, n_in, dt)``.
    """

    _code = -1

    def kernel_params(self, n_in, dt):
        """Validated kernel form ``(code, prm)``, ``prm`` of shape (N_SYN_PRM, n_in)."""
        dt = float(dt)
        if not (np.isfinite(dt) and dt > 0):
            raise ValueError(f"dt must be a positive number of ms, got {dt}.")
        prm = np.zeros((K.N_SYN_PRM, int(n_in)))
        self._pack(prm, int(n_in), dt)
        return self._code, prm

    def efficacy(self, spikes, dt=1.0):
        """Per-spike efficacies of presynaptic spike trains.

        Parameters
        ----------
        spikes : array-like of shape (n_steps,), (n_steps, n_channels) or (n_samples, n_steps, n_channels)
            Binary spike trains (0/1); each channel is one synapse, each
            sample starts from rest.
        dt : float, default=1.0
            Step in ms.

        Returns
        -------
        efficacy : ndarray of the shape of ``spikes``, float64
            The efficacy of each spike, 0 where there is none.
        """
        arr = np.asarray(spikes)
        ndim = arr.ndim
        if ndim not in (1, 2, 3):
            raise ValueError(f"spikes must be 1-, 2- or 3-D, got shape {arr.shape}.")
        arr3 = arr.reshape((1,) * (3 - ndim) + arr.shape) if ndim < 3 else arr
        if ndim == 1:
            arr3 = arr.reshape(1, -1, 1)
        arr3 = np.ascontiguousarray(check_spikes(arr3, name="spikes"))
        code, prm = self.kernel_params(arr3.shape[2], dt)
        out = np.empty(arr3.shape, dtype=np.float64)
        K.efficacy_kernel(arr3, code, prm, out)
        return out.reshape(arr.shape)


class TsodyksMarkram(SynapseModel):
    """Short-term depression and facilitation (Tsodyks & Markram; Mongillo et al. 2008).

    Parameters
    ----------
    U : float or ndarray of shape (n_channels,), default=0.2
        Utilisation increment per spike, in (0, 1].
    tau_rec : float or ndarray, default=200.0
        Recovery time constant of the resources ``x`` in ms (>= 0; 0: instant
        recovery, no depression).
    tau_facil : float or ndarray, default=1500.0
        Relaxation time constant of the utilisation ``u`` in ms (>= 0; 0: no
        facilitation, every spike uses ``U``).

    Notes
    -----
    In the form of Mongillo, Barak & Tsodyks (2008) (the survey's Table 2):

    .. math::

        \\frac{du}{dt} = -\\frac{u}{\\tau_{facil}} + U (1 - u^-) \\sum_k \\delta(t - t_k),
        \\qquad
        \\frac{dx}{dt} = \\frac{1 - x}{\\tau_{rec}} - u^+ x^- \\sum_k \\delta(t - t_k),

    ``u`` relaxes to 0 and jumps by ``U (1 - u)`` at a presynaptic spike,
    ``x`` relaxes to 1 and loses ``u x``. The efficacy of spike ``k`` is
    ``u_k^+ x_k^-`` (``u`` after its jump times ``x`` before its depletion);
    it multiplies the synaptic weight. The decay between spikes is exact
    (``u^- = u^+ e^{-Delta/tau_facil}``, ``x^- = 1 - (1 - x^+)
    e^{-Delta/tau_rec}``), so a regular train of interval ``Delta`` converges to

    .. math::

        u^* = \\frac{U}{1 - (1 - U) e^{-\\Delta/\\tau_{facil}}}, \\qquad
        x^* = \\frac{1 - e^{-\\Delta/\\tau_{rec}}}{1 - (1 - u^*) e^{-\\Delta/\\tau_{rec}}},

    with steady efficacy ``u* x*``. The first spike from rest has efficacy
    ``U``. The defaults (``U = 0.2``, ``tau_rec = 200 ms``,
    ``tau_facil = 1500 ms``) are Mongillo et al.'s facilitating synapses.

    References
    ----------
    .. [1] M. Tsodyks, K. Pawelzik and H. Markram, "Neural networks with
       dynamic synapses", Neural Computation 10(4), 821-835, 1998.
    .. [2] G. Mongillo, O. Barak and M. Tsodyks, "Synaptic theory of
       working memory", Science 319(5869), 1543-1546, 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.synapses import TsodyksMarkram
    >>> train = np.zeros(100, dtype=np.uint8); train[::20] = 1
    >>> eff = TsodyksMarkram(U=0.5, tau_rec=100.0, tau_facil=0.0).efficacy(train)
    >>> np.round(eff[train == 1][:3], 4).tolist()
    [0.5, 0.2953, 0.2115]
    """

    _code = K.SYN_TSODYKS_MARKRAM

    def __init__(self, U=0.2, tau_rec=200.0, tau_facil=1500.0):
        self.U = U
        self.tau_rec = tau_rec
        self.tau_facil = tau_facil

    def _pack(self, prm, n_in, dt):
        name = type(self).__name__
        prm[K.S_U] = _per_channel(self.U, "U", name, n_in, unit=True)
        for row, tau_name in ((K.S_REC_RATE, "tau_rec"), (K.S_FACIL_RATE, "tau_facil")):
            tau = _per_channel(getattr(self, tau_name), tau_name, name, n_in)
            with np.errstate(divide="ignore"):
                prm[row] = np.where(tau > 0, dt / np.where(tau > 0, tau, 1.0), np.inf)
