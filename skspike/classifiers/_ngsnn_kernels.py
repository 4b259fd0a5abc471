"""Numba kernels of NGSNNClassifier: hidden-layer activity of a pool of neurons.

Both kernels run the package's neuron update
(:func:`skspike.neurons._kernels.step_neurons`, any model) and reduce each
neuron's spike train on the fly to one activity value,

    a[s, j] = sum_t kappa[t] * spike[s, t, j],

so no ``(n_samples, n_steps, n_neurons)`` spike array is ever built. The
per-step weights ``kappa`` define the activity (firing rate or filtered
trace, see ``NGSNNClassifier``). Samples run in parallel (``prange``) and
are independent, so results do not depend on the number of threads; each
thread reuses one state buffer for a block of samples (``reset_state``
between samples) instead of allocating per sample.
"""

import numpy as np
from numba import prange

from .._config import jit
from ..neurons._kernels import accumulate_spikes, new_state, reset_state, step_neurons

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
    n_samples, n_neurons = drive.shape
    n_steps = kappa.shape[0]
    n_spikes = np.zeros(n_samples, dtype=np.int64)
    n_blocks = (n_samples + _BLOCK - 1) // _BLOCK
    for blk in prange(n_blocks):
        v, syn, w, ref = new_state(model, params)
        spikes = np.empty(n_neurons, dtype=np.uint8)
        acc = np.empty(n_neurons, dtype=np.float64)
        for s in range(blk * _BLOCK, min(n_samples, (blk + 1) * _BLOCK)):
            reset_state(model, params, v, syn, w, ref)
            for j in range(n_neurons):
                acc[j] = 0.0
            x = drive[s]
            total = 0
            for t in range(n_steps):
                total += step_neurons(model, params, v, syn, w, ref, x, bias, spikes)
                k = kappa[t]
                for j in range(n_neurons):
                    acc[j] += k * spikes[j]
            for j in range(n_neurons):
                out[s, j] = acc[j]
            n_spikes[s] = total
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
    n_neurons = weights.shape[1]
    n_spikes = np.zeros(n_samples, dtype=np.int64)
    n_blocks = (n_samples + _BLOCK - 1) // _BLOCK
    for blk in prange(n_blocks):
        v, syn, w, ref = new_state(model, params)
        spikes = np.empty(n_neurons, dtype=np.uint8)
        drive = np.empty(n_neurons, dtype=weights.dtype)
        acc = np.empty(n_neurons, dtype=np.float64)
        for s in range(blk * _BLOCK, min(n_samples, (blk + 1) * _BLOCK)):
            reset_state(model, params, v, syn, w, ref)
            for j in range(n_neurons):
                acc[j] = 0.0
            total = 0
            for t in range(n_steps):
                for j in range(n_neurons):
                    drive[j] = 0.0
                accumulate_spikes(spikes_in[s, t], weights, drive, fanout)
                total += step_neurons(model, params, v, syn, w, ref, drive, bias, spikes)
                k = kappa[t]
                for j in range(n_neurons):
                    acc[j] += k * spikes[j]
            for j in range(n_neurons):
                out[s, j] = acc[j]
            n_spikes[s] = total
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
