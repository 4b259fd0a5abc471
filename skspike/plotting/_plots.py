"""Matplotlib plotting functions (imported lazily: matplotlib is optional)."""

import numpy as np


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "skspike.plotting needs matplotlib: pip install 'skspike[plot]'"
        ) from exc
    return plt


def _axes(ax, **fig_kw):
    if ax is not None:
        return ax
    plt = _pyplot()
    _, ax = plt.subplots(**fig_kw)
    return ax


def plot_raster(spikes, *, sample=0, dt=1.0, ax=None, color="k", markersize=2.0, title=None):
    """Raster plot of one sample's spike trains.

    Parameters
    ----------
    spikes : array-like of shape (n_samples, n_steps, n_channels) or (n_steps, n_channels)
        Binary spike trains.
    sample : int, default=0
        Sample to show when ``spikes`` is 3-D.
    dt : float, default=1.0
        Step length in ms (x axis in ms).
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure if None.

    Returns
    -------
    ax : matplotlib Axes
    """
    spikes = np.asarray(spikes)
    if spikes.ndim == 3:
        spikes = spikes[sample]
    if spikes.ndim != 2:
        raise ValueError(f"spikes must be 2-D or 3-D, got shape {spikes.shape}.")
    ax = _axes(ax, figsize=(6, 3))
    steps, channels = np.nonzero(spikes)
    ax.plot(steps * dt, channels, "|", color=color, markersize=markersize * 3)
    ax.set_xlim(0, spikes.shape[0] * dt)
    ax.set_ylim(-0.5, spikes.shape[1] - 0.5)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("channel")
    if title:
        ax.set_title(title)
    return ax


def plot_receptive_fields(weights, *, image_shape=None, n_max=100, ax=None, cmap="hot_r", title=None):
    """Show STDP input weights of each neuron as an image grid.

    Parameters
    ----------
    weights : array-like of shape (n_in, n_neurons)
        For example ``STDPFeatureExtractor.weights_``.
    image_shape : tuple of int, default=None
        Shape of one input image; a square is assumed when None.
    n_max : int, default=100
        At most this many neurons are shown.

    Returns
    -------
    ax : matplotlib Axes
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"weights must be (n_in, n_neurons), got shape {weights.shape}.")
    n_in, n_neurons = weights.shape
    if image_shape is None:
        side = int(round(np.sqrt(n_in)))
        if side * side != n_in:
            raise ValueError(f"cannot infer a square image from {n_in} inputs; pass image_shape.")
        image_shape = (side, side)
    if int(np.prod(image_shape)) != n_in:
        raise ValueError(f"image_shape {image_shape} does not hold {n_in} inputs.")
    n_show = min(n_neurons, n_max)
    cols = int(np.ceil(np.sqrt(n_show)))
    rows = int(np.ceil(n_show / cols))
    h, w = image_shape
    grid = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for k in range(n_show):
        r, c = divmod(k, cols)
        img = weights[:, k].reshape(image_shape)
        span = img.max() - img.min()
        grid[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = (
            (img - img.min()) / span if span > 0 else 0.0
        )
    ax = _axes(ax, figsize=(5, 5))
    ax.imshow(grid, cmap=cmap, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or f"receptive fields ({n_show} of {n_neurons} neurons)")
    return ax


def plot_growth_curve(estimator_or_curve, *, ax=None, title=None):
    """Training residual and validation score against hidden-layer size.

    Parameters
    ----------
    estimator_or_curve : NGSNNClassifier or dict
        A fitted ``NGSNNClassifier`` (its ``growth_curve_``) or a dict with
        keys ``"n_neurons"``, ``"residual"`` and optionally
        ``"validation_score"``.

    Returns
    -------
    ax : matplotlib Axes
    """
    curve = getattr(estimator_or_curve, "growth_curve_", estimator_or_curve)
    curve = {k: np.asarray(v, dtype=float) for k, v in dict(curve).items()}
    if "residual" not in curve:
        raise ValueError("growth curve needs a 'residual' entry.")
    residual = curve["residual"]
    sizes = curve.get("n_neurons", np.arange(len(residual), dtype=float))
    ax = _axes(ax, figsize=(5, 3))
    ax.plot(sizes, residual, color="C0", label="training residual")
    ax.set_xlabel("hidden neurons")
    ax.set_ylabel("residual (relative)", color="C0")
    val = curve.get("validation_score")
    if val is not None and np.isfinite(val).any():
        ax2 = ax.twinx()
        ax2.plot(sizes[: len(val)], val, color="C1", label="validation score")
        ax2.set_ylabel("validation score", color="C1")
    ax.set_title(title or "NG-SNN growth")
    return ax


def pareto_front(accuracy, energy):
    """Indices of points on the accuracy-energy Pareto front.

    A point is on the front when no other point has higher or equal accuracy
    and lower or equal energy with one of them strict.

    Parameters
    ----------
    accuracy : array-like of shape (n_points,)
        Higher is better.
    energy : array-like of shape (n_points,)
        Lower is better (joules per sample).

    Returns
    -------
    indices : ndarray of int, sorted by energy
    """
    acc = np.asarray(accuracy, dtype=float)
    en = np.asarray(energy, dtype=float)
    order = np.lexsort((-acc, en))
    front = []
    best = -np.inf
    for i in order:
        if acc[i] > best:
            front.append(i)
            best = acc[i]
    return np.asarray(front, dtype=int)


def plot_energy_accuracy(cv_results, *, accuracy="accuracy", energy="energy", label_param=None, ax=None, title=None):
    """Accuracy against energy per sample from a GridSearchCV, Pareto front marked.

    Parameters
    ----------
    cv_results : dict
        ``GridSearchCV.cv_results_`` of a search scored with both an accuracy
        and an energy scorer (``make_energy_scorer``: minus joules per
        sample).
    accuracy, energy : str
        Scorer names used in ``scoring=``.
    label_param : str, default=None
        A parameter whose value annotates each point.

    Returns
    -------
    ax : matplotlib Axes
    """
    acc = np.asarray(cv_results[f"mean_test_{accuracy}"], dtype=float)
    joules = -np.asarray(cv_results[f"mean_test_{energy}"], dtype=float)
    ax = _axes(ax, figsize=(5, 4))
    ax.scatter(joules, acc, color="0.6", label="configurations")
    front = pareto_front(acc, joules)
    ax.plot(joules[front], acc[front], "o-", color="C3", label="Pareto front")
    if label_param is not None:
        for j, a, p in zip(joules, acc, cv_results[f"param_{label_param}"]):
            ax.annotate(str(p), (j, a), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xscale("log")
    from matplotlib.ticker import NullFormatter

    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("energy per sample (J)")
    ax.set_ylabel(accuracy)
    ax.legend(loc="lower right")
    ax.set_title(title or "accuracy vs energy")
    return ax
