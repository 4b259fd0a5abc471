"""Seeding: turn a ``random_state`` into one integer seed for a kernel."""

from sklearn.utils import check_random_state

__all__ = ["derive_seed"]

_MAX_SEED = 2**31 - 1


def derive_seed(random_state):
    """Derive an integer seed for numba kernels from ``random_state``.

    An int gives the same seed at every call, None a fresh one, a
    ``RandomState`` instance advances that instance (scikit-learn semantics).
    """
    return int(check_random_state(random_state).randint(0, _MAX_SEED))
