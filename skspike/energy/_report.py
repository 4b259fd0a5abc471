"""Energy report of an estimator or Pipeline on one hardware profile."""

from dataclasses import dataclass

from .._ops import OperationCounts
from ._counting import count_operations, named_steps
from ._hardware import get_hardware_profile

__all__ = ["EnergyReport", "StepEnergy", "energy_report"]


@dataclass(frozen=True)
class StepEnergy:
    """Energy of one estimator or Pipeline step, per sample.

    Attributes
    ----------
    name : str
        Step name.
    estimator : str
        Class name of the step.
    counts : OperationCounts
        Per-sample operation counts.
    joules : float
        Energy per sample on the report's hardware.
    dense_joules : float
        Energy per sample of the equivalent non-spiking network on the same
        hardware (``dense_ops`` as multiply-accumulates).
    terms : dict
        ``joules`` split into ``synaptic``, ``neuron``, ``routing``, ``memory``.
    """

    name: str
    estimator: str
    counts: OperationCounts
    joules: float
    dense_joules: float
    terms: dict

    def as_dict(self):
        """The step as a plain dict (counts flattened under ``counts``)."""
        return {
            "name": self.name,
            "estimator": self.estimator,
            "joules": self.joules,
            "dense_joules": self.dense_joules,
            "terms": dict(self.terms),
            "counts": self.counts.as_dict(),
        }


class EnergyReport:
    """Joules per sample of an estimator or Pipeline, step by step.

    Returned by :func:`energy_report`; read its attributes, call
    :meth:`as_dict`, or ``print`` it for a table.

    Attributes
    ----------
    hardware : HardwareProfile
        The device.
    steps : tuple of StepEnergy
        One entry per counted step, in order.
    memory : bool
        Whether weight fetches are included.
    """

    def __init__(self, hardware, steps, *, memory=False):
        self.hardware = hardware
        self.steps = tuple(steps)
        self.memory = bool(memory)

    @property
    def joules_per_sample(self):
        """Total energy per sample on ``hardware`` (J)."""
        return float(sum(s.joules for s in self.steps))

    @property
    def dense_joules_per_sample(self):
        """Energy per sample of the equivalent non-spiking network on the same hardware (J)."""
        return float(sum(s.dense_joules for s in self.steps))

    @property
    def dense_ratio(self):
        """``dense_joules_per_sample / joules_per_sample`` (> 1: the spiking run is cheaper)."""
        total = self.joules_per_sample
        return float("inf") if total == 0 else self.dense_joules_per_sample / total

    @property
    def counts(self):
        """The summed :class:`~skspike.energy.OperationCounts` of all steps."""
        total = OperationCounts()
        for step in self.steps:
            total = total + step.counts
        return total

    def as_dict(self):
        """Everything as plain Python data (for JSON, pandas, logging)."""
        return {
            "hardware": self.hardware.as_dict(),
            "memory": self.memory,
            "joules_per_sample": self.joules_per_sample,
            "dense_joules_per_sample": self.dense_joules_per_sample,
            "dense_ratio": self.dense_ratio,
            "counts": self.counts.as_dict(),
            "steps": [s.as_dict() for s in self.steps],
        }

    def __repr__(self):
        return (
            f"<EnergyReport {self.hardware.name}: {self.joules_per_sample:.3e} J/sample over "
            f"{len(self.steps)} step(s), dense equivalent {self.dense_joules_per_sample:.3e} J>"
        )

    def __str__(self):
        hw = self.hardware
        kind = "a spiking device, pays per event" if hw.spiking else "a non-spiking device, pays per dense op"
        header = ("step", "estimator", "syn AC", "syn MAC", "dense ops", "neuron upd",
                  "spikes", "act. sparsity", "J/sample", "dense J/sample")
        rows = [header]
        for s in self.steps:
            rows.append(_row(s.name, s.estimator, s.counts, s.joules, s.dense_joules))
        total = _row("total", "", self.counts, self.joules_per_sample, self.dense_joules_per_sample)
        widths = [max(len(r[i]) for r in rows + [total]) for i in range(len(header))]
        align = ["<", "<"] + [">"] * (len(header) - 2)

        def fmt(row):
            return "  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths)).rstrip()

        rule = "-" * len(fmt(header))
        lines = [f"Energy per sample on {hw.name} ({kind})", fmt(header), rule]
        lines += [fmt(r) for r in rows[1:]]
        lines += [rule, fmt(total)]
        if self.joules_per_sample > 0 and self.dense_joules_per_sample > 0:
            lines.append(
                f"The equivalent non-spiking network needs {self.dense_ratio:.3g} x this energy "
                f"on {hw.name}."
            )
        lines.append("Weight fetches " + ("included." if self.memory else "not included (memory=False)."))
        lines.append(f"Source: {hw.citation}")
        return "\n".join(lines)


def _row(name, estimator, c, joules, dense_joules):
    return (
        name,
        estimator,
        f"{c.synaptic_ac:.4g}",
        f"{c.synaptic_mac:.4g}",
        f"{c.dense_ops:.4g}",
        f"{c.neuron_updates:.4g}",
        f"{c.spikes:.4g}",
        f"{c.activation_sparsity:.3f}" if c.n_activations > 0 else "-",
        f"{joules:.3e}",
        f"{dense_joules:.3e}",
    )


def energy_report(estimator, X, hardware="loihi", *, memory=False):
    """Energy per sample of a fitted estimator or Pipeline on a hardware profile.

    Counts operations with :func:`count_operations` (each Pipeline step on
    the previous step's output) and prices them with the profile
    (:meth:`HardwareProfile.energy`), next to the energy of the equivalent
    non-spiking network on the same hardware
    (:meth:`HardwareProfile.dense_energy`).

    Parameters
    ----------
    estimator : estimator or Pipeline
        Fitted.
    X : array-like
        Input of the estimator (static features or spike trains).
    hardware : str or HardwareProfile, default="loihi"
        A preset name from :data:`HARDWARE_PROFILES` or a profile.
    memory : bool, default=False
        Add one weight fetch per synaptic operation where the profile gives
        a memory-access energy.

    Returns
    -------
    report : EnergyReport
        ``joules_per_sample``, ``dense_joules_per_sample``, ``steps``,
        ``as_dict()``; ``print(report)`` shows a table.

    Raises
    ------
    ValueError
        If ``hardware`` is an unknown name (the message lists the known ones).
    TypeError
        If a step has no operation counts (the message names it).

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import PoissonEncoder
    >>> from skspike.energy import energy_report
    >>> X = np.random.RandomState(0).rand(20, 4)
    >>> enc = PoissonEncoder(max_rate=200, n_steps=50, random_state=0).fit(X)
    >>> report = energy_report(enc, X, hardware="loihi")
    >>> bool(report.joules_per_sample > 0)
    True
    """
    profile = get_hardware_profile(hardware)
    per_step = count_operations(estimator, X, per_step=True)
    classes = {name: type(step).__name__ for name, step in named_steps(estimator)}
    out = []
    for name, counts in per_step.items():
        out.append(
            StepEnergy(
                name=name,
                estimator=classes[name],
                counts=counts,
                joules=profile.energy(counts, memory=memory),
                dense_joules=profile.dense_energy(counts, memory=memory),
                terms=profile.energy_terms(counts, memory=memory),
            )
        )
    return EnergyReport(profile, out, memory=memory)

