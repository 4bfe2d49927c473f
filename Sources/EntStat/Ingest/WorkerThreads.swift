#if canImport(Glibc)
import Glibc
#endif

/// A fixed set of plain threads running one body each, joined together. The parse stage
/// uses one per core; the calling thread stays free to write to the store.
final class WorkerThreads {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private var threads: [pthread_t] = []

    /// Threads that could be started (the system may refuse some).
    var startedCount: Int { threads.count }

    /// Starts `count` threads, each running `body(index)`; see `startedCount`.
    init(count: Int, body: @escaping @Sendable (Int) -> Void) {
        for index in 0..<count {
            let box = Unmanaged.passRetained(Body { body(index) }).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, box)
            if started == 0 {
                threads.append(thread)
            } else {
                Unmanaged<Body>.fromOpaque(box).release()
            }
        }
    }

    /// Waits for every thread to return.
    func join() {
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
    }

    /// Cores available to this process.
    static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
