// See simplex_team.h. This file only shares the work out: each column's arithmetic is
// simplex_kernel.c's.

#include "simplex_team.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define ENTSTAT_PAUSE() _mm_pause()
#else
#define ENTSTAT_PAUSE() ((void)0)
#endif

// A pivot's columns, in chunks of about `CHUNK_ENTRIES` updated entries each, are claimed
// one chunk at a time by either thread through one counter, `ticket`: the chunks' count in
// its bits 20–39, the next chunk to claim in its bits 0–19. A thread that finds no chunk
// left claims none; the thread that pivots waits only for the chunks the helper has
// claimed, never for a helper that is late or asleep.
#define CHUNK_ENTRIES 4096
#define NEXT(t) ((int64_t)((t) & 0xfffff))
#define CHUNKS(t) ((int64_t)(((t) >> 20) & 0xfffff))
#define MAX_CHUNKS ((1 << 20) - 4)
// How many rounds an idle helper waits for work, a pause instruction each (about 40 ns on
// this kind of machine: some 200 µs), before it sleeps until offered work again; every
// `YIELD_ROUNDS` rounds it lets another thread of the machine run, if one is waiting.
#define SPIN_ROUNDS 5000
#define YIELD_ROUNDS 64

typedef struct {
    entstat_simplex_kernel kernel;
    double *tableau;
    ptrdiff_t rows, row;
    const int64_t *columns;
    ptrdiff_t count, per_chunk;
    const double *factors;
    const int32_t *listed_rows;
    const double *listed_factors;
    ptrdiff_t listed_count;
} job_t;

struct entstat_simplex_team {
    _Atomic uint64_t ticket;
    // How many chunks the helper has finished of the current pivot.
    _Atomic int64_t done;
    // Whether a thread is pivoting with the team (another does its pivot alone).
    _Atomic int busy;
    _Atomic int sleeping;
    _Atomic int64_t helped;
    job_t job;
    // How many chunks the current pivot offered.
    int64_t chunks;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
};

static int64_t run_chunk(const job_t *job, int64_t k) {
    ptrdiff_t first = (ptrdiff_t)k * job->per_chunk;
    ptrdiff_t end = first + job->per_chunk < job->count ? first + job->per_chunk : job->count;
    for (ptrdiff_t c = first; c < end; c++) {
        double *column = job->tableau + job->columns[c] * job->rows;
        double pivot_entry = column[job->row];
        if (job->listed_rows == NULL) {
            entstat_simplex_update_column(job->kernel, column, job->factors, job->rows, pivot_entry);
        } else {
            entstat_simplex_update_listed(column, job->listed_rows, job->listed_factors, job->listed_count, pivot_entry);
        }
    }
    return end - first;
}

static int has_work(uint64_t ticket) { return NEXT(ticket) < CHUNKS(ticket); }

static void *helper_main(void *argument) {
    entstat_simplex_team *team = argument;
    int idle = 0;
    for (;;) {
        if (has_work(atomic_load_explicit(&team->ticket, memory_order_acquire))) {
            uint64_t claimed = atomic_fetch_add_explicit(&team->ticket, 1, memory_order_acq_rel);
            if (has_work(claimed)) {
                int64_t columns = run_chunk(&team->job, NEXT(claimed));
                atomic_fetch_add_explicit(&team->helped, columns, memory_order_relaxed);
                atomic_fetch_add_explicit(&team->done, 1, memory_order_release);
            }
            idle = 0;
            continue;
        }
        if (++idle < SPIN_ROUNDS) {
            if (idle % YIELD_ROUNDS == 0) sched_yield();
            else ENTSTAT_PAUSE();
            continue;
        }
        // Asleep until offered work: `sleeping` is set before the ticket is read again, and
        // the pivoting thread sets the ticket before it reads `sleeping` (both sequentially
        // consistent), so one of them sees the other.
        pthread_mutex_lock(&team->lock);
        atomic_store(&team->sleeping, 1);
        while (!has_work(atomic_load(&team->ticket))) pthread_cond_wait(&team->wake, &team->lock);
        atomic_store(&team->sleeping, 0);
        pthread_mutex_unlock(&team->lock);
        idle = 0;
    }
    return NULL;
}

entstat_simplex_team *entstat_simplex_team_start(void) {
    entstat_simplex_team *team = calloc(1, sizeof *team);
    if (team == NULL) return NULL;
    atomic_init(&team->ticket, 0);
    atomic_init(&team->done, 0);
    atomic_init(&team->busy, 0);
    atomic_init(&team->sleeping, 0);
    atomic_init(&team->helped, 0);
    if (pthread_mutex_init(&team->lock, NULL) != 0) {
        free(team);
        return NULL;
    }
    if (pthread_cond_init(&team->wake, NULL) != 0) {
        pthread_mutex_destroy(&team->lock);
        free(team);
        return NULL;
    }
    if (pthread_create(&team->thread, NULL, helper_main, team) != 0) {
        pthread_cond_destroy(&team->wake);
        pthread_mutex_destroy(&team->lock);
        free(team);
        return NULL;
    }
    pthread_detach(team->thread);
    return team;
}

int entstat_simplex_team_begin(entstat_simplex_team *team, entstat_simplex_kernel kernel, double *tableau,
                               ptrdiff_t rows, ptrdiff_t row, int64_t *columns, ptrdiff_t count,
                               const double *factors, const int32_t *listed_rows, const double *listed_factors,
                               ptrdiff_t listed_count, int64_t first) {
    ptrdiff_t per_column = listed_rows == NULL ? rows : listed_count;
    ptrdiff_t per_chunk = per_column >= CHUNK_ENTRIES ? 1 : CHUNK_ENTRIES / (per_column > 0 ? per_column : 1);
    // Column `first`, if listed, moved last: this thread updates it before it returns, and
    // offers the others.
    ptrdiff_t offered = count;
    for (ptrdiff_t k = 0; first >= 0 && k < count; k++) {
        if (columns[k] == first) {
            columns[k] = columns[count - 1];
            columns[count - 1] = first;
            offered = count - 1;
            break;
        }
    }
    job_t job = {kernel, tableau, rows, row, columns, offered, per_chunk, factors, listed_rows, listed_factors, listed_count};
    int64_t chunks = ((int64_t)offered + per_chunk - 1) / per_chunk;
    if (team == NULL || chunks < 2 || chunks > MAX_CHUNKS || atomic_exchange(&team->busy, 1) != 0) {
        // Alone: every column, `first` among them, before returning.
        job.count = count;
        int64_t every = ((int64_t)count + per_chunk - 1) / per_chunk;
        for (int64_t k = 0; k < every; k++) run_chunk(&job, k);
        return 0;
    }
    team->job = job;
    team->chunks = chunks;
    atomic_store_explicit(&team->done, 0, memory_order_relaxed);
    atomic_store(&team->ticket, (uint64_t)chunks << 20);
    if (atomic_load(&team->sleeping)) {
        pthread_mutex_lock(&team->lock);
        pthread_cond_signal(&team->wake);
        pthread_mutex_unlock(&team->lock);
    }
    if (offered < count) {
        job_t last = job;
        last.columns = columns + offered;
        last.count = 1;
        last.per_chunk = 1;
        run_chunk(&last, 0);
    }
    return 1;
}

void entstat_simplex_team_finish(entstat_simplex_team *team) {
    int64_t mine = 0;
    for (;;) {
        uint64_t claimed = atomic_fetch_add_explicit(&team->ticket, 1, memory_order_acq_rel);
        if (!has_work(claimed)) break;
        run_chunk(&team->job, NEXT(claimed));
        mine++;
    }
    while (atomic_load_explicit(&team->done, memory_order_acquire) + mine < team->chunks) ENTSTAT_PAUSE();
    atomic_store_explicit(&team->busy, 0, memory_order_release);
}

int64_t entstat_simplex_team_helped(const entstat_simplex_team *team) {
    return team == NULL ? 0 : atomic_load_explicit(&((entstat_simplex_team *)team)->helped, memory_order_relaxed);
}
