"""Slow, obviously-correct NumPy references for skspike.neurons.

Written from the equations in the models' docstrings, one sample and one
step at a time, without the packed parameters of the kernels.
"""

import math

import numpy as np

from skspike.neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron


def naive_currents(inputs, weights):
    """Per-step input currents x[t] of the dense (non event-driven) path."""
    inputs = np.asarray(inputs, dtype=np.float64)
    if weights is None:
        return inputs
    return inputs @ np.asarray(weights, dtype=np.float64)


def naive_simulate(neuron, currents, *, bias=0.0, dt=1.0):
    """Spikes and voltages of one layer driven by ``currents`` (n_samples, n_steps, n_out).

    Returns ``(spikes uint8, voltage float64)`` of shape (n_samples, n_steps, n_out).
    """
    currents = np.asarray(currents, dtype=np.float64)
    n_samples, n_steps, n_out = currents.shape
    p = neuron.broadcast(n_out)
    bias = np.broadcast_to(np.asarray(bias, dtype=np.float64), (n_out,))
    spikes = np.zeros((n_samples, n_steps, n_out), dtype=np.uint8)
    voltage = np.zeros((n_samples, n_steps, n_out))
    decay_syn = np.array([math.exp(-dt / ts) if ts > 0 else 0.0 for ts in p.tau_syn])
    for s in range(n_samples):
        for j in range(n_out):
            if isinstance(neuron, Izhikevich):
                spk, v = _izhikevich_trace(p, j, currents[s, :, j], bias[j], decay_syn[j], dt)
            else:
                spk, v = _lif_family_trace(neuron, p, j, currents[s, :, j], bias[j], decay_syn[j], dt)
            spikes[s, :, j] = spk
            voltage[s, :, j] = v
    return spikes, voltage


def _lif_family_trace(neuron, p, j, x, bias, decay_syn, dt):
    n_steps = len(x)
    decay = math.exp(-dt / p.tau_m[j])
    ref_steps = int(round(p.t_ref[j] / dt))
    last_spike = None  # Brian2: refractory while (t - last_spike) < t_ref, in steps
    v = p.v_rest[j]
    syn = 0.0
    w = 0.0  # theta (adaptive) or u (meta)
    spikes = np.zeros(n_steps, dtype=np.uint8)
    volts = np.zeros(n_steps)
    for t in range(n_steps):
        syn = decay_syn * syn + x[t]
        current = syn + bias
        if isinstance(neuron, AdaptiveLIF):
            w = w * math.exp(-dt / p.tau_adapt[j])
        if isinstance(neuron, MetaNeuron):
            decay_u = math.exp(-dt / p.tau_u[j])
            u_old = w
            w = decay_u * u_old + (1.0 - decay_u) * p.a[j] * (v - p.v_rest[j])
        if last_spike is not None and t - last_spike < ref_steps:
            volts[t] = v
            continue
        # v <- v_rest + (v - v_rest) e + r_m I (1 - e), written as in the docs
        v_new = decay * v + (1.0 - decay) * p.v_rest[j] + (1.0 - decay) * p.r_m[j] * current
        if isinstance(neuron, MetaNeuron):
            v_new = v_new - (1.0 - decay) * p.b[j] * u_old
        threshold = p.v_thresh[j] + (w if isinstance(neuron, AdaptiveLIF) else 0.0)
        if v_new >= threshold:
            spikes[t] = 1
            if neuron.reset == "subtract":
                v_new = p.v_reset[j] + (v_new - threshold)
            else:
                v_new = p.v_reset[j]
            if isinstance(neuron, AdaptiveLIF):
                w += p.theta_jump[j]
            if isinstance(neuron, MetaNeuron):
                w += p.d[j]
            last_spike = t
        v = v_new
        volts[t] = v
    return spikes, volts


def _izhikevich_trace(p, j, x, bias, decay_syn, dt):
    n_steps = len(x)
    n_sub = max(1, math.ceil(dt / 0.5 - 1e-9))
    h = dt / n_sub
    a, b, c, d, peak = p.a[j], p.b[j], p.c[j], p.d[j], p.v_peak[j]
    v = p.v_init[j]
    u = b * v
    syn = 0.0
    spikes = np.zeros(n_steps, dtype=np.uint8)
    volts = np.zeros(n_steps)
    for t in range(n_steps):
        syn = decay_syn * syn + x[t]
        current = syn + bias
        for _ in range(n_sub):
            dv = 0.04 * v * v + 5.0 * v + 140.0 - u + current
            u = u + h * a * (b * v - u)
            v = v + h * dv
            if v >= peak:
                spikes[t] = 1
                break
        if spikes[t]:
            v = c
            u = u + d
        volts[t] = v
    return spikes, volts


def lif_analytic_rate(i_ext, *, tau_m, v_thresh, v_reset=0.0, t_ref=0.0, r_m=1.0):
    """Firing rate (spikes per ms) of a LIF with v_rest = 0 under constant current."""
    drive = r_m * i_ext
    if drive <= v_thresh:
        return 0.0
    return 1.0 / (t_ref + tau_m * math.log((drive - v_reset) / (drive - v_thresh)))


def lif_analytic_count(duration, i_ext, *, tau_m, v_thresh, v_reset=0.0, t_ref=0.0, r_m=1.0):
    """Spikes of the continuous-time LIF (starting at rest 0) in [0, duration] ms.

    The first spike needs ``T0 = tau_m ln(R I / (R I - v_thresh))``, later ones
    ``1 / rate`` each (refractory period plus the climb from v_reset).
    """
    drive = r_m * i_ext
    if drive <= v_thresh:
        return 0
    first = tau_m * math.log(drive / (drive - v_thresh))
    if first > duration:
        return 0
    period = 1.0 / lif_analytic_rate(i_ext, tau_m=tau_m, v_thresh=v_thresh, v_reset=v_reset, t_ref=t_ref, r_m=r_m)
    return 1 + int(math.floor((duration - first) / period))


def lif_isi_steps(i_ext, *, tau_m, v_thresh, dt, v_reset=0.0, t_ref=0.0, r_m=1.0):
    """Interspike interval in steps of the discrete LIF (v_rest = 0) under constant current.

    The climb from ``v_reset`` to threshold takes ``T = tau_m ln((R I - v_reset) / (R I -
    v_thresh))`` ms, i.e. ``ceil(T / dt)`` exact steps; Brian2's refractoriness adds the
    ``round(t_ref / dt) - 1`` clamped steps after the spike step (none for t_ref < 1.5 dt).
    """
    drive = r_m * i_ext
    climb = tau_m * math.log((drive - v_reset) / (drive - v_thresh))
    return max(int(round(t_ref / dt)) - 1, 0) + math.ceil(climb / dt)


__all__ = ["naive_currents", "naive_simulate", "lif_analytic_rate", "lif_analytic_count", "lif_isi_steps"]
