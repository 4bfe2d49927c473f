import Foundation

/// Shared state of the worker threads: the next item to take, the totals, the first error.
final class WorkState: @unchecked Sendable {
    private let lock = NSCondition()
    private var nextItem = 0
    private var finished = 0
    private(set) var summary = SimulationSummary()
    private(set) var error: Error?

    /// The next item index, or nil when all are taken or a worker failed.
    func next(limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, nextItem < limit else { return nil }
        nextItem += 1
        return nextItem - 1
    }

    func add(_ s: SimulationSummary) {
        lock.lock(); summary.add(s); lock.unlock()
    }

    func fail(_ e: Error) {
        lock.lock(); if error == nil { error = e }; lock.unlock()
    }

    func finishWorker() {
        lock.lock(); finished += 1; lock.broadcast(); lock.unlock()
    }

    func waitForWorkers(_ count: Int) {
        lock.lock()
        while finished < count { lock.wait() }
        lock.unlock()
    }
}
