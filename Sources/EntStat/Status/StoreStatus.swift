/// What a store holds, for `entstat status`: date range per source, files, last run,
/// unresolved failures, retention, and coverage gaps.
public struct StoreStatus: Sendable {
    /// The days and volumes of one log source.
    public struct SourceRange: Sendable, Equatable {
        /// `access` or `events`, and its files ingested.
        public var source: String
        /// Its files in the ledger.
        public var files: Int
        /// Its first and last days with qualifying records (days since 1970-01-01, Paris).
        public var firstDay: Int?
        /// The last of those days.
        public var lastDay: Int?
        /// Its non-blank lines, and those that became facts.
        public var lines: Int
        /// Its lines that became facts.
        public var qualifying: Int
    }

    /// A file whose last attempt failed and that was not ingested since.
    public struct PendingFailure: Sendable, Equatable {
        /// The file, why it failed (the line printed then), and when (UTC).
        public var name: String
        /// The error line printed when it failed.
        public var reason: String
        /// When it failed (UTC).
        public var failedAt: String
    }

    /// The store's schema (`Migrations`).
    public var schemaVersion: Int
    /// Each log source's range and volumes.
    public var sources: [SourceRange]
    /// Each server's stream of files, and the gaps `CoverageCheck` finds in them.
    public var streams: [CoverageCheck.Stream]
    /// The gaps `CoverageCheck` found, by day then stream.
    public var gaps: [CoverageCheck.Gap]
    /// The latest `entstat ingest`, if any.
    public var lastRun: Store.RunRecord?
    /// Files that failed and were not ingested since.
    public var pendingFailures: [PendingFailure]
    /// First day still held per user, after a purge.
    public var purgeLimit: Int?
    /// First day with per-user activity.
    public var firstActivityDay: Int?
    /// Periods whose figures a purge froze (`frozen_figure`).
    public var frozenPeriods: Int
    /// The state of the figures computed from the facts (`Store.completePendingWork`).
    public var computation: Computation

    /// Whether the figures computed from the facts are up to date.
    public enum Computation: Sendable, Equatable {
        /// Nothing is queued.
        case done
        /// Work is queued and a writer holds the store's lock: it is computing.
        case running
        /// Work is queued and nobody is at it: an ingest, a purge or a rotation was
        /// interrupted (until the next ingest, rows of purged days may remain in the rollups).
        case interrupted
    }

    /// When the last rotation of the secret committed (UTC), if the store was not rewritten
    /// after it (`Store.rewriteAfterRotation`): old pseudonyms may survive in free pages.
    public var rotationRewritePending: String?

    /// Whether a writer (an ingest, a purge, a rotation) held the store's lock when the
    /// caller looked: what it has not committed yet is not in this status.
    public var writerAtWork: Bool

    /// True when an operator should look (gaps, files that still fail, figures left
    /// uncomputed by an interrupted run, a rotation whose rewrite is not done while no
    /// writer is at it).
    public var needsAttention: Bool {
        !gaps.isEmpty || !pendingFailures.isEmpty || computation == .interrupted || rotationRewriteMissing
    }

    /// True when the last rotation's rewrite is not done and no writer is at it (a writer
    /// may be the rotation itself, before its rewrite).
    public var rotationRewriteMissing: Bool { rotationRewritePending != nil && !writerAtWork }

    /// The most lines a log file's ledger row may count (2^48: a million years of a
    /// national ENT's logs); the totals of millions of files stay far within an `Int`.
    static let largestLineCount = 1 << 48

    /// Reads the status of a store.
    /// `writerAtWork`: whether a writer held the store's lock when the caller looked, before
    /// it opened the store (`StoreLock.isHeld`).
    public init(store: Store, check: CoverageCheck = CoverageCheck(), writerAtWork: Bool = false) throws {
        let db = store.db
        self.writerAtWork = writerAtWork
        schemaVersion = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
        var files: [CoverageCheck.File] = []
        let s = try db.prepare("SELECT name, source, qualifying, first_day, last_day, lines FROM ingested_file ORDER BY id")
        var ranges: [String: SourceRange] = [:]
        while try s.step() {
            // (A day no calendar holds, which only damage gives, would overflow the coverage's
            // arithmetic or make it walk billions of days: refused, as every reader does.)
            let f = CoverageCheck.File(name: s.text(0), source: s.text(1), qualifying: s.int(2),
                                       firstDay: s.isNull(3) ? nil : try StoredDay.checked(s.int(3), table: "ingested_file", path: store.path),
                                       lastDay: s.isNull(4) ? nil : try StoredDay.checked(s.int(4), table: "ingested_file", path: store.path))
            files.append(f)
            var r = ranges[f.source] ?? SourceRange(source: f.source, files: 0, firstDay: nil, lastDay: nil, lines: 0, qualifying: 0)
            r.files += 1
            // (A count no log can have, which only damage gives, would make the totals
            // overflow: refused, naming the file.)
            for count in [s.int(5), f.qualifying] where !(0...StoreStatus.largestLineCount).contains(count) {
                throw StoreError.damaged(path: store.path, table: "ingested_file",
                                         reason: "fichier « \(f.name) » : \(count) lignes, ce qu'aucun journal ne compte")
            }
            r.lines += s.int(5)
            r.qualifying += f.qualifying
            if let a = f.firstDay { r.firstDay = min(r.firstDay ?? a, a) }
            if let b = f.lastDay { r.lastDay = max(r.lastDay ?? b, b) }
            ranges[f.source] = r
        }
        sources = ranges.values.sorted { $0.source < $1.source }
        (streams, gaps) = check.run(files)
        lastRun = try store.lastRun()
        var pending: [PendingFailure] = []
        let failed = try db.prepare("""
            SELECT f.name, f.reason, f.failed_at FROM failed_file f
            WHERE f.id = (SELECT MAX(id) FROM failed_file g WHERE g.name = f.name)
              AND NOT EXISTS (SELECT 1 FROM ingested_file i WHERE i.name = f.name AND i.ingested_at >= f.failed_at)
              AND f.forgotten_at IS NULL
            ORDER BY f.name
            """)
        while try failed.step() { pending.append(PendingFailure(name: failed.text(0), reason: failed.text(1), failedAt: failed.text(2))) }
        pendingFailures = pending
        purgeLimit = try store.purgeLimit()
        firstActivityDay = try db.scalarInt("SELECT MIN(day) FROM timeline").map { Int($0) }
        frozenPeriods = Int(try db.scalarInt("SELECT COUNT(*) FROM frozen_period") ?? 0)
        rotationRewritePending = try store.rotationRewritePending()
        if try store.figuresAreComplete() {
            computation = .done
        } else {
            computation = writerAtWork ? .running : .interrupted
        }
    }
}
