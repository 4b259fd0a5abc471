"""Tests of the neuromorphic loaders and synthetic N-MNIST files (datasets/_neuromorphic.py).

Every file is written here in the data set's real on-disk format; no network.
"""

import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skspike.datasets import load_dvs_gesture, load_nmnist, load_shd, make_event_dataset
from skspike.datasets._neuromorphic import EventStreams, _write_nmnist_file
from skspike.encoding import EventBinner

tonic = pytest.importorskip("tonic")
h5py = pytest.importorskip("h5py")


# ------------------------------------------------------------------ N-MNIST


def nmnist_bytes(rows):
    """40-bit N-MNIST records from (x, y, p, t) rows, built byte by byte."""
    out = bytearray()
    for x, y, p, t in rows:
        out += bytes([x, y, (p << 7) | (t >> 16), (t >> 8) & 0xFF, t & 0xFF])
    return bytes(out)


# (x, y, p, t): times span all three time-stamp bytes
ROWS_A = [(0, 0, 1, 5), (33, 2, 0, 300), (10, 33, 1, 70_000), (4, 5, 0, 299_999)]
ROWS_B = [(1, 1, 0, 0), (1, 1, 1, 100_000), (2, 3, 1, 200_001)]


@pytest.fixture(scope="module")
def nmnist_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("nmnist")
    for split, label, name, rows in [
        ("Train", 3, "00001.bin", ROWS_A),
        ("Train", 7, "00002.bin", ROWS_B),
        ("Train", 7, "00003.bin", ROWS_A[:2]),
        ("Test", 3, "00004.bin", ROWS_B),
    ]:
        folder = root / "NMNIST" / split / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(nmnist_bytes(rows))
    return root


def test_writer_produces_real_format_bytes(tmp_path):
    x, y, p, t = np.array(ROWS_A).T
    _write_nmnist_file(tmp_path / "a.bin", x, y, p, t)
    assert (tmp_path / "a.bin").read_bytes() == nmnist_bytes(ROWS_A)
    with pytest.raises(ValueError, match="240"):
        _write_nmnist_file(tmp_path / "b.bin", [0], [240], [0], [0])
    with pytest.raises(ValueError, match="time stamps"):
        _write_nmnist_file(tmp_path / "b.bin", [0], [0], [0], [2**23])


def test_tonic_reader_parses_handwritten_file(nmnist_root):
    path = nmnist_root / "NMNIST" / "Train" / "3" / "00001.bin"
    ev = tonic.io.read_mnist_file(str(path), dtype=tonic.datasets.NMNIST.dtype)
    assert ev.dtype.names == ("x", "y", "t", "p")
    np.testing.assert_array_equal(np.c_[ev["x"], ev["y"], ev["p"], ev["t"]], ROWS_A)


def test_load_nmnist_reads_layout(nmnist_root):
    events, y = load_nmnist(nmnist_root)
    assert events.dtype == object and len(events) == 3
    np.testing.assert_array_equal(y, [3, 7, 7])  # labels from the folder names
    np.testing.assert_array_equal(events[1]["t"], [r[3] for r in ROWS_B])
    np.testing.assert_array_equal(events[1]["p"], [r[2] for r in ROWS_B])
    events_te, y_te = load_nmnist(nmnist_root, train=False)
    assert len(events_te) == 1 and y_te.tolist() == [3]
    # the NMNIST folder itself is accepted as root
    again, _ = load_nmnist(nmnist_root / "NMNIST")
    np.testing.assert_array_equal(again[0], events[0])
    first, _ = load_nmnist(nmnist_root, first_saccade_only=True)
    assert first[0]["t"].max() < 100_000 and len(first[0]) == 3


def test_nmnist_binning_equals_hand_computed_frame(nmnist_root):
    events, _ = load_nmnist(nmnist_root)
    # 3 steps of 100 ms on the 34 x 34 sensor, merged polarity
    spikes = EventBinner((34, 34, 2), n_steps=3, time_window=100_000).fit_transform(events)
    expected = np.zeros((3, 34 * 34), dtype=np.uint8)
    # ROWS_A: (0,0) t=5us -> step 0; (33,2) t=300us -> 0; (10,33) 70 ms -> 0; (4,5) 299.999 ms -> 2
    expected[0, 0 * 34 + 0] = 1
    expected[0, 2 * 34 + 33] = 1
    expected[0, 33 * 34 + 10] = 1
    expected[2, 5 * 34 + 4] = 1
    np.testing.assert_array_equal(spikes[0], expected)
    # ROWS_B: (1,1) at 0 and 100 ms -> steps 0 and 1; (2,3) at 200.001 ms -> step 2
    assert spikes[1].sum() == 3
    assert spikes[1, 0, 35] == spikes[1, 1, 35] == spikes[1, 2, 3 * 34 + 2] == 1


def test_lazy_streams_match_eager_and_pickle(nmnist_root):
    eager, y = load_nmnist(nmnist_root)
    lazy, y_lazy = load_nmnist(nmnist_root, lazy=True)
    assert isinstance(lazy, EventStreams) and len(lazy) == 3
    np.testing.assert_array_equal(y, y_lazy)
    for a, b in zip(eager, lazy):
        np.testing.assert_array_equal(a, b)
    sub = lazy[[2, 0]]
    assert isinstance(sub, EventStreams) and len(sub) == 2
    np.testing.assert_array_equal(sub[0], eager[2])
    np.testing.assert_array_equal(lazy[y == 7][1], eager[2])
    restored = pickle.loads(pickle.dumps(lazy))
    np.testing.assert_array_equal(restored[1], eager[1])
    binner = EventBinner((34, 34, 2), n_steps=3, batch_size=2).fit(eager)
    np.testing.assert_array_equal(binner.transform(lazy), binner.transform(eager))


def test_subset_is_reproducible(nmnist_root):
    ev1, y1 = load_nmnist(nmnist_root, n_samples=2, random_state=0)
    ev2, y2 = load_nmnist(nmnist_root, n_samples=2, random_state=0)
    assert len(ev1) == 2
    np.testing.assert_array_equal(y1, y2)
    for a, b in zip(ev1, ev2):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="larger than"):
        load_nmnist(nmnist_root, n_samples=10)


@pytest.mark.parametrize(
    "loader, where",
    [
        (load_nmnist, "NMNIST/Train/<digit>/<id>.bin"),
        (load_dvs_gesture, "DVSGesture/ibmGestureTrain/user<NN>_<lighting>/<label>.npy"),
        (load_shd, "SHD/shd_train.h5"),
    ],
)
def test_missing_data_set_says_where_and_how(tmp_path, loader, where):
    with pytest.raises(FileNotFoundError) as info:
        loader(tmp_path)
    msg = str(info.value)
    assert str(tmp_path / where) in msg
    assert "download=True" in msg and "internet access" in msg and "https://" in msg


# ------------------------------------------------------------------ DVS Gesture

# (x, y, p, t in ms) as in tonic's preprocessed .npy files
GESTURE_0 = np.array([[0, 0, 1, 0.5], [127, 3, 0, 1.0], [5, 127, 1, 2.999]])
GESTURE_4 = np.array([[64, 64, 0, 0.0], [64, 64, 1, 3.5]])


def write_gestures(root, n_extra=0):
    user = root / "DVSGesture" / "ibmGestureTrain" / "user01_fluorescent"
    user.mkdir(parents=True)
    np.save(user / "0.npy", GESTURE_0)
    np.save(user / "4.npy", GESTURE_4)
    for k in range(n_extra):  # filler so that tonic's own "downloaded" check passes
        other = root / "DVSGesture" / "ibmGestureTrain" / f"user{k + 2:02d}_led"
        other.mkdir()
        np.save(other / "1.npy", GESTURE_4)


def test_load_dvs_gesture_and_hand_computed_frame(tmp_path):
    write_gestures(tmp_path)
    events, y = load_dvs_gesture(tmp_path)
    assert y.tolist() == [0, 4]
    ev = events[0]
    assert set(ev.dtype.names) == {"x", "y", "p", "t"}
    np.testing.assert_array_equal(ev["t"], [500, 1000, 2999])  # ms -> us
    binner = EventBinner((128, 128, 2), n_steps=2, time_window=1000, polarity="split")
    spikes = binner.fit_transform(events)
    expected = np.zeros((2, 2 * 128 * 128), dtype=np.uint8)
    expected[0, 128 * 128 + 0] = 1  # p1 y0 x0 at 0.5 ms
    expected[1, 3 * 128 + 127] = 1  # p0 y3 x127 at 1.0 ms; the 2.999 ms event is past 2 steps
    np.testing.assert_array_equal(spikes[0], expected)


def test_dvs_gesture_files_readable_by_unmodified_tonic(tmp_path):
    write_gestures(tmp_path, n_extra=98)
    (tmp_path / "DVSGesture" / "ibmGestureTrain.tar.gz").touch()
    ds = tonic.datasets.DVSGesture(save_to=str(tmp_path), train=True)
    events, y = load_dvs_gesture(tmp_path)
    assert len(ds) == len(events) == 100
    idx = ds.data.index(str(tmp_path / "DVSGesture" / "ibmGestureTrain" / "user01_fluorescent"
                            / "0.npy"))
    np.testing.assert_array_equal(ds[idx][0], events[idx])
    assert ds.targets == y.tolist()


# ------------------------------------------------------------------ SHD


SHD_TIMES = [np.array([0.0, 0.25, 0.5], dtype=np.float16), np.array([0.125], dtype=np.float16)]
SHD_UNITS = [np.array([3, 699, 3], dtype=np.uint16), np.array([10], dtype=np.uint16)]


def write_shd(root, name="shd_train.h5", labels=(5, 12)):
    folder = root / "SHD"
    folder.mkdir(parents=True, exist_ok=True)
    with h5py.File(folder / name, "w") as f:
        times = f.create_dataset("spikes/times", (2,), dtype=h5py.vlen_dtype(np.float16))
        units = f.create_dataset("spikes/units", (2,), dtype=h5py.vlen_dtype(np.uint16))
        for i in range(2):
            times[i] = SHD_TIMES[i]
            units[i] = SHD_UNITS[i]
        f.create_dataset("labels", data=np.array(labels, dtype=np.uint8))
        f.create_dataset("extra/keys", data=np.array([b"english-zero", b"german-zwei"]))
        f.create_dataset("extra/speaker", data=np.array([1, 4], dtype=np.uint16))


def test_load_shd_and_hand_computed_frame(tmp_path):
    write_shd(tmp_path)
    events, y = load_shd(tmp_path)
    assert y.tolist() == [5, 12]
    ev = events[0]
    assert ev.dtype.names == ("t", "x", "p")
    np.testing.assert_array_equal(ev["t"], [0, 250_000, 500_000])  # s -> us
    np.testing.assert_array_equal(ev["x"], [3, 699, 3])
    binner = EventBinner((700, 1, 1), n_steps=3, time_window=200_000, clip=False)
    spikes = binner.fit_transform(events)
    expected = np.zeros((2, 3, 700), dtype=np.uint8)
    expected[0, 0, 3] = 1
    expected[0, 1, 699] = 1
    expected[0, 2, 3] = 1
    expected[1, 0, 10] = 1
    np.testing.assert_array_equal(spikes, expected)
    with pytest.raises(FileNotFoundError, match="shd_test.h5"):
        load_shd(tmp_path, train=False)


def test_shd_file_readable_by_unmodified_tonic(tmp_path):
    write_shd(tmp_path)
    (tmp_path / "SHD" / "shd_train.h5.zip").touch()
    ds = tonic.datasets.SHD(save_to=str(tmp_path), train=True)
    events, y = load_shd(tmp_path, lazy=True)
    for i in range(2):
        ev, target = ds[i]
        np.testing.assert_array_equal(ev, events[i])
        assert target == y[i]


# ------------------------------------------------------------------ synthetic data


def test_make_event_dataset_layout_and_safety(tmp_path):
    root = make_event_dataset(tmp_path, kind="bars", n_classes=2, n_train=2, n_test=1,
                              random_state=0)
    base = Path(root) / "NMNIST"
    files = sorted(p.relative_to(base).as_posix() for p in base.glob("*/*/*.bin"))
    assert files == ["Test/0/00002.bin", "Test/1/00002.bin", "Train/0/00000.bin",
                     "Train/0/00001.bin", "Train/1/00000.bin", "Train/1/00001.bin"]
    events, y = load_nmnist(root)
    assert y.tolist() == [0, 0, 1, 1]
    for ev in events:
        assert len(ev) > 100
        assert ev["x"].min() >= 0 and ev["x"].max() < 34 and ev["y"].max() < 34
        assert ev["t"].min() >= 0 and ev["t"].max() < 315_000
        assert np.all(np.diff(ev["t"]) >= 0)
        assert set(np.unique(ev["p"])) == {0, 1}
    with pytest.raises(FileExistsError, match="overwrite=True"):
        make_event_dataset(tmp_path, n_classes=2, n_train=1, n_test=0)
    make_event_dataset(tmp_path, n_classes=2, n_train=1, n_test=0, overwrite=True)
    assert len(list(base.glob("*/*/*.bin"))) == 2


def test_make_event_dataset_never_touches_real_data(nmnist_root):
    with pytest.raises(FileExistsError, match="not written by make_event_dataset"):
        make_event_dataset(nmnist_root, overwrite=True)
    assert (nmnist_root / "NMNIST" / "Train" / "3" / "00001.bin").is_file()


def test_make_event_dataset_is_reproducible(tmp_path):
    a = make_event_dataset(tmp_path / "a", n_classes=2, n_train=1, n_test=0, random_state=3)
    b = make_event_dataset(tmp_path / "b", n_classes=2, n_train=1, n_test=0, random_state=3)
    c = make_event_dataset(tmp_path / "c", n_classes=2, n_train=1, n_test=0, random_state=4)
    rel = "NMNIST/Train/1/00000.bin"
    assert (Path(a) / rel).read_bytes() == (Path(b) / rel).read_bytes()
    assert (Path(a) / rel).read_bytes() != (Path(c) / rel).read_bytes()


def sum_over_time(spikes):
    return spikes.sum(axis=1, dtype=np.float64)


@pytest.fixture(scope="module")
def synthetic_digits(tmp_path_factory):
    root = make_event_dataset(
        tmp_path_factory.mktemp("synth"), kind="digits", n_classes=3, n_train=20, n_test=10,
        random_state=0,
    )
    return load_nmnist(root), load_nmnist(root, train=False)


def test_end_to_end_synthetic_nmnist_pipeline(synthetic_digits):
    (X_train, y_train), (X_test, y_test) = synthetic_digits
    assert np.bincount(y_train).tolist() == [20, 20, 20]
    # N-MNIST-like: a few thousand events per stream
    assert 1000 < np.mean([len(ev) for ev in X_train]) < 20_000
    pipe = make_pipeline(
        EventBinner((34, 34, 2), n_steps=30, time_window=10_500),
        FunctionTransformer(sum_over_time),
        LogisticRegression(max_iter=2000),
    )
    pipe.fit(X_train, y_train)
    accuracy = pipe.score(X_test, y_test)
    print(f"end-to-end synthetic N-MNIST (3 classes, chance 0.33): accuracy {accuracy:.3f}")
    assert accuracy >= 0.8
    # shuffled labels carry no information: the same pipeline falls to chance
    rng = np.random.default_rng(0)
    shuffled = pipe.fit(X_train, rng.permutation(y_train)).score(X_test, y_test)
    assert shuffled < 0.6


def test_end_to_end_synthetic_nmnist_ngsnn(synthetic_digits):
    from skspike.classifiers import NGSNNClassifier

    (X_train, y_train), (X_test, y_test) = synthetic_digits
    binner = EventBinner((34, 34, 2), n_steps=15, time_window=21_000)
    pipe = make_pipeline(binner, NGSNNClassifier(dt=21.0, max_neurons=50, random_state=0))
    pipe.fit(X_train, y_train)
    accuracy = pipe.score(X_test, y_test)
    print(f"EventBinner -> NGSNNClassifier on synthetic N-MNIST (chance 0.33): accuracy "
          f"{accuracy:.3f}, {pipe[-1].n_neurons_} neurons")
    assert binner.dt_ == 21.0
    assert accuracy >= 0.7


def test_docstring_examples_run():
    import doctest

    import skspike.datasets._neuromorphic as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# ------------------------------------------------------------------ broken files
from skspike.datasets import CorruptFileError  # noqa: E402


def nmnist_tree(root, files):
    """Write ``{relative path: bytes}`` under root/NMNIST/Train."""
    for rel, data in files.items():
        path = root / "NMNIST" / "Train" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.mark.parametrize("lazy", [False, True])
def test_truncated_nmnist_file_is_named(tmp_path, lazy):
    good = nmnist_bytes(ROWS_A)
    nmnist_tree(tmp_path, {"3/00001.bin": good, "3/00002.bin": good[:-2]})
    with pytest.raises(CorruptFileError, match=r"00002\.bin is truncated.*18 bytes is not a whole number"):
        events, _ = load_nmnist(tmp_path, lazy=lazy)
        events[1]


def test_non_digit_class_folder_is_named(tmp_path):
    nmnist_tree(tmp_path, {"3/00001.bin": nmnist_bytes(ROWS_A), "three/00002.bin": nmnist_bytes(ROWS_B)})
    with pytest.raises(CorruptFileError, match=r"class folder .*three is not a digit 0-9"):
        load_nmnist(tmp_path)


def test_random_bytes_nmnist_file_is_refused(tmp_path):
    noise = np.random.default_rng(0).integers(0, 256, size=5 * 400, dtype=np.uint8).tobytes()
    nmnist_tree(tmp_path, {"3/00001.bin": nmnist_bytes(ROWS_A), "4/00009.bin": noise})
    with pytest.raises(CorruptFileError, match=r"00009\.bin holds impossible events: [xy]=\d+"):
        load_nmnist(tmp_path)


def test_unsorted_nmnist_times_are_refused(tmp_path):
    rows = [(1, 1, 0, 500), (2, 2, 1, 100)]
    nmnist_tree(tmp_path, {"3/00001.bin": nmnist_bytes(rows)})
    with pytest.raises(CorruptFileError, match=r"00001\.bin has time stamps out of order: t=100 after t=500"):
        load_nmnist(tmp_path)


def test_dvs_gesture_array_with_three_columns_is_named(tmp_path):
    folder = tmp_path / "DVSGesture" / "ibmGestureTrain" / "user01_fluorescent"
    folder.mkdir(parents=True)
    np.save(folder / "2.npy", np.zeros((5, 3), dtype=np.int64))
    with pytest.raises(CorruptFileError, match=r"2\.npy holds an array of shape \(5, 3\); expected \(n_events, 4\)"):
        load_dvs_gesture(tmp_path)


def test_dvs_gesture_coordinates_outside_sensor_are_refused(tmp_path):
    folder = tmp_path / "DVSGesture" / "ibmGestureTrain" / "user01_led"
    folder.mkdir(parents=True)
    np.save(folder / "0.npy", np.array([[3, 4, 1, 1.0], [300, 4, 0, 2.0]]))
    with pytest.raises(CorruptFileError, match=r"0\.npy holds impossible events: x=300 at event 1"):
        load_dvs_gesture(tmp_path)


def test_shd_without_labels_is_named(tmp_path):
    folder = tmp_path / "SHD"
    folder.mkdir()
    with h5py.File(folder / "shd_train.h5", "w") as f:
        times = f.create_dataset("spikes/times", (1,), dtype=h5py.vlen_dtype(np.float16))
        units = f.create_dataset("spikes/units", (1,), dtype=h5py.vlen_dtype(np.uint16))
        times[0], units[0] = SHD_TIMES[1], SHD_UNITS[1]
        f.create_dataset("extra/keys", data=np.array([b"english-zero"]))
        f.create_dataset("extra/speaker", data=np.array([1], dtype=np.uint16))
    with pytest.raises(CorruptFileError, match=r"shd_train\.h5 has no 'labels'"):
        load_shd(tmp_path)


def test_truncated_shd_file_is_named(tmp_path):
    write_shd(tmp_path)
    path = tmp_path / "SHD" / "shd_train.h5"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFileError, match=r"Cannot read SHD .*shd_train\.h5"):
        load_shd(tmp_path)
