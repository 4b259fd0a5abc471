"""Slow, obviously-correct NumPy reference of the temporal NG-SNN neurons.

Written from the equations of ``skspike.classifiers._ngsnn_temporal_kernels``:
a naive delayed sum over the taps, then the neuron reference of
``tests/naive_neurons.py``, then the pooled statistics.
"""

import numpy as np

from naive_neurons import naive_simulate


def naive_delayed_drive(x, taps, *, spikes):
    """Drive ``I[s, t, j] = sum_k w_k x[s, t - d_k, c_k]``.

    ``taps`` is a list (one entry per neuron) of ``(channel, delay, weight)``
    triples. Before the first step a real-valued series is held at its first
    value; a spike train is silent (``spikes=True``).
    """
    x = np.asarray(x, dtype=np.float64)
    n_samples, n_steps, _ = x.shape
    drive = np.zeros((n_samples, n_steps, len(taps)))
    for j, neuron_taps in enumerate(taps):
        for channel, delay, weight in neuron_taps:
            for t in range(n_steps):
                src = t - delay
                if src < 0:
                    if spikes:
                        continue
                    src = 0
                drive[:, t, j] += weight * x[:, src, channel]
    return drive


def naive_pooled(neuron, x, taps, bias, *, spikes, dt=1.0):
    """Pooled ``(rate, peak membrane, first-spike latency)``, shape (n_samples, 3, n_neurons)."""
    drive = naive_delayed_drive(x, taps, spikes=spikes)
    out_spikes, volts = naive_simulate(neuron, drive, bias=bias, dt=dt)
    n_steps = drive.shape[1]
    rate = out_spikes.mean(axis=1)
    peak = volts.max(axis=1)
    fired = out_spikes.any(axis=1)
    latency = np.where(fired, out_spikes.argmax(axis=1) / n_steps, 1.0)
    return np.stack([rate, peak, latency], axis=1), int(out_spikes.sum())


def naive_tap_events(x, taps):
    """Synaptic operations of the event path: input spikes x taps on their channel."""
    x = np.asarray(x)
    per_channel = np.zeros(x.shape[2])
    for neuron_taps in taps:
        for channel, _, _ in neuron_taps:
            per_channel[channel] += 1
    return (x.sum(axis=1) * per_channel).sum(axis=1)


__all__ = ["naive_delayed_drive", "naive_pooled", "naive_tap_events"]
