"""Operation counts, hardware energy profiles and the energy scorer.

The reason to run a spiking network is energy. This subpackage counts what
an estimator or a whole :class:`~sklearn.pipeline.Pipeline` does per sample,
with NeuroBench's definitions (:class:`~skspike.energy.OperationCounts`), prices
the counts on a device (:class:`HardwareProfile`, presets in
:data:`HARDWARE_PROFILES`), and exposes the result as a report
(:func:`energy_report`) and as a scikit-learn score
(:func:`make_energy_scorer`) to trade against accuracy in a grid search.

Importing it compiles nothing.
"""

from .._ops import OperationCounts
from ._counting import count_operations, register_operation_counter
from ._hardware import HARDWARE_PROFILES, HardwareProfile, get_hardware_profile
from ._report import EnergyReport, StepEnergy, energy_report
from ._scorer import make_energy_scorer

__all__ = [
    "HARDWARE_PROFILES",
    "EnergyReport",
    "HardwareProfile",
    "OperationCounts",
    "StepEnergy",
    "count_operations",
    "energy_report",
    "get_hardware_profile",
    "make_energy_scorer",
    "register_operation_counter",
]
