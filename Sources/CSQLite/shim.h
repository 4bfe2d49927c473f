#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: the settings entstat needs.

/// SQLITE_CONFIG_MEMSTATUS: 0 stops SQLite counting its memory, which takes a global mutex
/// on every allocation. Must run before sqlite3_initialize.
static inline int entstat_sqlite3_config_memstatus(int on) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}

/// A virtual table of entstat (`RangeRowsTable`): SQLite's base struct, then the table's own
/// state (the connection's slot of rows, and where its last lookup by person started, from
/// which the next one searches: a query looks persons up in ascending order). SQLite only
/// knows the base.
typedef struct entstat_vtab {
    sqlite3_vtab base;
    void *slot;
    long long hint;
} entstat_vtab;

/// A cursor over such a table: SQLite's base struct, then the rows read (retained by the
/// cursor), the current and end row, and the source and feature ids it keeps: NULL for any,
/// otherwise one byte per text id of the rows, 1 for an id kept (an IN list keeps several;
/// allocated with sqlite3_malloc, freed by the cursor).
typedef struct entstat_vcursor {
    sqlite3_vtab_cursor base;
    void *rows;
    long long row;
    long long end;
    unsigned char *sources;
    unsigned char *features;
} entstat_vcursor;
