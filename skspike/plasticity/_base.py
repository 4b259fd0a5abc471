"""Parameter-only parts: the get_params/set_params protocol of scikit-learn.

Plasticity rules and synapse models hold parameters and nothing else (no
state, no fitted attributes), like scikit-learn's Gaussian-process kernels
(``sklearn/gaussian_process/kernels.py``). Estimators that take one as a
parameter expose its parameters with the nested syntax (``rule__tau_plus``),
so ``GridSearchCV``, ``clone`` and pickling work on them.
"""

import inspect

__all__ = ["Part"]


class Part:
    """Base of the parameter-only parts (not instantiated directly).

    ``__init__`` of a subclass stores its keyword arguments unchanged as
    attributes of the same name; :meth:`get_params` reads them back. Values
    are validated where they are turned into kernel parameters, as
    scikit-learn validates in ``fit``.
    """

    @classmethod
    def _get_param_names(cls):
        init = cls.__init__
        if init is object.__init__:
            return []
        params = [
            p for p in inspect.signature(init).parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        ]
        return sorted(p.name for p in params)

    def get_params(self, deep=True):
        """Parameters of this part, as a dict (``deep``: nested parts too)."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for key, sub in value.get_params(deep=True).items():
                    out[f"{name}__{key}"] = sub
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters (``name__sub`` reaches a nested part); returns self."""
        valid = self._get_param_names()
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for {type(self).__name__}; valid parameters: {valid}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self):
        sig = inspect.signature(type(self).__init__).parameters
        items = []
        for name in self._get_param_names():
            value = getattr(self, name)
            default = sig[name].default
            try:
                same = value is default or bool(value == default)
            except Exception:  # arrays and the like: always shown
                same = False
            if not same:
                items.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(items)})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.get_params(deep=False) == other.get_params(deep=False)

    __hash__ = None
