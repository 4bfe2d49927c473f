import Crypto

/// The ingest's parse stage alone, for the parse-floor benchmark (`bench/floor`): a file
/// parsed exactly as an ingest worker parses it (`LogFileParser`: inflate, SHA-256s,
/// lines, records, feature rules, pseudonyms, facts grouped by identity and day), with a
/// throwaway secret, its batches dropped instead of stored. What an ingest takes beyond
/// this is the store's. Not part of the command line.
@_spi(Benchmark) public enum ParseFloor {
    /// What the parse of one file gave.
    public struct Counts: Sendable {
        /// Non-blank lines of the file.
        public var lines = 0
        /// Lines that became facts (SPEC §2.2).
        public var qualifying = 0
        /// Identities met in the file, each counted once.
        public var identities = 0
        /// Timeline points of its batches, over every (identity, day).
        public var timelineEntries = 0
    }

    /// Parses `path` on the calling thread, a second thread taking its batches (as the
    /// writer takes them, two at most waiting), with the default rules. The batches are
    /// dropped, or appended to `facts` when given.
    public static func parse(path: String, appendingTo facts: FactAppender? = nil) throws(FileFailure) -> Counts {
        let rules = FeatureRules.standard, ingest = LogIngester.Options()
        let configuration = LogFileParser.Configuration(
            rules: rules, featureIDs: Array(rules.names.indices),
            pseudonymizer: Pseudonymizer(key: SymmetricKey(size: .bits256)),
            rejectThreshold: ingest.rejectThreshold, rejectSampleLimit: ingest.rejectSampleLimit,
            batchFacts: ingest.flushThreshold)
        let channel = BoundedChannel<ParsedFileEvent>(capacity: 2)
        let outcome = Outcome()
        let drainer = WorkerThreads(count: 1) { _ in
            var counts = Counts()
            // The file's identities, by their number in the file (`ParsedBatch`).
            var pseudonyms: [[UInt8]] = []
            while true {
                switch channel.receive(timeout: 1) {
                case .timedOut: continue
                case .finished: outcome.set(.success(counts)); return
                case .element(.opened): break
                case .element(.batch(let batch)):
                    counts.identities += batch.identities.count
                    counts.timelineEntries += batch.entries.count
                    if let facts {
                        precondition(batch.firstIdentity == pseudonyms.count)
                        pseudonyms.append(contentsOf: batch.identities.lazy.map(\.pseudonym))
                        do {
                            try facts.append(batch, pseudonyms: pseudonyms)
                        } catch {
                            outcome.set(.failure(.store(message: "\(error)"))); channel.cancel(); return
                        }
                    }
                case .element(.finished(let summary)):
                    counts.lines = summary.report.lines
                    counts.qualifying = summary.report.qualifying
                case .element(.failed(let failure)):
                    outcome.set(.failure(failure)); channel.cancel(); return
                }
            }
        }
        LogFileParser(configuration: configuration).parse(path: path, streamed: LogInput(path: path).isStream, into: channel) { _ in }
        drainer.join()
        return try outcome.get().get()
    }

    /// The drainer's result, handed to the calling thread after the join.
    private final class Outcome: @unchecked Sendable {
        private var result: Result<Counts, FileFailure> = .failure(.store(message: "pas de résultat"))
        func set(_ r: Result<Counts, FileFailure>) { result = r }
        func get() -> Result<Counts, FileFailure> { result }
    }

    /// The cheapest store of the facts there can be, for the floor's last stage: one SQLite
    /// connection with no journal and no fsync, one table with no index, and a row appended
    /// per (identity, day) of each batch: the identity's pseudonym, the day and its entries
    /// encoded as the ingest stores them (`TimelineEntry.encode`), 32 rows per statement,
    /// a transaction per batch. No identities table, no merge with stored days, nothing
    /// derived. The files parsed at once share it, one batch written at a time, as they
    /// share the ingest's one writer.
    public final class FactAppender: @unchecked Sendable {
        private let db: Database
        private var rows: MultiRowInsert
        private let lock = MutexCondition()
        /// Rows appended so far.
        public private(set) var appended = 0

        /// Creates the database at `path`, which must not exist.
        public init(path: String) throws {
            db = try Database(path: path)
            try db.execute("""
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE fact (pseudonym BLOB NOT NULL, day INTEGER NOT NULL, entries BLOB NOT NULL);
                """)
            rows = MultiRowInsert(db: db, table: "fact", columns: ["pseudonym", "day", "entries"])
        }

        /// Appends a row per (identity, day) of `batch`; `pseudonyms` are the file's
        /// identities so far, by their number in the file.
        func append(_ batch: ParsedBatch, pseudonyms: [[UInt8]]) throws {
            try lock.locked {
                try db.transaction {
                    for group in batch.groups {
                        try rows.add(pseudonyms[group.identity], group.day,
                                     TimelineEntry.encode(batch.entries[group.start..<group.end]))
                    }
                    try rows.flush()
                }
                appended += batch.groups.count
            }
        }
    }
}
