"""Issue targets on MNIST-1D: NGSNNClassifier defaults, fit and predict time, beside LogisticRegression.

Usage: python benchmarks/targets_mnist1d.py static|series   (series: the 40 steps as (n, 40, 1))
"""
import time, sys
import numpy as np
from mnist1d.data import make_dataset, get_dataset_args
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from skspike import NGSNNClassifier
d = make_dataset(get_dataset_args())
Xtr, ytr, Xte, yte = d["x"], d["y"], d["x_test"], d["y_test"]
which = sys.argv[1]
if which == "static":
    clf = NGSNNClassifier(random_state=0, n_jobs=-1)
    A, B = Xtr, Xte
else:
    clf = NGSNNClassifier(random_state=0, n_jobs=-1)
    A, B = Xtr[:, :, None].astype(np.float64), Xte[:, :, None].astype(np.float64)
t = time.perf_counter(); clf.fit(A, ytr); fit = time.perf_counter() - t
clf.predict(B[:10])
t = time.perf_counter(); acc = clf.score(B, yte); pred = (time.perf_counter() - t) / len(B)
s = StandardScaler().fit(Xtr)
lr = LogisticRegression(max_iter=2000).fit(s.transform(Xtr), ytr).score(s.transform(Xte), yte)
print(f"{which}: NGSNN acc {acc:.4f} fit {fit:.1f}s predict {pred*1e6:.0f}us/sample neurons {clf.n_neurons_} stop {clf.stop_reason_}; LogisticRegression {lr:.4f}")
