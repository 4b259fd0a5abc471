"""Slow, obviously-correct references for the SNN-LZC training kernels.

The kernels compute gradients in reverse mode (BPTT). These references use
forward mode instead: for one neuron, the tangent of every state variable
with respect to every parameter is carried through time, step by step, with
the same conventions (fast-sigmoid surrogate for d spike / d potential,
resets detached). Two independent derivations that agree are the check.
"""

import numpy as np


def simulate_layer(spikes, weights, bias, tau_m, tau_u, v_thresh, a, b, d, tau_syn, subtract, dt=1.0):
    """Plain-Python forward pass of one sample; returns (vpre, spikes_out), (T, n_out)."""
    n_steps = spikes.shape[0]
    n_out = weights.shape[1]
    dm = np.exp(-dt / np.asarray(tau_m, float) * np.ones(n_out))
    du = np.exp(-dt / np.asarray(tau_u, float) * np.ones(n_out))
    ds = np.exp(-dt / tau_syn) if tau_syn > 0 else 0.0
    thr = np.asarray(v_thresh, float) * np.ones(n_out)
    v = np.zeros(n_out)
    u = np.zeros(n_out)
    syn = np.zeros(n_out)
    vpre = np.zeros((n_steps, n_out))
    out = np.zeros((n_steps, n_out), dtype=np.uint8)
    for t in range(n_steps):
        syn = ds * syn + spikes[t] @ weights
        u_new = du * u + (1 - du) * a * v
        vp = dm * v + (1 - dm) * (syn + bias) - (1 - dm) * b * u
        vpre[t] = vp
        fired = vp >= thr
        out[t] = fired
        v = np.where(fired, subtract * (vp - thr), vp)
        u = u_new + d * fired
    return vpre, out


def forward_mode_gradients(spikes, weights, bias, tau_m, tau_u, v_thresh, a, b, d, tau_syn, subtract,
                           g_spike, seed_v, slope, use_surrogate, dt=1.0):
    """Gradients of ``sum_t g_spike[j] s_j(t) + seed_v[t, j] vpre_j(t)`` by forward mode.

    Returns a dict with ``w`` (n_in, n_out), ``bias``, ``decay_m``,
    ``decay_u`` and ``v_thresh`` (each (n_out,)).
    """
    n_steps, n_in = spikes.shape
    n_out = weights.shape[1]
    grads = {k: np.zeros(n_out) for k in ("bias", "decay_m", "decay_u", "v_thresh")}
    grads["w"] = np.zeros((n_in, n_out))
    ds = np.exp(-dt / tau_syn) if tau_syn > 0 else 0.0
    for j in range(n_out):
        dm = np.exp(-dt / (tau_m if np.ndim(tau_m) == 0 else tau_m[j]))
        du = np.exp(-dt / (tau_u if np.ndim(tau_u) == 0 else tau_u[j]))
        thr = v_thresh if np.ndim(v_thresh) == 0 else v_thresh[j]
        # tangent directions: w[0..n_in-1], bias, decay_m, decay_u, v_thresh
        n_dir = n_in + 4
        i_bias, i_dm, i_du, i_thr = n_in, n_in + 1, n_in + 2, n_in + 3
        v = u = syn = 0.0
        tv = np.zeros(n_dir)
        tu = np.zeros(n_dir)
        tsyn = np.zeros(n_dir)
        total = np.zeros(n_dir)
        for t in range(n_steps):
            x = spikes[t].astype(float)
            syn = ds * syn + x @ weights[:, j]
            tsyn = ds * tsyn
            tsyn[:n_in] += x
            u_new = du * u + (1 - du) * a * v
            tu_new = du * tu + (1 - du) * a * tv
            tu_new[i_du] += u - a * v
            vp = dm * v + (1 - dm) * (syn + bias[j]) - (1 - dm) * b * u
            tvp = dm * tv + (1 - dm) * tsyn - (1 - dm) * b * tu
            tvp[i_bias] += 1 - dm
            tvp[i_dm] += v - (syn + bias[j]) + b * u
            fired = vp >= thr
            e_thr = np.zeros(n_dir)
            e_thr[i_thr] = 1.0
            ts = np.zeros(n_dir)
            if use_surrogate:
                sg = 1.0 / (1.0 + slope * abs(vp - thr)) ** 2
                ts = sg * (tvp - e_thr)
            total += g_spike[j] * ts + seed_v[t, j] * tvp
            if fired:
                v = subtract * (vp - thr)
                tv = subtract * (tvp - e_thr)
            else:
                v = vp
                tv = tvp
            u = u_new + d * fired
            tu = tu_new + d * ts
        grads["w"][:, j] = total[:n_in]
        grads["bias"][j] = total[i_bias]
        grads["decay_m"][j] = total[i_dm]
        grads["decay_u"][j] = total[i_du]
        grads["v_thresh"][j] = total[i_thr]
    return grads
