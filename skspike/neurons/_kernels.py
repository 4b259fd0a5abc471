"""Numba kernels of the neuron dynamics: pure functions of arrays and scalars.

Neuron parameters arrive packed as ``params`` of shape ``(N_PARAMS, n_out)``
(rows indexed by the ``P_*`` constants, built by
``neuron.kernel_params(n_out, dt, dtype)``) with an integer ``model`` code.
The state of one sample's layer is four arrays of shape ``(n_out,)``: ``v``
(membrane), ``syn`` (synaptic current), ``w`` (``u`` of the meta-neuron and
Izhikevich, ``theta`` of the adaptive LIF) and ``ref`` (int32, clamped
refractory steps left). Separate arrays, not rows of one matrix, so that the compiler
knows they do not alias and keeps the neuron loop tight.

Building blocks for estimators' own loops (all ``@jit``, callable from numba):

- ``v, syn, w, ref = new_state(model, params)``: resting state (dtype of
  ``params``); ``reset_state(model, params, v, syn, w, ref)`` refills it.
- ``step_neurons(model, params, v, syn, w, ref, drive, bias, spikes)``: one
  step: ``syn = decay_syn * syn + drive``, then the neuron update with input
  ``syn + bias``; writes 0/1 into ``spikes`` (uint8 ``(n_out,)``) and returns
  their number.
- ``accumulate_spikes(spikes_in, weights, drive, fanout)``: event-driven
  ``drive += weights[i]`` for each active input ``i``; returns the number of
  synaptic events (sum of ``fanout[i]`` over active inputs).
- ``accumulate_current(x, weights, drive, fanout)``: ``drive += x @ weights``
  skipping zero inputs; returns the multiply-accumulates done.
- ``step_neurons_recorded(params, v, syn, w, ref, drive, bias, spikes, v_pre)``:
  the meta-neuron (and LIF) step that also records the pre-threshold
  potential, for the BPTT training of ``SNNLZCClassifier``;
  ``step_recorded(model, ..., v_pre, sub)`` the same for every model (the
  Izhikevich sub-steps go into ``sub``, see ``n_substeps_recorded``).
- ``run_layer(model, params, bias, n_steps, start, stop, n_spikes, n_events,
  <source>=..., <observers>=...)``: samples of a layer from rest, the layer loop of
  :func:`~skspike.neurons.simulate`, ``NGSNNClassifier`` (the activity
  kernels of static and spike input, the temporal candidates' dense and
  delayed event inputs) and ``SNNLZCClassifier``
  (the BPTT recording and the readout features). The source of each step's drive (held current,
  spikes or weighted inputs through ``weights``, per-step currents,
  delayed synapses) and what is observed (spike counts or kappa-weighted
  activity, spike record, peak potential, first spike, the BPTT record) are keyword
  arrays; those left out are compiled out.
- ``run_events(...)``: one sample of an event-driven layer with lateral
  inhibition and, optionally, a plasticity rule's hooks
  (:mod:`skspike.plasticity._kernels`): the loop of ``STDPFeatureExtractor``
  (every rule, the default included) and ``learn_from_reward``.

Layer kernels of ``simulate`` (``prange`` over blocks of samples, each
block one ``run_layer``; ``out_mode`` 0 = spikes, 1 = counts, 2 = voltage; the unused
outputs may be empty arrays):

- ``spike_input_kernel``: binary spikes ``(n_samples, n_steps, n_in)`` through
  ``weights``, event-driven.
- ``static_input_kernel``: a current ``x @ weights`` (or ``x`` itself when
  ``use_weights`` is False) computed once per sample and held for
  ``n_steps`` steps (direct encoding).
- ``current_input_kernel``: currents ``(n_samples, n_steps, n_out)``.

All floating arrays of one call share a dtype (float32 or float64); numba
compiles one specialisation per dtype, cached on disk.
"""

import numpy as np
from numba import prange
from numba.core import compiler, compiler_machinery, ir_utils, typed_passes

from .._config import jit
from ..plasticity import _kernels as PK

MODEL_LIF = 0
MODEL_ADAPTIVE = 1
MODEL_META = 2
MODEL_IZHIKEVICH = 3

OUT_SPIKES = 0
OUT_COUNTS = 1
OUT_VOLTAGE = 2

# Rows of ``params``. Row 0 is common; LIF family rows 1-13.
P_DECAY_SYN = 0  # exp(-dt/tau_syn), 0 for an instantaneous synapse
P_DECAY_M = 1  # exp(-dt/tau_m)
P_GAIN = 2  # (1 - decay_m) * r_m
P_REST_DRIVE = 3  # (1 - decay_m) * v_rest
P_V_REST = 4
P_V_RESET = 5
P_V_THRESH = 6
P_REF_STEPS = 7  # clamped steps after a spike: max(round(t_ref / dt) - 1, 0) (Brian2's)
P_SUBTRACT = 8  # 1.0 for reset="subtract" (same for the whole layer)
P_DECAY_W = 9  # exp(-dt/tau_adapt) or exp(-dt/tau_u)
P_JUMP = 10  # theta_jump or d
P_U_DRIVE = 11  # (1 - decay_u) * a   (meta-neuron)
P_COUPLING = 12  # (1 - decay_m) * b   (meta-neuron)
P_ANY_REF = 13  # 1.0 in every column if any neuron has t_ref >= one step
# Izhikevich rows
P_IZ_A = 1
P_IZ_B = 2
P_IZ_C = 3
P_IZ_D = 4
P_IZ_PEAK = 5
P_IZ_INIT = 6
P_IZ_NSUB = 7  # forward-Euler sub-steps per step
P_IZ_H = 8  # sub-step length in ms
N_PARAMS = 14
N_STATE = 4  # v, syn, w, ref


@jit()
def reset_state(model, params, v, syn, w, ref):
    """Refill the state arrays with the model's resting state."""
    for j in range(v.shape[0]):
        syn[j] = 0.0
        ref[j] = 0
        if model == MODEL_IZHIKEVICH:
            v[j] = params[P_IZ_INIT, j]
            w[j] = params[P_IZ_B, j] * params[P_IZ_INIT, j]
        else:
            v[j] = params[P_V_REST, j]
            w[j] = 0.0


@jit()
def new_state(model, params):
    """Resting state ``(v, syn, w, ref)`` of a layer of ``params.shape[1]`` neurons."""
    n_out = params.shape[1]
    v = np.empty(n_out, dtype=params.dtype)
    syn = np.empty(n_out, dtype=params.dtype)
    w = np.empty(n_out, dtype=params.dtype)
    ref = np.empty(n_out, dtype=np.int32)
    reset_state(model, params, v, syn, w, ref)
    return v, syn, w, ref


# The step functions are inlined into the layer loops (``inline="always"``):
# as separate calls, the reference counting of their many array arguments
# costs more than the update of a 50-neuron layer. They index ``params[P_X, j]``
# rather than taking row views ``params[P_X]``: a view is an array made (and
# reference counted) at every step, which only a ``prange`` body would hoist.
# Their loops are written branch-free (selects) over contiguous parameter rows,
# so the compiler can vectorise the plain LIF update.


@jit(inline="always")
def _step_izhikevich(params, v, syn, w, drive, bias, spikes, v_pre, sub, record):
    n_spikes = 0
    for j in range(v.shape[0]):
        current = params[P_DECAY_SYN, j] * syn[j] + drive[j]
        syn[j] = current
        current = current + bias[j]
        a = params[P_IZ_A, j]
        b = params[P_IZ_B, j]
        h = params[P_IZ_H, j]
        vj = v[j]
        uj = w[j]
        fired = False
        n_sub = int(params[P_IZ_NSUB, j])
        n_done = 0
        for k in range(n_sub):
            if record:
                sub[1 + k, j] = vj
                sub[1 + n_sub + k, j] = uj
            dv = 0.04 * vj * vj + 5.0 * vj + 140.0 - uj + current
            uj = uj + h * a * (b * vj - uj)
            vj = vj + h * dv
            n_done = k + 1
            if vj >= params[P_IZ_PEAK, j]:
                fired = True
                break
        if record:
            v_pre[j] = vj
            sub[0, j] = n_done
        if fired:
            vj = params[P_IZ_C, j]
            uj = uj + params[P_IZ_D, j]
            n_spikes += 1
            spikes[j] = 1
        else:
            spikes[j] = 0
        v[j] = vj
        w[j] = uj
    return n_spikes


@jit(inline="always")
def _step_lif(params, v, syn, ref, drive, bias, spikes):
    n_out = v.shape[0]
    subtract = params[P_SUBTRACT, 0] if n_out > 0 else 0.0
    any_ref = params[P_ANY_REF, 0] != 0.0 if n_out > 0 else False
    n_spikes = 0
    if not any_ref:
        for j in range(n_out):
            current = params[P_DECAY_SYN, j] * syn[j] + drive[j]
            syn[j] = current
            vj = params[P_DECAY_M, j] * v[j] + params[P_REST_DRIVE, j] + params[P_GAIN, j] * (current + bias[j])
            fired = vj >= params[P_V_THRESH, j]
            v[j] = params[P_V_RESET, j] + subtract * (vj - params[P_V_THRESH, j]) if fired else vj
            spikes[j] = fired
            n_spikes += fired
        return n_spikes
    for j in range(n_out):
        current = params[P_DECAY_SYN, j] * syn[j] + drive[j]
        syn[j] = current
        r = ref[j]
        vj = params[P_DECAY_M, j] * v[j] + params[P_REST_DRIVE, j] + params[P_GAIN, j] * (current + bias[j])
        fired = (r <= 0) & (vj >= params[P_V_THRESH, j])
        if fired:
            v[j] = params[P_V_RESET, j] + subtract * (vj - params[P_V_THRESH, j])
            ref[j] = np.int32(params[P_REF_STEPS, j])
        elif r > 0:
            ref[j] = r - 1
        else:
            v[j] = vj
        spikes[j] = fired
        n_spikes += fired
    return n_spikes


@jit(inline="always")
def _step_adaptive(params, v, syn, w, ref, drive, bias, spikes, v_pre, record, col=1):
    """Adaptive-LIF step. ``col=0`` reads every parameter from column 0: for a
    layer whose neurons share their parameters (:func:`_shared_columns`), the
    same operations in the same order (so the same bits) without streaming
    ten parameter rows through the cache at every step."""
    n_out = v.shape[0]
    subtract = params[P_SUBTRACT, 0] if n_out > 0 else 0.0
    n_spikes = 0
    for j in range(n_out):  # branch-free (selects), so that the loop vectorises
        k = j * col
        current = params[P_DECAY_SYN, k] * syn[j] + drive[j]
        syn[j] = current
        theta = params[P_DECAY_W, k] * w[j]
        r = ref[j]
        v_old = v[j]
        vj = params[P_DECAY_M, k] * v_old + params[P_REST_DRIVE, k] + params[P_GAIN, k] * (current + bias[j])
        if record:
            v_pre[j] = vj
        threshold = params[P_V_THRESH, k] + theta
        free = r <= 0
        fired = free & (vj >= threshold)
        v_fire = params[P_V_RESET, k] + subtract * (vj - threshold)
        v[j] = v_fire if fired else (vj if free else v_old)
        w[j] = theta + params[P_JUMP, k] if fired else theta
        ref[j] = np.int32(params[P_REF_STEPS, k]) if fired else (r if free else r - 1)
        spikes[j] = fired
        n_spikes += fired
    return n_spikes


@jit(inline="always")
def _shared_columns(params):
    """True if every neuron (column) of ``params`` has the parameters of the first."""
    for k in range(N_PARAMS):
        p0 = params[k, 0]
        for j in range(1, params.shape[1]):
            if params[k, j] != p0:
                return False
    return True


@jit(inline="always")
def _step_meta(params, v, syn, w, ref, drive, bias, spikes, v_pre, record):
    n_out = v.shape[0]
    subtract = params[P_SUBTRACT, 0] if n_out > 0 else 0.0
    n_spikes = 0
    for j in range(n_out):
        current = params[P_DECAY_SYN, j] * syn[j] + drive[j]
        syn[j] = current
        v_old = v[j]
        u_old = w[j]
        u_new = params[P_DECAY_W, j] * u_old + params[P_U_DRIVE, j] * (v_old - params[P_V_REST, j])
        r = ref[j]
        vj = params[P_DECAY_M, j] * v_old + params[P_REST_DRIVE, j] + params[P_GAIN, j] * (current + bias[j])
        vj = vj - params[P_COUPLING, j] * u_old
        if record:
            v_pre[j] = vj
        fired = (r <= 0) & (vj >= params[P_V_THRESH, j])
        if fired:
            v[j] = params[P_V_RESET, j] + subtract * (vj - params[P_V_THRESH, j])
            w[j] = u_new + params[P_JUMP, j]
            ref[j] = np.int32(params[P_REF_STEPS, j])
        else:
            w[j] = u_new
            if r > 0:
                ref[j] = r - 1
            else:
                v[j] = vj
        spikes[j] = fired
        n_spikes += fired
    return n_spikes


@jit(inline="always")
def step_neurons(model, params, v, syn, w, ref, drive, bias, spikes):
    """Advance the layer one step; ``drive`` is this step's input (n_out,).

    Returns the number of spikes, written as 0/1 into ``spikes``.
    """
    if model == MODEL_LIF:
        return _step_lif(params, v, syn, ref, drive, bias, spikes)
    if model == MODEL_ADAPTIVE:
        return _step_adaptive(params, v, syn, w, ref, drive, bias, spikes, v, False)
    if model == MODEL_META:
        return _step_meta(params, v, syn, w, ref, drive, bias, spikes, v, False)
    return _step_izhikevich(params, v, syn, w, drive, bias, spikes, v, params, False)


@jit(inline="always")
def step_neurons_recorded(params, v, syn, w, ref, drive, bias, spikes, v_pre):
    """:func:`step_neurons` of a meta-neuron layer that also writes ``v_pre``.

    ``v_pre`` (n_out,) receives the potential before the threshold test and
    the reset, what surrogate-gradient training (BPTT) needs besides the
    state before the step (``v``, ``w``) and the current after it (``syn``).
    A LIF layer is the meta-neuron with ``a = b = d = 0`` (bit for bit the
    same spikes); ``params`` may carry extra rows after ``N_PARAMS``.
    """
    return _step_meta(params, v, syn, w, ref, drive, bias, spikes, v_pre, True)


@jit()
def n_substeps_recorded(model, params):
    """Rows of the ``sub`` record of :func:`step_recorded` for ``model`` (0: none).

    An Izhikevich layer records ``1 + 2 n_sub`` rows (``n_sub`` forward-Euler
    sub-steps per step, the same for every neuron: they follow from ``dt``).
    """
    if model != MODEL_IZHIKEVICH or params.shape[1] == 0:
        return 0
    return 1 + 2 * int(params[P_IZ_NSUB, 0])


@jit(inline="always")
def step_recorded(model, params, v, syn, w, ref, drive, bias, spikes, v_pre, sub):
    """:func:`step_neurons` of any model, also recording what BPTT needs.

    ``v_pre`` (n_out,) receives the potential at the spike test, before the
    reset (LIF family: after the membrane update; Izhikevich: after its last
    sub-step). Besides the state before the step (``v``, ``w``) and the
    current after it (``syn``), that is all the LIF family's backward pass
    needs (the adaptive threshold is ``v_thresh + decay_w w``). An
    Izhikevich layer also fills ``sub`` (:func:`n_substeps_recorded` rows,
    n_out): row 0 the number of sub-steps run (fewer than ``n_sub`` when it
    fired early), rows ``1 + k`` and ``1 + n_sub + k`` the ``v`` and ``u``
    at the start of sub-step ``k``; for the other models ``sub`` is unused
    (any array). ``params`` may carry extra rows after ``N_PARAMS``.
    """
    if model == MODEL_ADAPTIVE:
        return _step_adaptive(params, v, syn, w, ref, drive, bias, spikes, v_pre, True)
    if model == MODEL_IZHIKEVICH:
        return _step_izhikevich(params, v, syn, w, drive, bias, spikes, v_pre, sub, True)
    return _step_meta(params, v, syn, w, ref, drive, bias, spikes, v_pre, True)


@jit(inline="always")
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


@jit(inline="always")
def accumulate_current(x, weights, drive, fanout):
    """``drive += x @ weights`` over the non-zero ``x[i]``; returns the MACs (fan-out)."""
    n_out = drive.shape[0]
    n_macs = 0
    for i in range(x.shape[0]):
        xi = x[i]
        if xi != 0.0:
            row = weights[i]
            for j in range(n_out):
                drive[j] += xi * row[j]
            n_macs += fanout[i]
    return n_macs


@jit(inline="always")
def _deliver_rows(weights, ev_idx, first, last, drive):
    """``drive = 0 + weights[ev_idx[first]] + ... + weights[ev_idx[last - 1]]``, added in that order.

    Two rows per pass over ``drive`` (the sums keep their order, so the same
    bits as one row at a time), and the first row replaces the zeroing.
    """
    n_out = drive.shape[0]
    if last == first:
        for j in range(n_out):
            drive[j] = 0.0
        return
    row = weights[ev_idx[first]]
    for j in range(n_out):
        drive[j] = 0.0 + row[j]
    e = first + 1
    while e + 1 < last:
        row_a = weights[ev_idx[e]]
        row_b = weights[ev_idx[e + 1]]
        for j in range(n_out):
            drive[j] = (drive[j] + row_a[j]) + row_b[j]
        e += 2
    if e < last:
        row = weights[ev_idx[e]]
        for j in range(n_out):
            drive[j] += row[j]


@compiler_machinery.register_pass(mutates_CFG=True, analysis_only=False)
class _PropagateCopies(compiler_machinery.FunctionPass):
    """Copy propagation and dead-code removal on the typed IR (numba's ``ir_utils.simplify``).

    Numba's IR inlining (``inline="always"``) binds every argument of the
    inlined function to a new variable; for an array that is a reference
    count increment and decrement (atomic), about fifteen per step of
    :func:`step_neurons`, which LLVM's reference-count pruning does not
    remove across the neuron loops. They cost as much as the update of a
    50-neuron layer. The parallel pipeline runs this simplification on every
    ``prange`` body (which is why a step loop written inside a ``prange`` was
    faster than the same loop in a plain function); this pass runs it on
    :func:`run_layer`.
    """

    _name = "skspike_propagate_copies"

    def __init__(self):
        compiler_machinery.FunctionPass.__init__(self)

    def run_pass(self, state):
        ir_utils.simplify(state.func_ir, state.typemap, state.calltypes, state.metadata)
        return True


class _LayerLoopCompiler(compiler.CompilerBase):
    """numba's nopython pipeline plus :class:`_PropagateCopies` after the typed inlining."""

    def define_pipelines(self):
        pm = compiler.DefaultPassBuilder.define_nopython_pipeline(self.state)
        pm.add_pass_after(_PropagateCopies, typed_passes.InlineOverloads)
        pm.finalize()
        return [pm]


@jit(pipeline_class=_LayerLoopCompiler)
def run_layer(model, params, bias, n_steps, start, stop, n_spikes, n_events=None, held=None, spikes_in=None,
              weighted_in=None, weights=None, fanout=None, currents=None, columns=None, delayed=None, acc=None,
              kappa=None, rec=None, peak=None, first=None, bptt=None, output=None):
    """Samples ``start`` to ``stop - 1``, each from rest for ``n_steps`` steps: the layer loop of every estimator.

    The keyword arguments left out are compiled out (numba prunes the
    branches on omitted arguments): each combination of source and
    observers is its own specialisation, a loop with only those. Every
    array below has a leading sample axis (index ``s``); a caller that runs
    one sample passes views of shape ``(1, ...)`` and ``start, stop = 0, 1``.
    The state and work buffers are allocated here, once per call, so the
    compiler knows they alias nothing and keeps the neuron loop tight.
    ``n_spikes[s]`` receives the layer's spikes, ``n_events[s]`` the
    synaptic events of the source (rows delivered times fan-out,
    multiply-accumulates or tap events; 0 for ``held``, ``currents`` and
    ``columns``).

    The drive of step ``t`` comes from exactly one source:

    - ``held`` ``(n_samples, n_out)``: the same current every step (direct
      encoding);
    - ``spikes_in`` ``(n_samples, n_steps, n_in)`` 0/1 with ``weights``
      ``(n_in, n_out)`` and ``fanout`` ``(n_in,)``: the rows of the active
      inputs (:func:`accumulate_spikes`, event-driven);
    - ``weighted_in`` ``(n_samples, n_steps, n_in)`` with ``weights`` and
      ``fanout``: ``weighted_in[s, t] @ weights`` over the non-zero entries
      (:func:`accumulate_current`; efficacy-scaled spikes);
    - ``currents`` ``(n_samples, n_steps, n_out)``: the drive itself;
    - ``columns`` ``(n_samples, n_out, n_steps)``: neuron-major drives;
    - ``delayed = (spikes_in, chan_ptr, chan_taps, tap_neuron, tap_delay,
      tap_weight, ring)``: delayed synapses; each input spike on channel
      ``c`` adds the weights of the channel's taps into the work buffer
      ``ring`` ``(max_delay + 1, n_out)``, the drives of the coming steps.

    Observers (any combination, rows ``s`` reset here): ``acc`` (float64)
    ``+= spikes``, or ``+= kappa[t] * spikes`` with ``kappa`` ``(n_steps,)``
    (NG-SNN's rate or trace activity); ``rec`` ``(n_samples, n_steps, n_out)`` uint8 the
    spikes; ``peak`` (float64) the maximum potential; ``first`` (int64) the
    step of the first spike (-1: none); all but ``rec`` of shape
    ``(n_samples, n_out)``. (A new observer is one keyword and its branch
    here.) ``bptt = (vprev, uprev, syn_hist, vpre,
    sub_hist)`` (each ``(n_samples, n_steps, ...)``) runs the recording step
    (:func:`step_recorded`) and stores per step ``v`` and ``w`` before it,
    ``syn`` after it, the potential at the spike test and the Izhikevich
    sub-steps: what surrogate-gradient training needs (give ``rec`` for the
    spikes). ``output = (out_mode, out_spikes, out_counts, out_voltage)``
    writes what ``out_mode`` (``OUT_SPIKES``, ``OUT_COUNTS``,
    ``OUT_VOLTAGE``) selects, the other arrays unused: the output of
    :func:`~skspike.neurons.simulate` chosen at run time, in one
    specialisation.
    """
    v, syn, w, ref = new_state(model, params)
    n_out = v.shape[0]
    spikes = np.empty(n_out, dtype=np.uint8)
    drive = np.empty(n_out, dtype=params.dtype)
    acc_s = np.empty(n_out, dtype=np.float64)  # local, not a row of ``acc``: the compiler sees no aliasing
    if delayed is not None:
        events_in, chan_ptr, chan_taps, tap_neuron, tap_delay, tap_weight, ring = delayed
    if output is not None:
        out_mode, out_spikes, out_counts, out_voltage = output
    if bptt is not None:
        vprev, uprev, syn_hist, vpre, sub_hist = bptt
    for s in range(start, stop):
        reset_state(model, params, v, syn, w, ref)
        for j in range(n_out):
            acc_s[j] = 0.0
            if peak is not None:
                peak[s, j] = -np.inf
            if first is not None:
                first[s, j] = -1
        if delayed is not None:
            ring[:, :] = 0.0
        if output is not None:
            if out_mode == OUT_COUNTS:
                for j in range(n_out):
                    out_counts[s, j] = 0
        total = 0
        events = 0
        # Array variables are set once a sample where possible: an assignment
        # (reference counting) at every step costs a small layer's update.
        if held is not None:
            drive_t = held[s]
        if columns is not None:
            drive_t = drive
        if spikes_in is not None:
            drive_t = drive
        if weighted_in is not None:
            drive_t = drive
        for t in range(n_steps):
            if currents is not None:
                drive_t = currents[s, t]
            if columns is not None:
                for j in range(n_out):
                    drive[j] = columns[s, j, t]
            if spikes_in is not None:
                for j in range(n_out):
                    drive[j] = 0.0
                events += accumulate_spikes(spikes_in[s, t], weights, drive, fanout)
            if weighted_in is not None:
                for j in range(n_out):
                    drive[j] = 0.0
                events += accumulate_current(weighted_in[s, t], weights, drive, fanout)
            if delayed is not None:
                events += _deliver_delayed(t, events_in[s], chan_ptr, chan_taps, tap_neuron, tap_delay, tap_weight,
                                           ring)
                drive_t = ring[t % ring.shape[0]]
            if bptt is not None:
                for j in range(n_out):
                    vprev[s, t, j] = v[j]
                    uprev[s, t, j] = w[j]
                total += step_recorded(model, params, v, syn, w, ref, drive_t, bias, spikes, vpre[s, t],
                                       sub_hist[s, t])
                for j in range(n_out):
                    syn_hist[s, t, j] = syn[j]
            else:
                total += step_neurons(model, params, v, syn, w, ref, drive_t, bias, spikes)
            if delayed is not None:
                for j in range(n_out):
                    drive_t[j] = 0.0
            if rec is not None:
                for j in range(n_out):
                    rec[s, t, j] = spikes[j]
            if acc is not None:
                if kappa is not None:
                    k_t = kappa[t]
                    for j in range(n_out):
                        acc_s[j] += k_t * spikes[j]
                else:
                    for j in range(n_out):
                        acc_s[j] += spikes[j]
            if output is not None:
                if out_mode == OUT_SPIKES:
                    for j in range(n_out):
                        out_spikes[s, t, j] = spikes[j]
                elif out_mode == OUT_COUNTS:
                    for j in range(n_out):
                        out_counts[s, j] += spikes[j]
                else:
                    for j in range(n_out):
                        out_voltage[s, t, j] = v[j]
            if peak is not None:
                for j in range(n_out):
                    if v[j] > peak[s, j]:
                        peak[s, j] = v[j]
            if first is not None:
                for j in range(n_out):
                    if spikes[j] and first[s, j] < 0:
                        first[s, j] = t
        if acc is not None:
            for j in range(n_out):
                acc[s, j] = acc_s[j]
        n_spikes[s] = total
        if n_events is not None:
            n_events[s] = events


@jit(inline="always")
def _deliver_delayed(t, spikes_in, chan_ptr, chan_taps, tap_neuron, tap_delay, tap_weight, ring):
    """Add the taps of the input spikes of step ``t`` into ``ring``; returns the tap events."""
    n_ring = ring.shape[0]
    row = spikes_in[t]
    n_events = 0
    for c in range(row.shape[0]):
        if row[c]:
            for i in range(chan_ptr[c], chan_ptr[c + 1]):
                k = chan_taps[i]
                ring[(t + tap_delay[k]) % n_ring, tap_neuron[k]] += tap_weight[k]
            n_events += chan_ptr[c + 1] - chan_ptr[c]
    return n_events


@jit()
def run_events(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, learn, code,
               rprm, tab, rstate, counts, out_spikes, record, eff):
    """One sample of an event-driven layer, optionally plastic; returns the input spikes.

    The input is an event list in CSR form (``step_ptr`` of length
    ``n_steps + 1``, ``ev_idx`` the inputs spiking in each step, ascending,
    from ``skspike.encoding._kernels``, each input at most once a step).
    Per step: the row of every input spike is delivered (with ``learn``,
    the rule's ``before_delivery`` hook of :mod:`skspike.plasticity._kernels`
    before and its ``pre_spikes`` hook after all deliveries),
    lateral inhibition of the previous step's spikes enters as ``bias``
    (``-inhibition`` per spike of the *other* neurons), the neurons advance
    by :func:`step_neurons`, and every output spike is counted, recorded
    into ``out_spikes`` (n_steps, n_out) when ``record``, and passed to
    ``post_spikes``. ``theta`` (n_out,) is the adaptation state ``w`` carried
    across samples (the threshold increment of an adaptive LIF): read at the
    start, written back when ``learn``. The rule state ``rstate`` (reset
    here) and ``tab`` are unused without ``learn``; the caller ends a
    learning sample with ``end_sample`` (which takes the reward). ``eff``
    (n_steps, n_in) scales each delivered row by the efficacy of that input
    spike (short-term plasticity, ``skspike.synapses``); an empty ``(0, 0)``
    array: every spike delivers its weight. The rule sees the spikes.
    """
    n_out = weights.shape[1]
    v, syn, w, ref = new_state(model, params)
    for j in range(n_out):
        w[j] = theta[j]
        counts[j] = 0
    drive = np.zeros(n_out, dtype=params.dtype)
    bias = np.zeros(n_out, dtype=params.dtype)
    spikes = np.zeros(n_out, dtype=np.uint8)
    now = np.empty(n_out, dtype=ev_idx.dtype)
    if learn:
        PK.reset_rule_state(rstate)
    pre_x, pre_t, pre_list, post_x, post_t, post_list, n_act, syn_a, syn_t = rstate
    n_prev = 0
    inhibited = False
    use_eff = eff.shape[0] > 0
    shared = model == MODEL_ADAPTIVE and n_out > 0 and _shared_columns(params)
    for t in range(n_steps):
        first = step_ptr[t]
        last = step_ptr[t + 1]
        if learn:
            PK.before_delivery(code, rprm, ev_idx, first, last, t, weights, syn_t)
        if use_eff:
            for j in range(n_out):
                drive[j] = 0.0
            for e in range(first, last):
                i = ev_idx[e]
                g = eff[t, i]
                row = weights[i]
                for j in range(n_out):
                    drive[j] += g * row[j]
        else:  # rows first, then the rule: each input once per step
            _deliver_rows(weights, ev_idx, first, last, drive)
        if learn and last > first:
            PK.pre_spikes(code, rprm, tab, ev_idx, first, last, t, weights, pre_x, pre_t, pre_list, post_x,
                          post_t, post_list, n_act, syn_a, syn_t)
        if inhibition != 0.0 and (n_prev > 0 or inhibited):
            for j in range(n_out):
                bias[j] = -inhibition * (n_prev - spikes[j])
            inhibited = n_prev > 0
        if shared:
            n_prev = _step_adaptive(params, v, syn, w, ref, drive, bias, spikes, drive, False, 0)
        else:
            n_prev = step_neurons(model, params, v, syn, w, ref, drive, bias, spikes)
        if n_prev > 0:
            n_now = 0
            for j in range(n_out):
                if spikes[j]:
                    now[n_now] = j
                    n_now += 1
                    counts[j] += 1
                    if record:
                        out_spikes[t, j] = 1
            if learn:
                PK.post_spikes(code, rprm, tab, now, 0, n_now, t, weights, pre_x, pre_t, pre_list, post_x,
                               post_t, post_list, n_act, syn_a, syn_t)
    if learn:
        for j in range(n_out):
            theta[j] = w[j]
    return step_ptr[n_steps]


_SIM_BLOCK = 16  # samples per parallel work item of the simulate kernels


@jit(parallel=True)
def spike_input_kernel(
    spikes_in, eff, weights, fanout, bias, model, params, out_mode, out_spikes, out_counts, out_voltage, n_events,
    n_spikes
):
    """Event-driven layer on binary input spikes ``(n_samples, n_steps, n_in)``.

    Per step the work is one weight row per input spike plus one update per
    neuron. ``eff`` (float64, the shape of ``spikes_in``) scales the row of
    each spike by its efficacy (a dynamic synapse, ``skspike.synapses``);
    an empty ``(0, 0, 0)`` array: every spike delivers its weight.
    ``n_events[s]`` receives the synaptic events (spikes x non-zero
    fan-out) and ``n_spikes[s]`` the output spikes of sample ``s``.
    """
    n_samples, n_steps, _ = spikes_in.shape
    output = (out_mode, out_spikes, out_counts, out_voltage)
    for blk in prange((n_samples + _SIM_BLOCK - 1) // _SIM_BLOCK):
        start, stop = blk * _SIM_BLOCK, min(n_samples, (blk + 1) * _SIM_BLOCK)
        if eff.shape[0] > 0:
            run_layer(model, params, bias, n_steps, start, stop, n_spikes, n_events, weighted_in=eff, weights=weights,
                      fanout=fanout, output=output)
        else:
            run_layer(model, params, bias, n_steps, start, stop, n_spikes, n_events, spikes_in=spikes_in,
                      weights=weights, fanout=fanout, output=output)


@jit(parallel=True)
def static_input_kernel(
    x, weights, fanout, use_weights, bias, n_steps, model, params, out_mode, out_spikes, out_counts, out_voltage,
    n_macs, n_spikes
):
    """Layer driven by ``x[s] @ weights`` (or ``x[s]``) held for ``n_steps`` steps.

    ``x`` is ``(n_samples, n_in)``; with ``use_weights`` False it is the
    current ``(n_samples, n_out)`` itself and ``weights``/``fanout`` are
    ignored. ``n_macs[s]`` receives the multiply-accumulates of the product.
    """
    n_samples = x.shape[0]
    n_out = params.shape[1]
    if use_weights:
        held = np.zeros((n_samples, n_out), dtype=params.dtype)
        for s in prange(n_samples):
            n_macs[s] = accumulate_current(x[s], weights, held[s], fanout)
    else:
        held = x
    output = (out_mode, out_spikes, out_counts, out_voltage)
    for blk in prange((n_samples + _SIM_BLOCK - 1) // _SIM_BLOCK):
        start, stop = blk * _SIM_BLOCK, min(n_samples, (blk + 1) * _SIM_BLOCK)
        run_layer(model, params, bias, n_steps, start, stop, n_spikes, held=held, output=output)


@jit(parallel=True)
def current_input_kernel(currents, bias, model, params, out_mode, out_spikes, out_counts, out_voltage, n_spikes):
    """Layer driven by time-varying currents ``(n_samples, n_steps, n_out)``."""
    n_samples, n_steps, n_out = currents.shape
    output = (out_mode, out_spikes, out_counts, out_voltage)
    for blk in prange((n_samples + _SIM_BLOCK - 1) // _SIM_BLOCK):
        start, stop = blk * _SIM_BLOCK, min(n_samples, (blk + 1) * _SIM_BLOCK)
        run_layer(model, params, bias, n_steps, start, stop, n_spikes, currents=currents, output=output)
