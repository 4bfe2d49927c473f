import EntStat
import Foundation

/// Shared state of the worker threads: the next item to take, the totals, the first error.
final class WorkState: @unchecked Sendable {
    private let lock = NSCondition()
    private var nextItem = 0
    private var finished = 0
    private(set) var summary = SimulationSummary()
    private(set) var error: Error?
    private var done = 0
    private var shownPercent = -1
    /// Total items and whether to print progress on standard error.
    var total = 0
    var progress = false

    /// The next item index, or nil when all are taken or a worker failed.
    func next(limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, nextItem < limit else { return nil }
        nextItem += 1
        return nextItem - 1
    }

    func add(_ s: SimulationSummary) {
        lock.lock()
        summary.add(s)
        done += 1
        let percent = total > 0 ? done * 100 / total : 100
        if progress, percent != shownPercent {
            shownPercent = percent
            let line = "\rsimulate : \(percent) % (\(FrenchText.integer(summary.lines)) lignes)" + (done == total ? "\n" : "")
            FileHandle.standardError.write(Data(line.utf8))
        }
        lock.unlock()
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
