"""Incrementally grown ridge readout with per-neuron penalties (bordered Cholesky).

The readout of a hidden layer ``H`` (n_samples, k) with an unpenalised
constant column first solves

    beta = (H^T H + Lambda)^-1 H^T Y,     Lambda = diag(lambda_0 = 0, lambda_1, ...).

:class:`IncrementalRidge` keeps the lower Cholesky factor ``L`` of
``A = H^T H + Lambda`` and ``P = L^-1 H^T Y``. Appending a column ``h`` with
penalty ``lam`` borders ``A`` with ``c = H^T h`` and ``h^T h + lam``; the new
factor row is ``[z^T, sqrt(s)]`` with

    z = L^-1 c,     s = h^T h + lam - z^T z     (Schur complement),

and the new row of ``P`` is ``p = (h^T Y - z^T P) / sqrt(s)``. The minimum of
the regularised objective ``J(beta) = ||Y - H beta||^2 + beta^T Lambda beta``
is ``J* = ||Y||^2 - ||P||^2``, so the column lowers it by exactly

    delta J = ||p||^2 = ||h^T E||^2 / s,      E = Y - H beta (current residual),

which is the exact contribution of a candidate (the residual reduction after
re-solving every output weight); with ``Lambda = 0`` it is the projection of
the residual on the candidate's activity orthogonalised against ``H``
(RMPI-SCN).

Instead of ``H`` the solver keeps the basis ``Q = H L^-T`` (n_samples, k):
then ``z = L^-1 H^T h = Q^T h`` is one matrix product (no triangular solve
per candidate), the fitted values are ``H beta = Q P`` and the new basis
column of an appended ``h`` is ``(h - Q z) / sqrt(s)``. ``Q^T Q = I -
L^-1 Lambda L^-T`` has its eigenvalues in ``(0, 1]``, so the basis is well
conditioned whatever the penalties. Scoring ``C`` candidates costs
``O(n k C)``, adding one ``O(n k)``; the weights ``beta = L^-T P`` cost one
triangular solve, ``O(k^2 m)``.

Storage grows with the layer: ``Q`` (and any other basis, see
:class:`GrowingColumns`) is held as the C-ordered array of its columns,
enlarged in chunks of ``_CHUNK`` columns by ``realloc`` (no copy of the
data for large arrays: the pages are remapped), and ``L`` by chunks of
rows (of the cap's length) the same way, so memory follows the current
size ``k``, not the cap, and never holds an old and a new copy at once. The products over
samples run in fixed blocks on ``n_threads`` threads (``_ngsnn_blocks``):
the same result whatever the number of threads.
"""

import math

import numpy as np
from scipy.linalg import solve_triangular

from ._ngsnn_blocks import blocked_matmul, run_blocks

__all__ = ["GrowingColumns", "IncrementalRidge", "ridge_direct"]

# Columns added per enlargement of the growing arrays.
_CHUNK = 256
# Samples per block of the basis extension; basis columns per block of the score.
_ROW_BLOCK = 1024
_COL_BLOCK = 256


class GrowingColumns:
    """An ``(n_rows, size)`` float64 matrix in Fortran order whose number of columns grows.

    The columns are the rows of a C-ordered ``(size, n_rows)`` array, so that
    adding columns is a ``realloc`` of one block (for large arrays the
    kernel remaps the pages: no copy, no second buffer). :attr:`array` is a
    fresh view after every :meth:`reserve`; views taken before it must not
    be used afterwards.

    Parameters
    ----------
    n_rows : int
    capacity : int
        Largest number of columns.
    """

    def __init__(self, n_rows, capacity, chunk=_CHUNK):
        self.capacity = int(capacity)
        self.chunk = int(chunk)
        self._columns = np.empty((min(self.capacity, self.chunk), int(n_rows)))

    @property
    def size(self):
        """Columns allocated."""
        return self._columns.shape[0]

    @property
    def array(self):
        """The matrix, shape ``(n_rows, size)``, Fortran order (a view)."""
        return self._columns.T

    def reserve(self, n_columns):
        """Make room for at least ``n_columns`` columns (at most ``capacity``); keeps the data."""
        if n_columns > self.capacity:
            raise RuntimeError(f"GrowingColumns: {n_columns} columns requested, capacity {self.capacity}.")
        if n_columns > self.size:
            new = min(self.capacity, self.chunk * math.ceil(n_columns / self.chunk))
            self._columns.resize((new, self._columns.shape[1]), refcheck=False)


class IncrementalRidge:
    """Ridge readout grown one column at a time.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    capacity : int
        Maximum number of columns besides the constant one.
    n_threads : int, default=1
        Threads of the products over samples (the result does not depend on
        it).
    chunk : int, default=256
        Columns added per enlargement of the basis and factor (the result
        does not depend on it).
    """

    def __init__(self, Y, capacity, n_threads=1, chunk=_CHUNK):
        Y = np.asarray(Y, dtype=np.float64)
        n, m = Y.shape
        self.Y = Y
        self.capacity = int(capacity)
        self.n_threads = int(n_threads)
        self._Q = GrowingColumns(n, self.capacity + 1, chunk)
        size = self._Q.size
        #: Rows of the factor, ``L[:k, :k]`` the current one; rows of full length (the
        #: cap), so that adding rows is a realloc too, never a copy beside the old factor.
        self.L = np.zeros((size, self.capacity + 1))
        self.P = np.zeros((size, m))
        self.lam = np.zeros(size)
        self.Q[:, 0] = 1.0 / np.sqrt(n)
        self.L[0, 0] = np.sqrt(n)
        self.P[0] = Y.sum(axis=0) / np.sqrt(n)
        self.yty = float(np.sum(Y * Y))
        self.k = 1
        #: Objective of the intercept-only model (total sum of squares).
        self.objective0 = self.objective

    @property
    def Q(self):
        """Basis ``Q = H L^-T`` of the allocated columns, shape (n_samples, >= k), Fortran order (a view)."""
        return self._Q.array

    def reserve(self, n_columns):
        """Make room for ``n_columns`` columns besides the constant one (basis, factor, ``P``)."""
        self._Q.reserve(n_columns + 1)
        size = self._Q.size
        if size > self.L.shape[0]:
            self.L.resize((size, self.L.shape[1]), refcheck=False)  # new rows are zeros
            self.P = np.concatenate([self.P, np.zeros((size - self.P.shape[0], self.P.shape[1]))])
            self.lam = np.concatenate([self.lam, np.zeros(size - self.lam.shape[0])])

    def release_basis(self):
        """Free the basis ``Q`` (the factor, ``P`` and the penalties stay; scoring and adding then fail)."""
        self._Q = None

    @property
    def n_columns(self):
        """Columns besides the constant one."""
        return self.k - 1

    @property
    def objective(self):
        """Minimum of ``||Y - H beta||^2 + beta^T Lambda beta``."""
        P = self.P[: self.k]
        return max(self.yty - float(np.sum(P * P)), 0.0)

    def score(self, Hc, lam):
        """Exact objective decrease of adding each candidate column.

        Parameters
        ----------
        Hc : ndarray of shape (n_samples, n_candidates)
            Candidate activities.
        lam : ndarray of shape (n_candidates,)
            Their penalties.

        Returns
        -------
        gain : ndarray of shape (n_candidates,)
            ``||h^T E||^2 / s``; 0 for a candidate that is silent or, to
            rounding, in the span of the current columns without penalty.
        Z, q, s : ndarrays
            ``L^-1 H^T Hc`` (k, C), ``Hc^T E`` (C, m) and the Schur
            complements (C,), reused by :meth:`add`.
        """
        k = self.k
        Hc = np.asarray(Hc, dtype=np.float64)
        Z = blocked_matmul(self.Q[:, :k].T, Hc, self.n_threads, block=_COL_BLOCK)
        hh = np.einsum("ij,ij->j", Hc, Hc)
        s = hh + lam - np.einsum("ij,ij->j", Z, Z)
        q = Hc.T @ self.Y - Z.T @ self.P[:k]
        gain = np.einsum("ij,ij->i", q, q)
        # Rounding makes s meaningless when the candidate is (numerically) a
        # combination of the layer and carries no penalty.
        ok = (hh > 0) & (s > 1e-10 * (hh + lam))
        gain = np.where(ok, gain / np.where(ok, s, 1.0), 0.0)
        return gain, Z, q, s

    def score_bound(self, Hc, lam):
        """Cheap lower bound ``||h^T E||^2 / (h^T h + lam) <= delta J`` of each candidate.

        ``s <= h^T h + lam`` (the Schur complement subtracts ``z^T z >= 0``),
        so this ranks candidates in ``O(n C m)`` (with ``E`` precomputed) for a
        preselection before the exact score.
        """
        E = self.residual()
        hh = np.einsum("ij,ij->j", Hc, Hc)
        q = Hc.T @ E
        num = np.einsum("ij,ij->i", q, q)
        den = hh + lam
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)

    def residual(self):
        """Residual ``E = Y - H beta`` of the current solution, shape (n_samples, n_outputs)."""
        return self.Y - self.fitted()

    def fitted(self, n_columns=None):
        """Fitted values ``H beta = Q P`` (with the first ``n_columns`` columns), shape (n_samples, n_outputs)."""
        k = self.k if n_columns is None else int(n_columns) + 1
        return self.Q[:, :k] @ self.P[:k]

    def add_greedy(self, Hc, lam, gain, Z, q, s, n_add, min_gain=0.0):
        """Add up to ``n_add`` scored candidates, best exact gain first.

        After each addition the scores of the remaining candidates are
        updated exactly by the new bordered row: ``z_c <- [z_c, (h^T h_c -
        z^T z_c) / r]``, ``s_c <- s_c - z_{c,k}^2``, ``q_c <- q_c - z_{c,k}
        p`` with ``r = sqrt(s)`` and ``p = q / r`` of the added column, so a
        candidate redundant with one just added loses its gain (``O(n C)``
        per addition, from the pool's Gram matrix ``Hc^T Hc``). The greedy
        choice needs only ``L`` and ``P``; the
        basis columns of the ``a`` added neurons are built at the end in one
        block (:meth:`extend_basis`, a matrix product of ``O(n k a)``
        instead of ``a`` memory-bound matrix-vector products).

        Returns
        -------
        added : list of int
            Indices of the added candidates, in order.
        gains : list of float
            Their exact objective decreases at the time of addition.
        """
        Hc = np.asarray(Hc, dtype=np.float64)
        gain = gain.copy()
        q = q.copy()
        s = s.copy()
        self.reserve(min(self.capacity, self.k - 1 + n_add))
        # Gram matrix of the pool (one matrix product instead of a pass over Hc per addition).
        G = blocked_matmul(Hc.T, Hc, self.n_threads, block=32)
        hh = np.diag(G).copy()
        Z = np.vstack([Z, np.zeros((n_add, Z.shape[1]))])
        k0 = self.k
        added, gains = [], []
        for step in range(n_add):
            j = int(np.argmax(gain))
            if not gain[j] > min_gain or self.k > self.capacity:
                break
            kk = self.k
            if not s[j] > 0:
                raise np.linalg.LinAlgError("column is linearly dependent on the layer.")
            root = np.sqrt(s[j])
            self.L[kk, :kk] = Z[:kk, j]
            self.L[kk, kk] = root
            self.P[kk] = q[j] / root
            self.lam[kk] = lam[j]
            self.k = kk + 1
            added.append(j)
            gains.append(float(gain[j]))
            gain[j] = 0.0
            z_new = (G[j] - Z[:kk, j] @ Z[:kk]) / root
            Z[kk] = z_new
            s = s - z_new * z_new
            q = q - np.outer(z_new, self.P[kk])
            ok = (hh > 0) & (s > 1e-10 * (hh + lam))
            ok[added] = False
            gain = np.where(ok, np.einsum("ij,ij->i", q, q) / np.where(ok, s, 1.0), 0.0)
        assert self.k - k0 == len(added)
        if added:
            self.Q[:, k0 : self.k] = self.extend_basis(self.Q, Hc[:, added], k0)
        return added, gains

    def extend_basis(self, B, H_new, k0):
        """Basis columns ``k0 .. k-1`` of activities ``H_new`` given the basis ``B[:, :k0]`` of the first ones.

        With ``L = [[L_0, 0], [Z^T, L_a]]`` the factor after appending the
        block ``H_a``, ``[B_0, B_a] = [H_0, H_a] L^-T`` gives ``B_a = (H_a -
        B_0 Z) L_a^-T``. Applied to the growth samples this is ``Q``; applied
        to other samples (``B = [1 H_val] L^-T``) it gives their basis, so
        their fitted values are ``B P`` without solving for the weights.

        Parameters
        ----------
        B : ndarray of shape (n_samples, >= k0)
            Basis of the first ``k0`` columns (constant column included).
        H_new : ndarray of shape (n_samples, k - k0)
            Activities of the columns ``k0 .. k-1`` on the same samples.
        k0 : int

        Returns
        -------
        B_new : ndarray of shape (n_samples, k - k0)
        """
        k = self.k
        H_new = np.asarray(H_new, dtype=np.float64)
        n = H_new.shape[0]
        Z = self.L[k0:k, :k0].T
        L_a = self.L[k0:k, k0:k]
        B_new = np.empty((n, k - k0))

        def part(start, stop):
            X = H_new[start:stop] - B[start:stop, :k0] @ Z
            B_new[start:stop] = solve_triangular(L_a, X.T, lower=True, check_finite=False).T

        run_blocks(part, n, _ROW_BLOCK, self.n_threads)
        return B_new

    def add(self, h, lam, z=None, q=None, s=None):
        """Append column ``h`` with penalty ``lam`` (O(n k + k^2))."""
        k = self.k
        if k > self.capacity:
            raise RuntimeError("IncrementalRidge is full.")
        self.reserve(k)
        h = np.asarray(h, dtype=np.float64)
        if z is None:
            gain, Z, Q, S = self.score(h[:, None], np.array([lam], dtype=np.float64))
            z, q, s = Z[:, 0], Q[0], S[0]
        if not s > 0:
            raise np.linalg.LinAlgError("column is linearly dependent on the layer.")
        root = np.sqrt(s)
        Qk = self.Q[:, k]
        np.matmul(self.Q[:, :k], z, out=Qk)
        np.subtract(h, Qk, out=Qk)
        Qk /= root
        self.L[k, :k] = z
        self.L[k, k] = root
        self.P[k] = q / root
        self.lam[k] = lam
        self.k = k + 1

    def truncate(self, n_columns):
        """Keep the first ``n_columns`` columns (besides the constant one)."""
        self.k = int(n_columns) + 1

    def coef(self):
        """``(intercept, weights)`` of the current solution."""
        k = self.k
        beta = solve_triangular(self.L[:k, :k], self.P[:k], lower=True, trans="T", check_finite=False)
        return beta[0], beta[1:]

    def penalty(self):
        """Per-column penalties (without the constant column)."""
        return self.lam[1 : self.k].copy()


def ridge_direct(H, Y, lam):
    """Direct solve of ``[1, H]`` with penalties ``[0, lam]`` (Cholesky, O(k^3)).

    Returns
    -------
    intercept : ndarray of shape (n_outputs,)
    weights : ndarray of shape (n_columns, n_outputs)
    """
    H = np.asarray(H, dtype=np.float64)
    H1 = np.empty((H.shape[0], H.shape[1] + 1))
    H1[:, 0] = 1.0
    H1[:, 1:] = H
    A = H1.T @ H1
    A[np.diag_indices_from(A)] += np.concatenate(([0.0], np.asarray(lam, dtype=np.float64)))
    from scipy.linalg import cho_factor, cho_solve

    beta = cho_solve(cho_factor(A, lower=True, check_finite=False), H1.T @ np.asarray(Y, dtype=np.float64))
    return beta[0], beta[1:]
