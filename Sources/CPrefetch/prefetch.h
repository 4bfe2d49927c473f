// A hint to the CPU to load the cache line at an address ahead of its use (no effect on
// what a program computes). The sparse simplex tableau's pivot reads hundreds of columns
// scattered in memory, one after the other (`SimplexTableau`).
static inline void entstat_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
