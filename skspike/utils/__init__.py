"""Utilities: input validation, estimator discovery, seeding."""

from ._random import derive_seed
from ._validation import check_spikes, validate_spiking_input

__all__ = ["check_spikes", "validate_spiking_input", "derive_seed", "all_estimators"]


def all_estimators(type_filter=None):
    """Public skspike estimators, found by walking the package.

    Returns ``[(name, class), ...]`` for every estimator class exported by a
    public skspike subpackage; ``type_filter`` is one of None, "classifier",
    "transformer", "regressor" or a list of them (see
    ``skspike.utils.discovery``).
    """
    from .discovery import all_estimators as _all

    return _all(type_filter=type_filter)
