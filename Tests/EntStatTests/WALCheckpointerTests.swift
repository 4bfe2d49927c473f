import Foundation
import Testing
@testable import EntStat

/// `WALCheckpointer` copies the writer's committed pages into the database file from its
/// own thread, and gives the writer back its automatic checkpoints when it stops.
@Suite struct WALCheckpointerTests {
    /// The size of the file at `path`, in bytes.
    static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }

    @Test func theWritersPagesReachTheDatabaseFileFromTheOtherThread() throws {
        let path = try TestSupport.makeTemporaryDirectory().appendingPathComponent("s.sqlite").path
        let writer = try Database(path: path)
        // The writer on its own would copy nothing before 1 000 pages of log.
        try writer.execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 1000;")
        try writer.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)")
        let emptySize = try Self.fileSize(path)

        let checkpointer = WALCheckpointer(writer: writer, pages: 16)
        // The writer's own checkpoints are off while the thread copies.
        #expect(try writer.scalarInt("PRAGMA wal_autocheckpoint") == 0)
        // Each commit writes more pages than wake the thread (20 rows of a page each): the
        // log restarts from its beginning when a transaction begins after a checkpoint has
        // copied all of it, and a last commit of fewer pages than that into a log just
        // restarted wakes nobody (its pages stay in the log, where readers find them, until
        // a later checkpoint). With 10 rows per commit
        // this test failed once in a full parallel run (presumably the checkpoint of the 19th
        // commit ended just before the 20th began); with a pause after each commit (each
        // checkpoint then ends before the next transaction), the 21st of 21 such commits
        // stays in the log.
        for commit in 0..<10 {
            try writer.execute("BEGIN")
            for row in 0..<20 {
                try writer.execute("INSERT INTO t(k, v) VALUES (\(commit * 20 + row), zeroblob(3000))")
            }
            try writer.execute("COMMIT")
        }
        let pages = try #require(try writer.scalarInt("PRAGMA page_count"))
        #expect(pages > 150)  // 200 rows of 3 000 bytes, one page each at least

        // Every page committed reaches the file; the thread works on its own time.
        let deadline = Date().addingTimeInterval(20)
        while try Self.fileSize(path) < Int(pages) * 4096 && Date() < deadline { usleep(10_000) }
        #expect(emptySize < 3 * 4096)
        #expect(try Self.fileSize(path) == Int(pages) * 4096)

        checkpointer.stop()
        #expect(try writer.scalarInt("PRAGMA wal_autocheckpoint") == Int64(Store.walAutocheckpointPages))
        let reader = try Database(path: path, readOnly: true)
        #expect(try reader.scalarInt("SELECT COUNT(*) FROM t") == 200)
        #expect(try reader.scalarInt("SELECT SUM(length(v)) FROM t") == 600_000)
    }

    /// A new database of 4 KiB pages in WAL mode, its log cut back to 256 KiB when it
    /// starts again, holding the empty table `t`: its path and its writer.
    static func storeOfSmallPages() throws -> (path: String, writer: Database) {
        let path = try TestSupport.makeTemporaryDirectory().appendingPathComponent("s.sqlite").path
        let writer = try Database(path: path)
        try writer.execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA journal_size_limit = 262144;")
        try writer.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)")
        return (path, writer)
    }

    /// 150 transactions of 20 rows of a page each into `t`, committed back to back: 3 000
    /// pages and more.
    static func commitBackToBack(_ writer: Database) throws {
        for commit in 0..<150 {
            try writer.execute("BEGIN")
            for row in 0..<20 {
                try writer.execute("INSERT INTO t(k, v) VALUES (\(commit * 20 + row), zeroblob(3000))")
            }
            try writer.execute("COMMIT")
        }
    }

    /// A writer that commits again at once, as the writer of a national ingest does, never
    /// begins a transaction on a log the thread has copied whole: without the bound, this
    /// log kept every page written (3 382 pages; 61 GB in a national month). With it, the commit that
    /// takes the log `restartPages` further waits for the thread's checkpoint, and the next
    /// transaction starts the log again from its beginning.
    @Test func theLogStartsAgainWhenTheWriterNeverWaits() throws {
        let (path, writer) = try Self.storeOfSmallPages()
        let checkpointer = WALCheckpointer(writer: writer, pages: 16, restartPages: 64)
        try Self.commitBackToBack(writer)
        let (waits, largest) = checkpointer.statistics
        checkpointer.stop()
        // The log never held more than the bound and one commit's pages (and its tree's
        // upper pages), against the 3 000 pages written; and the file was cut back to
        // journal_size_limit (256 KiB) when it restarted.
        #expect(waits >= 10)
        #expect(largest <= 64 + 40)
        #expect(try Self.fileSize(path + "-wal") <= 262_144 + 40 * 4096)
        let reader = try Database(path: path, readOnly: true)
        #expect(try reader.scalarInt("SELECT COUNT(*) FROM t") == 3_000)
        #expect(try reader.scalarInt("SELECT SUM(length(v)) FROM t") == 9_000_000)
    }

    /// A thread that reads in one read transaction after another, as the figures per person
    /// and day are read while the writer stores the batch before, nearly always holds a
    /// snapshot taken before the checkpoint the writer waits for: the log could not start
    /// again, and grew by all that was written (from 1.9 to 8.5 GB in the national month's
    /// figures per person and day). Taken at the `SnapshotGate` that the waiting commit
    /// closes, its snapshots no longer stand in the way. Both runs below have the same
    /// reader and writer; only the first gives the checkpointer the gate.
    @Test func aReaderAtTheGateLetsTheLogStartAgain() throws {
        let withGate = try Self.largestLog(readerAtTheGate: true)
        let without = try Self.largestLog(readerAtTheGate: false)
        // With the gate: the bound and one commit's pages, as with no reader at all.
        #expect(withGate.waits >= 10)
        #expect(withGate.largest <= 64 + 40)
        #expect(withGate.reads > 0)
        // Without it, the same reader kept the log growing far past the bound.
        #expect(without.largest > 4 * 64)
        #expect(without.reads > 0)
    }

    /// A reader counting the rows of `t` in one read transaction after another (1 ms each)
    /// while the writer commits 150 transactions of 20 pages: the log's largest size seen
    /// by a commit (pages), the commits that waited, and the reader's transactions.
    static func largestLog(readerAtTheGate: Bool) throws -> (largest: Int, waits: Int, reads: Int) {
        let (path, writer) = try Self.storeOfSmallPages()
        let gate = SnapshotGate()
        let checkpointer = WALCheckpointer(writer: writer, pages: 16, restartPages: 64,
                                           gate: readerAtTheGate ? gate : nil)
        final class Reader: @unchecked Sendable {
            let monitor = MutexCondition()
            var stop = false
            var reads = 0
            var failure: String?
        }
        let state = Reader()
        let reading = WorkerThreads(count: 1) { _ in
            do {
                let reader = try Database(path: path, readOnly: true)
                while !state.monitor.locked({ state.stop }) {
                    try gate.reading {
                        try reader.execute("BEGIN")
                        defer { try? reader.execute("COMMIT") }
                        _ = try reader.scalarInt("SELECT COUNT(*) FROM t")
                        usleep(1_000)
                    }
                    state.monitor.locked { state.reads += 1 }
                }
            } catch {
                state.monitor.locked { state.failure = "\(error)" }
            }
        }
        try #require(reading.startedCount == 1)
        // The reader's first snapshot is taken before the writer's first commit.
        while state.monitor.locked({ state.reads == 0 && state.failure == nil }) { usleep(100) }
        try Self.commitBackToBack(writer)
        state.monitor.locked { state.stop = true }
        reading.join()
        let (waits, largest) = checkpointer.statistics
        checkpointer.stop()
        #expect(state.failure == nil)
        #expect(try writer.scalarInt("SELECT COUNT(*) FROM t") == 3_000)
        return (largest, waits, state.monitor.locked { state.reads })
    }
}
