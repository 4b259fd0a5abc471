"""Peak memory of predict versus n_samples (issue 18: memory bounded per batch).

Each row is measured in a fresh process: fit on 2,000 samples x 64 features,
then the resident-set growth (psutil, sampled every 2 ms) while ``predict``
runs on 10,000 and on 100,000 samples. The input itself is allocated before
the measurement; the output (int64 labels) is 0.08 / 0.8 MB. Peer: scikit-learn's
MLPClassifier (one hidden layer of 100 units), what a user would otherwise pick.
The batched classifiers should need about the same memory for both sizes.

Usage: python benchmarks/bench_memory.py [--quick]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import gc, json, sys, threading, time
import numpy as np, psutil
from sklearn.datasets import make_classification

name, n_predict = sys.argv[1], int(sys.argv[2])
X, y = make_classification(2000, 64, n_informative=20, random_state=0)
if name == "NGSNNClassifier":
    from skspike.classifiers import NGSNNClassifier
    model = NGSNNClassifier(max_neurons=100, random_state=0)
elif name == "SNNLZCClassifier":
    from skspike.classifiers import SNNLZCClassifier
    model = SNNLZCClassifier(max_iter=3, random_state=0)
elif name == "STDPFeatureExtractor":
    from skspike.feature_extraction import STDPFeatureExtractor
    model = STDPFeatureExtractor(n_neurons=50, n_epochs=1, random_state=0)
else:
    from sklearn.neural_network import MLPClassifier
    model = MLPClassifier(max_iter=50, random_state=0)
model.fit(X[:500] if name == "STDPFeatureExtractor" else X, y[:500] if name == "STDPFeatureExtractor" else y)
method = model.transform if name == "STDPFeatureExtractor" else model.predict
method(X[:50])  # compiled, warm
Xp = np.random.default_rng(1).normal(size=(n_predict, 64))
gc.collect()
proc = psutil.Process()
base = proc.memory_info().rss
peak = [base]
done = threading.Event()

def sample():
    while not done.is_set():
        peak[0] = max(peak[0], proc.memory_info().rss)
        time.sleep(0.002)

t = threading.Thread(target=sample)
t.start()
t0 = time.perf_counter()
out = method(Xp)
elapsed = time.perf_counter() - t0
done.set()
t.join()
print(json.dumps({"growth_mb": (peak[0] - base) / 2**20, "out_mb": out.nbytes / 2**20, "seconds": elapsed}))
"""

MODELS = ["NGSNNClassifier", "SNNLZCClassifier", "STDPFeatureExtractor", "MLPClassifier (sklearn)"]


def measure(name, n):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", CHILD, name.split()[0], str(n)], capture_output=True,
                         text=True, env=env, cwd=ROOT)
    if out.returncode:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(quick=False):
    sizes = (10_000, 30_000) if quick else (10_000, 100_000)
    rows = []
    for name in MODELS:
        res = [measure(name, n) for n in sizes]
        rows.append((name, res))
    head = (f"| model | RSS growth, {sizes[0]:,} samples (MB) | RSS growth, {sizes[1]:,} samples (MB) "
            f"| output, {sizes[1]:,} (MB) | predict time, {sizes[1]:,} (s) |")
    lines = ["## Predict memory (bounded per batch)", "", head, "|---|---|---|---|---|"]
    for name, (a, b) in rows:
        if a is None or b is None:
            lines.append(f"| {name} | failed | failed | | |")
            continue
        lines.append(f"| {name} | {a['growth_mb']:.1f} | {b['growth_mb']:.1f} | {b['out_mb']:.2f} | {b['seconds']:.2f} |")
    lines += ["", "RSS growth: peak resident set during the call minus before it (psutil, 2 ms sampling). "
              "Batches of 4096 samples (SKSPIKE_BATCH_SIZE).", ""]
    table = "\n".join(lines)
    print(table)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "memory.md").write_text(table)
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    main(parser.parse_args().quick)
