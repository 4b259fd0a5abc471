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
t = time.perf_counter(); clf.predict(Xte); batch = (time.perf_counter() - t) / len(Xte)
ts = []
for i in range(20):
    t = time.perf_counter(); clf.predict(Xte[i:i+1]); ts.append(time.perf_counter() - t)
print(f"fit 420x200x20 {fit:.2f}s; batched {batch*1e6:.0f} us/sample; single {np.median(ts)*1e3:.2f} ms; acc {clf.score(Xte, y[420:]):.3f}")
