"""Utilities: input validation, estimator discovery, seeding."""

from ._random import derive_seed
from ._validation import check_spikes, validate_spiking_input

__all__ = ["check_spikes", "validate_spiking_input", "derive_seed", "all_estimators"]


def all_estimators(type_filter=None):
    """Public skspike estimators, found by walking the package.

    See :func:`skspike.utils.discovery.all_estimators`.
    """
    from .discovery import all_estimators as _all

    return _all(type_filter=type_filter)
