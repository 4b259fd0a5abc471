"""Numba kernels of the synapse models (short-term plasticity).

A synapse model arrives as an integer ``code`` and a parameter matrix
``prm`` of shape ``(N_SYN_PRM, n_in)`` (one column per presynaptic channel,
built by ``synapse.kernel_params(n_in, dt)``). Its state for one sample is
three arrays of shape ``(n_in,)``: ``u`` (utilisation), ``x`` (available
resources) and ``t_last`` (int64 step of the channel's last spike, -1 for
none), updated only at spikes (the decay between spikes is applied in
closed form), so silent channels cost nothing.

- ``efficacy(code, prm, i, t, u, x, t_last)``: channel ``i`` spikes at step
  ``t``; returns the spike's efficacy and updates the state.
- ``efficacy_kernel``: per-spike efficacies of spike trains (``prange``).
- ``spike_input_synapse_kernel``: the layer of
  ``skspike.neurons._kernels.spike_input_kernel`` with each input spike
  scaled by its efficacy (``simulate(..., synapse=...)``); the neurons are
  advanced by the engine's ``step_neurons``.

Adding a synapse model: one code, one branch in :func:`efficacy`, one
:class:`~skspike.synapses.SynapseModel` subclass.
"""

import numpy as np
from numba import prange

from .._config import jit
from ..neurons._kernels import OUT_COUNTS, _record, new_state, step_neurons

SYN_TSODYKS_MARKRAM = 0

S_U = 0  # U, the utilisation increment
S_REC_RATE = 1  # dt / tau_rec (inf for tau_rec = 0: instant recovery)
S_FACIL_RATE = 2  # dt / tau_facil (inf for tau_facil = 0: no facilitation)
N_SYN_PRM = 3


@jit()
def new_synapse_state(n_in):
    """Resting state ``(u, x, t_last)``: u = 0, x = 1, no spike yet."""
    return np.zeros(n_in), np.ones(n_in), np.full(n_in, -1, dtype=np.int64)


@jit()
def reset_synapse_state(u, x, t_last):
    for i in range(u.shape[0]):
        u[i] = 0.0
        x[i] = 1.0
        t_last[i] = -1


@jit()
def efficacy(code, prm, i, t, u, x, t_last):
    """Efficacy of a spike of channel ``i`` at step ``t``; updates ``u``, ``x``.

    Tsodyks-Markram (Mongillo et al. 2008): since the last spike ``k`` steps
    ago ``u`` relaxed to 0 and ``x`` to 1; then ``u += U (1 - u)``, the
    efficacy is ``u x`` and ``x -= u x``.
    """
    last = t_last[i]
    if last < 0:
        u_now = 0.0
        x_now = 1.0
    else:
        k = t - last
        u_now = u[i] * np.exp(-k * prm[S_FACIL_RATE, i])
        x_now = 1.0 - (1.0 - x[i]) * np.exp(-k * prm[S_REC_RATE, i])
    u_now = u_now + prm[S_U, i] * (1.0 - u_now)
    eff = u_now * x_now
    u[i] = u_now
    x[i] = x_now - eff
    t_last[i] = t
    return eff


@jit(parallel=True)
def efficacy_kernel(spikes, code, prm, out):
    """``out[s, t, i]``: efficacy of the spike ``spikes[s, t, i]`` (0 where none)."""
    n_samples, n_steps, n_in = spikes.shape
    for s in prange(n_samples):
        u, x, t_last = new_synapse_state(n_in)
        for t in range(n_steps):
            for i in range(n_in):
                if spikes[s, t, i]:
                    out[s, t, i] = efficacy(code, prm, i, t, u, x, t_last)
                else:
                    out[s, t, i] = 0.0


@jit(parallel=True)
def spike_input_synapse_kernel(
    spikes_in, weights, fanout, bias, model, params, syn_code, syn_prm, out_mode, out_spikes,
    out_counts, out_voltage, n_events, n_spikes
):
    """Event-driven layer whose input spikes pass a dynamic synapse.

    As ``spike_input_kernel``, except that a spike of input ``i`` adds
    ``efficacy * weights[i]`` to the drive.
    """
    n_samples, n_steps, n_in = spikes_in.shape
    n_out = weights.shape[1]
    for s in prange(n_samples):
        v, syn, w, ref = new_state(model, params)
        u, x, t_last = new_synapse_state(n_in)
        drive = np.empty(n_out, dtype=weights.dtype)
        spikes = np.empty(n_out, dtype=np.uint8)
        if out_mode == OUT_COUNTS:
            for j in range(n_out):
                out_counts[s, j] = 0
        events = 0
        total = 0
        for t in range(n_steps):
            for j in range(n_out):
                drive[j] = 0.0
            row_in = spikes_in[s, t]
            for i in range(n_in):
                if row_in[i]:
                    eff = efficacy(syn_code, syn_prm, i, t, u, x, t_last)
                    row = weights[i]
                    for j in range(n_out):
                        drive[j] += eff * row[j]
                    events += fanout[i]
            total += step_neurons(model, params, v, syn, w, ref, drive, bias, spikes)
            _record(out_mode, s, t, v, spikes, out_spikes, out_counts, out_voltage)
        n_events[s] = events
        n_spikes[s] = total
