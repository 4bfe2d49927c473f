#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex and the condition its waiters sleep on: the lock and the wake-up of the
/// hand-overs between threads (`BoundedChannel`, `ParseAheadLimit`). `wait` and `broadcast`
/// are called with the mutex held, inside `locked`.
final class MutexCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the mutex.
    @inline(__always)
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Releases the mutex until woken by `broadcast`, then holds it again.
    func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// As `wait`, again and again while `waiting()` holds, but at most `seconds` from now
    /// (the clock is read only when there is something to wait for).
    func wait(while waiting: () -> Bool, atMost seconds: Double) {
        guard waiting() else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(seconds * 1e9)
        var deadline = timespec(tv_sec: now.tv_sec + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        while waiting() {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { return }
        }
    }

    /// Wakes every waiter.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
