"""Lempel-Ziv complexity of spike trains.

:func:`lempel_ziv_complexity` computes the LZ76 complexity of binary
sequences (numba, parallel over sequences); :class:`LZCTransformer` turns
spike trains into per-channel complexity features inside a Pipeline.
Importing this package compiles nothing; kernels compile on first call.
"""

from ._lempel_ziv import lempel_ziv_complexity
from ._transformer import LZCTransformer

__all__ = ["LZCTransformer", "lempel_ziv_complexity"]
