// The dense simplex tableau's pivot (`SimplexTableau`): its row's division, its entering
// column's factors and its update over whole columns, in vector instructions chosen at
// run time: AVX-512 or AVX2 where the processor has them, plain C otherwise. Every path
// gives each entry the same operations (a division; a product then a difference, never
// fused), so the same bits as the Swift loops over lists of rows.
#ifndef ENTSTAT_SIMPLEX_KERNEL_H
#define ENTSTAT_SIMPLEX_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/// The instruction sets `entstat_simplex_update_column` can use.
typedef enum {
    ENTSTAT_SIMPLEX_SCALAR = 0,
    ENTSTAT_SIMPLEX_AVX2 = 1,
    ENTSTAT_SIMPLEX_AVX512 = 2,
} entstat_simplex_kernel;

/// The widest instruction set this processor (and its operating system) runs.
entstat_simplex_kernel entstat_simplex_kernel_best(void);

/// Whether this processor runs `kernel`.
int entstat_simplex_kernel_available(entstat_simplex_kernel kernel);

/// For each of the `rows` entries of `column` whose factor is not zero (a NaN factor is
/// not zero): x = column[i] − factors[i] × pivot_entry, then column[i] = x, or +0 when
/// −1e-12 < x < 1e-12. Entries whose factor is zero are left as they are. `kernel` must be
/// available.
void entstat_simplex_update_column(entstat_simplex_kernel kernel, double *column, const double *factors,
                                   ptrdiff_t rows, double pivot_entry);

/// Divides by `pivot` the entries of row `row` of a column-major tableau of `rows` rows and
/// `columns` columns that are not zero (a NaN is not zero), column `skipped` excepted, and
/// writes their columns, ascending, to `listed` (room for `columns`); returns how many.
ptrdiff_t entstat_simplex_divide_row(entstat_simplex_kernel kernel, double *tableau, ptrdiff_t rows, ptrdiff_t columns,
                                     ptrdiff_t row, ptrdiff_t skipped, double pivot, int64_t *listed);

/// Moves the `rows` entries of `column` into `factors`, but for row `row`, whose factor is
/// zero and whose entry stays; every other entry of `column` becomes zero. Returns how many
/// of the factors are not zero (a NaN is not zero).
ptrdiff_t entstat_simplex_take_column(entstat_simplex_kernel kernel, double *column, double *factors, ptrdiff_t rows,
                                      ptrdiff_t row);

/// For each of the `count` rows `rows[q]` of `column`: x = column[rows[q]] − factors[q] ×
/// pivot_entry, then that entry = x, or +0 when −1e-12 < x < 1e-12 (the update through a
/// pivot's list of rows).
void entstat_simplex_update_listed(double *column, const int32_t *rows, const double *factors, ptrdiff_t count,
                                   double pivot_entry);

/// Moves the `rows` entries of `column` into `factors` as `entstat_simplex_take_column`
/// does (in plain C, without a branch on the entries: its path for the plain-C kernel),
/// and lists the rows of the nonzero factors (a NaN is not zero), ascending, in
/// `listed_rows`, with those factors in `listed_factors` (room for `rows` each; both NULL:
/// not listed). Returns how many.
ptrdiff_t entstat_simplex_take_column_listing(double *column, double *factors, ptrdiff_t rows, ptrdiff_t row,
                                              int32_t *listed_rows, double *listed_factors);

#endif
