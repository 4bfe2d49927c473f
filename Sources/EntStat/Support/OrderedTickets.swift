/// The indexes 0..<count of jobs whose results are consumed in index order, handed out one
/// at a time to the threads that share the jobs: a thread claims the next index as soon as
/// it is done with its last, so no thread waits for another's share to end (as fixed
/// rounds of jobs made it), and no index is handed out `window` or more past the first
/// whose result the consumer has not taken, so that at most `window` results wait in
/// memory however many jobs there are.
///
/// `RollupFigures.forEachPeriod` counts an export's periods this way, on two threads,
/// while the calling thread writes the periods counted.
final class OrderedTickets: @unchecked Sendable {
    private let count: Int
    private let window: Int
    private var next = 0
    private var consumed = 0
    private let monitor = MutexCondition()

    init(count: Int, window: Int) {
        precondition(count >= 0 && window > 0)
        self.count = count
        self.window = window
    }

    /// The next index, after waiting while it is `window` past the first result not
    /// consumed; nil once every index was handed out, or once `cancelled()` holds (asked
    /// every 10 ms while waiting: the consumer gave up).
    func claim(unless cancelled: () -> Bool) -> Int? {
        monitor.locked {
            while next < count && next >= consumed + window {
                if cancelled() { return nil }
                monitor.wait(while: { next >= consumed + window }, atMost: 0.01)
            }
            guard next < count, !cancelled() else { return nil }
            next += 1
            return next - 1
        }
    }

    /// The consumer has taken the results of every index below `index`.
    func consumed(below index: Int) {
        monitor.locked {
            consumed = max(consumed, index)
            monitor.broadcast()
        }
    }
}
