"""Export fitted skspike estimators to NIR graphs (``to_nir``)."""

import warnings

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler
from sklearn.utils.validation import check_is_fitted

from ._graph import import_nir

__all__ = ["to_nir", "nir_input", "NIRExportWarning"]

_CLIP = 2.5  # NGSNNClassifier clips standardised features to +-2.5


class NIRExportWarning(UserWarning):
    """A part of the estimator that NIR cannot express was left out of the graph."""


def _per_neuron(value, n):
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


def _check_lif(neuron, dt_ms, owner):
    """Reject neuron features NIR's LIF/CubaLIF cannot express (naming them)."""
    from ..neurons import LIF, AdaptiveLIF, Izhikevich, MetaNeuron

    name = type(neuron).__name__
    if isinstance(neuron, AdaptiveLIF):
        raise ValueError(
            f"{owner}: AdaptiveLIF (adaptive threshold, spike-frequency adaptation) has no NIR "
            "primitive; NIR's LIF has a fixed threshold. Use neuron=LIF(...) to export."
        )
    if isinstance(neuron, Izhikevich):
        raise ValueError(f"{owner}: the Izhikevich neuron (quadratic membrane, recovery u) has no NIR primitive.")
    if isinstance(neuron, MetaNeuron):
        coupled = any(np.any(np.asarray(getattr(neuron, f)) != 0) for f in ("a", "b", "d"))
        if coupled:
            raise ValueError(
                f"{owner}: MetaNeuron's recovery variable u (a, b, d not all zero) has no NIR primitive; "
                "only its a=b=d=0 case, identical to LIF, can be exported."
            )
    elif not isinstance(neuron, LIF):
        raise ValueError(f"{owner}: neuron model {name} cannot be exported to NIR.")
    if neuron.reset != "zero":
        raise ValueError(
            f"{owner}: reset='{neuron.reset}' (subtract reset) has no NIR primitive; NIR's LIF "
            "resets to v_reset. Use reset='zero' to export."
        )
    if np.any(np.rint(np.asarray(neuron.t_ref, dtype=np.float64) / dt_ms) > 0):
        raise ValueError(
            f"{owner}: refractoriness (t_ref={neuron.t_ref} ms, at least one step of {dt_ms} ms) has no NIR "
            "primitive. Use t_ref=0 to export."
        )


def _spiking_layer(nir, prefix, neuron, W, pre_bias, post_bias, dt_ms, dt_s, owner, strict=False):
    """Nodes (connection, neuron) reproducing one skspike LIF layer under forward Euler.

    skspike steps ``v <- v_rest + (v - v_rest) d + g (I + b)`` with ``d =
    exp(-dt/tau_m)`` and ``g = (1 - d) r_m``; forward Euler of NIR's LIF
    gives ``v <- (1 - dt/tau) v + (dt/tau)(v_leak + R I)``. The exported
    ``tau = dt / (1 - d)`` makes the leak factors equal, potentials are
    measured from ``v_rest`` (``v_leak = 0``) and in units of each neuron's
    threshold above rest (threshold 1), ``R = tau / dt`` and the gain ``g``
    is folded into the weights, so a consumer stepping ``dt`` multiplies by
    exactly the same factors.
    """
    n = W.shape[1]
    full = neuron.broadcast(n)
    decay = np.exp(-dt_ms / full.tau_m)
    gain = (1.0 - decay) * full.r_m
    tau = dt_s / (1.0 - decay)
    thr = full.v_thresh - full.v_rest
    reset = full.v_reset - full.v_rest
    if np.all(thr > 0):
        scale = 1.0 / thr
        thr = np.ones(n)
    else:  # a threshold at or below rest: keep the units (no per-neuron rescaling possible)
        scale = np.ones(n)
    reset = reset * scale
    if not strict:
        # skspike fires on v >= threshold, NIR on v > threshold.
        thr = np.nextafter(thr, -np.inf)
    weight = (W * (gain * scale)).T
    tau_syn = full.tau_syn
    nodes = {}
    if np.all(tau_syn == 0):
        bias = (pre_bias + post_bias) * gain * scale
        nodes[f"{prefix}affine"] = nir.Affine(weight=weight, bias=bias)
        nodes[f"{prefix}lif"] = nir.LIF(
            tau=tau, r=tau / dt_s, v_leak=np.zeros(n), v_threshold=thr, v_reset=reset
        )
        return nodes, scale
    if np.any(tau_syn == 0):
        raise ValueError(f"{owner}: a layer mixing instantaneous (tau_syn=0) and filtered synapses cannot be exported.")
    a = np.exp(-dt_ms / tau_syn)
    # the pre-synaptic constant enters the filter, skspike's bias does not: it becomes v_leak.
    nodes[f"{prefix}affine"] = nir.Affine(weight=(W * scale).T, bias=pre_bias * scale)
    nodes[f"{prefix}lif"] = nir.CubaLIF(
        tau_syn=dt_s / (1.0 - a), tau_mem=tau, r=tau / dt_s, v_leak=post_bias * full.r_m * scale,
        v_threshold=thr, v_reset=reset, w_in=gain / (1.0 - a),
    )
    return nodes, scale


def _chain(nodes):
    names = list(nodes)
    return [(names[i], names[i + 1]) for i in range(len(names) - 1)]


def _graph(nir, n_in, body, extra_edges, metadata):
    n_out = None
    for node in body.values():
        if hasattr(node, "output_type") and node.output_type:
            n_out = int(np.asarray(list(node.output_type.values())[0]).ravel()[0])
    nodes = {"input": nir.Input(input_type={"input": np.array([n_in])}), **body,
             "output": nir.Output(output_type={"output": np.array([n_out])})}
    edges = _chain(nodes) + list(extra_edges)
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata=metadata)


def _export_ngsnn(est, dt, readout, input, pre):
    nir = import_nir()
    check_is_fitted(est, "output_weights_")
    owner = "NGSNNClassifier"
    _check_lif(est.neuron_, est.dt, owner)
    if est.n_neurons_ == 0:
        raise ValueError(f"{owner} grew no hidden neuron; there is no network to export.")
    dt_s = est.dt * 1e-3 if dt is None else float(dt)
    if not hasattr(est, "input_weights_"):
        family = type(getattr(est, "candidates_", None)).__name__
        raise ValueError(
            f"NGSNNClassifier grew {family} neurons (synaptic delays / temporal kernels), which "
            "NIR cannot express (it has no delay or temporal-convolution primitive); refit with "
            "a delay-free family, e.g. candidates='fields', to export it."
        )
    if getattr(est, "input_kind_", None) == "spikes" and type(est.candidates_).__name__ == "SpikeTrainCandidates":
        raise ValueError(
            "NGSNNClassifier read these rate-coded spike trains through their spike counts over the "
            "window (rate neurons of candidates='auto'), which NIR cannot express step by step; refit "
            "with candidates='fields' (spike-driven neurons) to export it."
        )
    W = np.asarray(est.input_weights_, dtype=np.float64)
    b = np.asarray(est.biases_, dtype=np.float64)
    pre_bias = np.zeros(W.shape[1])
    static = est.input_kind_ == "static" and getattr(est, "encoder_", None) is None
    if est.input_kind_ == "static" and not static:
        warnings.warn(
            f"{owner}: its encoder {type(est.encoder_).__name__} is not a NIR primitive; the graph's input is "
            "the encoder's spike trains (see skspike.nir.nir_input).", NIRExportWarning, stacklevel=3)
    if static:
        if input == "raw":
            mu, sigma = est.input_mean_, est.input_scale_
            pre_bias = -(mu / sigma) @ W
            W = W / sigma[:, None]
            warnings.warn(
                f"{owner}: NIR has no clipping node; the exported graph standardises the features but does not "
                f"clip them to +-{_CLIP} standard deviations, so samples with more extreme features get a "
                "stronger current than in skspike. Export with input='standardised' and feed "
                "skspike.nir.nir_input(estimator, X, input='standardised') for an exact graph.",
                NIRExportWarning, stacklevel=3)
            if pre is not None:
                W, pre_bias = _fold_pre(W, pre_bias, pre)
        # with input="standardised" the graph starts after the scalers (nir_input applies them)
    elif pre is not None:
        raise ValueError(f"{owner} was fitted on spike trains; a scaler before it cannot be folded into NIR.")
    body, _ = _spiking_layer(nir, "hidden.", est.neuron_, W, pre_bias, b, est.dt, dt_s, owner)
    T = int(est._n_steps_sim)
    meta = {"dt": dt_s, "n_steps": T, "source": "skspike.NGSNNClassifier",
            "input": "static" if static else "spikes"}
    if readout:
        beta = np.asarray(est.output_weights_, dtype=np.float64)
        norm = float(T) if est.activity == "rate" else float(T) ** 2
        body["count"] = nir.I(r=np.full(est.n_neurons_, 1.0 / dt_s))
        if est.activity == "trace":
            body["trace"] = nir.I(r=np.full(est.n_neurons_, 1.0 / dt_s))
        body["readout"] = nir.Affine(weight=beta.T / norm, bias=np.asarray(est.intercept_, dtype=np.float64))
        meta["readout"] = "last"
    return _graph(nir, W.shape[0], body, [], meta)


def _export_stdp(est, dt, readout, input, pre):
    nir = import_nir()
    check_is_fitted(est, "weights_")
    from ..encoding import PoissonEncoder
    from ..neurons import LIF

    owner = "STDPFeatureExtractor"
    if pre is not None:
        raise ValueError(f"{owner} runs on spike trains; a scaler before it cannot be folded into NIR.")
    nrn = est.neuron_  # the fitted AdaptiveLIF (frozen threshold in transform)
    _check_lif(LIF(tau_m=nrn.tau_m, v_reset=0.0, v_thresh=1.0, t_ref=nrn.t_ref), est.dt, owner)
    if getattr(est, "synapse", None) is not None:
        raise ValueError(f"{owner}: its dynamic synapse (synapse=) is not a NIR primitive.")
    if getattr(est, "off_channels_", False) and est.input_kind_ != "static":
        raise ValueError(f"{owner}: its OFF channels are drawn from each train's rate, which is not a NIR "
                         "primitive; fit it with off_channels=False to export it.")
    encoder = getattr(est, "encoder_", None)
    if est.input_kind_ == "static" and encoder is not None:
        msg = (f"{owner}: its encoder {type(encoder).__name__} is not a NIR primitive; the graph's input is "
               "the encoder's spike trains (see skspike.nir.nir_input)")
        if isinstance(encoder, PoissonEncoder) and est.min_spikes > 0:
            msg += (f", and the re-presentation of samples answered by fewer than min_spikes={est.min_spikes} "
                    "spikes at a higher rate is not exported")
        warnings.warn(msg + ".", NIRExportWarning, stacklevel=3)
    dt_s = est.dt * 1e-3 if dt is None else float(dt)
    W = np.asarray(est.weights_, dtype=np.float64) * float(getattr(est, "synaptic_gain_", 1.0))
    n = W.shape[1]
    # frozen thresholds v_thresh + theta_ (transform does not adapt them); STDP fires on v > thr.
    # instantaneous voltage jumps: the weights act with gain 1, i.e. r_m = 1 / (1 - decay)
    decay = np.exp(-est.dt / nrn.tau_m)
    neuron = LIF(tau_m=nrn.tau_m, v_rest=nrn.v_rest, v_reset=nrn.v_reset,
                 v_thresh=np.asarray(est.thresholds_, dtype=np.float64), r_m=1.0 / (1.0 - decay))
    body, scale = _spiking_layer(nir, "hidden.", neuron, W, np.zeros(n), np.zeros(n), est.dt, dt_s, owner,
                                 strict=True)
    # Linear, not Affine: no bias on spike input
    aff = body.pop("hidden.affine")
    body = {"hidden.linear": nir.Linear(weight=aff.weight), **body}
    edges = []
    inhibition = est._readout_inhibition()  # transform's lateral inhibition (inference_inhibition)
    repeat = int(est.inference_window)
    if repeat > 1:
        warnings.warn(
            f"{owner}: transform presents each spike train inference_window={repeat} times back to back "
            f"(no reset in between); the graph is the layer: feed it np.tile(spikes, (1, {repeat}, 1)) "
            "(metadata 'input_repeat') for transform's output.", NIRExportWarning, stacklevel=3)
    if inhibition != 0:
        rec = -inhibition * (np.ones((n, n)) - np.eye(n)) * scale[:, None]
        body["hidden.w_rec"] = nir.Linear(weight=rec)
        edges = [("hidden.lif", "hidden.w_rec"), ("hidden.w_rec", "hidden.lif")]
    nodes = {"input": nir.Input(input_type={"input": np.array([W.shape[0]])}), **body,
             "output": nir.Output(output_type={"output": np.array([n])})}
    chain = [("input", "hidden.linear"), ("hidden.linear", "hidden.lif"), ("hidden.lif", "output")]
    meta = {"dt": dt_s, "n_steps": int(est.n_steps_), "source": "skspike.STDPFeatureExtractor",
            "input": "spikes", "reduce": "sum", "input_repeat": repeat}
    return nir.NIRGraph(nodes=nodes, edges=chain + edges, metadata=meta)


def _export_snnlzc(est, dt, readout, input, pre):
    nir = import_nir()
    check_is_fitted(est, "coef_")
    owner = "SNNLZCClassifier"
    _check_lif(est.neuron_, est.dt, owner)
    warnings.warn(
        f"{owner}: only the spiking layer is exported; its decision={est.decision!r} read-out (Lempel-Ziv "
        "complexity and/or rates of the output spike trains, then a discriminant) is not a NIR primitive: "
        "apply it to the graph's output spikes.", NIRExportWarning, stacklevel=3)
    dt_s = est.dt * 1e-3 if dt is None else float(dt)
    W = np.asarray(est.coef_, dtype=np.float64)
    b = np.asarray(est.intercept_, dtype=np.float64)
    pre_bias = np.zeros(W.shape[1])
    static = est.input_kind_ == "static" and getattr(est, "_encoder", None) is None
    if est.input_kind_ == "static" and not static:
        warnings.warn(f"{owner}: its encoder is not a NIR primitive; the graph's input is the encoder's spike "
                      "trains.", NIRExportWarning, stacklevel=3)
    if pre is not None:
        if not static:
            raise ValueError(f"{owner} runs on spike trains; a scaler before it cannot be folded into NIR.")
        W, pre_bias = _fold_pre(W, pre_bias, pre)
    neuron = est.neuron_
    from ..neurons import LIF, MetaNeuron

    if isinstance(neuron, MetaNeuron):
        neuron = LIF(tau_m=neuron.tau_m, v_rest=neuron.v_rest, v_reset=neuron.v_reset, v_thresh=neuron.v_thresh,
                     t_ref=neuron.t_ref, tau_syn=neuron.tau_syn, r_m=neuron.r_m)
    body, _ = _spiking_layer(nir, "hidden.", neuron, W, pre_bias, b, est.dt, dt_s, owner)
    meta = {"dt": dt_s, "n_steps": int(est._n_steps_run), "source": "skspike.SNNLZCClassifier",
            "input": "static" if static else "spikes"}
    return _graph(nir, W.shape[0], body, [], meta)


def _fold_pre(W, pre_bias, pre):
    """Fold ``x -> x * scale + offset`` (a fitted scaler) into the input weights."""
    scale, offset = pre
    return W * scale[:, None], pre_bias + offset @ W


def _scaler_affine(step):
    if isinstance(step, StandardScaler):
        mean = step.mean_ if step.with_mean else np.zeros(step.n_features_in_)
        sd = step.scale_ if step.with_std else np.ones(step.n_features_in_)
        return 1.0 / sd, -mean / sd
    if isinstance(step, MinMaxScaler):
        if step.clip:
            raise ValueError("MinMaxScaler(clip=True) clips, which NIR cannot express.")
        return step.scale_, step.min_
    if isinstance(step, MaxAbsScaler):
        return 1.0 / step.scale_, np.zeros(step.n_features_in_)
    return None


_EXPORTERS = {
    "NGSNNClassifier": _export_ngsnn,
    "STDPFeatureExtractor": _export_stdp,
    "SNNLZCClassifier": _export_snnlzc,
}


def to_nir(estimator, *, dt=None, readout=True, input="raw"):
    """Export a fitted skspike estimator (or Pipeline) as a ``nir.NIRGraph``.

    Parameters
    ----------
    estimator : NGSNNClassifier, STDPFeatureExtractor, SNNLZCClassifier or Pipeline
        Fitted. A Pipeline may start with fitted ``StandardScaler``,
        ``MinMaxScaler`` or ``MaxAbsScaler`` steps (folded into the input
        weights) and must end with one of the three estimators.
    dt : float or None, default=None
        Step in **seconds** of the consumer that will run the graph; None is
        the estimator's own ``dt`` (ms) / 1000. The time constants are chosen
        so that a forward-Euler consumer stepping ``dt`` reproduces
        skspike's spikes (see Notes). snnTorch's ``import_from_nir`` always
        steps 1e-4 s: export with ``dt=1e-4`` for it (the graph's time axis
        is then rescaled by ``1e-4 / (estimator.dt / 1000)``).
    readout : bool, default=True
        NGSNNClassifier: append its activity read-out (integrator nodes) and
        the affine class read-out. False stops at the spiking layer.
    input : {"raw", "standardised"}, default="raw"
        NGSNNClassifier on static features: "raw" folds its standardisation
        into the input Affine (its +-2.5 sigma clip cannot be expressed, a
        :class:`NIRExportWarning` says so); "standardised" exports the graph
        on the standardised, clipped features, exact for every input (get
        them with :func:`nir_input`).

    Returns
    -------
    graph : nir.NIRGraph
        ``graph.metadata`` holds ``dt`` (s), ``n_steps`` and, for a class
        read-out, ``readout="last"``; :func:`from_nir` reads them.

    Raises
    ------
    ValueError
        For what NIR cannot express, naming it: subtract reset,
        refractoriness (``t_ref`` of a step or more), AdaptiveLIF (adaptive
        threshold), Izhikevich, MetaNeuron with coupling, and other Pipeline
        steps.

    Notes
    -----
    **Time constants.** skspike integrates the LIF exactly for a current held
    over a step: ``v <- v_rest + (v - v_rest) e^{-dt/tau_m} + (1 -
    e^{-dt/tau_m}) r_m I``. NIR states the ODE ``tau dv/dt = (v_leak - v) +
    R I`` in seconds; a forward-Euler consumer computes ``v <- (1 -
    dt/tau) v + (dt/tau)(v_leak + R I)``. The exported

    .. math:: \\tau_{NIR} = \\frac{dt}{1 - e^{-dt/\\tau_m}}

    (slightly longer than ``tau_m``: 20.5 ms for ``tau_m = 20``, ``dt = 1``
    ms) makes the two leak factors identical; CubaLIF's ``tau_syn`` maps the
    same way. ``R = tau / dt`` and the gain ``(1 - e^{-dt/tau_m}) r_m`` is
    folded into the weights (snnTorch's importer requires ``R dt / tau =
    1``). An exact-exponential consumer of the graph instead sees a
    slightly slower membrane.

    **Potentials** are exported relative to ``v_rest`` (``v_leak = 0``) and
    in units of each neuron's threshold above rest, so every threshold is 1
    (snnTorch's importer needs one threshold per layer); spikes are unchanged.

    **Threshold.** skspike's LIF fires on ``v >= v_thresh``, NIR on ``v >
    v_threshold``: the exported threshold is the next float64 below 1.
    (STDPFeatureExtractor already fires on ``>`` and is exported as is.) A
    float32 consumer cannot resolve that step, so a potential landing
    exactly on the threshold (rare with real-valued weights) may differ.

    **NGSNNClassifier**: Input -> Affine (standardisation and gain folded in)
    -> LIF or CubaLIF -> I (running spike count) [-> I (its running sum), for
    ``activity="trace"``] -> Affine (output weights / T or / T^2, intercept)
    -> Output. Fed the same input for ``n_steps`` steps (direct current) or
    the spike trains, the Output at the last step equals
    ``decision_function`` (``metadata["readout"] = "last"``). A bias behind a
    synaptic filter (tau_syn > 0) is exported as CubaLIF's ``v_leak``.

    **STDPFeatureExtractor**: Input (spikes) -> Linear -> LIF with the learned
    thresholds ``v_thresh + theta_`` frozen (as in ``transform``), lateral
    inhibition as a recurrent Linear edge LIF -> LIF (one-step delay, as
    skspike) -> Output; the spike counts are the Output summed over time.

    **SNNLZCClassifier**: the spiking layer only (Affine -> LIF); its LZC /
    rate read-out is not a NIR primitive.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skspike.classifiers import NGSNNClassifier
    >>> from skspike.nir import to_nir, from_nir, nir_input
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = NGSNNClassifier(max_neurons=10, random_state=0).fit(X, y)
    >>> graph = to_nir(clf, input="standardised")
    >>> sorted(graph.nodes)
    ['count', 'hidden.affine', 'hidden.lif', 'input', 'output', 'readout', 'trace']
    >>> net = from_nir(graph)
    >>> bool((net.predict(nir_input(clf, X, input="standardised")) == clf.predict(X)).mean() > 0.99)
    True
    """
    if input not in ("raw", "standardised"):
        raise ValueError(f"input must be 'raw' or 'standardised', got {input!r}.")
    pre = None
    if isinstance(estimator, Pipeline):
        steps = [s for _, s in estimator.steps if s not in (None, "passthrough")]
        if not steps:
            raise ValueError("The Pipeline has no step to export.")
        last = steps[-1]
        for step in steps[:-1]:
            affine = _scaler_affine(step)
            if affine is None:
                raise ValueError(
                    f"Pipeline step {type(step).__name__} cannot be exported to NIR; only StandardScaler, "
                    "MinMaxScaler and MaxAbsScaler (folded into the input weights) may precede the spiking estimator."
                )
            pre = affine if pre is None else (pre[0] * affine[0], pre[1] * affine[0] + affine[1])
        estimator = last
    exporter = _EXPORTERS.get(type(estimator).__name__)
    if exporter is None:
        raise TypeError(
            f"to_nir exports NGSNNClassifier, STDPFeatureExtractor, SNNLZCClassifier and Pipelines ending in "
            f"one; got {type(estimator).__name__}."
        )
    return exporter(estimator, dt, readout, input, pre)


def nir_input(estimator, X, *, input="raw"):
    """The per-step input the graph ``to_nir(estimator, input=input)`` expects for ``X``.

    Parameters
    ----------
    estimator : fitted NGSNNClassifier, STDPFeatureExtractor, SNNLZCClassifier or Pipeline
    X : array-like
        What the estimator's ``predict``/``transform`` takes.
    input : {"raw", "standardised"}, default="raw"

    Returns
    -------
    data : ndarray
        Static features ``(n_samples, n_features)`` (hold them for
        ``graph.metadata["n_steps"]`` steps) or spike trains ``(n_samples,
        n_steps, n_channels)``: the raw ``X``, NGSNN's standardised and
        clipped features (``input="standardised"``), or the estimator's
        encoder's spikes (``encoder_.transform(X)``: the very spikes
        NGSNNClassifier and SNNLZCClassifier simulate; for
        STDPFeatureExtractor's fused Poisson code a draw of the same rates:
        the very spikes of its first inference window when the encoder has
        an int ``random_state`` and there are no OFF channels, else other
        spikes of the same rates).
    """
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps[:-1]:
            if step not in (None, "passthrough"):
                X = step.transform(X)
        estimator = estimator.steps[-1][1]
    X = np.asarray(X)
    if X.ndim == 3:
        return X
    encoder = getattr(estimator, "encoder_", None) or getattr(estimator, "_encoder", None)
    if encoder is not None and not isinstance(encoder, str) and hasattr(encoder, "transform"):
        return encoder.transform(X)
    if input == "standardised" and type(estimator).__name__ == "NGSNNClassifier":
        return estimator._standardise(np.asarray(X, dtype=np.float64))
    return np.asarray(X, dtype=np.float64)
