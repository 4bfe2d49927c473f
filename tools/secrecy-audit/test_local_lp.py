#!/usr/bin/env python3
"""test_local_lp.py: checks local_lp.py against whole-system LPs on random systems.

    python3 tools/secrecy-audit/test_local_lp.py [SYSTEMS]

Each system: integer true values (hidden counts `< 5`, 1..4, and larger ones `>= 5`), sums
of cells equal to a published total, and inequalities between cells, some holding with no
slack at the true values (as a part and its total do). For every cell, its least and
greatest value over the whole system (linprog), then `LocalPoints` moves it over a small
neighbourhood. Asserted: every point `LocalPoints.solve` returns meets every relation of the
whole system (checked here from the rows as stated, not by local_lp's own check); every
value it gives a cell lies within that cell's whole range; a cell pinned in the whole system
never moves; and, with the whole system as neighbourhood, the least and greatest values are
the whole system's. Prints one line and exits 1 on the first failure. Not run by CI (it
needs numpy and scipy, as the auditor does).
"""
import sys

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

import local_lp


def random_system(rng):
    n = int(rng.integers(4, 24))
    small = rng.random(n) < 0.7
    truth = np.where(small, rng.integers(1, 5, n), rng.integers(5, 40, n)).astype(float)
    bounds = [(1.0, 4.0) if s else (5.0, None) for s in small]
    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for _ in range(int(rng.integers(1, n))):  # sums equal to a published total
        cells = rng.choice(n, size=int(rng.integers(2, min(n, 6) + 1)), replace=False)
        row = np.zeros(n)
        row[cells] = 1.0
        eq_rows.append(row)
        eq_rhs.append(float(truth[cells].sum()))
    for _ in range(int(rng.integers(0, n))):  # part <= total, tight or with slack
        i, j = rng.choice(n, size=2, replace=False)
        if truth[i] > truth[j]:
            i, j = j, i
        row = np.zeros(n)
        row[i], row[j] = 1.0, -1.0
        ub_rows.append(row)
        ub_rhs.append(0.0)
    A_eq = csr_matrix(np.array(eq_rows)) if eq_rows else None
    A_ub = csr_matrix(np.array(ub_rows)) if ub_rows else None
    return (n, truth, bounds, A_ub, np.array(ub_rhs) if ub_rows else None,
            A_eq, np.array(eq_rhs) if eq_rows else None)


def meets(x, A_ub, b_ub, A_eq, b_eq, bounds, tol=1e-6):
    if A_ub is not None and np.any(A_ub @ x > b_ub + tol):
        return False
    if A_eq is not None and np.any(np.abs(A_eq @ x - b_eq) > tol):
        return False
    return all((lo is None or v >= lo - tol) and (hi is None or v <= hi + tol) for v, (lo, hi) in zip(x, bounds))


def main():
    systems = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rng = np.random.default_rng(61)
    points = moved = pinned_cells = 0
    for k in range(systems):
        n, truth, bounds, A_ub, b_ub, A_eq, b_eq = random_system(rng)
        assert meets(truth, A_ub, b_ub, A_eq, b_eq, bounds), "system %d: the true values break a relation" % k
        whole = []
        for j in range(n):
            c = np.zeros(n)
            c[j] = 1.0
            lo = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
            hi = linprog(-c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
            whole.append((lo.fun, -hi.fun if hi.status == 0 else np.inf))
        local = local_lp.LocalPoints(A_ub, b_ub, A_eq, b_eq, bounds, truth)
        assert local.meets_everything()
        for j in range(n):
            pinned = whole[j][1] - whole[j][0] < 1e-6
            pinned_cells += pinned
            for size, per_row in ((3, 1), (8, 2), (n, n)):
                near = local.near(j, size, per_row)
                assert near[0] == j and len(set(near)) == len(near) <= size
                for sign in (1.0, -1.0):
                    found = local.solve(near, {j: sign})
                    if found is None:
                        continue
                    cols, values = found
                    x = truth.copy()
                    x[cols] = values
                    points += 1
                    if not meets(x, A_ub, b_ub, A_eq, b_eq, bounds):
                        print("FAILED: system %d, cell %d: a point breaks a relation" % (k, j))
                        return 1
                    for i in range(n):
                        if not (whole[i][0] - 1e-6 <= x[i] <= whole[i][1] + 1e-6):
                            print("FAILED: system %d: cell %d at %g outside its range %s" % (k, i, x[i], whole[i]))
                            return 1
                    if pinned and abs(x[j] - truth[j]) > 1e-6:
                        print("FAILED: system %d: pinned cell %d moved" % (k, j))
                        return 1
                    moved += abs(x[j] - truth[j]) > 1e-6
                    if size == n and len(near) == n:
                        target = whole[j][0] if sign > 0 else whole[j][1]
                        if np.isfinite(target) and abs(x[j] - target) > 1e-6:
                            print("FAILED: system %d: cell %d reached %g, its whole range's end is %g"
                                  % (k, j, x[j], target))
                            return 1
    print("ok: %d systems, %d points checked, %d moved their cell, %d cells pinned never moved"
          % (systems, points, moved, pinned_cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
