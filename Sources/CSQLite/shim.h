#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: the settings entstat needs.

/// SQLITE_CONFIG_MEMSTATUS: 0 stops SQLite counting its memory, which takes a global mutex
/// on every allocation. Must run before sqlite3_initialize.
static inline int entstat_sqlite3_config_memstatus(int on) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}
