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

    /// As `wait`, at most until `deadline` (`CLOCK_REALTIME`); false once it has passed.
    func wait(until deadline: inout timespec) -> Bool {
        pthread_cond_timedwait(condition, mutex, &deadline) != ETIMEDOUT
    }

    /// Wakes every waiter.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
