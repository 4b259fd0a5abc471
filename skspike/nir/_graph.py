"""Parse a NIR graph into an executable plan of skspike layer operations.

A plan is a list of :class:`_Step` in topological order; each step names its
node, its kind, its predecessors and the kernel-ready parameters. Nothing
here runs a simulation (see ``_network.py``); ``nir`` is imported lazily.
"""

from dataclasses import dataclass, field

import numpy as np

from ..neurons import _kernels as K

__all__ = ["build_plan", "import_nir", "SUPPORTED_NODES"]

SUPPORTED_NODES = (
    "Input", "Output", "Affine", "Linear", "Scale", "Flatten", "LIF", "CubaLIF", "LI", "IF", "I",
    "Threshold", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d",
)
# Nodes whose output is a spike train (counted as activations, NeuroBench-style).
SPIKING = ("LIF", "CubaLIF", "IF", "Threshold")
NEURONS = ("LIF", "CubaLIF", "LI", "IF", "I")
CONNECTIONS = ("Affine", "Linear", "Conv1d", "Conv2d")


def import_nir():
    """Import the optional ``nir`` package with an actionable error."""
    try:
        import nir
    except ImportError as exc:  # pragma: no cover - exercised without the extra
        raise ImportError(
            "skspike.nir needs the 'nir' package: pip install 'skspike[nir]' (or pip install nir)."
        ) from exc
    return nir


@dataclass
class _Step:
    name: str
    kind: str
    inputs: list
    in_shape: tuple = ()
    out_shape: tuple = ()
    params: dict = field(default_factory=dict)


def _arr(value):
    return np.asarray(value, dtype=np.float64)


def _shape_of(types):
    """The single shape of a NIR input_type/output_type dict."""
    if not types:
        return None
    values = list(types.values())
    if len(values) != 1:
        raise ValueError(f"Only single-port NIR nodes are supported, got ports {list(types)}.")
    shape = np.asarray(values[0]).astype(np.int64).ravel()
    return tuple(int(s) for s in shape)


def _topological(nodes, edges):
    preds = {name: [] for name in nodes}
    succs = {name: [] for name in nodes}
    for src, dst in edges:
        for end in (src, dst):
            if end not in nodes:
                raise ValueError(f"NIR edge ({src!r}, {dst!r}) names the unknown node {end!r}.")
        preds[dst].append(src)
        succs[src].append(dst)
    indeg = {name: len(p) for name, p in preds.items()}
    order = []
    ready = sorted(n for n, d in indeg.items() if d == 0)
    while ready:
        n = ready.pop(0)
        order.append(n)
        for m in succs[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    if len(order) != len(nodes):
        cyclic = sorted(n for n, d in indeg.items() if d > 0)
        raise ValueError(
            "from_nir simulates feed-forward NIR graphs only; the graph has recurrent edges "
            f"(a cycle through {cyclic}). Recurrent graphs (e.g. snnTorch RLeaky, skspike's "
            "lateral inhibition) need a recurrent consumer."
        )
    return order, preds


def _neuron_params(kind, node, dt, n):
    """Packed LIF-kernel parameters reproducing the forward-Euler step of ``node``.

    NIR fires on ``v > v_threshold``; the kernel on ``v >= v_thresh``, so the
    threshold is moved up by one unit in the last place (exact for float64).
    """
    p = np.zeros((K.N_PARAMS, n), dtype=np.float64)

    def full(value):
        a = _arr(value).reshape(-1)
        if a.size == 1:
            return np.full(n, a[0])
        if a.size != n:
            raise ValueError(f"NIR {kind} parameter of shape {np.shape(value)} does not match {n} neurons.")
        return a

    thresh = np.full(n, np.inf)
    reset = np.zeros(n)
    if kind in ("LIF", "LI"):
        tau = full(node.tau)
        p[K.P_DECAY_M] = 1.0 - dt / tau
        p[K.P_GAIN] = dt / tau * full(node.r)
        p[K.P_REST_DRIVE] = dt / tau * full(node.v_leak)
    elif kind == "CubaLIF":
        tau_mem = full(node.tau_mem)
        tau_syn = full(node.tau_syn)
        p[K.P_DECAY_SYN] = 1.0 - dt / tau_syn
        p[K.P_DECAY_M] = 1.0 - dt / tau_mem
        p[K.P_GAIN] = dt / tau_mem * full(node.r)
        p[K.P_REST_DRIVE] = dt / tau_mem * full(node.v_leak)
    else:  # IF, I: dv/dt = R I
        p[K.P_DECAY_M] = 1.0
        p[K.P_GAIN] = dt * full(node.r)
    if kind in ("LIF", "CubaLIF", "IF"):
        thresh = np.nextafter(full(node.v_threshold), np.inf)
        reset = full(node.v_reset) if getattr(node, "v_reset", None) is not None else np.zeros(n)
    p[K.P_V_THRESH] = thresh
    p[K.P_V_RESET] = reset
    # NIR states start at zero.
    p[K.P_V_REST] = 0.0
    in_scale = None
    if kind == "CubaLIF":
        in_scale = dt / full(node.tau_syn) * full(getattr(node, "w_in", 1.0))
    return p, in_scale


def build_plan(graph, dt):
    """Executable plan of a feed-forward NIR graph stepped with forward Euler.

    Parameters
    ----------
    graph : nir.NIRGraph
        The graph; nested graphs are rejected.
    dt : float
        Step length in seconds.

    Returns
    -------
    plan : list of _Step
        Topological order; the first step is the Input, the last the Output.
    """
    nir = import_nir()
    if not isinstance(graph, nir.NIRGraph):
        raise TypeError(f"from_nir expects a nir.NIRGraph or a path to a .nir file, got {type(graph).__name__}.")
    nodes = graph.nodes
    order, preds = _topological(nodes, graph.edges)
    inputs = [n for n in order if isinstance(nodes[n], nir.Input)]
    outputs = [n for n in order if isinstance(nodes[n], nir.Output)]
    if len(inputs) != 1 or len(outputs) != 1:
        raise ValueError(
            f"from_nir needs exactly one Input and one Output node, got {len(inputs)} and {len(outputs)}."
        )
    plan = []
    shapes = {}
    for name in order:
        node = nodes[name]
        kind = type(node).__name__
        if isinstance(node, nir.NIRGraph):
            raise ValueError(
                f"Node {name!r} is a nested NIRGraph (e.g. a recurrent snnTorch RLeaky/RSynaptic); "
                "from_nir simulates flat feed-forward graphs only."
            )
        if kind not in SUPPORTED_NODES:
            raise ValueError(
                f"NIR node {name!r} of type {kind} is not supported by from_nir; supported: "
                f"{', '.join(SUPPORTED_NODES)}."
            )
        srcs = preds[name]
        if kind == "Input":
            step = _Step(name, kind, [], out_shape=_shape_of(node.input_type))
            shapes[name] = step.out_shape
            plan.append(step)
            continue
        if not srcs:
            raise ValueError(f"NIR node {name!r} ({kind}) has no incoming edge.")
        in_shapes = {shapes[s] for s in srcs}
        if len(in_shapes) != 1:
            raise ValueError(f"Inputs of NIR node {name!r} have different shapes {sorted(in_shapes)}.")
        in_shape = in_shapes.pop()
        step = _Step(name, kind, list(srcs), in_shape=in_shape)
        if kind == "Output":
            step.out_shape = in_shape
        elif kind in ("Affine", "Linear"):
            weight = _arr(node.weight)
            if weight.ndim != 2 or weight.shape[1] != in_shape[-1]:
                raise ValueError(
                    f"{kind} node {name!r}: weight of shape {weight.shape} does not act on input of shape {in_shape}."
                )
            step.params["weight"] = weight
            step.params["bias"] = _arr(node.bias) if kind == "Affine" else None
            step.out_shape = in_shape[:-1] + (weight.shape[0],)
        elif kind == "Scale":
            step.params["scale"] = _arr(node.scale)
            step.out_shape = in_shape
        elif kind == "Flatten":
            start = node.start_dim % len(in_shape) if len(in_shape) else 0
            end = node.end_dim % len(in_shape) if len(in_shape) else 0
            step.out_shape = in_shape[:start] + (int(np.prod(in_shape[start:end + 1])),) + in_shape[end + 1:]
        elif kind == "Threshold":
            n = int(np.prod(in_shape))
            step.params["threshold"] = np.broadcast_to(_arr(node.threshold), in_shape).reshape(n)
            step.out_shape = in_shape
        elif kind in NEURONS:
            n = int(np.prod(in_shape))
            params, in_scale = _neuron_params(kind, node, dt, n)
            step.params["packed"] = params
            step.params["in_scale"] = in_scale
            step.out_shape = in_shape
        elif kind in ("Conv1d", "Conv2d"):
            step.params.update(_conv_params(node, kind, in_shape, name))
            step.out_shape = step.params["out_shape"]
        else:  # pooling
            step.params.update(_pool_params(node, kind, in_shape, name))
            step.out_shape = step.params["out_shape"]
        shapes[name] = step.out_shape
        plan.append(step)
    if plan[-1].kind != "Output":
        # the Output may not be last in a topological order when a branch dangles
        raise ValueError("The NIR graph's Output node must be reachable from every other node's output.")
    return plan


def _tuple(value, dims):
    value = np.asarray(value).astype(np.int64).ravel()
    if value.size == 1:
        value = np.repeat(value, dims)
    return tuple(int(v) for v in value)


def _conv_params(node, kind, in_shape, name):
    dims = 1 if kind == "Conv1d" else 2
    weight = _arr(node.weight)
    if len(in_shape) != dims + 1:
        raise ValueError(f"{kind} node {name!r} needs input of shape (channels, {'L' if dims == 1 else 'H, W'}), "
                         f"got {in_shape}.")
    if int(node.groups) != 1:
        raise ValueError(f"{kind} node {name!r}: grouped convolutions (groups={node.groups}) are not supported.")
    stride = _tuple(node.stride, dims)
    dilation = _tuple(node.dilation, dims)
    if isinstance(node.padding, str):
        if node.padding == "valid":
            padding = (0,) * dims
        elif node.padding == "same":
            padding = tuple((dilation[d] * (weight.shape[2 + d] - 1)) // 2 for d in range(dims))
        else:
            raise ValueError(f"{kind} node {name!r}: unknown padding {node.padding!r}.")
    else:
        padding = _tuple(node.padding, dims)
    spatial = in_shape[1:]
    out_sp = tuple(
        (spatial[d] + 2 * padding[d] - dilation[d] * (weight.shape[2 + d] - 1) - 1) // stride[d] + 1
        for d in range(dims)
    )
    bias = _arr(node.bias) if getattr(node, "bias", None) is not None else np.zeros(weight.shape[0])
    return {"weight": weight, "bias": np.broadcast_to(bias, (weight.shape[0],)), "stride": stride,
            "padding": padding, "dilation": dilation, "out_shape": (weight.shape[0],) + out_sp}


def _pool_params(node, kind, in_shape, name):
    if len(in_shape) != 3:
        raise ValueError(f"{kind} node {name!r} needs input of shape (channels, H, W), got {in_shape}.")
    ks = _tuple(node.kernel_size, 2)
    stride = _tuple(node.stride, 2)
    padding = _tuple(node.padding, 2)
    out_sp = tuple((in_shape[1 + d] + 2 * padding[d] - ks[d]) // stride[d] + 1 for d in range(2))
    return {"kernel_size": ks, "stride": stride, "padding": padding, "average": kind == "AvgPool2d",
            "out_shape": (in_shape[0],) + out_sp}
