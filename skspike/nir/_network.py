"""Estimators simulating a NIR graph on skspike's neuron kernels."""

from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .._ops import OperationCounts
from ..neurons import _kernels as K
from ..utils._threads import numba_threads, threads_from_n_jobs
from ._graph import CONNECTIONS, NEURONS, SPIKING, build_plan, import_nir

__all__ = ["NIRNetwork", "NIRClassifier", "from_nir"]

# Elements (samples x steps x widest layer) per simulated batch.
_BATCH_ELEMENTS = 1 << 24


def _load(graph):
    if isinstance(graph, (str, bytes)) or hasattr(graph, "__fspath__"):
        return import_nir().read(graph)
    return graph


def _graph_dt(graph, dt):
    if dt is not None:
        return float(dt)
    meta = getattr(graph, "metadata", None) or {}
    if "dt" in meta:
        return float(meta["dt"])
    raise ValueError(
        "dt (the step length in seconds) is required: NIR graphs carry continuous-time dynamics "
        "and this graph has no 'dt' in its metadata. snnTorch exports assume dt=1e-4."
    )


def _windows(x, kernel, stride, dilation):
    """Sliding windows of ``x`` (B, C, *spatial) -> (B, C, *out, *kernel)."""
    dims = len(kernel)
    span = tuple(dilation[d] * (kernel[d] - 1) + 1 for d in range(dims))
    w = np.lib.stride_tricks.sliding_window_view(x, span, axis=tuple(range(2, 2 + dims)))
    sl = (slice(None), slice(None)) + tuple(slice(None, None, stride[d]) for d in range(dims))
    sl += tuple(slice(None, None, dilation[d]) for d in range(dims))
    return w[sl]


def _conv(x, weight, stride, padding, dilation):
    dims = weight.ndim - 2
    pad = ((0, 0), (0, 0)) + tuple((p, p) for p in padding)
    win = _windows(np.pad(x, pad), weight.shape[2:], stride, dilation)
    if dims == 1:
        return np.einsum("bclk,ock->bol", win, weight, optimize=True)
    return np.einsum("bchwij,ocij->bohw", win, weight, optimize=True)


def _pool(x, params):
    ks, stride, padding = params["kernel_size"], params["stride"], params["padding"]
    pad = ((0, 0), (0, 0)) + tuple((p, p) for p in padding)
    win = _windows(np.pad(x, pad), ks, stride, (1, 1))
    out = win.sum(axis=(-2, -1))
    return out / float(ks[0] * ks[1]) if params["average"] else out


def _is_binary(x):
    return bool(np.all((x == 0) | (x == 1) | (x == -1)))


class _Counter:
    """Accumulates NeuroBench-style operation counts over batches."""

    def __init__(self):
        self.ac = self.mac = self.dense = self.updates = self.spikes = self.slots = 0.0

    def connection(self, step, x):
        """Effective and dense synaptic operations of connection ``step`` on ``x`` (B, T, *in)."""
        nz = (x != 0).astype(np.float64)
        p = step.params
        if step.kind in ("Affine", "Linear"):
            fanout = np.count_nonzero(p["weight"], axis=0).astype(np.float64)
            eff = float(nz.reshape(-1, nz.shape[-1]).sum(axis=0) @ fanout)
            dense = float(nz.shape[0] * nz.shape[1] * np.prod(nz.shape[2:-1], dtype=np.float64)) * p["weight"].size
        else:
            flat = nz.reshape((-1,) + nz.shape[2:])
            mask = (p["weight"] != 0).astype(np.float64)
            eff = float(_conv(flat, mask, p["stride"], p["padding"], p["dilation"]).sum())
            ones = np.ones((1,) + nz.shape[2:])
            dense = float(_conv(ones, np.ones_like(mask), p["stride"], p["padding"], p["dilation"]).sum())
            dense *= flat.shape[0]
        if _is_binary(x):
            self.ac += eff
        else:
            self.mac += eff
        self.dense += dense


def _run(plan, X, n_steps, dtype, counter=None):
    """Values of every node on batch ``X`` of shape (B, T, *input_shape) -> output (B, T, *out)."""
    values = {}
    B, T = X.shape[:2]
    for step in plan:
        if step.kind == "Input":
            values[step.name] = X
            continue
        x = values[step.inputs[0]]
        for other in step.inputs[1:]:
            x = x + values[other]
        p = step.params
        if counter is not None and step.kind in CONNECTIONS:
            counter.connection(step, x)
        if step.kind == "Output":
            y = x
        elif step.kind in ("Affine", "Linear"):
            flat = x.reshape(-1, x.shape[-1]).astype(np.float64, copy=False)
            y = (flat @ p["weight"].T).reshape(x.shape[:-1] + (p["weight"].shape[0],))
            if p["bias"] is not None:
                y = y + p["bias"]
        elif step.kind == "Scale":
            y = x * p["scale"]
        elif step.kind == "Flatten":
            y = x.reshape((B, T) + step.out_shape)
        elif step.kind == "Threshold":
            flat = x.reshape(B, T, -1)
            y = (flat > p["threshold"]).astype(np.uint8).reshape((B, T) + step.out_shape)
        elif step.kind in ("Conv1d", "Conv2d"):
            flat = x.reshape((B * T,) + step.in_shape).astype(np.float64, copy=False)
            y = _conv(flat, p["weight"], p["stride"], p["padding"], p["dilation"])
            y = (y + p["bias"].reshape((-1,) + (1,) * (y.ndim - 2))).reshape((B, T) + step.out_shape)
        elif step.kind in ("SumPool2d", "AvgPool2d"):
            flat = x.reshape((B * T,) + step.in_shape).astype(np.float64, copy=False)
            y = _pool(flat, p).reshape((B, T) + step.out_shape)
        else:  # neuron layers on the shared LIF kernel
            y = _simulate_neurons(step, x, dtype)
        if counter is not None and step.kind in NEURONS:
            counter.updates += float(B * T * np.prod(step.out_shape))
        if counter is not None and step.kind in SPIKING:
            counter.spikes += float(np.count_nonzero(y))
            counter.slots += float(y.size)
        values[step.name] = y
    return values[plan[-1].name]


def _simulate_neurons(step, x, dtype):
    B, T = x.shape[:2]
    n = int(np.prod(step.out_shape))
    p = step.params
    currents = x.reshape(B, T, n).astype(np.float64)
    if p["in_scale"] is not None:
        currents = currents * p["in_scale"]
    currents = np.ascontiguousarray(currents, dtype=dtype)
    params = np.ascontiguousarray(p["packed"], dtype=dtype)
    bias = np.zeros(n, dtype=dtype)
    empty_f = np.empty((0, 0, 0), dtype=dtype)
    n_spikes = np.zeros(B, dtype=np.int64)
    if step.kind in SPIKING:
        out = np.empty((B, T, n), dtype=np.uint8)
        K.current_input_kernel(currents, bias, K.MODEL_LIF, params, K.OUT_SPIKES, out,
                               np.empty((0, 0), np.int32), empty_f, n_spikes)
    else:
        out = np.empty((B, T, n), dtype=dtype)
        K.current_input_kernel(currents, bias, K.MODEL_LIF, params, K.OUT_VOLTAGE,
                               np.empty((0, 0, 0), np.uint8), np.empty((0, 0), np.int32), out, n_spikes)
        out = out.astype(np.float64, copy=False)
    return out.reshape((B, T) + step.out_shape)


class NIRNetwork(TransformerMixin, BaseEstimator):
    """A NIR graph simulated with forward Euler on skspike's neuron kernels.

    The graph (trained in snnTorch, Norse, Sinabs, ... or exported by
    :func:`skspike.nir.to_nir`) is run step by step; nothing is learned, so
    ``fit`` only checks the graph and records the input size. Use
    :func:`from_nir` to build one.

    Parameters
    ----------
    graph : nir.NIRGraph or str
        The graph or the path of a ``.nir`` file.
    dt : float or None, default=None
        Step length in **seconds** of the forward-Euler discretisation. None
        reads ``graph.metadata["dt"]`` (graphs written by :func:`to_nir`).
        Graphs exported by snnTorch assume ``dt=1e-4``.
    n_steps : int or None, default=None
        Steps for static input ``(n_samples, n_features)``, which is held
        constant for ``n_steps`` steps (direct current input). None reads
        ``graph.metadata["n_steps"]``. Time-resolved input brings its own.
    reduce : {"sum", "mean", "last", "none"}, default="sum"
        What ``transform`` returns from the Output node's time series: the
        sum over steps (spike counts), the mean, the value at the last step
        (an integrator's read-out), or the whole series ``(n_samples,
        n_steps, n_outputs)``.
    dtype : {"float64", "float32"}, default="float64"
        Floating type of the neuron simulation (float32 mimics PyTorch
        consumers bit for bit more often).
    n_jobs : int or None, default=None
        Threads of the neuron kernels and of the matrix products (BLAS).
        None means 1 (the fastest on a shared machine), -1 all.

    Attributes
    ----------
    plan_ : list
        The parsed graph in topological order.
    input_shape_, output_shape_ : tuple
        Per-step shapes of the Input and Output nodes.
    n_features_in_ : int
        ``prod(input_shape_)``.
    dt_ : float
        Step length in seconds used.

    See Also
    --------
    to_nir : Export a fitted skspike estimator.
    NIRClassifier : The same simulation with a class read-out.

    Notes
    -----
    Each NIR ODE is stepped with forward Euler of step ``dt``: an LIF node
    ``tau dv/dt = (v_leak - v) + R I`` becomes ``v <- (1 - dt/tau) v +
    (dt/tau)(v_leak + R I)``; CubaLIF first updates its current ``I <- (1 -
    dt/tau_syn) I + (dt/tau_syn) w_in S`` and feeds the new ``I``; IF and I
    use ``v <- v + dt R I``; LI as LIF without spikes. A spike is emitted
    when ``v > v_threshold`` (NIR's strict comparison; the kernel's ``>=``
    is given the next float above the threshold) and ``v`` is set to
    ``v_reset`` in the same step. States start at zero; edges into one node
    are summed. Stateless nodes (Affine, Linear, Scale, Flatten, Conv1d,
    Conv2d, SumPool2d, AvgPool2d, Threshold) act on each step. These are the
    conventions of snnTorch's importer (Leaky, Synaptic with
    ``reset_delay=False``). Recurrent edges and nested graphs are rejected.

    **Operation counts** follow NeuroBench: every connection node (Affine,
    Linear, Conv) costs one synaptic operation per non-zero input and
    non-zero weight at every step (biases excluded), counted as an
    accumulate when all its inputs are in {-1, 0, 1} (spikes) and as a
    multiply-accumulate otherwise; dense operations count every weight at
    every step; activation sparsity is over the outputs of the spiking nodes
    (LIF, CubaLIF, IF, Threshold). NeuroBench decides spiking per batch and
    step; here it is decided per node over the whole call.

    Examples
    --------
    >>> import numpy as np, nir
    >>> from skspike.nir import from_nir
    >>> graph = nir.NIRGraph.from_list(
    ...     nir.Linear(weight=np.array([[2.0, 0.0], [0.0, 0.5]])),
    ...     nir.LIF(tau=np.full(2, 2e-3), r=np.full(2, 2.0), v_leak=np.zeros(2),
    ...             v_threshold=np.ones(2)))
    >>> net = from_nir(graph, dt=1e-3, n_steps=5)
    >>> net.transform(np.array([[1.0, 1.0]]))
    array([[5., 0.]])
    """

    _parameter_constraints: dict = {
        "graph": "no_validation",
        "dt": [None, Interval(Real, 0, None, closed="neither")],
        "n_steps": [None, Interval(Integral, 1, None, closed="left")],
        "reduce": [StrOptions({"sum", "mean", "last", "none"})],
        "dtype": [StrOptions({"float64", "float32"})],
        "n_jobs": [None, Integral],
    }

    def __init__(self, graph, *, dt=None, n_steps=None, reduce="sum", dtype="float64", n_jobs=None):
        self.graph = graph
        self.dt = dt
        self.n_steps = n_steps
        self.reduce = reduce
        self.dtype = dtype
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Parse the graph (nothing is learned).

        Parameters
        ----------
        X : ignored
        y : ignored

        Returns
        -------
        self : object
        """
        return _fit_network(self)

    def _prepare(self, X):
        check_is_fitted(self)
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            raise ValueError(f"X must hold numbers, got dtype {X.dtype}.")
        if X.dtype.kind == "f" and not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinity.")
        n_in = self.n_features_in_
        if X.ndim == 2:
            if X.shape[1] != n_in:
                raise ValueError(f"X has {X.shape[1]} features, but the NIR graph's input has {n_in}.")
            if self.n_steps_ is None:
                raise ValueError("Static X (n_samples, n_features) needs n_steps (steps to hold the input).")
            X = np.broadcast_to(X[:, None, :], (X.shape[0], self.n_steps_, n_in))
        elif X.ndim >= 3:
            if int(np.prod(X.shape[2:])) != n_in:
                raise ValueError(
                    f"X has per-step shape {X.shape[2:]}, but the NIR graph's input has shape {self.input_shape_}."
                )
        else:
            raise ValueError(f"X must be 2-D (static) or (n_samples, n_steps, ...) time series, got {X.ndim}-D.")
        return X.reshape(X.shape[:2] + tuple(self.input_shape_))

    @contextmanager
    def _threads(self):
        n = threads_from_n_jobs(self.n_jobs)
        with numba_threads(n), threadpool_limits(n, user_api="blas"):
            yield

    def _batches(self, X):
        width = max(int(np.prod(s.out_shape)) for s in self.plan_)
        size = max(1, _BATCH_ELEMENTS // max(1, X.shape[1] * width))
        for start in range(0, X.shape[0], size):
            yield np.ascontiguousarray(X[start:start + size], dtype=np.float64)

    def simulate(self, X):
        """Output node's time series.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, ...)

        Returns
        -------
        out : ndarray of shape (n_samples, n_steps, n_outputs)
            uint8 spikes if the Output follows a spiking node, else float64.
        """
        data = self._prepare(X)
        dtype = np.dtype(self.dtype)
        with self._threads():
            parts = [_run(self.plan_, b, b.shape[1], dtype) for b in self._batches(data)]
        out = np.concatenate(parts, axis=0) if parts else np.empty((0, data.shape[1]) + self.output_shape_)
        return out.reshape(out.shape[:2] + (-1,))

    def _reduced(self, X, reduce):
        out = self.simulate(X)
        if reduce == "none":
            return out
        if reduce == "last":
            return out[:, -1].astype(np.float64)
        if reduce == "mean":
            return out.mean(axis=1, dtype=np.float64)
        return out.sum(axis=1, dtype=np.float64)

    def transform(self, X):
        """Simulate ``X`` and reduce the Output over time (``reduce``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, ...)

        Returns
        -------
        Xt : ndarray of shape (n_samples, n_outputs) or (n_samples, n_steps, n_outputs)
        """
        return self._reduced(X, self.reduce)

    def count_operations(self, X):
        """Per-sample operation counts of running the graph on ``X`` (NeuroBench's definitions).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, ...)

        Returns
        -------
        counts : OperationCounts
        """
        data = self._prepare(X)
        counter = _Counter()
        dtype = np.dtype(self.dtype)
        with self._threads():
            for b in self._batches(data):
                _run(self.plan_, b, b.shape[1], dtype, counter)
        n = max(1, data.shape[0])
        n_conn = n_zero = footprint = 0
        for step in self.plan_:
            for key in ("weight", "bias", "packed", "scale", "threshold"):
                value = step.params.get(key)
                if value is not None:
                    footprint += int(np.asarray(value).size * 8)
            if step.kind in CONNECTIONS:
                n_conn += int(step.params["weight"].size)
                n_zero += int(np.count_nonzero(step.params["weight"] == 0))
        return OperationCounts(
            synaptic_ac=counter.ac / n,
            synaptic_mac=counter.mac / n,
            dense_ops=counter.dense / n,
            neuron_updates=counter.updates / n,
            spikes=counter.spikes / n,
            n_activations=counter.slots / n,
            n_connections=n_conn,
            n_zero_connections=n_zero,
            footprint_bytes=footprint,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags


class NIRClassifier(ClassifierMixin, NIRNetwork):
    """A NIR graph as a classifier: output ``k`` reduced over time scores class ``classes_[k]``.

    Parameters
    ----------
    graph, dt, n_steps, dtype, n_jobs
        As in :class:`NIRNetwork`.
    readout : {"sum", "mean", "last"} or None, default=None
        Reduction of the Output node over time giving the class scores:
        ``"sum"`` (spike counts, the usual rate-coded read-out of snnTorch
        models), ``"mean"``, or ``"last"`` (the value at the last step, for
        graphs ending in integrators and an Affine read-out, as exported by
        :func:`to_nir` from :class:`~skspike.classifiers.NGSNNClassifier`).
        None reads ``graph.metadata["readout"]``, else ``"sum"``.
    classes : array-like or None, default=None
        Label of each output; None uses ``0 .. n_outputs - 1`` (``fit``
        replaces them by the sorted labels of ``y``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_outputs,)
    readout_ : str

    Examples
    --------
    >>> import numpy as np, nir
    >>> from skspike.nir import from_nir
    >>> graph = nir.NIRGraph.from_list(
    ...     nir.Linear(weight=np.array([[2.0, 0.0], [0.0, 0.5]])),
    ...     nir.LIF(tau=np.full(2, 2e-3), r=np.full(2, 2.0), v_leak=np.zeros(2),
    ...             v_threshold=np.ones(2)))
    >>> clf = from_nir(graph, dt=1e-3, n_steps=5, classes=["a", "b"])
    >>> clf.predict(np.array([[1.0, 1.0], [0.0, 9.0]])).tolist()
    ['a', 'b']
    """

    _parameter_constraints: dict = {
        **{k: v for k, v in NIRNetwork._parameter_constraints.items() if k != "reduce"},
        "readout": [None, StrOptions({"sum", "mean", "last"})],
        "classes": [None, "array-like"],
    }

    def __init__(self, graph, *, dt=None, n_steps=None, readout=None, classes=None, dtype="float64", n_jobs=None):
        self.graph = graph
        self.dt = dt
        self.n_steps = n_steps
        self.readout = readout
        self.classes = classes
        self.dtype = dtype
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Parse the graph; with ``y``, label the outputs by the sorted classes of ``y``.

        Parameters
        ----------
        X : ignored
        y : array-like of shape (n_samples,) or None

        Returns
        -------
        self : object
        """
        _fit_network(self)
        graph = _load(self.graph)
        meta = getattr(graph, "metadata", None) or {}
        self.readout_ = self.readout or str(meta.get("readout", "sum"))
        n_out = int(np.prod(self.output_shape_))
        if y is not None:
            classes = np.unique(np.asarray(y))
        elif self.classes is not None:
            classes = np.asarray(self.classes)
        else:
            classes = np.arange(n_out)
        if classes.shape[0] != n_out:
            raise ValueError(f"The NIR graph has {n_out} outputs but {classes.shape[0]} classes were given.")
        self.classes_ = classes
        return self

    def decision_function(self, X):
        """Class scores: the Output reduced over time by ``readout_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, ...)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes)
        """
        return self._reduced(X, self.readout_)

    def predict(self, X):
        """Label of the highest-scoring output (ties: the first).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, ...)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]

    def transform(self, X):
        """Class scores (as :meth:`decision_function`)."""
        return self.decision_function(X)


def _fit_network(est):
    graph = _load(est.graph)
    est.dt_ = _graph_dt(graph, est.dt)
    est.plan_ = build_plan(graph, est.dt_)
    est.input_shape_ = est.plan_[0].out_shape
    est.output_shape_ = est.plan_[-1].out_shape
    est.n_features_in_ = int(np.prod(est.input_shape_))
    meta = getattr(graph, "metadata", None) or {}
    est.n_steps_ = int(est.n_steps if est.n_steps is not None else meta.get("n_steps", 0)) or None
    return est


def from_nir(graph, dt=None, *, n_steps=None, classes=None, readout=None, reduce="sum", dtype="float64",
             n_jobs=None):
    """Build a fitted scikit-learn estimator simulating a NIR graph on skspike's kernels.

    Parameters
    ----------
    graph : nir.NIRGraph or str
        The graph, or the path of a file written by ``nir.write``.
    dt : float or None, default=None
        Forward-Euler step in seconds (None: ``graph.metadata["dt"]``;
        snnTorch graphs use 1e-4).
    n_steps : int or None, default=None
        Steps for static input (None: ``graph.metadata["n_steps"]``).
    classes : array-like or None, default=None
        With ``classes`` or ``readout`` given, a :class:`NIRClassifier`
        labelling the outputs; otherwise a :class:`NIRNetwork`.
    readout : {"sum", "mean", "last"} or None, default=None
        Class read-out (see :class:`NIRClassifier`).
    reduce : {"sum", "mean", "last", "none"}, default="sum"
        ``transform`` output of a :class:`NIRNetwork`.
    dtype : {"float64", "float32"}, default="float64"
    n_jobs : int or None, default=None
        Threads (None: 1).

    Returns
    -------
    estimator : NIRNetwork or NIRClassifier
        Already fitted (nothing to learn); ``transform``/``predict`` and
        ``count_operations`` work at once, so
        :func:`skspike.energy.energy_report` prices the model.
    """
    graph = _load(graph)
    meta = getattr(graph, "metadata", None) or {}
    if classes is not None or readout is not None or "readout" in meta:
        est = NIRClassifier(graph, dt=dt, n_steps=n_steps, readout=readout, classes=classes, dtype=dtype,
                            n_jobs=n_jobs)
    else:
        est = NIRNetwork(graph, dt=dt, n_steps=n_steps, reduce=reduce, dtype=dtype, n_jobs=n_jobs)
    return est.fit()
