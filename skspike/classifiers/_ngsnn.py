"""NGSNNClassifier: a spiking classifier that grows its hidden layer by neurogenesis."""

import math
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import _fit_context
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import ThreadpoolController

from .._ops import OperationCounts
from ..neurons import LIF, NeuronModel, simulate
from ..utils._limits import check_ngsnn_fit, check_ngsnn_predict
from ..utils._random import derive_seed
from ..utils._threads import numba_threads, threads_from_n_jobs
from ..utils._validation import validate_spiking_input
from ._base import BaseSpikingClassifier
from ._ngsnn_blocks import blocked_matmul, run_blocks
from ._ngsnn_candidates import CandidateFamily, GrowthContext, NeuronSim, resolve_candidates
from ._ngsnn_kernels import readout_kernel
from ._ngsnn_solver import GrowingColumns, IncrementalRidge
from ._ngsnn_temporal import TemporalCandidates

__all__ = ["NGSNNClassifier"]

# "auto" sizes: growth runs on at most _AUTO_GROWTH_SAMPLES training samples and grows
# up to max(_AUTO_MIN_NEURONS, n_growth_samples) neurons (one per equation of the readout),
# fewer if the growth state would not fit memory_limit.
_AUTO_GROWTH_SAMPLES = 5000
_AUTO_MIN_NEURONS = 300
# Early stopping waits max(n_iter_no_change, _PATIENCE * best size) neurons.
_PATIENCE = 0.25
# Growth also stops when the last doubling of the layer brought less than
# _PLATEAU * min(1, n k^2 / _PLATEAU_WORK) of the validation-loss improvement made so far
# (checked from 2 * n_iter_no_change neurons on): n k^2 multiply-adds is the work of
# growing k neurons on n samples, so cheap neurons need no minimum gain.
_PLATEAU = 0.05
_PLATEAU_WORK = 3e10
# ... or less than _PLATEAU_Z standard errors of the paired per-sample validation losses.
_PLATEAU_Z = 2.0
# Candidates scored exactly per pool (at least), after a bound-based preselection;
# the preselection runs on at most _SCORE_SAMPLES samples.
_EXACT_MIN = 24
_SCORE_SAMPLES = 1000
_MAX_PER_STEP = 32
_READOUT_BATCH = 4096
# Columns per panel of the blocked Gram update of the final readout.
_GRAM_PANEL = 256
_KEEP_ACTIVITY_BYTES = 2**28

# Standardised static inputs are clipped to +-_CLIP standard deviations.
_CLIP = 2.5
# Membrane time constant (in steps) of the default neuron of temporal candidates.
_TEMPORAL_TAU_M = 2.0


class NGSNNClassifier(BaseSpikingClassifier):
    r"""Neurogenesis-inspired spiking classifier (NG-SNN).

    One hidden layer of spiking neurons grows from empty: at each step a
    pool of candidate neurons, drawn from the data (receptive fields with
    calibrated thresholds by default), is simulated on the training set; the
    candidates that most reduce the residual of the one-hot targets are
    integrated, best exact contribution first, and the readout is re-solved
    in closed form with an activity-dependent ridge penalty. Growth goes on
    while the held-out loss improves. There is no iterative training and no
    hand-set layer size.

    Parameters
    ----------
    neuron : skspike.neurons model or None, default=None
        Hidden neuron model with scalar parameters (LIF, AdaptiveLIF,
        Izhikevich, MetaNeuron). None means ``LIF()`` (``tau_m=20`` ms,
        threshold 1, reset to 0); with temporal candidates (series and
        spike trains, see Notes) ``LIF(tau_m=2 * dt)``: the delays do the
        temporal integration, the membrane only smooths over two steps.
        Its parameters are reachable as ``neuron__tau_m`` etc.
        (``set_params``, ``GridSearchCV``); ``neuron_`` is the model used.
    synapse : SynapseModel or None, default=None
        A dynamic synapse (short-term plasticity, e.g.
        :class:`~skspike.synapses.TsodyksMarkram`) on every input channel
        of spike-train input: each spike is scaled by its efficacy
        ``synapse.efficacy(spikes, dt)`` (from the channel's own history,
        each sample from rest), and the efficacy-weighted events are read as
        a real-valued series by the temporal candidates (dense path; the
        rate-code route of spike trains is not taken). Needs spike trains
        given as ``X`` and temporal candidates (``"auto"`` or
        ``"temporal"``). Parameters reachable as ``synapse__U`` etc.
    encoder : estimator or None, default=None
        Encoder turning static ``X`` into spike trains (e.g.
        :class:`~skspike.encoding.PoissonEncoder`), fitted on ``X``. None
        uses direct current encoding: each neuron receives the constant
        current ``x~ @ W + b`` (``x~`` the standardised features, see Notes)
        for ``n_steps`` steps. 3-D input is used as it is: float arrays as
        real-valued series (input currents), uint8 (or integer/bool) 0/1
        arrays as spike trains.
    n_steps : int, default=30
        Simulated steps for direct current encoding (spike-train input
        brings its own number of steps).
    dt : float, default=1.0
        Step length in ms.
    activity : {"trace", "rate"}, default="trace"
        Neuron activity read by the readout. ``"rate"``: spikes per step,
        ``r_j = (1/T) sum_t s_j[t]``. ``"trace"``: time average of the
        neuron's cumulative spike count (a non-leaky synaptic trace),
        ``a_j = (1/T^2) sum_t (T - t) s_j[t]``, which also sees *when* the
        spikes came (earlier = stronger input), so a 30-step window resolves
        the input current more finely than a count.
    candidates : {"auto", "fields", "sampled", "uniform", "temporal"} or CandidateFamily, default="auto"
        Where candidate neurons come from (see
        ``skspike.classifiers._ngsnn_candidates`` for the distributions):
        ``"fields"``, receptive fields of correlated features with thresholds
        at quantiles of the training data (``ReceptiveFieldCandidates``);
        ``"sampled"``, directions between pairs of training samples of
        different classes, half of them picked where the residual is large
        (``SampledCandidates``, after SWIM); ``"uniform"``, the uniform
        random weights of stochastic configuration networks; ``"temporal"``,
        neurons with synaptic delays for series and spike trains
        (``skspike.classifiers._ngsnn_temporal.TemporalCandidates``,
        see Notes); or a family instance. ``"auto"`` picks by input kind:
        series and spike trains passed as ``X`` get ``"temporal"``; static
        ``X`` (also when ``encoder`` turns it into spikes, whose timing
        carries no information of the data) gets ``"fields"``. The
        delay-free families take spike trains with ``candidates=name``;
        real-valued series need the temporal family.
    n_candidates : int, default=200
        Candidate neurons drawn per growth step (temporal candidates: units,
        each neuron offering one per pooled statistic). When more than needed for
        the exact score (``max(24, 4 * neurons per step)``), they are first
        ranked by a cheap lower bound of their contribution on at most 1,000
        training samples.
    scales : tuple of float, default=(0.5, 1.0, 2.0, 4.0)
        Gains of the candidates' input currents (the ``lambda`` list of
        stochastic configuration networks), in rheobases (per standard
        deviation of the projection for ``"fields"``). Small scales give
        neurons that respond almost linearly, large ones sharply tuned
        neurons.
    growth_threshold : float, default=0.0
        Minimum relative contribution ``delta J / J`` of a neuron (fraction of
        the current regularised training residual it removes). The default 0
        lets the validation loss alone decide when to stop (a neuron with a
        small relative contribution on a hard problem can still improve the
        held-out score). A positive value is the compactness knob: it stops
        growth as soon as the best candidate removes less than that fraction,
        trading accuracy for fewer neurons (less energy and faster predict);
        e.g. 1e-3 gives networks of tens of neurons on small tabular data.
    max_neurons : int or "auto", default="auto"
        Maximum number of hidden neurons. ``"auto"``: one neuron per
        equation of the readout on the growth samples, ``K = max(300,
        n_grow)`` (``n_grow`` of ``growth_samples``; at least 300 because
        small data sets still gain from neurons beyond their number of
        samples, where the penalty keeps the readout from interpolating),
        lowered to the largest ``K`` whose growth state fits
        ``memory_limit`` (see Notes, **Memory**): ``8 (K + 1)^2 + 8 (n_grow
        + m + n_val) (K + 1)`` bytes plus the candidate pool and the growth
        inputs. The growth work is ``O(n_grow K^2)``, at most ``O(n_grow^3)``.
        The validation rules (``early_stopping``) end growth before ``K``
        when the held-out loss stops improving; on hard data whose loss
        still falls like ``log k`` (MNIST-1D) growth reaches ``K`` and
        ``stop_reason_`` says which bound it was (``"growth_samples"`` or
        ``"memory_limit"``; ``"max_neurons"`` for an integer).
    neurons_per_step : int or "auto", default="auto"
        Neurons integrated per growth step (greedily from one pool, each
        scored exactly after the previous ones were added, so redundant
        candidates lose their gain). ``"auto"``: ``min(32, k // 8, n // 200)``
        (at least 1) at layer size ``k`` with ``n`` growth samples: one at a
        time for small data or small layers, up to 32 for large ones.
    growth_samples : int or "auto", default="auto"
        Training samples the growth loop (candidate simulation and the
        incremental readout) runs on; ``"auto"``: at most 5,000 (with
        ``max_neurons="auto"`` the growth work ``n_grow k^2`` is then at most
        ``5000^3 = 1.25e11`` multiply-adds, whatever the size of the data). The final readout is always solved on all training data,
        in batches.
    memory_limit : float, default=4e9
        Bytes the growth may use. The need (see Notes) is computed before
        anything is allocated. With ``max_neurons="auto"`` the cap is
        lowered to fit it (``stop_reason_ == "memory_limit"`` if growth
        reaches that cap); with an integer ``max_neurons`` (or when even the
        candidate pool and the growth inputs do not fit) ``fit`` raises a
        MemoryError saying how much it would need.
    alpha : float, default=2.5
        Strength of the activity-dependent readout penalty (see Notes).
    tol : float, default=1e-4
        Growth stops when the regularised training residual falls below
        ``tol`` times that of the empty network.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the training data (stratified)
        and let the validation loss ``L(k)`` (mean squared error of the
        readout against the one-hot targets, relative to the intercept-only
        model, measured after every growth step) decide the size. With
        ``L*(k)`` the best loss at sizes up to ``k`` and ``k_best`` its size,
        growth stops when

        (a) ``L`` has not improved for ``max(n_iter_no_change, k_best / 4)``
        neurons, ``k - k_best >= max(n_iter_no_change, k_best / 4)``
        (``stop_reason_ == "early_stopping"``: the network overfits), or

        (b) from ``2 * n_iter_no_change`` neurons on, the last doubling of
        the layer brought less than a share ``f(k)`` of the validation
        improvement made so far, for the work it cost, or the last two
        doublings brought less than the noise of the validation estimate,

        .. math:: L^*(k/2) - L^*(k) < f(k)\,(L^*(0) - L^*(k))
                  \quad\text{or}\quad
                  L^*(k/4) - L^*(k) < \frac{2\, s_d}{\sqrt{n_{val}}},\qquad
                  f(k) = 0.05 \min\left(1, \frac{n_{grow} k^2}{3 \cdot 10^{10}}\right)

        (``"validation_plateau"``). Noise: ``L`` is the mean over the
        validation samples of their losses ``e_i``; ``s_d`` is the standard
        deviation of the paired differences ``d_i = e_i(k/4) - e_i(k)``
        between the best sizes up to ``k/4`` and up to ``k``, so a gain
        below two standard errors is not told from chance (this is what
        stops small data sets, whose few validation samples cannot resolve
        further gains; two doublings, because on hard data whose loss falls
        like ``log k`` one doubling's gain can be within the noise of a
        small validation set while two double it). Work: ``n_grow k^2``
        multiply-adds is the work of growing ``k`` neurons on ``n_grow``
        samples (the basis products of the scores; ``3e10`` is about half a minute of one core, 2,450
        neurons on 5,000 samples); the rule reads work, not time, so the
        size does not depend on the machine or the thread count. While that
        work is small, neurons are cheap and any significant improvement of
        the held-out loss keeps growth going; on expensive layers a doubling
        must bring at least 5 % of the gain so far, i.e. its neurons at
        least a tenth of the average gain per neuron. That share is
        scale-free in the loss: on data the network has learned, whose loss
        flattens like ``k^-a``, it fires within a few doublings; on hard
        data whose loss still falls like ``log k`` it decays only like ``1 /
        log2 k`` and growth goes on to the size bound (``max_neurons``). The
        network is cut back to its best size ``k_best`` and the readout
        re-solved on all training data. Skipped when the data are too few to
        hold out a sample of every class.
    validation_fraction : float, default=0.1
        Fraction of the training data held out for early stopping.
    n_iter_no_change : int, default=40
        Neurons grown without validation improvement before stopping (at
        least; see ``early_stopping``).
    n_jobs : int or None, default=None
        Threads of ``fit`` and ``predict``: the simulations and the large
        matrix products run in blocks of fixed size (of samples or of basis
        columns), each on single-threaded BLAS, on a pool of this many
        threads, so the fitted model and its outputs are the same whatever
        the number of threads (multithreaded BLAS rounds differently with
        it). None means as many threads as BLAS may use (all cores by
        default, as scikit-learn's estimators use their BLAS and OpenMP
        threads; lowered by ``threadpoolctl.threadpool_limits`` or
        ``OPENBLAS_NUM_THREADS``/``OMP_NUM_THREADS``, which joblib sets in its
        workers), at most numba's pool; 1 on a shared machine or inside a
        parallel search of your own; -1 all.
    random_state : int, RandomState instance or None, default=None
        Seed of the candidate draws and of the validation split.
    verbose : int, default=0
        If > 0, show a progress bar (tqdm) over the neurons, with the
        training and validation accuracy and the relative residual.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_neurons_ : int
        Number of hidden neurons grown.
    input_weights_ : ndarray of shape (`n_features_in_`, `n_neurons_`)
        Input weights, acting on the standardised features ``x~`` (static
        input) or on the raw spikes (spike input).
    biases_ : ndarray of shape (`n_neurons_`,)
        Constant input currents.
    output_weights_ : ndarray of shape (`n_neurons_`, n_classes)
        Readout weights on the hidden activities.
    intercept_ : ndarray of shape (n_classes,)
        Readout intercepts (unpenalised).
    regularization_ : ndarray of shape (`n_neurons_`,)
        Diagonal of ``Lambda``, the penalty of each neuron's readout weights.
    temperature_ : float
        Softmax temperature of :meth:`predict_proba`.
    growth_curve_ : dict of ndarrays
        One entry per network size from 0 to the largest size grown:
        ``"n_neurons"``, ``"residual"`` (regularised training residual
        relative to the empty network), ``"contribution"`` (relative
        contribution of the neuron added to reach that size; NaN at 0),
        ``"train_score"`` (accuracy on the growth samples),
        ``"validation_score"`` (validation accuracy) and
        ``"validation_loss"``. Scores are measured after each growth step
        (NaN for sizes inside a step, and for validation without early
        stopping).
    stop_reason_ : str
        Why growth stopped: ``"early_stopping"`` (rule (a) of
        ``early_stopping``: the validation loss stopped improving),
        ``"validation_plateau"`` (rule (b): the last doubling's validation
        gain was below ``f(k)`` of the gain so far, or the last two
        doublings' within two standard errors of the validation estimate),
        ``"growth_threshold"``
        (no candidate removed ``growth_threshold`` of the residual),
        ``"tol"`` (training residual below ``tol``), or a size bound reached
        while the validation loss was still improving:
        ``"growth_samples"`` (``max_neurons="auto"``: one neuron per growth
        sample, at least 300, as many readout weights as equations; growing
        on needs more ``growth_samples`` or data, or an integer
        ``max_neurons``),
        ``"memory_limit"`` (``"auto"`` lowered to fit ``memory_limit``) or
        ``"max_neurons"`` (an integer cap).
    candidates_ : CandidateFamily
        The candidate family used.
    hidden_ : block
        The grown neurons as the family's block (``DenseBlock``: weights and
        biases).
    input_mean_, input_scale_ : ndarray of shape (`n_features_in_`,) or None
        Standardisation of static input (None for spike input).
    current_unit_ : float
        Rheobase of the neuron over the window: the smallest constant current
        that makes it fire within ``n_steps`` steps; candidate currents are
        drawn in this unit.
    input_kind_ : {"static", "spikes", "series"}
        Kind of input seen in fit.
    n_features_in_ : int
        Features (static input) or channels (spike input).
    n_steps_in_ : int
        Steps of the spike trains or series seen in fit (3-D input only).
    encoder_ : estimator
        The fitted clone of ``encoder`` (when not None).

    See Also
    --------
    skspike.classifiers.SNNLZCClassifier : Spiking classifier on Lempel-Ziv
        complexity features.

    Notes
    -----
    **Hidden neurons.** Static features are standardised with the training
    mean and standard deviation and clipped to +-2.5, ``x~ = clip((x - mu) /
    sigma, -2.5, 2.5)``, so that a rare extreme value (a pixel that is
    almost always blank) cannot dominate a neuron's current. A neuron
    receives the constant current ``I_j = u_j^T x~ + b_j``. The default
    candidates (``"fields"``) are drawn from the data: a centre feature
    ``c``, its ``m`` most correlated features ``F_c(m)`` (neighbouring
    steps of a series, pixels of an image, related columns of a table),

    .. math:: u_i \sim \mathcal N(0, 1)\,[i \in F_c(m)],\quad
              I(\tilde x) = I_{rh}\left(1 + \lambda\,
              \frac{u^\top \tilde x - p_q}{\sigma_p}\right),

    with ``m ~ U{2, ..., ceil(d / 2)}``, ``p_q`` the ``q``-quantile
    (``q ~ U[0.1, 0.9]``) and ``sigma_p`` the standard deviation of the
    projection ``p = u^T x~`` over the training data, and ``lambda`` from
    ``scales``: the neuron is silent on a fraction ``q`` of the training
    samples and its current spreads over ``lambda`` rheobases ``I_rh``
    (``current_unit_``, the smallest constant current that makes the neuron
    fire within the window) whatever the input dimension. The other
    families and their equations are in
    ``skspike.classifiers._ngsnn_candidates``. Spike trains stay binary:
    the standardisation of each channel's spike rate is folded into
    ``input_weights_`` and ``biases_``, so the current, delivered
    event-driven (one weight per input spike), has the same time average as
    for the rates seen as static features. The activity ``h_j(x)`` is the
    rate or trace of the simulated spikes.

    **Time series and spike trains (temporal candidates).** A series
    ``(n_samples, n_steps, n_channels)`` of floats is a set of input
    currents; pass a univariate series ``X`` of shape ``(n, T)`` as
    ``X[:, :, None]`` (a 2-D ``X`` is static features). Series must share
    one length (a ragged list is refused: pad or resample first) and be
    finite. Each temporal candidate receives the series through synaptic
    delays forming a random dilated kernel (length, dilation, channels,
    weights and a data-aware bias drawn as in ROCKET/MiniRocket), applied
    at every step as its input current,
    ``I[t] = g (sum_{l,c} w_{l,c} x[t - l D, c] - q)``; it runs its spiking
    dynamics over the whole series and offers the readout its activities
    pooled over time: the fraction of steps with a spike and the peak
    membrane potential (both invariant to where in the series a pattern
    occurs; the first-spike latency is available with
    ``candidates=TemporalCandidates(pooling=...)``). Each (neuron, pooled
    statistic) pair is a candidate hidden unit, scored, integrated and read
    out exactly as for static input. Spike trains (uint8) drive the same
    neurons event-driven: one synaptic operation per delay tap per input
    spike. ``activity`` and ``scales`` keep their meaning for the
    delay-free families; temporal candidates use ``scales`` as gains in
    units of the one-step firing current.

    **Growth (neurogenesis).** With ``H`` the activities of the ``k``
    current neurons (plus a constant column) and ``Y`` the one-hot targets,
    the readout minimises

    .. math:: J(\beta) = \|Y - H\beta\|_F^2 + \beta^\top \Lambda \beta .

    Adding a candidate with activity ``h`` and penalty ``lambda_h`` lowers the
    minimum ``J*`` by exactly

    .. math:: \Delta J = \frac{\|h^\top E\|^2}{h^\top h + \lambda_h
              - c^\top A^{-1} c}, \quad E = Y - H\beta,\;
              A = H^\top H + \Lambda,\; c = H^\top h,

    the squared residual correlation over the norm of the candidate's
    activity orthogonalised (in the ``A`` metric) against the layer. This is
    the reduction after re-solving every output weight, not the SCN
    inequality bound (Wang & Li, 2017), which scores the residual
    correlation against ``h^T h`` and can prefer a candidate redundant with
    the layer (Yan & Wang, RMPI-SCN). The best of the pool is integrated
    if ``delta J / J* >= growth_threshold``.

    **Activity-dependent penalty (homeostatic scaling).** The penalty of
    neuron ``j``'s readout weights follows its activity on the ``n``
    training samples,

    .. math:: \lambda_j = \alpha \sqrt{n}\, \frac{h_j^\top h_j}{m_j},

    where ``m_j`` is the number of samples on which the neuron fires. The
    penalty relative to the neuron's own data term is ``lambda_j / h_j^T
    h_j = alpha sqrt(n) / m_j``: (i) it does not depend on the neuron's
    firing gain (firing twice as much does not buy a halved, cheaper
    weight); (ii) a neuron that fires for few samples, whose weight would
    rest on little evidence, is shrunk more, and a silent one is never
    integrated; (iii) the shrinkage fades like ``1/sqrt(n)`` as data grow.
    A candidate that nearly repeats the layer scores only about
    ``||h^T E||^2 / lambda_h``. The intercept is not penalised.

    **Readout update.** ``beta = (H^T H + Lambda)^{-1} H^T Y`` is updated by a
    bordered Cholesky step per integrated neuron (``O(n k)``, see
    ``skspike.classifiers._ngsnn_solver``: the solver keeps the basis
    ``Q = H L^-T``, so scoring needs no triangular solve), never a fresh
    ``O(k^3)`` solve. A growth step scores its pool once (``O(n k C)``, one
    matrix product) and adds up to
    ``neurons_per_step`` neurons greedily; each addition updates the exact
    scores of the rest of the pool in ``O(n C)``. After early stopping, or
    when growth ran on a subsample, the readout is re-solved once on all
    training data from normal equations accumulated over batches of 4,096
    samples (``O(k^2)`` memory, ``O(n k^2)`` time; the Gram matrix is
    updated by column panels, see ``n_jobs`` for the threads). When at
    least 4,096 training samples were not grown on, the growth samples'
    share is read from the solver's factor (``[1 H]^T [1 H] + diag(0,
    Lambda) = L L^T``, ``[1 H]^T Y = L P``) and only the other samples are
    simulated again.

    **Memory.** With ``n`` growth samples, ``k`` the current number of
    neurons (rounded up to a multiple of 256: the arrays grow with the
    layer, by ``realloc`` in chunks of 256 neurons), ``C`` candidates, ``d``
    features, ``m`` classes and ``n_val`` validation samples, growth holds
    ``8 (n + K + m) k`` bytes of readout state (the basis ``Q`` and the
    Cholesky factor, whose rows have the cap's length ``K``: 8 bytes per
    growth sample and neuron, plus ``8 K`` per neuron), ``8 n_val k`` for the validation basis (8 bytes per validation
    sample and neuron), ``32 n C`` for the candidate pool and ``8 (n +
    n_val) d`` for the standardised growth and validation inputs (spike
    trains: ``n T c`` bytes, uint8). ``fit`` checks this sum at the cap
    (``max_neurons``, ``k = K``), the most growth can need, against ``memory_limit``
    before allocating. All of it is freed before the final readout on all
    ``N`` training samples, which holds ``8 k^2`` bytes (the Gram matrix,
    factorised in place) plus ``3 * 8 * 4096 k`` for one batch (drive,
    activity, kept activities for the temperature): 8 bytes per neuron
    squared, none per sample. The input itself is not copied (rows are
    standardised when used). Prediction holds ``8 * 4096 * k`` bytes per
    batch. For example 50,000 x 784 images (5,000 growth samples, 5,000
    validation samples, 2,154 neurons grown, cap 5,000): about 0.37 GB of
    growth state, then 37 MB for the Gram matrix (at the cap: 0.7 GB and
    0.2 GB).

    **Probabilities.** ``predict_proba`` is ``softmax(F / T)`` of the readout
    outputs ``F``; the temperature ``T`` minimises the log-loss on the
    training data (one-dimensional search, on the samples the final readout
    simulates: for large layers its first 4,096, and not the growth samples
    when their share was read from the factor), which turns the least-squares
    scores into probabilities without changing the predicted class.

    References
    ----------
    .. [1] D. Wang and M. Li, "Stochastic configuration networks:
       fundamentals and algorithms", IEEE Trans. Cybernetics 47(10), 2017.
    .. [2] X. Yan and D. Wang, "Deeper insights into learning performance of
       stochastic configuration networks" (RMPI-SCN), arXiv:2411.08544, 2024.
    .. [3] G.-L. Ming and H. Song, "Adult neurogenesis in the mammalian
       brain", Neuron 70(4), 2011.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skspike.classifiers import NGSNNClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = NGSNNClassifier(max_neurons=20, random_state=0).fit(X, y)
    >>> clf.n_neurons_ <= 20
    True
    >>> float(clf.score(X, y)) > 0.9
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    """

    _parameter_constraints: dict = {
        "neuron": [None, NeuronModel],
        "synapse": [None, HasMethods(["efficacy", "kernel_params"])],
        "encoder": [None, HasMethods(["fit", "transform"])],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "dt": [Interval(Real, 0, None, closed="neither")],
        "activity": [StrOptions({"trace", "rate"})],
        "candidates": [StrOptions({"auto", "uniform", "sampled", "fields", "temporal"}), CandidateFamily],
        "n_candidates": [Interval(Integral, 1, None, closed="left")],
        "scales": ["array-like"],
        "growth_threshold": [Interval(Real, 0, None, closed="left")],
        "max_neurons": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "neurons_per_step": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "growth_samples": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "memory_limit": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        neuron=None,
        *,
        synapse=None,
        encoder=None,
        n_steps=30,
        dt=1.0,
        activity="trace",
        candidates="auto",
        n_candidates=200,
        scales=(0.5, 1.0, 2.0, 4.0),
        growth_threshold=0.0,
        max_neurons="auto",
        neurons_per_step="auto",
        growth_samples="auto",
        memory_limit=4e9,
        alpha=2.5,
        tol=1e-4,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=40,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.neuron = neuron
        self.synapse = synapse
        self.encoder = encoder
        self.n_steps = n_steps
        self.dt = dt
        self.activity = activity
        self.candidates = candidates
        self.n_candidates = n_candidates
        self.scales = scales
        self.growth_threshold = growth_threshold
        self.max_neurons = max_neurons
        self.neurons_per_step = neurons_per_step
        self.growth_samples = growth_samples
        self.memory_limit = memory_limit
        self.alpha = alpha
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Grow the hidden layer and solve the readout.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)
            Static data (encoded by ``encoder``, or direct current when
            None), binary spike trains (uint8) or real-valued series
            (float; a univariate ``(n, T)`` series as ``X[:, :, None]``).
        y : array-like of shape (n_samples,)
            Class labels (numbers or strings).

        Returns
        -------
        self : object
            Fitted classifier.
        """
        data, y = validate_spiking_input(self, X, y, reset=True, allow_series=True)
        data = self._synaptic_input(data)
        check_ngsnn_fit(self, data)
        y_idx = self._encode_labels(y)
        scales = np.asarray(self.scales, dtype=np.float64).ravel()
        if scales.size == 0 or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
            raise ValueError(f"scales must be a non-empty list of positive numbers, got {self.scales!r}.")
        spikes_input = data.ndim == 3
        kind = "series" if data.dtype.kind == "f" and spikes_input else ("spikes" if spikes_input else "static")
        # Spikes made by the estimator's own encoder from static X carry no time
        # structure of the data: "auto" treats them as static input (delay-free).
        self.candidates_ = resolve_candidates(self.candidates, "static" if self.input_kind_ == "static" else kind)
        temporal = isinstance(self.candidates_, TemporalCandidates)
        if kind == "series" and not temporal:
            raise ValueError(
                f"candidates={self.candidates!r} grows delay-free neurons, which take static features "
                "or spike trains; real-valued series need candidates='temporal' (or 'auto'), or "
                "flatten them to static features with X.reshape(len(X), -1)."
            )
        if temporal and not spikes_input:
            raise ValueError(
                "temporal candidates need series or spike trains of shape (n_samples, n_steps, "
                "n_channels); got static 2-D data (a univariate series (n, T) is passed as X[:, :, None])."
            )
        if temporal:
            self.candidates_.check_series(data.shape[1])
        self.neuron_ = self._check_neuron(temporal)
        self._n_steps_sim = data.shape[1] if spikes_input else int(self.n_steps)
        self._kappa = _activity_weights(self.activity, self._n_steps_sim)
        self.current_unit_ = _rheobase(self.neuron_, self._n_steps_sim, self.dt)
        mu, sigma = _input_statistics(data)
        if spikes_input:
            # Spikes stay binary: the standardisation is folded into the weights.
            self.input_mean_, self.input_scale_ = None, None
        else:
            # Rows are standardised when used (growth and validation samples, readout
            # batches): no standardised copy of the whole input.
            self.input_mean_, self.input_scale_ = mu, sigma
            mu, sigma = np.zeros_like(mu), np.ones_like(sigma)

        seed = derive_seed(self.random_state)
        rng = np.random.default_rng(seed)
        train_idx, val_idx = self._split(y_idx, seed)
        Y = np.eye(len(self.classes_))[y_idx]
        # X and y of the context (the growth samples) are set by _grow.
        context = GrowthContext(
            input_kind=kind, n_features=data.shape[-1], X=None, y=None,
            n_classes=len(self.classes_), mu=mu, sigma=sigma, current_unit=self.current_unit_, scales=scales,
        )
        context.cache.update(neuron=self.neuron_, dt=float(self.dt))

        # Large products and simulations run in fixed blocks on n_threads threads
        # (BLAS on one thread each): the model does not depend on the thread count.
        with _threads(self.n_jobs) as n_threads:
            hidden, curve, stop_reason, direct, grown_eq = self._grow(
                data, Y, y_idx, train_idx, val_idx, context, rng, n_threads
            )
            del context  # the growth samples and per-fit statistics: the solver is already gone
            self._set_hidden(hidden)
            self.stop_reason_ = stop_reason
            self.growth_curve_ = curve
            if direct is None:
                # Re-solve on all training data, accumulating the normal equations in batches.
                intercept, beta, lam, H_kept, kept = self._readout_all(data, Y, n_threads, grown_eq)
                scores, y_fit = intercept + H_kept @ beta, y_idx[kept]
            else:
                lam, intercept, beta, scores = direct
                y_fit = y_idx
        self.intercept_ = intercept
        self.output_weights_ = np.ascontiguousarray(beta)  # a view pickles with other strides and rounding
        self.regularization_ = lam
        self.temperature_ = _fit_temperature(scores, y_fit)
        return self

    def _synaptic_input(self, data):
        """Spike trains scaled by the efficacies of ``synapse`` (float64), or ``data`` unchanged."""
        if self.synapse is None:
            return data
        if data.ndim != 3 or data.dtype.kind == "f" or self.input_kind_ != "spikes":
            raise ValueError(
                "NGSNNClassifier: synapse= applies to spike trains given as X (uint8 0/1 of shape "
                "(n_samples, n_steps, n_channels)); got "
                + ("real-valued series." if data.ndim == 3 and data.dtype.kind == "f"
                   else f"{self.input_kind_} input.")
            )
        if self.candidates not in ("auto", "temporal") and not isinstance(self.candidates, TemporalCandidates):
            raise ValueError(
                f"NGSNNClassifier: synapse= feeds efficacy-weighted (real-valued) events, which "
                f"need temporal candidates (candidates='auto' or 'temporal'); got "
                f"candidates={self.candidates!r}."
            )
        return np.ascontiguousarray(self.synapse.efficacy(data, self.dt), dtype=np.float64)

    def _check_neuron(self, temporal=False):
        if self.neuron is None:
            neuron = LIF(tau_m=_TEMPORAL_TAU_M * float(self.dt)) if temporal else LIF()
        else:
            neuron = self.neuron
        if neuron.n_neurons is not None:
            raise ValueError(
                "neuron must have scalar parameters (the layer size is not known in "
                f"advance); got per-neuron arrays of length {neuron.n_neurons}."
            )
        return neuron

    def _split(self, y_idx, seed):
        """Stratified train/validation indices (validation None if not used)."""
        n = len(y_idx)
        all_idx = np.arange(n)
        if not self.early_stopping:
            return all_idx, None
        n_classes = len(self.classes_)
        n_val = math.ceil(self.validation_fraction * n)
        if n_val < n_classes or n - n_val < n_classes or np.bincount(y_idx).min() < 2:
            return all_idx, None
        train_idx, val_idx = train_test_split(
            all_idx, test_size=n_val, stratify=y_idx, random_state=seed % (2**31 - 1)
        )
        return np.sort(train_idx), np.sort(val_idx)

    def _plan(self, n_train, n_val, n_features, n_classes, n_steps_in):
        """Capacity, growth subsample, step sizes and the memory the growth will need (bytes)."""
        n_grow, cap, n_cand, need, _ = self._size_bound(n_train, n_val, n_features, n_classes, n_steps_in)
        return n_grow, cap, n_cand, need

    def _size_bound(self, n_train, n_val, n_features, n_classes, n_steps_in):
        """``_plan`` and the stop reason of a layer grown to the cap (see ``max_neurons``)."""
        n_grow = n_train if self.growth_samples == "auto" else int(self.growth_samples)
        if self.growth_samples == "auto":
            n_grow = min(n_train, _AUTO_GROWTH_SAMPLES)
        n_grow = max(1, min(n_grow, n_train))
        n_cand = int(self.n_candidates)
        per_sample_in = n_features * (n_steps_in if n_steps_in else 1) * (1 if n_steps_in else 8)
        fixed = {
            "candidate pool": 8 * n_grow * n_cand * 4,
            "growth inputs": (n_grow + n_val) * per_sample_in,
        }

        def need(cap):
            return {
                # solver: basis Q (n_grow x cap+1), factor L and P; validation basis
                "readout state": 8 * (n_grow * (cap + 1) + (cap + 1) ** 2 + (cap + 1) * n_classes),
                "validation activities": 8 * n_val * cap,
                **fixed,
            }

        if self.max_neurons != "auto":
            cap = int(self.max_neurons)
            return n_grow, cap, n_cand, need(cap), "max_neurons"
        cap, reason = max(_AUTO_MIN_NEURONS, n_grow), "growth_samples"
        # The largest cap whose need fits memory_limit: 8 (K+1)^2 + 8 (n_grow + m + n_val) (K+1) <= free.
        free = self.memory_limit - sum(fixed.values()) + 8 * n_val
        b = n_grow + n_classes + n_val
        if free > 0:
            fits = int((math.sqrt(b * b + 4 * free / 8) - b) / 2) - 1
            while fits > 0 and sum(need(fits).values()) > self.memory_limit:
                fits -= 1
            if 1 <= fits < cap:  # (else the cap stays, and the guard reports what it would need)
                cap, reason = fits, "memory_limit"
        return n_grow, cap, n_cand, need(cap), reason

    def _grow(self, data, Y, y_idx, train_idx, val_idx, context, rng, n_threads=1):
        """Grow the layer on the growth samples.

        Returns ``(hidden, curve, stop_reason, direct, grown_eq)``; ``direct`` is
        ``(penalties, intercept, weights, fitted values)`` of the solver when
        growth ran on all training data without validation (the readout is
        then already the final one), else None: the solver (basis ``Q``,
        factor ``L``) is freed on return, before the final readout.
        ``grown_eq`` is None or, when at least ``_READOUT_BATCH`` training
        samples were not grown on, the growth samples' share of the final
        readout's normal equations, read from the factor (see
        :meth:`_grown_equations`).
        """
        family = self.candidates_
        n_train = len(train_idx)
        n_val = 0 if val_idx is None else len(val_idx)
        n_classes = Y.shape[1]
        n_steps_in = data.shape[1] if data.ndim == 3 else 0
        n_grow, cap, n_cand, need, cap_reason = self._size_bound(
            n_train, n_val, data.shape[-1], n_classes, n_steps_in
        )
        total = sum(need.values())
        if total > self.memory_limit:
            parts = ", ".join(f"{k} {v / 1e9:.2f} GB" for k, v in need.items())
            raise MemoryError(
                f"NGSNNClassifier would need about {total / 1e9:.2f} GB for growth ({parts}), above "
                f"memory_limit={self.memory_limit / 1e9:.2f} GB; lower max_neurons, growth_samples or "
                "n_candidates, or raise memory_limit."
            )
        if n_grow < n_train:
            grow_idx = train_idx[np.sort(rng.choice(n_train, size=n_grow, replace=False))]
        else:
            grow_idx = train_idx
        context.X = self._rows(data, grow_idx)
        context.y = y_idx[grow_idx]
        sim = self._sim(n_threads)
        train = context.X
        Y_train = Y[grow_idx]
        solver = IncrementalRidge(Y_train, cap, n_threads)
        n_score = min(n_grow, _SCORE_SAMPLES)
        grown = []
        grown_active = []  # growth samples on which each grown neuron fires
        residual = [1.0]
        contribution = [np.nan]
        val_score = [np.nan]
        val_loss = [np.nan]
        train_score = [float(np.mean(Y_train.argmax(axis=1) == int(np.argmax(Y_train.sum(axis=0)))))]
        if val_idx is not None:
            val = self._rows(data, val_idx)
            Y_val = Y[val_idx]
            # Basis of the validation activities, [1 H_val] L^-T: fitted values B P, no weight
            # solve; its columns grow with the layer.
            val_basis = GrowingColumns(len(val_idx), cap + 1)
            B_val = val_basis.array
            B_val[:, 0] = solver.Q[0, 0]
            y_val = Y_val.argmax(axis=1)
            val_tss = float(np.sum((Y_val - Y_train.mean(axis=0)) ** 2))
            F_val = B_val[:, :1] @ solver.P[:1]
            val_score[0] = float(np.mean(F_val.argmax(axis=1) == y_val))
            # Per-sample validation losses (their mean is the validation loss) of the best size so far.
            best_errors = np.sum((F_val - Y_val) ** 2, axis=1) * (len(val_idx) / val_tss)
            val_loss[0] = float(np.mean(best_errors))
        best, best_loss = 0, val_loss[0]
        # Sizes at the end of each growth step and the best validation loss up to each.
        step_sizes, step_best = [0], [val_loss[0]]
        step_errors = [] if val_idx is None else [best_errors]
        stop_reason = cap_reason
        objective0 = solver.objective
        y_train = Y_train.argmax(axis=1)
        F_train = solver.fitted()
        E = Y_train - F_train
        bar = None
        if self.verbose:
            from tqdm.auto import tqdm

            bar = tqdm(total=cap, desc="NGSNN growth", unit="neuron")
        try:
            while solver.n_columns < cap:
                size = solver.n_columns
                if objective0 <= 0 or solver.objective <= self.tol * objective0:
                    stop_reason = "tol"
                    break
                context.residual = E
                block = family.draw(rng, n_cand, context)
                n_add = min(self._neurons_per_step(size, n_grow), cap - size)
                n_exact = min(n_cand, max(_EXACT_MIN, 4 * n_add))
                Hc = None
                if n_exact < n_cand:
                    # Preselect by the lower bound on a subsample, then score exactly.
                    full = n_score == n_grow
                    sub = slice(None) if full else np.sort(rng.choice(n_grow, n_score, replace=False))
                    H_sub = family.activity(train[sub], block, sim)
                    lam_sub = _penalty(H_sub, self.alpha)
                    den = np.einsum("ij,ij->j", H_sub, H_sub) + lam_sub
                    qs = H_sub.T @ E[sub]
                    bound = np.where(den > 0, np.einsum("ij,ij->i", qs, qs) / np.where(den > 0, den, 1.0), 0.0)
                    keep = np.sort(np.argsort(-bound, kind="stable")[:n_exact])
                    block = family.select(block, keep)
                    if full:
                        Hc = np.ascontiguousarray(H_sub[:, keep])
                if Hc is None:
                    Hc = family.activity(train, block, sim)
                lam = _penalty(Hc, self.alpha)
                gain, Z, q, s = solver.score(Hc, lam)
                current = solver.objective
                min_gain = self.growth_threshold * current
                j = int(np.argmax(gain))
                if not gain[j] > 0 or gain[j] < min_gain:
                    stop_reason = "growth_threshold"
                    break
                added, gains = solver.add_greedy(Hc, lam, gain, Z, q, s, n_add, min_gain=min_gain)
                chosen = family.select(block, added)
                grown.append(chosen)
                grown_active.append(np.count_nonzero(Hc[:, added], axis=0))
                for g in gains:
                    contribution.append(g / current if current > 0 else 0.0)
                    current -= g
                    residual.append(current / objective0)
                size = solver.n_columns
                new = slice(size - len(added) + 1, size + 1)
                # Appending columns leaves the earlier rows of P unchanged: F grows by Q_new P_new.
                F_train += solver.Q[:, new] @ solver.P[new]
                np.subtract(Y_train, F_train, out=E)
                pad = [np.nan] * (len(added) - 1)
                train_score += pad + [float(np.mean(F_train.argmax(axis=1) == y_train))]
                if val_idx is None:
                    val_score += pad + [np.nan]
                    val_loss += pad + [np.nan]
                    best = size
                else:
                    val_basis.reserve(size + 1)
                    B_val = val_basis.array
                    B_val[:, new] = solver.extend_basis(B_val, family.activity(val, chosen, sim), new.start)
                    F_val += B_val[:, new] @ solver.P[new]
                    val_score += pad + [float(np.mean(F_val.argmax(axis=1) == y_val))]
                    errors = np.sum((F_val - Y_val) ** 2, axis=1) * (len(val_idx) / val_tss)
                    val_loss += pad + [float(np.mean(errors))]
                    if val_loss[-1] < best_loss:
                        best, best_loss, best_errors = size, val_loss[-1], errors
                if bar is not None:
                    bar.update(len(added))
                    bar.set_postfix(train=f"{train_score[-1]:.3f}", val=f"{val_score[-1]:.3f}",
                                    residual=f"{residual[-1]:.4f}")
                if val_idx is not None:
                    step_sizes.append(size)
                    step_best.append(best_loss)
                    step_errors.append(best_errors)
                    if size - best >= max(self.n_iter_no_change, _PATIENCE * best):
                        stop_reason = "early_stopping"
                        break
                    fraction = _PLATEAU * min(1.0, n_grow * float(size) ** 2 / _PLATEAU_WORK)
                    if size >= 2 * self.n_iter_no_change and _plateau(step_sizes, step_best, fraction, step_errors):
                        stop_reason = "validation_plateau"
                        break
        finally:
            if bar is not None:
                bar.close()
        n_grown = len(residual) - 1
        curve = {
            "n_neurons": np.arange(n_grown + 1),
            "residual": np.asarray(residual),
            "contribution": np.asarray(contribution),
            "train_score": np.asarray(train_score),
            "validation_score": np.asarray(val_score),
            "validation_loss": np.asarray(val_loss),
        }
        if val_idx is None:
            best = n_grown
        solver.truncate(best)
        hidden = family.stack(grown) if grown else family.empty(context)
        if best < n_grown:
            hidden = family.select(hidden, np.arange(best))
        direct, grown_eq = None, None
        if val_idx is None and n_grow == n_train:
            intercept, beta = solver.coef()
            direct = (solver.penalty(), intercept, beta, solver.fitted(best))
        elif len(y_idx) - n_grow >= _READOUT_BATCH:
            active = np.concatenate(grown_active)[:best] if grown_active else np.zeros(0, dtype=np.intp)
            # The bases are not needed for it: free them first, so G takes their place in memory.
            B_val = val_basis = F_val = None
            solver.release_basis()
            grown_eq = _grown_equations(solver, best, grow_idx, active, n_threads)
        return hidden, curve, stop_reason, direct, grown_eq

    def _neurons_per_step(self, size, n_grow):
        if self.neurons_per_step != "auto":
            return int(self.neurons_per_step)
        return int(max(1, min(_MAX_PER_STEP, size // 8, n_grow // 200)))

    def _readout_all(self, data, Y, n_threads=1, grown_eq=None):
        """Ridge readout of the grown layer on all of ``data`` (normal equations in batches).

        ``G = H^T H`` (lower triangle, BLAS ``syrk``), ``H^T Y``, the column
        sums and firing counts are accumulated over batches of samples; the
        penalties of the Notes follow from ``diag(G)`` and the counts, and the
        unpenalised intercept is eliminated by centring, ``(G - n h_bar
        h_bar^T + Lambda) beta = H^T Y - n h_bar y_bar^T``, ``b = y_bar -
        beta^T h_bar`` (the same solution as ``[1 H]`` with penalties ``[0,
        lambda]``). Memory is ``8 k^2 + 8 * 4096 * 3 k`` bytes (the Gram
        matrix, factorised in place, and one batch of drive and activity)
        whatever the number of samples. ``G`` is updated in column panels
        (one product per panel and batch, in fixed blocks on ``n_threads``
        threads: the same sums whatever the thread count).

        With ``grown_eq`` (see :func:`_grown_equations`) the sums start from
        the growth samples' share, taken from the solver's factor, and only
        the other samples are simulated. Returns ``(intercept, weights,
        penalties, H_kept, kept)``: the activities ``H_kept`` of the
        samples ``kept`` (all simulated samples for small layers, else the
        first batch) for the temperature fit.
        """
        k = self.n_neurons_
        n = data.shape[0]
        if grown_eq is None:
            rows = np.arange(n)
            # Lower triangle of G = H^T H (Fortran order: updated in place by column panels and syr).
            G = np.zeros((k, k), order="F")
            h_sum = np.zeros(k)
            HY = np.zeros((k, Y.shape[1]))
            active = np.zeros(k)
        else:
            rows = np.setdiff1d(np.arange(n), grown_eq["rows"], assume_unique=True)
            G, h_sum, HY, active = (grown_eq[key] for key in ("G", "h_sum", "HY", "active"))
        n_rows = len(rows)
        # Small layers keep H for the temperature fit on all simulated samples, large ones the first batch.
        n_keep = n_rows if 8 * n_rows * k <= _KEEP_ACTIVITY_BYTES else min(n_rows, _READOUT_BATCH)
        H_kept = np.empty((n_keep, k))
        for start in range(0, n_rows, _READOUT_BATCH):
            stop = min(n_rows, start + _READOUT_BATCH)
            idx = slice(start, stop) if grown_eq is None else rows[start:stop]
            H = self._activity(self._rows(data, idx), self.hidden_, n_threads)
            if start < n_keep:
                H_kept[start : min(stop, n_keep)] = H[: min(stop, n_keep) - start]
            _gram_update(H, G, n_threads)
            h_sum += H.sum(axis=0)
            HY += blocked_matmul(H.T, Y[idx], n_threads, block=_GRAM_PANEL)
            active += np.count_nonzero(H, axis=0)
            del H
        energy = np.diag(G).copy()
        lam = self.alpha * math.sqrt(n) * energy / np.maximum(active, 1)
        # The unpenalised intercept is eliminated by centring: (H - 1 h_mean^T) has Gram
        # G - n h_mean h_mean^T and cross-product H^T Y - n h_mean y_mean^T.
        h_mean, y_mean = h_sum / n, Y.mean(axis=0)
        G = _syr(-float(n), h_mean, G)
        G[np.diag_indices_from(G)] += lam
        HY -= n * np.outer(h_mean, y_mean)
        from scipy.linalg import cho_factor, cho_solve

        if k == 0:  # no neuron grown: the intercept alone (old SciPy's dpotrs refuses empty arrays)
            beta = np.zeros_like(HY)
        else:
            beta = cho_solve(cho_factor(G, lower=True, overwrite_a=True, check_finite=False), HY)
        intercept = y_mean - h_mean @ beta
        return intercept, beta, lam, H_kept, rows[:n_keep]

    # ------------------------------------------------------------ dynamics
    def _sim(self, n_threads=1):
        return NeuronSim(self.neuron_, float(self.dt), int(self._n_steps_sim), self._kappa, int(n_threads))

    def _rows(self, data, idx):
        """``data[idx]`` as the hidden layer sees it (static input standardised)."""
        rows = data[idx]
        return rows if self.input_mean_ is None else self._standardise(rows)

    def _set_hidden(self, hidden):
        """Store the grown layer (and, for dense blocks, its weights and biases)."""
        self.hidden_ = hidden
        self.n_neurons_ = int(hidden.n_neurons)
        if hasattr(hidden, "weights"):
            self.input_weights_ = hidden.weights
            self.biases_ = hidden.bias

    def _activity(self, data, hidden, n_threads=1):
        """Hidden activity ``(n_samples, n_neurons)`` of the block ``hidden``."""
        return self.candidates_.activity(data, hidden, self._sim(n_threads))

    def _validated(self, X):
        check_is_fitted(self)
        data, _ = validate_spiking_input(self, X, reset=False, allow_series=True)
        data = self._synaptic_input(data)
        check_ngsnn_predict(self, data)
        if data.ndim == 2:
            data = self._standardise(data)
        return data

    def _standardise(self, X):
        # One new array (X is never modified): subtract, divide and clip in place on it.
        Z = np.subtract(X, self.input_mean_, dtype=np.float64)
        Z /= self.input_scale_
        return np.clip(Z, -_CLIP, _CLIP, out=Z)

    def transform_hidden(self, X):
        """Hidden-layer activity of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        H : ndarray of shape (n_samples, `n_neurons_`)
            Rate or trace (``activity``) of each hidden neuron.
        """
        data = self._validated(X)
        with _threads(self.n_jobs) as n_threads:
            return self._activity(data, self.hidden_, n_threads)

    def _scores(self, X):
        data = self._validated(X)
        with _threads(self.n_jobs) as n_threads:
            H = self._activity(data, self.hidden_, n_threads)
            W = np.ascontiguousarray(self.output_weights_, dtype=np.float64)
            scores = np.empty((H.shape[0], W.shape[1]), dtype=np.float64)
            readout_kernel(np.ascontiguousarray(H, dtype=np.float64), W,
                           np.ascontiguousarray(self.intercept_, dtype=np.float64).reshape(-1), scores)
            return scores

    def decision_function(self, X):
        """Readout outputs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Least-squares class scores; for two classes the difference
            ``F[:, 1] - F[:, 0]`` (positive means ``classes_[1]``).
        """
        return super().decision_function(X)

    def predict(self, X):
        """Predict class labels (argmax of the readout).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        return super().predict(X)

    def predict_proba(self, X):
        """Class probabilities ``softmax(F / temperature_)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return softmax(self._scores(X) / self.temperature_, axis=1)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`."""
        return log_softmax(self._scores(X) / self.temperature_, axis=1)

    def count_operations(self, X):
        """Operation counts of classifying ``X``, averaged per sample.

        The hidden layer is simulated with :func:`skspike.neurons.simulate`:
        a static (direct current) input costs one multiply-accumulate per
        non-zero feature and non-zero weight (``synaptic_mac``, the product is
        held over the window); spike input one accumulate per input spike and
        non-zero weight (``synaptic_ac``). The readout adds one MAC per
        non-zero hidden activity and class (``synaptic_mac``), dense
        ``n_neurons_ * n_classes``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        counts : OperationCounts
        """
        data = self._validated(X)
        n_classes = len(self.classes_)
        k = self.n_neurons_
        if k == 0:
            hidden = OperationCounts()
            active = 0.0
        else:
            with _numba_threads(self.n_jobs):
                counts, hidden = self.candidates_.operation_counts(data, self.hidden_, self._sim())
            active = float(np.count_nonzero(counts)) / data.shape[0]
        readout = OperationCounts(
            synaptic_mac=active * n_classes,
            dense_ops=float(k * n_classes),
            n_connections=int(k * n_classes),
            n_zero_connections=int(np.count_nonzero(self.output_weights_ == 0)),
            footprint_bytes=int(self.output_weights_.nbytes + self.intercept_.nbytes),
        )
        return hidden + readout


# ---------------------------------------------------------------- helpers
def _penalty(H, alpha):
    """Activity-dependent penalties ``alpha * sqrt(n) * h_j^T h_j / m_j`` (see Notes)."""
    n = H.shape[0]
    energy = np.einsum("ij,ij->j", H, H)
    n_active = np.maximum(np.count_nonzero(H, axis=0), 1)
    return alpha * math.sqrt(n) * energy / n_active

def _grown_equations(solver, n_columns, rows, active, n_threads):
    """The growth samples' share of the final readout's normal equations, from the solver's factor.

    The solver's factor satisfies ``[1 H]^T [1 H] + diag(0, Lambda) = L L^T``
    and ``[1 H]^T Y = L P`` on the growth samples (``L[0, 0] = sqrt(n)``,
    ``L[0, 1:] = 0``), so with ``L_1 = L[1:, :]`` their Gram matrix is
    ``H^T H = L_1 L_1^T - Lambda``, their column sums ``L[0, 0] L[1:, 0]`` and
    ``H^T Y = L_1 P``: ``O(k^3)`` flops instead of simulating them again
    (``O(n k d)`` drive, ``O(n k T)`` steps) and ``O(n k^2)`` for their Gram matrix. Products in fixed row blocks
    (the same whatever ``n_threads``).

    Returns
    -------
    dict with ``rows`` (the growth samples), ``G`` (Fortran order,
    ``(k, k)``), ``h_sum``, ``HY`` and ``active`` (firing counts, float).
    """
    k = int(n_columns)
    L1 = solver.L[1 : k + 1, : k + 1]
    # G is symmetric: the C-ordered product L_1 L_1^T, transposed, is its Fortran-ordered copy
    # (L_1^T is passed as a view: no second k x k array beside G).
    G = blocked_matmul(L1, L1.T, n_threads, block=_GRAM_PANEL).T
    G[np.diag_indices_from(G)] -= solver.lam[1 : k + 1]
    return {
        "rows": rows,
        "G": G,
        "h_sum": solver.L[0, 0] * L1[:, 0],
        "HY": L1 @ solver.P[: k + 1],
        "active": np.asarray(active, dtype=np.float64),
    }


def _gram_update(H, G, n_threads, panel=_GRAM_PANEL):
    """``G + H^T H`` in the lower triangle of the Fortran-ordered ``G``, in place, by column panels.

    Panel ``[j0, j1)`` gets ``G[j0:, j0:j1] += H[:, j0:]^T H[:, j0:j1]``
    (one BLAS product; the panels are disjoint and run on ``n_threads``
    threads), the work of a ``syrk`` plus the upper half of the diagonal
    blocks.
    """

    def part(j0, j1):
        G[j0:, j0:j1] += H[:, j0:].T @ H[:, j0:j1]

    run_blocks(part, G.shape[0], panel, n_threads)
    return G


def _syr(alpha, x, C):
    """``C + alpha x x^T`` in the lower triangle of ``C`` (BLAS syr, in place when possible)."""
    from scipy.linalg.blas import dsyr

    if C.size == 0:
        return C
    return dsyr(alpha, x, lower=1, a=C, overwrite_a=1)


def _plateau(sizes, best_loss, fraction=_PLATEAU, best_errors=None, z=None):
    """Whether the last doubling of the layer brought too little validation gain (rule (b) of ``early_stopping``).

    ``sizes`` are the layer sizes at the end of each growth step (first 0)
    and ``best_loss`` the best validation loss up to each. With ``k`` the
    current size and ``L*(j)`` the best loss at sizes ``<= j``, the last
    doubling's gain is ``G = L*(k/2) - L*(k)``. Growth has plateaued when
    ``G < fraction * (L*(0) - L*(k))``: the neurons added in the last
    doubling improve the held-out loss, per neuron, by less than ``2 *
    fraction`` times the average gain per neuron so far (``_grow`` passes
    ``fraction = f(k) = 0.05 min(1, n k^2 / 3e10)``: no minimum share while
    the layer is cheap); or, with ``best_errors`` (per step, the per-sample
    validation losses ``e_i`` of the best size, whose mean is ``L*``), when
    the last two doublings together are within the noise of the validation
    estimate, ``L*(k/4) - L*(k) < z s_d / sqrt(n_val)`` with ``s_d`` the
    standard deviation over the validation samples of ``d_i = e_i(k/4) -
    e_i(k)`` (a paired test: the two sizes are scored on the same samples).
    """
    k = sizes[-1]
    i = int(np.searchsorted(sizes, k // 2, side="right")) - 1
    gain = best_loss[0] - best_loss[-1]
    if not gain > 0:
        return False
    if best_loss[i] - best_loss[-1] < fraction * gain:
        return True
    z = _PLATEAU_Z if z is None else z
    if best_errors is None or len(best_errors[-1]) < 2 or not z > 0:
        return False
    d = best_errors[int(np.searchsorted(sizes, k // 4, side="right")) - 1] - best_errors[-1]
    return float(np.mean(d)) < z * float(np.std(d, ddof=1)) / math.sqrt(len(d))


def _activity_weights(activity, n_steps):
    """Per-step spike weights ``kappa`` of the activity definition."""
    t = np.arange(n_steps, dtype=np.float64)
    if activity == "rate":
        return np.full(n_steps, 1.0 / n_steps)
    return (n_steps - t) / float(n_steps) ** 2


def _input_statistics(data):
    """Per-feature mean and standard deviation over samples (1 if constant).

    For spike trains the statistics are those of each channel's spike rate
    (spikes per step), so that a weight scaled by them gives the *rate*
    signal, averaged by the neuron over the window, the intended spread.
    """
    n = data.shape[0]
    batch = _READOUT_BATCH

    def rows(start):
        part = data[start : start + batch]
        return part.mean(axis=1, dtype=np.float64) if part.ndim == 3 else part.astype(np.float64, copy=False)

    # In batches of samples (two passes), so no temporary of the size of the input.
    total = np.zeros(data.shape[-1])
    for start in range(0, n, batch):
        total += rows(start).sum(axis=0)
    mu = total / n
    squares = np.zeros_like(mu)
    for start in range(0, n, batch):
        dev = rows(start) - mu
        squares += np.einsum("ij,ij->j", dev, dev)
    sigma = np.sqrt(squares / n)
    sigma[~(sigma > 1e-12 * (1.0 + np.abs(mu)))] = 1.0
    return mu, sigma


def _rheobase(neuron, n_steps, dt):
    """Smallest constant current making ``neuron`` fire within ``n_steps`` steps."""

    def fires(currents):
        counts, _ = simulate(
            neuron, np.zeros((1, currents.size)), bias=currents, n_steps=n_steps, dt=dt, output="counts"
        )
        return counts[0] > 0

    grid = np.geomspace(1e-4, 1e5, 91)
    hit = fires(grid)
    if not hit.any():
        raise ValueError(
            f"The neuron {neuron!r} does not fire within {n_steps} steps for any constant "
            "current up to 1e5; choose other neuron parameters or more steps."
        )
    i = int(np.argmax(hit))
    lo, hi = (0.0 if i == 0 else grid[i - 1]), grid[i]
    for _ in range(3):
        fine = np.linspace(lo, hi, 33)
        f = fires(fine)
        i = int(np.argmax(f))
        lo, hi = (fine[i - 1] if i > 0 else lo), fine[i]
    return float(hi)


def _fit_temperature(scores, y_idx):
    """Temperature minimising the softmax log-loss of ``scores``."""
    rows = np.arange(len(y_idx))

    def nll(log_t):
        return -float(np.mean(log_softmax(scores / math.exp(log_t), axis=1)[rows, y_idx]))

    res = minimize_scalar(nll, bounds=(-9.0, 6.0), method="bounded", options={"xatol": 1e-4})
    return float(math.exp(res.x))


def _n_threads(n_jobs):
    """Threads for ``n_jobs``: None -> as many as BLAS may use (at most numba's pool), else as ``threads_from_n_jobs``."""
    if n_jobs is not None:
        return threads_from_n_jobs(n_jobs)
    import numba

    blas = [lib.num_threads for lib in _controller().select(user_api="blas").lib_controllers]
    return int(max(1, min(max(blas, default=1), numba.config.NUMBA_NUM_THREADS)))


def _numba_threads(n_jobs):
    """Run numba kernels on the threads of ``n_jobs`` (see ``_n_threads``)."""
    return numba_threads(_n_threads(n_jobs))


_CONTROLLER = []


def _controller():
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]


@contextmanager
def _threads(n_jobs):
    """numba kernels on the threads of ``n_jobs``, BLAS on one (one cached threadpoolctl controller).

    The parallel work is split by the callers into fixed blocks run on a
    thread pool (``_ngsnn_blocks``), each block on single-threaded BLAS, so
    results do not depend on the number of threads; multithreaded BLAS
    would round differently with it.
    """
    n_threads = _n_threads(n_jobs)
    with numba_threads(n_threads), _controller().limit(limits=1, user_api="blas"):
        yield n_threads
