"""Lazy exports for skspike's subpackages: importing a package compiles nothing."""

import importlib


def lazy_exports(package, exports):
    """Module ``__getattr__`` and ``__dir__`` resolving ``exports`` on first access.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : dict of str to str
        Public name -> relative module that defines it (e.g. ``"._models"``).

    Returns
    -------
    __getattr__, __dir__ : callable
        To assign at module level (PEP 562).
    """

    def __getattr__(name):
        if name in exports:
            return getattr(importlib.import_module(exports[name], package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        module = importlib.import_module(package)
        return sorted(set(vars(module)) | set(exports))

    return __getattr__, __dir__
