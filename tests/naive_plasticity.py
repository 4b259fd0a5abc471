"""Slow, obviously-correct NumPy references of the plasticity rules and synapses.

Continuous time, event by event: traces are evaluated with exact exponentials
at the spike times (no step grid, no per-step decay), so the kernels, which
decay once per step, must agree with them to rounding when the spike times
lie on the grid. At equal times a presynaptic spike is processed before a
postsynaptic one (the kernels' order within a step).
"""

import numpy as np

# Sjostrom, Turrigiano & Nelson (2001), as fitted by Pfister & Gerstner (2006), Fig. 5:
# frequency (Hz), change for +10 ms pairs, its SEM, change for -10 ms pairs, its SEM
# (60 pairings; fractional change of the EPSP).
SJOSTROM_2001 = np.array([
    [0.1, -0.04, 0.05, -0.29, 0.08],
    [10.0, 0.14, 0.10, -0.41, 0.11],
    [20.0, 0.29, 0.14, -0.34, 0.10],
    [40.0, 0.53, 0.11, 0.56, 0.32],
    [50.0, 0.56, 0.26, 0.75, 0.19],
])


def _events(pre_times, post_times):
    ev = [(float(t), 0) for t in pre_times] + [(float(t), 1) for t in post_times]
    return sorted(ev)


def pairing_protocol(frequency, delta_t, n_pairs=60):
    """Pre/post spike times (ms) of ``n_pairs`` pairings at ``frequency`` Hz, ``t_post - t_pre = delta_t``."""
    period = 1000.0 / frequency
    pre = np.arange(n_pairs) * period + max(-delta_t, 0.0)
    return pre, pre + delta_t


def triplet(pre_times, post_times, *, tau_plus, tau_minus, tau_x, tau_y, a2_plus, a3_plus,
            a2_minus, a3_minus, nearest=False, w=0.0, w_min=-np.inf, w_max=np.inf):
    """Final weight under triplet STDP (Pfister & Gerstner 2006, eqs. 3-4).

    With ``a3_* = 0`` and one time constant per side this is pair STDP.
    """
    r1 = r2 = o1 = o2 = 0.0
    t_prev = 0.0
    for t, kind in _events(pre_times, post_times):
        gap = t - t_prev
        r1 *= np.exp(-gap / tau_plus)
        r2 *= np.exp(-gap / tau_x)
        o1 *= np.exp(-gap / tau_minus)
        o2 *= np.exp(-gap / tau_y)
        t_prev = t
        if kind == 0:
            w = np.clip(w - o1 * (a2_minus + a3_minus * r2), w_min, w_max)
            r1, r2 = (1.0, 1.0) if nearest else (r1 + 1.0, r2 + 1.0)
        else:
            w = np.clip(w + r1 * (a2_plus + a3_plus * o2), w_min, w_max)
            o1, o2 = (1.0, 1.0) if nearest else (o1 + 1.0, o2 + 1.0)
    return w


def pair(pre_times, post_times, *, nu_pre, nu_post, tau_pre, tau_post, x_tar=0.0, mu=0.0,
         w_max=1.0, nearest=True, w=0.5):
    """Final weight under the extractor's pair rule (soft bounds, x_tar), one synapse."""
    x = y = 0.0
    t_prev = 0.0

    def soft(v):
        return 1.0 if mu == 0 else max(v, 0.0) ** mu

    for t, kind in _events(pre_times, post_times):
        x *= np.exp(-(t - t_prev) / tau_pre)
        y *= np.exp(-(t - t_prev) / tau_post)
        t_prev = t
        if kind == 0:
            if y != 0.0:
                w = np.clip(w - nu_pre * y * soft(w), 0.0, w_max)
            x = 1.0 if nearest else x + 1.0
        else:
            if x != 0.0 or x_tar != 0.0:
                w = np.clip(w + nu_post * (x - x_tar) * soft(w_max - w), 0.0, w_max)
            y = 1.0 if nearest else y + 1.0
    return w


def reward_stdp(pre_times, post_times, reward_time, reward, *, a_plus, a_minus, tau_plus,
                tau_minus, tau_elig, w=0.5, w_min=0.0, w_max=1.0):
    """Final weight under reward-modulated STDP: ``w + reward * e(reward_time)``."""
    x = y = e = 0.0
    t_prev = 0.0
    for t, kind in _events(pre_times, post_times):
        gap = t - t_prev
        x *= np.exp(-gap / tau_plus)
        y *= np.exp(-gap / tau_minus)
        e *= np.exp(-gap / tau_elig)
        t_prev = t
        if kind == 0:
            e -= a_minus * y
            x += 1.0
        else:
            e += a_plus * x
            y += 1.0
    e *= np.exp(-(reward_time - t_prev) / tau_elig)
    return float(np.clip(w + reward * e, w_min, w_max))


def hebbian_steps(pre_steps, post_steps, n_steps, *, eta, decay_per_step, trace_decay, w=0.5,
                  w_min=0.0, w_max=1.0):
    """Final weight under the Hebbian rule, step by step (dense, the literal definition).

    Each step: ``w <- max(w - c, w_min)``; then a presynaptic spike adds
    ``eta * y`` (postsynaptic trace of earlier steps); then a postsynaptic
    spike adds ``eta * x`` (presynaptic trace including this step).
    """
    pre = set(int(s) for s in pre_steps)
    post = set(int(s) for s in post_steps)
    x = y = 0.0
    for t in range(n_steps):
        x *= trace_decay if t > 0 else 1.0
        y *= trace_decay if t > 0 else 1.0
        if t > 0:
            w = max(w - decay_per_step, w_min)
        if t in pre:
            w = min(max(w + eta * y, w_min), w_max)
            x = 1.0
        if t in post:
            w = min(max(w + eta * x, w_min), w_max)
            y = 1.0
    return max(w - decay_per_step, w_min) if n_steps > 0 else w


def tsodyks_markram_regular(U, tau_rec, tau_facil, interval, n_spikes):
    """Efficacies ``u_k^+ x_k^-`` of a regular train, by the closed-form recursion."""
    f = np.exp(-interval / tau_facil) if tau_facil > 0 else 0.0
    d = np.exp(-interval / tau_rec) if tau_rec > 0 else 0.0
    u_minus, x_minus = 0.0, 1.0
    out = np.empty(n_spikes)
    for k in range(n_spikes):
        u_plus = u_minus + U * (1.0 - u_minus)
        out[k] = u_plus * x_minus
        x_plus = x_minus - u_plus * x_minus
        u_minus = u_plus * f
        x_minus = 1.0 - (1.0 - x_plus) * d
    return out


def tsodyks_markram_steady_state(U, tau_rec, tau_facil, interval):
    """Analytic steady-state efficacy ``u* x*`` of a regular train."""
    f = np.exp(-interval / tau_facil) if tau_facil > 0 else 0.0
    d = np.exp(-interval / tau_rec) if tau_rec > 0 else 0.0
    u_star = U / (1.0 - (1.0 - U) * f)
    x_star = (1.0 - d) / (1.0 - (1.0 - u_star) * d)
    return u_star * x_star
