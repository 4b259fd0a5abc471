"""Neuron parameter objects: small, immutable, kernel-ready on demand.

Each model is a frozen dataclass holding scalars or per-neuron arrays. It
knows its equations (in its docstring) and how to turn itself into the packed
parameter matrix the numba kernels of :mod:`skspike.neurons._kernels` read
(:meth:`kernel_params`). Nothing here compiles anything.
"""

import dataclasses
from dataclasses import dataclass

import numpy as np

from . import _kernels as K

__all__ = ["LIF", "AdaptiveLIF", "Izhikevich", "MetaNeuron", "NeuronModel"]

_RESETS = ("zero", "subtract")
# Largest refractory countdown the kernels' int32 state holds.
_MAX_REF_STEPS = float(2**31 - 1)


def _as_param(value, name, auto=False):
    """A scalar float, or a read-only contiguous 1-D float64 array (or "auto" where allowed)."""
    if auto and isinstance(value, str) and value == "auto":
        return value
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        what = "a number, an array of numbers or 'auto'" if auto else "a number or an array of numbers"
        raise TypeError(f"{name} must be {what}, got {value!r}.")
    arr = arr.astype(np.float64)
    if arr.ndim == 0:
        value = float(arr)
        if not np.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}.")
        return value
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a scalar or a 1-D per-neuron array, got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    arr = np.array(arr, dtype=np.float64, order="C", copy=True)
    arr.setflags(write=False)
    return arr


def _check(condition, message, *values):
    """Raise ``ValueError(message.format(*values))`` unless ``condition`` holds everywhere."""
    if not np.all(condition):
        raise ValueError(message.format(*values))


@dataclass(frozen=True, eq=False)
class NeuronModel:
    """Base of the neuron parameter objects (not instantiated directly).

    Numeric parameters are floats or per-neuron arrays of shape
    ``(n_neurons,)``; all arrays of one object share that shape. Objects are
    immutable, compare by value and pickle.
    """

    #: Fields that may hold the placeholder "auto", resolved by the estimator that
    #: uses the model (e.g. ``AdaptiveLIF.tau_adapt`` in STDPFeatureExtractor).
    _AUTO_FIELDS = ()

    def __post_init__(self):
        size = None
        for field in self._numeric_fields():
            value = _as_param(getattr(self, field.name), field.name,
                              auto=field.name in self._AUTO_FIELDS)
            object.__setattr__(self, field.name, value)
            if isinstance(value, np.ndarray):
                if size is not None and value.shape[0] != size:
                    raise ValueError(
                        f"Per-neuron parameters of {type(self).__name__} must all have the "
                        f"same length; {field.name} has {value.shape[0]}, another has {size}."
                    )
                size = value.shape[0]
        object.__setattr__(self, "_n_neurons", size)
        self._validate()

    @classmethod
    def _numeric_fields(cls):
        return [f for f in dataclasses.fields(cls) if f.name != "reset"]

    def _validate(self):  # pragma: no cover - overridden
        pass

    # ------------------------------------------------ scikit-learn parameters
    @classmethod
    def _get_param_names(cls):
        return [f.name for f in dataclasses.fields(cls)]

    def get_params(self, deep=True):
        """Parameters of the model as a dict (scikit-learn protocol).

        Estimators that take a model as ``neuron=`` expose these with the
        nested syntax (``neuron__tau_m``) in their own ``get_params``,
        ``set_params`` and in :class:`~sklearn.model_selection.GridSearchCV`.

        Parameters
        ----------
        deep : bool, default=True
            Unused (models hold no nested objects); kept for the protocol.

        Returns
        -------
        params : dict
            Field name -> value (floats, per-neuron arrays, strings).
        """
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        """Set parameters in place and return self (scikit-learn protocol).

        The new values are validated as in the constructor (a ValueError
        leaves the model unchanged). This is the one way to change a model
        after construction (attribute assignment raises
        ``FrozenInstanceError``); it exists because scikit-learn's nested
        ``estimator.set_params(neuron__tau_m=...)`` changes the nested object
        in place. Estimators never change the model they were given: ``fit``
        works on a resolved copy (``neuron_``). A model used as a dict key
        must not be changed (its hash follows its values).

        Returns
        -------
        self : NeuronModel
        """
        if not params:
            return self
        valid = self._get_param_names()
        for key in params:
            if key not in valid:
                raise ValueError(
                    f"Invalid parameter {key!r} for {type(self).__name__}; valid parameters: {valid}."
                )
        checked = dataclasses.replace(self, **params)  # runs __post_init__ validation
        for name in valid:
            object.__setattr__(self, name, getattr(checked, name))
        object.__setattr__(self, "_n_neurons", checked._n_neurons)
        return self

    def __sklearn_clone__(self):
        """``sklearn.base.clone``: an equal, independent model."""
        return dataclasses.replace(self)

    def _check_resolved(self):
        for name in self._AUTO_FIELDS:
            if isinstance(getattr(self, name), str):
                raise ValueError(
                    f"{type(self).__name__}.{name}='auto' is resolved by the estimator that uses "
                    f"the model (see its documentation); give a number to use the model on its own."
                )

    @property
    def n_neurons(self):
        """Length of the per-neuron arrays, or None when all are scalars."""
        return self._n_neurons

    def broadcast(self, n_out):
        """The same model with every numeric parameter a float64 array ``(n_out,)``.

        Raises ValueError if a per-neuron array has another length.
        """
        self._check_resolved()
        n_out = int(n_out)
        if n_out < 1:
            raise ValueError(f"n_out must be >= 1, got {n_out}.")
        if self._n_neurons is not None and self._n_neurons != n_out:
            raise ValueError(
                f"{type(self).__name__} has per-neuron parameters for {self._n_neurons} "
                f"neurons, but the layer has {n_out} neurons."
            )
        values = {}
        for field in self._numeric_fields():
            value = getattr(self, field.name)
            values[field.name] = np.full(n_out, value) if np.ndim(value) == 0 else value
        return dataclasses.replace(self, **values)

    def kernel_params(self, n_out, dt, dtype=np.float64):
        """Packed per-neuron parameters for the kernels.

        Parameters
        ----------
        n_out : int
            Number of neurons of the layer.
        dt : float
            Step length in ms.
        dtype : {np.float32, np.float64}, default=np.float64
            Floating type of the simulation.

        Returns
        -------
        model : int
            Model code understood by ``skspike.neurons._kernels.step_neurons``.
        params : ndarray of shape (N_PARAMS, n_out)
            Rows indexed by the ``P_*`` constants of ``_kernels``.
        """
        dt = float(dt)
        if not (np.isfinite(dt) and dt > 0):
            raise ValueError(f"dt must be a positive number of ms, got {dt}.")
        full = self.broadcast(n_out)
        params = np.zeros((K.N_PARAMS, n_out), dtype=np.float64)
        model = full._pack(params, dt)
        return model, np.ascontiguousarray(params, dtype=dtype)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(
            np.array_equal(getattr(self, f.name), getattr(other, f.name))
            for f in dataclasses.fields(self)
        )

    def __hash__(self):
        items = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            items.append(tuple(value.tolist()) if isinstance(value, np.ndarray) else value)
        return hash((type(self).__name__, *items))


def _pack_lif_common(p, params, dt, decay_m):
    """Rows shared by the LIF family (p holds (n_out,) float64 arrays)."""
    params[K.P_DECAY_SYN] = _syn_decay(p.tau_syn, dt)
    params[K.P_DECAY_M] = decay_m
    params[K.P_GAIN] = (1.0 - decay_m) * p.r_m
    params[K.P_REST_DRIVE] = (1.0 - decay_m) * p.v_rest
    params[K.P_V_REST] = p.v_rest
    params[K.P_V_RESET] = p.v_reset
    params[K.P_V_THRESH] = p.v_thresh
    # Brian2's refractoriness: refractory while (t - t_spike) < t_ref, t_spike being the
    # step of the spike, so the membrane is clamped for the round(t_ref / dt) - 1 steps
    # after it. Capped so the int32 countdown cannot overflow (2**31 steps outlast any run).
    ref_steps = np.minimum(np.rint(p.t_ref / dt), _MAX_REF_STEPS)
    params[K.P_REF_STEPS] = np.maximum(ref_steps - 1.0, 0.0)
    params[K.P_SUBTRACT] = 1.0 if p.reset == "subtract" else 0.0
    params[K.P_ANY_REF] = 1.0 if (params[K.P_REF_STEPS] > 0).any() else 0.0


def _syn_decay(tau_syn, dt):
    with np.errstate(divide="ignore"):
        return np.where(tau_syn > 0, np.exp(-dt / np.where(tau_syn > 0, tau_syn, 1.0)), 0.0)


def _validate_lif(self):
    name = type(self).__name__
    if self.reset not in _RESETS:
        raise ValueError(f"{name}: reset must be 'zero' or 'subtract', got {self.reset!r}.")
    _check(self.tau_m > 0, "{}: tau_m must be > 0 ms, got {}.", name, self.tau_m)
    _check(self.tau_syn >= 0, "{}: tau_syn must be >= 0 ms (0 = instantaneous).", name)
    _check(self.t_ref >= 0, "{}: t_ref must be >= 0 ms, got {}.", name, self.t_ref)
    _check(
        self.v_thresh > self.v_reset,
        "{}: v_thresh must be above v_reset (got v_thresh={}, v_reset={}).",
        name,
        self.v_thresh,
        self.v_reset,
    )


@dataclass(frozen=True, eq=False)
class LIF(NeuronModel):
    """Leaky integrate-and-fire neuron.

    Parameters
    ----------
    tau_m : float or ndarray of shape (n_neurons,), default=20.0
        Membrane time constant in ms.
    v_rest : float or ndarray, default=0.0
        Resting potential.
    v_reset : float or ndarray, default=0.0
        Potential after a spike (``reset="zero"``).
    v_thresh : float or ndarray, default=1.0
        Firing threshold; must exceed ``v_reset``.
    t_ref : float or ndarray, default=0.0
        Absolute refractory period in ms (rounded to whole steps).
    reset : {"zero", "subtract"}, default="zero"
        ``"zero"`` sets ``v = v_reset`` after a spike; ``"subtract"`` sets
        ``v = v_reset + (v - v_thresh)`` (keeps the overshoot).
    tau_syn : float or ndarray, default=0.0
        Time constant in ms of the current-based synapse; 0 = instantaneous.
    r_m : float or ndarray, default=1.0
        Membrane resistance (input gain).

    Notes
    -----
    Potentials are dimensionless by default (threshold 1, rest 0); times are
    in ms. The membrane obeys

    .. math:: \\tau_m \\frac{dv}{dt} = v_{rest} - v + r_m I(t),

    and a spike is emitted when ``v >= v_thresh`` at the end of a step. The
    input current is piecewise constant over a step of ``dt`` ms, so the
    exponential-Euler step is exact:
    ``v <- v_rest + (v - v_rest) e^{-dt/tau_m} + r_m I (1 - e^{-dt/tau_m})``.
    **Refractoriness** follows Brian2: a neuron that spiked at step ``k``
    (time ``k dt``) is refractory while ``t - k dt < t_ref``, with ``t_ref``
    rounded to ``R = round(t_ref / dt)`` steps. It integrates again from step
    ``k + R`` on; in the ``R - 1`` steps in between the potential is clamped
    at its post-spike value and it cannot fire (the synaptic current keeps
    evolving but is not integrated). ``t_ref <= dt / 2`` (``R = 0``) or one
    step (``R = 1``) means no clamped step. Step ``k`` stands for the
    interval ``[k dt, (k + 1) dt)`` and a spike is reported in the step
    during which ``v`` reaches threshold.

    Under constant ``I`` with ``r_m I > v_thresh`` (and ``v_rest = 0``) the
    membrane climbs from ``v_reset`` to threshold in ``T = tau_m
    ln((r_m I - v_reset) / (r_m I - v_thresh))`` ms, so the continuous rate
    is ``1 / (t_ref + T)``. The discrete model takes ``ceil(T / dt)`` steps
    to climb, and its interspike interval is exactly

    .. math:: \\Delta = \\max(R - 1, 0) + \\lceil T / dt \\rceil \\text{ steps},

    that is ``t_ref + T`` rounded down to the step grid for ``R >= 1``
    (``T`` rounded up for ``R = 0``). Refractory periods longer than
    ``2**31 - 1`` steps are held at that length (longer than any run).

    With ``tau_syn > 0`` the step input ``x[t]`` (weighted spikes or a static
    current) feeds ``I[t] = e^{-dt/tau_syn} I[t-1] + x[t]``; a spike through
    weight ``w`` then injects a total charge ``w dt / (1 - e^{-dt/tau_syn})``.

    Examples
    --------
    >>> from skspike.neurons import LIF
    >>> LIF(tau_m=10.0, t_ref=2.0).broadcast(3).tau_m
    array([10., 10., 10.])
    """

    tau_m: object = 20.0
    v_rest: object = 0.0
    v_reset: object = 0.0
    v_thresh: object = 1.0
    t_ref: object = 0.0
    reset: str = "zero"
    tau_syn: object = 0.0
    r_m: object = 1.0

    _validate = _validate_lif

    def _pack(self, params, dt):
        _pack_lif_common(self, params, dt, np.exp(-dt / self.tau_m))
        return K.MODEL_LIF


@dataclass(frozen=True, eq=False)
class AdaptiveLIF(NeuronModel):
    """LIF neuron with an adaptive threshold (spike-frequency adaptation).

    Parameters
    ----------
    tau_m, v_rest, v_reset, v_thresh, t_ref, reset, tau_syn, r_m
        As in :class:`LIF`.
    tau_adapt : float, ndarray or "auto", default=100.0
        Time constant in ms of the threshold adaptation ``theta``.
        ``"auto"`` is a placeholder that an estimator resolves by its own
        rule (:class:`~skspike.feature_extraction.STDPFeatureExtractor`:
        the homeostatic balance of Diehl & Cook, see :meth:`diehl_cook`);
        a model with ``"auto"`` cannot be simulated on its own.
    theta_jump : float or ndarray, default=0.05
        Increase of ``theta`` at each spike (>= 0).

    Notes
    -----
    The membrane follows :class:`LIF`; the threshold is
    ``v_thresh + theta`` with ``tau_adapt dtheta/dt = -theta`` (exact step
    ``theta <- theta e^{-dt/tau_adapt}``, applied before the threshold test)
    and ``theta += theta_jump`` after each spike. With ``reset="subtract"``
    the potential becomes ``v_reset + (v - v_thresh - theta)``.

    Examples
    --------
    >>> from skspike.neurons import AdaptiveLIF
    >>> AdaptiveLIF(theta_jump=0.1).theta_jump
    0.1
    >>> AdaptiveLIF.diehl_cook().v_thresh
    -52.0
    """

    tau_m: object = 20.0
    v_rest: object = 0.0
    v_reset: object = 0.0
    v_thresh: object = 1.0
    t_ref: object = 0.0
    reset: str = "zero"
    tau_syn: object = 0.0
    r_m: object = 1.0
    tau_adapt: object = 100.0
    theta_jump: object = 0.05

    _AUTO_FIELDS = ("tau_adapt",)

    @classmethod
    def diehl_cook(cls, **overrides):
        """The excitatory neuron of Diehl & Cook (2015), as STDPFeatureExtractor uses it.

        Conductance-free version with instantaneous voltage-jump synapses
        (``tau_syn = 0``): ``tau_m = 100`` ms, ``v_rest = -65`` mV,
        ``v_reset = -60`` mV, ``v_thresh = -52`` mV, ``t_ref = 5`` ms, an
        adaptive threshold with ``theta_jump = 1.0`` mV per spike (the paper's
        0.05 mV suits 60000 samples x several epochs; on hundreds to
        thousands of samples the larger step is what makes the neurons
        specialise) and ``tau_adapt = "auto"`` (the paper's balance of
        threshold growth and decay, resolved by the extractor as
        ``tau_theta_ = 2.5 n_neurons T_w / theta_jump`` ms, ``T_w`` the
        presentation window). ``overrides`` replace fields, e.g.
        ``AdaptiveLIF.diehl_cook(theta_jump=0.05, tau_adapt=1e7)`` for the
        paper's values.

        References
        ----------
        .. [1] P. U. Diehl and M. Cook, "Unsupervised learning of digit
           recognition using spike-timing-dependent plasticity", Frontiers in
           Computational Neuroscience 9:99, 2015.
        """
        params = dict(tau_m=100.0, v_rest=-65.0, v_reset=-60.0, v_thresh=-52.0, t_ref=5.0,
                      theta_jump=1.0, tau_adapt="auto")
        params.update(overrides)
        return cls(**params)

    def _validate(self):
        _validate_lif(self)
        if not isinstance(self.tau_adapt, str):
            _check(self.tau_adapt > 0, "AdaptiveLIF: tau_adapt must be > 0 ms.")
        _check(self.theta_jump >= 0, "AdaptiveLIF: theta_jump must be >= 0.")

    def _pack(self, params, dt):
        _pack_lif_common(self, params, dt, np.exp(-dt / self.tau_m))
        params[K.P_DECAY_W] = np.exp(-dt / self.tau_adapt)
        params[K.P_JUMP] = self.theta_jump
        return K.MODEL_ADAPTIVE


@dataclass(frozen=True, eq=False)
class MetaNeuron(NeuronModel):
    """Second-order neuron: membrane ``v`` coupled to a recovery variable ``u``.

    Parameters
    ----------
    tau_m : float or ndarray, default=20.0
        Membrane time constant in ms.
    tau_u : float or ndarray, default=100.0
        Time constant in ms of ``u``.
    v_thresh : float or ndarray, default=1.0
        Firing threshold.
    a : float or ndarray, default=0.0
        Sub-threshold coupling of ``u`` to ``v`` (``a > 0`` with ``b > 0``
        gives adaptation, ``a < 0`` resonance-like rebound).
    b : float or ndarray, default=0.0
        Coupling of ``u`` back onto ``v`` (as a current).
    d : float or ndarray, default=0.0
        Jump of ``u`` at each spike (spike-triggered adaptation if ``b*d > 0``).
    v_rest, v_reset, reset, tau_syn, r_m, t_ref
        As in :class:`LIF`.

    Notes
    -----
    Dimensionless potentials, times in ms:

    .. math::

        \\tau_m \\frac{dv}{dt} = v_{rest} - v + r_m I - b u, \\qquad
        \\tau_u \\frac{du}{dt} = a (v - v_{rest}) - u,

    spike when ``v >= v_thresh``; then ``v`` is reset as in :class:`LIF` and
    ``u += d``. Each step applies the exact exponential-Euler update to both
    equations with the other variable held at its value at the start of the
    step. With ``a = b = d = 0`` the membrane update is the same arithmetic as
    :class:`LIF`, so the spike trains are identical. Every parameter may be
    a per-neuron array (these are what :class:`~skspike.classifiers.SNNLZCClassifier` learns).

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.neurons import MetaNeuron
    >>> MetaNeuron(tau_m=np.array([10.0, 20.0]), b=0.5, d=0.2).n_neurons
    2
    """

    tau_m: object = 20.0
    tau_u: object = 100.0
    v_thresh: object = 1.0
    a: object = 0.0
    b: object = 0.0
    d: object = 0.0
    v_rest: object = 0.0
    v_reset: object = 0.0
    reset: str = "zero"
    tau_syn: object = 0.0
    r_m: object = 1.0
    t_ref: object = 0.0

    def _validate(self):
        _validate_lif(self)
        _check(self.tau_u > 0, "MetaNeuron: tau_u must be > 0 ms.")

    def _pack(self, params, dt):
        decay_m = np.exp(-dt / self.tau_m)
        _pack_lif_common(self, params, dt, decay_m)
        decay_u = np.exp(-dt / self.tau_u)
        params[K.P_DECAY_W] = decay_u
        params[K.P_JUMP] = self.d
        params[K.P_U_DRIVE] = (1.0 - decay_u) * self.a
        params[K.P_COUPLING] = (1.0 - decay_m) * self.b
        return K.MODEL_META


_IZHIKEVICH_PRESETS = {
    # Izhikevich (2003), Fig. 2: (a, b, c, d)
    "regular_spiking": (0.02, 0.2, -65.0, 8.0),
    "intrinsically_bursting": (0.02, 0.2, -55.0, 4.0),
    "chattering": (0.02, 0.2, -50.0, 2.0),
    "fast_spiking": (0.1, 0.2, -65.0, 2.0),
    "low_threshold_spiking": (0.02, 0.25, -65.0, 2.0),
    "thalamo_cortical": (0.02, 0.25, -65.0, 0.05),
    "resonator": (0.1, 0.26, -65.0, 2.0),
}


@dataclass(frozen=True, eq=False)
class Izhikevich(NeuronModel):
    """Izhikevich (2003) simple model (potentials in mV, times in ms).

    Parameters
    ----------
    a : float or ndarray, default=0.02
        Recovery rate of ``u`` (1/ms).
    b : float or ndarray, default=0.2
        Sensitivity of ``u`` to ``v``.
    c : float or ndarray, default=-65.0
        Reset potential in mV.
    d : float or ndarray, default=8.0
        Jump of ``u`` after a spike.
    v_peak : float or ndarray, default=30.0
        Spike cut-off in mV.
    v_init : float or ndarray, default=-65.0
        Initial potential in mV (``u`` starts at ``b * v_init``).
    tau_syn : float or ndarray, default=0.0
        Synaptic time constant in ms, as in :class:`LIF`.

    Notes
    -----
    .. math::

        \\frac{dv}{dt} = 0.04 v^2 + 5 v + 140 - u + I, \\qquad
        \\frac{du}{dt} = a (b v - u),

    with ``v >= v_peak`` a spike, then ``v = c`` and ``u += d``. Integrated
    with forward Euler in ``ceil(dt / 0.5)`` sub-steps of ``h <= 0.5`` ms
    (Izhikevich's own code uses 0.5 ms for ``v``); the spike test runs after
    every sub-step and ends the step. ``I`` is the raw input current (the
    paper's units, ``I = 10`` drives regular spiking at about 10 Hz-40 Hz).
    Named parameter sets: :meth:`preset`.

    References
    ----------
    .. [1] E. M. Izhikevich, "Simple model of spiking neurons", IEEE Trans.
       Neural Networks 14(6), 1569-1572, 2003.

    Examples
    --------
    >>> from skspike.neurons import Izhikevich
    >>> Izhikevich.preset("chattering").c
    -50.0
    """

    a: object = 0.02
    b: object = 0.2
    c: object = -65.0
    d: object = 8.0
    v_peak: object = 30.0
    v_init: object = -65.0
    tau_syn: object = 0.0

    PRESETS = tuple(_IZHIKEVICH_PRESETS)

    @classmethod
    def preset(cls, name, **overrides):
        """Parameters of a named cell class of Izhikevich (2003), Fig. 2.

        ``name`` is one of "regular_spiking", "intrinsically_bursting",
        "chattering", "fast_spiking", "low_threshold_spiking",
        "thalamo_cortical", "resonator". ``overrides`` replace fields.
        """
        if name not in _IZHIKEVICH_PRESETS:
            raise ValueError(
                f"Unknown Izhikevich preset {name!r}; choose one of {sorted(_IZHIKEVICH_PRESETS)}."
            )
        a, b, c, d = _IZHIKEVICH_PRESETS[name]
        return cls(**{"a": a, "b": b, "c": c, "d": d, **overrides})

    def _validate(self):
        _check(self.v_peak > self.c, "Izhikevich: v_peak must be above the reset c.")
        _check(self.tau_syn >= 0, "Izhikevich: tau_syn must be >= 0 ms.")

    def _pack(self, params, dt):
        n_sub = max(1, int(np.ceil(dt / 0.5 - 1e-9)))
        params[K.P_DECAY_SYN] = _syn_decay(self.tau_syn, dt)
        params[K.P_IZ_A] = self.a
        params[K.P_IZ_B] = self.b
        params[K.P_IZ_C] = self.c
        params[K.P_IZ_D] = self.d
        params[K.P_IZ_PEAK] = self.v_peak
        params[K.P_IZ_INIT] = self.v_init
        params[K.P_IZ_NSUB] = n_sub
        params[K.P_IZ_H] = dt / n_sub
        return K.MODEL_IZHIKEVICH


# ------------------------------------------------ estimators' neuron= resolution
#: Default of the flattened neuron scalars that ``neuron=`` replaces (deprecated in
#: 0.2, removed in 0.3): the estimators' constraints accept it, ``fit`` warns when
#: any other value is set.
DEPRECATED = "deprecated"


def resolve_neuron(owner, neuron, default, *, allowed, deprecated=None, replacement="",
                   stacklevel=5):
    """The model an estimator's ``fit`` works with: a copy, never the user's object.

    Parameters
    ----------
    owner : str
        Estimator name, for messages.
    neuron : NeuronModel or None
        The estimator's ``neuron`` parameter.
    default : callable
        Returns the model used for ``neuron=None``.
    allowed : tuple of type
        Model classes the estimator's kernels support.
    deprecated : dict, optional
        ``{scalar name: (field name, value)}`` of the old flattened scalars.
        Those whose value is not :data:`DEPRECATED` replace the field of the
        model (skipped when the model has no such field, as the old
        parameters were for models without it) and raise one FutureWarning.
    replacement : str
        What to write instead, appended to the warning.
    stacklevel : int, default=5
        Of the warning (5: the user's call of ``fit`` through this function,
        the estimator's resolution method and scikit-learn's ``_fit_context``).

    Returns
    -------
    model : NeuronModel
        An independent model (a user's object is never changed by ``fit``).
    """
    import warnings

    model = default() if neuron is None else neuron
    if not isinstance(model, allowed):
        names = ", ".join(cls.__name__ for cls in allowed)
        raise TypeError(
            f"{owner}: neuron must be a skspike.neurons model of type {names} (or None for the "
            f"default), got {type(model).__name__}."
        )
    set_old = {name: fv for name, fv in (deprecated or {}).items()
               if not (isinstance(fv[1], str) and fv[1] == DEPRECATED)}
    if set_old:
        warnings.warn(
            f"{owner}: the parameter(s) {', '.join(sorted(set_old))} are deprecated in 0.2 and "
            f"will be removed in 0.3; pass a neuron model instead{replacement}.",
            FutureWarning,
            stacklevel=stacklevel,
        )
        fields = {f.name for f in dataclasses.fields(model)}
        model = dataclasses.replace(
            model, **{field: value for field, value in set_old.values() if field in fields}
        )
    return dataclasses.replace(model)
