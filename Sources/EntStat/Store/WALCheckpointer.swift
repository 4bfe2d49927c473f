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
final class WALCheckpointer {
    /// What the writer's commits wake the thread with: a request waiting in `signal` (one
    /// is enough: a checkpoint copies every page committed before it starts).
    private final class Wakeup: @unchecked Sendable {
        let signal = BoundedChannel<Void>(capacity: 1)
        /// Pages in the log from which a commit wakes the thread.
        let pages: Int32

        init(pages: Int32) { self.pages = pages }
    }

    /// The thread's own connection, handed to it once.
    private final class Connection: @unchecked Sendable {
        let database: Database
        init(_ database: Database) { self.database = database }
    }

    private let wakeup: Wakeup
    private let thread: WorkerThreads
    private let writer: Database
    private let context: UnsafeMutableRawPointer
    private var stopped = false

    /// Starts checkpointing `writer`'s database on another thread. When the thread or its
    /// connection cannot be had, the writer keeps its automatic checkpoints.
    init(writer: Database, pages: Int = Store.walAutocheckpointPages) {
        self.writer = writer
        let wakeup = Wakeup(pages: Int32(clamping: pages))
        self.wakeup = wakeup
        let path = writer.path
        context = Unmanaged.passRetained(wakeup).toOpaque()
        // A connection knows its database is in WAL mode once it has read it.
        let connection = (try? Database(path: path)).flatMap { database in
            (try? database.execute("SELECT count(*) FROM sqlite_schema")).map { Connection(database) }
        }
        thread = WorkerThreads(count: connection == nil ? 0 : 1) { _ in
            guard let connection = connection?.database else { return }
            // A checkpoint that fails (a full disk) leaves its pages in the log, where every
            // reader finds them, until a later checkpoint copies them: this thread's next
            // one, the writer's, or the next run's.
            while true {
                switch wakeup.signal.receive(timeout: 3600) {
                case .element: _ = try? connection.passiveCheckpoint()
                case .timedOut: continue
                case .finished: return
                }
            }
        }
        guard thread.startedCount == 1 else { return }
        // Replaces the automatic checkpoint, which SQLite implements with the same hook.
        sqlite3_wal_hook(writer.handle, { raw, _, _, pages in
            let wakeup = Unmanaged<Wakeup>.fromOpaque(raw!).takeUnretainedValue()
            if pages >= wakeup.pages { wakeup.signal.offer(()) }
            return SQLITE_OK
        }, context)
    }

    /// Stops the thread (after the checkpoint it is running or was asked for) and gives the
    /// writer back its automatic checkpoints.
    func stop() {
        guard !stopped else { return }
        stopped = true
        sqlite3_wal_autocheckpoint(writer.handle, Int32(Store.walAutocheckpointPages))
        wakeup.signal.finish()
        thread.join()
    }

    deinit {
        stop()
        Unmanaged<Wakeup>.fromOpaque(context).release()
    }
}
