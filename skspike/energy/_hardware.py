"""Hardware energy profiles: joules per operation, with their sources."""

import math
from dataclasses import asdict, dataclass
from types import MappingProxyType

from .._ops import OperationCounts

__all__ = ["HardwareProfile", "HARDWARE_PROFILES", "get_hardware_profile"]


@dataclass(frozen=True)
class HardwareProfile:
    """Energy per operation of one device, and where the numbers come from.

    Multiplying :class:`~skspike.energy.OperationCounts` by a profile gives joules
    (:meth:`energy`). Define your own profile for a device that is not among
    the presets (:data:`HARDWARE_PROFILES`), or derive one from a preset with
    :func:`dataclasses.replace`.

    Parameters
    ----------
    name : str
        Short name used in reports.
    energy_per_ac : float
        Joules per effective accumulate (a spike adding one weight).
    energy_per_mac : float
        Joules per multiply-accumulate (a real-valued input times a weight).
    energy_per_neuron_update : float, default=0.0
        Joules per neuron state update (one neuron, one time step).
    energy_per_spike : float, default=0.0
        Joules to route one emitted spike to its targets. Only spiking devices
        route spikes.
    energy_per_memory_access : float or None, default=None
        Joules per weight fetch from memory, where the source gives it. None
        means the source gives no separate figure (on the neuromorphic chips
        the synaptic-operation energy already includes reading the synaptic
        memory); it then adds nothing.
    spiking : bool, default=True
        Whether the device is event-driven. A spiking device pays per
        effective operation (``synaptic_ac`` accumulates, ``synaptic_mac``
        multiply-accumulates) and per routed spike; a non-spiking device
        processes every input at every step and pays ``dense_ops``
        multiply-accumulates, as keras-spiking's ``ModelEnergy`` does.
    citation : str, default=""
        Source of the numbers (paper, table, page).

    See Also
    --------
    energy_report : Joules per sample of an estimator or Pipeline.
    make_energy_scorer : The energy as a scikit-learn score.

    Notes
    -----
    Energy per sample of counts ``c`` on a spiking device::

        E = e_ac * c.synaptic_ac + e_mac * c.synaptic_mac
            + e_neuron * c.neuron_updates + e_spike * c.spikes
            [+ e_mem * (c.synaptic_ac + c.synaptic_mac)]     (memory=True)

    and on a non-spiking device::

        E = e_mac * c.dense_ops + e_neuron * c.neuron_updates
            [+ e_mem * c.dense_ops]                          (memory=True)

    :meth:`dense_energy` is the second formula on any device: the same
    network run as a conventional (non-spiking) network on this hardware.

    **Presets** (:data:`HARDWARE_PROFILES`; all energies per operation):

    ``cmos45_fp32``, ``cmos45_fp16``, ``cmos45_int8``
        An event-driven digital accelerator in 45 nm CMOS after Horowitz
        [1]_, energy table of Fig. 1.1.9 (45 nm, 0.9 V): add 0.9 / 0.4 /
        0.03 pJ and multiply 3.7 / 1.1 / 0.2 pJ for fp32 / fp16 / int8. An
        accumulate is one add (0.9 pJ for fp32), a multiply-accumulate a
        multiply plus an add (4.6 pJ for fp32): the convention of Spikformer,
        SpikingJelly and syops-counter. A neuron update is priced as the
        leak multiply, the input add and the threshold compare (one
        multiply and two adds, 5.5 pJ for fp32); set it to 0 to reproduce
        papers that count synaptic operations only. Memory access: a 64-bit
        read from an 8 KB SRAM, 10 pJ (same table), one per weight fetched,
        used only with ``memory=True``. The int8 figures use an 8-bit
        accumulator (0.03 pJ); a 32-bit one costs 0.1 pJ per add.
    ``cmos45_fp32_dense``
        The same fp32 numbers on a non-spiking (dense) accelerator that
        evaluates every synapse at every step.
    ``loihi``
        Intel Loihi, Davies et al. [2]_, Table 2 (p. 96), figures from
        pre-silicon SDF and SPICE simulation: energy per synaptic spike op
        (min) 23.6 pJ; per neuron update 81 pJ active / 52 pJ inactive (the
        active figure is used: counts do not tell idle neurons apart);
        within-tile spike energy 1.7 pJ (used per routed spike, i.e. a
        network that fits one tile); energy per tile hop 3.0 pJ (E-W) /
        4.0 pJ (N-S) for spikes that cross tiles; synaptic update (pairwise
        STDP, learning only) 120 pJ. keras-spiking's ``ModelEnergy`` charges
        23.6 + 3.5 pJ per synaptic operation, i.e. adds one mean tile hop to
        every synaptic operation; for a multi-tile mapping, add ``hops x
        3.5e-12`` to ``energy_per_spike`` instead. Loihi 1 has no graded
        synaptic input, so a multiply-accumulate is priced as one synaptic
        op (the real value delivered in one event: a lower bound).
    ``spinnaker``, ``spinnaker2``
        SpiNNaker 1 and the 28 nm SpiNNaker 2 prototype after Hoppner et
        al. [3]_ (arXiv:1903.08941), as tabulated by keras-spiking's
        ``ModelEnergy``: 13.3 nJ per synaptic event and 26 nJ per neuron
        update (SpiNNaker 1); 450 pJ and 2.19 nJ (SpiNNaker 2). Spike
        routing is inside these figures. A multiply-accumulate is priced as
        one synaptic event.
    ``truenorth``
        IBM TrueNorth, derived from the measured chip power in Akopyan et
        al. [5]_, Fig. 17 (p. 1551): 68, 71 and 94 mW at 0.8 V for recurrent
        networks of all 2**20 neurons with 128 active synapses per neuron
        firing at 11.58, 20.07 and 95.93 Hz, 1 ms ticks. Synaptic events per
        second are ``2**20 * 128 * rate``; the line through the outer two
        points gives a marginal energy per synaptic event of
        ``(94 - 68) mW / ((95.93 - 11.58) Hz * 2**20 * 128) = 2.30 pJ`` and
        a baseline of 64.4 mW, i.e. 61.4 pJ per neuron per 1 ms tick (used
        as ``energy_per_neuron_update``). The line predicts 70.6 mW at the
        held-out 20.07 Hz point (measured: 71 mW). Routing (spikes
        travelling 21.3 cores on average in these networks) is inside the
        marginal figure. The two per-event numbers found in secondary
        sources are both in the primary papers but measure other things:
        26 pJ is Merolla et al. [4]_, p. 7, "26 pJ per synaptic event
        (considering total energy)": 72 mW at 0.775 V, 20 Hz, 128 active
        synapses, static power included (this profile gives 2.30 + 61.4 /
        (0.02 * 128) = 26.3 pJ at that point); 2.5 pJ is ``1 / (400
        GSOPS/W)``, the peak computational efficiency of Akopyan et al. [5]_,
        p. 1551, reached at the maximum throughput (58 GSOPS at 0.75 V)
        where the baseline power is spread over the most events.

    Numbers are estimates of computation only: data movement on and off the
    chip, host work and idle periods are not included (as in
    keras-spiking's ``ModelEnergy``), and figures measured at one operating
    point (voltage, activity) are applied to all.

    References
    ----------
    .. [1] M. Horowitz, "Computing's energy problem (and what we can do
       about it)", IEEE ISSCC 2014, pp. 10-14.
    .. [2] M. Davies et al., "Loihi: a neuromorphic manycore processor with
       on-chip learning", IEEE Micro 38(1):82-99, 2018.
    .. [3] S. Hoppner et al., "Dynamic power management for neuromorphic
       many-core systems", IEEE TCAS-I 66(8):2973-2986, 2019.
    .. [4] P. A. Merolla et al., "A million spiking-neuron integrated circuit
       with a scalable communication network and interface", Science
       345(6197):668-673, 2014.
    .. [5] F. Akopyan et al., "TrueNorth: design and tool flow of a 65 mW 1
       million neuron programmable neurosynaptic chip", IEEE TCAD
       34(10):1537-1557, 2015.
    .. [6] J. Yik et al., "The neurobench framework for benchmarking
       neuromorphic computing algorithms and systems", Nature
       Communications 16:1545, 2025.

    Examples
    --------
    >>> from skspike import OperationCounts
    >>> from skspike.energy import HardwareProfile
    >>> chip = HardwareProfile("toy", energy_per_ac=1e-12, energy_per_mac=4e-12,
    ...                        energy_per_neuron_update=2e-12)
    >>> counts = OperationCounts(synaptic_ac=100, neuron_updates=10, dense_ops=1000)
    >>> print(f"{chip.energy(counts):.3g} J, dense: {chip.dense_energy(counts):.3g} J")
    1.2e-10 J, dense: 4.02e-09 J
    """

    name: str
    energy_per_ac: float
    energy_per_mac: float
    energy_per_neuron_update: float = 0.0
    energy_per_spike: float = 0.0
    energy_per_memory_access: float | None = None
    spiking: bool = True
    citation: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}.")
        for field in ("energy_per_ac", "energy_per_mac", "energy_per_neuron_update",
                      "energy_per_spike", "energy_per_memory_access"):
            value = getattr(self, field)
            if value is None and field == "energy_per_memory_access":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{field} must be a number of joules, got {value!r}.")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{field} must be finite and >= 0 joules, got {value!r}.")
        if not isinstance(self.spiking, bool):
            raise TypeError(f"spiking must be True or False, got {self.spiking!r}.")

    def energy_terms(self, counts, *, memory=False):
        """Joules per sample split into synaptic, neuron, routing and memory terms.

        Parameters
        ----------
        counts : OperationCounts
            Per-sample counts.
        memory : bool, default=False
            Add one weight fetch per synaptic operation (per dense operation on
            a non-spiking device) at ``energy_per_memory_access``.

        Returns
        -------
        terms : dict
            ``{"synaptic", "neuron", "routing", "memory"}`` in joules.
        """
        _check_counts(counts)
        if self.spiking:
            synaptic = self.energy_per_ac * counts.synaptic_ac + self.energy_per_mac * counts.synaptic_mac
            routing = self.energy_per_spike * counts.spikes
            fetches = counts.synaptic_ac + counts.synaptic_mac
        else:
            synaptic = self.energy_per_mac * counts.dense_ops
            routing = 0.0
            fetches = counts.dense_ops
        return {
            "synaptic": float(synaptic),
            "neuron": float(self.energy_per_neuron_update * counts.neuron_updates),
            "routing": float(routing),
            "memory": float(self._memory_energy(fetches, memory)),
        }

    def energy(self, counts, *, memory=False):
        """Joules per sample of ``counts`` on this device.

        Parameters
        ----------
        counts : OperationCounts
        memory : bool, default=False
            Include weight fetches (see :meth:`energy_terms`).

        Returns
        -------
        joules : float
        """
        terms = self.energy_terms(counts, memory=memory)
        return terms["synaptic"] + terms["neuron"] + terms["routing"] + terms["memory"]

    def dense_energy(self, counts, *, memory=False):
        """Joules per sample of the equivalent non-spiking network on this device.

        Every synapse is evaluated at every step as a multiply-accumulate
        (``dense_ops``), plus the same neuron updates; no spikes are routed.

        Parameters
        ----------
        counts : OperationCounts
        memory : bool, default=False
            Include one weight fetch per dense operation.

        Returns
        -------
        joules : float
        """
        _check_counts(counts)
        return float(
            self.energy_per_mac * counts.dense_ops
            + self.energy_per_neuron_update * counts.neuron_updates
            + self._memory_energy(counts.dense_ops, memory)
        )

    def as_dict(self):
        """The profile's fields as a plain dict."""
        return asdict(self)

    def _memory_energy(self, fetches, memory):
        if not memory or self.energy_per_memory_access is None:
            return 0.0
        return self.energy_per_memory_access * fetches


def _check_counts(counts):
    if not isinstance(counts, OperationCounts):
        raise TypeError(
            f"counts must be an OperationCounts (from count_operations), got {type(counts).__name__}."
        )


# --- Horowitz, ISSCC 2014, 45 nm at 0.9 V --------------------------------------------
_HOROWITZ = (
    "M. Horowitz, 'Computing's energy problem (and what we can do about it)', "
    "ISSCC 2014, pp. 10-14, energy table of Fig. 1.1.9 (45 nm, 0.9 V)"
)
# (add, multiply) in pJ for each number format, as printed in the table.
_HOROWITZ_OPS = {"fp32": (0.9, 3.7), "fp16": (0.4, 1.1), "int8": (0.03, 0.2)}
# 64-bit read from an 8 KB SRAM cache, same table.
_HOROWITZ_SRAM_8KB = 10.0


def _pj(value):
    # round away binary noise of the sums (3.7 + 0.9 -> 4.6 exactly as printed)
    return float(f"{value:.6g}e-12")


def _cmos45(fmt, spiking):
    add, mult = _HOROWITZ_OPS[fmt]
    kind = "event-driven" if spiking else "dense"
    return HardwareProfile(
        name=f"cmos45_{fmt}" + ("" if spiking else "_dense"),
        energy_per_ac=_pj(add),
        energy_per_mac=_pj(mult + add),
        # leak multiply, input add, threshold compare (priced as an add)
        energy_per_neuron_update=_pj(mult + 2 * add),
        energy_per_spike=0.0,
        energy_per_memory_access=_pj(_HOROWITZ_SRAM_8KB),
        spiking=spiking,
        citation=f"{_HOROWITZ}; {fmt} {kind} digital accelerator",
    )


# --- Loihi, Davies et al., IEEE Micro 2018, Table 2 ----------------------------------
_LOIHI = HardwareProfile(
    name="loihi",
    energy_per_ac=23.6e-12,
    energy_per_mac=23.6e-12,
    energy_per_neuron_update=81e-12,
    energy_per_spike=1.7e-12,
    energy_per_memory_access=None,
    spiking=True,
    citation=(
        "M. Davies et al., 'Loihi: a neuromorphic manycore processor with on-chip "
        "learning', IEEE Micro 38(1):82-99, 2018, Table 2 (p. 96; pre-silicon SDF/SPICE "
        "figures): synaptic spike op (min) 23.6 pJ, neuron update active/inactive "
        "81/52 pJ, within-tile spike 1.7 pJ, tile hop E-W/N-S 3.0/4.0 pJ, synaptic "
        "update (pairwise STDP) 120 pJ"
    ),
)

# --- SpiNNaker 1 and 2, Hoppner et al. 2019 ------------------------------------------
_HOPPNER = (
    "S. Hoppner et al., 'Dynamic power management for neuromorphic many-core "
    "systems', IEEE TCAS-I 66(8):2973-2986, 2019, arXiv:1903.08941, comparison of "
    "SpiNNaker 1 with the 28 nm SpiNNaker 2 prototype, figures as used by "
    "keras-spiking ModelEnergy"
)
_SPINNAKER = HardwareProfile(
    name="spinnaker",
    energy_per_ac=13.3e-9,
    energy_per_mac=13.3e-9,
    energy_per_neuron_update=26e-9,
    spiking=True,
    citation=f"{_HOPPNER}: SpiNNaker 1, 13.3 nJ per synaptic event, 26 nJ per neuron update",
)
_SPINNAKER2 = HardwareProfile(
    name="spinnaker2",
    energy_per_ac=450e-12,
    energy_per_mac=450e-12,
    energy_per_neuron_update=2.19e-9,
    spiking=True,
    citation=f"{_HOPPNER}: SpiNNaker 2, 450 pJ per synaptic event, 2.19 nJ per neuron update",
)

# --- TrueNorth, Merolla et al. 2014 and Akopyan et al. 2015 ---------------------------
# Akopyan et al. 2015, Fig. 17 (p. 1551): total chip power at 0.8 V for recurrent
# networks with 128 active synapses per neuron: 68 mW at 11.58 Hz, 71 mW at 20.07 Hz,
# 94 mW at 95.93 Hz, all 2**20 neurons active, 1 ms ticks.
_TN_NEURONS = 2**20
_TN_SYNAPSES = 128
_TN_TICK_S = 1e-3
_TN_SWEEP = ((11.58, 68e-3), (20.07, 71e-3), (95.93, 94e-3))  # (Hz, W)
(_tn_r0, _tn_p0), _, (_tn_r1, _tn_p1) = _TN_SWEEP
_TN_EVENTS_PER_HZ = _TN_NEURONS * _TN_SYNAPSES  # synaptic events per second per Hz
TRUENORTH_ENERGY_PER_EVENT = (_tn_p1 - _tn_p0) / ((_tn_r1 - _tn_r0) * _TN_EVENTS_PER_HZ)
TRUENORTH_BASELINE_POWER = _tn_p0 - TRUENORTH_ENERGY_PER_EVENT * _tn_r0 * _TN_EVENTS_PER_HZ
TRUENORTH_ENERGY_PER_NEURON_TICK = TRUENORTH_BASELINE_POWER * _TN_TICK_S / _TN_NEURONS

_TRUENORTH = HardwareProfile(
    name="truenorth",
    energy_per_ac=TRUENORTH_ENERGY_PER_EVENT,
    energy_per_mac=TRUENORTH_ENERGY_PER_EVENT,
    energy_per_neuron_update=TRUENORTH_ENERGY_PER_NEURON_TICK,
    energy_per_spike=0.0,
    spiking=True,
    citation=(
        "F. Akopyan et al., 'TrueNorth: design and tool flow of a 65 mW 1 million neuron "
        "programmable neurosynaptic chip', IEEE TCAD 34(10):1537-1557, 2015, Fig. 17 "
        "(p. 1551, measured chip power at 0.8 V: 68/71/94 mW at 11.58/20.07/95.93 Hz, "
        "128 synapses per neuron), split into a marginal energy per synaptic event "
        "(2.30 pJ) and a baseline per neuron per 1 ms tick (61.4 pJ); consistent with "
        "P. Merolla et al., Science 345(6197):668-673, 2014, p. 7 (26 pJ per synaptic "
        "event counting total energy, 72 mW at 0.775 V, 20 Hz, 128 active synapses)"
    ),
)

#: Preset hardware profiles by name (read-only). See :class:`HardwareProfile`.
HARDWARE_PROFILES = MappingProxyType({
    p.name: p
    for p in (
        _cmos45("fp32", True),
        _cmos45("fp16", True),
        _cmos45("int8", True),
        _cmos45("fp32", False),
        _LOIHI,
        _SPINNAKER,
        _SPINNAKER2,
        _TRUENORTH,
    )
})


def get_hardware_profile(hardware):
    """Return a :class:`HardwareProfile` from a preset name or a profile.

    Parameters
    ----------
    hardware : str or HardwareProfile
        A key of :data:`HARDWARE_PROFILES` (ignoring case, ``-``, ``_`` and
        spaces) or a profile, returned as is.

    Returns
    -------
    profile : HardwareProfile

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known names.

    Examples
    --------
    >>> from skspike.energy import get_hardware_profile
    >>> get_hardware_profile("Loihi").energy_per_ac
    2.36e-11
    """
    if isinstance(hardware, HardwareProfile):
        return hardware
    if not isinstance(hardware, str):
        raise TypeError(
            f"hardware must be a preset name or a HardwareProfile, got {type(hardware).__name__}."
        )
    key = _normalise(hardware)
    matches = [name for name in HARDWARE_PROFILES if _normalise(name) == key]
    if not matches:
        raise ValueError(
            f"Unknown hardware {hardware!r}; known profiles: {', '.join(HARDWARE_PROFILES)}. "
            "Pass a HardwareProfile to use another device."
        )
    return HARDWARE_PROFILES[matches[0]]


def _normalise(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())
