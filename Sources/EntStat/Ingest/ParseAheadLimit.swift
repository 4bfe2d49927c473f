/// How many files the parse workers may hold at once, parsed or being parsed, that the
/// writer has not finished writing: a worker takes a place before it picks its next file
/// (`enter`), the writer gives one back after each file (`leave`).
///
/// A file's own channel is what bounds the memory of a large file (its worker waits as soon
/// as two batches wait for the writer). A small file's events all fit in its channel, so
/// its worker can go on with the next file without waiting for the writer to reach it; this
/// limit is then what keeps the memory flat. Without it, a worker that had parsed a small
/// file waited for the writer to come to it while the other parsed a large one, and the
/// writer waited for that one: one core busy of two.
final class ParseAheadLimit: @unchecked Sendable {
    private var free: Int
    private var closed = false
    private let monitor = MutexCondition()

    init(files: Int) {
        precondition(files > 0)
        free = files
    }

    /// Takes a place, waiting for one. False once `close()` was called.
    func enter() -> Bool {
        monitor.locked {
            while free == 0 && !closed { monitor.wait() }
            if closed { return false }
            free -= 1
            return true
        }
    }

    /// Gives a place back (the writer is done with a file).
    func leave() {
        monitor.locked {
            free += 1
            monitor.broadcast()
        }
    }

    /// Wakes every waiting worker and refuses every later `enter` (the run is over).
    func close() {
        monitor.locked {
            closed = true
            monitor.broadcast()
        }
    }
}
