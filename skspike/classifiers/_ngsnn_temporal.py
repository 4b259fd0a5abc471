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

import dataclasses
import math
import weakref
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .._ops import OperationCounts
from ._ngsnn_candidates import (
    AUTO_FAMILY,
    CANDIDATE_FAMILIES,
    CandidateFamily,
    DenseBlock,
    NeuronSim,
    ReceptiveFieldCandidates,
    calibrated,
    dense_activity,
)
from ._ngsnn_temporal_kernels import (
    N_POOL,
    POOL_LATENCY,
    POOL_PEAK,
    POOL_RATE,
    channel_index,
    delayed_sum_kernel,
    dense_temporal_kernel,
    event_temporal_kernel,
    spike_rates_kernel,
)

__all__ = ["SpikeTrainCandidates", "TemporalBlock", "TemporalCandidates", "rate_coded", "temporal_features"]

_POOL_CODES = {"rate": POOL_RATE, "peak": POOL_PEAK, "latency": POOL_LATENCY}
_POOL_NAMES = {v: k for k, v in _POOL_CODES.items()}
# Samples per kernel call: bounds the converted input batch and the pooled buffers.
_BATCH = 2048
# Training samples on which a candidate's kernel output is measured (bias quantile, scale).
_N_REFERENCE = 32
# Rate-code test (rate_coded): bins of the within-sample test, largest dispersion
# ratio still read as "no time structure", samples inspected.
_RATE_BINS = 10
_RATE_DISPERSION = 1.5
_RATE_SAMPLES = 1000
# Elements of spike trains binned at once by the synchrony test (bounds its memory).
_SYNC_CHUNK_ELEMENTS = 1 << 22
# ... and smallest count dispersion across samples (a rate mixture has at least 1).
_MIN_COUNT_DISPERSION = 0.8
# Share of population neurons in a pool of rate neurons (see _rate_candidates).
_POPULATION_SHARE = 0.25
# Steps of the static simulation of rate neurons (NGSNNClassifier's default n_steps).
_RATE_STEPS = 30


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


def rate_coded(spikes, n_bins=_RATE_BINS, max_dispersion=_RATE_DISPERSION, max_samples=_RATE_SAMPLES):
    r"""Whether spike trains look rate-coded: no spike timing beyond each train's count.

    Independent Bernoulli (or Poisson) trains of a constant rate, the rate
    free to differ between samples and channels, place a train's spikes
    uniformly in the window given its count: the count is a sufficient
    statistic of the rate and the timing carries nothing more. Three
    dispersion ratios test this; each is 1 in expectation under that null
    (a Pearson statistic over its expectation) and moves away from 1 when
    the timing is structured:

    - *across samples*, per channel: the pooled spike-time histogram
      :math:`H_{tc}` at step resolution against its uniform expectation,
      :math:`R_1 = \sum_c \sum_t (H_{tc} - N_c/T)^2 / (N_c/T)\, /\,
      \sum_c (T - 1)` (at most 1 under the null; latency, phase and
      burst codes, stimulus onsets and rhythms raise it);
    - *within trains*: the counts :math:`b_{scj}` of each train in
      ``n_bins`` equal bins against their hypergeometric spread given the
      train's count :math:`n_{sc}`, :math:`R_2 = \sum (b_{scj} - n_{sc}/B)^2
      / \sum n_{sc} (1 - 1/B)(T - n_{sc})/(T - 1)` (bursts raise it, regular
      or clock-driven trains lower it);
    - *across channels*, at several time scales: with :math:`b^{(w)}_{sck}`
      the count of train :math:`(s, c)` in its :math:`k`-th bin of
      :math:`w` steps and :math:`m^{(w)}_{sk} = \sum_c b^{(w)}_{sck}` the
      population count, :math:`R_3 = \max_w \sum_{s,k} (m_{sk} - \bar
      m_s)^2 / \sum_{s,c,k} (b_{sck} - \bar b_{sc})^2` over :math:`w = 1,
      2, 4, \dots` (at least ``n_bins`` bins per train). The variance of a
      sum of independent trains is the sum of their variances, whatever
      each train's own time structure, so its expectation is 1 for
      independent channels; synchrony raises it, also when coincidences
      are jittered over several steps (the wider bins catch them), and
      anti-correlation lowers it (Golomb & Hansel's synchrony measure);
    - *serial*: spike pairs of a train at lags 1 to 5 steps against their
      expectation given the count, :math:`R_4 = \sum_{l=1}^{5} \sum_{s,c}
      \sum_t s_t s_{t+l} / \sum_{l} \sum_{s,c} n_{sc}(n_{sc} - 1)
      (T - l) / (T (T - 1))` (refractory or regular trains lower it,
      bursts raise it).

    - *counts*: across samples, a channel's count :math:`N_c` of a mixture
      of Bernoulli rates has :math:`\mathrm{Var}(N_c) = m_c (1 - m_c/T) +
      T(T-1)\mathrm{Var}(p)`, at least :math:`m_c (1 - m_c / T)`:
      :math:`R_5 = \sum_c \mathrm{Var}(N_c) / \sum_c m_c (1 - m_c/T)` is at
      least 1 (one-spike codes such as latency codes, whose counts hardly
      vary, stay far below).

    The trains count as rate-coded when every ratio of the first four and
    its inverse is below ``max_dispersion`` and :math:`R_5 > 0.8`.

    Parameters
    ----------
    spikes : ndarray of shape (n_samples, n_steps, n_channels), uint8
    n_bins : int, default=10
    max_dispersion : float, default=1.5
    max_samples : int, default=1000
        Evenly spaced samples inspected (bounds the cost).

    Returns
    -------
    bool
        False for trains shorter than ``2 * n_bins`` steps or without spikes.
    """
    n, n_steps, _ = spikes.shape
    if n == 0 or n_steps < 2 * n_bins:
        return False
    if n > max_samples:
        spikes = spikes[np.linspace(0, n - 1, max_samples).astype(np.intp)]
    n = spikes.shape[0]
    hist = spikes.sum(axis=0, dtype=np.int64).astype(np.float64)  # (T, C)
    per_channel = hist.sum(axis=0)
    active = per_channel > 0
    if not active.any():
        return False
    expected = per_channel[active] / n_steps
    r_across = np.sum((hist[:, active] - expected) ** 2 / expected) / (active.sum() * (n_steps - 1))
    width = n_steps // n_bins
    used = width * n_bins
    binned = spikes[:, :used].reshape(n, n_bins, width, -1).sum(axis=2, dtype=np.int64).astype(np.float64)
    counts = binned.sum(axis=1)  # (n, C)
    null = np.sum(counts * (1.0 - 1.0 / n_bins) * (used - counts) / (used - 1))
    spread = np.sum((binned - counts[:, None, :] / n_bins) ** 2)
    r_within = spread / null if null > 0 else np.inf
    counts_all = spikes.sum(axis=1, dtype=np.int64).astype(np.float64)  # (n, C)
    r_sync = _synchrony_ratio(spikes, n_bins)
    n_lags = min(5, n_steps // 4)
    pairs = sum(int(np.count_nonzero(spikes[:, lag:] & spikes[:, :-lag])) for lag in range(1, n_lags + 1))
    pairs_null = np.sum(counts_all * (counts_all - 1.0)) * sum(
        (n_steps - lag) / (n_steps * (n_steps - 1.0)) for lag in range(1, n_lags + 1))
    r_serial = pairs / pairs_null if pairs_null > 0 else 1.0
    mean_count = counts_all.mean(axis=0)
    floor = np.sum(mean_count * (1.0 - mean_count / n_steps))
    r_counts = np.sum(counts_all.var(axis=0)) / floor if floor > 0 else 1.0
    if r_counts < _MIN_COUNT_DISPERSION:
        return False
    ratios = np.array([r_across, r_within, r_sync, r_serial])
    with np.errstate(divide="ignore"):
        return bool(np.all(ratios < max_dispersion) and np.all(1.0 / ratios[1:] < max_dispersion))


def _synchrony_ratio(spikes, min_bins):
    """The ratio over bin widths ``1, 2, 4, ...`` furthest from 1: population over summed single-train variance.

    See :func:`rate_coded` (``R_3``); widths leave at least ``min_bins``
    bins per train; samples are taken in chunks (bounded memory). 1 when no
    train has spread (no spikes).
    """
    n, n_steps, n_ch = spikes.shape
    widths = []
    width = 1
    while n_steps // width >= min_bins:
        widths.append(width)
        width *= 2
    single = np.zeros(len(widths))
    pop = np.zeros(len(widths))
    chunk = max(1, _SYNC_CHUNK_ELEMENTS // max(1, n_steps * n_ch))
    for start in range(0, n, chunk):
        x = spikes[start:start + chunk]
        k = x.shape[0]
        for i, width in enumerate(widths):
            m = n_steps // width
            b = x[:, : m * width].reshape(k, m, width, n_ch).sum(axis=2, dtype=np.int64)  # (k, m, C)
            # sum over bins of squared deviations from the train's (population's) mean bin count
            row = b.sum(axis=1)
            single[i] += np.sum(b * b) - np.sum(row * row) / m
            p = b.sum(axis=2)
            pop[i] += np.sum(p * p) - np.sum(p.sum(axis=1) ** 2) / m
    best = 1.0
    for a, b in zip(pop, single):
        if b > 0:
            ratio = max(a / b, 1e-12)
            if abs(math.log(ratio)) > abs(math.log(best)):
                best = ratio
    return float(best)


def _rates(data):
    """Per-channel spike rates ``(n_samples, n_channels)`` (the last few inputs are cached)."""
    key = id(data)
    hit = _RATE_CACHE.get(key)
    if hit is not None and hit[0]() is data and hit[1] == data.shape:
        return hit[2]
    out = np.empty((data.shape[0], data.shape[2]), dtype=np.float64)
    if out.size:
        spike_rates_kernel(np.ascontiguousarray(data), out)
    if len(_RATE_CACHE) >= 4:
        _RATE_CACHE.pop(next(iter(_RATE_CACHE)))
    try:
        _RATE_CACHE[key] = (weakref.ref(data), data.shape, out)
    except TypeError:  # not weak-referenceable: no cache
        pass
    return out


_RATE_CACHE = {}


def _rate_sim(sim):
    """The static simulation of rate neurons: ``min(T, 30)`` steps, same activity rule."""
    m = min(int(sim.n_steps), _RATE_STEPS)
    kappa = np.asarray(sim.kappa)
    if kappa.size and np.allclose(kappa, kappa[0]):
        weights = np.full(m, 1.0 / m)
    else:  # the trace activity, (m - t) / m**2
        weights = (m - np.arange(m, dtype=np.float64)) / float(m) ** 2
    return NeuronSim(sim.neuron, sim.dt, m, weights)


def _rate_candidates(rng, n_candidates, context):
    r"""A pool of rate neurons: mixed-sign receptive fields and population fields.

    Three quarters (``1 - _POPULATION_SHARE``) are
    :class:`~skspike.classifiers._ngsnn_candidates.ReceptiveFieldCandidates`
    (Gaussian weights on a field of correlated channels: contrasts between
    channels). The other quarter are *population* neurons: equal excitatory
    weights on a field of ``m ~ U{2, ..., d}`` channels, a random centre and
    the channels whose rates co-vary most with it (signed correlation over
    the training samples), so the neuron reads the field's spike count

    .. math:: I = I_{rh}\Big(1 + \lambda \frac{\sum_{c \in F} z_c - p_q}{\sigma_p}\Big)

    with the same quantile threshold and gain calibration. For independent
    Poisson trains the counts are the sufficient statistic of the rates,
    and a class that changes the rate of many channels together is best
    read from their summed count (the sum of ``m`` counts has ``sqrt(m)``
    times their single signal-to-noise ratio), which random-sign fields
    only approximate; thresholds at several quantiles of that count give
    the least-squares readout the steps it needs to separate classes
    ordered by rate. (A half share matched counts + LogisticRegression on
    Poisson rate classes as well but cost Poisson-encoded wine about one
    point; a quarter kept both.)
    """
    n_pop = int(n_candidates * _POPULATION_SHARE)
    fields = ReceptiveFieldCandidates()
    blocks = []
    if n_candidates - n_pop > 0:
        blocks.append(fields.draw(rng, n_candidates - n_pop, context))
    if n_pop > 0:
        z, _ = fields._statistics(rng, context)
        d = context.n_features
        centre = rng.integers(0, d, n_pop)
        size = rng.integers(min(2, d), d + 1, n_pop)
        zc = z - z.mean(axis=0)
        norm = np.sqrt(np.einsum("ij,ij->j", zc, zc))
        norm[norm == 0] = 1.0
        corr = (zc[:, centre] / norm[centre]).T @ (zc / norm)  # (n_pop, d), signed
        corr[np.arange(n_pop), centre] = np.inf
        order = np.argsort(-corr, axis=1, kind="stable")
        U = np.zeros((d, n_pop))
        ranks = np.arange(d)[None, :] < size[:, None]
        rows = np.broadcast_to(np.arange(n_pop)[:, None], order.shape)
        U[order[ranks], rows[ranks]] = 1.0
        blocks.append(calibrated(U, z, rng, context, fields.quantiles))
    if len(blocks) == 1:
        return blocks[0]
    return DenseBlock(np.concatenate([b.weights for b in blocks], axis=1),
                      np.concatenate([b.bias for b in blocks]))


class SpikeTrainCandidates(TemporalCandidates):
    r"""``candidates="auto"`` for spike trains: rate neurons for rate codes, else temporal neurons.

    When the training trains pass :func:`rate_coded` (e.g. Poisson-encoded
    static data), the spike count is all a train carries, so candidates are
    rate neurons driven by each channel's spike rate, most of them the
    receptive-field neurons of static data
    (:class:`~skspike.classifiers._ngsnn_candidates.ReceptiveFieldCandidates`),
    a quarter population neurons summing a field's counts (see
    ``_rate_candidates``): the synaptic current is
    :math:`I = b + \sum_c w_c\, n_c / T` (every input spike adds
    :math:`w_c / T` to a non-leaking synaptic trace read over the window),
    one accumulate per input spike and connection, no delays. Otherwise
    (latency, phase, event-camera or audio spikes: timing matters) the
    candidates are those of :class:`TemporalCandidates`. The choice is made
    once per fit on the growth data; the grown block's type records it
    (:class:`~skspike.classifiers._ngsnn_candidates.DenseBlock` for rate
    neurons, :class:`TemporalBlock` otherwise).

    Rate neurons see a constant current, so they are simulated as
    NGSNNClassifier's static neurons, over ``min(T, 30)`` steps (the
    classifier's default window for static input; same activity rule, the
    current unit is the rheobase over that window). The rate route costs
    one ``(n_samples, n_channels) @ (n_channels, n_candidates)`` product
    plus the neuron update per candidate, instead of
    one event per delay tap per input spike: on Poisson-encoded digits
    (200 steps, 64 channels) it fits in seconds instead of minutes at the
    same accuracy (see ``benchmarks/bench_defaults.py``).
    """

    def _rate_route(self, context):
        route = context.cache.get("rate_coded")
        if route is None:
            route = context.input_kind == "spikes" and rate_coded(context.X)
            context.cache["rate_coded"] = route
        return route

    def draw(self, rng, n_candidates, context):
        if self._rate_route(context):
            unit = context.cache.get("rate_unit")
            if unit is None:
                from ._ngsnn import _rheobase

                m = min(context.X.shape[1], _RATE_STEPS)
                unit = context.cache["rate_unit"] = _rheobase(context.cache["neuron"], m, context.cache["dt"])
            return _rate_candidates(rng, n_candidates, dataclasses.replace(context, current_unit=unit))
        return super().draw(rng, n_candidates, context)

    def activity(self, data, block, sim):
        if isinstance(block, DenseBlock):
            return dense_activity(_rates(data), block.weights, block.bias, _rate_sim(sim))
        return super().activity(data, block, sim)

    def n_columns(self, block):
        if isinstance(block, DenseBlock):
            return block.n_neurons
        return super().n_columns(block)

    def select(self, block, idx):
        if isinstance(block, DenseBlock):
            return CandidateFamily.select(self, block, idx)
        return super().select(block, idx)

    def stack(self, blocks):
        blocks = list(blocks)
        if blocks and isinstance(blocks[0], DenseBlock):
            return CandidateFamily.stack(self, blocks)
        return super().stack(blocks)

    def empty(self, context):
        if self._rate_route(context):
            return CandidateFamily.empty(self, context)
        return super().empty(context)

    def operation_counts(self, data, block, sim):
        """As :class:`TemporalCandidates`; rate neurons: one accumulate per input spike and connection."""
        if not isinstance(block, DenseBlock):
            return super().operation_counts(data, block, sim)
        counts, ops = CandidateFamily.operation_counts(self, _rates(data), block, _rate_sim(sim))
        fanout = np.count_nonzero(block.weights, axis=1)
        in_spikes = data.sum(axis=1, dtype=np.int64)  # (n, C)
        n = max(data.shape[0], 1)
        ops = dataclasses.replace(ops, synaptic_ac=float((in_spikes @ fanout).sum()) / n, synaptic_mac=0.0)
        return counts, ops


CANDIDATE_FAMILIES["temporal"] = TemporalCandidates
CANDIDATE_FAMILIES["spike_trains"] = SpikeTrainCandidates
# Series given to the estimator grow neurons that see time; spike trains too,
# unless they are rate-coded (SpikeTrainCandidates decides per fit).
AUTO_FAMILY.update(spikes="spike_trains", series="temporal")
