"""Neuromorphic event data: loaders through tonic and a synthetic N-MNIST writer.

The loaders read a data set already on disk (``download=False`` by default)
through tonic's own data set classes, so the files are parsed exactly as
tonic parses them; they only relax tonic's "is it downloaded" test (which
wants the original archive next to the extracted files and, for N-MNIST, at
least 10 000 files) to "are the extracted files there".
"""

import functools
import os
from collections.abc import Sequence
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

__all__ = ["load_nmnist", "load_dvs_gesture", "load_shd", "make_event_dataset", "EventStreams", "CorruptFileError"]

#: Time stamps of the N-MNIST binary format have 23 bits (microseconds).
_NMNIST_MAX_T = 2**23
_SYNTHETIC_MARKER = "SKSPIKE_SYNTHETIC.txt"
_NMNIST_SENSOR = (34, 34, 2)

# Where each data set lives under ``root`` (tonic's layout) and how to get it.
_SPECS = {
    "NMNIST": {
        "title": "N-MNIST",
        "loader": "load_nmnist",
        "size": "about 1 GB",
        "split": lambda train: "Train" if train else "Test",
        "pattern": "*/*.bin",
        "layout": "{split}/<digit>/<id>.bin",
        "url": lambda cls, train: cls.train_url if train else cls.test_url,
        "archive": lambda cls, train: cls.train_filename if train else cls.test_filename,
    },
    "DVSGesture": {
        "title": "DVS Gesture",
        "loader": "load_dvs_gesture",
        "size": "a few GB",
        "split": lambda train: "ibmGestureTrain" if train else "ibmGestureTest",
        "pattern": "*/*.npy",
        "layout": "{split}/user<NN>_<lighting>/<label>.npy",
        "url": lambda cls, train: cls.train_url if train else cls.test_url,
        "archive": lambda cls, train: cls.train_filename if train else cls.test_filename,
    },
    "SHD": {
        "title": "SHD (Spiking Heidelberg Digits)",
        "loader": "load_shd",
        "size": "a few hundred MB",
        "split": lambda train: "shd_train.h5" if train else "shd_test.h5",
        "pattern": None,
        "layout": "{split}",
        "url": lambda cls, train: cls.base_url + (cls.train_zip if train else cls.test_zip),
        "archive": lambda cls, train: cls.train_zip if train else cls.test_zip,
    },
}


def _tonic_class(name):
    import numpy.lib.recfunctions  # noqa: F401  (tonic's DVSGesture uses np.lib.recfunctions)
    import tonic.datasets

    return getattr(tonic.datasets, name)


class CorruptFileError(ValueError):
    """A data set file that cannot be read or holds impossible events; names the file."""


def _sample_path(dataset, index):
    """The file holding sample ``index`` (the HDF5 file for SHD)."""
    if hasattr(dataset, "data_filename"):
        return os.path.join(dataset.location_on_system, dataset.data_filename)
    return dataset.data[index]


def _precheck_file(name, path, dataset):
    """Problems visible before parsing: a truncated N-MNIST file, a DVS array of the wrong shape."""
    if name == "NMNIST":
        size = os.path.getsize(path)
        if size % 5:
            raise CorruptFileError(
                f"N-MNIST file {path} is truncated or not an N-MNIST file: {size} bytes is not a "
                "whole number of 5-byte (40-bit) event records."
            )
    elif name == "DVSGesture":
        try:
            arr = np.load(path, mmap_mode="r")
        except Exception as exc:
            raise CorruptFileError(f"DVS Gesture file {path} is not a readable .npy array: {exc}") from exc
        n_fields = len(dataset.dtype.names)
        if arr.ndim != 2 or arr.shape[1] != n_fields:
            raise CorruptFileError(
                f"DVS Gesture file {path} holds an array of shape {arr.shape}; expected "
                f"(n_events, {n_fields}) with columns {', '.join(dataset.dtype.names)} (t in ms)."
            )


def _check_events(name, path, index, events, sensor_size):
    """Refuse events outside the sensor or out of time order, naming the file."""
    where = f"{_SPECS[name]['title']} file {path}" + (f" (sample {index})" if name == "SHD" else "")
    limits = {"x": sensor_size[0], "y": sensor_size[1], "p": sensor_size[2]}
    for field, limit in limits.items():
        if field not in events.dtype.names or len(events) == 0:
            continue
        values = events[field].astype(np.int64)
        bad = np.flatnonzero((values < 0) | (values >= max(limit, 2 if field == "p" else limit)))
        if bad.size:
            raise CorruptFileError(
                f"{where} holds impossible events: {field}={values[bad[0]]} at event {bad[0]} "
                f"({bad.size} events outside 0..{max(limit, 2 if field == 'p' else limit) - 1}; sensor "
                f"size {tuple(sensor_size)}). The file is corrupted or not from this data set."
            )
    if len(events) > 1:
        t = events["t"]
        back = np.flatnonzero(np.diff(t) < 0)
        if back.size:
            i = int(back[0])
            raise CorruptFileError(
                f"{where} has time stamps out of order: t={t[i + 1]} after t={t[i]} at event {i + 1} "
                f"({back.size} decreases). Event files are time-sorted; this one is corrupted."
            )
        if t[0] < 0:
            raise CorruptFileError(f"{where} has a negative time stamp t={t[0]}.")


def _check_layout(name, location, train):
    """Folder names tonic turns into labels; refuse ones it would misread."""
    split = location / _SPECS[name]["split"](train)
    if name == "NMNIST":
        for folder in sorted(p for p in split.iterdir() if p.is_dir()):
            if next(folder.glob("*.bin"), None) is not None and not (len(folder.name) == 1 and folder.name.isdigit()):
                raise CorruptFileError(
                    f"N-MNIST class folder {folder} is not a digit 0-9; expected the layout "
                    f"{_SPECS[name]['layout'].format(split=split.name)}."
                )
    elif name == "DVSGesture":
        for folder in sorted(p for p in split.iterdir() if p.is_dir()):
            user, _, lighting = folder.name.partition("_")
            if not (user.startswith("user") and user[4:].isdigit() and lighting):
                raise CorruptFileError(
                    f"DVS Gesture folder {folder} is not named user<NN>_<lighting>; expected the "
                    f"layout {_SPECS[name]['layout'].format(split=split.name)}."
                )
            for file in sorted(folder.glob("*.npy")):
                if not file.stem.isdigit():
                    raise CorruptFileError(
                        f"DVS Gesture file {file} is not named <label>.npy with an integer label."
                    )


@functools.lru_cache(maxsize=None)
def _local_class(name):
    """tonic's class with the download test relaxed to "extracted files present".

    Same class name, since tonic stores data under ``root/<class name>``.
    Reading a sample checks the file first and the events after (inside the
    sensor, time-sorted); every error names the file.
    """
    base = _tonic_class(name)

    def _check_exists(self):
        return True

    def download(self):  # pragma: no cover - only reached if files vanish mid-call
        raise FileNotFoundError(f"{name} files disappeared from {self.location_on_system}.")

    def __getitem__(self, index):
        path = _sample_path(self, index)
        _precheck_file(name, path, self)
        try:
            events, target = base.__getitem__(self, index)
        except CorruptFileError:
            raise
        except Exception as exc:
            raise CorruptFileError(
                f"Cannot read {_SPECS[name]['title']} file {path}"
                + (f" (sample {index})" if name == "SHD" else "") + f": {type(exc).__name__}: {exc}"
            ) from exc
        _check_events(name, path, index, events, self.sensor_size)
        return events, target

    return type(name, (base,), {"_check_exists": _check_exists, "download": download, "__getitem__": __getitem__})


def _resolve_root(root, name):
    root = Path(os.path.expanduser(os.fspath(root)))
    # Accept the data set folder itself (".../NMNIST") as root.
    if not (root / name).exists() and root.name == name:
        root = root.parent
    return root


def _data_present(location, spec, train):
    target = location / spec["split"](train)
    if spec["pattern"] is None:
        return target.is_file()
    return target.is_dir() and next(target.glob(spec["pattern"]), None) is not None


def _missing_message(name, root, location, train):
    spec = _SPECS[name]
    cls = _tonic_class(name)
    split = spec["split"](train)
    where = location / spec["layout"].format(split=split)
    part = "training" if train else "test"
    return (
        f"{spec['title']} {part} set not found: looked for {where} under root={str(root)!r}. "
        f"To get it ({spec['size']}), on a machine with internet access run "
        f"`skspike.datasets.{spec['loader']}({str(root)!r}, train={train}, download=True)` "
        f"(or `tonic.datasets.{name}(save_to=...)`), or download {spec['url'](cls, train)} as "
        f"{spec['archive'](cls, train)} and extract it into {location}; then copy the folder "
        f"{name} to this machine and pass its parent directory as root."
    )


def _open(name, root, download, **kwargs):
    """tonic data set object ``name`` reading from ``root`` (or raise/download)."""
    spec = _SPECS[name]
    root = _resolve_root(root, name)
    location = root / name
    if not _data_present(location, spec, kwargs.get("train", True)):
        if not download:
            raise FileNotFoundError(_missing_message(name, root, location, kwargs.get("train", True)))
        return _tonic_class(name)(save_to=str(root), **kwargs)
    _check_layout(name, location, kwargs.get("train", True))
    try:
        return _local_class(name)(save_to=str(root), **kwargs)
    except (OSError, KeyError, ValueError, IndexError) as exc:
        where = location / spec["layout"].format(split=spec["split"](kwargs.get("train", True)))
        raise CorruptFileError(f"Cannot read {spec['title']} at {where}: {type(exc).__name__}: {exc}") from exc


class EventStreams(Sequence):
    """Read-only sequence of event streams read from disk on access.

    Returned by the loaders with ``lazy=True``; :class:`~skspike.encoding.EventBinner`
    bins it batch by batch, so a data set larger than memory in events can
    be binned. Indexing with an int returns one structured event array;
    with a slice, an index array or a boolean mask it returns a new
    ``EventStreams`` over those samples. Pickling stores only where the
    data lives.
    """

    def __init__(self, name, root, kwargs, indices):
        self.name = name
        self.root = str(root)
        self.kwargs = dict(kwargs)
        self.indices = np.asarray(indices, dtype=np.int64)
        self._dataset = None

    @property
    def dataset(self):
        """The underlying tonic data set object."""
        if self._dataset is None:
            self._dataset = _open(self.name, self.root, False, **self.kwargs)
        return self._dataset

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, key):
        if isinstance(key, (Integral, np.integer)):
            return self.dataset[int(self.indices[key])][0]
        sub = EventStreams(self.name, self.root, self.kwargs, self.indices[key])
        sub._dataset = self._dataset
        return sub

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_dataset"] = None
        return state

    def __repr__(self):
        return f"EventStreams({self.name}, root={self.root!r}, n_samples={len(self)})"


def _collect(name, root, kwargs, dataset, targets, n_samples, random_state, lazy):
    n_total = len(targets)
    if n_samples is None:
        indices = np.arange(n_total)
    else:
        if n_samples > n_total:
            raise ValueError(
                f"n_samples={n_samples} is larger than the {n_total} samples of the data set."
            )
        rng = check_random_state(random_state)
        indices = np.sort(rng.choice(n_total, size=n_samples, replace=False))
    y = np.asarray(targets, dtype=np.int64)[indices]
    if lazy:
        streams = EventStreams(name, root, kwargs, indices)
        streams._dataset = dataset
        return streams, y
    events = np.empty(len(indices), dtype=object)
    for k, i in enumerate(indices):
        events[k] = dataset[int(i)][0]
    return events, y


_LOADER_PARAMS = {
    "root": [str, os.PathLike],
    "train": ["boolean"],
    "n_samples": [Interval(Integral, 1, None, closed="left"), None],
    "random_state": ["random_state"],
    "lazy": ["boolean"],
    "download": ["boolean"],
}

_LOADER_DOC = """
    n_samples : int or None, default=None
        Load a random subset of this many samples (indices drawn without
        replacement by ``random_state``, kept in data set order). None loads
        all of them.
    random_state : int, RandomState instance or None, default=None
        Seed of the subset draw.
    lazy : bool, default=False
        False reads every stream into memory (an object array). True returns
        an :class:`EventStreams` sequence that reads each stream from disk
        when accessed, for data sets whose events do not fit in memory.
    download : bool, default=False
        Download and extract the data set into ``root`` through tonic if it
        is missing (needs internet access). With False a missing data set
        raises FileNotFoundError saying where it looked and how to get it.

    Returns
    -------
    events : ndarray of shape (n_samples,), dtype object, or EventStreams
        One structured event array per sample, as tonic returns it.
    y : ndarray of shape (n_samples,), dtype int64
        Class labels.

    Raises
    ------
    FileNotFoundError
        If the data set is not under ``root`` and ``download=False``.
    CorruptFileError
        (a ``ValueError``) If a file or folder cannot be read or holds
        impossible events (coordinates outside the sensor, time stamps out of
        order); the message names the file. A truncated or corrupted file is
        refused, never loaded silently."""


def _with_loader_doc(func):
    func.__doc__ = func.__doc__.replace("    %(common)s", _LOADER_DOC.strip("\n"))
    return func


@validate_params(
    {**_LOADER_PARAMS, "first_saccade_only": ["boolean"], "stabilize": ["boolean"]},
    prefer_skip_nested_validation=True,
)
@_with_loader_doc
def load_nmnist(
    root,
    *,
    train=True,
    first_saccade_only=False,
    stabilize=False,
    n_samples=None,
    random_state=None,
    lazy=False,
    download=False,
):
    """Load N-MNIST event streams through :class:`tonic.datasets.NMNIST`.

    N-MNIST (Orchard et al., 2015) is MNIST recorded by an ATIS event camera
    making three saccades: 60 000 training and 10 000 test streams of about
    300 ms on a 34 x 34 sensor with two polarities
    (``tonic.datasets.NMNIST.sensor_size == (34, 34, 2)``).

    Parameters
    ----------
    root : str or path-like
        Directory holding ``NMNIST/Train/<digit>/<id>.bin`` (and ``Test``),
        tonic's layout (``save_to`` in tonic); the ``NMNIST`` folder itself
        is accepted too.
    train : bool, default=True
        Training (True) or test (False) split.
    first_saccade_only : bool, default=False
        Keep only the events of the first saccade (``t < 100 ms``).
    stabilize : bool, default=False
        Remove the saccade motion (tonic's ``stabilize``).
    %(common)s

    See Also
    --------
    make_event_dataset : Synthetic files in the same format.
    skspike.encoding.EventBinner : Bin the streams into spike trains.

    Notes
    -----
    Each event is 40 bits: byte 0 ``x``, byte 1 ``y``, bit 7 of byte 2 the
    polarity, the remaining 23 bits the time stamp in microseconds. Fields
    of the returned arrays: ``x``, ``y``, ``t``, ``p`` (int64, 32 bytes per
    event as tonic returns them): the full training set (about 4 000 events
    per stream) takes about 8 GB in memory, so use ``n_samples`` or
    ``lazy=True`` (and :class:`~skspike.encoding.EventBinner` batches) for
    it.

    References
    ----------
    .. [1] G. Orchard, A. Jayawant, G. K. Cohen, N. Thakor, "Converting static
       image datasets to spiking neuromorphic datasets using saccades",
       Frontiers in Neuroscience 9:437, 2015.
    """
    kwargs = {"train": train, "first_saccade_only": first_saccade_only, "stabilize": stabilize}
    dataset = _open("NMNIST", root, download, **kwargs)
    return _collect(
        "NMNIST", _resolve_root(root, "NMNIST"), kwargs, dataset, dataset.targets,
        n_samples, random_state, lazy,
    )


@validate_params(_LOADER_PARAMS, prefer_skip_nested_validation=True)
@_with_loader_doc
def load_dvs_gesture(
    root, *, train=True, n_samples=None, random_state=None, lazy=False, download=False
):
    """Load DVS Gesture event streams through :class:`tonic.datasets.DVSGesture`.

    IBM's DVS128 Gesture (Amir et al., 2017): 11 hand and arm gestures by 29
    people under several lighting conditions, on a 128 x 128 sensor with two
    polarities (``(128, 128, 2)``), in tonic's preprocessed form (one
    stream per gesture, times stored in milliseconds and returned in
    microseconds).

    Parameters
    ----------
    root : str or path-like
        Directory holding
        ``DVSGesture/ibmGestureTrain/user<NN>_<lighting>/<label>.npy`` (and
        ``ibmGestureTest``), tonic's layout; each ``.npy`` an ``(n_events,
        4)`` array of columns x, y, p, t (ms). The ``DVSGesture`` folder
        itself is accepted too.
    train : bool, default=True
        Training (True) or test (False) split.
    %(common)s

    References
    ----------
    .. [1] A. Amir et al., "A low power, fully event-based gesture recognition
       system", CVPR 2017.
    """
    kwargs = {"train": train}
    dataset = _open("DVSGesture", root, download, **kwargs)
    return _collect(
        "DVSGesture", _resolve_root(root, "DVSGesture"), kwargs, dataset, dataset.targets,
        n_samples, random_state, lazy,
    )


@validate_params(_LOADER_PARAMS, prefer_skip_nested_validation=True)
@_with_loader_doc
def load_shd(root, *, train=True, n_samples=None, random_state=None, lazy=False, download=False):
    """Load Spiking Heidelberg Digits through :class:`tonic.datasets.SHD`.

    SHD (Cramer et al., 2020): spoken digits 0-9 in English and German (20
    classes) passed through a cochlea model, 700 channels. Streams have
    fields ``t`` (microseconds), ``x`` (channel) and ``p`` (always 1);
    ``tonic.datasets.SHD.sensor_size == (700, 1, 1)``.

    Parameters
    ----------
    root : str or path-like
        Directory holding ``SHD/shd_train.h5`` (and ``shd_test.h5``),
        tonic's layout; the ``SHD`` folder itself is accepted too. Each HDF5
        file has ``spikes/times`` (seconds) and ``spikes/units`` (variable
        length per sample), ``labels``, ``extra/keys`` and ``extra/speaker``.
    train : bool, default=True
        Training (True) or test (False) split.
    %(common)s

    References
    ----------
    .. [1] B. Cramer, Y. Stradmann, J. Schemmel, F. Zenke, "The Heidelberg
       spiking data sets for the systematic evaluation of spiking neural
       networks", IEEE TNNLS 33(7), 2020.
    """
    import h5py

    kwargs = {"train": train}
    dataset = _open("SHD", root, download, **kwargs)
    path = os.path.join(dataset.location_on_system, dataset.data_filename)
    with h5py.File(path, "r") as f:
        missing = [key for key in ("spikes/times", "spikes/units", "labels") if key not in f]
        if missing:
            raise CorruptFileError(
                f"SHD file {path} has no {', '.join(repr(k) for k in missing)}; an SHD file holds "
                "spikes/times, spikes/units, labels, extra/keys and extra/speaker."
            )
        targets = f["labels"][()].astype(np.int64)
        if len(targets) != len(f["spikes/times"]):
            raise CorruptFileError(
                f"SHD file {path} has {len(targets)} labels for {len(f['spikes/times'])} samples."
            )
    return _collect(
        "SHD", _resolve_root(root, "SHD"), kwargs, dataset, targets,
        n_samples, random_state, lazy,
    )


# --------------------------------------------------------------- synthetic data


def _write_nmnist_file(path, x, y, p, t):
    """Write events in N-MNIST's 40-bit binary format (see ``load_nmnist``)."""
    x = np.asarray(x, dtype=np.int64)
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.int64)
    t = np.asarray(t, dtype=np.int64)
    if not (x.shape == y.shape == p.shape == t.shape) or x.ndim != 1:
        raise ValueError("x, y, p, t must be 1-D arrays of the same length.")
    if len(x) and (x.min() < 0 or x.max() > 255 or y.min() < 0 or y.max() > 255):
        raise ValueError("N-MNIST coordinates must lie in [0, 255].")
    if np.any(y == 240):
        raise ValueError("y = 240 is reserved for time-overflow records in N-MNIST files.")
    if len(p) and not np.isin(p, (0, 1)).all():
        raise ValueError("N-MNIST polarities must be 0 or 1.")
    if len(t) and (t.min() < 0 or t.max() >= _NMNIST_MAX_T):
        raise ValueError(f"N-MNIST time stamps must lie in [0, {_NMNIST_MAX_T}) microseconds.")
    raw = np.empty((len(x), 5), dtype=np.uint8)
    raw[:, 0] = x
    raw[:, 1] = y
    raw[:, 2] = (p << 7) | ((t >> 16) & 0x7F)
    raw[:, 3] = (t >> 8) & 0xFF
    raw[:, 4] = t & 0xFF
    raw.tofile(path)


# N-MNIST's three saccades (the path tonic's ``stabilize`` undoes): over three
# periods of 105 ms the image moves (0, 0) -> (3.5, 7) -> (7, 0) -> (0, 0) px.
_SACCADE_MS = 105
_SACCADE_CORNERS = np.array([[0.0, 0.0], [3.5, 7.0], [7.0, 0.0], [0.0, 0.0]])


def _saccade_offset(t_ms):
    k = min(int(t_ms // _SACCADE_MS), 2)
    frac = (t_ms - k * _SACCADE_MS) / _SACCADE_MS
    return _SACCADE_CORNERS[k] + frac * (_SACCADE_CORNERS[k + 1] - _SACCADE_CORNERS[k])


def _digit_renderer(labels, rng):
    """Per-step intensity frames of saccade-shifted sklearn digits."""
    from scipy import ndimage
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = digits.images / 16.0
    n_samples = len(labels)
    canvas = np.zeros((n_samples, 34, 34), dtype=np.float32)
    # Disjoint images for the train and test files of each class.
    used = {}
    for i, label in enumerate(labels):
        pool = used.setdefault(label, rng.permutation(np.flatnonzero(digits.target == label)))
        k = np.sum(labels[:i] == label)
        if k >= len(pool):
            raise ValueError(
                f"sklearn's digits hold only {len(pool)} images of digit {label}; "
                "ask for fewer samples per class."
            )
        big = np.clip(ndimage.zoom(images[pool[k]], 3, order=1), 0.0, 1.0)  # 24 x 24
        oy, ox = rng.integers(0, 3, size=2)
        canvas[i, oy : oy + 24, ox : ox + 24] = big

    pad = 8
    padded = np.pad(canvas, ((0, 0), (pad, pad), (pad, pad)))

    def render(t_ms):
        # Bilinear shift by (dy, dx) >= 0: out[y, x] = canvas(y - dy, x - dx).
        dx, dy = _saccade_offset(t_ms)
        ix, iy = int(np.floor(dx)), int(np.floor(dy))
        fx, fy = dx - ix, dy - iy

        def view(sy, sx):
            return padded[:, pad - sy : pad - sy + 34, pad - sx : pad - sx + 34]

        return (
            (1 - fy) * ((1 - fx) * view(iy, ix) + fx * view(iy, ix + 1))
            + fy * ((1 - fx) * view(iy + 1, ix) + fx * view(iy + 1, ix + 1))
        )

    return render


def _bar_renderer(labels, n_classes, rng):
    """Per-step intensity frames of bars whose orientation is the class."""
    n_samples = len(labels)
    theta = np.pi * labels / n_classes + rng.normal(0.0, 0.05, n_samples)
    width = rng.uniform(1.5, 3.0, n_samples)
    speed = rng.uniform(0.8, 1.2, n_samples) * 40.0 / (3 * _SACCADE_MS)  # px per ms
    phase = rng.uniform(-3.0, 3.0, n_samples)
    yy, xx = np.mgrid[0:34, 0:34] - 16.5
    dist = (
        xx[None] * np.cos(theta)[:, None, None] + yy[None] * np.sin(theta)[:, None, None]
    )

    def render(t_ms):
        pos = (-20.0 + phase + speed * t_ms)[:, None, None]
        return np.exp(-(((dist - pos) / width[:, None, None]) ** 2)).astype(np.float32)

    return render


def _simulate_dvs(render, n_samples, duration_ms, threshold, noise_rate, rng):
    """Events of an ideal DVS pixel array watching ``render(t_ms)`` frames.

    Each pixel keeps a reference log intensity and emits one event per
    ``threshold`` crossed (ON if brighter, OFF if darker) in each 1 ms step,
    at a uniformly jittered time inside the step; thresholds vary 10 % from
    pixel to pixel. Background noise adds ``noise_rate`` Hz per pixel.
    """
    eps = np.float32(0.1)
    ref = np.log(eps + render(0.0))
    thresh = (threshold * np.clip(1.0 + 0.1 * rng.standard_normal(ref.shape), 0.5, 1.5)).astype(
        np.float32
    )
    chunks = []
    for step in range(1, duration_ms):
        level = np.log(eps + render(float(step)))
        diff = level - ref
        hit = np.nonzero(np.abs(diff) >= thresh)
        if not hit[0].size:
            continue
        n_ev = np.floor(np.abs(diff[hit]) / thresh[hit]).astype(np.int64)
        ref[hit] += np.sign(diff[hit]) * n_ev * thresh[hit]
        sample, yy, xx = (np.repeat(a, n_ev) for a in hit)
        pol = np.repeat((diff[hit] > 0).astype(np.int64), n_ev)
        t = step * 1000 + rng.integers(0, 1000, size=sample.size)
        chunks.append(np.stack([sample, xx, yy, pol, t], axis=1))
    n_noise = rng.poisson(noise_rate * 34 * 34 * duration_ms / 1000.0, size=n_samples)
    sample = np.repeat(np.arange(n_samples), n_noise)
    m = sample.size
    chunks.append(
        np.stack(
            [
                sample,
                rng.integers(0, 34, m),
                rng.integers(0, 34, m),
                rng.integers(0, 2, m),
                rng.integers(0, duration_ms * 1000, m),
            ],
            axis=1,
        )
    )
    table = np.concatenate(chunks)
    table = table[np.lexsort((table[:, 4], table[:, 0]))]
    bounds = np.searchsorted(table[:, 0], np.arange(n_samples + 1))
    return [table[bounds[i] : bounds[i + 1], 1:] for i in range(n_samples)]


@validate_params(
    {
        "root": [str, os.PathLike],
        "kind": [StrOptions({"digits", "bars"})],
        "n_classes": [Interval(Integral, 2, 10, closed="both")],
        "n_train": [Interval(Integral, 0, None, closed="left")],
        "n_test": [Interval(Integral, 0, None, closed="left")],
        "threshold": [Interval(Real, 0, None, closed="neither")],
        "noise_rate": [Interval(Real, 0, None, closed="left")],
        "overwrite": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_event_dataset(
    root,
    *,
    kind="digits",
    n_classes=3,
    n_train=20,
    n_test=10,
    threshold=0.5,
    noise_rate=2.0,
    overwrite=False,
    random_state=None,
):
    """Write a small synthetic data set in N-MNIST's on-disk format.

    Simulates an event camera (an ideal DVS) looking at moving images and
    writes the events as real N-MNIST files, so that
    :func:`load_nmnist` (through tonic) reads them back::

        root/NMNIST/Train/<label>/<id>.bin
        root/NMNIST/Test/<label>/<id>.bin

    Parameters
    ----------
    root : str or path-like
        Directory to write into (created if needed).
    kind : {"digits", "bars"}, default="digits"
        "digits": scikit-learn's 8 x 8 digit images (classes 0 to
        ``n_classes - 1``), upscaled to 24 x 24 and moved through
        N-MNIST's three saccades (315 ms). "bars": a bright bar whose
        orientation (``pi * label / n_classes``) is the class sweeps across
        the sensor in 315 ms.
    n_classes : int, default=3
        Number of classes, 2 to 10 (N-MNIST folders are single digits).
    n_train, n_test : int, default=20, 10
        Streams per class in the Train and Test folders. Digits use
        disjoint images for the two splits (about 170 per digit exist).
    threshold : float, default=0.5
        Contrast threshold of the simulated pixels (log intensity change
        per event); smaller gives more events.
    noise_rate : float, default=2.0
        Background events per pixel per second (uniform in time, polarity
        and position).
    overwrite : bool, default=False
        Replace an earlier synthetic data set under ``root``. Folders holding
        N-MNIST files not written by this function are never touched.
    random_state : int, RandomState instance or None, default=None
        Seed of the images, positions, thresholds, noise and event times.

    Returns
    -------
    root : str
        The directory to pass to :func:`load_nmnist`.

    Raises
    ------
    FileExistsError
        If ``root/NMNIST`` already holds N-MNIST files (real ones, or
        synthetic ones with ``overwrite=False``).

    See Also
    --------
    load_nmnist : Read the files back.

    Notes
    -----
    Each pixel holds a reference log intensity ``L_ref``; in each 1 ms step
    with ``L = log(0.1 + I)`` it emits ``floor(|L - L_ref| / C)`` events of
    polarity ``L > L_ref`` and moves ``L_ref`` by as many thresholds ``C``
    (``threshold`` times a per-pixel factor ``1 + 0.1 N(0, 1)``). A digit
    stream holds a few thousand events, like real N-MNIST.

    Examples
    --------
    >>> import tempfile
    >>> from skspike.datasets import load_nmnist, make_event_dataset
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = make_event_dataset(tmp, n_classes=2, n_train=3, n_test=1, random_state=0)
    ...     events, y = load_nmnist(root)
    >>> len(events), sorted(set(y.tolist()))
    (6, [0, 1])
    >>> events[0].dtype.names
    ('x', 'y', 't', 'p')
    """
    root = Path(os.path.expanduser(os.fspath(root)))
    base = root / "NMNIST"
    marker = base / _SYNTHETIC_MARKER
    existing = [f for split in ("Train", "Test") for f in (base / split).glob("*/*.bin")]
    if existing:
        if not marker.is_file():
            raise FileExistsError(
                f"{base} already holds N-MNIST files not written by make_event_dataset "
                "(real data?); choose another root."
            )
        if not overwrite:
            raise FileExistsError(
                f"{base} already holds a synthetic data set; pass overwrite=True to replace it."
            )
        for f in existing:
            f.unlink()
    rng = check_random_state(random_state)
    rng = np.random.default_rng(rng.randint(0, 2**31 - 1))
    per_class = n_train + n_test
    labels = np.repeat(np.arange(n_classes), per_class)
    if labels.size == 0:
        raise ValueError("n_train + n_test must be at least 1.")
    if kind == "digits":
        render = _digit_renderer(labels, rng)
    else:
        render = _bar_renderer(labels, n_classes, rng)
    streams = _simulate_dvs(render, len(labels), 3 * _SACCADE_MS, threshold, noise_rate, rng)
    base.mkdir(parents=True, exist_ok=True)
    marker.write_text(
        "Synthetic N-MNIST-format data written by skspike.datasets.make_event_dataset "
        f"(kind={kind!r}, n_classes={n_classes}, n_train={n_train}, n_test={n_test}).\n"
    )
    for i, (label, table) in enumerate(zip(labels, streams)):
        k = i % per_class
        split = "Train" if k < n_train else "Test"
        folder = base / split / str(int(label))
        folder.mkdir(parents=True, exist_ok=True)
        _write_nmnist_file(folder / f"{k:05d}.bin", *table.T)
    return str(root)
