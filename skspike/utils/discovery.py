"""Discovery of public skspike estimators (used by the common tests)."""

import importlib
import inspect
import pkgutil

from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin

__all__ = ["all_estimators"]

# skspike.nir's estimators wrap a graph trained elsewhere (a required argument with no
# meaningful default, like a meta-estimator's estimator); tests/test_nir.py checks their API.
_SKIP_PARTS = {"tests", "_numba", "plotting", "__main__", "nir"}


def all_estimators(type_filter=None):
    """Return ``[(name, class), ...]`` for every public skspike estimator.

    Walks every module of ``skspike`` (private modules included, since the
    code lives there) and keeps concrete ``BaseEstimator`` subclasses whose
    name does not start with an underscore and that are exported by a public
    package. ``type_filter`` is one of None, "classifier", "transformer",
    "regressor", or a list of them.
    """
    import skspike

    exported = set()
    for info in pkgutil.walk_packages(skspike.__path__, prefix="skspike."):
        last = info.name.rsplit(".", 1)[-1]
        if info.ispkg and not last.startswith("_") and not set(info.name.split(".")) & _SKIP_PARTS:
            try:
                exported.update(getattr(importlib.import_module(info.name), "__all__", ()))
            except ImportError:
                continue
    found = {}
    for info in pkgutil.walk_packages(skspike.__path__, prefix="skspike."):
        parts = set(info.name.split("."))
        if parts & _SKIP_PARTS:
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        for name, cls in list(vars(module).items()):
            if (
                inspect.isclass(cls) and
                issubclass(cls, BaseEstimator)
                and cls.__module__.startswith("skspike.")
                and not name.startswith("_")
                and name in exported
                and not name.startswith("Base")
                and not inspect.isabstract(cls)
            ):
                found[name] = cls
    estimators = sorted(found.items())
    if type_filter is not None:
        kinds = [type_filter] if isinstance(type_filter, str) else list(type_filter)
        mixins = {
            "classifier": ClassifierMixin,
            "transformer": TransformerMixin,
            "regressor": RegressorMixin,
        }
        estimators = [
            (n, c) for n, c in estimators if any(issubclass(c, mixins[k]) for k in kinds)
        ]
    return estimators
