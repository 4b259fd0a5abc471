"""Numba building blocks shared by the kernels (private)."""
