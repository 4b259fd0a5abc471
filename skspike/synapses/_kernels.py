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

The layers that use a synapse take these efficacies as an array
(``skspike.neurons._kernels.spike_input_kernel`` for ``simulate(...,
synapse=...)``, ``run_events`` for the estimators): the engine's delivery
scales each row, nothing here loops over neurons.

Adding a synapse model: one code, one branch in :func:`efficacy`, one
:class:`~skspike.synapses.SynapseModel` subclass.
"""

import numpy as np
from numba import prange

from .._config import jit

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
