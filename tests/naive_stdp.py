"""Slow, obviously-correct NumPy reference of the STDP extractor's dynamics.

Dense over inputs and neurons at every step, traces decayed step by step,
one sample at a time; mirrors the order documented in
``STDPFeatureExtractor`` (Notes) so the kernel can be compared to it.
"""

import numpy as np


def normalize(weights, columns, norm, w_max):
    """Rescale ``columns`` to sum to ``norm`` with weights clipped at w_max."""
    for j in columns:
        col = weights[:, j]
        for _ in range(len(col)):
            sat = col >= w_max
            free = col[~sat].sum()
            if free <= 0:
                break
            scale = (norm - w_max * sat.sum()) / free
            if scale <= 0:
                break
            new = np.where(sat, col, col * scale)
            over = (~sat) & (new >= w_max)
            col = np.where(over, w_max, new)
            if not over.any():
                break
        weights[:, j] = col


def run_sample(spikes, weights, theta, *, dt, tau_m, v_rest, v_reset, v_thresh, t_ref,
               inhibition, theta_plus, tau_theta, tau_trace, nu_pre, nu_post, x_tar,
               w_max, mu, norm, learn):
    """Simulate one sample (n_steps, n_in); return (counts, out_spikes).

    ``weights`` and ``theta`` are updated in place when ``learn``.
    """
    n_steps, n_in = spikes.shape
    n_neurons = weights.shape[1]
    decay_m = np.exp(-dt / tau_m)
    decay_tr = np.exp(-dt / tau_trace)
    ref_steps = int(round(t_ref / dt))
    v = np.full(n_neurons, float(v_rest))
    refrac = np.zeros(n_neurons, dtype=int)
    x_pre = np.zeros(n_in)
    y_post = np.zeros(n_neurons)
    prev = np.zeros(n_neurons, dtype=bool)
    fired_ever = np.zeros(n_neurons, dtype=bool)
    out = np.zeros((n_steps, n_neurons), dtype=np.uint8)

    def soft(x):
        return np.ones_like(x) if mu == 0 else np.clip(x, 0, None) ** mu

    for t in range(n_steps):
        if t > 0:
            x_pre *= decay_tr
            y_post *= decay_tr
        i_in = np.zeros(n_neurons)
        for i in np.flatnonzero(spikes[t]):
            i_in += weights[i]
            if learn:
                dw = -nu_pre * y_post * soft(weights[i])
                weights[i] = np.clip(weights[i] + np.where(y_post > 0, dw, 0.0), 0, w_max)
                x_pre[i] = 1.0
        if learn:
            theta *= np.exp(-dt / tau_theta)
        active = refrac == 0
        inh = inhibition * (prev.sum() - prev)
        v_new = v_rest + (v - v_rest) * decay_m + i_in - inh
        fire = active & (v_new > v_thresh + theta)
        v = np.where(active, np.where(fire, v_reset, v_new), v)
        refrac = np.where(active, np.where(fire, ref_steps, 0), refrac - 1)
        for j in np.flatnonzero(fire):
            out[t, j] = 1
            if learn:
                theta[j] += theta_plus
                if x_tar == 0:
                    mask = x_pre > 0
                    dw = nu_post * x_pre * soft(w_max - weights[:, j])
                    weights[:, j] = np.where(mask, np.clip(weights[:, j] + dw, 0, w_max),
                                             weights[:, j])
                else:
                    dw = nu_post * (x_pre - x_tar) * soft(w_max - weights[:, j])
                    weights[:, j] = np.clip(weights[:, j] + dw, 0, w_max)
                y_post[j] = 1.0
        fired_ever |= fire
        prev = fire
    if learn and norm and fired_ever.any():
        normalize(weights, np.flatnonzero(fired_ever), norm, w_max)
    return out.sum(axis=0), out
