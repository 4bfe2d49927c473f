#if canImport(Glibc)
import Glibc
#endif

/// Elapsed-time measurements (durations, timeouts, rates) that wall-clock changes cannot skew.
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point (CLOCK_MONOTONIC).
    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
