"""Numba kernels of temporal NG-SNN neurons: synaptic delays, then spiking dynamics.

A temporal neuron ``j`` receives its input through delayed synapses
("taps"); tap ``k`` connects input channel ``c_k`` with delay ``d_k`` steps
and weight ``w_k``, so the synaptic drive at step ``t`` is

    I_j[t] = sum_{k in taps(j)} w_k * x[t - d_k, c_k],

a dilated temporal convolution (a kernel of length ``L`` and dilation ``D``
is the ``L`` taps ``d = 0, D, ..., (L-1) D`` on each of its channels). The
drive enters the engine's layer loop
(:func:`skspike.neurons._kernels.run_layer`, any neuron model) with the
neuron's constant ``bias``, and each neuron's response over the series is
pooled on the fly (no ``(n_steps, n_neurons)`` array is built) into

- ``POOL_RATE``: fraction of steps with a spike, ``(1/T) sum_t s_j[t]``;
- ``POOL_PEAK``: peak membrane potential, ``max_t v_j[t]`` (after the step's
  reset; below threshold unless the reset subtracts);
- ``POOL_LATENCY``: first-spike latency as a fraction of the series,
  ``t_first / T`` (1 if the neuron never fires).

Rate and peak do not depend on *where* in the series a pattern occurs (up
to the borders); the latency does, on purpose.

Two input paths:

- :func:`dense_temporal_kernel`: real-valued series ``(n_samples, n_steps,
  n_channels)``, the delayed sum gathered at every step. Before the first
  step each channel is held at its first value (``x[t] = x[0]`` for
  ``t < 0``), so a constant series drives a zero-sum kernel with zero.
- :func:`event_temporal_kernel`: binary spike trains (uint8), event-driven:
  each input spike adds its tap weights into a ring buffer of future drives
  (one synaptic operation per delay tap per input event); no input before
  the first step.

Samples run in parallel (``prange`` over blocks of samples, one state
buffer per block); a sample's result depends only on its own series.
"""

import numpy as np
from numba import prange

from .._config import jit
from ..neurons._kernels import run_layer

__all__ = [
    "POOL_RATE",
    "POOL_PEAK",
    "POOL_LATENCY",
    "N_POOL",
    "dense_temporal_kernel",
    "delayed_sum_kernel",
    "event_temporal_kernel",
    "channel_index",
    "spike_rates_kernel",
]

POOL_RATE = 0
POOL_PEAK = 1
POOL_LATENCY = 2
N_POOL = 3

_BLOCK = 16  # samples per parallel work item


@jit(inline="always")
def _pool_buffers(n_samples, n_neurons):
    """Arrays of the pooled observers of :func:`~skspike.neurons._kernels.run_layer`: rate, peak, first spike."""
    return (np.empty((n_samples, n_neurons), dtype=np.float64), np.empty((n_samples, n_neurons), dtype=np.float64),
            np.empty((n_samples, n_neurons), dtype=np.int64))


@jit(inline="always")
def _pool_store(s, n_steps, acc_rate, acc_peak, first, out):
    inv = 1.0 / n_steps
    for j in range(acc_rate.shape[0]):
        out[s, POOL_RATE, j] = acc_rate[j] * inv
        out[s, POOL_PEAK, j] = acc_peak[j]
        out[s, POOL_LATENCY, j] = first[j] * inv if first[j] >= 0 else 1.0


@jit(inline="always")
def _delayed_sum(x_s, tap_ptr, tap_channel, tap_delay, tap_weight, hold_first, conv, xs):
    """``conv[j, t] = sum_k w_k x_s[t - d_k, c_k]`` for one sample ``x_s`` (n_steps, n_channels).

    Before the first step the input is ``x_s[0]`` (``hold_first``) or 0.
    ``xs`` is a work buffer of shape (n_channels, n_steps) (channel-major
    copy, so every tap is a contiguous, vectorisable loop).
    """
    n_steps = x_s.shape[0]
    for t in range(n_steps):
        for c in range(x_s.shape[1]):
            xs[c, t] = x_s[t, c]
    for j in range(conv.shape[0]):
        row = conv[j]
        for t in range(n_steps):
            row[t] = 0.0
        for k in range(tap_ptr[j], tap_ptr[j + 1]):
            wk = tap_weight[k]
            c = tap_channel[k]
            d = min(tap_delay[k], n_steps)
            src = xs[c]
            if hold_first:
                head = wk * src[0]
                for t in range(d):
                    row[t] += head
            for t in range(d, n_steps):
                row[t] += wk * src[t - d]


@jit(parallel=True)
def delayed_sum_kernel(x, tap_ptr, tap_channel, tap_delay, tap_weight, hold_first, out):
    """Synaptic drives ``out[s, j, t]`` of the taps (no neuron dynamics).

    ``x`` is ``(n_samples, n_steps, n_channels)`` (float); ``out`` is
    ``(n_samples, n_neurons, n_steps)``. Used to measure a candidate's kernel
    output on a few training series (data-aware bias).
    """
    n_samples, n_steps, n_channels = x.shape
    for s in prange(n_samples):
        xs = np.empty((n_channels, n_steps), dtype=x.dtype)
        _delayed_sum(x[s], tap_ptr, tap_channel, tap_delay, tap_weight, hold_first, out[s], xs)


@jit(parallel=True)
def dense_temporal_kernel(x, tap_ptr, tap_channel, tap_delay, tap_weight, bias, model, params, out):
    """Pooled responses of temporal neurons to real-valued series (dense drive).

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_steps, n_channels), float
        Input series (same dtype as ``tap_weight`` and ``params``).
    tap_ptr : ndarray of shape (n_neurons + 1,), int64
        Taps of neuron ``j`` are ``tap_ptr[j]:tap_ptr[j + 1]``.
    tap_channel, tap_delay : ndarray of shape (n_taps,), int64
        Input channel and delay (steps, >= 0) of each tap.
    tap_weight : ndarray of shape (n_taps,)
        Weight of each tap.
    bias : ndarray of shape (n_neurons,)
        Constant current of each neuron.
    model : int
        Model code of ``params``.
    params : ndarray of shape (N_PARAMS, n_neurons)
        Packed neuron parameters.
    out : ndarray of shape (n_samples, N_POOL, n_neurons), float64
        Receives the pooled responses (overwritten).

    Returns
    -------
    n_spikes : ndarray of shape (n_samples,), int64
        Spikes of each sample's neurons.
    """
    n_samples, n_steps, _ = x.shape
    n_neurons = bias.shape[0]
    n_spikes = np.zeros(n_samples, dtype=np.int64)
    n_blocks = (n_samples + _BLOCK - 1) // _BLOCK
    for blk in prange(n_blocks):
        # One sample's delayed sums, neuron-major so each tap is one
        # contiguous (vectorisable) loop over the steps.
        conv = np.empty((1, n_neurons, n_steps), dtype=tap_weight.dtype)
        xs = np.empty((x.shape[2], n_steps), dtype=x.dtype)
        acc_rate, acc_peak, first = _pool_buffers(1, n_neurons)
        one = np.empty(1, dtype=np.int64)
        for s in range(blk * _BLOCK, min(n_samples, (blk + 1) * _BLOCK)):
            _delayed_sum(x[s], tap_ptr, tap_channel, tap_delay, tap_weight, True, conv[0], xs)
            run_layer(model, params, bias, n_steps, 0, 1, one, columns=conv, acc=acc_rate, peak=acc_peak,
                      first=first)
            n_spikes[s] = one[0]
            _pool_store(s, n_steps, acc_rate[0], acc_peak[0], first[0], out)
    return n_spikes


@jit()
def channel_index(n_channels, tap_channel):
    """Taps sorted by input channel: ``(chan_ptr, chan_taps)`` for the event path.

    Taps of channel ``c`` are ``chan_taps[chan_ptr[c]:chan_ptr[c + 1]]``
    (indices into the tap arrays, in increasing order).
    """
    chan_ptr = np.zeros(n_channels + 1, dtype=np.int64)
    for k in range(tap_channel.shape[0]):
        chan_ptr[tap_channel[k] + 1] += 1
    for c in range(n_channels):
        chan_ptr[c + 1] += chan_ptr[c]
    fill = chan_ptr[:-1].copy()
    chan_taps = np.empty(tap_channel.shape[0], dtype=np.int64)
    for k in range(tap_channel.shape[0]):
        c = tap_channel[k]
        chan_taps[fill[c]] = k
        fill[c] += 1
    return chan_ptr, chan_taps


@jit(parallel=True)
def event_temporal_kernel(
    spikes_in, chan_ptr, chan_taps, tap_neuron, tap_delay, tap_weight, max_delay, bias, model, params, out, n_events
):
    """Pooled responses of temporal neurons to binary spike trains (event-driven).

    An input spike on channel ``c`` at step ``t`` adds ``w_k`` to the drive
    of neuron ``tap_neuron[k]`` at step ``t + d_k``, for every tap ``k`` of
    channel ``c`` (a ring buffer of ``max_delay + 1`` future drives per
    block of samples): the same drive as the dense delayed sum with no input
    before the first step, at a cost of one synaptic operation per delay tap
    per input event.

    Parameters
    ----------
    spikes_in : ndarray of shape (n_samples, n_steps, n_channels), uint8
        Input spike trains.
    chan_ptr, chan_taps : ndarray of int64
        Taps of each channel, from :func:`channel_index`.
    tap_neuron, tap_delay : ndarray of shape (n_taps,), int64
        Target neuron and delay (steps) of each tap.
    tap_weight : ndarray of shape (n_taps,)
        Weight of each tap.
    max_delay : int
        Largest delay (``tap_delay.max()``, 0 without taps).
    bias, model, params, out
        As in :func:`dense_temporal_kernel`.
    n_events : ndarray of shape (n_samples,), int64
        Receives the synaptic operations (tap events) of each sample.

    Returns
    -------
    n_spikes : ndarray of shape (n_samples,), int64
        Spikes of each sample's neurons.
    """
    n_samples, n_steps, n_channels = spikes_in.shape
    n_neurons = bias.shape[0]
    n_spikes = np.zeros(n_samples, dtype=np.int64)
    n_blocks = (n_samples + _BLOCK - 1) // _BLOCK
    for blk in prange(n_blocks):
        start, stop = blk * _BLOCK, min(n_samples, (blk + 1) * _BLOCK)
        ring = np.empty((max_delay + 1, n_neurons), dtype=tap_weight.dtype)
        acc_rate, acc_peak, first = _pool_buffers(stop - start, n_neurons)
        delayed = (spikes_in[start:stop], chan_ptr, chan_taps, tap_neuron, tap_delay, tap_weight, ring)
        run_layer(model, params, bias, n_steps, 0, stop - start, n_spikes[start:stop], n_events[start:stop],
                  delayed=delayed, acc=acc_rate, peak=acc_peak, first=first)
        for s in range(start, stop):
            _pool_store(s, n_steps, acc_rate[s - start], acc_peak[s - start], first[s - start], out)
    return n_spikes


@jit(parallel=True)
def spike_rates_kernel(spikes_in, out):
    """Spike rate of every train: ``out[s, c] = (1/T) sum_t spikes_in[s, t, c]``."""
    n_samples, n_steps, n_channels = spikes_in.shape
    inv = 1.0 / n_steps
    for s in prange(n_samples):
        acc = np.zeros(n_channels, dtype=np.int64)
        for t in range(n_steps):
            row = spikes_in[s, t]
            for c in range(n_channels):
                acc[c] += row[c]
        for c in range(n_channels):
            out[s, c] = acc[c] * inv
