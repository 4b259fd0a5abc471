"""Training speed of STDPFeatureExtractor vs Brian2 on the Diehl & Cook (2015) network.

Network: 784 Poisson inputs -> 400 excitatory LIF neurons with direct lateral
inhibition (17.5 mV), adaptive thresholds (theta_plus 0.05 mV, tau 1e7 ms),
pair STDP with traces (tau 20 ms, nu_pre 1e-4, nu_post 1e-2, w_max 1),
column normalisation to 78.4 after every sample, the paper's timing: 350 ms
presentation + 150 ms rest at dt = 0.5 ms, input rate = pixel / 4 (max 63.75 Hz).
Inputs: the 8x8 scikit-learn digits upsampled to 28x28 (no MNIST download).
The min_spikes re-presentation rule is off in both, so every sample costs one
presentation and the times compare like for like.

- skspike, fused: ``STDPFeatureExtractor.partial_fit`` with its PoissonEncoder
  drawn inside the kernel; 700 steps, then state reset (what the rest is for).
- skspike, explicit rest: precomputed spike arrays of 1,000 steps (700 Poisson +
  300 silent), so skspike simulates exactly the steps Brian2 simulates.
- Brian2 (runtime mode, Cython code generation, and numpy as a second row):
  the same equations (PoissonGroup, NeuronGroup with threshold/reset/refractory,
  Synapses with event-driven traces for STDP, all-to-all inhibitory Synapses),
  run sample by sample as in the paper's script (set rates, run 350 ms, zero
  rates, run 150 ms, normalise the weights in numpy). Brian2 2.9 needs
  numpy < 2 while skspike runs on numpy 2, so this script creates its own
  virtual environment ``benchmarks/.venv-brian2`` on first use
  (``python -m venv`` + ``pip install brian2 "numpy<2"``) and runs Brian2 there
  through a subprocess.

First calls (numba compilation / cache load; Brian2 code generation and Cython
compilation, or its cache) are timed separately from warm per-sample times.
Writes ``benchmarks/results/stdp.md``. ``--quick``: fewer samples.

Plasticity rules (``benchmarks/results/stdp_rules.md``; ``--rules-only`` runs just
this part): the same network trained with each ``skspike.plasticity`` rule
(``STDPFeatureExtractor(rule=...)``: the engine's event-driven layer loop
``run_events`` with the rule's hooks, fused Poisson input; ``rule=None`` runs the
same loop with the default pair rule), beside Brian2 (runtime, Cython) running the same rule
as event-driven ``Synapses`` equations (reward-modulated STDP with an event-driven
eligibility trace, decayed to the end of the sample in numpy, reward 0 on both
sides so that both only do the eligibility bookkeeping).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "stdp.md"
OUT_RULES = HERE / "results" / "stdp_rules.md"
VENV = HERE / ".venv-brian2"

N_IN, N_NEURONS, DT = 784, 400, 0.5
PRESENT_MS, REST_MS = 350.0, 150.0
MAX_RATE = 63.75  # Hz at pixel value 255 (pixel / 4)
PAPER = dict(
    dt=DT, tau_m=100.0, v_rest=-65.0, v_reset=-60.0, v_thresh=-52.0, t_ref=5.0,
    inhibition=17.5, theta_plus=0.05, tau_theta=1e7, tau_trace=20.0, nu_pre=1e-4,
    nu_post=1e-2, x_tar=0.0, w_max=1.0, mu=0.0, weight_norm=78.4, w_init=0.3,
    off_channels=False,  # the paper's network: ON inputs only (the default adds OFF twins)
)


def digits_28x28():
    """The 1,797 scikit-learn digits, bilinearly upsampled to 28x28, 0..255."""
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits

    X = load_digits().images
    up = zoom(X, (1, 28 / 8, 28 / 8), order=1)
    return np.clip(up * (255.0 / 16.0), 0, 255).reshape(len(X), N_IN)


# --------------------------------------------------------------------------- skspike
# The neuron's entries of PAPER (Brian2 reads them all; skspike gets them as neuron=).
NEURON_KEYS = ("tau_m", "v_rest", "v_reset", "v_thresh", "t_ref", "theta_plus", "tau_theta")


def paper_extractor_params():
    """PAPER as STDPFeatureExtractor parameters: the Diehl & Cook neuron as ``neuron=``."""
    from skspike.neurons import AdaptiveLIF

    neuron = AdaptiveLIF.diehl_cook(
        tau_m=PAPER["tau_m"], v_rest=PAPER["v_rest"], v_reset=PAPER["v_reset"],
        v_thresh=PAPER["v_thresh"], t_ref=PAPER["t_ref"], theta_jump=PAPER["theta_plus"],
        tau_adapt=PAPER["tau_theta"])
    params = {k: v for k, v in PAPER.items() if k not in NEURON_KEYS}
    return dict(params, neuron=neuron)


def _extractor(**kw):
    from skspike import STDPFeatureExtractor
    from skspike.encoding import PoissonEncoder

    enc = PoissonEncoder(max_rate=MAX_RATE, n_steps=int(PRESENT_MS / DT), dt=DT,
                         feature_range=(0, 255))
    return STDPFeatureExtractor(N_NEURONS, encoder=enc, min_spikes=0, random_state=0,
                                **paper_extractor_params(), **kw)


def bench_skspike(X, n_samples, repeats):
    """Per-sample training times of the fused path and the explicit-rest path."""
    from skspike.encoding import PoissonEncoder

    # fused Poisson path
    t0 = time.perf_counter()
    _extractor().partial_fit(X[:2])
    first_fused = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        est = _extractor()
        t0 = time.perf_counter()
        est.partial_fit(X[:n_samples])
        times.append((time.perf_counter() - t0) / n_samples)
    # Output spikes while learning the first 6 samples (as Brian2 below): every
    # spike raised a threshold by theta_plus (decay over 3 s is ~3e-7, negligible).
    early = _extractor().partial_fit(X[:6])
    out_spikes = early.theta_.sum() / PAPER["theta_plus"] / 6
    fused = dict(first=first_fused, warm=min(times), warm_median=float(np.median(times)),
                 out_spikes=float(out_spikes))

    # explicit rest: 700 Poisson steps + 300 silent steps, as spike arrays
    n_present, n_rest = int(PRESENT_MS / DT), int(REST_MS / DT)
    enc = PoissonEncoder(max_rate=MAX_RATE, n_steps=n_present, dt=DT, feature_range=(0, 255),
                         random_state=0).fit(X)
    spikes = np.zeros((n_samples, n_present + n_rest, N_IN), dtype=np.uint8)
    spikes[:, :n_present] = enc.transform(X[:n_samples])
    in_rate = spikes[:, :n_present].sum() / n_samples / N_IN / (PRESENT_MS / 1000.0)

    def spike_extractor():
        from skspike import STDPFeatureExtractor

        return STDPFeatureExtractor(N_NEURONS, encoder=None, min_spikes=0, random_state=0,
                                    **paper_extractor_params())

    t0 = time.perf_counter()
    spike_extractor().partial_fit(spikes[:2])
    first_rest = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        est = spike_extractor()
        t0 = time.perf_counter()
        est.partial_fit(spikes)
        times.append((time.perf_counter() - t0) / n_samples)
    rest = dict(first=first_rest, warm=min(times), warm_median=float(np.median(times)),
                input_rate_hz=float(in_rate))
    return fused, rest


# ---------------------------------------------------------------------------- Brian2
BRIAN2_SCRIPT = textwrap.dedent(r'''
    """Diehl & Cook network in Brian2, runtime mode; prints timings as JSON."""
    import json, sys, time
    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, Hz

    target, n_samples = sys.argv[1], int(sys.argv[2])
    X = np.load(sys.argv[3])
    p = json.loads(sys.argv[4])
    b2.prefs.codegen.target = target
    b2.prefs.logging.console_log_level = "ERROR"
    b2.defaultclock.dt = p["dt"] * ms
    n_in, n = X.shape[1], p["n_neurons"]

    t_build = time.perf_counter()
    inputs = b2.PoissonGroup(n_in, rates=np.zeros(n_in) * Hz)
    neurons = b2.NeuronGroup(
        n,
        """dv/dt = (v_rest - v) / tau_m : volt (unless refractory)
           dtheta/dt = -theta / tau_theta : volt""",
        threshold="v > v_thresh + theta",
        reset="v = v_reset; theta += theta_plus",
        refractory=p["t_ref"] * ms, method="exact",
        namespace=dict(v_rest=p["v_rest"] * mV, v_reset=p["v_reset"] * mV,
                       v_thresh=p["v_thresh"] * mV, tau_m=p["tau_m"] * ms,
                       tau_theta=p["tau_theta"] * ms, theta_plus=p["theta_plus"] * mV))
    neurons.v = p["v_rest"] * mV
    stdp = b2.Synapses(
        inputs, neurons,
        """w : 1
           dx/dt = -x / tau_trace : 1 (event-driven)
           dy/dt = -y / tau_trace : 1 (event-driven)""",
        on_pre="""v_post += w * mV * int(not_refractory_post)
                  x = 1
                  w = clip(w - nu_pre * y, 0, w_max)""",
        on_post="""y = 1
                   w = clip(w + nu_post * (x - x_tar), 0, w_max)""",
        namespace=dict(tau_trace=p["tau_trace"] * ms, nu_pre=p["nu_pre"],
                       nu_post=p["nu_post"], x_tar=p["x_tar"], w_max=p["w_max"]))
    stdp.connect()
    rng = np.random.RandomState(0)
    w0 = rng.uniform(0, p["w_init"], size=(n_in, n))
    w0 *= p["weight_norm"] / w0.sum(axis=0)
    stdp.w[:] = w0.ravel()  # connect() orders synapses source-major: i * n + j
    inhibit = b2.Synapses(neurons, neurons,
                          on_pre="v_post -= inh * mV * int(not_refractory_post)",
                          namespace=dict(inh=p["inhibition"]))
    inhibit.connect(condition="i != j")
    spikes_out = b2.SpikeMonitor(neurons, record=False)
    net = b2.Network(inputs, neurons, stdp, inhibit, spikes_out)
    t_build = time.perf_counter() - t_build

    def normalize():
        w = np.asarray(stdp.w[:]).reshape(n_in, n)
        w *= p["weight_norm"] / w.sum(axis=0)
        stdp.w[:] = w.ravel()

    times = []
    for s in range(n_samples):
        t0 = time.perf_counter()
        inputs.rates = X[s] / 4.0 * Hz
        net.run(p["present_ms"] * ms)
        inputs.rates = 0 * Hz
        net.run(p["rest_ms"] * ms)
        normalize()
        times.append(time.perf_counter() - t0)
    print(json.dumps(dict(target=target, version=b2.__version__, build=t_build,
                          first=times[0], warm=times[1:],
                          out_spikes=int(spikes_out.num_spikes) / n_samples)))
''')


def brian2_python():
    """Path to the Python of the Brian2 venv, creating it on first use."""
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"Creating {VENV} for Brian2 (needs numpy<2): python -m venv + pip install "
              f'brian2 "numpy<2" ...', flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "brian2", "numpy<2"],
                       check=True)
    return python


def bench_brian2(X, n_samples, target, timeout):
    try:
        python = brian2_python()
    except (subprocess.CalledProcessError, OSError) as exc:
        return {"error": f"skipped (could not create the Brian2 environment: {exc})"}
    params = dict(PAPER, n_neurons=N_NEURONS, present_ms=PRESENT_MS, rest_ms=REST_MS)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "dc_brian2.py"
        script.write_text(BRIAN2_SCRIPT)
        data = Path(tmp) / "X.npy"
        np.save(data, X[:n_samples])
        try:
            proc = subprocess.run(
                [str(python), str(script), target, str(n_samples), str(data),
                 json.dumps(params)],
                capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"skipped (timed out after {timeout} s)"}
    if proc.returncode != 0:
        return {"error": "failed: " + proc.stderr.strip().splitlines()[-1][:200]}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    warm = res["warm"]
    res["warm_median"] = float(np.median(warm))
    res["warm"] = float(np.min(warm))
    return res


# ------------------------------------------------------------------------------ main
def main(quick=False):
    X = digits_28x28()
    n_sk = 40 if quick else 200
    n_b2 = 3 if quick else 6
    repeats = 2 if quick else 3
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")

    print(f"skspike: {n_sk} samples x {repeats} repeats ...", flush=True)
    fused, rest = bench_skspike(X, n_sk, repeats)
    results = {}
    for target in ("cython", "numpy"):
        n = n_b2 if target == "cython" else max(2, n_b2 // 2)
        print(f"Brian2 ({target}): {n} samples ...", flush=True)
        results[target] = bench_brian2(X, n, target, timeout=1800)

    ref = results["cython"].get("warm")
    sim_ms = PRESENT_MS + REST_MS
    rows = [
        ("skspike, fused Poisson, 700 steps + reset", fused["first"], fused["warm"],
         fused["warm_median"]),
        ("skspike, spike arrays, 700 + 300 silent steps", rest["first"], rest["warm"],
         rest["warm_median"]),
    ]
    for target, res in results.items():
        if "error" in res:
            rows.append((f"Brian2 runtime, {target}", None, None, res["error"]))
        else:
            rows.append((f"Brian2 {res['version']} runtime, {target}", res["first"],
                         res["warm"], res["warm_median"]))

    lines = [
        f"## STDP training: Diehl & Cook network, {N_IN} inputs -> {N_NEURONS} neurons, "
        f"{PRESENT_MS:.0f} ms + {REST_MS:.0f} ms rest at dt = {DT} ms",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), shared with other users "
        f"(1-min load average {load:.1f} at the start). Input: sklearn digits upsampled to "
        f"28x28, rates pixel/4 (max {MAX_RATE} Hz). skspike: {n_sk} samples, best of "
        f"{repeats} runs (median in the last column); Brian2: warm = best of its samples "
        f"after the first ({n_b2} cython, {max(2, n_b2 // 2)} numpy). Brian2 runs in its own "
        f"virtual environment ({VENV.name}, numpy<2), started by this script.",
        "",
        "| method | first call (s) | warm per sample (ms) | median (ms) | "
        "speed-up vs Brian2 cython |",
        "|---|---|---|---|---|",
    ]
    for name, first, warm, median in rows:
        if warm is None:
            lines.append(f"| {name} | - | {median} | - | - |")
            continue
        ratio = f"{ref / warm:.0f} x" if ref and name.startswith("skspike") else "-"
        lines.append(f"| {name} | {first:.2f} | {warm * 1e3:.2f} | {median * 1e3:.2f} | "
                     f"{ratio} |")
    lines.append("")
    lines.append(
        f"Simulated time per sample: {sim_ms:.0f} ms ({sim_ms / DT:.0f} steps) in Brian2 and in "
        f"the spike-array row; the fused row simulates the {PRESENT_MS:.0f} ms presentation "
        f"({PRESENT_MS / DT:.0f} steps) and resets the state instead of simulating the rest. "
        f"Mean input rate {rest['input_rate_hz']:.1f} Hz per channel during presentation."
    )
    b2c = results["cython"]
    if "out_spikes" in b2c:
        lines.append(
            f"Output spikes per sample while learning the first 6 samples (same initial weight "
            f"distribution): skspike {fused['out_spikes']:.1f}, Brian2 {b2c['out_spikes']:.1f} "
            f"(other Poisson draws; the networks are equivalent up to Brian2 delivering "
            f"synaptic input one step later)."
        )
    if ref:
        lines.append(
            f"\nSpeed-up vs Brian2 runtime (cython), warm: fused {ref / fused['warm']:.0f} x, "
            f"explicit rest {ref / rest['warm']:.0f} x (target >= 100 x)."
        )
    b2n = results["numpy"]
    if "warm" in b2n:
        lines.append(
            f"Speed-up vs Brian2 runtime (numpy target): fused {b2n['warm'] / fused['warm']:.0f} x, "
            f"explicit rest {b2n['warm'] / rest['warm']:.0f} x."
        )
    builds = ", ".join(f"{t} {r['build']:.1f} s" for t, r in results.items() if "build" in r)
    lines.append(
        f"Brian2's first sample includes code generation and Cython compilation (or "
        f"loading its on-disk cache); building its network (creating the "
        f"{N_IN * N_NEURONS + N_NEURONS * (N_NEURONS - 1):,} synapses) is not counted in any "
        f"column ({builds}). skspike's first call (2 samples) includes numba compilation "
        f"or loading its on-disk cache. Brian2's warm time includes the per-`run` overhead "
        f"of two `run` calls per sample, as in the paper's script."
    )
    table = "\n".join(lines) + "\n"
    print(table)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(table)
    return table


# ------------------------------------------------------------------- plasticity rules
def _rules():
    from skspike.plasticity import Hebbian, PairSTDP, RewardModulatedSTDP, TripletSTDP

    tau = PAPER["tau_trace"]
    return {
        "PairSTDP": PairSTDP(PAPER["nu_pre"], PAPER["nu_post"], tau_pre=tau, tau_post=tau),
        "TripletSTDP (visual cortex, all-to-all)": TripletSTDP.visual_cortex(),
        "Hebbian (tau 20 ms)": Hebbian(1e-4, tau=tau),
        "RewardModulatedSTDP": RewardModulatedSTDP(1e-2, 1.5e-2, tau_plus=tau, tau_minus=tau),
    }


BRIAN2_RULES_SCRIPT = textwrap.dedent(r"""
    import json, sys, time
    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, Hz

    target, n_samples, rule = sys.argv[1], int(sys.argv[2]), sys.argv[5]
    X = np.load(sys.argv[3])
    p = json.loads(sys.argv[4])
    r = json.loads(sys.argv[6])
    b2.prefs.codegen.target = target
    b2.prefs.logging.console_log_level = "ERROR"
    b2.defaultclock.dt = p["dt"] * ms
    n_in, n = X.shape[1], p["n_neurons"]
    inputs = b2.PoissonGroup(n_in, rates=np.zeros(n_in) * Hz)
    neurons = b2.NeuronGroup(
        n,
        "dv/dt = (v_rest - v) / tau_m : volt (unless refractory)\n"
        "dtheta/dt = -theta / tau_theta : volt",
        threshold="v > v_thresh + theta", reset="v = v_reset; theta += theta_plus",
        refractory=p["t_ref"] * ms, method="exact",
        namespace=dict(v_rest=p["v_rest"] * mV, v_reset=p["v_reset"] * mV,
                       v_thresh=p["v_thresh"] * mV, tau_m=p["tau_m"] * ms,
                       tau_theta=p["tau_theta"] * ms, theta_plus=p["theta_plus"] * mV))
    neurons.v = p["v_rest"] * mV
    deliver = "v_post += w * mV * int(not_refractory_post)\n"
    if rule == "pair":
        model = ("w : 1\ndx/dt = -x / tau : 1 (event-driven)\n"
                 "dy/dt = -y / tau : 1 (event-driven)")
        on_pre = deliver + "x = 1\nw = clip(w - nu_pre * y, 0, w_max)"
        on_post = "y = 1\nw = clip(w + nu_post * x, 0, w_max)"
        ns = dict(tau=r["tau"] * ms, nu_pre=r["nu_pre"], nu_post=r["nu_post"], w_max=1.0)
    elif rule == "triplet":
        model = ("w : 1\ndr1/dt = -r1 / tau_plus : 1 (event-driven)\n"
                 "dr2/dt = -r2 / tau_x : 1 (event-driven)\n"
                 "do1/dt = -o1 / tau_minus : 1 (event-driven)\n"
                 "do2/dt = -o2 / tau_y : 1 (event-driven)")
        on_pre = deliver + "w = clip(w - o1 * (a2m + a3m * r2), 0, w_max)\nr1 += 1\nr2 += 1"
        on_post = "w = clip(w + r1 * (a2p + a3p * o2), 0, w_max)\no1 += 1\no2 += 1"
        ns = dict(tau_plus=r["tau_plus"] * ms, tau_minus=r["tau_minus"] * ms,
                  tau_x=r["tau_x"] * ms, tau_y=r["tau_y"] * ms, a2p=r["a2_plus"],
                  a3p=r["a3_plus"], a2m=r["a2_minus"], a3m=r["a3_minus"], w_max=1.0)
    elif rule == "hebbian":
        model = ("w : 1\ndx/dt = -x / tau : 1 (event-driven)\n"
                 "dy/dt = -y / tau : 1 (event-driven)")
        on_pre = deliver + "w = clip(w + eta * y, 0, w_max)\nx = 1"
        on_post = "w = clip(w + eta * x, 0, w_max)\ny = 1"
        ns = dict(tau=r["tau"] * ms, eta=r["eta"], w_max=1.0)
    else:  # reward
        model = ("w : 1\ndx/dt = -x / tau_plus : 1 (event-driven)\n"
                 "dy/dt = -y / tau_minus : 1 (event-driven)\n"
                 "delig/dt = -elig / tau_e : 1 (event-driven)")
        on_pre = deliver + "elig -= a_minus * y\nx += 1"
        on_post = "elig += a_plus * x\ny += 1"
        ns = dict(tau_plus=r["tau_plus"] * ms, tau_minus=r["tau_minus"] * ms,
                  tau_e=r["tau_elig"] * ms, a_plus=r["a_plus"], a_minus=r["a_minus"])
    stdp = b2.Synapses(inputs, neurons, model, on_pre=on_pre, on_post=on_post, namespace=ns)
    stdp.connect()
    rng = np.random.RandomState(0)
    w0 = rng.uniform(0, p["w_init"], size=(n_in, n))
    w0 *= p["weight_norm"] / w0.sum(axis=0)
    stdp.w[:] = w0.ravel()
    inhibit = b2.Synapses(neurons, neurons,
                          on_pre="v_post -= inh * mV * int(not_refractory_post)",
                          namespace=dict(inh=p["inhibition"]))
    inhibit.connect(condition="i != j")
    net = b2.Network(inputs, neurons, stdp, inhibit)

    def end_sample():
        if rule == "reward":  # eligibility decayed to now; reward 0; back to rest
            age = float(net.t / ms) - np.asarray(stdp.lastupdate / ms)
            elig = np.asarray(stdp.elig[:]) * np.exp(-age / r["tau_elig"])
            stdp.w[:] = np.clip(np.asarray(stdp.w[:]) + 0.0 * elig, 0, 1)
            stdp.elig[:] = 0
        w = np.asarray(stdp.w[:]).reshape(n_in, n)
        w *= p["weight_norm"] / w.sum(axis=0)
        stdp.w[:] = w.ravel()

    times, cpu = [], []
    for s in range(n_samples):
        t0, c0 = time.perf_counter(), time.process_time()
        inputs.rates = X[s] / 4.0 * Hz
        net.run(p["present_ms"] * ms)
        inputs.rates = 0 * Hz
        net.run(p["rest_ms"] * ms)
        end_sample()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(json.dumps(dict(version=b2.__version__, first=times[0], warm=times[1:], warm_cpu=cpu[1:])))
""")

_B2_RULE = {"PairSTDP": "pair", "TripletSTDP": "triplet", "Hebbian": "hebbian",
            "RewardModulatedSTDP": "reward"}


def _brian2_rule_params(rule):
    params = rule.get_params()
    if "tau_pre" in params:
        params["tau"] = params["tau_pre"]
    return params


def _time_partial_fit(make, X, n_samples, repeats):
    """``(first call s, best wall s/sample, best CPU s/sample)``; learning runs on one thread."""
    t0 = time.perf_counter()
    make().partial_fit(X[:2])
    first = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(repeats):
        est = make()
        t0, c0 = time.perf_counter(), time.process_time()
        est.partial_fit(X[:n_samples])
        times.append((time.perf_counter() - t0) / n_samples)
        cpu.append((time.process_time() - c0) / n_samples)
    return first, min(times), min(cpu)


def bench_rules(X, n_samples, n_b2, repeats):
    """Per-sample training time of each rule: skspike (rule path) and Brian2 (cython)."""
    python = None
    try:
        python = brian2_python()
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"Brian2 unavailable: {exc}")
    params = dict(PAPER, n_neurons=N_NEURONS, present_ms=PRESENT_MS, rest_ms=REST_MS)
    first, warm, cpu = _time_partial_fit(_extractor, X, n_samples, repeats)
    rows = [("rule=None (the default: nearest PairSTDP with the extractor's scalars)", first, warm, cpu,
             None, None)]
    for name, rule in _rules().items():
        print(f"rule {name}: skspike ...", flush=True)
        first, warm, cpu = _time_partial_fit(lambda: _extractor(rule=rule), X, n_samples, repeats)
        b2_warm = b2_cpu = None
        if python is not None:
            print(f"rule {name}: Brian2 ...", flush=True)
            with tempfile.TemporaryDirectory() as tmp:
                script = Path(tmp) / "rule_brian2.py"
                script.write_text(BRIAN2_RULES_SCRIPT)
                data = Path(tmp) / "X.npy"
                np.save(data, X[:n_b2])
                proc = subprocess.run(
                    [str(python), str(script), "cython", str(n_b2), str(data),
                     json.dumps(params), _B2_RULE[type(rule).__name__],
                     json.dumps(_brian2_rule_params(rule))],
                    capture_output=True, text=True, timeout=1800,
                )
            if proc.returncode == 0:
                result = json.loads(proc.stdout.strip().splitlines()[-1])
                b2_warm, b2_cpu = float(np.min(result["warm"])), float(np.min(result["warm_cpu"]))
            else:
                print(proc.stderr[-2000:])
        rows.append((name, first, warm, cpu, b2_warm, b2_cpu))
    return rows


def main_rules(quick=False):
    X = digits_28x28()
    n_sk = 20 if quick else 60
    n_b2 = 3 if quick else 4
    repeats = 2
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    rows = bench_rules(X, n_sk, n_b2, repeats)
    lines = [
        f"## Plasticity rules: training time per sample, Diehl & Cook network {N_IN} -> "
        f"{N_NEURONS}, {PRESENT_MS:.0f} ms at dt = {DT} ms",
        "",
        f"Machine: {os.cpu_count()} cores, shared (1-min load average {load:.1f} at the start). "
        f"skspike: `STDPFeatureExtractor(rule=...)`, fused Poisson input, {n_sk} samples, best "
        f"of {repeats}; Brian2 runtime (cython), the same rule as event-driven `Synapses` "
        f"equations: best of {n_b2 - 1} warm samples (350 ms + 150 ms rest, two `run` calls, "
        f"weights normalised in numpy). Warm columns are wall clock; CPU columns "
        f"`time.process_time` of the same runs (both sides learn on one thread), the "
        f"load-independent comparison on a shared machine.",
        "",
        "| rule | skspike first call (s) | skspike warm (ms/sample) | skspike CPU (ms/sample) | "
        "Brian2 cython warm (ms/sample) | Brian2 CPU (ms/sample) | speed-up (CPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, first, warm, cpu, b2, b2_cpu in rows:
        b2_s = "-" if b2 is None else f"{b2 * 1e3:.1f}"
        b2_c = "-" if b2_cpu is None else f"{b2_cpu * 1e3:.1f}"
        ratio = "-" if b2_cpu is None else f"{b2_cpu / cpu:.0f} x"
        lines.append(f"| {name} | {first:.2f} | {warm * 1e3:.2f} | {cpu * 1e3:.2f} | {b2_s} | {b2_c} "
                     f"| {ratio} |")
    lines.append("")
    lines.append(
        "The rule rows run the rule-generic loop (the engine's neuron step plus the rule's "
        "kernel hooks); the first row is the extractor's default rule (the same loop) on the "
        "same data. skspike simulates the 350 ms presentation and resets the state; Brian2 "
        "also simulates the 150 ms rest. First call: numba compilation or its on-disk "
        "cache, 2 samples. RewardModulatedSTDP gets reward 0 on both sides (the bookkeeping "
        "of the per-synapse eligibility traces is what is timed)."
    )
    table = "\n".join(lines) + "\n"
    print(table)
    OUT_RULES.parent.mkdir(parents=True, exist_ok=True)
    OUT_RULES.write_text(table)
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--rules-only", action="store_true", help="only the plasticity-rule table")
    args = parser.parse_args()
    if not args.rules_only:
        main(quick=args.quick)
    main_rules(quick=args.quick)
