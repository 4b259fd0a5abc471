"""Binning of neuromorphic event streams (tonic format) into spike trains."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._ops import OperationCounts

__all__ = ["EventBinner"]


class EventBinner(TransformerMixin, BaseEstimator):
    """Bin tonic event streams into spike trains on a fixed time grid.

    Takes a sequence of event streams, one per sample, each a structured
    NumPy array in tonic's format (fields ``x``, ``y``, ``p``, ``t`` with
    ``t`` in microseconds; or ``x``, ``p``, ``t`` for audio sensors such as
    SHD), and returns spikes of shape ``(n_samples, n_steps, n_channels)``.
    The binning itself is :class:`tonic.transforms.ToFrame`; optional tonic
    transforms (``Denoise``, ``Downsample``, ...) run on each stream first.

    Parameters
    ----------
    sensor_size : tuple of 3 int (width, height, n_polarities) or None, default=None
        Sensor size in tonic's convention, e.g. ``(34, 34, 2)`` for N-MNIST,
        ``(128, 128, 2)`` for DVS Gesture, ``(700, 1, 1)`` for SHD (height 1
        for streams without a ``y`` field). None learns it in ``fit`` as
        ``(max x + 1, max y + 1, max p + 1)`` over the training streams. Give
        the size *after* the spatial ``transforms`` (e.g. ``Downsample``).
    n_steps : int or None, default=None
        Number of time steps. With ``time_window=None`` the window is learned
        in ``fit`` so that ``n_steps`` windows cover the longest training
        stream.
    time_window : float or None, default=None
        Step length in microseconds (in the time unit of the streams after
        ``transforms``). With ``n_steps=None``, ``fit`` learns the number of
        steps that covers the longest training stream. At least one of
        ``n_steps`` and ``time_window`` must be given; with both, the grid is
        fixed and ``fit`` does not read the streams (unless ``sensor_size`` is
        None).
    polarity : {"merge", "split"}, default="merge"
        "merge" counts ON and OFF events in the same channel
        (``width * height`` channels); "split" gives each polarity its own
        channels (``n_polarities * width * height``). A sensor with one
        polarity ignores ``p`` in both modes (as tonic does for SHD, whose
        events carry ``p = 1``).
    clip : bool, default=True
        True returns binary spikes (1 where a channel had at least one event
        in the step). False returns event counts, saturated at 255.
    transforms : callable, list of callables or None, default=None
        tonic transforms applied to each (time-sorted) stream before binning,
        e.g. ``[tonic.transforms.Denoise(filter_time=10000)]``; a list is run
        in order through :class:`tonic.transforms.Compose`. Random tonic
        transforms draw from NumPy's global random state.
    time_origin : {"zero", "first"}, default="zero"
        Start of the time grid: ``t = 0``, or each stream's first event.
    outside : {"raise", "drop"}, default="raise"
        What to do with events whose ``x``, ``y`` (or, with
        ``polarity="split"`` on a sensor with several polarities, ``p``) lie
        outside the sensor: raise a ValueError naming the sample, or drop
        them.
    batch_size : int, default=256
        Number of streams read (from a lazy sequence such as
        ``load_nmnist(..., lazy=True)``) and binned at a time.

    Attributes
    ----------
    sensor_size_ : tuple of 3 int
        Sensor size used (given or learned).
    n_steps_ : int
        Number of time steps of the output.
    time_window_ : float
        Step length in microseconds.
    dt_ : float
        Step length in milliseconds (``time_window_ / 1000``), the ``dt`` to
        give downstream spiking estimators.
    n_channels_ : int
        Output channels.

    See Also
    --------
    skspike.datasets.load_nmnist : N-MNIST event streams.
    skspike.datasets.make_event_dataset : Synthetic N-MNIST-format files.

    Notes
    -----
    Step ``k`` covers event times ``origin + k * time_window <= t <
    origin + (k + 1) * time_window`` with ``origin`` set by ``time_origin``;
    events before the first or after the last step are ignored, so a
    longer stream than seen in ``fit`` is truncated. The channel of an
    event is ``(p * height + y) * width + x`` (``p = 0`` when merging), the
    order of a flattened tonic frame ``(P, H, W)``. Unlike tonic's
    ``ToFrame(n_time_bins=...)``, which stretches each recording over its own
    bins, the grid is shared by all samples, so a step always lasts ``dt_``
    milliseconds, as spiking estimators assume.

    Defined behaviour of awkward input: an empty stream (or one emptied by
    ``transforms``) gives an all-zero sample; a stream whose times are not
    sorted is sorted (on a copy) before ``transforms`` and again after them;
    events outside the sensor follow ``outside``; non-integer coordinates
    (e.g. from a spatial transform on float fields) are floored. Inputs are
    never modified.

    Memory: the output takes ``n_samples * n_steps * n_channels`` bytes
    (uint8); on top of it, one batch of ``batch_size`` streams and the int16
    tonic frames of one stream (``2 * n_steps * n_polarities * width *
    height`` bytes) are held at a time. For example N-MNIST's 60 000
    training streams at 30 steps of 10 ms, merged polarity (1156 channels),
    take 60 000 * 30 * 1156 B = 2.1 GB.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.encoding import EventBinner
    >>> dtype = [("x", int), ("y", int), ("p", int), ("t", int)]
    >>> ev = np.array([(0, 0, 1, 0), (1, 0, 0, 1500), (1, 0, 1, 1600)], dtype=dtype)
    >>> binner = EventBinner((2, 1, 2), n_steps=2, time_window=1000)
    >>> binner.fit_transform([ev])[0]
    array([[1, 0],
           [0, 1]], dtype=uint8)
    >>> EventBinner((2, 1, 2), n_steps=2, time_window=1000, polarity="split",
    ...             clip=False).fit_transform([ev])[0]
    array([[0, 0, 1, 0],
           [0, 1, 0, 1]], dtype=uint8)
    """

    _parameter_constraints: dict = {
        "sensor_size": [tuple, list, None],
        "n_steps": [Interval(Integral, 1, None, closed="left"), None],
        "time_window": [Interval(Real, 0, None, closed="neither"), None],
        "polarity": [StrOptions({"merge", "split"})],
        "clip": ["boolean"],
        "transforms": [callable, list, tuple, None],
        "time_origin": [StrOptions({"zero", "first"})],
        "outside": [StrOptions({"raise", "drop"})],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        sensor_size=None,
        *,
        n_steps=None,
        time_window=None,
        polarity="merge",
        clip=True,
        transforms=None,
        time_origin="zero",
        outside="raise",
        batch_size=256,
    ):
        self.sensor_size = sensor_size
        self.n_steps = n_steps
        self.time_window = time_window
        self.polarity = polarity
        self.clip = clip
        self.transforms = transforms
        self.time_origin = time_origin
        self.outside = outside
        self.batch_size = batch_size

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fix the sensor size and the time grid.

        Parameters
        ----------
        X : sequence of structured ndarray
            Event streams, one per sample (list, tuple, 1-D object array or a
            lazy sequence from a skspike loader).
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted binner.
        """
        if self.n_steps is None and self.time_window is None:
            raise ValueError(
                "EventBinner needs n_steps, time_window or both to define the time grid; "
                "got n_steps=None and time_window=None."
            )
        n_samples = _check_sequence(X)
        sensor = None if self.sensor_size is None else _check_sensor_size(self.sensor_size)
        learn_time = self.n_steps is None or self.time_window is None
        if sensor is None or learn_time:
            sensor, max_duration = self._scan(X, n_samples, sensor)
        if learn_time and max_duration <= 0:
            raise ValueError(
                "Cannot learn the time grid: the training streams hold no events "
                "(after transforms). Give both n_steps and time_window."
            )
        if self.time_window is None:
            time_window = max_duration / self.n_steps
            n_steps = int(self.n_steps)
        elif self.n_steps is None:
            time_window = float(self.time_window)
            n_steps = max(1, int(np.ceil(max_duration / time_window)))
        else:
            time_window = float(self.time_window)
            n_steps = int(self.n_steps)
        self.sensor_size_ = sensor
        self.n_steps_ = n_steps
        self.time_window_ = time_window
        self.dt_ = time_window / 1000.0
        self.n_channels_ = sensor[0] * sensor[1] * self._n_polarity_channels(sensor)
        return self

    def transform(self, X):
        """Bin each event stream into spike trains.

        Parameters
        ----------
        X : sequence of structured ndarray
            Event streams, one per sample.

        Returns
        -------
        spikes : ndarray of shape (n_samples, `n_steps_`, `n_channels_`), dtype uint8
            Binary spikes (``clip=True``) or event counts saturated at 255.
        """
        check_is_fitted(self)
        n_samples = _check_sequence(X)
        _check_binned_bytes(n_samples, self.n_steps_, self.n_channels_)
        out = np.zeros((n_samples, self.n_steps_, self.n_channels_), dtype=np.uint8)
        for start, block in self._iter_batches(X, n_samples):
            out[start : start + len(block)] = block
        return out

    def count_operations(self, X):
        """Operation counts of binning ``X``, averaged per sample.

        Binning performs no synaptic operations; the counts report the spikes
        emitted and the activation slots (``n_steps_ * n_channels_``), so a
        Pipeline's total sees the sparsity of its input. Batches are counted
        one at a time, without building the full output.

        Parameters
        ----------
        X : sequence of structured ndarray
            Event streams, one per sample.

        Returns
        -------
        counts : OperationCounts
        """
        check_is_fitted(self)
        n_samples = _check_sequence(X)
        total = 0
        for _, block in self._iter_batches(X, n_samples):
            total += int(block.sum(dtype=np.int64))
        return OperationCounts(
            spikes=total / n_samples,
            n_activations=float(self.n_steps_ * self.n_channels_),
        )

    def get_feature_names_out(self, input_features=None):
        """Channel names ``p{p}_y{y}_x{x}`` in output order (``y``/``p`` omitted when 1)."""
        check_is_fitted(self)
        width, height, _ = self.sensor_size_
        n_pol = self._n_polarity_channels(self.sensor_size_)
        names = []
        for p in range(n_pol):
            for yy in range(height):
                for xx in range(width):
                    parts = ([f"p{p}"] if n_pol > 1 else []) + (
                        [f"y{yy}"] if height > 1 else []
                    ) + [f"x{xx}"]
                    names.append("_".join(parts))
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Input is a sequence of structured event arrays, not a numeric 2-D
        # array; sklearn's generated-data checks cannot feed it.
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        tags.non_deterministic = self.transforms is not None
        return tags

    # ------------------------------------------------------------------ helpers

    def _n_polarity_channels(self, sensor):
        return sensor[2] if self.polarity == "split" and sensor[2] > 1 else 1

    def _compose(self):
        if self.transforms is None:
            return None
        if isinstance(self.transforms, (list, tuple)):
            if not self.transforms:
                return None
            from tonic.transforms import Compose

            return Compose(list(self.transforms))
        return self.transforms

    def _prepare(self, X, index, transform, need_y):
        """Validated, time-sorted, transformed stream (possibly the input itself)."""
        events = _check_stream(X[index], index, need_y)
        events = _sorted_by_time(events)
        if transform is not None and len(events):
            events = transform(events)
            events = _check_stream(events, index, need_y, after_transforms=True)
            events = _sorted_by_time(events)
        return events

    def _scan(self, X, n_samples, sensor):
        """Learn the sensor extent and longest duration from the training streams."""
        transform = self._compose()
        need_y = sensor is not None and sensor[1] > 1
        max_x = max_y = max_p = -1
        max_duration = 0.0
        for i in range(n_samples):
            events = self._prepare(X, i, transform, need_y)
            if not len(events):
                continue
            t = events["t"]
            origin = 0.0 if self.time_origin == "zero" else float(t[0])
            # +1 us: the last event must fall strictly inside the grid.
            max_duration = max(max_duration, float(t[-1]) - origin + 1.0)
            if sensor is None:
                x, yy, p = _coordinates(events)
                if x.min() < 0 or yy.min() < 0 or p.min() < 0:
                    raise ValueError(
                        f"X[{i}] has negative x, y or p; cannot learn sensor_size from it. "
                        "Give sensor_size explicitly."
                    )
                max_x = max(max_x, int(x.max()))
                max_y = max(max_y, int(yy.max()))
                max_p = max(max_p, int(p.max()))
        if sensor is None:
            if max_x < 0:
                raise ValueError(
                    "Cannot learn sensor_size: the training streams hold no events. "
                    "Give sensor_size explicitly."
                )
            sensor = (max_x + 1, max_y + 1, max_p + 1)
        return sensor, max_duration

    def _iter_batches(self, X, n_samples):
        """Yield ``(start, spikes)`` blocks of at most ``batch_size`` samples."""
        from tonic.transforms import ToFrame

        transform = self._compose()
        width, height, n_pol_sensor = self.sensor_size_
        n_pol = self._n_polarity_channels(self.sensor_size_)
        n_steps = self.n_steps_
        time_window = self.time_window_
        for start in range(0, n_samples, self.batch_size):
            stop = min(start + self.batch_size, n_samples)
            _check_binned_bytes(stop - start, n_steps, self.n_channels_)
            block = np.zeros((stop - start, n_steps, self.n_channels_), dtype=np.uint8)
            for i in range(start, stop):
                events = self._prepare(X, i, transform, height > 1)
                if not len(events):
                    continue
                x, yy, p = _coordinates(events)
                if n_pol == 1:
                    p = np.zeros_like(p)
                inside = (x >= 0) & (x < width) & (yy >= 0) & (yy < height)
                inside &= (p >= 0) & (p < n_pol)
                if not inside.all():
                    if self.outside == "raise":
                        bad = ~inside
                        raise ValueError(
                            f"X[{i}] has {int(bad.sum())} event(s) outside the sensor of size "
                            f"{self.sensor_size_} (width, height, polarities): x in "
                            f"[{x.min()}, {x.max()}], y in [{yy.min()}, {yy.max()}], p values "
                            f"{np.unique(events['p'][bad])[:4].tolist()}. Check sensor_size "
                            "(after spatial transforms) or set outside='drop'."
                        )
                    x, yy, p = x[inside], yy[inside], p[inside]
                    events = events[inside]
                    if not len(events):
                        continue
                origin = 0.0 if self.time_origin == "zero" else float(events["t"][0])
                # A compact copy in the layout ToFrame indexes: integer
                # coordinates, polarity 0 when merging (as MergePolarities),
                # so tonic never sees or mutates the caller's array.
                compact = np.empty(
                    len(events),
                    dtype=[("x", np.int64), ("y", np.int64), ("p", np.int64), ("t", np.float64)],
                )
                compact["x"], compact["y"], compact["p"] = x, yy, p
                compact["t"] = events["t"]
                frames = ToFrame(
                    sensor_size=(width, height, n_pol),
                    time_window=time_window,
                    start_time=origin,
                    end_time=origin + n_steps * time_window,
                    include_incomplete=True,
                )(compact)
                frames = frames.reshape(frames.shape[0], -1)[:n_steps]
                row = block[i - start, : frames.shape[0]]
                if self.clip:
                    row[...] = frames > 0
                else:
                    row[...] = np.minimum(frames, 255)
            yield start, block


def _check_sequence(X):
    """Validate the container of event streams and return its length."""
    if hasattr(X, "iloc"):
        raise TypeError(
            "EventBinner takes a sequence of tonic event arrays, not a pandas object; "
            "pass list(series) or series.to_numpy()."
        )
    if isinstance(X, np.ndarray):
        if X.dtype.names is not None:
            raise TypeError(
                f"X is a single structured event array ({X.shape[0] if X.ndim else 1} events); "
                "EventBinner takes a sequence of streams, one per sample: wrap it as [events]."
            )
        if X.dtype != object:
            raise TypeError(
                "EventBinner takes a sequence of tonic event arrays (structured arrays with "
                f"fields x, y, p, t), got a numeric array of shape {X.shape} and dtype "
                f"{X.dtype}. Static data needs a spike encoder such as PoissonEncoder."
            )
        if X.ndim != 1:
            raise ValueError(f"An object array of event streams must be 1-D, got shape {X.shape}.")
    elif isinstance(X, (str, bytes, dict)) or not (
        hasattr(X, "__len__") and hasattr(X, "__getitem__")
    ):
        raise TypeError(
            "EventBinner takes a sequence (list, tuple, 1-D object array) of tonic event "
            f"arrays, got {type(X).__name__}. Wrap iterators with list()."
        )
    n_samples = len(X)
    if n_samples < 1:
        raise ValueError("X holds 0 event streams; at least 1 is required.")
    return n_samples


_FIELD_HINT = (
    "Each sample must be a structured array in tonic's format with fields x, y, p, t "
    "(t in microseconds), or x, p, t for audio sensors such as SHD."
)


def _check_stream(events, index, need_y, after_transforms=False):
    where = f"X[{index}]" + (" after transforms" if after_transforms else "")
    if isinstance(events, tuple):
        raise TypeError(
            f"{where} is a tuple; tonic data sets yield (events, target) pairs. Use the "
            "skspike.datasets loaders or [events for events, _ in dataset]."
        )
    if not isinstance(events, np.ndarray) or events.dtype.names is None:
        shape = getattr(events, "shape", None)
        raise TypeError(
            f"{where} is not a structured event array (got {type(events).__name__}"
            f"{'' if shape is None else f' of shape {shape}'}). " + _FIELD_HINT
        )
    if events.ndim != 1:
        raise ValueError(f"{where} must be a 1-D structured array, got shape {events.shape}.")
    names = events.dtype.names
    required = ("x", "y", "p", "t") if need_y else ("x", "p", "t")
    missing = [f for f in required if f not in names]
    if missing:
        raise ValueError(
            f"{where} lacks field(s) {missing} (has {list(names)}). " + _FIELD_HINT
            + (" A sensor of height > 1 needs y." if missing == ["y"] else "")
        )
    for f in ("x", "y", "p", "t"):
        if f in names and events.dtype[f].kind not in "biuf":
            raise ValueError(f"{where}: field {f!r} must be numeric, got {events.dtype[f]}.")
    if events.dtype["t"].kind == "f" and not np.isfinite(events["t"]).all():
        raise ValueError(f"{where}: event times contain NaN or infinity.")
    return events


def _sorted_by_time(events):
    t = events["t"]
    if t.shape[0] > 1 and np.any(t[1:] < t[:-1]):
        return events[np.argsort(t, kind="stable")]
    return events


def _coordinates(events):
    """Integer x, y, p of a validated stream (y = 0 without a y field)."""
    out = []
    for f in ("x", "y", "p"):
        if f not in events.dtype.names:
            out.append(np.zeros(len(events), dtype=np.int64))
            continue
        v = events[f]
        if v.dtype.kind == "f":
            v = np.floor(v)
        out.append(v.astype(np.int64))
    return tuple(out)


def _check_sensor_size(sensor_size):
    size = tuple(sensor_size)
    if len(size) != 3 or not all(
        isinstance(s, Integral) and not isinstance(s, bool) and s >= 1 for s in size
    ):
        raise ValueError(
            "sensor_size must be 3 positive integers (width, height, n_polarities) as in "
            f"tonic, e.g. (34, 34, 2) or (700, 1, 1); got {sensor_size!r}."
        )
    return tuple(int(s) for s in size)


def _check_binned_bytes(n_samples, n_steps, n_channels):
    from .._config import check_allocation

    check_allocation(
        n_samples * n_steps * n_channels,
        f"EventBinner: the uint8 spike trains of shape ({n_samples}, {n_steps}, {n_channels})",
        "n_steps (or use a longer time_window, or bin fewer samples at once)",
    )
