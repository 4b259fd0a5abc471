"""
Plasticity rules as parts: triplet STDP and learning from reward alone
======================================================================

Two things :mod:`skspike.plasticity` does that pair STDP cannot.

Left: the triplet rule of Pfister & Gerstner (2006) with their visual-cortex
parameters, run through the same kernel that trains networks, on Sjostrom et
al.'s (2001) protocol (60 pre/post pairings, +10 ms and -10 ms, at 0.1-50 Hz),
next to the measured data. Pair STDP would give the same change at every
frequency; the triplet terms turn depression into potentiation at high rates.

Right: reward-modulated STDP (Izhikevich 2007, Florian 2007). Two neurons see
Poisson trains of two classes; after every sample a critic says only "right"
(+1) or "wrong" (-1). Spike pairs charge eligibility traces and the reward
turns them into weight changes. Rewarding the true labels and rewarding the
flipped labels, from the same start, learn opposite assignments: the reward is
the whole teacher.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from skspike.neurons import LIF, simulate
from skspike.plasticity import RewardModulatedSTDP, SynapticScaling, TripletSTDP, learn_from_reward

# Sjostrom et al. (2001): frequency, +10 ms change, SEM, -10 ms change, SEM
data = np.array([[0.1, -0.04, 0.05, -0.29, 0.08], [10, 0.14, 0.10, -0.41, 0.11],
                 [20, 0.29, 0.14, -0.34, 0.10], [40, 0.53, 0.11, 0.56, 0.32],
                 [50, 0.56, 0.26, 0.75, 0.19]])
rule = TripletSTDP.visual_cortex("nearest", w_min=-10.0, w_max=10.0)
freqs = np.array([0.1, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50])


def pairing(freq, delta_t, n_pairs=60):
    pre = np.arange(n_pairs) * 1000.0 / freq + max(-delta_t, 0.0)
    return pre, pre + delta_t


curves = {d: [rule.weight_change(*pairing(f, d), dt=1.0, w_init=0.0) for f in freqs]
          for d in (10.0, -10.0)}

# %%
# Reward alone: 12 channels, class 0 drives channels 0-5 at 250 Hz, class 1
# channels 6-11; the other half fires at 30 Hz.
def two_class(rng, n, n_steps=60, n_in=12):
    y = rng.randint(0, 2, size=n)
    first = np.arange(n_in) < n_in // 2
    rates = np.where(first[None, :] == (y[:, None] == 0), 0.25, 0.03)
    return (rng.rand(n, n_steps, n_in) < rates[:, None, :]).astype(np.uint8), y


X, y = two_class(np.random.RandomState(10), 300)
X_test, y_test = two_class(np.random.RandomState(100), 300)
neuron = LIF(tau_m=10.0, r_m=10.0, t_ref=2.0)
start = 0.17 + 0.01 * np.random.RandomState(0).rand(12, 2)
kw = dict(neuron=neuron, inhibition=0.5, scaling=SynapticScaling(2.1), w_init=start)
rstdp = RewardModulatedSTDP(a_plus=0.01, a_minus=0.01, tau_elig=200.0)
w_true, _, rewards = learn_from_reward(X, y, rstdp, **kw)
w_flip, _, _ = learn_from_reward(X, 1 - y, rstdp, **kw)


def accuracy(w):
    counts, _ = simulate(neuron, X_test, w, output="counts")
    return np.mean(np.argmax(counts, axis=1) == y_test)


print(f"accuracy before: {accuracy(start):.2f}, rewarded with the labels: {accuracy(w_true):.2f}, "
      f"rewarded with flipped labels: {accuracy(w_flip):.2f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
ax = axes[0]
for d, col, color in ((10.0, 1, "C3"), (-10.0, 3, "C0")):
    ax.plot(freqs, curves[d], color=color, label=f"triplet model, {d:+.0f} ms")
    ax.errorbar(data[:, 0], data[:, col], yerr=data[:, col + 1], fmt="o", color=color,
                label=f"Sjostrom 2001, {d:+.0f} ms")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlabel="pairing frequency (Hz)", ylabel="weight change (60 pairings)",
       title="Triplet STDP, visual cortex")
ax.legend(fontsize=7)
ax = axes[1]
window = np.convolve(rewards[0], np.ones(20) / 20, mode="valid")
ax.plot(np.arange(window.size) + 20, window)
ax.set(xlabel="training sample", ylabel="mean reward (20 samples)", title="Reward while learning")
ax = axes[2]
ax.imshow(w_true.T, aspect="auto", cmap="viridis")
ax.set(xlabel="input channel", ylabel="neuron (class)", yticks=[0, 1],
       title=f"Learned weights (test accuracy {accuracy(w_true):.2f})")
fig.tight_layout()
out = os.environ.get("SKSPIKE_EXAMPLE_OUTPUT")
if out:
    fig.savefig(os.path.join(out, "reward_stdp.png"), dpi=80)
plt.show()
