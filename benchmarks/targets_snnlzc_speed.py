"""Issue 14 speed targets: default SNNLZCClassifier fit on 420 x 200 x 20, batched and single-sample predict."""
import time, numpy as np
from skspike import SNNLZCClassifier
from skspike.datasets import make_spike_trains
X, y = make_spike_trains(n_samples=600, n_steps=200, n_channels=20, process="gamma", random_state=0)
Xtr, ytr, Xte = X[:420], y[:420], X[420:]
clf = SNNLZCClassifier(random_state=0)
clf.fit(Xtr[:60], ytr[:60]); clf.predict(Xte[:5])   # compile
t = time.perf_counter(); clf = SNNLZCClassifier(random_state=0).fit(Xtr, ytr); fit = time.perf_counter() - t
clf.predict(Xte)
runs = []
for _ in range(5):  # one call is 15 ms: take the median of five
    t = time.perf_counter(); clf.predict(Xte); runs.append((time.perf_counter() - t) / len(Xte))
batch = float(np.median(runs))
ts = []
for i in range(20):
    t = time.perf_counter(); clf.predict(Xte[i:i+1]); ts.append(time.perf_counter() - t)
print(f"fit 420x200x20 {fit:.2f}s; batched {batch*1e6:.0f} us/sample; single {np.median(ts)*1e3:.2f} ms; acc {clf.score(Xte, y[420:]):.3f}")
# On a shared machine the wall times above wait for cores; the process CPU time of a
# one-thread run is a load-robust proxy (an idle 2-core run takes about half of it per sample).
import numba
numba.set_num_threads(1)
clf.predict(Xte)
c = time.process_time(); clf.predict(Xte); cpu = (time.process_time() - c) / len(Xte)
print(f"one thread: batched CPU time {cpu*1e6:.0f} us/sample")
