"""hot_lp.py: one HiGHS model kept alive across the auditor's LPs (check_secrecy.py).

check_secrecy.py solves two LPs per hidden cell (min and max of that cell) over the same
constraints; only the objective changes. `scipy.optimize.linprog` builds and presolves the
model from scratch for each, which on a region's report (180 000 constraints, 25 000 hidden
cells) makes the audit last hours. `HotLP` passes the model to HiGHS once and changes only
the costs, so each LP starts from the previous optimum's basis (a few pivots instead of a
whole solve).

It uses the HiGHS binding that scipy ships (`scipy.optimize._highspy._core`), scipy's own
interface to the same solver `linprog(method="highs")` calls. `available()` says whether
this scipy has it; check_secrecy.py falls back to `linprog` when it does not. The auditor
takes every adverse verdict (a pinned cell, a true value outside its range, a failed LP)
from `linprog` alone: a hot-started LP only clears cells.
"""
import numpy as np

try:
    from scipy.optimize._highspy import _core as _highs
except ImportError:  # an older or newer scipy without the binding: the auditor uses linprog
    _highs = None


def available():
    return _highs is not None and hasattr(_highs, "_Highs")


def row_form(n, A_ub, b_ub, A_eq, b_eq, bounds):
    """check_secrecy.LP's matrices (A_ub x <= b_ub, A_eq x = b_eq, bounds as (lo, hi) with
    None for no bound) as one system row_lower <= A x <= row_upper, col_lower <= x <=
    col_upper: (A in CSR, the inequalities' rows first, row_lower, row_upper, col_lower,
    col_upper)."""
    from scipy.sparse import csr_matrix, vstack
    blocks, lower, upper = [], [], []
    if A_ub is not None:
        blocks.append(A_ub)
        lower.append(np.full(A_ub.shape[0], -np.inf))
        upper.append(np.asarray(b_ub, dtype=float))
    if A_eq is not None:
        blocks.append(A_eq)
        lower.append(np.asarray(b_eq, dtype=float))
        upper.append(np.asarray(b_eq, dtype=float))
    A = csr_matrix(vstack(blocks)) if blocks else csr_matrix((0, n))
    return (A, np.concatenate(lower) if lower else np.zeros(0), np.concatenate(upper) if upper else np.zeros(0),
            np.array([-np.inf if lo is None else lo for lo, _ in bounds], dtype=float),
            np.array([np.inf if hi is None else hi for _, hi in bounds], dtype=float))


class Result:
    """What the auditor reads of a `linprog` result: status (0 optimal, 2 infeasible,
    3 unbounded, 4 other), fun and x."""

    def __init__(self, status, fun, x):
        self.status, self.fun, self.x = status, fun, x


class HotLP:
    """min c·x subject to A_ub x <= b_ub, A_eq x = b_eq and column bounds, the matrices
    those of check_secrecy.LP, solved for one objective after another."""

    def __init__(self, n, A_ub, b_ub, A_eq, b_eq, bounds):
        self._load(n, *row_form(n, A_ub, b_ub, A_eq, b_eq, bounds))

    @classmethod
    def from_rows(cls, n, A, row_lower, row_upper, col_lower, col_upper):
        """min c·x subject to row_lower <= A x <= row_upper and col_lower <= x <= col_upper."""
        h = cls.__new__(cls)
        h._load(n, A, np.asarray(row_lower, dtype=float), np.asarray(row_upper, dtype=float),
                np.asarray(col_lower, dtype=float), np.asarray(col_upper, dtype=float))
        return h

    def _load(self, n, A, row_lower, row_upper, col_lower, col_upper):
        from scipy.sparse import csc_matrix
        A = csc_matrix(A)
        A.sort_indices()
        lp = _highs.HighsLp()
        lp.num_col_, lp.num_row_ = n, A.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = col_lower
        lp.col_upper_ = col_upper
        lp.row_lower_ = row_lower
        lp.row_upper_ = row_upper
        lp.a_matrix_.format_ = _highs.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, A.shape[0]
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        self.h = _highs._Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.passModel(lp)
        self.costed = []  # the columns whose cost is not zero

    def solve(self, cost, warm):
        """min cost·x, cost a dict {column: coefficient}; the model's bounds unchanged.
        warm: start the primal simplex from the last optimum's basis, which a change of
        costs leaves feasible (about 0.05 s instead of 1 s on a region's report; the dual
        simplex, HiGHS' choice there, would first have to repair the duals, taking minutes);
        else solve afresh, with presolve and the dual simplex (the better choice for an
        objective over many cells)."""
        if not warm:
            self.h.clearSolver()
        self.h.setOptionValue("simplex_strategy", 4 if warm else 1)
        for j in self.costed:
            if j not in cost:
                self.h.changeColCost(j, 0.0)
        for j, a in cost.items():
            self.h.changeColCost(j, float(a))
        self.costed = list(cost)
        self.h.run()
        s = self.h.getModelStatus()
        if s == _highs.HighsModelStatus.kOptimal:
            return Result(0, self.h.getInfo().objective_function_value,
                          np.array(self.h.getSolution().col_value))
        if s == _highs.HighsModelStatus.kUnbounded:
            return Result(3, None, None)
        if s == _highs.HighsModelStatus.kInfeasible:
            return Result(2, None, None)
        return Result(4, None, None)
