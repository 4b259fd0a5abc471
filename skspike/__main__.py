"""``python -m skspike``: the main job (grown by later work into the full demo)."""

import argparse
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(prog="skspike", description=__doc__)
    parser.add_argument("--dataset", default="digits", choices=["digits", "iris", "wine", "breast_cancer"])
    parser.add_argument("--n-steps", type=int, default=100)
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn import datasets

    from skspike.encoding import PoissonEncoder

    X, y = getattr(datasets, f"load_{args.dataset}")(return_X_y=True)
    enc = PoissonEncoder(max_rate=200.0, n_steps=args.n_steps, random_state=0)
    t0 = time.perf_counter()
    spikes = enc.fit_transform(X)
    elapsed = time.perf_counter() - t0
    counts = spikes.sum(axis=1)
    print(f"dataset {args.dataset}: {X.shape[0]} samples x {X.shape[1]} features")
    print(f"spikes: shape {spikes.shape}, dtype {spikes.dtype}, encoded in {elapsed:.3f} s")
    print(f"mean spikes per channel: {counts.mean():.2f}; sparsity {1 - spikes.mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
