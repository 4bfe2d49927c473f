import CSQLite

/// A thread that copies the committed pages of the write-ahead log into the database file
/// (a passive checkpoint) on its own connection, while the writer goes on writing.
///
/// Without it, SQLite checkpoints on the writer's thread, inside the commit that takes the
/// log past `wal_autocheckpoint` pages: every page an ingest writes is copied a second time
/// by the one thread that all the store's writes wait for. While a checkpointer runs, the
/// writer's commits wake it up when the log holds as many pages as would have started an
/// automatic checkpoint; the writer's automatic checkpoints are back when it stops.
///
/// Every commit wakes it while the log is that long, not once per so many new pages: the
/// log starts again from its beginning only when a transaction begins after a checkpoint
/// has copied all of it, so the sooner each commit is copied, the sooner the log restarts.
/// Woken once per 16 384 new pages instead, the log of the school year's 7 419 files
/// hardly ever restarted, and every page read had to be looked up in a longer log: 61 →
/// 74 s and 86 → 105 s of CPU, for 14.0 → 12.4 GB written (pages that every commit
/// changes, the upper pages of the B-trees, are copied once per commit).
///
/// A passive checkpoint blocks neither the writer nor readers, and copies only committed
/// pages that no reader's snapshot still needs, so what a reader or a crash sees is the
/// same as with the writer's own checkpoints: the log stays the journal of everything not
/// yet copied.
///
/// **The log's size is bounded.** A writer that never waits (a national month: thousands
/// of files, the parse workers always ahead) begins each transaction right after its
/// commit, before the thread has copied that commit: the log then never restarts, and
/// grew to 61 GB in 20 minutes beside a store of 6 GB, until the disk was full (SQLite's
/// code 13, « disque plein », where 70 GB had been free when the run began). So once the log holds
/// `restartPages` pages more than when the writer last waited, the commit that finds it so
/// waits (in the hook, its transaction closed) for a checkpoint that began after it: with
/// no reader's snapshot in the way, that checkpoint copies the whole log, the writer's
/// next transaction begins on a copied log and starts it again from its beginning, and
/// `journal_size_limit` cuts the file back. A reader's snapshot taken before that
/// checkpoint would keep it from copying everything: the store's reading threads that
/// read batch by batch take theirs at a `SnapshotGate`, which the waiting commit closes
/// until the checkpoint is done (a national month's figures per person and day grew the
/// log to 8.5 GB without it). Another reader's snapshot (a merging thread of the rollups,
/// another process) can still keep the log from restarting: the writer then goes on, and
/// waits again only after another `restartPages` pages.
final class WALCheckpointer {
    /// What the writer's commits and the thread share, under `monitor`.
    private final class Shared: @unchecked Sendable {
        let monitor = MutexCondition()
        /// Pages in the log from which a commit wakes the thread.
        let pages: Int32
        /// Pages the log may grow by before a commit waits for its checkpoint.
        let restartPages: Int32
        /// Checkpoints asked for by the writer's commits, counted since the start.
        var requested = 0
        /// The value of `requested` when the last finished checkpoint began: every commit
        /// that had asked by then is copied, as far as readers allowed.
        var completed = 0
        /// The log's pages at which the next commit waits.
        var waitAt: Int32
        /// The log's pages at the previous commit (fewer now: the log restarted).
        var previousPages: Int32 = 0
        /// Commits that waited for a checkpoint (`waits`), and the log's largest size seen.
        var waits = 0
        var largestPages: Int32 = 0
        var stopping = false

        /// Where the store's reading threads take their snapshots (`SnapshotGate`).
        let gate: SnapshotGate?

        init(pages: Int32, restartPages: Int32, gate: SnapshotGate?) {
            self.pages = pages
            self.restartPages = restartPages
            self.gate = gate
            waitAt = restartPages
        }

        /// Called by the writer's commit with the log's pages: wakes the thread, and waits
        /// for its checkpoint when the log has grown by `restartPages` since the last wait.
        /// (Only the writer's thread reads and writes `waitAt` and `previousPages`.)
        func committed(pages logPages: Int32) {
            if logPages < previousPages { waitAt = restartPages }
            previousPages = logPages
            guard logPages >= pages else { return }
            // Before the checkpoint it waits for, the readers that use the gate leave the
            // snapshots that would keep it from copying the whole log; those that come
            // after it read the database file only. At most a minute each: a reader or a
            // checkpoint that takes longer is not worth a stalled writer.
            let waiting = logPages >= waitAt
            if waiting { gate?.close(waitingAtMost: 60) }
            defer { if waiting { gate?.open() } }
            monitor.locked {
                largestPages = max(largestPages, logPages)
                requested += 1
                monitor.broadcast()
                guard waiting, !stopping else { return }
                let mine = requested
                waits += 1
                monitor.wait(while: { completed < mine && !stopping }, atMost: 60)
                waitAt = logPages + restartPages
            }
        }

        /// The thread's loop: one passive checkpoint per wake-up, until `stop`.
        func run(_ connection: Database) {
            while true {
                let target: Int? = monitor.locked {
                    while requested == completed && !stopping { monitor.wait() }
                    return requested == completed ? nil : requested
                }
                guard let target else { return }
                // A checkpoint that fails (a full disk) leaves its pages in the log, where
                // every reader finds them, until a later checkpoint copies them: this
                // thread's next one, the writer's, or the next run's.
                _ = try? connection.passiveCheckpoint()
                monitor.locked {
                    completed = target
                    monitor.broadcast()
                }
            }
        }
    }

    /// The thread's own connection, handed to it once.
    private final class Connection: @unchecked Sendable {
        let database: Database
        init(_ database: Database) { self.database = database }
    }

    private let shared: Shared
    private let thread: WorkerThreads
    private let writer: Database
    private let context: UnsafeMutableRawPointer
    private var stopped = false

    /// Starts checkpointing `writer`'s database on another thread: woken by each commit
    /// from `pages` pages of log, and waited for by a commit each time the log has grown by
    /// `restartPages` (by default, `Store.walSizeLimit` in pages of the store's size), the
    /// readers that take their snapshots at `gate` kept out of the way meanwhile. When the
    /// thread or its connection cannot be had, the writer keeps its automatic checkpoints.
    init(writer: Database, pages: Int = Store.walAutocheckpointPages, restartPages: Int? = nil,
         gate: SnapshotGate? = nil) {
        self.writer = writer
        let pageSize = (try? writer.scalarInt("PRAGMA page_size")).flatMap { $0 } ?? Int64(Store.pageSize)
        let restart = restartPages ?? max(pages, Store.walSizeLimit / Int(max(pageSize, 512)))
        let shared = Shared(pages: Int32(clamping: pages), restartPages: Int32(clamping: restart), gate: gate)
        self.shared = shared
        let path = writer.path
        context = Unmanaged.passRetained(shared).toOpaque()
        // A connection knows its database is in WAL mode once it has read it.
        let connection = (try? Database(path: path)).flatMap { database in
            (try? database.execute("SELECT count(*) FROM sqlite_schema")).map { Connection(database) }
        }
        thread = WorkerThreads(count: connection == nil ? 0 : 1) { _ in
            guard let connection = connection?.database else { return }
            shared.run(connection)
        }
        guard thread.startedCount == 1 else { return }
        // Replaces the automatic checkpoint, which SQLite implements with the same hook.
        // SQLite calls it once the commit is done and the transaction closed.
        sqlite3_wal_hook(writer.handle, { raw, _, _, pages in
            Unmanaged<Shared>.fromOpaque(raw!).takeUnretainedValue().committed(pages: pages)
            return SQLITE_OK
        }, context)
    }

    /// How often a commit waited for the thread's checkpoint, and the log's largest size
    /// seen by a commit that woke it (in pages).
    var statistics: (waits: Int, largestPages: Int) {
        shared.monitor.locked { (shared.waits, Int(shared.largestPages)) }
    }

    /// Stops the thread (after the checkpoint it is running or was asked for) and gives the
    /// writer back its automatic checkpoints.
    func stop() {
        guard !stopped else { return }
        stopped = true
        sqlite3_wal_autocheckpoint(writer.handle, Int32(Store.walAutocheckpointPages))
        shared.monitor.locked {
            shared.stopping = true
            shared.monitor.broadcast()
        }
        thread.join()
    }

    deinit {
        stop()
        Unmanaged<Shared>.fromOpaque(context).release()
    }
}
