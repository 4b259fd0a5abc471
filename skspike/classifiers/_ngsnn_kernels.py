"""Numba kernels of NGSNNClassifier: hidden-layer activity of a pool of neurons.

Both activity kernels are the engine's layer loop
(:func:`skspike.neurons._kernels.run_layer`, any neuron model) over blocks
of ``_BLOCK`` samples in parallel (``prange``); each reduces every neuron's
spike train on the fly to one activity value (the ``acc``/``kappa``
observer),

    a[s, j] = sum_t kappa[t] * spike[s, t, j],

so no ``(n_samples, n_steps, n_neurons)`` spike array is ever built. The
per-step weights ``kappa`` define the activity (firing rate or filtered
trace, see ``NGSNNClassifier``). Samples are independent, so results do not
depend on the number of threads; ``run_layer`` allocates its state once per
block and resets it between samples.
"""

import numpy as np
from numba import prange

from .._config import jit
from ..neurons._kernels import run_layer

__all__ = ["static_activity_kernel", "spike_activity_kernel", "readout_kernel"]

_BLOCK = 32  # samples per parallel work item


@jit(parallel=True)
def static_activity_kernel(drive, bias, model, params, kappa, out):
    """Activity of neurons driven by a static current held for ``len(kappa)`` steps.

    Parameters
    ----------
    drive : ndarray of shape (n_samples, n_neurons)
        Synaptic current of each sample (``X @ W``), held constant.
    bias : ndarray of shape (n_neurons,)
        Constant current added after the synaptic filter.
    model : int
        Model code of ``params``.
    params : ndarray of shape (N_PARAMS, n_neurons)
        Packed neuron parameters (same dtype as ``drive``).
    kappa : ndarray of shape (n_steps,)
        Weight of a spike at each step.
    out : ndarray of shape (n_samples, n_neurons), float64
        Receives the activity (overwritten).

    Returns
    -------
    n_spikes : ndarray of shape (n_samples,), int64
        Spikes of each sample's layer.
    """
    n_samples = drive.shape[0]
    n_spikes = np.zeros(n_samples, dtype=np.int64)
    for blk in prange((n_samples + _BLOCK - 1) // _BLOCK):
        start, stop = blk * _BLOCK, min(n_samples, (blk + 1) * _BLOCK)
        run_layer(model, params, bias, kappa.shape[0], start, stop, n_spikes, held=drive, acc=out, kappa=kappa)
    return n_spikes


@jit(parallel=True)
def spike_activity_kernel(spikes_in, weights, fanout, bias, model, params, kappa, out):
    """Activity of neurons driven by binary input spikes through ``weights``.

    Parameters
    ----------
    spikes_in : ndarray of shape (n_samples, n_steps, n_in), uint8
        Input spike trains (event-driven: one weight row per input spike).
    weights : ndarray of shape (n_in, n_neurons)
        Input weights.
    fanout : ndarray of shape (n_in,), int64
        Non-zero weights of each input (for the synaptic event count).
    bias, model, params, kappa, out
        As in :func:`static_activity_kernel`; ``kappa`` has ``n_steps``
        entries.

    Returns
    -------
    n_spikes : ndarray of shape (n_samples,), int64
        Spikes of each sample's layer.
    """
    n_samples, n_steps, _ = spikes_in.shape
    n_spikes = np.zeros(n_samples, dtype=np.int64)
    for blk in prange((n_samples + _BLOCK - 1) // _BLOCK):
        start, stop = blk * _BLOCK, min(n_samples, (blk + 1) * _BLOCK)
        run_layer(model, params, bias, n_steps, start, stop, n_spikes, spikes_in=spikes_in, weights=weights,
                  fanout=fanout, acc=out, kappa=kappa)
    return n_spikes


@jit(parallel=True)
def readout_kernel(H, weights, intercept, out):
    """Readout scores ``out = intercept + H @ weights``, one sample at a time.

    Each row is summed over the neurons in the same order whatever the
    number of rows in the call, so a sample's scores do not depend on the
    other samples in the call or on its position in it (a BLAS product
    rounds a row differently with the matrix's shape and the row's place in
    the kernel's tiles).

    Parameters
    ----------
    H : ndarray of shape (n_samples, n_neurons)
    weights : ndarray of shape (n_neurons, n_outputs)
    intercept : ndarray of shape (n_outputs,)
    out : ndarray of shape (n_samples, n_outputs)
        Written in place.
    """
    n, k = H.shape
    m = weights.shape[1]
    for i in prange(n):
        for c in range(m):
            out[i, c] = intercept[c]
        for j in range(k):
            h = H[i, j]
            if h != 0.0:
                for c in range(m):
                    out[i, c] += h * weights[j, c]
