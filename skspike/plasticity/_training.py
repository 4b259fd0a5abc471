"""Rule-generic training loops: the engine's neuron step plus a rule's hooks.

One sample is simulated by :func:`run_sample` from an event list in CSR form
(``step_ptr`` of length ``n_steps + 1``, ``ev_idx`` the inputs spiking in
each step, as built by ``skspike.feature_extraction._kernels``). Membranes
are advanced by ``skspike.neurons._kernels.step_neurons`` (the one neuron
update of the package); plasticity by the hooks of
``skspike.plasticity._kernels``; lateral inhibition enters as the neurons'
``bias`` at the next step. Learning drivers run the samples of a batch in
order (the weights change after every sample); inference drivers run them
in parallel (``prange``) since nothing learns.
"""

import numpy as np
from numba import prange

from .._config import jit
from .._numba._random import stream_seed
from ..encoding._kernels import row_key as _row_key
from ..feature_extraction._kernels import _events_from_spikes, _events_poisson, _scale_prob, normalize_columns
from ..neurons._kernels import reset_state, step_neurons
from . import _kernels as R


@jit()
def run_sample(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, code, rprm,
               pre_tr, post_tr, syn_a, syn_t, learn, counts, out_spikes, record):
    """Simulate one sample; return the number of input spikes.

    ``theta`` (n_out,) is the neuron's adaptation state (the threshold
    increment of an adaptive LIF) carried across samples: read at the start,
    written back at the end when ``learn``. ``counts`` receives the output
    spike counts, ``out_spikes`` (n_steps, n_out) the trains when
    ``record``. With ``learn`` the rule's hooks update ``weights`` and the
    rule state (``pre_tr``, ``post_tr``, ``syn_a``, ``syn_t``, reset here);
    the caller ends the sample with ``end_sample`` (which takes the reward).
    """
    n_in, n_out = weights.shape
    v = np.empty(n_out, dtype=params.dtype)
    syn = np.empty(n_out, dtype=params.dtype)
    w = np.empty(n_out, dtype=params.dtype)
    ref = np.empty(n_out, dtype=np.int32)
    reset_state(model, params, v, syn, w, ref)
    for j in range(n_out):
        w[j] = theta[j]
        counts[j] = 0
    drive = np.zeros(n_out)
    bias = np.zeros(n_out)
    spikes = np.zeros(n_out, dtype=np.uint8)
    if learn:
        R.reset_rule_state(pre_tr, post_tr, syn_a, syn_t)
    n_prev = 0
    for t in range(n_steps):
        if learn and t > 0:
            R.decay_traces(rprm, pre_tr, post_tr)
        for j in range(n_out):
            drive[j] = 0.0
        for e in range(step_ptr[t], step_ptr[t + 1]):
            i = ev_idx[e]
            if learn:
                R.before_delivery(code, rprm, i, t, weights, syn_a, syn_t)
            for j in range(n_out):
                drive[j] += weights[i, j]
            if learn:
                R.pre_spike(code, rprm, i, t, weights, pre_tr, post_tr, syn_a, syn_t)
        if inhibition != 0.0:
            for j in range(n_out):
                bias[j] = -inhibition * (n_prev - spikes[j])
        n_prev = step_neurons(model, params, v, syn, w, ref, drive, bias, spikes)
        if n_prev > 0:
            for j in range(n_out):
                if spikes[j]:
                    counts[j] += 1
                    if record:
                        out_spikes[t, j] = 1
                    if learn:
                        R.post_spike(code, rprm, j, t, weights, pre_tr, post_tr, syn_a, syn_t)
    if learn:
        for j in range(n_out):
            theta[j] = w[j]
    return step_ptr[n_steps]


@jit()
def _learn_one(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, code, rprm,
               state, counts, dummy):
    pre_tr, post_tr, syn_a, syn_t = state
    n = run_sample(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, code,
                   rprm, pre_tr, post_tr, syn_a, syn_t, True, counts, dummy, False)
    R.end_sample(code, rprm, n_steps, 0.0, weights, syn_a, syn_t)
    return n


@jit()
def _scale_fired(weights, counts, norm, w_max, cols):
    n_cols = 0
    for j in range(counts.shape[0]):
        if counts[j] > 0:
            cols[n_cols] = j
            n_cols += 1
    if norm > 0.0 and n_cols > 0:
        normalize_columns(weights, cols, n_cols, norm, w_max)


@jit()
def learn_spikes(spikes, weights, model, params, theta, inhibition, code, rprm, norm, w_max,
                 counts, in_spikes):
    """Train on spike arrays ``(n_batch, n_steps, n_in)``, samples in order."""
    n_batch, n_steps, n_in = spikes.shape
    step_ptr = np.empty(n_steps + 1, dtype=np.int64)
    ev_idx = np.empty(n_steps * n_in, dtype=np.int32)
    dummy = np.empty((0, 0), dtype=np.uint8)
    cols = np.empty(weights.shape[1], dtype=np.int64)
    state = R.new_rule_state(code, rprm, n_in, weights.shape[1])
    for s in range(n_batch):
        _events_from_spikes(spikes[s], step_ptr, ev_idx)
        in_spikes[s] = _learn_one(step_ptr, ev_idx, n_steps, weights, model, params, theta,
                                  inhibition, code, rprm, state, counts[s], dummy)
        _scale_fired(weights, counts[s], norm, w_max, cols)


@jit()
def learn_poisson(prob, seed, first_index, n_steps, weights, model, params, theta, inhibition,
                  code, rprm, norm, w_max, min_spikes, rate_step, max_presentations, counts,
                  in_spikes, n_presented):
    """Train on Poisson spikes drawn on the fly (streams as the extractor's own kernel)."""
    n_batch, n_in = prob.shape
    step_ptr = np.empty(n_steps + 1, dtype=np.int64)
    cap = n_steps * n_in
    ev_idx = np.empty(cap, dtype=np.int32)
    ev_step = np.empty(cap, dtype=np.int32)
    ev_chan = np.empty(cap, dtype=np.int32)
    p_now = np.empty(n_in)
    dummy = np.empty((0, 0), dtype=np.uint8)
    cols = np.empty(weights.shape[1], dtype=np.int64)
    rule_state = R.new_rule_state(code, rprm, n_in, weights.shape[1])
    for s in range(n_batch):
        state = stream_seed(seed, first_index + s)
        total = 0
        k = 0
        while True:
            _scale_prob(prob[s], 1.0 + k * rate_step, p_now)
            state = _events_poisson(p_now, state, n_steps, step_ptr, ev_idx, ev_step, ev_chan)
            total += _learn_one(step_ptr, ev_idx, n_steps, weights, model, params, theta,
                                inhibition, code, rprm, rule_state, counts[s], dummy)
            _scale_fired(weights, counts[s], norm, w_max, cols)
            k += 1
            if k >= max_presentations or counts[s].sum() >= min_spikes:
                break
        in_spikes[s] = total
        n_presented[s] = k


@jit(parallel=True)
def infer_spikes(spikes, weights, model, params, theta, inhibition, code, rprm, counts,
                 in_spikes, out_spikes, record):
    """Frozen network on spike arrays, samples in parallel."""
    n_batch, n_steps, n_in = spikes.shape
    n_blocks = max(1, min(n_batch, 64))
    for b in prange(n_blocks):
        step_ptr = np.empty(n_steps + 1, dtype=np.int64)
        ev_idx = np.empty(n_steps * n_in, dtype=np.int32)
        th = theta.copy()
        pre_tr, post_tr, syn_a, syn_t = R.new_rule_state(code, rprm, 0, 0)
        for s in range(b, n_batch, n_blocks):
            _events_from_spikes(spikes[s], step_ptr, ev_idx)
            in_spikes[s] = run_sample(step_ptr, ev_idx, n_steps, weights, model, params, th,
                                      inhibition, code, rprm, pre_tr, post_tr, syn_a, syn_t,
                                      False, counts[s], out_spikes[s], record)


@jit(parallel=True)
def infer_poisson(prob, prob_bits, seed, n_steps, weights, model, params, theta, inhibition, code,
                  rprm, min_spikes, rate_step, max_presentations, counts, in_spikes, n_presented,
                  out_total, out_spikes, record):
    """Frozen network on Poisson spikes keyed by each sample's content, in parallel."""
    n_batch, n_in = prob.shape
    n_blocks = max(1, min(n_batch, 64))
    for b in prange(n_blocks):
        step_ptr = np.empty(n_steps + 1, dtype=np.int64)
        cap = n_steps * n_in
        ev_idx = np.empty(cap, dtype=np.int32)
        ev_step = np.empty(cap, dtype=np.int32)
        ev_chan = np.empty(cap, dtype=np.int32)
        p_now = np.empty(n_in)
        th = theta.copy()
        pre_tr, post_tr, syn_a, syn_t = R.new_rule_state(code, rprm, 0, 0)
        for s in range(b, n_batch, n_blocks):
            state = stream_seed(seed, _row_key(prob_bits[s]))
            total = 0
            k = 0
            while True:
                _scale_prob(prob[s], 1.0 + k * rate_step, p_now)
                state = _events_poisson(p_now, state, n_steps, step_ptr, ev_idx, ev_step, ev_chan)
                if record:
                    out_spikes[s, :, :] = 0
                total += run_sample(step_ptr, ev_idx, n_steps, weights, model, params, th,
                                    inhibition, code, rprm, pre_tr, post_tr, syn_a, syn_t,
                                    False, counts[s], out_spikes[s], record)
                k += 1
                n_out = counts[s].sum()
                out_total[s] += n_out
                if k >= max_presentations or n_out >= min_spikes:
                    break
            in_spikes[s] = total
            n_presented[s] = k


@jit()
def learn_reward(spikes, labels, groups, n_classes, weights, model, params, theta, inhibition,
                 code, rprm, norm, w_max, baseline_rate, baseline, rewards):
    """Reward-only learning: after each sample the layer's choice is scored.

    The class whose neurons (``groups[j]`` = class of neuron ``j``) fired
    most is the choice; the reward is +1 if it equals ``labels[s]``, -1
    otherwise (also for a silent layer or a tie), delivered at the end of
    the sample. The label is used for nothing else. ``rewards[s]`` receives
    the reward of sample ``s``. With ``baseline_rate > 0`` the synapses
    receive the reward minus its running mean ``baseline[0]`` (a critic's
    prediction, updated by ``baseline_rate * (reward - mean)`` after each
    sample), so that a reward that does not depend on the answer changes
    nothing on average.
    """
    n_batch, n_steps, n_in = spikes.shape
    n_out = weights.shape[1]
    step_ptr = np.empty(n_steps + 1, dtype=np.int64)
    ev_idx = np.empty(n_steps * n_in, dtype=np.int32)
    dummy = np.empty((0, 0), dtype=np.uint8)
    counts = np.zeros(n_out, dtype=np.int64)
    votes = np.zeros(n_classes, dtype=np.int64)
    cols = np.empty(n_out, dtype=np.int64)
    pre_tr, post_tr, syn_a, syn_t = R.new_rule_state(code, rprm, n_in, n_out)
    for s in range(n_batch):
        _events_from_spikes(spikes[s], step_ptr, ev_idx)
        run_sample(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, code,
                   rprm, pre_tr, post_tr, syn_a, syn_t, True, counts, dummy, False)
        votes[:] = 0
        for j in range(n_out):
            votes[groups[j]] += counts[j]
        best = 0
        tie = False
        for c in range(1, n_classes):
            if votes[c] > votes[best]:
                best = c
                tie = False
            elif votes[c] == votes[best]:
                tie = True
        reward = 1.0 if (votes[best] > 0 and not tie and best == labels[s]) else -1.0
        R.end_sample(code, rprm, n_steps, reward - baseline[0], weights, syn_a, syn_t)
        baseline[0] += baseline_rate * (reward - baseline[0])
        rewards[s] = reward
        _scale_fired(weights, counts, norm, w_max, cols)
