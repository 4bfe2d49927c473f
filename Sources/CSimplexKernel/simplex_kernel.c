// See simplex_kernel.h. No contraction of a product and a difference into one fused
// operation, whatever the compiler's default: the rounding must be the Swift loop's.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "simplex_kernel.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define ENTSTAT_X86 1
#endif

// One entry updated: x = entry − factor × pivot entry, a product then a difference, +0
// within 1e-12 of zero (the Swift loop's rounding; the vector kernels do the same per lane).
static inline double updated_entry(double entry, double factor, double pivot_entry) {
    double product = factor * pivot_entry;
    double x = entry - product;
    return (x < 1e-12 && x > -1e-12) ? 0.0 : x;
}

static void update_scalar(double *column, const double *factors, ptrdiff_t rows, double pivot_entry) {
    for (ptrdiff_t i = 0; i < rows; i++) {
        if (factors[i] != 0) column[i] = updated_entry(column[i], factors[i], pivot_entry);
    }
}

void entstat_simplex_update_listed(double *column, const int32_t *rows, const double *factors, ptrdiff_t count,
                                   double pivot_entry) {
    for (ptrdiff_t q = 0; q < count; q++) column[rows[q]] = updated_entry(column[rows[q]], factors[q], pivot_entry);
}

#ifdef ENTSTAT_X86
__attribute__((target("avx2")))
static void update_avx2(double *column, const double *factors, ptrdiff_t rows, double pivot_entry) {
    const __m256d pivot = _mm256_set1_pd(pivot_entry);
    const __m256d zero = _mm256_setzero_pd();
    const __m256d magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    const __m256d residue = _mm256_set1_pd(1e-12);
    ptrdiff_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        __m256d f = _mm256_loadu_pd(factors + i);
        __m256d updated = _mm256_cmp_pd(f, zero, _CMP_NEQ_UQ);
        __m256d old = _mm256_loadu_pd(column + i);
        __m256d x = _mm256_sub_pd(old, _mm256_mul_pd(f, pivot));
        __m256d small = _mm256_cmp_pd(_mm256_and_pd(x, magnitude), residue, _CMP_LT_OQ);
        __m256d kept = _mm256_andnot_pd(small, x);
        _mm256_storeu_pd(column + i, _mm256_blendv_pd(old, kept, updated));
    }
    update_scalar(column + i, factors + i, rows - i, pivot_entry);
}

__attribute__((target("avx512f")))
static inline void update_avx512_lanes(double *column, const double *factors, __mmask8 inside, __m512d pivot) {
    const __m512d zero = _mm512_setzero_pd();
    const __m512d residue = _mm512_set1_pd(1e-12);
    __m512d f = _mm512_maskz_loadu_pd(inside, factors);
    __mmask8 updated = _mm512_mask_cmp_pd_mask(inside, f, zero, _CMP_NEQ_UQ);
    __m512d old = _mm512_maskz_loadu_pd(inside, column);
    __m512d x = _mm512_sub_pd(old, _mm512_mul_pd(f, pivot));
    __mmask8 small = _mm512_cmp_pd_mask(_mm512_abs_pd(x), residue, _CMP_LT_OQ);
    _mm512_mask_storeu_pd(column, updated, _mm512_maskz_mov_pd((__mmask8)~small, x));
}

__attribute__((target("avx512f")))
static void update_avx512(double *column, const double *factors, ptrdiff_t rows, double pivot_entry) {
    const __m512d pivot = _mm512_set1_pd(pivot_entry);
    ptrdiff_t i = 0;
    for (; i + 8 <= rows; i += 8) update_avx512_lanes(column + i, factors + i, (__mmask8)0xff, pivot);
    if (i < rows) update_avx512_lanes(column + i, factors + i, (__mmask8)((1u << (rows - i)) - 1), pivot);
}
#endif

// Selects `chosen` where `mask` is all ones and `other` where it is zero, bit for bit and
// without a branch (a NaN or a −0 goes through as it is).
static inline double select_bits(uint64_t mask, double chosen, double other) {
    uint64_t a, b;
    memcpy(&a, &chosen, sizeof a);
    memcpy(&b, &other, sizeof b);
    uint64_t bits = (a & mask) | (b & ~mask);
    double result;
    memcpy(&result, &bits, sizeof result);
    return result;
}

// Without a branch on the entries: which of a row's entries are zero follows no pattern a
// branch predictor learns, and each miss threw away the loads that had been started ahead
// of it (each entry in its own cache line). An entry left out is written back as it was.
// The entry `ahead` columns on is asked for (for writing) before this one is read: each
// is in a cache line of its own, often last written by the other core's share of the
// previous pivot (`SimplexTeam`), and the loads the processor starts by itself, as far
// as its window of instructions reaches, were too few to hide that wait.
static ptrdiff_t divide_row_scalar(double *tableau, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t row, ptrdiff_t skipped,
                                   double pivot, int64_t *listed) {
    const ptrdiff_t ahead = 16;
    ptrdiff_t count = 0;
    for (ptrdiff_t j = 0; j < columns; j++) {
        double *entry = tableau + j * rows + row;
        if (j + ahead < columns) __builtin_prefetch(entry + ahead * rows, 1, 3);
        double x = *entry;
        uint64_t divided = (uint64_t)0 - (uint64_t)((x != 0) & (j != skipped));
        *entry = select_bits(divided, x / pivot, x);
        listed[count] = j;
        count += (ptrdiff_t)(divided & 1);
    }
    return count;
}

ptrdiff_t entstat_simplex_take_column_listing(double *column, double *factors, ptrdiff_t rows, ptrdiff_t row,
                                              int32_t *listed_rows, double *listed_factors) {
    ptrdiff_t count = 0;
    for (ptrdiff_t i = 0; i < rows; i++) {
        double f = column[i];
        uint64_t kept = (uint64_t)0 - (uint64_t)(i == row);
        uint64_t taken = (uint64_t)0 - (uint64_t)((f != 0) & (i != row));
        factors[i] = select_bits(kept, 0.0, f);
        column[i] = select_bits(taken, 0.0, f);
        if (listed_rows != NULL) {
            listed_rows[count] = (int32_t)i;
            listed_factors[count] = f;
        }
        count += (ptrdiff_t)(taken & 1);
    }
    return count;
}

#ifdef ENTSTAT_X86
__attribute__((target("avx512f")))
static ptrdiff_t divide_row_avx512(double *tableau, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t row, ptrdiff_t skipped,
                                   double pivot, int64_t *listed) {
    const __m512d divisor = _mm512_set1_pd(pivot);
    const __m512d zero = _mm512_setzero_pd();
    const __m512i eight = _mm512_set1_epi64(8);
    const __m512i stride = _mm512_set1_epi64(8 * (int64_t)rows);
    const __m512i left = _mm512_set1_epi64(skipped);
    const int64_t m = rows, r = row;
    __m512i j = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    __m512i index = _mm512_set_epi64(7 * m + r, 6 * m + r, 5 * m + r, 4 * m + r, 3 * m + r, 2 * m + r, m + r, r);
    ptrdiff_t count = 0;
    for (ptrdiff_t j0 = 0; j0 < columns; j0 += 8) {
        __mmask8 inside = columns - j0 >= 8 ? (__mmask8)0xff : (__mmask8)((1u << (columns - j0)) - 1);
        inside &= (__mmask8)~_mm512_cmpeq_epi64_mask(j, left);
        __m512d v = _mm512_mask_i64gather_pd(zero, inside, index, tableau, 8);
        __mmask8 nonzero = _mm512_mask_cmp_pd_mask(inside, v, zero, _CMP_NEQ_UQ);
        if (nonzero) {
            _mm512_mask_i64scatter_pd(tableau, nonzero, index, _mm512_div_pd(v, divisor), 8);
            _mm512_mask_compressstoreu_epi64(listed + count, nonzero, j);
            count += __builtin_popcount(nonzero);
        }
        j = _mm512_add_epi64(j, eight);
        index = _mm512_add_epi64(index, stride);
    }
    return count;
}

__attribute__((target("avx512f")))
static ptrdiff_t take_column_avx512(double *column, double *factors, ptrdiff_t rows, ptrdiff_t row) {
    const __m512d zero = _mm512_setzero_pd();
    ptrdiff_t count = 0;
    for (ptrdiff_t i = 0; i < rows; i += 8) {
        __mmask8 inside = rows - i >= 8 ? (__mmask8)0xff : (__mmask8)((1u << (rows - i)) - 1);
        __mmask8 kept = row >= i && row < i + 8 ? (__mmask8)(1u << (row - i)) : (__mmask8)0;
        __mmask8 moved = inside & (__mmask8)~kept;
        __m512d f = _mm512_maskz_loadu_pd(moved, column + i);
        _mm512_mask_storeu_pd(factors + i, inside, f);
        __mmask8 nonzero = _mm512_mask_cmp_pd_mask(moved, f, zero, _CMP_NEQ_UQ);
        _mm512_mask_storeu_pd(column + i, nonzero, zero);
        count += __builtin_popcount(nonzero);
    }
    return count;
}

// The take four rows an instruction, without lists: every entry copied to its factor, each
// nonzero one (a NaN is not zero) replaced by +0 in the column, a −0 left where it is; then
// row `row` set back (its entry kept, its factor +0). The same bits and count as
// `entstat_simplex_take_column_listing`. Both of its stores go to lines the other core
// often holds (the column, updated by its share of the previous pivot; the factors, which
// it read): a store of four entries waits for its line as one of one entry does, so four
// times as many of those waits overlap before the processor's queue of stores is full.
__attribute__((target("avx2")))
static ptrdiff_t take_column_avx2(double *column, double *factors, ptrdiff_t rows, ptrdiff_t row) {
    const __m256d zero = _mm256_setzero_pd();
    const int keeps = row >= 0 && row < rows;
    const double kept = keeps ? column[row] : 0.0;
    ptrdiff_t count = 0, i = 0;
    for (; i + 4 <= rows; i += 4) {
        __m256d f = _mm256_loadu_pd(column + i);
        __m256d nonzero = _mm256_cmp_pd(f, zero, _CMP_NEQ_UQ);
        _mm256_storeu_pd(factors + i, f);
        _mm256_storeu_pd(column + i, _mm256_blendv_pd(f, zero, nonzero));
        count += __builtin_popcount((unsigned)_mm256_movemask_pd(nonzero));
    }
    for (; i < rows; i++) {
        double f = column[i];
        factors[i] = f;
        if (f != 0) { column[i] = 0.0; count++; }
    }
    if (keeps) {
        factors[row] = 0.0;
        column[row] = kept;
        count -= kept != 0;
    }
    return count;
}
#endif

ptrdiff_t entstat_simplex_divide_row(entstat_simplex_kernel kernel, double *tableau, ptrdiff_t rows, ptrdiff_t columns,
                                     ptrdiff_t row, ptrdiff_t skipped, double pivot, int64_t *listed) {
#ifdef ENTSTAT_X86
    if (kernel == ENTSTAT_SIMPLEX_AVX512) return divide_row_avx512(tableau, rows, columns, row, skipped, pivot, listed);
#endif
    (void)kernel;
    return divide_row_scalar(tableau, rows, columns, row, skipped, pivot, listed);
}

ptrdiff_t entstat_simplex_take_column(entstat_simplex_kernel kernel, double *column, double *factors, ptrdiff_t rows,
                                      ptrdiff_t row) {
#ifdef ENTSTAT_X86
    if (kernel == ENTSTAT_SIMPLEX_AVX512) return take_column_avx512(column, factors, rows, row);
    if (kernel == ENTSTAT_SIMPLEX_AVX2) return take_column_avx2(column, factors, rows, row);
#endif
    (void)kernel;
    return entstat_simplex_take_column_listing(column, factors, rows, row, NULL, NULL);
}

int entstat_simplex_kernel_available(entstat_simplex_kernel kernel) {
    switch (kernel) {
    case ENTSTAT_SIMPLEX_SCALAR: return 1;
#ifdef ENTSTAT_X86
    case ENTSTAT_SIMPLEX_AVX2: __builtin_cpu_init(); return __builtin_cpu_supports("avx2");
    case ENTSTAT_SIMPLEX_AVX512: __builtin_cpu_init(); return __builtin_cpu_supports("avx512f");
#endif
    default: return 0;
    }
}

entstat_simplex_kernel entstat_simplex_kernel_best(void) {
    if (entstat_simplex_kernel_available(ENTSTAT_SIMPLEX_AVX512)) return ENTSTAT_SIMPLEX_AVX512;
    if (entstat_simplex_kernel_available(ENTSTAT_SIMPLEX_AVX2)) return ENTSTAT_SIMPLEX_AVX2;
    return ENTSTAT_SIMPLEX_SCALAR;
}

void entstat_simplex_update_column(entstat_simplex_kernel kernel, double *column, const double *factors,
                                   ptrdiff_t rows, double pivot_entry) {
    switch (kernel) {
#ifdef ENTSTAT_X86
    case ENTSTAT_SIMPLEX_AVX512: update_avx512(column, factors, rows, pivot_entry); return;
    case ENTSTAT_SIMPLEX_AVX2: update_avx2(column, factors, rows, pivot_entry); return;
#endif
    default: update_scalar(column, factors, rows, pivot_entry); return;
    }
}
