// Two threads for one dense pivot's update (`SimplexTeam`): the thread that pivots and one
// helper thread split the columns of the pivot row between them, each column's entries
// given the same operations whichever thread updates it, so the same bits as one thread.
#ifndef ENTSTAT_SIMPLEX_TEAM_H
#define ENTSTAT_SIMPLEX_TEAM_H

#include <stddef.h>
#include <stdint.h>

#include "simplex_kernel.h"

/// A helper thread that takes columns of the pivots it is offered.
typedef struct entstat_simplex_team entstat_simplex_team;

/// Starts a helper thread; NULL when it cannot be started.
entstat_simplex_team *entstat_simplex_team_start(void);

/// Begins the update of the columns `columns[0 ..< count]` of the column-major `tableau` of
/// `rows` rows. With `listed_rows` NULL, each column down its whole length as
/// `entstat_simplex_update_column` does with `kernel`, by `factors` (one per row); else
/// only the rows `listed_rows[0 ..< listed_count]`, each with its factor in
/// `listed_factors`, as `entstat_simplex_update_listed` does. A column's pivot entry is
/// its entry in row `row` (whose factor is zero: it stays). Column `first`, if it is one
/// of `columns` (which this then reorders, `first` last; −1: none), is updated by the
/// calling thread before this returns. The helper, if `team` is not NULL and not already
/// working for another thread, is offered the other columns: this returns 1, the update is
/// finished by `entstat_simplex_team_finish`, and until then the helper may be writing any
/// of the other columns, and reading `factors` and the lists. Returns 0 when the calling
/// thread updated every column itself (no helper, or a pivot too small to share).
int entstat_simplex_team_begin(entstat_simplex_team *team, entstat_simplex_kernel kernel, double *tableau,
                               ptrdiff_t rows, ptrdiff_t row, int64_t *columns, ptrdiff_t count,
                               const double *factors, const int32_t *listed_rows, const double *listed_factors,
                               ptrdiff_t listed_count, int64_t first);

/// Ends an update for which `entstat_simplex_team_begin` returned 1: the calling thread
/// takes the columns the helper has not, and returns when every column is done.
void entstat_simplex_team_finish(entstat_simplex_team *team);

/// How many columns the helper thread has updated since it started (for measurements).
int64_t entstat_simplex_team_helped(const entstat_simplex_team *team);

#endif
