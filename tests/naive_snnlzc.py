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


# ------------------------------------------------------------------ surrogate pseudo-forward
# The surrogate BPTT of the kernels is the exact derivative of a "pseudo-forward" in
# which the spike pattern of a reference run (``fixed``) is held: every reset uses the
# reference spikes (detached resets), and wherever a spike enters the loss or a
# spike-triggered jump it counts as ``s0 + sigma(x) - sigma(x0)``, ``x`` the distance of
# the potential at the spike test to the threshold, ``x0`` its reference value and
# ``sigma(x) = x / (1 + k |x|)`` the fast sigmoid whose derivative is the surrogate
# ``1 / (1 + k |x|)^2``. At the reference parameters the pseudo-forward equals the true
# forward; central finite differences of it, parameter by parameter, are an oracle for
# the kernels' reverse-mode gradients that shares none of their adjoint algebra.


def _sigma(x, slope):
    return x / (1.0 + slope * np.abs(x))


def pseudo_loss_lif_family(spikes, weights, bias, p, g_spike, seed_v, slope, fixed=None, dt=1.0):
    """Loss ``sum g_spike s + seed_v vpre`` of one sample of a LIF, meta or adaptive LIF layer.

    ``p``: dict with ``tau_m``, ``v_thresh`` ((n_out,) arrays), ``v_rest``,
    ``v_reset``, ``r_m``, ``tau_syn``, ``subtract`` and either ``tau_u``,
    ``a``, ``b``, ``d`` (meta; zeros for a LIF) or ``tau_adapt``,
    ``theta_jump`` (``adaptive=True``). Returns ``(loss, (spikes, x))``, the
    second item the reference to pass as ``fixed``.
    """
    n_steps = spikes.shape[0]
    n_out = weights.shape[1]
    adaptive = p.get("adaptive", False)
    dm = np.exp(-dt / p["tau_m"])
    dw = np.exp(-dt / (p["tau_adapt"] if adaptive else p["tau_u"]))
    ds = np.exp(-dt / p["tau_syn"]) if p["tau_syn"] > 0 else 0.0
    jump = p["theta_jump"] if adaptive else p["d"]
    a = 0.0 if adaptive else p["a"]
    b = 0.0 if adaptive else p["b"]
    v = np.full(n_out, float(p["v_rest"]))
    w = np.zeros(n_out)
    syn = np.zeros(n_out)
    pattern = np.zeros((n_steps, n_out), dtype=bool)
    xs = np.zeros((n_steps, n_out))
    loss = 0.0
    for t in range(n_steps):
        syn = ds * syn + spikes[t] @ weights
        w_dec = dw * w + (1 - dw) * a * (v - p["v_rest"])
        vp = dm * v + (1 - dm) * p["v_rest"] + (1 - dm) * p["r_m"] * (syn + bias) - (1 - dm) * b * w
        thr = p["v_thresh"] + (w_dec if adaptive else 0.0)
        x = vp - thr
        s0 = x >= 0 if fixed is None else fixed[0][t]
        s = s0 + _sigma(x, slope) - (_sigma(x, slope) if fixed is None else _sigma(fixed[1][t], slope))
        pattern[t], xs[t] = s0, x
        loss += np.sum(g_spike * s + seed_v[t] * vp)
        v = np.where(s0, p["v_reset"] + p["subtract"] * x, vp)
        w = w_dec + jump * s
    return loss, (pattern, xs)


def pseudo_loss_izhikevich(spikes, weights, bias, p, g_spike, seed_v, slope, fixed=None, dt=1.0):
    """The same for an Izhikevich layer (``p``: ``a``, ``b``, ``c``, ``d``, ``v_peak``, ``v_init``, ``tau_syn``).

    Forward Euler in ``ceil(dt / 0.5)`` sub-steps with the spike test after
    each; the reference also holds the number of sub-steps each step ran and
    the potential at each sub-step. Two parts of a spike are held at the
    reference, as the resets are: the jump ``u += d`` (by the reference
    spike, not through ``sigma``) and the regenerative part of the
    upstroke: the quadratic ``q(v) = 0.04 v^2 + 5 v + 140`` is replaced by
    its tangent at the reference potential ``v0`` with the slope clipped at
    0, ``q(v0) + min(q'(v0), 0) (v - v0)`` (equal to ``q`` at the reference).
    """
    n_steps = spikes.shape[0]
    n_out = weights.shape[1]
    n_sub = max(1, int(np.ceil(dt / 0.5 - 1e-9)))
    h = dt / n_sub
    ds = np.exp(-dt / p["tau_syn"]) if p["tau_syn"] > 0 else 0.0
    a, b, c, d, peak = p["a"], p["b"], p["c"], p["d"], p["v_peak"]
    v = np.asarray(p["v_init"], dtype=float) * np.ones(n_out)
    u = b * v
    syn = np.zeros(n_out)
    pattern = np.zeros((n_steps, n_out), dtype=bool)
    xs = np.zeros((n_steps, n_out))
    done = np.zeros((n_steps, n_out), dtype=int)
    v_sub = np.zeros((n_steps, n_sub, n_out))
    loss = 0.0
    for t in range(n_steps):
        syn = ds * syn + spikes[t] @ weights
        current = syn + bias
        vp = v.copy()
        up = u.copy()
        for j in range(n_out):
            for k in range(n_sub if fixed is None else fixed[2][t, j]):
                if fixed is None:
                    q = 0.04 * vp[j] ** 2 + 5.0 * vp[j] + 140.0
                    v_sub[t, k, j] = vp[j]
                else:
                    v0 = fixed[3][t, k, j]
                    q = 0.04 * v0**2 + 5.0 * v0 + 140.0 + min(0.08 * v0 + 5.0, 0.0) * (vp[j] - v0)
                dv = q - up[j] + current[j]
                up[j] = up[j] + h * a[j] * (b[j] * vp[j] - up[j])
                vp[j] = vp[j] + h * dv
                done[t, j] = k + 1
                if fixed is None and vp[j] >= peak[j]:
                    break
        x = vp - peak
        s0 = x >= 0 if fixed is None else fixed[0][t]
        s = s0 + _sigma(x, slope) - (_sigma(x, slope) if fixed is None else _sigma(fixed[1][t], slope))
        pattern[t], xs[t] = s0, x
        loss += np.sum(g_spike * s + seed_v[t] * vp)
        v = np.where(s0, c, vp)
        u = up + d * s0
    return loss, (pattern, xs, done, v_sub)
