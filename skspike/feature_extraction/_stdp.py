"""Unsupervised STDP feature learning (Diehl & Cook, 2015)."""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Hidden, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._ops import OperationCounts
from ..encoding import PoissonEncoder
from ..encoding._kernels import poisson_kernel
from ..neurons import LIF, AdaptiveLIF, NeuronModel
from ..neurons._models import DEPRECATED, resolve_neuron
from ..utils._limits import check_stdp
from ..utils._random import derive_seed
from ..utils._validation import validate_spiking_input
from ..plasticity._kernels import normalize_all

__all__ = ["STDPFeatureExtractor"]

# Samples per kernel call when a progress bar is shown / when a non-Poisson
# encoder has to materialise spike arrays (bounds memory).
_VERBOSE_CHUNK = 50
_ENCODE_BATCH = 256
# Cap on presentations of one sample under the min_spikes rule.
_MAX_PRESENTATIONS = 10
# Offset between the training and the transform random streams.
_TRANSFORM_STREAM = 0x5BD1E995
# Offset of the random streams of the OFF channels (off_channels).
_OFF_STREAM = 0x27D4EB2F
# weight_norm="auto": uniform weights give the mean training sample this many
# times the threshold gap (v_thresh - v_rest) of summed input per window ...
_AUTO_DRIVE = 12.0
# ... but a column never sums to more than this fraction of n_in * w_max, so
# learning can still concentrate the weights.
_AUTO_NORM_CAP = 0.5
# fit warns when more than this fraction of the training samples (last epoch)
# left the whole layer silent.
_SILENT_WARN = 0.5
# tau_theta="auto": equilibrium threshold per output spike per sample of the
# layer, theta_plus * tau_theta / (n_neurons * window), in mV: the paper's
# 0.05 mV * 1e7 ms / (400 neurons * 500 ms) = 2.5 mV.
_THETA_PER_SPIKE = 2.5
# The threshold time constant of a layer without adaptation (theta_jump = 0, or a LIF
# neuron): exp(-dt / 1e300) == 1.0, a threshold that never moves.
_FROZEN_TAU = 1e300
# The old flattened neuron scalars (deprecated) -> field of the neuron model.
_OLD_NEURON_SCALARS = {"tau_m": "tau_m", "v_rest": "v_rest", "v_reset": "v_reset",
                       "v_thresh": "v_thresh", "t_ref": "t_ref", "theta_plus": "theta_jump",
                       "tau_theta": "tau_adapt"}
# n_epochs="auto": at least this many training presentations per neuron ...
_PRESENTATIONS_PER_NEURON = 5
# ... and at least this many epochs.
_MIN_EPOCHS = 2


class STDPFeatureExtractor(TransformerMixin, BaseEstimator):
    """Unsupervised spike-timing-dependent plasticity features (Diehl & Cook 2015).

    A layer of ``n_neurons`` excitatory leaky integrate-and-fire neurons, all
    driven by every input channel, learns its input weights with pair-based
    STDP while lateral inhibition makes the neurons compete and adaptive
    thresholds keep any one of them from dominating. After ``fit`` each
    neuron's weights form a prototype of a part of the input distribution
    (for images, a digit-like template); ``transform`` reports how strongly
    each neuron responds (spike counts) with learning switched off.

    Parameters
    ----------
    n_neurons : int, default=400
        Number of excitatory neurons (output features).
    encoder : "poisson", transformer or None, default="poisson"
        How static ``X`` of shape (n_samples, n_features) becomes spikes.
        ``"poisson"`` is the paper's rate code: a
        :class:`~skspike.encoding.PoissonEncoder` with ``max_rate=63.75`` Hz
        (pixel / 4 for 8-bit images), 350 ms presentation and step ``dt``.
        A :class:`~skspike.encoding.PoissonEncoder` (any rate, window, fixed
        ``feature_range``) is simulated fused with the network: its spikes are
        drawn on the fly, never stored. Any other encoder is applied in
        batches. None: ``X`` must already be spike trains. 3-D input
        ``(n_samples, n_steps, n_channels)`` is always used as spikes.
    dt : float, default=1.0
        Simulation step in ms, the default step of every skspike encoder and
        classifier. An encoder with a ``dt`` must use the same; spike trains
        do not record their step, so trains made with another ``dt`` must be
        read with that ``dt`` (``fit`` warns when the layer stays silent, the
        usual symptom of a mismatch).
    neuron : AdaptiveLIF, LIF or None, default=None
        The excitatory neuron, a :mod:`skspike.neurons` model with scalar
        parameters (potentials in mV, times in ms). None is the Diehl & Cook
        neuron :meth:`AdaptiveLIF.diehl_cook() <skspike.neurons.AdaptiveLIF.diehl_cook>`:
        ``tau_m = 100`` ms, ``v_rest = -65`` mV (also the potential at the
        start of a sample), ``v_reset = -60`` mV, ``v_thresh = -52`` mV (the
        adaptive part ``theta`` adds to it), ``t_ref = 5`` ms (rounded to
        whole steps), ``theta_jump = 1.0`` mV and ``tau_adapt = "auto"``.
        Its parameters are reachable as ``neuron__tau_m`` etc. (``set_params``,
        ``GridSearchCV``). The adaptive threshold is the homeostasis of
        learning: during ``fit`` ``theta`` jumps by ``theta_jump`` per spike
        and decays with ``tau_adapt``; ``transform`` freezes it.
        ``theta_jump``: the paper's 0.05 mV suits 60000 samples x several
        epochs; on data sets of a few hundred to a few thousand samples a
        larger step is what makes the neurons specialise.
        ``tau_adapt="auto"`` keeps the paper's balance between threshold
        growth and decay, ``theta_jump * tau_adapt / (n_neurons * T_w) = 2.5``
        mV with ``T_w = n_steps * dt`` the presentation window (the paper:
        0.05 mV x 1e7 ms / (400 x 500 ms)), i.e. ``tau_adapt = 2.5 n_neurons
        T_w / theta_jump`` (400 s for the defaults behind a default
        ``PoissonEncoder``'s 400-step trains). At
        equilibrium the mean threshold increment is 2.5 mV per output spike
        per sample of the whole layer (see Notes), so thresholds follow the
        input drive instead of rising until the layer is silent. The fitted
        value is ``tau_theta_`` (and ``neuron_.tau_adapt``). A :class:`~skspike.neurons.LIF`
        has no adaptation (fixed thresholds). The extractor's kernel needs
        ``reset="zero"``, ``tau_syn=0`` and ``r_m=1`` (inputs are
        instantaneous voltage jumps, see Notes).
    synapse : SynapseModel or None, default=None
        A dynamic synapse (short-term plasticity, e.g.
        :class:`~skspike.synapses.TsodyksMarkram`) on every input channel of
        spike-train input: a spike through weight ``w`` moves the membrane by
        ``g e w`` with ``e`` its efficacy from the channel's own spike
        history (``synapse.efficacy(spikes, dt)``, each sample from rest);
        plasticity still counts the spike (traces jump to 1). Spike trains
        given as ``X`` or made by a non-Poisson encoder only (the fused
        Poisson encoder and OFF channels have no efficacy; ``fit`` raises).
        Parameters reachable as ``synapse__U`` etc.
    inhibition : float, default=5.0
        Lateral inhibition: each spike lowers the membrane potential of every
        other neuron by this many mV at the next step (0 disables it; large
        values give winner-take-all). BindsNET's Diehl & Cook network uses
        17.5 mV (a near winner-take-all layer for 784 pixels and 60000
        samples); the default 5 mV lets a few neurons answer each sample,
        a richer code on data sets of hundreds to thousands of samples
        (measured in ``benchmarks/bench_defaults.py``). This is the
        inhibition of learning; ``transform`` uses ``inference_inhibition``.
    inference_inhibition : float or None, default=0.5
        Lateral inhibition in mV per spike while ``transform`` reads the
        features (None: ``inhibition``, the code of learning). Learning
        needs a near winner-take-all layer (one neuron per prototype); read
        with the same inhibition a sample makes about 5 % of the neurons
        spike once each, a nearly binary code like a hard k-means
        assignment. With weaker inhibition (and a longer window, below)
        every neuron whose drive exceeds its threshold plus the inhibition
        of the others keeps firing, and its count grows with how well the
        sample matches its prototype: a graded code, the spiking form of
        the "triangle" k-means code of Coates & Ng [4]_ (see Notes).
    inference_window : int, default=16
        ``transform`` presents each sample for this many windows of
        ``n_steps`` back to back without resetting the layer and counts
        spikes over all of them: a spike train (given, or made by an
        encoder) is replayed, the fused Poisson encoder draws a train this
        many times longer. The count is the match score of the Notes
        quantised in steps of one spike, so its resolution grows with the
        window: with the default inhibition an active neuron of the digits
        layer fires about 2 spikes over 4 windows and about 9 over 16; a
        linear readout of the 16-window counts (96.0 %) comes close to one
        of the analog drive ``W^T x`` (96.4 %). Measured on digits, the
        tabular sets, MNIST-1D and UCR series in
        ``benchmarks/bench_defaults.py``.
        Costs this many times the work of one window (``count_operations``
        counts it). ``inference_window=1`` with
        ``inference_inhibition=None`` is the network exactly as trained.
    tau_trace : float, default=10.0
        Time constant in ms of the pre- and postsynaptic traces.
    nu_pre : float, default=1e-4
        Learning rate of depression, applied at presynaptic spikes.
    nu_post : float, default=5e-3
        Learning rate of potentiation, applied at postsynaptic spikes.
    x_tar : float, default=0.0
        Target value of the presynaptic trace: at a postsynaptic spike,
        inputs whose trace is below ``x_tar`` are depressed.
    w_max : float, default=1.0
        Upper weight bound (the lower bound is 0).
    mu : float, default=0.0
        Soft-bound exponent: 0 gives hard bounds (clipping only), larger
        values slow updates near the bounds.
    weight_norm : "auto", float or None, default="auto"
        Every neuron's input weights are rescaled to sum to this value before
        learning and after every sample it learned from. ``"auto"`` adapts it
        to the input: uniform weights give the mean training sample
        (``S`` input spikes) a summed input of 12 threshold gaps,
        ``12 (v_thresh - v_rest) n_in / S``, at most ``0.5 n_in w_max``
        (the fitted value is ``weight_norm_``; with 784 Poisson pixels at the
        paper's rates it is close to the paper's 78.4). When the cap binds
        (sparse codes: latency, population, one spike per channel or fewer)
        every input spike is scaled by the synaptic gain
        ``synaptic_gain_ = 12 (v_thresh - v_rest) n_in / (S 0.5 n_in w_max)``
        (mV per unit weight, else 1), so any encoder's mean sample brings
        the same 12 threshold gaps. None disables normalisation. Must not
        exceed ``n_in * w_max``.
    w_init : float, default=0.3
        Initial weights are drawn uniformly from [0, w_init), then normalised.
    min_spikes : int, default=5
        Poisson-encoded input only: a sample to which the layer answers with
        fewer output spikes is presented again with every rate raised by
        ``rate_increment`` (the paper's rule, in training and in
        ``transform``), at most 10 presentations. 0 disables repeats.
    rate_increment : float, default=32.0
        Rate increase in Hz (at intensity 1) per repeat.
    n_epochs : "auto" or int, default="auto"
        Passes over the data in ``fit`` (``partial_fit`` makes one).
        ``"auto"``: enough passes that the layer sees at least 5 training
        presentations per neuron, at least 2 (2 for 1000 or more samples
        with 400 neurons; 18 for 112 samples). The fitted value is
        ``n_epochs_``.
    off_channels : "auto" or bool, default="auto"
        Complement (ON/OFF) coding of rate-coded input: every input channel
        ``i`` gets an OFF twin firing at ``r_max_i - r_i``, with ``r_i`` the
        channel's rate over the window and ``r_max_i`` its largest rate in
        the training data (see Notes). ``"auto"``: for the fused Poisson
        encoder, and for spike trains (given, or made by another encoder)
        that pass the rate-code test
        ``skspike.classifiers._ngsnn_temporal.rate_coded`` (Poisson or
        Bernoulli trains: yes; latency, phase, population-latency codes: no,
        their timing already says how small a value is). The fitted choice
        is ``off_channels_``.
    output : {"counts", "spikes"}, default="counts"
        What ``transform`` returns: spike counts (n_samples, n_neurons) or
        spike trains (n_samples, n_steps, n_neurons) uint8.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights and the Poisson spikes.
    verbose : bool, default=False
        Show a tqdm progress bar over the training samples, with the spike
        throughput in its postfix.
    rule : PlasticityRule or None, default=None
        None: the pair STDP rule above (``nu_pre``, ``nu_post``, ``x_tar``,
        ``w_max``, ``mu``, ``tau_trace``), i.e. a nearest-spike
        :class:`~skspike.plasticity.PairSTDP` with those parameters. A
        :mod:`skspike.plasticity` rule (:class:`~skspike.plasticity.PairSTDP`,
        :class:`~skspike.plasticity.TripletSTDP`, ...) learns instead; its
        parameters are reachable as ``rule__<name>``. Those five scalars are
        then unused; ``w_max`` still bounds the initial weights and the
        normalisation, the rule's own bounds apply to learning. Either way
        the layer runs in the engine's event-driven loop
        (``skspike.neurons._kernels.run_events``): the same neuron,
        inhibition, homeostasis and normalisation for every rule.
    tau_m, v_rest, v_reset, v_thresh, t_ref, theta_plus, tau_theta : float, deprecated
        The neuron's former flattened parameters (``theta_plus`` is
        ``theta_jump``, ``tau_theta`` is ``tau_adapt`` of the neuron).
        Deprecated in 0.2, removed in 0.3: ``fit`` warns (FutureWarning) and
        uses them in place of the neuron's fields, e.g. ``tau_m=50.0`` gives
        the result of ``neuron=AdaptiveLIF.diehl_cook(tau_m=50.0)``.

    Attributes
    ----------
    neuron_ : AdaptiveLIF
        The neuron used, resolved (``tau_adapt`` a number: ``tau_theta_``, or
        1e300 for a threshold that never decays; a :class:`~skspike.neurons.LIF` becomes an
        AdaptiveLIF with ``theta_jump = 0``). A copy: the ``neuron`` given is
        never changed.
    weights_ : ndarray of shape (n_in, n_neurons)
        Learned input weights, each column summing to ``weight_norm_``.
    weight_norm_ : float
        Column sum used (0 without normalisation).
    synaptic_gain_ : float
        Membrane jump in mV per unit weight of an input spike (1 unless
        ``weight_norm="auto"`` meets its cap; see ``weight_norm``).
    tau_theta_ : float
        Threshold decay time constant used, in ms (inf without adaptation).
    n_epochs_ : int
        Passes over the data made by ``fit``.
    off_channels_ : bool
        Whether OFF channels are added (then ``n_in_`` is twice the input
        channels and rows ``n_in_ // 2:`` of ``weights_`` are the OFF ones).
    rate_max_ : ndarray of shape (n_channels,) or None
        Largest per-step rate of each input channel in the training spike
        trains (OFF channels of spike input only).
    theta_ : ndarray of shape (n_neurons,)
        Adaptive threshold increments in mV.
    thresholds_ : ndarray of shape (n_neurons,)
        Effective firing thresholds ``v_thresh + theta_`` in mV.
    n_samples_seen_ : int
        Samples learned from so far (epochs counted separately).
    n_presentations_ : int
        Presentations so far, repeats under ``min_spikes`` included.
    n_features_in_ : int
        Input features (static input) or channels (spike input).
    n_in_ : int
        Input channels of the network (after encoding).
    n_steps_ : int
        Time steps per sample.
    encoder_ : transformer
        The fitted encoder (static input only).
    input_kind_ : {"static", "spikes"}
        Kind of input seen in ``fit``.
    n_steps_in_ : int
        Time steps of the spike trains seen in ``fit`` (spike input only).

    See Also
    --------
    VoteClassifier : The paper's readout: neurons vote for their class.
    skspike.encoding.PoissonEncoder : The default rate code.

    Notes
    -----
    **Neurons** (``neuron``, with ``tau_m``, ``v_rest``, ``v_reset``,
    ``v_thresh``, ``t_ref``, ``theta_jump = theta_plus`` and ``tau_adapt =
    tau_theta`` its fields), per step of ``dt`` ms (exact exponential decay; refractory
    neurons are held at ``v_reset`` and ignore input):

    .. math::

        v_j \\leftarrow v_{rest} + (v_j - v_{rest}) e^{-dt/\\tau_m}
            + g \\sum_{i \\in \\mathrm{in}(t)} w_{ij}
            - c_{inh} \\sum_{k \\ne j} s_k(t-1)

    and neuron ``j`` spikes when ``v_j > v_thresh + theta_j``; then
    ``v_j = v_reset`` for ``t_ref`` ms. The inputs are instantaneous voltage
    jumps (current-based synapses with zero time constant) of ``g w_ij`` mV,
    ``g`` the synaptic gain (``synaptic_gain_``, 1 unless ``weight_norm="auto"``
    meets its cap). During learning
    ``theta_j`` decays with ``tau_theta`` and jumps by ``theta_plus`` per
    spike; ``transform`` freezes it. All state except ``theta`` is reset to
    rest between samples (the paper's 150 ms rest serves the same purpose).

    **ON/OFF input.** A rate code only says how *large* a value is: a neuron
    whose weights are normalised to a fixed sum receives ``sum_i w_i r_i``
    and cannot prefer small values. With the OFF twins (complement coding,
    as in fuzzy ART [3]_; the ON and OFF cells of the retina) the input of
    every sample has the same total rate ``sum_i r_max_i``, and a neuron
    whose weights follow a prototype ``(r', r_max - r')`` receives
    ``sum_i r_i r'_i + (r_max_i - r_i)(r_max_i - r'_i)``, largest for
    ``r = r'``: the competition picks the nearest prototype, for low and
    high values alike. OFF spikes of spike input are Bernoulli with
    probability ``min(1, max(0, r_max_i - n_i / T))`` per step, drawn from a
    stream keyed on the sample's content (``transform(X)[i]`` does not
    depend on the other rows); with the fused Poisson encoder the OFF
    channel of feature ``x`` fires at ``max_rate (1 - x)``.

    **Homeostasis.** With ``r_j`` neuron ``j``'s output spikes per sample,
    the threshold settles where growth balances decay,
    ``theta_j = theta_plus * tau_theta * r_j / T_w``; ``tau_theta="auto"``
    makes this ``2.5 mV * n_neurons * r_j``, the paper's ratio (the mean
    over the layer is 2.5 mV per output spike per sample). A layer
    whose input drive cannot reach the thresholds fires less and its
    thresholds decay until it fires again, whatever the encoder (rate
    codes bring hundreds of input spikes per sample, latency codes one per
    channel).

    **Traces**: ``x_i`` of input ``i`` and ``y_j`` of neuron ``j`` are set to
    1 at each spike and decay as ``exp(-dt / tau_trace)`` per step.

    **STDP** (weights clipped to ``[0, w_max]`` after every update):

    .. math::

        \\text{input } i \\text{ spikes:}\\quad
            \\Delta w_{ij} = -\\nu_{pre}\\, y_j\\, w_{ij}^{\\mu}

        \\text{neuron } j \\text{ spikes:}\\quad
            \\Delta w_{ij} = \\nu_{post}\\,(x_i - x_{tar})\\,(w_{max} - w_{ij})^{\\mu}

    the second being the paper's STDP rule [1]_. For a single pair with
    the presynaptic spike ``k`` steps before the postsynaptic one, the weight
    changes by ``nu_post * (exp(-k dt / tau_trace) - x_tar) * (w_max - w)**mu``;
    with the order reversed by ``-nu_pre * exp(-k dt / tau_trace) * w**mu``.

    **Order within a step**: input spikes are delivered first (and trigger
    depression, which therefore uses weights after delivery), then neurons are
    updated and fire, then potentiation runs with the presynaptic traces of
    the same step (a simultaneous pair counts as pre-before-post). After each
    training sample the columns of neurons that fired are renormalised.

    **Reading the features** (``transform``, learning and threshold
    adaptation off). The layer is the one above with ``c_inh =
    inference_inhibition`` and each sample presented for ``K =
    inference_window`` windows of ``T`` steps (the train ``s(t)`` replayed,
    ``s(t + kT) = s(t)``, or a ``K T``-step Poisson train); the feature of
    neuron ``j`` is its count ``n_j = sum_{t < K T} s_j(t)``. Over the
    window, with ``D_j = g sum_i w_ij N_i`` its summed input (``N_i`` the
    input spikes of channel ``i``) and ``theta_j`` its frozen threshold
    increment, a neuron that keeps firing obeys approximately

    .. math::

        n_j \\approx \\max\\Big(0,\\; \\frac{D_j^{\\mathrm{eff}} - (v_{thresh}
            + \\theta_j - v_{rest}) - c_{inh} \\sum_{k \\ne j} n_k}
            {v_{thresh} + \\theta_j - v_{reset}}\\Big)

    (``D^eff`` the input after the membrane leak), a rectified match score
    minus a share of the whole layer's activity: the triangle code
    ``max(0, mean_k z_k - z_j)`` of Coates & Ng [4]_ with the mean replaced
    by the inhibition of the other neurons' spikes. Learning's strong
    inhibition (``inhibition``) instead leaves one or a few winners with
    one spike each. Measured on digits, the tabular data sets, MNIST-1D and
    UCR series in ``benchmarks/bench_defaults.py``.

    The fused Poisson encoder draws its spikes with PoissonEncoder's own
    generator, seeded by the encoder's ``random_state`` when it is an int
    (else by the extractor's). During training a sample's stream is keyed
    on its global index (``n_samples_seen_``), so ``partial_fit`` on
    consecutive parts of a data set equals ``fit`` on the whole with one
    epoch, and every epoch draws new spikes. In ``transform`` it is keyed
    on the sample's values as in PoissonEncoder, so a sample's output does
    not depend on the other rows, and with an int encoder seed the first
    window holds exactly the spikes of ``encoder_.transform(X)`` (on the ON
    channels): with ``inference_window=1``, ``min_spikes=0`` and
    ``off_channels=False``, ``transform(X)`` equals
    ``transform(encoder_.transform(X))``. Longer windows continue the draw
    where the spike-train path replays the train; repeats of quiet samples
    draw new spikes at raised rates.

    Learning is sequential over samples; ``transform`` runs samples in
    parallel. Work per step is event-driven: one weight row per input spike
    plus one update per neuron.

    References
    ----------
    .. [1] P. U. Diehl and M. Cook, "Unsupervised learning of digit recognition
       using spike-timing-dependent plasticity", Frontiers in Computational
       Neuroscience 9:99, 2015. doi:10.3389/fncom.2015.00099
    .. [3] G. A. Carpenter, S. Grossberg and D. B. Rosen, "Fuzzy ART: fast
       stable learning and categorization of analog patterns by an adaptive
       resonance system", Neural Networks 4(6):759-771, 1991 (complement
       coding).
    .. [4] A. Coates and A. Y. Ng, "The importance of encoding versus
       training with sparse coding and vector quantization", ICML 2011
       (with A. Coates, H. Lee, A. Y. Ng, "An analysis of single-layer
       networks in unsupervised feature learning", AISTATS 2011: the
       triangle code).
    .. [2] H. Hazan et al., "BindsNET: a machine learning-oriented spiking
       neural networks library in Python", Frontiers in Neuroinformatics
       12:89, 2018 (the direct lateral-inhibition variant, DiehlAndCook2015v2).

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import PoissonEncoder
    >>> from skspike.feature_extraction import STDPFeatureExtractor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(20, 16)
    >>> stdp = STDPFeatureExtractor(
    ...     n_neurons=8,
    ...     encoder=PoissonEncoder(max_rate=200.0, n_steps=100),
    ...     random_state=0,
    ... ).fit(X)
    >>> stdp.weights_.shape
    (16, 8)
    >>> stdp.transform(X).shape
    (20, 8)
    """

    _parameter_constraints: dict = {
        "n_neurons": [Interval(Integral, 1, None, closed="left")],
        "encoder": [StrOptions({"poisson"}), HasMethods(["fit", "transform"]), None],
        "dt": [Interval(Real, 0, None, closed="neither")],
        "neuron": [NeuronModel, None],
        "synapse": [HasMethods(["efficacy", "kernel_params"]), None],
        "tau_m": [Interval(Real, 0, None, closed="neither"), Hidden(StrOptions({DEPRECATED}))],
        "v_rest": [Interval(Real, None, None, closed="neither"), Hidden(StrOptions({DEPRECATED}))],
        "v_reset": [Interval(Real, None, None, closed="neither"), Hidden(StrOptions({DEPRECATED}))],
        "v_thresh": [Interval(Real, None, None, closed="neither"), Hidden(StrOptions({DEPRECATED}))],
        "t_ref": [Interval(Real, 0, None, closed="left"), Hidden(StrOptions({DEPRECATED}))],
        "inhibition": [Interval(Real, 0, None, closed="left")],
        "inference_inhibition": [Interval(Real, 0, None, closed="left"), None],
        "inference_window": [Interval(Integral, 1, None, closed="left")],
        "theta_plus": [Interval(Real, 0, None, closed="left"), Hidden(StrOptions({DEPRECATED}))],
        "tau_theta": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither"),
                      Hidden(StrOptions({DEPRECATED}))],
        "tau_trace": [Interval(Real, 0, None, closed="neither")],
        "nu_pre": [Interval(Real, 0, None, closed="left")],
        "nu_post": [Interval(Real, 0, None, closed="left")],
        "x_tar": [Interval(Real, 0, 1, closed="both")],
        "w_max": [Interval(Real, 0, None, closed="neither")],
        "mu": [Interval(Real, 0, None, closed="left")],
        "weight_norm": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither"), None],
        "w_init": [Interval(Real, 0, None, closed="neither")],
        "min_spikes": [Interval(Integral, 0, None, closed="left")],
        "rate_increment": [Interval(Real, 0, None, closed="left")],
        "n_epochs": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "off_channels": [StrOptions({"auto"}), "boolean"],
        "output": [StrOptions({"counts", "spikes"})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "rule": [HasMethods(["kernel_params", "weight_change"]), None],
    }

    def __init__(
        self,
        n_neurons=400,
        *,
        encoder="poisson",
        dt=1.0,
        neuron=None,
        synapse=None,
        inhibition=5.0,
        inference_inhibition=0.5,
        inference_window=16,
        tau_trace=10.0,
        nu_pre=1e-4,
        nu_post=5e-3,
        x_tar=0.0,
        w_max=1.0,
        mu=0.0,
        weight_norm="auto",
        w_init=0.3,
        min_spikes=5,
        rate_increment=32.0,
        n_epochs="auto",
        off_channels="auto",
        output="counts",
        random_state=None,
        verbose=False,
        rule=None,
        tau_m=DEPRECATED,
        v_rest=DEPRECATED,
        v_reset=DEPRECATED,
        v_thresh=DEPRECATED,
        t_ref=DEPRECATED,
        theta_plus=DEPRECATED,
        tau_theta=DEPRECATED,
    ):
        self.n_neurons = n_neurons
        self.encoder = encoder
        self.dt = dt
        self.neuron = neuron
        self.synapse = synapse
        self.tau_m = tau_m
        self.v_rest = v_rest
        self.v_reset = v_reset
        self.v_thresh = v_thresh
        self.t_ref = t_ref
        self.inhibition = inhibition
        self.inference_inhibition = inference_inhibition
        self.inference_window = inference_window
        self.theta_plus = theta_plus
        self.tau_theta = tau_theta
        self.tau_trace = tau_trace
        self.nu_pre = nu_pre
        self.nu_post = nu_post
        self.x_tar = x_tar
        self.w_max = w_max
        self.mu = mu
        self.weight_norm = weight_norm
        self.w_init = w_init
        self.min_spikes = min_spikes
        self.rate_increment = rate_increment
        self.n_epochs = n_epochs
        self.off_channels = off_channels
        self.output = output
        self.random_state = random_state
        self.verbose = verbose
        self.rule = rule

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the input weights from ``X`` with STDP (``n_epochs`` passes).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)
            Static input (encoded by ``encoder``) or spike trains.
        y : None
            Ignored; learning is unsupervised.

        Returns
        -------
        self : object
            Fitted extractor.
        """
        for attr in ("weights_", "theta_", "n_samples_seen_"):
            if hasattr(self, attr):
                delattr(self, attr)
        self.neuron_ = self._resolve_neuron()
        source = self._validate_source(X, reset=True)
        check_stdp(self, source, self._planned_epochs(source["n_samples"]))
        self._initialize(source)
        self._learn(source, self.n_epochs_)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Continue learning on ``X`` (one pass, samples in order).

        The first call initialises the network as ``fit`` does (including the
        encoder's scaling, learned from this first batch unless the encoder
        has a fixed ``feature_range``, which streaming use should set, and
        the top rates of OFF channels of spike input: set ``off_channels``
        explicitly and stream representative batches); later
        calls must have the same number of features (and steps, for spike
        input).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)
            Static input or spike trains.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Updated extractor.
        """
        first = not hasattr(self, "weights_")
        if first:
            self.neuron_ = self._resolve_neuron()
        source = self._validate_source(X, reset=first)
        check_stdp(self, source, 1)
        if first:
            self._initialize(source)
        self._learn(source, 1)
        return self

    # ------------------------------------------------------------ transform
    def transform(self, X):
        """Responses of the frozen network (no plasticity, fixed thresholds).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)
            Static input or spike trains, of the kind seen in ``fit``.

        Returns
        -------
        out : ndarray
            ``output="counts"``: spike counts of shape (n_samples, n_neurons),
            float64, summed over ``inference_window`` windows.
            ``output="spikes"``: spike trains of shape
            (n_samples, inference_window * n_steps, n_neurons), uint8.
        """
        counts, spikes, _ = self._infer(X, record=self.output == "spikes")
        if self.output == "spikes":
            return spikes
        return counts.astype(np.float64)

    def count_operations(self, X):
        """Operation counts of ``transform(X)``, averaged per sample.

        ``synaptic_ac`` counts one accumulate per input spike per neuron
        (fan-out ``n_neurons``) plus one per output spike per inhibited
        neuron (fan-out ``n_neurons - 1``); ``dense_ops`` is what the same
        connections would cost if evaluated at every step. The encoder's own
        work is not included.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        counts : OperationCounts
        """
        counts, _, stats = self._infer(X, record=False)
        n_samples = counts.shape[0]
        presented = stats["presentations"]
        n_in, n_neurons = self.weights_.shape
        # Repeated presentations (min_spikes rule) cost whole extra windows;
        # each presentation lasts inference_window windows.
        n_steps = (self.n_steps_ * int(self.inference_window) * presented.sum(dtype=np.int64)
                   / n_samples)
        inhibits = self._readout_inhibition() > 0
        out_spikes = stats["out_spikes"].sum(dtype=np.int64) / n_samples
        in_mean = stats["in_spikes"].sum(dtype=np.int64) / n_samples
        n_lateral = n_neurons * (n_neurons - 1) if inhibits else 0
        state_bytes = n_neurons * (8 + 8 + 8 + 8 + 1)  # v, input, refractory, theta, flags
        return OperationCounts(
            synaptic_ac=float(in_mean * n_neurons + out_spikes * (n_neurons - 1) * inhibits),
            dense_ops=float(n_steps * (n_in * n_neurons + n_lateral)),
            neuron_updates=float(n_steps * n_neurons),
            spikes=float(out_spikes),
            n_activations=float(n_steps * n_neurons),
            n_connections=int(n_in * n_neurons + n_lateral),
            n_zero_connections=int(np.count_nonzero(self.weights_ == 0.0)),
            footprint_bytes=int(self.weights_.nbytes + state_bytes),
        )

    def get_feature_names_out(self, input_features=None):
        """Output names ``stdpfeatureextractor0, ...`` (one per neuron)."""
        check_is_fitted(self)
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{j}" for j in range(self.n_neurons)], dtype=object)

    # -------------------------------------------------------------- helpers
    def _encoder_template(self):
        if isinstance(self.encoder, str):
            return PoissonEncoder(max_rate=63.75, n_steps=int(round(350.0 / self.dt)),
                                  dt=self.dt)
        enc = self.encoder
        enc_dt = getattr(enc, "dt", None)
        if enc_dt is not None and not np.isclose(float(enc_dt), float(self.dt)):
            raise ValueError(
                f"The encoder's dt ({enc_dt} ms) differs from the network's dt "
                f"({self.dt} ms); set both to the same step."
            )
        return enc

    def _resolve_neuron(self):
        """The neuron of ``fit``: ``neuron`` (default Diehl & Cook), old scalars applied.

        An independent AdaptiveLIF (a LIF becomes one without adaptation);
        ``tau_adapt`` may still be "auto" (resolved in ``_initialize``).
        Raises ValueError for what the extractor's kernel cannot run.
        """
        neuron = self.neuron
        if isinstance(neuron, LIF):  # no adaptation: a fixed threshold
            neuron = AdaptiveLIF(**neuron.get_params(), theta_jump=0.0, tau_adapt="auto")
        old = {name: (field, getattr(self, name)) for name, field in _OLD_NEURON_SCALARS.items()}
        neuron = resolve_neuron(
            type(self).__name__, neuron, AdaptiveLIF.diehl_cook, allowed=(AdaptiveLIF,),
            deprecated=old, replacement=", e.g. neuron=AdaptiveLIF.diehl_cook(tau_m=..., "
            "theta_jump=..., tau_adapt=...) (theta_plus is theta_jump, tau_theta is tau_adapt)",
        )
        name = type(self).__name__
        if neuron.n_neurons is not None:
            raise ValueError(
                f"{name}: the neuron must have scalar parameters (one model for the layer); got "
                f"per-neuron arrays of length {neuron.n_neurons}."
            )
        for field, value, why in (("reset", "zero", "the membrane is set to v_reset"),
                                  ("tau_syn", 0.0, "inputs are instantaneous voltage jumps"),
                                  ("r_m", 1.0, "a spike through w moves the membrane by g w mV")):
            if getattr(neuron, field) != value:
                raise ValueError(
                    f"{name} needs a neuron with {field}={value!r} ({why}); got "
                    f"{field}={getattr(neuron, field)!r}."
                )
        return neuron

    def _validate_source(self, X, *, reset):
        """Validated input as a dict the kernels can consume."""
        data, _ = validate_spiking_input(self, X, reset=reset, encoder=None)
        if data.ndim == 3:
            data = np.ascontiguousarray(data)
            if reset:
                self._fit_off_channels(data)
            n_in = data.shape[2] * (2 if self.off_channels_ else 1)
            return {"kind": "spikes", "spikes": data, "n_in": n_in,
                    "n_steps": data.shape[1], "n_samples": data.shape[0]}
        if self.encoder is None:
            raise ValueError(
                "STDPFeatureExtractor with encoder=None needs spike trains of shape "
                "(n_samples, n_steps, n_channels); got static 2-D data. Pass an encoder "
                "(e.g. encoder='poisson') to encode static input."
            )
        if reset:
            self.encoder_ = clone(self._encoder_template()).fit(data)
        enc = self.encoder_
        if type(enc) is PoissonEncoder and self.synapse is None:  # fused: spikes never stored
            intensities = enc.intensities(data)
            if reset:
                self.off_channels_ = self.off_channels in ("auto", True)
                self.rate_max_ = None
            prob = enc.spike_probability(intensities)
            if self.off_channels_:
                prob = np.hstack([prob, enc.spike_probability(1.0 - intensities)])
            prob = np.ascontiguousarray(prob)
            return {"kind": "poisson", "prob": prob, "n_in": prob.shape[1],
                    "n_steps": int(enc.n_steps), "n_samples": prob.shape[0]}
        first = enc.transform(data[:_ENCODE_BATCH] if reset else data[:1])
        if reset:
            self._fit_off_channels(first)
        n_in = first.shape[2] * (2 if self.off_channels_ else 1)
        return {"kind": "encoded", "X": data, "n_in": n_in,
                "n_steps": first.shape[1], "n_samples": data.shape[0]}

    def _fit_off_channels(self, spikes):
        """Decide on OFF channels from training trains; record each channel's top rate."""
        if self.off_channels == "auto":
            from ..classifiers._ngsnn_temporal import rate_coded

            self.off_channels_ = rate_coded(spikes)
        else:
            self.off_channels_ = bool(self.off_channels)
        self.rate_max_ = (spikes.sum(axis=1, dtype=np.int64).max(axis=0) / spikes.shape[1]
                          if self.off_channels_ and spikes.shape[0] else None)

    def _off_probability(self, spikes):
        rate = spikes.sum(axis=1, dtype=np.int64) / spikes.shape[1]
        return np.ascontiguousarray(np.clip(self.rate_max_ - rate, 0.0, 1.0))

    def _with_off(self, spikes):
        """``spikes`` with the OFF twins appended on the channel axis (see Notes)."""
        if not self.off_channels_:
            return spikes
        off = poisson_kernel(self._off_probability(spikes), spikes.shape[1], self._seed ^ _OFF_STREAM)
        return np.ascontiguousarray(np.concatenate([spikes, off], axis=2))

    def _batches(self, source, size):
        """Yield ``(start, stop, payload)`` for kernel calls."""
        n = source["n_samples"]
        kind = source["kind"]
        for start in range(0, n, size):
            stop = min(start + size, n)
            if kind == "spikes":
                yield start, stop, self._with_off(source["spikes"][start:stop])
            elif kind == "poisson":
                yield start, stop, source["prob"][start:stop]
            else:
                spikes = self.encoder_.transform(source["X"][start:stop])
                yield start, stop, self._with_off(np.ascontiguousarray(spikes, dtype=np.uint8))

    def _mean_input_spikes(self, source):
        """Mean number of input spikes per training sample (all channels, OFF ones included)."""
        n = max(source["n_samples"], 1)
        if source["kind"] == "poisson":
            return float(source["prob"].sum()) / n * source["n_steps"]
        if source["kind"] == "spikes":
            head = source["spikes"]
        else:
            head = self.encoder_.transform(source["X"][:_ENCODE_BATCH])
        total = float(head.sum(dtype=np.int64)) / max(head.shape[0], 1)
        if self.off_channels_ and head.shape[0]:
            total += float(self._off_probability(head).sum()) / head.shape[0] * head.shape[1]
        return total

    def _resolve_norm(self, n_in, mean_spikes):
        """``(column sum, synaptic gain)``: ``weight_norm``, or the "auto" rule (see Notes)."""
        if self.weight_norm is None:
            return 0.0, 1.0
        if self.weight_norm == "auto":
            gap = float(self.neuron_.v_thresh - self.neuron_.v_rest)
            cap = _AUTO_NORM_CAP * n_in * float(self.w_max)
            if gap <= 0.0 or mean_spikes <= 0.0:
                return cap, 1.0
            norm = _AUTO_DRIVE * gap * n_in / mean_spikes
            # sparse codes (few spikes per channel): the weights stay below the
            # cap and every spike counts more, so the drive is the same
            return min(norm, cap), max(1.0, norm / cap)
        norm = float(self.weight_norm)
        if norm > n_in * self.w_max:
            raise ValueError(
                f"weight_norm={norm} cannot be reached with {n_in} inputs bounded by "
                f"w_max={self.w_max}; use weight_norm <= n_in * w_max."
            )
        return norm, 1.0

    def _readout_inhibition(self):
        """Lateral inhibition (mV per spike) of ``transform``: ``inference_inhibition`` or ``inhibition``."""
        if self.inference_inhibition is None:
            return float(self.inhibition)
        return float(self.inference_inhibition)

    def _poisson_seed(self, *, transform):
        """Seed of the fused Poisson spikes of ``fit`` or ``transform`` (see Notes).

        The encoder's seed when it has an int ``random_state`` (then the
        spikes of ``transform`` are those of ``encoder_.transform``); else the
        extractor's, with its own stream for ``transform``.
        """
        enc_state = getattr(getattr(self, "encoder_", None), "random_state", None)
        if isinstance(enc_state, Integral) and not isinstance(enc_state, bool):
            return derive_seed(enc_state)
        return self._seed ^ _TRANSFORM_STREAM if transform else self._seed

    def _rate_step(self):
        max_rate = float(getattr(self.encoder_, "max_rate", 0.0))
        if max_rate <= 0.0:
            return 0.0
        return float(self.rate_increment) / max_rate

    def _initialize(self, source):
        n_in, n_steps = source["n_in"], source["n_steps"]
        self.weight_norm_, self.synaptic_gain_ = self._resolve_norm(n_in, self._mean_input_spikes(source))
        self._seed = derive_seed(self.random_state)
        rng = np.random.RandomState(self._seed)
        weights = rng.uniform(0.0, self.w_init, size=(n_in, self.n_neurons))
        weights = np.minimum(weights, self.w_max)
        norm = self.weight_norm_
        if norm > 0.0:
            normalize_all(weights, norm, float(self.w_max))
        self.weights_ = weights
        neuron = self.neuron_
        theta_plus = neuron.theta_jump
        if isinstance(neuron.tau_adapt, str):  # "auto"
            window = n_steps * float(self.dt)
            self.tau_theta_ = (_THETA_PER_SPIKE * self.n_neurons * window / theta_plus
                               if theta_plus > 0 else np.inf)
        else:
            self.tau_theta_ = float(neuron.tau_adapt)
        self.neuron_ = neuron.set_params(tau_adapt=min(self.tau_theta_, _FROZEN_TAU))
        self.n_epochs_ = self._planned_epochs(source["n_samples"])
        self.theta_ = np.zeros(self.n_neurons)
        self.thresholds_ = neuron.v_thresh + self.theta_
        self.n_samples_seen_ = 0
        self.n_presentations_ = 0
        self.n_in_ = n_in
        self.n_steps_ = n_steps

    def _planned_epochs(self, n_samples):
        """Training epochs of ``fit`` on ``n_samples`` samples (``n_epochs``, or the "auto" rule)."""
        if self.n_epochs == "auto":
            need = -(-_PRESENTATIONS_PER_NEURON * self.n_neurons // max(n_samples, 1))
            return int(max(_MIN_EPOCHS, need))
        return int(self.n_epochs)

    def _learn(self, source, n_epochs):
        from ..plasticity import _network  # the engine's plastic layer (default pair STDP or rule)

        n_samples = source["n_samples"]
        net = _network.setup(self, source["n_steps"], learn=True)
        self.weights_ = weights = np.require(self.weights_, np.float64, ["C", "W"])
        self.theta_ = theta = np.require(self.theta_, np.float64, ["C", "W"])
        bar = None
        if self.verbose:
            from tqdm.auto import tqdm

            bar = tqdm(total=n_samples * n_epochs, desc="STDP", unit="sample")
        chunk = _VERBOSE_CHUNK if bar is not None else _ENCODE_BATCH
        if source["kind"] == "poisson" and bar is None:
            chunk = max(n_samples, 1)
        seed = self._poisson_seed(transform=False) if source["kind"] == "poisson" else self._seed
        started = time.perf_counter()
        n_spikes = 0
        n_silent = 0
        try:
            for _ in range(n_epochs):
                n_silent = 0
                for start, stop, payload in self._batches(source, chunk):
                    counts = np.zeros((stop - start, self.n_neurons), dtype=np.int64)
                    in_spikes = np.zeros(stop - start, dtype=np.int64)
                    presented = np.ones(stop - start, dtype=np.int64)
                    _network.learn_batch(self, net, source["kind"], payload, weights, theta, counts,
                                         in_spikes, presented, seed, _MAX_PRESENTATIONS)
                    self.n_samples_seen_ += stop - start
                    self.n_presentations_ += int(presented.sum())
                    n_silent += int(np.count_nonzero(counts.sum(axis=1) == 0))
                    if bar is not None:
                        n_spikes += int(in_spikes.sum()) + int(counts.sum())
                        elapsed = max(time.perf_counter() - started, 1e-9)
                        bar.update(stop - start)
                        bar.set_postfix(spikes_per_s=f"{n_spikes / elapsed:.3g}",
                                        out_per_sample=f"{counts.sum() / (stop - start):.1f}",
                                        repeats=f"{presented.mean():.2f}")
        finally:
            if bar is not None:
                bar.close()
        self.thresholds_ = self.neuron_.v_thresh + theta
        # (input without any spike is no time-base problem: nothing to warn about)
        if n_samples > 0 and n_silent > _SILENT_WARN * n_samples and self._mean_input_spikes(source) > 0:
            self._warn_silent(source, n_silent / n_samples)
        return self

    def _warn_silent(self, source, fraction):
        n_steps = source["n_steps"]
        duration = n_steps * float(self.dt)
        mean_spikes = self._mean_input_spikes(source)
        rate = mean_spikes / max(source["n_in"], 1) / duration * 1000.0
        warnings.warn(
            f"STDPFeatureExtractor: the layer stayed silent on {fraction:.0%} of the training "
            f"samples, so it learned little. Read with dt={self.dt} ms, the input trains last "
            f"{n_steps} steps = {duration:g} ms and bring {mean_spikes:.1f} spikes per sample "
            f"({rate:.3g} Hz per channel). Spike trains do not record their step: if they were "
            f"made with another dt, set the same dt here; otherwise give the encoder more steps "
            f"or a higher max_rate, or raise weight_norm.",
            UserWarning,
            stacklevel=3,
        )

    def _infer(self, X, *, record):
        check_is_fitted(self)
        source = self._validate_source(X, reset=False)
        window = int(self.inference_window)
        check_stdp(self, {**source, "n_steps": source["n_steps"] * window}, 0, record=record)
        if source["n_in"] != self.n_in_ or source["n_steps"] != self.n_steps_:
            raise ValueError(
                f"X encodes to {source['n_in']} channels x {source['n_steps']} steps, but "
                f"the network was fitted on {self.n_in_} x {self.n_steps_}."
            )
        from ..plasticity import _network  # the engine's plastic layer (default pair STDP or rule)

        n_samples = source["n_samples"]
        net = _network.setup(self, self.n_steps_, learn=False)
        # the readout (see Notes): its own inhibition, in the engine's input units
        # as in _network._inhibition, and window windows per presentation
        net["inhibition"] = self._readout_inhibition() / float(getattr(self, "synaptic_gain_", 1.0))
        net["n_steps"] = n_steps = self.n_steps_ * window
        counts = np.zeros((n_samples, self.n_neurons), dtype=np.int64)
        in_spikes = np.zeros(n_samples, dtype=np.int64)
        presented = np.ones(n_samples, dtype=np.int64)
        out_total = np.zeros(n_samples, dtype=np.int64)
        shape = (n_samples, n_steps, self.n_neurons) if record else (n_samples, 0, 0)
        spikes_out = np.zeros(shape, dtype=np.uint8)
        # The kernel is compiled for writeable arrays (it learns with them too);
        # copies only if the fitted arrays are read-only (e.g. memory-mapped).
        weights = np.require(self.weights_, np.float64, ["C", "W"])
        theta = np.require(self.theta_, np.float64, ["C", "W"])
        chunk = max(n_samples, 1) if source["kind"] == "poisson" else max(1, _ENCODE_BATCH * 4 // window)
        for start, stop, payload in self._batches(source, chunk):
            if source["kind"] != "poisson" and window > 1:  # the train replayed, no reset between
                payload = np.ascontiguousarray(np.tile(payload, (1, window, 1)))
            _network.infer_batch(self, net, source["kind"], payload, weights, theta, counts[start:stop],
                                 in_spikes[start:stop], presented[start:stop], out_total[start:stop],
                                 spikes_out[start:stop], record, self._poisson_seed(transform=True),
                                 _MAX_PRESENTATIONS)
        return counts, spikes_out, {"in_spikes": in_spikes, "out_spikes": out_total,
                                    "presentations": presented}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        tags.non_deterministic = False
        return tags
