"""SNN-LZC classifier: one spiking layer read out by Lempel-Ziv complexity."""

import dataclasses
import functools
import math
import warnings
from contextlib import nullcontext
from numbers import Integral, Real

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils.metaestimators import available_if
from sklearn.utils._param_validation import HasMethods, Hidden, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._ops import OperationCounts
from ..neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron, NeuronModel
from ..neurons._models import DEPRECATED, resolve_neuron
from ..utils._limits import check_snnlzc_fit, check_snnlzc_predict
from ..utils._random import derive_seed
from ..utils._threads import numba_threads
from ..utils._validation import num_samples, validate_spiking_input
from ._base import BaseSpikingClassifier

__all__ = ["SNNLZCClassifier"]

_RULES = {"surrogate": 0, "tempotron": 1, "stdp": 2}
# Clamp ranges of the learned intrinsic parameters (see Notes of the class).
_TAU_MAX_FACTOR = 10.0
_THRESH_RANGE = (0.05, 20.0)
_DEFAULT_MAX_RATE = 200.0
# RateEncoder default: up to one spike every other step (51 count levels in 100 steps).
_DEFAULT_RATE_MAX_RATE = 500.0
# Samples whose readout features are computed at once (bounds the detector layer's spikes).
_FEATURE_BATCH = 256
# Folds of the readout's choice between the count features and all features.
_CV_FOLDS = 5
# Added to the pooled covariance of the standardised readout features (whose
# total variance is 1 each), so that features without within-class spread
# (e.g. a neuron silent for one class and bursting identically for the other)
# keep a finite, large weight.
_COV_FLOOR = 1e-3
# Batches smaller than this are simulated on one thread (see _threads_for).
_SERIAL_BELOW = 32
# The old flattened neuron scalars (deprecated in 0.2) -> field of the neuron model.
_OLD_NEURON_SCALARS = {"tau_m": "tau_m", "tau_u": "tau_u", "v_thresh": "v_thresh", "a": "a",
                       "b": "b", "d": "d", "reset": "reset", "tau_syn": "tau_syn"}
# What the old neuron="meta" string meant (with the old defaults tau_u=100, a=b=0.5, d=0.2).
_OLD_META = dict(tau_u=100.0, a=0.5, b=0.5, d=0.2)
# Learned intrinsic parameters of each model: (field, how it is learned). "tau": a time
# constant learned as log tau, clamped to [dt, 10 x initial]; "thresh": the threshold
# v_rest + gap * theta, theta clamped to [0.05, 20]; "factor": the initial value times
# e^z, z clamped to [ln 0.1, ln 10] (a parameter that starts at 0 stays 0).
_INTRINSIC = {
    LIF: (("tau_m", "tau"), ("v_thresh", "thresh")),
    MetaNeuron: (("tau_m", "tau"), ("v_thresh", "thresh"), ("tau_u", "tau")),
    AdaptiveLIF: (("tau_m", "tau"), ("v_thresh", "thresh"), ("tau_adapt", "tau")),
    Izhikevich: (("a", "factor"), ("b", "factor"), ("d", "factor")),
}
_STATE_KEY = {"tau": "log_{}", "thresh": "theta", "factor": "log_{}"}
_FACTOR_RANGE = (math.log(0.1), math.log(10.0))
# Bounds of the Izhikevich membrane's time constant at rest (the STDP rule's trace).
_IZ_TRACE_TAU = (1.0, 100.0)


def _fi_current(neuron, rate, dt, n_steps):
    """Least constant current (bisection, relative tolerance 1e-3) at which ``neuron`` fires ``rate`` per step."""
    from ..neurons import simulate

    def fires(current):
        counts, _ = simulate(neuron, np.array([[current]]), np.eye(1), n_steps=n_steps, dt=dt, output="counts")
        return counts[0, 0] >= rate * n_steps

    low, high = 0.0, 1.0
    while not fires(high):
        low, high = high, 2.0 * high
        if high > 1e6:
            return high
    while high - low > 1e-3 * high:
        mid = 0.5 * (low + high)
        low, high = (low, mid) if fires(mid) else (mid, high)
    return high


@functools.lru_cache(maxsize=16)
def _lif_fi_span(off, on, dt):
    return _fi_span(LIF(), (off, on), dt)


def _fi_span(neuron, target_rates, dt):
    """Current span of the f-I curve of ``neuron`` between the (off, on) target rates (per step)."""
    off, on = max(float(target_rates[0]), 0.01), float(target_rates[1])
    n_steps = int(math.ceil(20.0 / off))
    return _fi_current(neuron, on, dt, n_steps) - _fi_current(neuron, off, dt, n_steps)


def _threads_for(n_samples):
    """Run numba kernels on one thread for small batches.

    Waking numba's thread pool costs more than a few samples of work, and on a
    loaded machine it waits for a free core (milliseconds): a single sample
    then takes ~0.2 ms on one thread instead of tens of ms.
    """
    return nullcontext() if n_samples >= _SERIAL_BELOW else numba_threads(1)


def _n_rows(X):
    try:
        return num_samples(X)
    except TypeError:  # let validation report the problem
        return _SERIAL_BELOW


def _has_discriminant(estimator):
    """predict_proba exists for the LZC readouts (a Gaussian discriminant)."""
    if estimator.decision == "rate":
        raise AttributeError("predict_proba is not available with decision='rate' (argmax of counts).")
    return True


class _Adam:
    """Adam (Kingma & Ba 2015) on a dict of float64 arrays, updated in place."""

    def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        c1 = 1.0 - self.beta1**self.t
        c2 = 1.0 - self.beta2**self.t
        for k, g in grads.items():
            m, v = self.m[k], self.v[k]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            params[k] -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


class SNNLZCClassifier(BaseSpikingClassifier):
    """Spiking classifier with learnable intrinsic dynamics and an LZC readout.

    One layer of ``n_per_class`` spiking neurons per class (LIF, meta-,
    adaptive LIF or Izhikevich neurons) receives the input spikes (or static
    ``X`` turned into spikes by ``encoder``). Its synaptic weights, bias and,
    with ``learn_intrinsic=True``, each neuron's intrinsic parameters (time
    constants and threshold; see the table in Notes) are trained with surrogate-gradient BPTT,
    the Tempotron rule or supervised STDP. By default (``decision="multiscale"``)
    a sample is classified by a logistic readout of Lempel-Ziv complexities
    (LZC) and spike counts: of the input trains at several time scales, of a
    layer of detector neurons whose time constants and thresholds are set
    from the data's time scale (interval detectors sense regularity and
    bursts, coincidence detectors synchrony) and of the learned layer's
    output trains. The other decisions use the learned layer's outputs only:
    their LZC, their spike counts, or both.

    Parameters
    ----------
    neuron : LIF, MetaNeuron, AdaptiveLIF, Izhikevich or None, default=None
        Neuron model of the learned layer, a :mod:`skspike.neurons` model
        with scalar parameters (initial values of the learned ones): a
        :class:`~skspike.neurons.LIF`, the second-order
        :class:`~skspike.neurons.MetaNeuron` (coupling ``a``, ``b``, ``d``),
        an :class:`~skspike.neurons.AdaptiveLIF` (threshold adaptation
        ``tau_adapt``, ``theta_jump``; ``tau_adapt`` in ms, not "auto") or an
        :class:`~skspike.neurons.Izhikevich` neuron (``b < 5``).
        None is ``LIF()``: ``tau_m = 20`` ms, ``v_thresh = 1``, zero reset,
        ``tau_syn = 0``. The training kernel of the LIF family has no refractory period
        (``t_ref = 0``); ``v_rest``, ``v_reset``, ``r_m``, ``tau_syn`` and
        ``reset`` ("zero" or "subtract") are free. Parameters are reachable as ``neuron__tau_m``
        etc. (``set_params``, ``GridSearchCV``); the model given is never
        changed (``neuron_`` is the trained copy). The former strings
        ``"lif"`` / ``"meta"`` are deprecated (0.2, removed in 0.3):
        ``"meta"`` is ``MetaNeuron(a=0.5, b=0.5, d=0.2)``.
    learning_rule : {"surrogate", "tempotron", "stdp"}, default="surrogate"
        How weights (and intrinsic parameters) are trained; see Notes.
    decision : {"multiscale", "lzc", "rate", "lzc+rate"}, default="multiscale"
        Readout; see Notes. ``"multiscale"`` reads the input trains, the
        detector layer and the learned layer; the others only the learned
        layer's output trains.
    learn_intrinsic : bool, default=False
        Also learn each neuron's intrinsic parameters (LIF: ``tau_m``,
        ``v_thresh``; MetaNeuron: and ``tau_u``; AdaptiveLIF: and
        ``tau_adapt``; Izhikevich: ``a``, ``b``, ``d``), starting from the
        neuron's values; the learned values are those of the fitted copy
        ``neuron_`` (and ``intrinsic_params_``).
    n_per_class : int, default=4
        Output neurons per class.
    encoder : {"rate", "poisson"}, estimator or None, default="rate"
        Turns static 2-D ``X`` into spikes (ignored for 3-D spike input).
        ``"rate"`` is the deterministic ``RateEncoder(max_rate=500,
        n_steps=n_steps, dt=dt)`` (a sample's spikes depend only on its
        values); ``"poisson"`` is ``PoissonEncoder(max_rate=200,
        n_steps=n_steps, dt=dt)`` seeded from ``random_state`` (a sample's
        spikes are keyed on its values and the seed, not on its position in
        the call); an estimator is cloned and
        fitted on ``X``; None feeds ``X`` as a constant input current held for
        ``n_steps`` steps (direct encoding).
    n_steps : int, default=100
        Simulated steps for static input with ``encoder="poisson"`` or None.
    dt : float, default=1.0
        Step length in ms.
    target_rates : tuple of float (off, on), default=(0.02, 0.2)
        Spike probability per step wanted from neurons of the other classes
        and of the sample's own class (surrogate loss, STDP teacher).
    surrogate_slope : float, default=25.0
        Slope ``k`` of the fast-sigmoid surrogate derivative
        ``1 / (1 + k |v - v_thresh|)^2``.
    learning_rate : float, default=0.05
        Adam step size on the (scaled) parameters; see Notes.
    max_iter : int, default=30
        Training epochs (0 leaves the random initial network).
    batch_size : int, default=32
        Samples per minibatch (clipped to the number of samples).
    C : float, default=1.0
        Inverse L2 penalty of the logistic readout (``decision="multiscale"``).
    random_state : int, RandomState instance or None, default=None
        Seed of the initial weights, the minibatch order and the default
        encoder. An int gives identical models whatever the thread count.
    verbose : int, default=0
        Show a tqdm progress bar over epochs with the loss.
    tau_m, tau_u, v_thresh, a, b, d, reset, tau_syn : deprecated
        The neuron's former flattened parameters (old defaults 20, 100, 1,
        0.5, 0.5, 0.2, "zero", 0). Deprecated in 0.2, removed in 0.3:
        ``fit`` warns (FutureWarning) and uses them in place of the neuron's
        fields (``tau_u``, ``a``, ``b``, ``d`` only for a MetaNeuron, as
        before), e.g. ``SNNLZCClassifier("meta", tau_m=10.0)`` gives the
        result of ``SNNLZCClassifier(MetaNeuron(tau_m=10.0, a=0.5, b=0.5,
        d=0.2))``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (n_in, n_out)
        Synaptic weights (``n_out = n_classes * n_per_class``; neuron ``j``
        belongs to class ``j // n_per_class``).
    intercept_ : ndarray of shape (n_out,)
        Bias current of each output neuron.
    neuron_ : LIF, MetaNeuron, AdaptiveLIF or Izhikevich
        The trained neuron model (a copy of ``neuron`` with per-neuron
        arrays of its intrinsic parameters: the learned values with
        ``learn_intrinsic=True``, else the initial ones).
    intrinsic_params_ : dict of ndarray of shape (n_out,)
        The intrinsic parameters of the model (see Notes): ``"tau_m"``,
        ``"v_thresh"`` and ``"tau_u"`` (MetaNeuron) or ``"tau_adapt"``
        (AdaptiveLIF); ``"a"``, ``"b"``, ``"d"`` for Izhikevich.
    loss_curve_ : list of float
        Mean training loss of each epoch (see Notes for each rule's loss).
    n_iter_ : int
        Epochs run.
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Standardisation of the readout features (all decisions but
        ``"rate"``; for ``"multiscale"`` the scale includes the block weights).
    centroids_ : ndarray of shape (n_classes, n_features)
        Class centroids in standardised feature space (``"lzc"``, ``"lzc+rate"``).
    readout_coef_ : ndarray of shape (n_classes, n_features)
        Discriminant weights ``P c_k`` (``P`` the inverse pooled covariance),
        or the logistic weights (``"multiscale"``; for two classes
        ``-w / 2`` and ``w / 2``).
    readout_intercept_ : ndarray of shape (n_classes,)
        Discriminant offsets ``-c_k . P c_k / 2`` or the logistic intercepts.
    readout_features_ : {"all", "counts"}
        ``"multiscale"``: the features the readout kept (see Notes).
    detector_layer_ : dict
        ``"multiscale"`` on spike trains: the detector neurons' ``weights``
        (n_channels, n_det), ``tau_steps``, ``v_thresh``, the interval
        windows ``pair_windows`` (steps) and the LZC re-binning widths
        ``bins`` (steps), all derived from the training trains' mean rate.
    encoder_ : estimator
        Fitted encoder (static input with an encoder only).
    input_kind_ : {"spikes", "static"}
        Layout seen in ``fit``.
    n_features_in_ : int
        Features (static) or channels (spikes) seen in ``fit``.
    n_steps_in_ : int
        Steps of the spike trains seen in ``fit`` (spike input only).

    See Also
    --------
    skspike.complexity.lempel_ziv_complexity : The LZC of a spike train.
    skspike.neurons.simulate : The simulator used for inference.

    Notes
    -----
    **Dynamics.** Exact exponential-Euler steps of :class:`~skspike.neurons.LIF`
    / :class:`~skspike.neurons.MetaNeuron` (times in ms, no refractory period;
    written for the default ``v_rest = v_reset = 0``, ``r_m = 1``):
    ``I[t] = e^{-dt/tau_syn} I[t-1] + sum_i w_i x_i[t]``,
    ``v[t] = e^{-dt/tau_m} v[t-1] + (1 - e^{-dt/tau_m}) (I[t] + bias - b u[t-1])``,
    ``u[t] = e^{-dt/tau_u} u[t-1] + (1 - e^{-dt/tau_u}) a v[t-1] + d s[t]``,
    spike ``s[t] = [v[t] >= v_thresh]``, then reset. An
    :class:`~skspike.neurons.AdaptiveLIF` has ``b = 0`` and the threshold
    ``v_thresh + theta[t]``, ``theta[t] = e^{-dt/tau_adapt} theta[t-1] +
    theta_jump s[t]``; an :class:`~skspike.neurons.Izhikevich` neuron its
    forward-Euler sub-steps of ``dv/dt = 0.04 v^2 + 5 v + 140 - u + I``,
    ``du/dt = a (b v - u)`` with the spike test ``v >= v_peak``, then
    ``v = c``, ``u += d``. Training runs the engine's step of the model
    (:mod:`skspike.neurons`, recording what BPTT needs), the arithmetic of
    :func:`~skspike.neurons.simulate`, which runs inference, so both see
    the same spikes. Batches of fewer than 32 samples are simulated
    on one thread: waking numba's thread pool costs more than their work.

    **Intrinsic parameters** learned with ``learn_intrinsic=True`` (after
    the SNN-LZC paper: the neuron's time constants and threshold; for
    Izhikevich, whose threshold is implicit in its quadratic membrane, the
    parameters of its recovery variable that set its cell class):

    .. list-table::
       :header-rows: 1

       * - model
         - learned, per neuron
         - learned as (clamp: see Parameterisation)
       * - LIF
         - ``tau_m``, ``v_thresh``
         - ``log tau``, ``theta``
       * - MetaNeuron
         - ``tau_m``, ``v_thresh``, ``tau_u``
         - ``log tau``, ``theta``
       * - AdaptiveLIF
         - ``tau_m``, ``v_thresh``, ``tau_adapt``
         - ``log tau``, ``theta``
       * - Izhikevich
         - ``a``, ``b``, ``d``
         - ``x0 e^z`` (``x0`` the initial value), ``z`` in ``[ln 0.1, ln 10]``

    The other fields stay the model's (``theta_jump``, ``a``, ``b``, ``d``
    of the meta-neuron, ``c``, ``v_peak`` of Izhikevich...); an Izhikevich
    parameter that starts at 0 stays 0.

    **Parameterisation.** With ``g = v_thresh - v_rest`` the initial
    neuron's threshold gap (1 for the default), weights are ``w = w_scale * w_hat`` with
    ``w_scale = g / (total input per step)`` measured on the training
    data, so the initial ``w_hat ~ N(1, 1)`` puts the mean drive at threshold;
    the bias is ``g * b_hat``; time constants are learned as
    ``log tau`` and the threshold as ``v_rest + g * theta``. Adam updates
    ``w_hat``, ``b_hat``, ``log tau`` and ``theta`` with ``learning_rate``.
    Learned values are clamped after each step: ``tau`` to ``[dt, 10 x`` its
    initial value ``]``, ``v_thresh`` to ``[0.05, 20] x`` its initial value.
    For an Izhikevich layer ``g`` is the current span of its f-I curve
    between the two target rates divided by that of the default LIF (24 for
    the default regular-spiking cell, whose rate grows ~24 times more slowly
    with its current), at least its rheobase ``(5 - b)^2 / 0.16 - 140`` (4
    for ``b = 0.2``), so that an Adam step moves its rate as it moves a
    LIF's; the surrogate's potential scale is ``v_peak - c``, and its
    backward pass detaches the after-spike reset (``v = c`` and ``u += d``)
    and the regenerative upstroke (the slope of the quadratic above -62.5
    mV), whose exact derivatives grow ~1e9-fold over a spike.

    **Learning rules** (neuron ``j`` is "own" if it belongs to the sample's
    class; rates are spikes per step; ``T = n_steps``):

    - ``"surrogate"``: loss ``0.5 mean_j (count_j / T - target_j)^2`` with
      ``target_j`` from ``target_rates``; exact BPTT through the discrete
      dynamics with the fast-sigmoid surrogate derivative and detached
      resets (as snnTorch), in numba, parallel over the samples of a
      minibatch with per-sample gradient buffers summed afterwards in a
      fixed order. Gradients flow to weights, bias and the intrinsic
      parameters, through every state variable of the model (``u`` of the
      meta-neuron and of Izhikevich, the adaptive threshold ``theta``; the
      LIF family's spike-triggered jumps ``d`` / ``theta_jump`` through the
      surrogate); an Izhikevich step is differentiated through its
      sub-steps, its spike at the last spike test, with its reset (``v = c``,
      ``u += d``) and regenerative upstroke detached (see Parameterisation). The tests check these gradients against
      central differences of the forward pass with the spikes held and the
      surrogate in their place.
    - ``"tempotron"`` (Gutig & Sompolinsky 2006): an own neuron must fire at
      least once, others must stay silent. On an error the cost is
      ``v_thresh - v(t_max)`` (miss) or ``v(t_max) - v_thresh`` (false
      spike), with ``t_max`` the time of maximal potential (for a false spike
      the first spike, so the potential before it is reset-free). Weights and
      bias move by the gradient of this cost, i.e. by each input's
      post-synaptic potential at ``t_max`` (the Tempotron rule);
      ``learn_intrinsic`` uses the gradient of the same cost with respect to
      the intrinsic parameters (the threshold falls after a miss and rises
      after a false spike; for Izhikevich ``v_thresh`` is ``v_peak``).
    - ``"stdp"``: supervised, teacher-driven STDP in the ReSuMe form
      (Ponulak & Kasinski 2010). A teacher train ``d_j`` fires evenly at the
      neuron's target rate; ``dw_ij = sum_t (d_j(t) - s_j(t)) x_i(t)`` where
      ``x_i`` is the presynaptic trace (decay ``tau_m``; for Izhikevich the
      time constant of its membrane linearised at ``v_init``,
      ``1 / |0.08 v_init + 5|`` ms, in [1, 100]): pre-before-post
      potentiation at teacher spikes, depression at the neuron's own spikes,
      zero once the neuron fires like its teacher. The bias sees a constant
      presynaptic input. ``learn_intrinsic`` moves the intrinsic parameters along ``sum_t (d_j(t) - s_j(t)) dv_j(t)/dtheta`` (the
      threshold falls when the neuron fires less than its teacher). Not
      reward-modulated. Its reported loss is the surrogate rule's.

    **Decision "multiscale"** (default). With ``p`` the training trains' mean
    spike probability per step and channel and ``isi = 1 / p`` their mean
    inter-spike interval in steps, the features of a sample are

    - per channel: spike count and LZC; pooled: total count, mean LZC, and
      the mean LZC of the trains re-binned into bins of ``isi/4``, ``isi/2``
      and ``isi`` steps (a bin spikes if any of its steps does; scales with
      fewer than 8 bins are skipped);
    - interval detectors: for windows ``K`` of 1 step and of ``0.1, 0.25,
      0.5, 1`` ``isi``, one LIF neuron per channel with ``tau_m = K dt``,
      zero reset, an input weight raising ``v`` by 1 per spike and
      ``v_thresh = 1 + e^{-(K + 1/2) / K}``: it fires when a spike follows
      the previous one within about ``K`` steps. Their counts, summed over
      channels and divided by the input spike count, are the fraction of
      short intervals (bursts raise it, regularity lowers it, at any rate);
    - coincidence detectors: LIF neurons receiving every channel (one spike
      raises ``v`` by 1) with ``tau_m`` of 0.5, 2 and 6 steps and thresholds
      ``mu + z sigma`` (``z`` = 2, 3, 5, 8; at least 1.5), where ``mu`` and
      ``sigma^2 = n_channels p (1 - p) / (1 - e^{-2 dt/tau_m})`` are the mean
      and variance of their potential under independent channels at rate
      ``p``. Their firing rates grow with synchrony;
    - the learned layer: LZC and spike count of each output neuron.

    For a static current (``encoder=None``) the current replaces the input
    and detector features. Features are standardised; a block of ``k``
    parallel features (per channel, per neuron) is weighted by
    ``1 / sqrt(k)`` so that under the L2 penalty it weighs like one pooled
    feature (otherwise many weakly informative per-channel features drown
    e.g. the total count). A multinomial logistic regression (L2, ``C``)
    reads them; ``predict_proba`` is its posterior. The readout first
    compares, by 5-fold cross-validation on the training set, a readout of
    the count features alone (per-channel counts and total count; the
    current itself for ``encoder=None``) with one of all features, and keeps
    the counts unless all features lower the error rate by more than one
    standard error of the paired difference (the one-standard-error rule):
    for classes that differ only in rate the counts are sufficient and the
    other features only add estimation noise (``readout_features_``). The detector neurons'
    parameters come from the data's time scale, not from training; the
    learned layer is trained by ``learning_rule`` as below. On spike trains
    all features of a sample come from one numba pass (parallel over
    samples): the learned and detector layers advanced by the package's
    neuron step (one layer loop when the learned layer is a zero-reset LIF)
    and the LZC of every train, re-binned train and output train (LZ76 by
    bit-parallel matching); the values equal those of
    :func:`~skspike.neurons.simulate` and
    :func:`~skspike.complexity.lempel_ziv_complexity`.

    **Decisions on the learned layer.** ``"rate"`` is the usual rate code: the class whose output
    neurons fire most (mean count per class) wins; ``decision_function``
    returns those mean counts per step. ``"lzc"`` uses each output neuron's
    normalised LZC ``c(n) log2(n) / n`` as features, ``"lzc+rate"`` the LZC
    and the spike counts. Features are standardised with the training mean
    and standard deviation (constant features are dropped) and a sample goes
    to the nearest class centroid in the Mahalanobis metric of the pooled
    within-class covariance (Ledoit-Wolf shrinkage, plus ``1e-3`` on the
    diagonal), i.e. linear discriminant analysis with equal priors: the
    output neurons of one layer share their input, so their LZC values are
    correlated and a Euclidean distance would count the shared noise many
    times. ``decision_function`` gives the discriminant scores
    ``z . P c_k - c_k . P c_k / 2`` and ``predict_proba`` their softmax. The
    readout is fitted after training, so ``decision`` does not change the
    learned network.

    **Static input.** The default ``RateEncoder`` is deterministic, so a
    prediction depends only on the sample (not on its position in the
    call). ``encoder="poisson"`` gives Poisson spikes keyed on each sample's values
    and the seed, so a prediction does not depend on the sample's position
    either.

    References
    ----------
    .. [1] Gutig, R. and Sompolinsky, H. (2006). The tempotron: a neuron that
       learns spike timing-based decisions. Nature Neuroscience 9, 420-428.
    .. [2] Neftci, E. O., Mostafa, H. and Zenke, F. (2019). Surrogate gradient
       learning in spiking neural networks. IEEE Signal Processing Magazine
       36, 51-63.
    .. [3] Ponulak, F. and Kasinski, A. (2010). Supervised learning in spiking
       neural networks with ReSuMe. Neural Computation 22, 467-510.
    .. [4] Lempel, A. and Ziv, J. (1976). On the complexity of finite
       sequences. IEEE Trans. Information Theory 22, 75-81.

    Examples
    --------
    >>> from skspike.classifiers import SNNLZCClassifier
    >>> from skspike.datasets import make_spike_trains
    >>> X, y = make_spike_trains(n_samples=80, n_steps=50, n_channels=8, random_state=0)
    >>> clf = SNNLZCClassifier(n_per_class=2, max_iter=5, random_state=0).fit(X, y)
    >>> clf.predict(X[:4]).shape
    (4,)
    >>> sorted(clf.intrinsic_params_)
    ['tau_m', 'v_thresh']
    >>> X, y = make_spike_trains(n_samples=120, n_steps=100, n_channels=8, process="sync",
    ...                          rates=40.0, correlation=[0.0, 0.4], random_state=0)
    >>> SNNLZCClassifier(max_iter=5, random_state=0).fit(X[:80], y[:80]).score(X[80:], y[80:]) > 0.9
    True
    """

    _parameter_constraints: dict = {
        "neuron": [NeuronModel, None, Hidden(StrOptions({"lif", "meta"}))],
        "learning_rule": [StrOptions(set(_RULES))],
        "decision": [StrOptions({"multiscale", "lzc", "rate", "lzc+rate"})],
        "learn_intrinsic": ["boolean"],
        "n_per_class": [Interval(Integral, 1, None, closed="left")],
        "tau_m": [Interval(Real, 0, None, closed="neither"), Hidden(StrOptions({DEPRECATED}))],
        "tau_u": [Interval(Real, 0, None, closed="neither"), Hidden(StrOptions({DEPRECATED}))],
        "v_thresh": [Interval(Real, 0, None, closed="neither"), Hidden(StrOptions({DEPRECATED}))],
        "a": [Real, Hidden(StrOptions({DEPRECATED}))],
        "b": [Real, Hidden(StrOptions({DEPRECATED}))],
        "d": [Real, Hidden(StrOptions({DEPRECATED}))],
        "reset": [StrOptions({"subtract", "zero"}), Hidden(StrOptions({DEPRECATED}))],
        "tau_syn": [Interval(Real, 0, None, closed="left"), Hidden(StrOptions({DEPRECATED}))],
        "encoder": [StrOptions({"rate", "poisson"}), HasMethods(["fit", "transform"]), None],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "dt": [Interval(Real, 0, None, closed="neither")],
        "target_rates": [tuple, list],
        "surrogate_slope": [Interval(Real, 0, None, closed="neither")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "C": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        neuron=None,
        *,
        learning_rule="surrogate",
        decision="multiscale",
        learn_intrinsic=False,
        n_per_class=4,
        encoder="rate",
        n_steps=100,
        dt=1.0,
        target_rates=(0.02, 0.2),
        surrogate_slope=25.0,
        learning_rate=0.05,
        max_iter=30,
        batch_size=32,
        C=1.0,
        random_state=None,
        verbose=0,
        tau_m=DEPRECATED,
        tau_u=DEPRECATED,
        v_thresh=DEPRECATED,
        a=DEPRECATED,
        b=DEPRECATED,
        d=DEPRECATED,
        reset=DEPRECATED,
        tau_syn=DEPRECATED,
    ):
        self.neuron = neuron
        self.learning_rule = learning_rule
        self.decision = decision
        self.learn_intrinsic = learn_intrinsic
        self.n_per_class = n_per_class
        self.tau_m = tau_m
        self.tau_u = tau_u
        self.v_thresh = v_thresh
        self.a = a
        self.b = b
        self.d = d
        self.reset = reset
        self.tau_syn = tau_syn
        self.encoder = encoder
        self.n_steps = n_steps
        self.dt = dt
        self.target_rates = target_rates
        self.surrogate_slope = surrogate_slope
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.C = C
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the spiking layer on ``X`` and fit the readout.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)
            Static data (encoded by ``encoder``) or binary spike trains.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            Fitted classifier.
        """
        target_rates = self._check_target_rates()
        tmpl = self._neuron_template = self._resolve_neuron()
        seed = derive_seed(self.random_state)
        if self.encoder == "poisson":
            from ..encoding import PoissonEncoder

            self._encoder = PoissonEncoder(
                max_rate=_DEFAULT_MAX_RATE, n_steps=self.n_steps, dt=self.dt, random_state=seed
            )
        elif self.encoder == "rate":
            from ..encoding import RateEncoder

            self._encoder = RateEncoder(max_rate=_DEFAULT_RATE_MAX_RATE, n_steps=self.n_steps, dt=self.dt)
        else:
            self._encoder = self.encoder
        data, y = validate_spiking_input(self, X, y, reset=True, encoder="_encoder")
        y_idx = self._encode_labels(y)
        n_classes = len(self.classes_)
        check_snnlzc_fit(self, data, n_classes)
        use_current = data.ndim == 2
        n_steps = self.n_steps if use_current else data.shape[1]
        self._n_steps_run = int(n_steps)
        n_in = data.shape[-1]
        n_out = n_classes * self.n_per_class
        owner = np.arange(n_out) // self.n_per_class
        rng = np.random.RandomState(seed)

        if use_current:
            total = float(np.abs(data).mean(axis=0).sum())
        else:
            total = float(data.mean(axis=(0, 1), dtype=np.float64).sum())
        gap = self._drive_scale(target_rates)
        w_scale = gap / max(total, 1e-3)
        b_scale = gap
        state = {
            "w": rng.normal(1.0, 1.0, size=(n_in, n_out)),
            "b": np.zeros(n_out),
        }
        if self.learn_intrinsic:
            for field, kind in _INTRINSIC[type(tmpl)]:
                key = _STATE_KEY[kind].format(field)
                if kind == "tau":
                    state[key] = np.full(n_out, math.log(getattr(tmpl, field)))
                elif kind == "thresh":
                    state[key] = np.ones(n_out)
                else:
                    state[key] = np.zeros(n_out)
        self._w_scale, self._b_scale = w_scale, b_scale

        self.loss_curve_ = []
        self.n_iter_ = 0
        if self.max_iter > 0:
            self._train(data, y_idx, owner, state, target_rates, use_current, n_steps, rng)

        self.coef_ = w_scale * state["w"]
        self.intercept_ = b_scale * state["b"]
        learned = self._intrinsic_values(state, n_out)
        self.neuron_ = dataclasses.replace(tmpl, **learned)
        self.intrinsic_params_ = learned
        self._fit_readout(data, y_idx, n_classes)
        return self

    def _check_target_rates(self):
        rates = self.target_rates
        if len(rates) != 2:
            raise ValueError(f"target_rates must be (off, on), got {rates!r}.")
        off, on = float(rates[0]), float(rates[1])
        if not (0.0 <= off < on <= 1.0):
            raise ValueError(
                f"target_rates must satisfy 0 <= off < on <= 1 (spike probability per step), "
                f"got {rates!r}."
            )
        return np.array([off, on])

    def _resolve_neuron(self):
        """The layer's initial neuron: ``neuron`` (default ``LIF()``), old parameters applied.

        An independent scalar model (the user's model is never changed);
        ValueError for what the training kernel cannot run.
        """
        name = type(self).__name__
        neuron = self.neuron
        if isinstance(neuron, str):
            warnings.warn(
                f"{name}: neuron={neuron!r} is deprecated in 0.2 and will be removed in 0.3; pass "
                + ("neuron=None (LIF())" if neuron == "lif" else
                   "neuron=MetaNeuron(a=0.5, b=0.5, d=0.2) (tau_u=100 as before)") + " instead.",
                FutureWarning, stacklevel=4,
            )
            neuron = LIF() if neuron == "lif" else MetaNeuron(**_OLD_META)
        old = {key: (field, getattr(self, key)) for key, field in _OLD_NEURON_SCALARS.items()}
        model = resolve_neuron(name, neuron, LIF, allowed=tuple(_INTRINSIC), deprecated=old,
                               replacement=", e.g. neuron=LIF(tau_m=...) or MetaNeuron(...)")
        if model.n_neurons is not None:
            raise ValueError(
                f"{name}: the neuron must have scalar parameters (initial values of the layer); got "
                f"per-neuron arrays of length {model.n_neurons}."
            )
        if isinstance(model, Izhikevich):
            if not model.b < 5.0:
                raise ValueError(
                    f"{name}: the Izhikevich neuron needs b < 5 (a resting state and a rheobase "
                    f"current, the scale of the weights); got b={model.b}."
                )
            return model
        if isinstance(model, AdaptiveLIF) and isinstance(model.tau_adapt, str):
            raise ValueError(
                f"{name}: AdaptiveLIF(tau_adapt='auto') is resolved by STDPFeatureExtractor only; "
                "give tau_adapt in ms."
            )
        if model.t_ref != 0.0:
            raise ValueError(
                f"{name}'s training kernel has no refractory period; got t_ref={model.t_ref!r} "
                "(use t_ref=0)."
            )
        if not model.v_thresh > model.v_rest:
            raise ValueError(
                f"{name}: the neuron's v_thresh must be above v_rest (got v_thresh={model.v_thresh}, "
                f"v_rest={model.v_rest})."
            )
        return model

    def _gap(self):
        """Threshold gap ``v_thresh - v_rest`` of the initial (LIF-family) neuron."""
        tmpl = self._neuron_template
        return float(tmpl.v_thresh - tmpl.v_rest)

    def _drive_scale(self, target_rates):
        """Scale of weights and bias: the threshold gap, or for Izhikevich its f-I span.

        A LIF-family layer uses its threshold gap ``v_thresh - v_rest`` (its
        rheobase). The rate of an Izhikevich neuron grows far more slowly
        with its current (the default regular-spiking cell needs about 82
        units to go from 0.02 to 0.2 spikes per step at dt = 1 ms, a default
        LIF 3.4 gaps), so with its rheobase as the unit Adam's steps, a fixed size
        in these units, move its rate several times less than a LIF's. Its
        unit is the current span of its f-I curve between the two target
        rates divided by that of the default LIF (``_fi_span``), so a step
        moves both rates alike; at least the rheobase
        ``(5 - b)^2 / 0.16 - 140`` (where the resting and threshold fixed
        points of ``0.04 v^2 + (5 - b) v + 140 + I`` merge), so that the
        initial mean drive reaches it.
        """
        tmpl = self._neuron_template
        if isinstance(tmpl, Izhikevich):
            rheobase = max(float((5.0 - tmpl.b) ** 2 / 0.16 - 140.0), 1.0)
            span = _fi_span(tmpl, target_rates, self.dt) / _lif_fi_span(*map(float, target_rates), float(self.dt))
            return max(rheobase, span)
        return self._gap()

    def _voltage_scale(self):
        """Potential range that scales the surrogate's slope (``v_peak - c`` for Izhikevich)."""
        tmpl = self._neuron_template
        if isinstance(tmpl, Izhikevich):
            return float(tmpl.v_peak - tmpl.c)
        return self._gap()

    def _intrinsic_values(self, state, n_out):
        """Per-neuron values of the learned fields: ``{field: ndarray (n_out,)}``."""
        tmpl = self._neuron_template
        values = {}
        for field, kind in _INTRINSIC[type(tmpl)]:
            key = _STATE_KEY[kind].format(field)
            if key not in state:
                values[field] = np.full(n_out, float(getattr(tmpl, field)))
            elif kind == "tau":
                values[field] = np.exp(state[key])
            elif kind == "thresh":
                values[field] = tmpl.v_rest + self._gap() * state[key]
            else:
                values[field] = float(getattr(tmpl, field)) * np.exp(state[key])
        return values

    def _bptt_params(self, values):
        """The training kernel's ``(model, params)`` of the layer with these learned values."""
        from . import _snnlzc_kernels as K

        return K.pack_model(dataclasses.replace(self._neuron_template, **values),
                            len(next(iter(values.values()))), self.dt)

    def _trace_tau(self):
        """Time constant in ms of the STDP rule's presynaptic trace: the membrane's.

        ``tau_m`` for the LIF family; for Izhikevich the time constant of the
        membrane linearised at ``v_init``, ``1 / |0.08 v_init + 5|`` (5 ms at
        -65 mV), held in [1, 100] ms.
        """
        tmpl = self._neuron_template
        if isinstance(tmpl, Izhikevich):
            rate = abs(0.08 * float(tmpl.v_init) + 5.0)
            return float(np.clip(1.0 / max(rate, 1e-12), *_IZ_TRACE_TAU))
        return tmpl.tau_m

    def _train(self, data, y_idx, owner, state, target_rates, use_current, n_steps, rng):
        from . import _snnlzc_kernels as K

        n_samples, n_in = data.shape[0], data.shape[-1]
        n_out = owner.shape[0]
        rule = _RULES[self.learning_rule]
        batch_size = min(self.batch_size, n_samples)
        own_all = (owner[None, :] == y_idx[:, None]).astype(np.uint8)
        tmpl = self._neuron_template
        spikes = data if not use_current else np.zeros((0, 0, 0), dtype=np.uint8)
        static = np.ascontiguousarray(data) if use_current else np.zeros((0, 0))
        stdp_decay = math.exp(-self.dt / self._trace_tau())
        slope = float(self.surrogate_slope) / self._voltage_scale()
        adam = _Adam(state, self.learning_rate)
        # field, state key, clamp range, gradient slot of the kernel, row of its decay factor
        learned = []
        for field, kind in _INTRINSIC[type(tmpl)]:
            key = _STATE_KEY[kind].format(field)
            if key not in state:
                continue
            if kind == "tau":
                low, high = math.log(self.dt), math.log(_TAU_MAX_FACTOR * getattr(tmpl, field))
                bounds = (min(low, high), high)
            else:
                bounds = _THRESH_RANGE if kind == "thresh" else _FACTOR_RANGE
            slot, row = {"tau_m": (K.G_DECAY_M, K.P_DECAY_M), "v_thresh": (K.G_THRESH, None),
                         "a": (K.G_IZ_A, None), "b": (K.G_IZ_B, None),
                         "d": (K.G_JUMP, None)}.get(field, (K.G_DECAY_U, K.P_DECAY_U))
            learned.append((field, kind, key, bounds, slot, row))

        epochs = range(self.max_iter)
        bar = None
        if self.verbose:
            from tqdm.auto import tqdm

            bar = tqdm(epochs, desc=f"SNNLZC {self.learning_rule}", unit="epoch")
            epochs = bar
        params = None
        for _ in epochs:
            order = rng.permutation(n_samples)
            epoch_loss = 0.0
            for start in range(0, n_samples, batch_size):
                idx = np.ascontiguousarray(order[start:start + batch_size])
                n_b = idx.shape[0]
                weights = np.ascontiguousarray(self._w_scale * state["w"])
                bias = self._b_scale * state["b"]
                values = self._intrinsic_values(state, n_out)
                if params is None or self.learn_intrinsic:  # fixed dynamics: packed once
                    model, params = self._bptt_params(values)
                counts = np.zeros((n_b, n_out), dtype=np.int64)
                g_w = np.zeros((n_b, n_in, n_out)) if not use_current else np.zeros((0, 0, 0))
                g_drive = np.zeros((n_b, n_out))
                g_bias = np.zeros((n_b, n_out))
                g_intr = np.zeros((n_b, K.N_GRADS, n_out))
                loss = np.zeros(n_b)
                K.train_batch(
                    rule, spikes, idx, static, use_current, n_steps, weights, bias, model, params,
                    np.ascontiguousarray(own_all[idx]), target_rates, slope,
                    bool(self.learn_intrinsic), stdp_decay, counts, g_w, g_drive, g_bias, g_intr, loss,
                )
                epoch_loss += float(loss.sum())
                if use_current:
                    gw = static[idx].T @ g_drive
                else:
                    gw = g_w.sum(axis=0)
                grads = {
                    "w": gw * (self._w_scale / n_b),
                    "b": g_bias.sum(axis=0) * (self._b_scale / n_b),
                }
                if learned:
                    gi = g_intr.sum(axis=0) / n_b
                for field, kind, key, _, slot, row in learned:
                    if kind == "tau":  # d decay / d log tau = decay dt / tau
                        grads[key] = gi[slot] * params[row] * self.dt / values[field]
                    elif kind == "thresh":
                        grads[key] = gi[slot] * self._gap()
                    else:
                        grads[key] = gi[slot] * values[field]
                adam.step(state, grads)
                for _, _, key, bounds, _, _ in learned:
                    np.clip(state[key], *bounds, out=state[key])
            self.loss_curve_.append(epoch_loss / n_samples)
            self.n_iter_ += 1
            if bar is not None:
                bar.set_postfix(loss=f"{self.loss_curve_[-1]:.4g}")
        if bar is not None:
            bar.close()

    # -------------------------------------------------------------- readout
    def _output_spikes(self, data):
        from ..neurons import simulate

        spikes, _ = simulate(
            self.neuron_, data, self.coef_, bias=self.intercept_,
            n_steps=self._n_steps_run if data.ndim == 2 else None, dt=self.dt, output="spikes",
        )
        return spikes

    def _features(self, out_spikes):
        from ..complexity import lempel_ziv_complexity

        counts = out_spikes.sum(axis=1, dtype=np.int64).astype(np.float64)
        if self.decision == "rate":
            return counts
        lzc = lempel_ziv_complexity(out_spikes)
        if self.decision == "lzc":
            return lzc
        return np.hstack([lzc, counts])

    def _feature_kernel_args(self):
        """``(key, args, fused)``: kernel-ready layer for ``multiscale_features`` (spike input).

        The detectors are written in the learned layer's model (a LIF is the
        meta-neuron with ``a = b = d = 0``, bit for bit) and simulated with
        it as one layer (``fused``) when the layer-wide flags (reset,
        refractoriness) agree; otherwise (``reset="subtract"``) the kernel
        runs the detectors alone and the learned layer goes through
        :func:`~skspike.neurons.simulate`. Built at the end of ``fit``
        (packing parameters costs more than classifying one sample) and
        reused while the fitted layers are the same objects; otherwise (e.g.
        a model pickled by an older version) rebuilt for the call.
        """
        from ..complexity._lempel_ziv import _normaliser
        from ..neurons import LIF, MetaNeuron
        from ..neurons import _kernels as NK

        key = (self.coef_, self.intercept_, self.neuron_, self.detector_layer_)
        cached = getattr(self, "_kernel_args", None)
        if cached is not None and all(a is b for a, b in zip(cached[0], key)):
            return cached
        det = self.detector_layer_
        n_out = self.coef_.shape[1]
        n_det = det["weights"].shape[1]
        det_kw = dict(tau_m=det["tau_steps"] * self.dt, v_thresh=det["v_thresh"], reset="zero")
        if isinstance(self.neuron_, MetaNeuron):
            det_neuron = MetaNeuron(a=0.0, b=0.0, d=0.0, **det_kw)
        else:
            det_neuron = LIF(**det_kw)
        det_model, det_params = det_neuron.kernel_params(n_det, self.dt)
        layer_model, layer_params = self.neuron_.kernel_params(n_out, self.dt)
        # Columns of packed parameters are per neuron except these layer-wide flags.
        layer_wide = [NK.P_SUBTRACT, NK.P_ANY_REF]
        fused = det_model == layer_model and np.array_equal(layer_params[layer_wide, 0],
                                                            det_params[layer_wide, 0])
        det_w = np.asarray(det["weights"], dtype=np.float64)
        if fused:
            weights = np.hstack([np.asarray(self.coef_, dtype=np.float64), det_w])
            bias = np.r_[np.asarray(self.intercept_, dtype=np.float64), np.zeros(n_det)]
            params = np.hstack([layer_params, det_params])
        else:
            weights, bias, params = det_w, np.zeros(n_det), det_params
        weights = np.ascontiguousarray(weights)
        bins = np.asarray(det["bins"], dtype=np.int64)
        n_steps = self._n_steps_run
        norms = np.array([_normaliser(n_steps)] + [_normaliser(n_steps // width) for width in bins])
        args = (
            weights, np.ascontiguousarray(bias),
            det_model, np.ascontiguousarray(params), n_out if fused else 0,
            len(det["pair_windows"]), bins, norms,
        )
        return key, args, fused

    def _spike_multiscale_features(self, spikes):
        """Readout features of uint8 spike trains (one numba pass per sample)."""
        from . import _snnlzc_kernels as K

        _, args, fused = self._feature_kernel_args()
        n = spikes.shape[0]
        n_layer = 0 if fused else 2 * self.coef_.shape[1]
        feats = np.empty((n, self._n_multiscale_features() - n_layer), dtype=np.float64)
        spikes = np.ascontiguousarray(spikes)
        K.multiscale_features(spikes, *args, feats)
        if fused:
            return feats
        from . import _snnlzc_features as F

        layer = F.layer_features(self._output_spikes(spikes))
        return np.hstack([feats] + [b for b, _ in layer])

    def _n_multiscale_features(self):
        det = self.detector_layer_
        return sum(k for k, _ in self._multiscale_layout(det["weights"].shape[0], det))

    def _multiscale_layout(self, n_channels, det):
        from . import _snnlzc_features as F

        return F.feature_layout(n_channels, det, self.coef_.shape[1])

    def _multiscale_blocks(self, data):
        """Feature blocks of the NumPy path (direct current; reference for spike trains)."""
        from . import _snnlzc_features as F

        if data.ndim == 3:
            blocks = F.spike_features(data, self.detector_layer_, self.dt)
        else:  # direct current: the current itself, one feature per input
            blocks = [(np.asarray(data, dtype=np.float64), True)]
        return blocks + F.layer_features(self._output_spikes(data))

    def _multiscale_features(self, data):
        if data.ndim == 3:
            return self._spike_multiscale_features(data)
        parts = []
        for start in range(0, data.shape[0], _FEATURE_BATCH):
            blocks = self._multiscale_blocks(data[start:start + _FEATURE_BATCH])
            parts.append(np.hstack([b for b, _ in blocks]))
        return np.vstack(parts)

    def _fit_multiscale(self, data, y_idx):
        from sklearn.linear_model import LogisticRegression

        from . import _snnlzc_features as F

        if data.ndim == 3:
            self.detector_layer_ = F.detector_layer(
                F.data_time_scale(data), data.shape[1], data.shape[2])
            self._kernel_args = self._feature_kernel_args()
            weight = F.group_weights(self._multiscale_layout(data.shape[2], self.detector_layer_))
        else:
            for name in ("detector_layer_", "_kernel_args"):
                if hasattr(self, name):
                    delattr(self, name)
            weight = F.group_weights(
                [(b.shape[1], per_unit) for b, per_unit in self._multiscale_blocks(data[:1])])
        feats = self._multiscale_features(data)
        mean = feats.mean(axis=0)
        scale = feats.std(axis=0)
        scale[scale <= 1e-12 * np.maximum(1.0, np.abs(mean))] = np.inf
        scale = scale / weight
        z = (feats - mean) / scale
        if data.ndim == 3:  # per-channel counts and the total count (first pooled feature)
            n_ch = data.shape[2]
            rate_cols = np.r_[np.arange(n_ch), 2 * n_ch]
        else:
            rate_cols = np.arange(data.shape[1])
        use = np.ones(z.shape[1], dtype=bool)
        if self._rate_code_wins(z, y_idx, rate_cols):
            use[:] = False
            use[rate_cols] = True
        self.readout_features_ = "counts" if not use.all() else "all"
        lr = LogisticRegression(C=self.C, max_iter=5000).fit(z[:, use], y_idx)
        coef = np.zeros((lr.coef_.shape[0], z.shape[1]))
        coef[:, use] = lr.coef_
        intercept = lr.intercept_
        if coef.shape[0] == 1:  # binary: class 1 score minus class 0 score
            coef = np.vstack([-0.5 * coef, 0.5 * coef])
            intercept = np.array([-0.5 * intercept[0], 0.5 * intercept[0]])
        self.feature_mean_ = mean
        self.feature_scale_ = scale
        self.readout_coef_ = coef
        self.readout_intercept_ = intercept

    def _rate_code_wins(self, z, y_idx, rate_cols):
        """Whether the count features alone do as well as all features (one-SE rule).

        Cross-validated per-sample errors (0/1) of a readout on the counts
        alone and on all features; the simpler readout is kept unless all
        features lower the error rate by more than one standard error of the
        paired difference (Hastie, Tibshirani & Friedman 2009, sec. 7.10). When the
        classes differ only in rate the counts are sufficient and the other
        features only add estimation noise.
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        n_folds = min(_CV_FOLDS, int(np.bincount(y_idx).min()))
        if n_folds < 2 or len(rate_cols) == z.shape[1]:
            return False
        folds = StratifiedKFold(n_folds, shuffle=True, random_state=0).split(z, y_idx)
        loss = np.zeros((2, len(y_idx)))
        for train, test in folds:
            for i, cols in enumerate((rate_cols, slice(None))):
                lr = LogisticRegression(C=self.C, max_iter=5000).fit(z[train][:, cols], y_idx[train])
                loss[i, test] = lr.predict(z[test][:, cols]) != y_idx[test]
        diff = loss[0] - loss[1]  # > 0 where all features do better
        return bool(diff.mean() <= diff.std() / np.sqrt(len(diff)))

    def _fit_readout(self, data, y_idx, n_classes):
        from sklearn.covariance import ledoit_wolf

        if self.decision == "rate":
            return
        if self.decision == "multiscale":
            self._fit_multiscale(data, y_idx)
            return
        feats = self._features(self._output_spikes(data))
        mean = feats.mean(axis=0)
        scale = feats.std(axis=0)
        scale[scale <= 1e-12 * np.maximum(1.0, np.abs(mean))] = np.inf
        z = (feats - mean) / scale
        centroids = np.vstack([z[y_idx == k].mean(axis=0) for k in range(n_classes)])
        resid = z - centroids[y_idx]
        n_feat = z.shape[1]
        if np.any(resid):
            cov = ledoit_wolf(resid, assume_centered=True)[0]
        else:
            cov = np.zeros((n_feat, n_feat))
        if not np.isfinite(cov).all():
            cov = np.diag(np.mean(resid**2, axis=0))
        cov = cov + _COV_FLOOR * np.eye(n_feat)
        coef = np.linalg.solve(cov, centroids.T).T
        self.feature_mean_ = mean
        self.feature_scale_ = scale
        self.centroids_ = centroids
        self.readout_coef_ = coef
        self.readout_intercept_ = -0.5 * np.einsum("kp,kp->k", coef, centroids)

    def _scores(self, X):
        check_is_fitted(self)
        with _threads_for(_n_rows(X)):
            data, _ = validate_spiking_input(self, X, reset=False, encoder="_encoder")
            check_snnlzc_predict(self, data)
            if self.decision == "multiscale":
                feats = self._multiscale_features(data)
            else:
                feats = self._features(self._output_spikes(data))
        if self.decision == "rate":
            n_classes = len(self.classes_)
            counts = feats.reshape(len(feats), n_classes, self.n_per_class)
            return counts.mean(axis=2) / self._n_steps_run
        z = (feats - self.feature_mean_) / self.feature_scale_
        return z @ self.readout_coef_.T + self.readout_intercept_

    def decision_function(self, X):
        """Linear discriminant scores of the classes (see Notes).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) for two
            classes (score of ``classes_[1]`` minus that of ``classes_[0]``).
        """
        return super().decision_function(X)

    @available_if(_has_discriminant)
    def predict_proba(self, X):
        """Class probabilities: softmax of the discriminant scores.

        These are the posteriors of the readout's Gaussian model (shared
        covariance, equal priors).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        scores = self._scores(X)
        scores = scores - scores.max(axis=1, keepdims=True)
        proba = np.exp(scores)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        return super().predict(X)

    def output_spikes(self, X):
        """Spike trains of the output layer.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        spikes : ndarray of shape (n_samples, n_steps, n_out), dtype uint8
        """
        check_is_fitted(self)
        with _threads_for(_n_rows(X)):
            data, _ = validate_spiking_input(self, X, reset=False, encoder="_encoder")
            return self._output_spikes(data)

    def count_operations(self, X):
        """Operation counts per sample of classifying ``X``.

        Encoder spikes (static input), the spiking layer (event-driven
        accumulates, neuron updates, spikes; from :func:`skspike.neurons.simulate`),
        for ``decision="multiscale"`` on spikes also the detector layer,
        and the readout (one multiply-accumulate per feature and class for the
        discriminant; one addition per output neuron for ``"rate"``, counted
        as dense operations). The LZC parse itself is not a NeuroBench
        operation and is not counted.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        counts : OperationCounts
        """
        from ..neurons import simulate

        check_is_fitted(self)
        data, _ = validate_spiking_input(self, X, reset=False, encoder="_encoder")
        counts = OperationCounts()
        if self.input_kind_ == "static" and getattr(self, "encoder_", None) is not None:
            if hasattr(self.encoder_, "count_operations"):
                counts = counts + self.encoder_.count_operations(X)
        _, layer = simulate(
            self.neuron_, data, self.coef_, bias=self.intercept_,
            n_steps=self._n_steps_run if data.ndim == 2 else None, dt=self.dt, output="counts",
        )
        if self.decision == "multiscale" and data.ndim == 3:
            from ..neurons import LIF

            det = self.detector_layer_
            _, det_ops = simulate(
                LIF(tau_m=det["tau_steps"] * self.dt, v_thresh=det["v_thresh"], reset="zero"),
                data, det["weights"], dt=self.dt, output="counts",
            )
            layer = layer + det_ops
        if self.decision == "rate":
            n_out = self.coef_.shape[1]
            readout = OperationCounts(dense_ops=float(n_out))
        else:
            n_feat = self.feature_mean_.shape[0]
            readout_ops = float(n_feat * len(self.classes_))
            readout = OperationCounts(
                synaptic_mac=readout_ops,
                dense_ops=readout_ops,
                footprint_bytes=int(
                    self.readout_coef_.nbytes + self.readout_intercept_.nbytes
                    + self.feature_mean_.nbytes + self.feature_scale_.nbytes
                ),
            )
        return counts + layer + readout
