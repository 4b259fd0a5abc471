"""NIR (Neuromorphic Intermediate Representation) export and import.

:func:`to_nir` turns a fitted skspike estimator into a ``nir.NIRGraph`` that
neuromorphic toolchains (snnTorch, Norse, Sinabs, Rockpool, SpikingJelly,
Lava, SpiNNaker2, ...) can load; :func:`from_nir` simulates a graph trained
elsewhere on skspike's neuron kernels as a scikit-learn estimator, with
operation counts for :mod:`skspike.energy`.

The ``nir`` package is optional (``pip install 'skspike[nir]'``) and is only
imported when one of these functions runs; ``torch`` is never imported.
"""

from ._export import nir_input, to_nir, NIRExportWarning
from ._network import NIRClassifier, NIRNetwork, from_nir

__all__ = ["to_nir", "from_nir", "nir_input", "NIRNetwork", "NIRClassifier", "NIRExportWarning"]
