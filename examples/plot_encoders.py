"""
Spike encoders side by side
===========================

One handwritten digit from scikit-learn, encoded by each static encoder of
skspike, and a smooth time series encoded by the delta and BSA encoders (with
the BSA reconstruction). Every encoder is a scikit-learn transformer returning
uint8 spikes of shape (n_samples, n_steps, n_channels).
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from skspike.encoding import (
    BSAEncoder,
    DeltaEncoder,
    LatencyEncoder,
    PhaseEncoder,
    PoissonEncoder,
    PopulationEncoder,
    RateEncoder,
)
from skspike.plotting import plot_raster

X, y = load_digits(return_X_y=True)
static_encoders = {
    "Poisson (rate)": PoissonEncoder(max_rate=200, n_steps=50, random_state=0),
    "Rate (uniform)": RateEncoder(max_rate=200, n_steps=50),
    "Latency (linear)": LatencyEncoder("linear", n_steps=50),
    "Latency (log / RC, threshold 0.3)": LatencyEncoder("log", threshold=0.3, n_steps=50),
    "Phase (8 bits)": PhaseEncoder(n_bits=8, n_steps=48),
    "Population (5 RFs, 16 features)": PopulationEncoder(n_receptive=5, n_steps=50),
}

# %%
# Encode the first digit with each encoder. Population coding multiplies the
# channels by the number of receptive fields, so it gets the 16 central pixels.
fig, axes = plt.subplots(3, 3, figsize=(13, 10))
for ax, (name, encoder) in zip(axes.ravel(), static_encoders.items()):
    data = X[:, 24:40] if name.startswith("Population") else X
    spikes = encoder.fit_transform(data)
    plot_raster(spikes, sample=0, dt=encoder.dt, ax=ax, title=f"{name}: {int(spikes[0].sum())} spikes")
    print(f"{name:32s} shape {spikes.shape}, spikes/sample {spikes.sum() / len(spikes):.1f}")

# %%
# Time series: a slow sine plus a chirp, encoded by the delta (ON/OFF) and
# BSA encoders; BSA's decode reconstructs the signal with its FIR filter.
t = np.linspace(0, 1, 200)
signal = (0.5 + 0.3 * np.sin(2 * np.pi * 2 * t) + 0.15 * np.sin(2 * np.pi * 5 * t ** 2))[None, :]
delta = DeltaEncoder(threshold=0.05).fit(signal)
delta_spikes = delta.transform(signal)
plot_raster(delta_spikes, ax=axes[2, 0], title=f"Delta (ON/OFF): {int(delta_spikes.sum())} spikes")

bsa = BSAEncoder(n_taps=24, cutoff=0.1).fit(signal)
bsa_spikes = bsa.transform(signal)
recon = bsa.decode(bsa_spikes)
ax = axes[2, 1]
ax.plot(t, signal[0], label="signal")
ax.plot(t, np.ravel(recon)[: len(t)], label="BSA reconstruction")
ax.legend(loc="lower left", fontsize=8)
ax.set_title("BSA encode / decode")
plot_raster(bsa_spikes, ax=axes[2, 2], title=f"BSA: {int(bsa_spikes.sum())} spikes")
fig.tight_layout()

out = os.path.join(os.environ.get("SKSPIKE_EXAMPLE_OUTPUT", "."), "encoders.png")
fig.savefig(out, dpi=80)
print(f"saved {out}")
