"""
An NG-SNN through a NIR file and back
=====================================

:func:`skspike.nir.to_nir` writes a fitted spiking estimator as a NIR graph
(the Neuromorphic Intermediate Representation that snnTorch, Norse, Sinabs,
Lava and SpiNNaker2 read); :func:`skspike.nir.from_nir` runs any NIR graph
with forward Euler on skspike's neuron kernel as a scikit-learn estimator.

Here a :class:`~skspike.NGSNNClassifier` fitted on the scikit-learn digits
goes to a ``.nir`` file and comes back: the hidden spikes of the graph are
those of the classifier, slot for slot, and so are its predictions. Its
energy is then priced from the graph alone, as for a model trained elsewhere.
"""

# %%
import os

import matplotlib.pyplot as plt
import nir
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skspike import NGSNNClassifier
from skspike.energy import energy_report
from skspike.neurons import simulate
from skspike.nir import from_nir, nir_input, to_nir

out_dir = os.environ.get("SKSPIKE_EXAMPLE_OUTPUT", ".")
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
clf = NGSNNClassifier(max_neurons=100, random_state=0).fit(X_train, y_train)

# %%
# Export. The graph works on the standardised, clipped features (NIR has no
# clip node; the default ``input="raw"`` folds the standardisation into the
# first Affine and warns that the clip is lost). ``nir_input`` computes them.
graph = to_nir(clf, input="standardised")
path = os.path.join(out_dir, "ngsnn.nir")
nir.write(path, graph)
print("nodes:", {name: type(node).__name__ for name, node in nir.read(path).nodes.items()})

net = from_nir(path)  # a fitted NIRClassifier; dt and n_steps come from the file's metadata
data = nir_input(clf, X_test, input="standardised")
same = np.mean(clf.classes_[net.predict(data)] == clf.predict(X_test))
print(f"test accuracy {clf.score(X_test, y_test):.3f}; graph and classifier agree on {same:.1%} of test digits")

# %%
# Hidden spikes of one test digit: the classifier's own simulation against the
# graph's LIF layer, read back from the file (export without the read-out).
hidden = from_nir(to_nir(clf, input="standardised", readout=False), reduce="none")
T = graph.metadata["n_steps"]
ours, _ = simulate(clf.neuron_, data[:1], clf.input_weights_, bias=clf.biases_, n_steps=T, dt=clf.dt)
theirs = hidden.simulate(data[:1])
print(f"spike slots equal: {np.mean(ours == theirs):.4f}")

# %%
# Energy from the graph on two hardware profiles. A NIR consumer recomputes
# the input product at every step (NeuroBench's convention), skspike's own
# direct-current kernel holds it for the window: the two costs differ by that.
names = ["loihi", "spinnaker2"]
own = [energy_report(clf, X_test, hw).joules_per_sample for hw in names]
from_graph = [energy_report(net, data, hw).joules_per_sample for hw in names]

fig, axes = plt.subplots(1, 3, figsize=(13, 4))
for ax, spikes, title in [(axes[0], ours[0], "NGSNNClassifier (skspike)"),
                          (axes[1], theirs[0], "NIR graph read from ngsnn.nir")]:
    t, j = np.nonzero(spikes)
    ax.scatter(t, j, s=6, c="k", marker="|")
    ax.set(xlabel="step (1 ms)", ylabel="hidden neuron", title=title, xlim=(-1, T))
width = 0.38
pos = np.arange(len(names))
axes[2].bar(pos - width / 2, np.array(own) * 1e9, width, label="skspike's own counts")
axes[2].bar(pos + width / 2, np.array(from_graph) * 1e9, width, label="from the NIR graph")
axes[2].set(xticks=pos, xticklabels=names, ylabel="nJ per sample (log)", yscale="log", title="energy per test digit")
axes[2].legend()
fig.suptitle(f"{clf.n_neurons_} hidden neurons; predictions agree on {same:.1%} of the test set")
fig.tight_layout()
fig.savefig(os.path.join(out_dir, "nir_roundtrip.png"), dpi=80)
plt.show()
