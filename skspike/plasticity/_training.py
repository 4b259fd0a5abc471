"""Sample loops of plastic layers: STDPFeatureExtractor (every rule) and learn_from_reward.

A sample is one call of the engine's event-driven layer loop
``skspike.neurons._kernels.run_events`` (the one neuron update of the
package, plus the rule's hooks of :mod:`skspike.plasticity._kernels`), on
an event list from :mod:`skspike.encoding._kernels` (a spike array's CSR
list, or Poisson spikes drawn into one). The drivers here only order the
samples and repeat them: learning drivers run the samples of a batch in
order (the weights change after every sample), inference drivers run them
in parallel (``prange``) since nothing learns.
"""

import numpy as np
from numba import prange

from .._config import jit
from .._numba._random import stream_seed
from ..encoding._kernels import events_from_spikes, poisson_events, row_key, scale_prob
from ..neurons._kernels import run_events
from . import _kernels as R


@jit()
def _learn_one(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, code, rprm, tab,
               rstate, norm, w_max, cols, counts, reward, eff):
    """One learning sample: the layer, the rule's end of sample, synaptic scaling."""
    dummy = np.empty((0, 0), dtype=np.uint8)
    n = run_events(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, True, code,
                   rprm, tab, rstate, counts, dummy, False, eff)
    R.end_sample(code, rprm, n_steps, reward, weights, rstate)
    R.scale_fired(weights, counts, norm, w_max, cols)
    return n


@jit()
def _poisson_buffers(n_steps, n_in):
    cap = n_steps * n_in
    return (np.empty(n_steps + 1, dtype=np.int64), np.empty(cap, dtype=np.int32),
            np.empty(cap, dtype=np.int32), np.empty(cap, dtype=np.int32), np.empty(n_in))


@jit()
def _present_poisson(prob, key, n_steps, buffers, weights, model, params, theta, inhibition, learn,
                     code, rprm, tab, rstate, norm, w_max, cols, min_spikes, rate_step,
                     max_presentations, counts, out_spikes, record):
    """Present one sample's Poisson input until it makes ``min_spikes`` output spikes.

    Presentation ``k`` (from 0) draws the spikes of the rates
    ``prob * (1 + k * rate_step)`` with the package's generator
    (:func:`~skspike.encoding._kernels.poisson_draw`) from key ``key`` for
    the first, ``stream_seed(key, k)`` for the repeats, at most
    ``max_presentations`` times, learning on with ``learn``. The output is
    that of the last presentation. Returns ``(input spikes, presentations,
    output spikes of all presentations)``.
    """
    step_ptr, ev_idx, ev_step, ev_chan, p_now = buffers
    no_eff = np.empty((0, 0))
    total_in = 0
    total_out = 0
    k = 0
    while True:
        scale_prob(prob, 1.0 + k * rate_step, p_now)
        poisson_events(p_now, key if k == 0 else stream_seed(key, k), n_steps, step_ptr, ev_idx,
                       ev_step, ev_chan)
        if learn:
            total_in += _learn_one(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition,
                                   code, rprm, tab, rstate, norm, w_max, cols, counts, 0.0, no_eff)
        else:
            if record:
                out_spikes[:, :] = 0
            total_in += run_events(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition,
                                   False, code, rprm, tab, rstate, counts, out_spikes, record, no_eff)
        k += 1
        n_out = counts.sum()
        total_out += n_out
        if k >= max_presentations or n_out >= min_spikes:
            break
    return total_in, k, total_out


@jit()
def learn_spikes(spikes, weights, model, params, theta, inhibition, code, rprm, tab, norm, w_max,
                 counts, in_spikes, eff):
    """Train on spike arrays ``(n_batch, n_steps, n_in)``, samples in order.

    ``eff``: the efficacy of every input spike, same shape, or ``(0, 0, 0)`` for none.
    """
    n_batch, n_steps, n_in = spikes.shape
    step_ptr = np.empty(n_steps + 1, dtype=np.int64)
    ev_idx = np.empty(n_steps * n_in, dtype=np.int32)
    cols = np.empty(weights.shape[1], dtype=np.int64)
    rstate = R.new_rule_state(code, rprm, n_in, weights.shape[1])
    no_eff = np.empty((0, 0))
    for s in range(n_batch):
        events_from_spikes(spikes[s], step_ptr, ev_idx)
        in_spikes[s] = _learn_one(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition,
                                  code, rprm, tab, rstate, norm, w_max, cols, counts[s], 0.0,
                                  eff[s] if eff.shape[0] > 0 else no_eff)


@jit()
def learn_poisson(prob, seed, first_index, n_steps, weights, model, params, theta, inhibition,
                  code, rprm, tab, norm, w_max, min_spikes, rate_step, max_presentations, counts,
                  in_spikes, n_presented):
    """Train on Poisson spikes drawn on the fly, samples in order.

    Sample ``s`` draws from key ``stream_seed(seed, first_index + s)``, so a
    data set presented in several calls gets the same spikes as in one call
    and every epoch new ones. A
    sample that makes fewer than ``min_spikes`` output spikes is presented
    again with its rates multiplied by ``1 + k * rate_step`` (k-th repeat,
    learning on), at most ``max_presentations`` times.
    """
    n_batch, n_in = prob.shape
    buffers = _poisson_buffers(n_steps, n_in)
    dummy = np.empty((0, 0), dtype=np.uint8)
    cols = np.empty(weights.shape[1], dtype=np.int64)
    rstate = R.new_rule_state(code, rprm, n_in, weights.shape[1])
    for s in range(n_batch):
        in_spikes[s], n_presented[s], _ = _present_poisson(
            prob[s], stream_seed(seed, first_index + s), n_steps, buffers, weights, model, params, theta, inhibition, True, code,
            rprm, tab, rstate, norm, w_max, cols, min_spikes, rate_step, max_presentations, counts[s],
            dummy, False)


@jit(parallel=True)
def infer_spikes(spikes, weights, model, params, theta, inhibition, counts, in_spikes, out_spikes,
                 record, eff):
    """Frozen network on spike arrays, samples in parallel (``eff`` as in :func:`learn_spikes`)."""
    n_batch, n_steps, n_in = spikes.shape
    n_blocks = max(1, min(n_batch, 64))
    tab = np.empty((0, 0))
    for b in prange(n_blocks):
        step_ptr = np.empty(n_steps + 1, dtype=np.int64)
        ev_idx = np.empty(n_steps * n_in, dtype=np.int32)
        rstate = R.new_rule_state(0, tab[0], 0, 0)
        for s in range(b, n_batch, n_blocks):
            events_from_spikes(spikes[s], step_ptr, ev_idx)
            in_spikes[s] = run_events(step_ptr, ev_idx, n_steps, weights, model, params, theta,
                                      inhibition, False, 0, tab[0], tab, rstate, counts[s],
                                      out_spikes[s], record, eff[s] if eff.shape[0] > 0 else tab)


@jit(parallel=True)
def infer_poisson(prob, n_key, seed, n_steps, weights, model, params, theta, inhibition,
                  min_spikes, rate_step, max_presentations, counts, in_spikes, n_presented,
                  out_total, out_spikes, record):
    """Frozen network on Poisson spikes, samples in parallel.

    Sample ``s`` draws from key ``stream_seed(seed, row_key(prob[s, :n_key]))``,
    the key :func:`~skspike.encoding._kernels.poisson_kernel` gives the
    first ``n_key`` channels (OFF channels appended after them are drawn
    from the same key): a sample gets the same spikes whatever its position
    in ``prob``, and its first ``n_key`` channels are those PoissonEncoder
    draws with ``seed`` (over its first ``n_steps`` steps, whatever the
    window). Repeats
    with raised rates as in :func:`learn_poisson`; the output is that of the
    last presentation, ``out_total`` the output spikes of all presentations.
    """
    n_batch, n_in = prob.shape
    prob_bits = prob.view(np.uint64)
    n_blocks = max(1, min(n_batch, 64))
    tab = np.empty((0, 0))
    cols = np.empty(0, dtype=np.int64)
    for b in prange(n_blocks):
        buffers = _poisson_buffers(n_steps, n_in)
        rstate = R.new_rule_state(0, tab[0], 0, 0)
        for s in range(b, n_batch, n_blocks):
            in_spikes[s], n_presented[s], out_total[s] = _present_poisson(
                prob[s], stream_seed(seed, row_key(prob_bits[s, :n_key])), n_steps, buffers, weights, model, params, theta, inhibition, False, 0,
                tab[0], tab, rstate, 0.0, 1.0, cols, min_spikes, rate_step, max_presentations,
                counts[s], out_spikes[s], record)


@jit()
def learn_reward(spikes, labels, groups, n_classes, weights, model, params, theta, inhibition,
                 code, rprm, tab, norm, w_max, baseline_rate, baseline, rewards):
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
    rstate = R.new_rule_state(code, rprm, n_in, n_out)
    for s in range(n_batch):
        events_from_spikes(spikes[s], step_ptr, ev_idx)
        run_events(step_ptr, ev_idx, n_steps, weights, model, params, theta, inhibition, True, code,
                   rprm, tab, rstate, counts, dummy, False, np.empty((0, 0)))
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
        R.end_sample(code, rprm, n_steps, reward - baseline[0], weights, rstate)
        baseline[0] += baseline_rate * (reward - baseline[0])
        rewards[s] = reward
        R.scale_fired(weights, counts, norm, w_max, cols)
