"""Unsupervised feature learning with spike-timing-dependent plasticity.

:class:`STDPFeatureExtractor` learns input weights with STDP in a layer of
competing LIF neurons (Diehl & Cook 2015) and transforms data into the
neurons' spike counts; :class:`VoteClassifier` is the paper's readout.
"""

from ._stdp import STDPFeatureExtractor
from ._vote import VoteClassifier

__all__ = ["STDPFeatureExtractor", "VoteClassifier"]
