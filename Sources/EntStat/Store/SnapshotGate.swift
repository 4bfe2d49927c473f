/// Where the store's reading threads take their snapshots, so that they do not keep the
/// write-ahead log from starting again.
///
/// SQLite starts the log again from its beginning only when no reader holds a snapshot
/// taken before a checkpoint copied the whole log (a snapshot taken after it reads the
/// database file only, and does not mind). A thread that reads batch after batch, each in
/// a read transaction of its own (`PersonDayDeriver`, while the writer stores the batch
/// before), nearly always holds such a snapshot when the writer commits: the log then
/// grew by all that the step wrote (from 1.9 to 8.5 GB in the figures per person and day of
/// the national month, session 62).
///
/// So when the writer waits for the log to start again (`WALCheckpointer`), it closes the
/// gate: the readers inside finish their read transaction, the others wait at the gate,
/// and once the checkpoint has copied the whole log the gate opens again. A reader must
/// never wait for the writer while it is inside (the writer waits for it, at most
/// `close(waitingAtMost:)`'s seconds); readers that cannot promise that (the rollups'
/// merging threads, which hold their snapshot while the writer takes their rows) simply do
/// not use the gate.
final class SnapshotGate: @unchecked Sendable {
    private let monitor = MutexCondition()
    private var closed = false
    private var inside = 0

    init() {}

    /// Runs `body`, one read transaction, once the gate is open.
    func reading<T>(_ body: () throws -> T) rethrows -> T {
        monitor.locked {
            while closed { monitor.wait() }
            inside += 1
        }
        defer {
            monitor.locked {
                inside -= 1
                if inside == 0 { monitor.broadcast() }
            }
        }
        return try body()
    }

    /// Closes the gate and waits for the readers inside to leave, at most `seconds` (a
    /// reader still inside then only makes the checkpoint copy less). The gate stays
    /// closed until `open()`.
    func close(waitingAtMost seconds: Double) {
        monitor.locked {
            closed = true
            monitor.wait(while: { inside > 0 }, atMost: seconds)
        }
    }

    /// Opens the gate: the readers waiting at it go in.
    func open() {
        monitor.locked {
            closed = false
            monitor.broadcast()
        }
    }
}
