"""Energy per sample as a scikit-learn scorer."""

from ._counting import count_operations
from ._hardware import get_hardware_profile

__all__ = ["make_energy_scorer"]


class _EnergyScorer:
    """Callable ``scorer(estimator, X, y=None)`` -> minus joules per sample."""

    def __init__(self, profile, memory):
        self.profile = profile
        self.memory = memory

    def __call__(self, estimator, X, y=None, **kwargs):
        counts = count_operations(estimator, X)
        return -self.profile.energy(counts, memory=self.memory)

    def __repr__(self):
        extra = ", memory=True" if self.memory else ""
        return f"make_energy_scorer(hardware={self.profile.name!r}{extra})"


def make_energy_scorer(hardware="loihi", *, memory=False):
    """Scikit-learn scorer of the energy per sample on a hardware profile.

    The score is **minus** the joules per sample, so greater is better, as
    scikit-learn expects. Use it beside an accuracy score to trade the two
    in a grid search; ``cv_results_["mean_test_energy"]`` then holds minus
    the joules (see :func:`skspike.plotting.plot_energy_accuracy`).

    Parameters
    ----------
    hardware : str or HardwareProfile, default="loihi"
        A preset name from :data:`HARDWARE_PROFILES` or a profile.
    memory : bool, default=False
        Include weight fetches (see :meth:`HardwareProfile.energy_terms`).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None)`` -> float; picklable, so it works
        with ``n_jobs > 1``.

    Raises
    ------
    ValueError
        If ``hardware`` is an unknown name (the message lists the known ones).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skspike.energy import make_energy_scorer
    >>> rng = np.random.RandomState(0)
    >>> X, y = rng.rand(40, 5), np.arange(40) % 2
    >>> search = GridSearchCV(
    ...     make_pipeline(StandardScaler(), LogisticRegression()),
    ...     {"logisticregression__C": [0.1, 1.0]}, cv=2,
    ...     scoring={"accuracy": "accuracy", "energy": make_energy_scorer("cmos45_fp32")},
    ...     refit="accuracy",
    ... ).fit(X, y)
    >>> bool((search.cv_results_["mean_test_energy"] < 0).all())
    True
    """
    profile = get_hardware_profile(hardware)
    return _EnergyScorer(profile, bool(memory))
