#if canImport(Glibc)
import Glibc
#endif

/// Runs independent jobs on several threads, each thread with its own context (for the
/// report: its own read-only connection to the store), and returns the results in job
/// order. The calling thread works too, with the context it passes in; the other threads
/// make theirs with `makeContext`. Jobs are taken in order from one shared counter, so
/// long jobs listed first keep both cores busy to the end.
///
/// When a job throws, no further job starts and the error of the lowest-numbered failed
/// job is rethrown (the same error a sequential run would have stopped at, when the jobs
/// before it succeed). A thread whose context cannot be made simply does not help.
///
/// `callerFirst` is other work of the calling thread, done while the other threads start
/// on the jobs (the caller then joins them): when it throws, no further job starts and
/// its error is rethrown.
enum ParallelJobs {
    static func run<Context, Result>(
        count: Int,
        threads: Int,
        callerContext: Context,
        makeContext: @escaping @Sendable () throws -> Context,
        callerFirst: () throws -> Void = {},
        job: @escaping @Sendable (Context, Int) throws -> Result
    ) throws -> [Result] {
        let state = SharedState<Result>(count: count)
        let helpers = max(0, min(threads, count) - 1)
        let workers = helpers > 0 ? WorkerThreads(count: helpers) { _ in
            guard let context = try? makeContext() else { return }
            state.drain { try job(context, $0) }
        } : nil
        do {
            try callerFirst()
        } catch {
            state.stop()
            workers?.join()
            throw error
        }
        // The caller's context is not Sendable: it stays on this thread.
        state.drain { try job(callerContext, $0) }
        workers?.join()
        return try state.results()
    }

    /// The job counter and the results, behind one mutex.
    private final class SharedState<Result>: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private var next = 0
        private var stopped = false
        private var slots: [Result?]
        private var failures: [(index: Int, error: Error)] = []

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
            pthread_mutex_init(mutex, nil)
        }

        deinit {
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
        }

        private func locked<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body()
        }

        /// No further job starts.
        func stop() {
            locked { stopped = true }
        }

        /// Takes jobs until none is left or one failed.
        func drain(_ run: (Int) throws -> Result) {
            while true {
                let index: Int? = locked {
                    guard !stopped, next < slots.count else { return nil }
                    next += 1
                    return next - 1
                }
                guard let index else { return }
                do {
                    let result = try run(index)
                    locked { slots[index] = result }
                } catch {
                    locked {
                        failures.append((index, error))
                        stopped = true
                    }
                }
            }
        }

        func results() throws -> [Result] {
            if let first = failures.min(by: { $0.index < $1.index }) { throw first.error }
            return slots.map { $0! }
        }
    }
}
