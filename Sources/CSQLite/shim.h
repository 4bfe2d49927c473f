#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: the one setting entstat needs.
/// SQLITE_CONFIG_STMTJRNL_SPILL: bytes of a statement journal kept in memory before it
/// spills to a temporary file (-1: always in memory). Must run before sqlite3_initialize.
static inline int entstat_sqlite3_config_stmtjrnl_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}

/// SQLITE_CONFIG_MEMSTATUS: 0 stops SQLite counting its memory, which takes a global mutex
/// on every allocation. Must run before sqlite3_initialize.
static inline int entstat_sqlite3_config_memstatus(int on) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}
