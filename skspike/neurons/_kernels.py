"""Numba kernels of the neuron dynamics: pure functions of arrays and scalars.

Neuron parameters arrive packed as ``params`` of shape ``(N_PARAMS, n_out)``
(rows indexed by the ``P_*`` constants, built by
``neuron.kernel_params(n_out, dt, dtype)``) with an integer ``model`` code.
The state of one sample's layer is ``state`` of shape ``(N_STATE, n_out)``:
rows ``S_V`` (membrane), ``S_SYN`` (synaptic current), ``S_W`` (``u`` of the
meta-neuron and Izhikevich, ``theta`` of the adaptive LIF) and ``S_REF``
(refractory steps left).

Building blocks for estimators' own loops (all ``@jit``, callable from numba):

- ``init_state(model, params, state)``: resting state.
- ``step_neurons(model, params, state, drive, bias, spikes)``: one step:
  ``I = decay_syn * I + drive``, then the neuron update with ``I + bias``;
  writes 0/1 into ``spikes`` (uint8, ``(n_out,)``) and returns their number.
- ``accumulate_spikes(spikes_in, weights, drive, fanout)``: event-driven
  ``drive += W[i]`` for each active input ``i``; returns the number of
  synaptic events (sum of ``fanout[i]`` over active inputs).

Layer kernels (``prange`` over samples; ``out_mode`` 0 = spikes, 1 = counts,
2 = voltage; unused outputs may be empty arrays):

- ``spike_input_kernel``: binary spikes ``(n_samples, n_steps, n_in)`` and
  weights, event-driven.
- ``static_input_kernel``: a current ``(n_samples, n_out)`` held for
  ``n_steps`` steps (direct encoding; the caller computes ``X @ W``).
- ``current_input_kernel``: currents ``(n_samples, n_steps, n_out)``.

All floating arrays of one call share a dtype (float32 or float64); numba
compiles one specialisation per dtype, cached on disk.
"""

import numpy as np
from numba import prange

from .._config import jit

MODEL_LIF = 0
MODEL_ADAPTIVE = 1
MODEL_META = 2
MODEL_IZHIKEVICH = 3

OUT_SPIKES = 0
OUT_COUNTS = 1
OUT_VOLTAGE = 2

# Rows of ``params``. Row 0 is common; LIF family rows 1-12.
P_DECAY_SYN = 0  # exp(-dt/tau_syn), 0 for an instantaneous synapse
P_DECAY_M = 1  # exp(-dt/tau_m)
P_GAIN = 2  # (1 - decay_m) * r_m
P_REST_DRIVE = 3  # (1 - decay_m) * v_rest
P_V_REST = 4
P_V_RESET = 5
P_V_THRESH = 6
P_REF_STEPS = 7  # round(t_ref / dt)
P_SUBTRACT = 8  # 1.0 for reset="subtract"
P_DECAY_W = 9  # exp(-dt/tau_adapt) or exp(-dt/tau_u)
P_JUMP = 10  # theta_jump or d
P_U_DRIVE = 11  # (1 - decay_u) * a   (meta-neuron)
P_COUPLING = 12  # (1 - decay_m) * b   (meta-neuron)
# Izhikevich rows
P_IZ_A = 1
P_IZ_B = 2
P_IZ_C = 3
P_IZ_D = 4
P_IZ_PEAK = 5
P_IZ_INIT = 6
P_IZ_NSUB = 7
P_IZ_H = 8
N_PARAMS = 13

S_V = 0
S_SYN = 1
S_W = 2
S_REF = 3
N_STATE = 4


@jit()
def init_state(model, params, state):
    """Fill ``state`` (N_STATE, n_out) with the resting state of the model."""
    n_out = state.shape[1]
    for j in range(n_out):
        state[S_SYN, j] = 0.0
        state[S_REF, j] = 0.0
        if model == MODEL_IZHIKEVICH:
            state[S_V, j] = params[P_IZ_INIT, j]
            state[S_W, j] = params[P_IZ_B, j] * params[P_IZ_INIT, j]
        else:
            state[S_V, j] = params[P_V_REST, j]
            state[S_W, j] = 0.0


@jit()
def step_neurons(model, params, state, drive, bias, spikes):
    """Advance one step; ``drive`` is this step's synaptic input (n_out,)."""
    n_out = state.shape[1]
    v = state[S_V]
    syn = state[S_SYN]
    w = state[S_W]
    ref = state[S_REF]
    decay_syn = params[P_DECAY_SYN]
    n_spikes = 0
    for j in range(n_out):
        syn[j] = decay_syn[j] * syn[j] + drive[j]
    if model == MODEL_IZHIKEVICH:
        a = params[P_IZ_A]
        b = params[P_IZ_B]
        for j in range(n_out):
            current = syn[j] + bias[j]
            vj = v[j]
            uj = w[j]
            h = params[P_IZ_H, j]
            fired = False
            for _ in range(int(params[P_IZ_NSUB, j])):
                dv = 0.04 * vj * vj + 5.0 * vj + 140.0 - uj + current
                uj = uj + h * a[j] * (b[j] * vj - uj)
                vj = vj + h * dv
                if vj >= params[P_IZ_PEAK, j]:
                    fired = True
                    break
            if fired:
                vj = params[P_IZ_C, j]
                uj = uj + params[P_IZ_D, j]
                n_spikes += 1
            v[j] = vj
            w[j] = uj
            spikes[j] = fired
        return n_spikes

    decay_m = params[P_DECAY_M]
    gain = params[P_GAIN]
    rest_drive = params[P_REST_DRIVE]
    v_reset = params[P_V_RESET]
    v_thresh = params[P_V_THRESH]
    if model == MODEL_LIF:
        for j in range(n_out):
            if ref[j] > 0.0:
                ref[j] -= 1.0
                spikes[j] = 0
                continue
            vj = decay_m[j] * v[j] + rest_drive[j] + gain[j] * (syn[j] + bias[j])
            if vj >= v_thresh[j]:
                if params[P_SUBTRACT, j] != 0.0:
                    vj = vj - (v_thresh[j] - v_reset[j])
                else:
                    vj = v_reset[j]
                ref[j] = params[P_REF_STEPS, j]
                spikes[j] = 1
                n_spikes += 1
            else:
                spikes[j] = 0
            v[j] = vj
    elif model == MODEL_ADAPTIVE:
        decay_a = params[P_DECAY_W]
        jump = params[P_JUMP]
        for j in range(n_out):
            w[j] = decay_a[j] * w[j]
            if ref[j] > 0.0:
                ref[j] -= 1.0
                spikes[j] = 0
                continue
            vj = decay_m[j] * v[j] + rest_drive[j] + gain[j] * (syn[j] + bias[j])
            threshold = v_thresh[j] + w[j]
            if vj >= threshold:
                if params[P_SUBTRACT, j] != 0.0:
                    vj = vj - (threshold - v_reset[j])
                else:
                    vj = v_reset[j]
                w[j] = w[j] + jump[j]
                ref[j] = params[P_REF_STEPS, j]
                spikes[j] = 1
                n_spikes += 1
            else:
                spikes[j] = 0
            v[j] = vj
    else:  # MODEL_META
        decay_u = params[P_DECAY_W]
        jump = params[P_JUMP]
        u_drive = params[P_U_DRIVE]
        coupling = params[P_COUPLING]
        v_rest = params[P_V_REST]
        for j in range(n_out):
            v_old = v[j]
            u_old = w[j]
            w[j] = decay_u[j] * u_old + u_drive[j] * (v_old - v_rest[j])
            if ref[j] > 0.0:
                ref[j] -= 1.0
                spikes[j] = 0
                continue
            vj = decay_m[j] * v_old + rest_drive[j] + gain[j] * (syn[j] + bias[j])
            vj = vj - coupling[j] * u_old
            if vj >= v_thresh[j]:
                if params[P_SUBTRACT, j] != 0.0:
                    vj = vj - (v_thresh[j] - v_reset[j])
                else:
                    vj = v_reset[j]
                w[j] = w[j] + jump[j]
                ref[j] = params[P_REF_STEPS, j]
                spikes[j] = 1
                n_spikes += 1
            else:
                spikes[j] = 0
            v[j] = vj
    return n_spikes


@jit()
def accumulate_spikes(spikes_in, weights, drive, fanout):
    """``drive += weights[i]`` for each ``i`` with ``spikes_in[i]``; events count."""
    n_out = drive.shape[0]
    n_events = 0
    for i in range(spikes_in.shape[0]):
        if spikes_in[i]:
            row = weights[i]
            for j in range(n_out):
                drive[j] += row[j]
            n_events += fanout[i]
    return n_events


@jit()
def _record(out_mode, s, t, state, spikes, out_spikes, out_counts, out_voltage):
    n_out = spikes.shape[0]
    if out_mode == OUT_SPIKES:
        for j in range(n_out):
            out_spikes[s, t, j] = spikes[j]
    elif out_mode == OUT_COUNTS:
        for j in range(n_out):
            out_counts[s, j] += spikes[j]
    else:
        for j in range(n_out):
            out_voltage[s, t, j] = state[S_V, j]


@jit(parallel=True)
def spike_input_kernel(
    spikes_in, weights, fanout, bias, model, params, out_mode, out_spikes, out_counts, out_voltage, n_events, n_spikes
):
    """Event-driven layer on binary input spikes ``(n_samples, n_steps, n_in)``.

    Per step the work is one weight row per input spike plus one update per
    neuron. ``n_events[s]`` receives the synaptic events (spikes x fan-out)
    and ``n_spikes[s]`` the output spikes of sample ``s``.
    """
    n_samples, n_steps, _ = spikes_in.shape
    n_out = weights.shape[1]
    for s in prange(n_samples):
        state = np.empty((N_STATE, n_out), dtype=weights.dtype)
        init_state(model, params, state)
        drive = np.empty(n_out, dtype=weights.dtype)
        spikes = np.empty(n_out, dtype=np.uint8)
        if out_mode == OUT_COUNTS:
            out_counts[s, :] = 0
        events = 0
        total = 0
        for t in range(n_steps):
            drive[:] = 0.0
            events += accumulate_spikes(spikes_in[s, t], weights, drive, fanout)
            total += step_neurons(model, params, state, drive, bias, spikes)
            _record(out_mode, s, t, state, spikes, out_spikes, out_counts, out_voltage)
        n_events[s] = events
        n_spikes[s] = total


@jit(parallel=True)
def static_input_kernel(currents, bias, n_steps, model, params, out_mode, out_spikes, out_counts, out_voltage, n_spikes):
    """Layer driven by a current ``(n_samples, n_out)`` held for ``n_steps`` steps."""
    n_samples, n_out = currents.shape
    for s in prange(n_samples):
        state = np.empty((N_STATE, n_out), dtype=currents.dtype)
        init_state(model, params, state)
        spikes = np.empty(n_out, dtype=np.uint8)
        if out_mode == OUT_COUNTS:
            out_counts[s, :] = 0
        drive = currents[s]
        total = 0
        for t in range(n_steps):
            total += step_neurons(model, params, state, drive, bias, spikes)
            _record(out_mode, s, t, state, spikes, out_spikes, out_counts, out_voltage)
        n_spikes[s] = total


@jit(parallel=True)
def current_input_kernel(currents, bias, model, params, out_mode, out_spikes, out_counts, out_voltage, n_spikes):
    """Layer driven by time-varying currents ``(n_samples, n_steps, n_out)``."""
    n_samples, n_steps, n_out = currents.shape
    for s in prange(n_samples):
        state = np.empty((N_STATE, n_out), dtype=currents.dtype)
        init_state(model, params, state)
        spikes = np.empty(n_out, dtype=np.uint8)
        if out_mode == OUT_COUNTS:
            out_counts[s, :] = 0
        total = 0
        for t in range(n_steps):
            total += step_neurons(model, params, state, currents[s, t], bias, spikes)
            _record(out_mode, s, t, state, spikes, out_spikes, out_counts, out_voltage)
        n_spikes[s] = total
