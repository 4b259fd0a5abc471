"""Work and memory estimates of the estimators, checked before they simulate.

Each ``check_*`` function takes an estimator and its validated input, plans
the work of the call from the parameters and the input's shape in O(1)
(Python integers, so nothing overflows), and refuses the call with
:class:`skspike._config.WorkLimitError` (work) or ``MemoryError`` (bytes)
before anything runs. The limits and how to lift them are in
:mod:`skspike._config` (``limits``, ``SKSPIKE_MAX_UPDATES_PER_SAMPLE``,
``SKSPIKE_MAX_BYTES``).

The unit of work is a *neuron update*: one neuron advanced by one time step
(for STDP, also one input channel's trace or Poisson draw per step). The
estimates count what the call plans to simulate (every candidate neuron of
NGSNN's growth, every training epoch) and leave out what depends on the data
(spike counts, early stopping), so they are what the call costs when it runs
to its caps.
"""

import math

from .._config import check_allocation, check_work

__all__ = [
    "check_ngsnn_fit",
    "check_ngsnn_predict",
    "check_stdp",
    "check_snnlzc_fit",
    "check_snnlzc_predict",
]


def _n_steps(estimator, data, attribute="n_steps"):
    """Steps simulated per sample: the input's for 3-D data, else the parameter."""
    return int(data.shape[1]) if data.ndim == 3 else int(getattr(estimator, attribute))


def _steps_name(data, attribute="n_steps"):
    return attribute if data.ndim == 2 else "the number of steps of X"


# Pools walked one by one (the step size grows with the layer early on); any
# further pools are counted with the last step size, so the plan stays cheap
# for any max_neurons.
_PLANNED_POOLS = 10000


def ngsnn_growth_plan(estimator, n_samples):
    """Planned growth of ``NGSNNClassifier.fit`` on ``n_samples`` samples.

    Returns ``(candidate_sims, cap, pools, n_candidates)``: the candidate
    neurons simulated, summed over the growth samples and the candidate pools
    drawn until the layer reaches its cap ``cap`` (``pools`` pools of
    ``n_candidates``), the same schedule as ``NGSNNClassifier._grow``.
    """
    from ..classifiers._ngsnn import _EXACT_MIN, _SCORE_SAMPLES

    n_val = math.ceil(estimator.validation_fraction * n_samples) if estimator.early_stopping else 0
    n_train = max(1, n_samples - n_val)
    # the estimator's own plan (growth subsample, cap) and step sizes, so the
    # guard follows any change of the growth schedule
    n_grow, cap, n_cand, _ = estimator._plan(n_train, n_val, 1, 2, 0)
    n_score = min(n_grow, _SCORE_SAMPLES)

    def pool_sims(n_add):
        n_exact = min(n_cand, max(_EXACT_MIN, 4 * n_add))
        if n_exact < n_cand:  # preselection on n_score samples, then the exact score
            return n_cand * n_score + (0 if n_score == n_grow else n_exact * n_grow)
        return n_cand * n_grow

    size = pools = candidate_sims = 0
    n_add = 1
    while size < cap and pools < _PLANNED_POOLS:
        n_add = min(estimator._neurons_per_step(size, n_grow), cap - size)
        candidate_sims += pool_sims(n_add)
        size += n_add
        pools += 1
    if size < cap:  # the step size has long stopped growing: the remaining pools at once
        rest = -(-(cap - size) // n_add)
        candidate_sims += rest * pool_sims(n_add)
        pools += rest
    return candidate_sims, cap, pools, n_cand


def check_ngsnn_fit(estimator, data):
    """Refuse an ``NGSNNClassifier.fit`` whose planned growth is too much work.

    Work: the candidate pools drawn until ``max_neurons`` (each candidate
    simulated for ``n_steps`` on the growth samples), plus the grown layer on
    the validation and training samples.
    """
    n_samples = int(data.shape[0])
    n_steps = _n_steps(estimator, data)
    candidate_sims, cap, pools, n_cand = ngsnn_growth_plan(estimator, n_samples)
    total = n_steps * (candidate_sims + 2 * n_samples * cap)
    check_work(
        total / n_samples, n_samples, "NGSNNClassifier.fit",
        f"{_steps_name(data)}, n_candidates or max_neurons",
        f"{n_steps} steps x {n_cand} candidates x up to {pools} candidate pools for a layer of up to "
        f"{cap} neurons",
    )


def check_ngsnn_predict(estimator, data):
    """Refuse an NGSNN prediction of more than the limit per sample (``n_steps x n_neurons_``)."""
    n_steps = int(data.shape[1]) if data.ndim == 3 else int(getattr(estimator, "_n_steps_sim", estimator.n_steps))
    n_neurons = int(getattr(estimator, "n_neurons_", 0))
    check_work(
        n_steps * n_neurons, int(data.shape[0]), "NGSNNClassifier predict", _steps_name(data),
        f"{n_steps} steps x {n_neurons} hidden neurons",
    )


def check_stdp(estimator, source, n_epochs, *, record=False):
    """Refuse an STDP pass (``n_epochs`` of learning, or 0 for ``transform``) that is too much.

    Work per sample: ``max(n_epochs, 1) * n_steps * (n_neurons + n_in)``
    (the neurons and the input traces advance every step). With ``record``
    the spike-train output ``(n_samples, n_steps, n_neurons)`` is also
    checked against the byte limit.
    """
    n_samples, n_steps, n_in = int(source["n_samples"]), int(source["n_steps"]), int(source["n_in"])
    n_neurons = int(estimator.n_neurons)
    passes = max(int(n_epochs), 1)
    steps = "n_steps of the encoder" if source["kind"] != "spikes" else "the number of steps of X"
    if not n_epochs and int(getattr(estimator, "inference_window", 1)) > 1:  # transform reads several windows
        steps += f" (x inference_window={int(estimator.inference_window)})"
    what = "STDPFeatureExtractor." + ("fit" if n_epochs else "transform")
    check_work(
        passes * n_steps * (n_neurons + n_in), n_samples, what,
        f"{steps}, n_neurons" + (" or n_epochs" if n_epochs > 1 else ""),
        (f"n_epochs={passes} x " if n_epochs > 1 else "")
        + f"{n_steps} steps x ({n_neurons} neurons + {n_in} input channels)",
    )
    if record:
        check_allocation(
            n_samples * n_steps * n_neurons,
            f"{what}: the uint8 output spike trains of shape ({n_samples}, {n_steps}, {n_neurons})",
            f"{steps} or n_neurons (or transform fewer samples)",
        )


def check_snnlzc_fit(estimator, data, n_classes):
    """Refuse an ``SNNLZCClassifier.fit`` that is too much work or memory.

    Work per sample: ``(max_iter + 1) * n_steps * n_out`` with
    ``n_out = n_classes * n_per_class`` (the training epochs and the readout
    pass). Memory: the per-sample weight gradients of one training batch,
    ``min(batch_size, n_samples) * n_in * n_out`` float64, for spike input.
    """
    n_samples, n_in = int(data.shape[0]), int(data.shape[-1])
    n_steps = _n_steps(estimator, data)
    n_out = int(n_classes) * int(estimator.n_per_class)
    passes = int(estimator.max_iter) + 1
    check_work(
        passes * n_steps * n_out, n_samples, "SNNLZCClassifier.fit",
        f"{_steps_name(data)}, n_per_class or max_iter",
        f"(max_iter={estimator.max_iter} + 1 readout pass) x {n_steps} steps x {n_out} neurons",
    )
    if data.ndim == 3 and estimator.max_iter > 0:
        n_batch = min(int(estimator.batch_size), n_samples)
        check_allocation(
            8 * n_batch * n_in * n_out,
            f"SNNLZCClassifier.fit: the weight gradients of one batch ({n_batch}, {n_in}, {n_out})",
            "batch_size or n_per_class",
        )


def check_snnlzc_predict(estimator, data):
    """Refuse an SNN-LZC prediction of more than the limit per sample (``n_steps x n_out``)."""
    n_steps = int(data.shape[1]) if data.ndim == 3 else int(estimator._n_steps_run)
    n_out = int(estimator.coef_.shape[1])
    check_work(
        n_steps * n_out, int(data.shape[0]), "SNNLZCClassifier predict", _steps_name(data),
        f"{n_steps} steps x {n_out} neurons",
    )
