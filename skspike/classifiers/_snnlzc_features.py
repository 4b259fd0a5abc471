"""Readout features of :class:`SNNLZCClassifier` (``decision="multiscale"``).

Three groups, all per sample (a sample's features never depend on the other
samples of the call):

- the **input trains**: per-channel spike counts, per-channel Lempel-Ziv
  complexity, and the channel-mean LZC of the trains re-binned at coarser
  time scales (a bin spikes if any of its steps does);
- a **detector layer** of LIF neurons whose intrinsic parameters (time
  constant, threshold) are set from the data's time scale (the mean
  inter-spike interval and the pooled rate measured in ``fit``), simulated by
  :func:`skspike.neurons.simulate`:

  * *interval detectors*, one per channel and window ``K`` (steps): a spike
    raises ``v`` by 1, ``tau_m = K dt`` and ``v_thresh = 1 + e^{-(K + 1/2)/K}``,
    so the neuron fires when a second spike follows within about ``K`` steps
    (zero reset): its count is the number of short inter-spike intervals.
    Pooled over channels and divided by the input spike count, it measures
    the fraction of intervals shorter than ``K`` -- high for bursty, low for
    regular trains at any rate;
  * *coincidence detectors*, pooling all channels with a short ``tau_m`` and
    a threshold ``z`` standard deviations above the mean potential expected
    from independent channels at the measured rate: their rate grows with
    synchrony;

- the **learned layer** (trained with the chosen rule): LZC and spike counts
  of its output trains.
"""

import math

import numpy as np

# Interval-detector windows as fractions of the mean inter-spike interval
# (plus one window of a single step: adjacent spikes).
_PAIR_FRACTIONS = (0.1, 0.25, 0.5, 1.0)
# Coarser LZC time scales as fractions of the mean inter-spike interval.
_BIN_FRACTIONS = (0.25, 0.5, 1.0)
_MIN_BINNED_STEPS = 8
# Coincidence detectors: membrane time constants (in steps) and thresholds
# (standard deviations above the independent-channel mean).
_SYNC_TAUS = (0.5, 2.0, 6.0)
_SYNC_Z = (2.0, 3.0, 5.0, 8.0)


def data_time_scale(spikes):
    """Mean spike probability per step and channel of a training set."""
    p = float(np.mean(spikes, dtype=np.float64))
    return p


def detector_layer(p, n_steps, n_channels):
    """Weights, time constants (in steps) and thresholds of the detector layer.

    Parameters
    ----------
    p : float
        Mean spike probability per step and channel measured in ``fit``.
    n_steps, n_channels : int
        Layout of the training trains.

    Returns
    -------
    layer : dict
        ``weights`` (n_channels, n_det) scaled so that one input spike moves
        ``v`` by 1, ``tau_steps`` (n_det,), ``v_thresh`` (n_det,),
        ``pair_windows`` (n_windows,) in steps, ``n_sync`` and ``bins``
        (re-binning widths in steps).
    """
    isi = 1.0 / max(p, 1.0 / max(n_steps, 1))  # mean inter-spike interval in steps
    windows = [1] + [max(1, int(round(f * isi))) for f in _PAIR_FRACTIONS]
    windows = [min(w, max(1, n_steps - 1)) for w in windows]
    taus, threshs, cols = [], [], []
    for w in windows:
        d = math.exp(-1.0 / w)
        for c in range(n_channels):
            col = np.zeros(n_channels)
            col[c] = 1.0 / (1.0 - d)
            cols.append(col)
            taus.append(float(w))
            threshs.append(1.0 + d ** (w + 0.5))
    pc = min(max(p, 1e-6), 1.0 - 1e-6)
    for tau in _SYNC_TAUS:
        d = math.exp(-1.0 / tau)
        mean = n_channels * pc / (1.0 - d)
        sd = math.sqrt(n_channels * pc * (1.0 - pc) / (1.0 - d * d))
        for z in _SYNC_Z:
            cols.append(np.full(n_channels, 1.0 / (1.0 - d)))
            taus.append(tau)
            threshs.append(max(mean + z * sd, 1.5))  # at least two coincident spikes
    bins = sorted({max(2, int(round(f * isi))) for f in _BIN_FRACTIONS})
    bins = [b for b in bins if n_steps // b >= _MIN_BINNED_STEPS]
    return dict(
        weights=np.ascontiguousarray(np.stack(cols, axis=1)),
        tau_steps=np.asarray(taus), v_thresh=np.asarray(threshs),
        pair_windows=np.asarray(windows), n_sync=len(_SYNC_TAUS) * len(_SYNC_Z), bins=bins,
    )


def rebin(spikes, width):
    """OR of ``width`` consecutive steps: ``(n, n_steps // width, n_channels)`` uint8."""
    n, n_steps, n_ch = spikes.shape
    m = n_steps // width
    return spikes[:, : m * width].reshape(n, m, width, n_ch).max(axis=2)


def detector_neuron(layer, dt):
    """The detector layer as one :class:`~skspike.neurons.LIF` model (zero reset)."""
    from ..neurons import LIF

    return LIF(tau_m=layer["tau_steps"] * dt, v_thresh=layer["v_thresh"], reset="zero")


def spike_features(spikes, layer, dt, det_counts=None):
    """Input and detector features of spike trains ``(n, n_steps, n_channels)``.

    Returns a list of ``(block, per_unit)`` pairs: ``block`` is ``(n, k)``;
    ``per_unit`` marks a block of ``k`` parallel features (one per channel),
    which the readout weights by ``1 / sqrt(k)`` (see ``group_weights``).
    ``det_counts`` ``(n, n_det)``: the detector layer's spike counts if
    already simulated (e.g. together with the learned layer).
    """
    from ..complexity import lempel_ziv_complexity
    from ..neurons import simulate

    n, n_steps, n_ch = spikes.shape
    counts = spikes.sum(axis=1, dtype=np.float64)
    lzc = lempel_ziv_complexity(spikes)
    binned = [lempel_ziv_complexity(rebin(spikes, b)).mean(axis=1) for b in layer["bins"]]
    if det_counts is None:
        det_counts, _ = simulate(detector_neuron(layer, dt), spikes, layer["weights"], dt=dt,
                                 output="counts")
    det_counts = np.asarray(det_counts, dtype=np.float64)
    n_pair = len(layer["pair_windows"]) * n_ch
    total = np.maximum(counts.sum(axis=1), 1.0)
    pairs = det_counts[:, :n_pair].reshape(n, -1, n_ch).sum(axis=2) / total[:, None]
    sync = det_counts[:, n_pair:] / n_steps
    pooled = np.column_stack([counts.sum(axis=1), lzc.mean(axis=1)] + binned)
    return [(counts, True), (lzc, True), (pooled, False), (pairs, False), (sync, False)]


def layer_features(out_spikes):
    """LZC and spike counts of the learned layer's trains (two per-unit blocks)."""
    from ..complexity import lempel_ziv_complexity

    counts = out_spikes.sum(axis=1, dtype=np.float64)
    return [(lempel_ziv_complexity(out_spikes), True), (counts, True)]


def feature_layout(n_channels, layer, n_out):
    """``(size, per_unit)`` of each feature block for spike trains, in readout order.

    The blocks of :func:`spike_features` followed by those of
    :func:`layer_features` for a learned layer of ``n_out`` neurons.
    """
    n_pooled = 2 + len(layer["bins"])
    return [(n_channels, True), (n_channels, True), (n_pooled, False),
            (len(layer["pair_windows"]), False), (int(layer["n_sync"]), False),
            (n_out, True), (n_out, True)]


def group_weights(blocks):
    """Readout weight of each feature: ``1 / sqrt(k)`` inside a per-unit block of ``k``.

    ``blocks`` is a list of ``(k, per_unit)`` pairs (see :func:`feature_layout`).

    With an L2-penalised readout on standardised features this gives every
    per-unit block (e.g. the counts of all channels) the prior weight of one
    pooled feature, so many weakly informative parallel features do not
    drown the pooled statistics (e.g. the total count, sufficient for
    homogeneous Poisson classes).
    """
    return np.concatenate([np.full(k, 1.0 / np.sqrt(k) if per_unit else 1.0) for k, per_unit in blocks])
