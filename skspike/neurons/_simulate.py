"""Public entry point of the neuron dynamics: :func:`simulate`."""

import math
import numbers

import numpy as np

from .._config import check_allocation, check_work
from .._ops import OperationCounts
from ..utils._validation import check_scalar_or_array, check_spikes
from . import _kernels as K
from ._models import NeuronModel

__all__ = ["simulate"]

_OUTPUTS = {"spikes": K.OUT_SPIKES, "counts": K.OUT_COUNTS, "voltage": K.OUT_VOLTAGE}
# Elements of one batch's input/output buffers (bounds the temporaries).
_BATCH_ELEMENTS = 1 << 25


def _resolve_dtype(dtype, source):
    if dtype is None:
        return np.dtype(np.float32) if source is not None and source.dtype == np.float32 else np.dtype(np.float64)
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}.")
    return dtype


def _check_finite(arr, name):
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers, got dtype {arr.dtype}.")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity.")


def simulate(
    neuron,
    inputs,
    weights=None,
    *,
    bias=None,
    n_steps=None,
    dt=1.0,
    output="spikes",
    batch_size=None,
    dtype=None,
    synapse=None,
):
    """Simulate one layer of spiking neurons and count its operations.

    Parameters
    ----------
    neuron : LIF, AdaptiveLIF, Izhikevich or MetaNeuron
        Neuron model; its parameters may be scalars or arrays of shape
        ``(n_out,)``.
    inputs : array-like
        One of

        - spikes, shape ``(n_samples, n_steps, n_in)``, values 0/1, with
          ``weights``: simulated event-driven;
        - a static current, shape ``(n_samples, n_in)``, held for ``n_steps``
          steps (direct encoding), with ``weights``;
        - with ``weights=None``, the neurons' input currents themselves:
          shape ``(n_samples, n_steps, n_out)`` or, held for ``n_steps``,
          ``(n_samples, n_out)``.
    weights : array-like of shape (n_in, n_out) or None, default=None
        Synaptic weights (a spike through ``w`` is a current ``w`` during
        one step).
    bias : float or array-like of shape (n_out,), default=None
        Constant current added to every neuron at every step (after the
        synaptic filter).
    n_steps : int, default=None
        Number of steps for static inputs (required); for time-resolved
        inputs it must be None or equal ``inputs.shape[1]``.
    dt : float, default=1.0
        Step length in ms.
    output : {"spikes", "counts", "voltage"}, default="spikes"
        What to return: spikes ``uint8 (n_samples, n_steps, n_out)``, spike
        counts ``int32 (n_samples, n_out)``, or the membrane potential at the
        end of each step (after any reset) ``(n_samples, n_steps, n_out)``.
    batch_size : int, default=None
        Samples converted and simulated per kernel call; None bounds each
        batch to about 32 M input or output elements.
    dtype : {None, np.float32, np.float64}, default=None
        Floating type of the simulation. None follows ``weights`` (or the
        current ``inputs`` when ``weights`` is None): float32 if they are
        float32, float64 otherwise.
    synapse : SynapseModel or None, default=None
        A dynamic synapse (short-term plasticity) on every input channel,
        e.g. :class:`~skspike.synapses.TsodyksMarkram`: a spike through
        ``w`` then becomes a current ``efficacy * w``, the efficacy given by
        the channel's own spike history (``synapse.efficacy(inputs, dt)``).
        Spike inputs with ``weights`` only.

    Returns
    -------
    result : ndarray
        Spikes, counts or voltage, see ``output``.
    ops : OperationCounts
        Per-sample averages. ``synaptic_ac``: input spikes times the number
        of non-zero weights they reach (event-driven accumulates).
        ``synaptic_mac``: for a static current, the non-zero inputs times
        their non-zero fan-out, counted once per sample (the product
        ``X @ W`` is computed once and held, not per step).
        ``dense_ops``: ``n_steps * n_in * n_out`` for spikes,
        ``n_in * n_out`` for a static current, 0 without weights.
        ``neuron_updates`` and ``n_activations``: ``n_steps * n_out``.
        ``spikes``: output spikes. ``footprint_bytes``: weights, bias,
        packed parameters and one sample's state.

    Raises
    ------
    skspike._config.WorkLimitError
        If ``n_steps * n_out`` neuron updates per sample exceed
        ``skspike._config.max_updates_per_sample()`` (default 1e9), before
        anything runs; lift it with ``skspike._config.limits``.
    MemoryError
        If the output would exceed ``skspike._config.max_bytes()``.

    Notes
    -----
    Each step ``t`` computes the input ``x[t]`` (sum of the weight rows of
    the inputs that spiked, the static current, or the given current),
    filters it by the synapse ``I[t] = exp(-dt/tau_syn) I[t-1] + x[t]``
    (``I[t] = x[t]`` when ``tau_syn = 0``), then advances the neurons with
    input ``I[t] + bias`` (see each model's Notes for its update). Samples
    are independent and run in parallel (``prange``), so results do not
    depend on the thread count. The static product ``x @ W`` is computed
    inside the kernel, once per sample, in a fixed order (not by BLAS),
    skipping zero inputs. Spike inputs cost one weight row per input spike
    plus one update per neuron and step (event-driven).

    A spike through weight ``w`` is a current ``w`` during one step of
    ``dt`` ms: with ``tau_syn = 0`` it moves a resting LIF membrane by
    ``r_m w (1 - exp(-dt/tau_m))``, about ``r_m w dt / tau_m``.

    The kernels underneath (``skspike.neurons._kernels``) are pure numba
    functions for estimators that need their own loops (e.g. plasticity):
    ``model, params = neuron.kernel_params(n_out, dt, dtype)``, then
    ``new_state``, ``accumulate_spikes``/``accumulate_current`` and
    ``step_neurons`` per step.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.neurons import LIF, simulate
    >>> counts, ops = simulate(LIF(tau_m=10.0), np.array([[0.5], [2.0]]),
    ...                        n_steps=100, output="counts")
    >>> counts.ravel().tolist()
    [0, 14]
    >>> ops.neuron_updates
    100.0
    """
    if not isinstance(neuron, NeuronModel):
        raise TypeError(
            f"neuron must be a skspike.neurons model (LIF, AdaptiveLIF, Izhikevich, "
            f"MetaNeuron), got {type(neuron).__name__}."
        )
    if output not in _OUTPUTS:
        raise ValueError(f"output must be one of {sorted(_OUTPUTS)}, got {output!r}.")
    out_mode = _OUTPUTS[output]
    if isinstance(dt, bool) or not isinstance(dt, numbers.Real) or not np.isfinite(dt) or dt <= 0:
        raise ValueError(f"dt must be a positive number of ms, got {dt!r}.")

    if hasattr(inputs, "tocsr") or hasattr(inputs, "todense"):  # scipy.sparse
        raise TypeError(
            f"inputs is a sparse {type(inputs).__name__}; simulate accepts dense arrays: spikes/currents "
            "of shape (n_samples, n_steps, n_channels) or a static current of shape (n_samples, "
            "n_channels). Use inputs.toarray()."
        )
    inputs = np.asarray(inputs)
    if inputs.ndim not in (2, 3):
        raise ValueError(
            "inputs must be spikes/currents of shape (n_samples, n_steps, n_channels) or a "
            f"static current of shape (n_samples, n_channels); got shape {inputs.shape}."
        )
    if inputs.shape[0] < 1 or inputs.shape[-1] < 1:
        raise ValueError(f"inputs has no samples or no channels: shape {inputs.shape}.")
    static = inputs.ndim == 2
    if static:
        if n_steps is None:
            raise ValueError("n_steps is required for a static input current of shape (n_samples, n_in).")
        if isinstance(n_steps, bool) or not isinstance(n_steps, numbers.Integral) or n_steps < 1:
            raise ValueError(f"n_steps must be a positive integer, got {n_steps!r}.")
        n_steps = int(n_steps)
    else:
        if inputs.shape[1] < 1:
            raise ValueError(f"inputs has no time steps: shape {inputs.shape}.")
        if n_steps is not None and n_steps != inputs.shape[1]:
            raise ValueError(f"n_steps={n_steps!r} does not match inputs with {inputs.shape[1]} time steps.")
        n_steps = inputs.shape[1]
    n_samples, n_in = inputs.shape[0], inputs.shape[-1]
    if synapse is not None:
        from ..synapses import SynapseModel

        if not isinstance(synapse, SynapseModel):
            raise TypeError(
                f"synapse must be a skspike.synapses model (e.g. TsodyksMarkram), got "
                f"{type(synapse).__name__}."
            )
        if static or weights is None:
            raise ValueError(
                "synapse= applies to spike inputs of shape (n_samples, n_steps, n_in) with weights; "
                "got a static current or no weights."
            )

    if weights is not None:
        weights = np.asarray(weights)
        if weights.ndim != 2:
            raise ValueError(f"weights must have shape (n_in, n_out), got shape {weights.shape}.")
        _check_finite(weights, "weights")
        if weights.shape[0] != n_in:
            raise ValueError(
                f"weights has {weights.shape[0]} rows but inputs have {n_in} channels; "
                "weights must have shape (n_in, n_out)."
            )
        if weights.shape[1] < 1:
            raise ValueError("weights has no output neurons (shape[1] == 0).")
        n_out = weights.shape[1]
        dtype = _resolve_dtype(dtype, weights if weights.dtype.kind == "f" else None)
        weights = np.ascontiguousarray(weights, dtype=dtype)
        fanout = np.count_nonzero(weights, axis=1).astype(np.int64)
    else:
        n_out = n_in
        dtype = _resolve_dtype(dtype, inputs if inputs.dtype.kind == "f" else None)
        fanout = None

    bias_arr = np.zeros(n_out, dtype=dtype) if bias is None else check_scalar_or_array(bias, "bias", n_out)
    bias_arr = np.ascontiguousarray(bias_arr, dtype=dtype)
    if not np.isfinite(bias_arr).all():
        raise ValueError("bias contains NaN or infinity.")
    model, params = neuron.kernel_params(n_out, dt, dtype)

    # Work before bytes: a count output is small however long the simulation.
    check_work(
        n_steps * n_out + (n_in * n_out if static and weights is not None else 0), n_samples, "simulate",
        "n_steps" if static else "the number of steps of inputs (or of neurons)",
        f"n_steps={n_steps} x {n_out} neurons",
    )
    itemsize = {K.OUT_SPIKES: 1, K.OUT_COUNTS: 4}.get(out_mode, np.dtype(dtype).itemsize)
    out_shape = (n_samples, n_out) if out_mode == K.OUT_COUNTS else (n_samples, n_steps, n_out)
    check_allocation(
        math.prod(out_shape) * itemsize, f"simulate: the {output} output of shape {out_shape}",
        "n_steps" if static else "the number of samples (simulate them in chunks)",
    )
    if out_mode == K.OUT_SPIKES:
        result = np.empty((n_samples, n_steps, n_out), dtype=np.uint8)
    elif out_mode == K.OUT_COUNTS:
        result = np.empty((n_samples, n_out), dtype=np.int32)
    else:
        result = np.empty((n_samples, n_steps, n_out), dtype=dtype)
    empty_spikes = np.empty((0, 0, 0), dtype=np.uint8)
    empty_counts = np.empty((0, 0), dtype=np.int32)
    empty_voltage = np.empty((0, 0, 0), dtype=dtype)
    empty_weights = np.empty((0, 0), dtype=dtype)
    fanout_arr = fanout if fanout is not None else np.empty(0, dtype=np.int64)

    if batch_size is None:
        per_sample = max(n_in, n_out) * (1 if static else n_steps)
        if out_mode != K.OUT_COUNTS:
            per_sample = max(per_sample, n_steps * n_out)
        if synapse is not None:  # the float64 efficacies of a batch's input spikes
            per_sample += 8 * n_in * n_steps
        batch_size = max(1, _BATCH_ELEMENTS // per_sample)
    elif isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")

    n_spikes = np.zeros(n_samples, dtype=np.int64)
    n_syn = np.zeros(n_samples, dtype=np.int64)
    if weights is not None and not static:
        kind = "spikes"
    elif weights is not None or static:
        kind = "static"
    else:
        kind = "currents"
    if kind != "spikes" and inputs.dtype.kind not in "biuf":
        raise ValueError(f"inputs must hold numbers, got dtype {inputs.dtype}.")

    no_eff = np.empty((0, 0, 0))
    for start in range(0, n_samples, batch_size):
        stop = min(n_samples, start + batch_size)
        outs = (
            result[start:stop] if out_mode == K.OUT_SPIKES else empty_spikes,
            result[start:stop] if out_mode == K.OUT_COUNTS else empty_counts,
            result[start:stop] if out_mode == K.OUT_VOLTAGE else empty_voltage,
        )
        if kind == "spikes":
            batch = np.ascontiguousarray(check_spikes(inputs[start:stop], name="inputs"))
            # a dynamic synapse scales each spike by its efficacy (zero where no spike)
            eff = no_eff if synapse is None else synapse.efficacy(batch, dt)
            K.spike_input_kernel(
                batch, eff, weights, fanout, bias_arr, model, params, out_mode, *outs,
                n_syn[start:stop], n_spikes[start:stop],
            )
        elif kind == "static":
            _check_finite(inputs[start:stop], "inputs")
            batch = np.ascontiguousarray(inputs[start:stop], dtype=dtype)
            K.static_input_kernel(
                batch, weights if weights is not None else empty_weights, fanout_arr, weights is not None,
                bias_arr, n_steps, model, params, out_mode, *outs, n_syn[start:stop], n_spikes[start:stop],
            )
        else:
            _check_finite(inputs[start:stop], "inputs")
            currents = np.ascontiguousarray(inputs[start:stop], dtype=dtype)
            K.current_input_kernel(currents, bias_arr, model, params, out_mode, *outs, n_spikes[start:stop])

    itemsize = np.dtype(dtype).itemsize
    footprint = bias_arr.nbytes + params.nbytes + (3 * itemsize + 4) * n_out  # v, syn, w + int32 ref
    if synapse is not None:
        footprint += 3 * 8 * n_in * 2  # parameters and state (u, x, last spike) per channel
    if weights is not None:
        footprint += weights.nbytes
        n_connections = int(weights.size)
        n_zero = int(weights.size - fanout.sum())
        dense_ops = float(n_in * n_out * (1 if static else n_steps))
    else:
        n_connections = n_zero = 0
        dense_ops = 0.0
    syn_mean = float(n_syn.mean())
    ops = OperationCounts(
        synaptic_ac=syn_mean if kind == "spikes" else 0.0,
        synaptic_mac=syn_mean if (kind == "static" and weights is not None) else 0.0,
        dense_ops=dense_ops,
        neuron_updates=float(n_steps * n_out),
        spikes=float(n_spikes.mean()),
        n_activations=float(n_steps * n_out),
        n_connections=n_connections,
        n_zero_connections=n_zero,
        footprint_bytes=int(footprint),
    )
    return result, ops
