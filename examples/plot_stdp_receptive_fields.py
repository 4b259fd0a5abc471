"""
Receptive fields learned by STDP on handwritten digits
======================================================

:class:`~skspike.STDPFeatureExtractor` is the network of Diehl & Cook (2015):
Poisson spike trains drive a layer of leaky integrate-and-fire neurons that
inhibit each other, and spike-timing-dependent plasticity moves each neuron's
input weights towards the inputs it wins. Nobody tells it the labels; after a
few passes over the 8x8 scikit-learn digits the weights of the 400 neurons
look like digit prototypes.

Two readouts of the learned spike counts: the paper's vote (each neuron votes
for the class it responded to most on the training set) and a logistic
regression.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skspike import STDPFeatureExtractor
from skspike.encoding import PoissonEncoder
from skspike.feature_extraction import VoteClassifier
from skspike.neurons import AdaptiveLIF

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# %%
# Learn: 100 ms presentations at up to 400 Hz, five passes over 1,347 images.
# The digits' pixel range is fixed to (0, 16) so that every image is encoded
# with the same scale.
stdp = STDPFeatureExtractor(
    400,
    encoder=PoissonEncoder(max_rate=400.0, n_steps=200, dt=0.5, feature_range=(0, 16)),
    dt=0.5,
    weight_norm=6.4,
    # the Diehl & Cook neuron; thresholds that jump by 0.5 mV and never decay
    neuron=AdaptiveLIF.diehl_cook(theta_jump=0.5, tau_adapt=1e7),
    nu_post=0.005,
    tau_trace=10.0,
    n_epochs=5,
    # the near winner-take-all layer of Diehl & Cook (BindsNET's 17.5 mV),
    # pixels only (no OFF channels): digit templates
    inhibition=17.5,
    off_channels=False,
    random_state=0,
)
stdp.fit(X_train)

# %%
# Readouts of the frozen network's spike counts.
counts_train = stdp.transform(X_train)
counts_test = stdp.transform(X_test)
vote = VoteClassifier().fit(counts_train, y_train)
linear = make_pipeline(StandardScaler(), LogisticRegression(C=0.03, max_iter=5000))
linear.fit(counts_train, y_train)
acc_vote = vote.score(counts_test, y_test)
acc_linear = linear.score(counts_test, y_test)
print(f"vote readout: {acc_vote:.3f}, logistic regression on counts: {acc_linear:.3f}")
print(f"output spikes per test image: {counts_test.sum(axis=1).mean():.1f}")

# %%
# The weights, one 8x8 image per neuron, grouped by the class each neuron votes for.
order = np.argsort(vote.assignments_, kind="stable")
fields = stdp.weights_.T[order].reshape(-1, 8, 8)
n_cols = 20
n_rows = int(np.ceil(len(fields) / n_cols))
grid = np.full((n_rows * 9 - 1, n_cols * 9 - 1), np.nan)
for k, field in enumerate(fields):
    r, c = divmod(k, n_cols)
    grid[r * 9:r * 9 + 8, c * 9:c * 9 + 8] = field / field.max()

fig, ax = plt.subplots(figsize=(9, 9))
ax.imshow(grid, cmap="hot_r", interpolation="nearest")
ax.set_axis_off()
ax.set_title(
    f"STDP receptive fields of {stdp.n_neurons} neurons, sorted by voted class\n"
    f"test accuracy: vote {acc_vote:.1%}, logistic regression {acc_linear:.1%}"
)
fig.tight_layout()
out = os.path.join(os.environ.get("SKSPIKE_EXAMPLE_OUTPUT", "."), "stdp_receptive_fields.png")
fig.savefig(out, dpi=80)
plt.show()
