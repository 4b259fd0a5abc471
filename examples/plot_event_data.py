"""
Event-camera data in a scikit-learn Pipeline
============================================

Neuromorphic data sets such as N-MNIST arrive as event streams: each event is
a pixel ``(x, y)``, a polarity ``p`` (brighter or darker) and a time stamp
``t`` in microseconds. :class:`skspike.encoding.EventBinner` bins the streams
(through tonic's ``ToFrame``) into spike trains ``(n_samples, n_steps,
n_channels)`` that any skspike estimator, or a plain scikit-learn model,
takes.

The script uses real N-MNIST if it finds it: pass the directory holding
``NMNIST/Train`` as the first argument or in ``SKSPIKE_NMNIST_ROOT`` (get it
with ``skspike.datasets.load_nmnist(root, download=True)`` on a machine with
internet access). Otherwise it writes a small synthetic data set in the same
file format (sklearn's digits moved through N-MNIST's three saccades in front
of a simulated event camera) and says so.
"""

# %%
# Load the event streams
# ----------------------
import os
import sys
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import confusion_matrix
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skspike.classifiers import NGSNNClassifier
from skspike.datasets import load_nmnist, make_event_dataset
from skspike.encoding import EventBinner
from skspike.energy import count_operations

root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SKSPIKE_NMNIST_ROOT")
is_real = False
if root:
    try:
        X_train, y_train = load_nmnist(root, n_samples=1000, random_state=0)
        X_test, y_test = load_nmnist(root, train=False, n_samples=300, random_state=0)
        source = f"real N-MNIST from {root} (1000 train / 300 test streams)"
        is_real = True
    except FileNotFoundError as exc:
        print(f"Real N-MNIST not usable: {exc}\n")
if not is_real:
    # the streams are read into memory, so the files can go right away
    with tempfile.TemporaryDirectory(prefix="skspike_nmnist_") as tmp:
        synthetic_root = make_event_dataset(
            tmp, kind="digits", n_classes=4, n_train=30, n_test=15, random_state=0
        )
        X_train, y_train = load_nmnist(synthetic_root)
        X_test, y_test = load_nmnist(synthetic_root, train=False)
    source = (
        "SYNTHETIC N-MNIST-format files (make_event_dataset, digits 0-3, in a temporary "
        "directory); set SKSPIKE_NMNIST_ROOT or pass a path to use real N-MNIST"
    )
print(f"Data: {source}")
print(f"{len(X_train)} training streams, {np.mean([len(e) for e in X_train]):.0f} events each on average")

# %%
# Bin, then classify
# ------------------
# 15 steps of 21 ms cover N-MNIST's three 105 ms saccades. The spiking
# pipeline feeds the spike trains to a neurogenesis SNN
# (:class:`~skspike.classifiers.NGSNNClassifier`, step ``dt`` = the
# binner's ``dt_``); a linear model on each pixel's firing rate (fraction
# of steps with a spike) is the non-spiking baseline.


def spike_rates(spikes):
    return spikes.mean(axis=1, dtype=np.float64)


binner = EventBinner((34, 34, 2), n_steps=15, time_window=21_000)
spiking = make_pipeline(
    binner, NGSNNClassifier(dt=21.0, max_neurons=100 if is_real else 50, random_state=0)
)
baseline = make_pipeline(
    clone(binner), FunctionTransformer(spike_rates), RidgeClassifier(alpha=1.0)
)
chance = 1 / len(np.unique(y_train))
for name, pipe in [("EventBinner -> NGSNNClassifier", spiking),
                   ("EventBinner -> spike rates -> RidgeClassifier", baseline)]:
    start = time.perf_counter()
    pipe.fit(X_train, y_train)
    accuracy = pipe.score(X_test, y_test)
    print(f"{name}: test accuracy {accuracy:.3f} (chance {chance:.2f}), "
          f"fit + score {time.perf_counter() - start:.1f} s")
accuracy = spiking.score(X_test, y_test)
counts = count_operations(spiking, X_test)
print(f"Spiking pipeline per sample: {binner.count_operations(X_test).spikes:.0f} input spikes, "
      f"{counts.synaptic_ops:.0f} synaptic operations, {spiking[-1].n_neurons_} neurons grown")

# %%
# Look at one stream, its spike trains and the class averages
# -----------------------------------------------------------
sample = X_test[0]
spikes = binner.transform([sample])[0].reshape(15, 34, 34)
train_spikes = binner.transform(X_train)
classes = np.unique(y_train)

fig = plt.figure(figsize=(12, 7), layout="constrained")
grid = fig.add_gridspec(3, 6)
for k in range(3):  # N-MNIST's saccades last 105 ms each
    part = sample[(sample["t"] >= k * 105_000) & (sample["t"] < (k + 1) * 105_000)]
    image = np.zeros((34, 34))
    np.add.at(image, (part["y"], part["x"]), np.where(part["p"] == 1, 1.0, -1.0))
    a = fig.add_subplot(grid[0, k])
    lim = max(1.0, np.abs(image).max())
    a.imshow(image, cmap="coolwarm", vmin=-lim, vmax=lim)
    a.set(xticks=[], yticks=[], title=f"saccade {k + 1}: ON - OFF")
a = fig.add_subplot(grid[0, 3:6])
bins = np.arange(0, 316, 3)
a.hist(sample["t"][sample["p"] == 1] / 1000, bins=bins, color="tab:red", alpha=0.6, label="ON")
a.hist(sample["t"][sample["p"] == 0] / 1000, bins=bins, color="tab:blue", alpha=0.6, label="OFF")
a.set(xlabel="time (ms)", ylabel="events per 3 ms",
      title=f"one test stream: {len(sample)} events, label {y_test[0]}")
a.legend()
for k, step in enumerate([0, 3, 6, 9, 12, 14]):
    a = fig.add_subplot(grid[1, k])
    a.imshow(spikes[step], cmap="gray_r", vmin=0, vmax=1)
    a.set(xticks=[], yticks=[], title=f"step {step}: {21 * step} ms")
for k, c in enumerate(classes[:4]):
    a = fig.add_subplot(grid[2, k])
    a.imshow(train_spikes[y_train == c].mean(axis=0).sum(axis=0).reshape(34, 34), cmap="magma")
    a.set(xticks=[], yticks=[], title=f"class {c}: mean spikes")
a = fig.add_subplot(grid[2, 4:6])
cm = confusion_matrix(y_test, spiking.predict(X_test), labels=classes)
a.imshow(cm, cmap="Blues")
a.set(title=f"NGSNN test confusion, accuracy {accuracy:.2f}", xlabel="predicted", ylabel="true",
      xticks=range(len(classes)), yticks=range(len(classes)))
fig.suptitle(f"EventBinner on {'real' if is_real else 'synthetic'} N-MNIST")

out_dir = os.environ.get("SKSPIKE_EXAMPLE_OUTPUT", ".")
path = os.path.join(out_dir, "plot_event_data.png")
fig.savefig(path, dpi=90)
print(f"Figure saved to {path}")
plt.show()
