r"""Temporal candidate family of NGSNNClassifier: neurons with synaptic delays.

A temporal candidate neuron receives a series (real-valued currents or
binary spikes, ``(n_steps, n_channels)``) through delayed synapses that
form a dilated temporal kernel, runs its spiking dynamics over the whole
series, and offers the readout activities pooled over time. The family
plugs into the candidate seam of
:mod:`skspike.classifiers._ngsnn_candidates` (``draw`` / ``activity`` /
``select`` / ``stack`` / ``operation_counts``); the kernels are in
:mod:`skspike.classifiers._ngsnn_temporal_kernels`.
"""

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .._ops import OperationCounts
from ._ngsnn_candidates import AUTO_FAMILY, CANDIDATE_FAMILIES, CandidateFamily
from ._ngsnn_temporal_kernels import (
    N_POOL,
    POOL_LATENCY,
    POOL_PEAK,
    POOL_RATE,
    channel_index,
    delayed_sum_kernel,
    dense_temporal_kernel,
    event_temporal_kernel,
)

__all__ = ["TemporalBlock", "TemporalCandidates", "temporal_features"]

_POOL_CODES = {"rate": POOL_RATE, "peak": POOL_PEAK, "latency": POOL_LATENCY}
_POOL_NAMES = {v: k for k, v in _POOL_CODES.items()}
# Samples per kernel call: bounds the converted input batch and the pooled buffers.
_BATCH = 2048
# Training samples on which a candidate's kernel output is measured (bias quantile, scale).
_N_REFERENCE = 32


@dataclass
class TemporalBlock:
    """Temporal hidden units: delayed synapses, a bias and a pooled statistic.

    Attributes
    ----------
    tap_ptr : ndarray of shape (n_neurons + 1,), int64
        Taps (delayed synapses) of unit ``j`` are ``tap_ptr[j]:tap_ptr[j + 1]``.
    tap_channel, tap_delay : ndarray of shape (n_taps,), int64
        Input channel and delay in steps of each tap.
    tap_weight : ndarray of shape (n_taps,)
        Synaptic weight of each tap (current units; spike input: current
        per spike).
    bias : ndarray of shape (n_neurons,)
        Constant current.
    pool : ndarray of shape (n_neurons,), int64
        Statistic each unit hands to the readout (``POOL_*`` codes).
    dilation, kernel_length : ndarray of shape (n_neurons,), int64
        Kernel geometry of each unit (for inspection).
    offered : ndarray of int64 or None
        Set on a candidate pool only (``pool`` all -1): the statistics every
        candidate offers, one activity column each.
    """

    tap_ptr: np.ndarray
    tap_channel: np.ndarray
    tap_delay: np.ndarray
    tap_weight: np.ndarray
    bias: np.ndarray
    pool: np.ndarray
    dilation: np.ndarray
    kernel_length: np.ndarray
    offered: np.ndarray = None

    @property
    def n_neurons(self):
        return self.bias.shape[0]

    @property
    def span(self):
        """Largest delay plus one (steps of history a unit sees)."""
        return int(self.tap_delay.max()) + 1 if self.tap_delay.size else 1

    def taps_of(self, j):
        """``(channel, delay, weight)`` triples of unit ``j``."""
        sl = slice(self.tap_ptr[j], self.tap_ptr[j + 1])
        return list(zip(self.tap_channel[sl].tolist(), self.tap_delay[sl].tolist(), self.tap_weight[sl].tolist()))


def _empty_block():
    i0 = np.empty(0, dtype=np.int64)
    return TemporalBlock(np.zeros(1, dtype=np.int64), i0, i0.copy(), np.empty(0), np.empty(0), i0.copy(),
                         i0.copy(), i0.copy())


def temporal_features(data, block, neuron, dt=1.0):
    """Pooled responses of temporal units, batched over samples.

    Parameters
    ----------
    data : ndarray of shape (n_samples, n_steps, n_channels)
        Real-valued series (float, dense path) or binary spike trains
        (uint8, event-driven path).
    block : TemporalBlock
        The units (their ``pool`` is ignored here).
    neuron : skspike.neurons model
        Neuron model with scalar parameters.
    dt : float, default=1.0
        Step length in ms.

    Returns
    -------
    pooled : ndarray of shape (n_samples, N_POOL, n_neurons)
        Rate, peak membrane and first-spike latency (see
        :mod:`skspike.classifiers._ngsnn_temporal_kernels`).
    n_spikes : ndarray of shape (n_samples,), int64
        Output spikes per sample.
    n_events : ndarray of shape (n_samples,), int64
        Synaptic operations per sample: tap events (input spikes times the
        taps on their channel) for spike input; for real-valued input, one
        multiply-accumulate per tap per step (the dense delayed sum).
    """
    n, n_steps, n_channels = data.shape
    n_out = block.n_neurons
    pooled = np.empty((n, N_POOL, n_out), dtype=np.float64)
    n_spikes = np.zeros(n, dtype=np.int64)
    n_events = np.zeros(n, dtype=np.int64)
    if n == 0 or n_out == 0:
        return pooled, n_spikes, n_events
    model, params = neuron.kernel_params(n_out, dt, np.float64)
    weight = np.ascontiguousarray(block.tap_weight, dtype=np.float64)
    bias = np.ascontiguousarray(block.bias, dtype=np.float64)
    spikes = data.dtype == np.uint8
    if spikes:
        chan_ptr, chan_taps = channel_index(n_channels, block.tap_channel)
        tap_neuron = np.repeat(np.arange(n_out, dtype=np.int64), np.diff(block.tap_ptr))
        max_delay = int(block.tap_delay.max()) if block.tap_delay.size else 0
    for start in range(0, n, _BATCH):
        stop = min(n, start + _BATCH)
        part = pooled[start:stop]
        if spikes:
            events = n_events[start:stop]
            n_spikes[start:stop] = event_temporal_kernel(
                np.ascontiguousarray(data[start:stop]), chan_ptr, chan_taps, tap_neuron, block.tap_delay,
                weight, max_delay, bias, model, params, part, events,
            )
        else:
            x = np.ascontiguousarray(data[start:stop], dtype=np.float64)
            n_spikes[start:stop] = dense_temporal_kernel(
                x, block.tap_ptr, block.tap_channel, block.tap_delay, weight, bias, model, params, part
            )
    if not spikes:
        n_events[:] = block.tap_weight.size * n_steps
    return pooled, n_spikes, n_events


class TemporalCandidates(CandidateFamily):
    r"""Candidate neurons that see time through synaptic delays.

    Each candidate is one spiking neuron whose input synapses form a random
    dilated temporal kernel (ROCKET / MiniRocket style): ``kernel_length``
    taps spaced ``D`` steps apart on each of a few channels, so at every step
    ``t`` it receives

    .. math:: I[t] = g \Big(\sum_{c \in C} \sum_{l=0}^{L-1} w_{l,c}\,
              x[t - l D, c] - q\Big),

    runs the package's neuron update over the series and reports activities
    pooled over time (``pooling``). Every candidate offers each pooled
    statistic as a separate column; the growth loop integrates the best
    (neuron, statistic) pair as one hidden unit.

    Parameters
    ----------
    kernel_length : int, default=9
        Taps per channel (``L``); the span ``(L - 1) D + 1`` of every kernel
        fits in the series, which must have at least ``L`` steps.
    pooling : tuple of {"rate", "peak", "latency"}, default=("rate", "peak")
        Statistics pooled over the series and offered to the readout:

        - ``"rate"``: fraction of steps with a spike, ``(1/T) sum_t s[t]``
          (the spiking counterpart of MiniRocket's proportion of positive
          values: how much of the series matches the kernel);
        - ``"peak"``: peak membrane potential relative to rest, in units of
          the threshold distance, ``max(0, max_t v[t] - v_rest) /
          (v_thresh - v_rest)`` (the best match of the kernel, graded even
          when the neuron stays silent; ROCKET's max pooling);
        - ``"latency"``: earliness of the first spike, ``1 - t_first / T``
          (0 when silent): *when* the pattern first occurs.

        Rate and peak are invariant to shifting a pattern in time (away
        from the borders), which is what most series classes need; latency
        is not, and is offered only on request.
    max_channels : int, default=9
        Largest number of channels of one kernel; a kernel uses ``2^u``
        channels, ``u ~ U[0, log2(min(max_channels, n_channels) + 1)]``.

    Notes
    -----
    **Distribution** (one draw per candidate, all from ``random_state``):

    - dilation ``D = floor(2^u)``, ``u ~ U[0, log2((T - 1)/(L - 1))]``
      (exponential up to the series length, as ROCKET);
    - channels: a random subset (see ``max_channels``);
    - weights ``w_{l,c} ~ N(0, 1)``, centred over the taps of each channel,
      so the kernel ignores a channel's level and answers to its shape;
    - data-aware bias ``q``: the ``p``-quantile, ``p ~ U[0, 1]``, of the
      kernel output over 32 training series (fixed per fit), and gain
      ``g = lambda I_1 / sd`` with ``sd`` the standard deviation of that
      output, ``lambda`` the pool's ``scales`` (cycled) and ``I_1`` the
      current that makes the neuron fire within one step from rest. A
      kernel response one standard deviation above its quantile thus fires
      the neuron within about ``1/lambda`` steps, a response below it
      drives the membrane down.

    **Input.** Real-valued series ``(n_samples, n_steps, n_channels)`` are
    input currents (dense path; each channel is held at its first value
    before the first step); uint8 0/1 spike trains are delivered
    event-driven, one synaptic operation per delay tap per input spike (no
    input before the first step). A univariate series ``(n, T)`` is passed
    as ``X[:, :, None]`` (shape ``(n, T, 1)``).

    References
    ----------
    .. [1] A. Dempster, F. Petitjean and G. I. Webb, "ROCKET: exceptionally
       fast and accurate time series classification using random
       convolutional kernels", Data Min. Knowl. Disc. 34, 2020.
    .. [2] A. Dempster, D. F. Schmidt and G. I. Webb, "MiniRocket: a very
       fast (almost) deterministic transform for time series
       classification", KDD 2021.
    .. [3] I. Hammouamri, I. Khalfaoui-Hassani and T. Masquelier, "Learning
       delays in spiking neural networks using dilated convolutions with
       learnable spacings", ICLR 2024.
    """

    def __init__(self, kernel_length=9, pooling=("rate", "peak"), max_channels=9):
        self.kernel_length = kernel_length
        self.pooling = pooling
        self.max_channels = max_channels

    # -------------------------------------------------------------- checks
    def _pool_codes(self):
        pooling = (self.pooling,) if isinstance(self.pooling, str) else tuple(self.pooling)
        bad = [p for p in pooling if p not in _POOL_CODES]
        if not pooling or bad:
            raise ValueError(
                f"pooling must be a non-empty tuple of {sorted(_POOL_CODES)}; got {self.pooling!r}."
            )
        return np.array([_POOL_CODES[p] for p in dict.fromkeys(pooling)], dtype=np.int64)

    def _length(self):
        length = self.kernel_length
        if not isinstance(length, Integral) or isinstance(length, bool) or length < 1:
            raise ValueError(f"kernel_length must be a positive integer, got {length!r}.")
        if not isinstance(self.max_channels, Integral) or self.max_channels < 1:
            raise ValueError(f"max_channels must be a positive integer, got {self.max_channels!r}.")
        return int(length)

    def check_series(self, n_steps):
        """Raise a ValueError if series of ``n_steps`` steps are shorter than the kernel."""
        length = self._length()
        if n_steps < length:
            raise ValueError(
                f"The series have {n_steps} time steps, shorter than the temporal kernel span "
                f"(kernel_length={length} steps); pass longer series, a smaller kernel_length "
                "(candidates=TemporalCandidates(kernel_length=...)) or candidates='uniform'."
            )

    # ----------------------------------------------------------------- draw
    def _reference(self, context, rng):
        """Training series on which kernel outputs are measured (fixed per fit)."""
        ref = context.cache.get("temporal_reference")
        if ref is None:
            X = context.X
            pick = np.sort(rng.choice(X.shape[0], min(_N_REFERENCE, X.shape[0]), replace=False))
            ref = np.asarray(X[pick], dtype=np.float64)
            context.cache["temporal_reference"] = ref
        return ref

    def _one_step_current(self, context):
        unit = context.cache.get("temporal_unit")
        if unit is None:
            from ._ngsnn import _rheobase

            unit = _rheobase(context.cache["neuron"], 1, context.cache["dt"])
            context.cache["temporal_unit"] = unit
        return unit

    def draw(self, rng, n_candidates, context):
        """Pool of ``ceil(n_candidates / len(pooling))`` neurons, each offering every pooled statistic.

        ``n_candidates`` thus counts candidate readout units (activity
        columns), which keeps the simulation cost of a pool at about that
        of ``n_candidates / len(pooling)`` neurons.
        """
        length = self._length()
        codes = self._pool_codes()
        ref = self._reference(context, rng)
        n_ref, n_steps, n_channels = ref.shape
        self.check_series(n_steps)
        spikes = context.input_kind == "spikes"
        unit = self._one_step_current(context)
        scales = context.scales
        d_max = math.log2((n_steps - 1) / (length - 1)) if length > 1 and n_steps > length else 0.0
        c_max = math.log2(min(int(self.max_channels), n_channels) + 1)
        # n_candidates counts readout units: each neuron offers one per statistic.
        n = max(1, -(-int(n_candidates) // codes.size))
        dilation = (2.0 ** rng.uniform(0.0, d_max, size=n)).astype(np.int64)
        n_chan = np.minimum(n_channels, (2.0 ** rng.uniform(0.0, c_max, size=n)).astype(np.int64))
        sizes = length * n_chan
        ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        channels = np.empty(ptr[-1], dtype=np.int64)
        delays = np.empty(ptr[-1], dtype=np.int64)
        weights = rng.normal(size=ptr[-1])
        lags = np.arange(length, dtype=np.int64)
        for i in range(n):
            chans = np.sort(rng.choice(n_channels, n_chan[i], replace=False))
            sl = slice(ptr[i], ptr[i + 1])
            # taps ordered (lag, channel); weights centred over the lags of each channel
            channels[sl] = np.tile(chans, length)
            delays[sl] = np.repeat(lags * dilation[i], n_chan[i])
            if length > 1:
                W = weights[sl].reshape(length, n_chan[i])
                weights[sl] = (W - W.mean(axis=0)).ravel()
        conv = np.empty((n_ref, n, n_steps))
        delayed_sum_kernel(ref, ptr, channels, delays, weights, not spikes, conv)
        conv = conv.transpose(1, 0, 2).reshape(n, -1)
        sd = conv.std(axis=1)
        flat = ~(sd > 1e-12 * (1.0 + np.abs(conv).max(axis=1)))
        sd[flat] = 1.0
        p = rng.uniform(size=n)
        q = _row_quantiles(conv, p)
        gain = scales[np.arange(n) % scales.size] * unit / sd
        weights *= np.repeat(gain, sizes)
        bias = -q * gain
        # A fresh pool offers every statistic of every neuron (pool codes -1,
        # ``offered`` set); select() turns a chosen column into one unit.
        return TemporalBlock(
            ptr, channels, delays, weights, bias, np.full(n, -1, dtype=np.int64), dilation,
            np.full(n, length, dtype=np.int64), codes,
        )

    # ------------------------------------------------------------- activity
    def activity(self, data, block, sim):
        """Activities of ``block`` on ``data``.

        A pool fresh from :meth:`draw` gives ``n_neurons * len(pooling)``
        columns (statistic-major: all neurons' first statistic, then the
        second, ...); a grown block (each unit one statistic) gives
        ``n_neurons`` columns.
        """
        pooled, _, _ = temporal_features(data, block, sim.neuron, sim.dt)
        offered = block.offered
        if offered is not None:
            cols = [_readout_activity(pooled[:, code, :], code, sim.neuron) for code in offered]
            return np.concatenate(cols, axis=1)
        out = np.empty((data.shape[0], block.n_neurons), dtype=np.float64)
        for code in np.unique(block.pool):
            sel = np.flatnonzero(block.pool == code)
            out[:, sel] = _readout_activity(pooled[:, code, sel], code, sim.neuron)
        return out

    def n_columns(self, block):
        offered = block.offered
        if offered is not None:
            return block.n_neurons * offered.size
        return block.n_neurons

    def select(self, block, idx):
        """Units ``idx``; on a fresh pool ``idx`` are activity columns (neuron, statistic)."""
        idx = np.atleast_1d(np.asarray(idx, dtype=np.int64))
        offered = block.offered
        if offered is not None:
            neurons = idx % block.n_neurons
            pool = offered[idx // block.n_neurons]
        else:
            neurons = idx
            pool = block.pool[idx]
        lengths = np.diff(block.tap_ptr)[neurons]
        starts = block.tap_ptr[neurons]
        tap_idx = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, lengths)]) if idx.size else (
            np.empty(0, dtype=np.int64)
        )
        return TemporalBlock(
            np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64), block.tap_channel[tap_idx].copy(),
            block.tap_delay[tap_idx].copy(), block.tap_weight[tap_idx].copy(), block.bias[neurons].copy(),
            pool.astype(np.int64), block.dilation[neurons].copy(), block.kernel_length[neurons].copy(),
        )

    def stack(self, blocks):
        blocks = [b for b in blocks if b.n_neurons]
        if not blocks:
            return _empty_block()
        offsets = np.cumsum([0] + [b.tap_weight.size for b in blocks])
        ptr = np.concatenate([[0]] + [b.tap_ptr[1:] + off for b, off in zip(blocks, offsets)])
        return TemporalBlock(
            ptr.astype(np.int64), *(np.concatenate([getattr(b, name) for b in blocks]) for name in (
                "tap_channel", "tap_delay", "tap_weight", "bias", "pool", "dilation", "kernel_length"))
        )

    def empty(self, context):
        return _empty_block()

    def operation_counts(self, data, block, sim):
        """Output spike counts and operations of the grown units on ``data``.

        Spike input: one accumulate (``synaptic_ac``) per delay tap per
        input spike. Real-valued input: one multiply-accumulate
        (``synaptic_mac``) per tap per step (the delayed sum is dense).
        Every unit is one neuron updated at every step.
        """
        pooled, n_spikes, n_events = temporal_features(data, block, sim.neuron, sim.dt)
        n, n_steps = data.shape[0], data.shape[1]
        k = block.n_neurons
        counts = np.rint(pooled[:, POOL_RATE, :] * n_steps).astype(np.int64)
        mean_events = float(n_events.mean()) if n else 0.0
        spikes_in = data.dtype == np.uint8
        ops = OperationCounts(
            synaptic_ac=mean_events if spikes_in else 0.0,
            synaptic_mac=0.0 if spikes_in else mean_events,
            dense_ops=float(block.tap_weight.size * n_steps),
            neuron_updates=float(k * n_steps),
            spikes=float(n_spikes.mean()) if n else 0.0,
            n_activations=float(k * n_steps),
            n_connections=int(block.tap_weight.size),
            n_zero_connections=int(np.count_nonzero(block.tap_weight == 0)),
            footprint_bytes=int(block.tap_weight.nbytes + block.tap_delay.nbytes + block.tap_channel.nbytes
                                + block.bias.nbytes),
        )
        return counts, ops


def _row_quantiles(values, p):
    """``np.quantile(values[i], p[i])`` for every row (linear interpolation)."""
    ordered = np.sort(values, axis=1)
    pos = p * (values.shape[1] - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, values.shape[1] - 1)
    rows = np.arange(values.shape[0])
    frac = pos - lo
    return ordered[rows, lo] * (1.0 - frac) + ordered[rows, hi] * frac


def _readout_activity(pooled, code, neuron):
    """Non-negative readout activity of a pooled statistic (0 for a silent or resting unit)."""
    if code == POOL_RATE:
        return pooled
    if code == POOL_LATENCY:
        return 1.0 - pooled
    v_rest = getattr(neuron, "v_rest", None)
    v_thresh = getattr(neuron, "v_thresh", None)
    if v_rest is None or v_thresh is None:  # Izhikevich: relative to its initial potential, in mV
        v0 = float(getattr(neuron, "v_init", 0.0))
        return np.maximum(pooled - v0, 0.0)
    return np.maximum(pooled - float(v_rest), 0.0) / (float(v_thresh) - float(v_rest))


CANDIDATE_FAMILIES["temporal"] = TemporalCandidates
# Series and spike trains given to the estimator grow neurons that see time.
AUTO_FAMILY.update(spikes="temporal", series="temporal")
