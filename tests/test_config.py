"""skspike._config: threading layer (fork and thread safety), settings-keyed cache, limits.

The process and thread tests run in a fresh interpreter with a timeout, so a
hang or an abort (numba's workqueue layer aborts on concurrent launches)
fails the test instead of stalling or killing the test session.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from skspike import _config

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 240

# Simulates a machine without oneTBB: numba's TBB layer cannot be imported.
HIDE_TBB = "import sys; sys.modules['numba.np.ufunc.tbbpool'] = None\n"


def _tbb_loads():
    code = "from skspike import _config; print(_config._load_tbb())"
    out = _run(code, timeout=60)
    return out.stdout.strip().endswith("True")


def _run(code, env=None, timeout=TIMEOUT):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SKSPIKE_", "NUMBA_"))}
    full_env["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT
    )


def _run_ok(code, env=None):
    try:
        out = _run(code, env)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"timed out after {TIMEOUT} s (hang); output so far: {exc.stdout!r} {exc.stderr!r}")
    assert out.returncode == 0, f"rc={out.returncode}\nstdout:\n{out.stdout}\nstderr:\n{out.stderr[-3000:]}"
    return out.stdout


MODES = {
    "auto": "",
    "without-tbb": HIDE_TBB,
}

FORK_POOLS = textwrap.dedent(
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    import joblib
    import numba
    import numpy as np
    from sklearn.datasets import make_classification
    from sklearn.model_selection import cross_val_score

    from skspike.classifiers import NGSNNClassifier
    from skspike.encoding import PoissonEncoder

    X, y = make_classification(120, 6, n_informative=4, random_state=0)
    # parallel kernels run in the parent, on two threads, before the fork
    PoissonEncoder(random_state=0).fit_transform(X)
    model = NGSNNClassifier(max_neurons=8, n_candidates=10, n_jobs=2, random_state=0).fit(X, y)
    expected = model.predict(X)
    with joblib.parallel_backend("multiprocessing"):
        scores = cross_val_score(NGSNNClassifier(max_neurons=5, n_candidates=5, n_jobs=2, random_state=0),
                                 X, y, cv=2, n_jobs=2)
    assert scores.shape == (2,) and np.all(scores > 0.5), scores
    with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as pool:
        parts = list(pool.map(model.predict, np.array_split(X, 4)))
    assert np.array_equal(np.concatenate(parts), expected)
    print("layer", numba.threading_layer())
    """
)

CONCURRENT_THREADS = textwrap.dedent(
    """
    import threading

    import numba
    import numpy as np

    from skspike.encoding import PoissonEncoder
    from skspike.neurons import LIF, simulate

    rng = np.random.default_rng(0)
    X = rng.random((400, 16))
    enc = PoissonEncoder(n_steps=50, random_state=0).fit(X)
    expected = enc.transform(X)
    w = rng.normal(size=(16, 8))
    sim_expected = simulate(LIF(), expected, w, output="counts")[0]
    errors = []
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            for _ in range(30):
                out = enc.transform(X)
                counts = simulate(LIF(), out, w, output="counts")[0]
                assert np.array_equal(out, expected)
                assert np.array_equal(counts, sim_expected)
        except Exception as exc:  # reported by the main thread
            errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    print("layer", numba.threading_layer())
    """
)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_fork_process_pools_after_parent_fit(mode):
    if mode == "auto" and not _tbb_loads():
        pytest.skip("oneTBB not installed")
    out = _run_ok(MODES[mode] + FORK_POOLS)
    assert out.split()[-1] == ("tbb" if mode == "auto" else "workqueue")


@pytest.mark.parametrize("mode", sorted(MODES))
def test_two_threads_transform_at_once(mode):
    if mode == "auto" and not _tbb_loads():
        pytest.skip("oneTBB not installed")
    out = _run_ok(MODES[mode] + CONCURRENT_THREADS)
    assert out.split()[-1] == ("tbb" if mode == "auto" else "workqueue")


def test_threading_layer_override_is_respected():
    code = "from skspike import _config; _config.jit(); print(_config.THREADING_LAYER)"
    assert _run_ok(code, {"SKSPIKE_NUMBA_THREADING_LAYER": "workqueue"}).split()[-1] == "workqueue"
    assert _run_ok(code, {"NUMBA_THREADING_LAYER": "omp"}).split()[-1] == "omp"


# --------------------------------------------------------------- disk cache
# A small kernel compiled through skspike's jit, in its own module so that the
# test controls its cache: a sequential sum, which fastmath may reassociate
# (vectorise), and a prange, which starts numba's thread pool when parallel.
KERNEL_MODULE = textwrap.dedent(
    """
    import numpy as np
    from numba import prange

    from skspike._config import jit


    @jit(parallel=True)
    def kernel(x):
        out = np.empty(x.shape[0])
        for i in prange(x.shape[0]):
            total = 0.0
            for j in range(x.shape[1]):
                total += x[i, j] * 1.0000001
            out[i] = total
        return out
    """
)

RUN_KERNEL = textwrap.dedent(
    """
    import hashlib, sys
    import numpy as np
    from numba.np.ufunc import parallel
    import cached_kernel

    x = np.random.default_rng(3).normal(size=(64, 1001))
    out = cached_kernel.kernel(x)
    print(hashlib.sha1(out.tobytes()).hexdigest(), parallel._threading_layer,
          len(cached_kernel.kernel.stats.cache_hits))
    """
)


def test_cache_entries_are_keyed_by_compile_settings(tmp_path):
    (tmp_path / "cached_kernel.py").write_text(KERNEL_MODULE)
    base = {"PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]), "NUMBA_CACHE_DIR": str(tmp_path / "cache")}

    def run(**settings):
        return _run_ok(RUN_KERNEL, {**base, **settings}).split()

    reference, _, _ = run(SKSPIKE_NUMBA_CACHE="0")  # defaults, no disk cache involved
    fast, _, hits = run(SKSPIKE_NUMBA_FASTMATH="1")
    assert hits == "0"
    # A default run after a fastmath run into the same cache compiles its own entry.
    default, layer, hits = run()
    assert (default, hits) == (reference, "0")
    assert layer != "None"  # ran threaded
    assert run() == [reference, layer, "1"]  # and finds it the next time
    # PARALLEL=0 after a parallel run into the same cache never starts a thread pool.
    serial, layer, hits = run(SKSPIKE_NUMBA_PARALLEL="0")
    assert (layer, hits) == ("None", "0")
    assert serial == reference
    assert run(SKSPIKE_NUMBA_FASTMATH="1")[::2] == [fast, "1"]
    names = {p.name for p in tmp_path.rglob("*.nbi")}
    assert {n.split("~")[1][:7] for n in names} == {"fm0par1", "fm1par1", "fm0par0"}
    # and by the package's sources: a caller's entry holds the code it inlined from other files
    assert all(f"src{_config._source_tag()}" in n for n in names), names


def test_source_tag_follows_every_source_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")
    tag = _config._source_tag(tmp_path)
    assert tag == _config._source_tag(tmp_path)
    (tmp_path / "sub" / "b.py").write_text("y = 3\n")  # a callee in another file changed
    changed = _config._source_tag(tmp_path)
    assert changed != tag
    (tmp_path / "sub" / "b.py").rename(tmp_path / "b.py")  # same text, other place
    assert _config._source_tag(tmp_path) not in (tag, changed)


# ------------------------------------------------------------------- limits
def test_batch_size_context_is_per_thread_and_restored():
    default = _config.get_batch_size()
    with _config.batch_size(7):
        assert _config.get_batch_size() == 7
        with _config.batch_size(3):
            assert _config.get_batch_size() == 3
        assert _config.get_batch_size() == 7
    assert _config.get_batch_size() == default
    with pytest.raises(ValueError, match="batch size"):
        with _config.batch_size(0):
            pass


def test_check_allocation_names_parameter_and_bytes(monkeypatch):
    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "1M")
    assert _config.max_bytes() == 1 << 20
    _config.check_allocation(1 << 20, "the buffer", "n_steps")
    with pytest.raises(MemoryError, match=r"the buffer would need 2\.0 MiB \(2097152 bytes\).*reduce n_steps"):
        _config.check_allocation(2 << 20, "the buffer", "n_steps")
    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "-3")
    with pytest.raises(ValueError, match="SKSPIKE_MAX_BYTES"):
        _config.max_bytes()


def test_check_work_names_parameter_estimate_and_override(monkeypatch):
    monkeypatch.delenv("SKSPIKE_MAX_UPDATES_PER_SAMPLE", raising=False)
    assert _config.max_updates_per_sample() == 1e9
    _config.check_work(1e9, 10, "thing", "n_steps")  # at the limit: allowed
    with pytest.raises(_config.WorkLimitError, match=r"^thing: 2e\+09 neuron updates per sample \(n_steps=2 x 1e9; "
                                                     r"2e\+10 in total for 10 sample\(s\)\), more than the limit "
                                                     r"of 1e\+09 per sample.*Lower n_steps, or.*limits\("):
        _config.check_work(2e9, 10, "thing", "n_steps", "n_steps=2 x 1e9")
    assert issubclass(_config.WorkLimitError, ValueError)
    for text, value in (("5e3", 5000.0), ("none", None), ("inf", None), ("0", None)):
        monkeypatch.setenv("SKSPIKE_MAX_UPDATES_PER_SAMPLE", text)
        assert _config.max_updates_per_sample() == value
    _config.check_work(1e30, 1, "thing", "n_steps")  # no limit
    monkeypatch.setenv("SKSPIKE_MAX_UPDATES_PER_SAMPLE", "-1")
    with pytest.raises(ValueError, match="SKSPIKE_MAX_UPDATES_PER_SAMPLE must be a positive number"):
        _config.max_updates_per_sample()


def test_limits_context_is_per_thread_nested_and_restored(monkeypatch):
    import threading

    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "1M")
    monkeypatch.setenv("SKSPIKE_MAX_UPDATES_PER_SAMPLE", "100")
    seen = []
    with _config.limits(max_updates_per_sample=None, max_bytes="2K"):
        assert _config.max_updates_per_sample() is None and _config.max_bytes() == 2048
        with _config.limits(max_bytes=None):
            assert _config.max_bytes() == float("inf") and _config.max_updates_per_sample() is None
            _config.check_allocation(1 << 40, "the buffer", "n_steps")
        assert _config.max_bytes() == 2048
        other = threading.Thread(target=lambda: seen.append((_config.max_updates_per_sample(), _config.max_bytes())))
        other.start()
        other.join()
    assert seen == [(100.0, 1 << 20)]  # another thread keeps the environment's limits
    assert (_config.max_updates_per_sample(), _config.max_bytes()) == (100.0, 1 << 20)
    with pytest.raises(ValueError, match="max_updates_per_sample must be positive"):
        with _config.limits(max_updates_per_sample=0):
            pass


def test_get_config_reports_layer_and_limits():
    _config.jit()
    cfg = _config.get_config()
    assert set(cfg) == {"cache", "fastmath", "parallel", "threading_layer", "batch_size", "max_bytes",
                        "max_updates_per_sample"}
    assert cfg["threading_layer"] == _config.THREADING_LAYER
    assert cfg["max_bytes"] > 0 and cfg["batch_size"] >= 1


def test_encoder_refuses_spike_trains_larger_than_memory(monkeypatch):
    from skspike.encoding import PoissonEncoder

    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "16G")  # the default depends on the machine
    X = np.random.default_rng(0).random((10, 4))
    enc = PoissonEncoder(n_steps=10**9).fit(X)
    with pytest.raises(MemoryError, match=r"PoissonEncoder: the uint8 spike trains of shape "
                                          r"\(10, 1000000000, 4\) would need 37\.3 GiB.*reduce n_steps"):
        enc.transform(X)


def test_encoder_limit_is_configurable(monkeypatch):
    from skspike.encoding import DeltaEncoder, PoissonEncoder

    X = np.random.default_rng(0).random((10, 4))
    monkeypatch.setenv("SKSPIKE_MAX_BYTES", "4000")
    assert PoissonEncoder(n_steps=100).fit_transform(X).shape == (10, 100, 4)
    with pytest.raises(MemoryError, match=r"4400 bytes.*reduce n_steps"):
        PoissonEncoder(n_steps=110).fit_transform(X)
    series = np.random.default_rng(1).normal(size=(10, 300, 2))
    with pytest.raises(MemoryError, match=r"DeltaEncoder.*\(10, 300, 4\).*12000 bytes"):
        DeltaEncoder().fit_transform(series)
