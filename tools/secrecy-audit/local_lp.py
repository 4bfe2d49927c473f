"""local_lp.py: points of a large group of tied cells found a few cells at a time.

A hidden cell of a territory's report can be tied, through sums and nested sets, to
hundreds of thousands of others: the auditor's two LPs per cell over such a group take
hours. Moving one cell by a unit usually needs only a few others to move with it. For a
cell, `LocalPoints` solves its least and greatest value over itself and a few cells near
it, every other cell held at a point already known to meet every relation (the true values,
the auxiliaries as an LP found them). The point found, with the held cells put back, meets
every relation of the group: it is a point the reader cannot rule out, checked here against
every relation it touches before it is used. Such points can only show a cell free to move
(unpinned, its true value in its range); a cell they do not settle goes to the group's own
LPs, which give every other verdict.

The cells near a cell are taken breadth first through the relations that hold tight at the
held point (equalities, and inequalities with no slack), the shortest first, and from each
relation only the `per_row` cells easiest to move (room on both sides of their held value
first, then the fewest tight relations). Which cells are taken only decides how many cells
are settled this way, never a verdict.
"""
from collections import deque

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

import hot_lp

TOLERANCE = 1e-6  # how far a point may overstep a relation or a bound (HiGHS' own is 1e-7)


class LocalPoints:
    """The relations lower <= A x <= upper and bounds col_lower <= x <= col_upper of one
    group (check_secrecy.LP's matrices), around a point x0 meeting them all."""

    def __init__(self, A_ub, b_ub, A_eq, b_eq, bounds, x0):
        n = len(bounds)
        self.A, self.lower, self.upper, self.col_lower, self.col_upper = hot_lp.row_form(n, A_ub, b_ub, A_eq, b_eq, bounds)
        self.AT = csr_matrix(self.A.T)  # a row per column: the relations holding each cell
        self.x0 = np.asarray(x0, dtype=float)
        self.ax0 = self.A @ self.x0
        self.tight = (self.upper - self.ax0 <= TOLERANCE) | (self.ax0 - self.lower <= TOLERANCE)
        self.row_length = np.diff(self.A.indptr)
        self.ntight = np.bincount(self.A[self.tight].indices, minlength=n)  # tight rows per column
        self.room = ((self.x0 - self.col_lower >= 1.0 - TOLERANCE)
                     & (self.col_upper - self.x0 >= 1.0 - TOLERANCE))
        self.movable = self.col_upper - self.col_lower > TOLERANCE
        self._order = {}  # row -> its movable cells, easiest first
        self._tight_rows = {}  # column -> its tight rows, shortest first
        self.solved, self.rejected = 0, 0

    def meets_everything(self):
        """Whether x0 meets every relation and bound (else nothing here can be trusted)."""
        return bool(np.all(self.ax0 <= self.upper + TOLERANCE) and np.all(self.ax0 >= self.lower - TOLERANCE)
                    and np.all(self.x0 >= self.col_lower - TOLERANCE)
                    and np.all(self.x0 <= self.col_upper + TOLERANCE))

    def _rows_of(self, j):
        return self.AT.indices[self.AT.indptr[j]:self.AT.indptr[j + 1]]

    def tight_rows(self, j):
        rows = self._tight_rows.get(j)
        if rows is None:
            rows = [int(r) for r in self._rows_of(j) if self.tight[r]]
            rows.sort(key=lambda r: (self.row_length[r], r))
            self._tight_rows[j] = rows
        return rows

    def order(self, r):
        cells = self._order.get(r)
        if cells is None:
            cells = [int(j) for j in self.A.indices[self.A.indptr[r]:self.A.indptr[r + 1]] if self.movable[j]]
            cells.sort(key=lambda j: (not self.room[j], self.ntight[j], j))
            self._order[r] = cells
        return cells

    def near(self, seed, size, per_row):
        """The seed and up to size - 1 cells near it (columns of this group)."""
        chosen, taken = [seed], {seed}
        queue = deque([seed])
        while queue and len(chosen) < size:
            u = queue.popleft()
            for r in self.tight_rows(u):
                count = 0
                for j in self.order(r):
                    if count >= per_row or len(chosen) >= size:
                        break
                    if j in taken:
                        continue
                    taken.add(j)
                    chosen.append(j)
                    queue.append(j)
                    count += 1
                if len(chosen) >= size:
                    break
        return chosen

    def solve(self, cells, cost):
        """min cost·x over `cells` (columns), every other cell at x0. Returns (columns,
        values) of a point meeting every relation it touches, or None (no optimum found, or
        the point oversteps a relation: then it is not used)."""
        cols = np.array(sorted(cells), dtype=np.int64)
        rows = np.unique(np.concatenate([self._rows_of(j) for j in cols])) if len(cols) else np.zeros(0, np.int64)
        touched = self.A[rows]
        sub = touched[:, cols]
        held = self.ax0[rows] - sub @ self.x0[cols]  # what the cells outside add to each row
        lo, hi = self.lower[rows] - held, self.upper[rows] - held
        c = np.zeros(len(cols))
        where = {int(j): k for k, j in enumerate(cols)}
        for j, a in cost.items():
            c[where[j]] = a
        result = solve_small(sub, lo, hi, self.col_lower[cols], self.col_upper[cols], c)
        self.solved += 1
        if result is None:
            return None
        # The whole point checked against the rows it touches, as written (the rows it does
        # not touch hold at x0).
        x = self.x0.copy()
        x[cols] = result
        ax = touched @ x
        if not (np.all(ax <= self.upper[rows] + TOLERANCE) and np.all(ax >= self.lower[rows] - TOLERANCE)
                and np.all(result >= self.col_lower[cols] - TOLERANCE)
                and np.all(result <= self.col_upper[cols] + TOLERANCE)):
            self.rejected += 1
            return None
        return cols, result


def solve_small(A, row_lower, row_upper, col_lower, col_upper, cost):
    """min cost·x, row_lower <= A x <= row_upper, col_lower <= x <= col_upper: x, or None."""
    n = A.shape[1]
    if hot_lp.available():
        h = hot_lp.HotLP.from_rows(n, A, row_lower, row_upper, col_lower, col_upper)
        r = h.solve({k: float(a) for k, a in enumerate(cost) if a}, warm=False)
        return r.x if r.status == 0 else None
    eq = row_lower == row_upper
    A_eq, b_eq = (A[eq], row_upper[eq]) if eq.any() else (None, None)
    ub = ~eq & np.isfinite(row_upper)
    lb = ~eq & np.isfinite(row_lower)
    A_ub = vstack([A[ub], -A[lb]]) if (ub.any() or lb.any()) else None
    b_ub = np.concatenate([row_upper[ub], -row_lower[lb]]) if A_ub is not None else None
    bounds = [(None if lo == -np.inf else lo, None if hi == np.inf else hi) for lo, hi in zip(col_lower, col_upper)]
    r = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
    return r.x if r.status == 0 else None
