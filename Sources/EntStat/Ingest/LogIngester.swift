import Synchronization

/// Streams log files into the store, each file in one transaction or savepoint (call
/// `Store.completePendingWork()` once the files are in, to bring the figures up to date).
///
/// Two stages run at once: parse workers, one per core (`LogFileParser`: bytes → lines →
/// records → pseudonymised facts grouped by identity and day), and this writer, on the
/// calling thread, the only one that touches the store (identities, timelines, the queue
/// of (person, day) pairs to recompute, the ledger). Files are written in the order given,
/// whatever order the workers finish them in; each worker can run at most two batches
/// of a large file, or eight small files (`ParseAheadLimit`), ahead of the writer, so
/// memory stays flat. With fewer files than workers, each file is inflated on a thread of
/// its own while its worker parses (`ReadAheadDecoder`), so one large file keeps two cores
/// busy.
///
/// A file either lands whole, with its ledger row, or not at all: a read error, a broken
/// gzip stream or more than 5 % rejected lines roll it back. A file whose bytes are already
/// in the ledger is skipped.
///
/// Small files share a transaction (`Options.groupBytes`), each in a savepoint of its
/// own: a failed file is rolled back to its savepoint, and the files before and after it
/// in the group still land. Each file's report is handed over once the transaction that
/// holds it is committed, so a file reported as ingested is in the store; if that
/// transaction is lost (its commit fails, or a savepoint cannot be rolled back), every file
/// of it is reported as failed. (One commit per file wrote every page a file touched
/// again: 10.8 GB for the school year's 7 444 files of 1.3 MB of text, 3.0 GB with one
/// commit per 16 MiB of them.) Their timeline points wait in memory for the commit
/// (`BufferedTimelines`), which writes each (identity, day) of them once.
public final class LogIngester {
    /// Tunables of an ingest run.
    public struct Options: Sendable {
        /// How requests are classified into features (SPEC §2.3; `--rules`).
        public var rules: FeatureRules = .standard
        /// A file fails when more than this fraction of its non-blank lines are rejected.
        public var rejectThreshold = 0.05
        /// Qualifying records a worker groups before handing them to the writer (memory bound).
        public var flushThreshold = 500_000
        /// Rejected lines kept per file.
        public var rejectSampleLimit = 20
        /// Parse workers (default: one per core).
        public var workers = WorkerThreads.processorCount
        /// Identities the writer remembers across the files of a run (a cache: past this
        /// count it starts afresh between two files, so memory does not grow with the
        /// number of users of a national ENT).
        public var identityCacheLimit = 1_000_000
        /// Files of at most `groupFileBytes` compressed bytes share one transaction until
        /// their sizes add up to `groupBytes` (`groupFileBytes` 0: one transaction per
        /// file). A larger file, or a stream (`LogInput`), has a transaction of its own: the
        /// savepoint of a file that follows others keeps a copy of every page it changes
        /// that was there before it (in memory, see `ingest(paths:)`).
        public var groupFileBytes = 1 << 20
        /// The compressed bytes the small files of one transaction may add up to.
        public var groupBytes = 16 << 20
        /// Files the parse workers may hold, parsed or being parsed, before the writer has
        /// written them (`ParseAheadLimit`; at least 2).
        public var parseAheadFiles = 8
        /// Timeline points of a transaction's small files kept in memory (`BufferedTimelines`,
        /// about 8 bytes each) before they are written between two files rather than at the
        /// commit.
        public var bufferedTimelinePoints = 2_000_000

        /// The defaults of `entstat ingest`.
        public init() {}
    }

    private struct IdentityState {
        var id: Int64
        var person: Int64
        var attributesDigest: UInt64
        /// True for an identity this run created: its only timelines are those this run
        /// wrote, the days of `daysWritten`.
        var createdInRun = false
        /// Bit d: this run wrote the identity's timeline of day `firstDayOfRun + d`, or holds
        /// points of it in `bufferedTimelines`.
        var daysWritten: UInt64 = 0
    }

    /// The store written into, open for writing.
    public let store: Store
    /// The tunables of this run.
    public let options: Options
    private let configuration: LogFileParser.Configuration
    /// Identities met in this run, by pseudonym (index into `identities`).
    private var identityTable = ByteStringTable()
    private var identities: [IdentityState] = []
    private var dirtyPersons = Set<Int64>()
    /// True while a transaction holds the files written since the last commit.
    private var groupOpen = false
    /// Why the transaction of the files since the last commit was rolled back whole, when
    /// it was: those files did not land after all.
    private var groupLost: String?
    /// The largest identity id in the store, once read (nil after a rollback).
    private var lastIdentityID: Int64?
    /// The first day this run wrote a timeline of (`IdentityState.daysWritten`).
    private var firstDayOfRun: Int?
    /// False while every identity of the store is in `identityTable` (nil: not known yet).
    private var storeIdentitiesOutsideRun: Bool?
    /// Whether `account` has rows (nil: not read yet for this file).
    private var storeHasAccounts: Bool?
    /// The person of each account that an identity created in this run belongs to.
    private var accountPersons: [Int64: Int64] = [:]
    /// New rows of `identity`, `person`, `identity_role` and `identity_school`, several per
    /// statement. Not `lazy`: a change through a lazy property copied the whole struct,
    /// retaining and releasing its buffers, for every row.
    private var newRows: NewIdentityRows
    /// The persons the current file created without an account, and their places.
    private var freshPlaces = FreshPersonPlaces()
    /// The timeline points of the small files of the open transaction, not written yet.
    private var bufferedTimelines = BufferedTimelines()

    /// The latest day read before a secret rotation, over every rotation
    /// (`Store.periodsAcrossRotation`).
    private let rotatedAfterDay: Int?

    /// The first failure to write the store itself (a full disk, an I/O error, a store made
    /// read-only: `DatabaseError.storeProblem`), met while writing a file: `ingest(paths:)`
    /// then reads no more files, each of which would fail the same way (a full disk made one
    /// error line per file of the run, every file read for nothing).
    public private(set) var storeUnwritable: DatabaseError?

    /// An ingester writing into `store`, which must be open for writing.
    public init(store: Store, options: Options = Options()) throws {
        guard let pseudonymizer = store.pseudonymizer else {
            throw ReferenceError(file: store.path, message: "magasin ouvert en lecture seule")
        }
        self.store = store
        self.options = options
        // A rotation needs the writer's lock, which this store holds: read once.
        rotatedAfterDay = try store.db.scalarInt("SELECT MAX(rotated_after_day) FROM secret_rotation").map { Int($0) }
        newRows = NewIdentityRows(db: store.db)
        configuration = LogFileParser.Configuration(
            rules: options.rules, featureIDs: try store.featureIDs(for: options.rules), pseudonymizer: pseudonymizer,
            rejectThreshold: options.rejectThreshold, rejectSampleLimit: options.rejectSampleLimit,
            batchFacts: max(1, options.flushThreshold))
    }

    /// Ingests one file (or `-` for standard input, or another stream: `LogInput`). Never
    /// throws: the report says what happened.
    public func ingest(path: String) -> FileReport {
        var result = FileReport(name: path)
        ingest(paths: [path]) { _, report in result = report }
        return result
    }

    /// Ingests files (standard input `-`, or another stream, at most once each), in this
    /// order. Never throws: `fileDone` receives each file's report, in order, on the calling
    /// thread, and `progress` the compressed bytes read so far by the workers. `fileStarted`
    /// receives the index of each file the writer starts to store, on the calling thread,
    /// once per file read (not for a file already in the ledger): the reports of the small
    /// files that share a transaction come only when it commits, up to 16 MiB of files later.
    public func ingest(paths: [String], progress: ((Int) -> Void)? = nil, fileStarted: ((Int) -> Void)? = nil,
                       fileDone: (Int, FileReport) -> Void) {
        // How each path is read, decided once, before anything opens it: a stream must be
        // opened by its parser alone (`LogInput`).
        let inputs = paths.map(LogInput.init(path:))
        // Files already in the ledger under the same path, size and modification time are
        // not read at all (nightly runs over a growing directory).
        var known: [Int: String] = [:]
        var toParse: [Int] = []
        // The directory may have been loaded since the last call.
        freshPlaces.forgetDirectory()
        for (index, path) in paths.enumerated() {
            if case .file(let size, let mtime) = inputs[index], let previous = try? ledgerName(path: path, size: size, mtime: mtime) {
                known[index] = previous
            } else {
                toParse.append(index)
            }
        }
        // The copies a file may complete: those of the ledger as it is now, by path and by
        // the head of the file's content (`EarlierCopyFinder`), each worker reading it on a
        // connection of its own.
        let storePath = store.path
        let lastFileID = (try? store.db.scalarInt("SELECT MAX(id) FROM ingested_file")) ?? 0
        // And those found among the files before it in this run (`RunCopies`).
        let runCopies = RunCopies(count: toParse.count)
        // A large file's worker waits once two of its batches wait for the writer; a small
        // file's events all fit (a file of at most `groupFileBytes` makes one batch or
        // two), and `ahead` bounds how many files the workers hold.
        let channels = toParse.map { index in
            BoundedChannel<ParsedFileEvent>(capacity: (inputs[index].size ?? Int.max) <= options.groupFileBytes ? 16 : 2)
        }
        let ahead = ParseAheadLimit(files: max(2, options.parseAheadFiles))
        let bytesRead = toParse.map { _ in ByteCounter() }
        let next = Atomic<Int>(0)
        // Fewer files than workers: a core would be idle, so each file is inflated on a
        // thread of its own while its worker parses (one large file on two cores).
        var configuration = configuration
        configuration.decodeAhead = toParse.count < max(1, options.workers)
        let parseConfiguration = configuration
        let work: @Sendable (Int) -> Void = { [channels, paths, inputs, toParse, runCopies] _ in
            let parser = LogFileParser(configuration: parseConfiguration)
            let finder = EarlierCopyFinder(path: storePath, lastFileID: lastFileID)
            while ahead.enter() {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < toParse.count else { return }
                let index = toParse[k]
                parser.parse(path: paths[index], streamed: inputs[index].isStream,
                             findEarlier: { finder.copies(path: paths[index], size: inputs[index].size, head: $0) },
                             run: (runCopies, k), into: channels[k]) { bytesRead[k].value.store($0, ordering: .relaxed) }
            }
        }
        let workers = WorkerThreads(count: toParse.isEmpty ? 0 : min(max(1, options.workers), toParse.count), body: work)
        defer {
            ahead.close()
            for channel in channels { channel.cancel() }
            workers.join()
        }
        let inline = workers.startedCount == 0
        // Opened on its first lookup, once for the whole run.
        let inlineFinder = EarlierCopyFinder(path: storePath, lastFileID: lastFileID)
        let totalRead = { bytesRead.reduce(0) { $0 + $1.value.load(ordering: .relaxed) } }
        // The sum runs over every file of the run: asked at most ten times a second, not
        // after every batch (quadratic in the number of files for a backfill).
        var lastProgress = -Double.infinity
        let reportProgress: (() -> Void)? = progress.map { p in {
            let now = MonotonicClock.seconds()
            guard now - lastProgress >= 0.1 else { return }
            lastProgress = now
            p(totalRead())
        } }
        // The reports of the files since the last commit, handed over in order once it is
        // done; the compressed bytes of the group's files.
        var waiting: [(index: Int, report: FileReport)] = []
        var groupSize = 0
        func commitGroup() {
            if groupOpen {
                groupOpen = false
                writeBufferedTimelines()
                if groupLost == nil { endInGroup("COMMIT", failure: "validation de la transaction impossible") }
            }
            bufferedTimelines.removeAll()
            if let lost = groupLost {
                forgetRun()
                let lostFiles = waiting.indices.filter { waiting[$0].report.outcome == .ingested }
                let together = lostFiles.count > 1
                    ? FileReport.LostTransaction(files: lostFiles.count, first: waiting[lostFiles.first!].report.name,
                                                 last: waiting[lostFiles.last!].report.name)
                    : nil
                for i in lostFiles {
                    waiting[i].report.outcome = .failed(.store(message: lost))
                    waiting[i].report.lostTransaction = together
                }
                groupLost = nil
            }
            for (index, report) in waiting { fileDone(index, report) }
            waiting.removeAll()
            groupSize = 0
        }
        // A savepoint's copies of the pages it changes stay in memory (a file of the group
        // changes a few megabytes of them), instead of going to a temporary file.
        try? store.db.execute("PRAGMA temp_store = MEMORY")
        defer {
            commitGroup()
            try? store.db.execute("PRAGMA temp_store = DEFAULT")
        }
        var k = 0
        for (index, path) in paths.enumerated() {
            if let previous = known[index] {
                var report = FileReport(name: path)
                report.outcome = .skipped(previousName: previous)
                waiting.append((index, report))
                continue
            }
            // A file too large to share the transaction, or that would take the group past
            // its size, starts a new one.
            let size = inputs[index].size ?? Int.max
            let shares = size <= options.groupFileBytes
            if groupOpen && (!shares || groupSize + size > options.groupBytes) {
                commitGroup()
            } else if groupOpen && bufferedTimelines.entryCount > options.bufferedTimelinePoints {
                // Between two files: no savepoint open, nothing a later rollback could undo.
                writeBufferedTimelines()
                if groupLost != nil { commitGroup() }
            }
            fileStarted?(index)
            let started = MonotonicClock.seconds()
            var channel = channels[k]
            if inline {
                // The system gave no thread: parse here, then write.
                channel = BoundedChannel<ParsedFileEvent>(capacity: Int.max)
                LogFileParser(configuration: configuration).parse(path: path, streamed: inputs[index].isStream,
                                                                  findEarlier: { inlineFinder.copies(path: path, size: inputs[index].size, head: $0) },
                                                                  run: (runCopies, k), into: channel) { bytesRead[k].value.store($0, ordering: .relaxed) }
            }
            var report = write(path: path, buffered: shares, from: channel, progress: reportProgress)
            channel.cancel()
            ahead.leave()
            report.seconds = MonotonicClock.seconds() - started
            // The files before it are lost with their transaction: reported as failed first.
            if groupLost != nil { commitGroup() }
            waiting.append((index, report))
            if shares { groupSize += size }
            // A large file is committed at once; so is a file that did not land in a group.
            if !shares || !groupOpen { commitGroup() }
            k += 1
            // The files of the open group are committed (or reported failed) by `defer`.
            if storeUnwritable != nil { break }
        }
    }

    /// The last local day (days since 1970, Paris) a record read now may fall on: the day
    /// after today, the end of 2045 at the latest. Later records are rejected (a server
    /// clock set ahead); `entstat simulate` refuses to write any.
    public static func lastAcceptedDay() -> Int {
        LogFileParser.lastAcceptedDay()
    }

    /// Keeps `error` as `storeUnwritable` when it is the first failure of the store's file.
    private func noteStoreFailure(_ error: Error) {
        if storeUnwritable == nil, let error = error as? DatabaseError, error.storeProblem != nil {
            storeUnwritable = error
        }
    }

    // MARK: - Writing

    /// Writes one file from its parse events: in the open transaction, under a savepoint,
    /// when earlier files of the group are in it; otherwise in a new transaction, left
    /// open (`groupOpen`) for the caller to commit, unless the file did not land. The
    /// timeline points of a file that shares its transaction (`buffered`) are kept in
    /// `bufferedTimelines` until it commits.
    private func write(path: String, buffered: Bool, from channel: BoundedChannel<ParsedFileEvent>, progress: (() -> Void)?) -> FileReport {
        var report = FileReport(name: path)
        // How the file's changes are undone, once it has started writing.
        enum Undo { case transaction, savepoint }
        var undo: Undo?
        var local: [Int] = []
        if identities.count > options.identityCacheLimit { forgetRun() }
        dirtyPersons.removeAll()
        freshPlaces.discard()
        storeHasAccounts = nil
        /// Undoes the file's changes; `cause`, the file's own failure, is what the files
        /// before it in the group are told when SQLite rolled the whole transaction back.
        func rollBack(cause: FileFailure? = nil) {
            switch undo {
            case .transaction?:
                try? store.db.execute("ROLLBACK")
                groupOpen = false
                bufferedTimelines.removeAll()
            case .savepoint?:
                let why = cause.map { cause -> String in
                    if case .store(let message) = cause { return "\(path) : \(message)" }
                    return "\(path) : \(cause.reason)"
                }
                endInGroup("ROLLBACK TO file; RELEASE file", failure: "annulation du fichier impossible", cause: why)
                bufferedTimelines.dropFile()
                if groupLost != nil { groupOpen = false }
            case nil:
                return
            }
            forgetRun()
        }
        func fail(_ failure: FileFailure) -> FileReport {
            rollBack(cause: failure)
            report.outcome = .failed(failure)
            return report
        }
        while true {
            let event: ParsedFileEvent
            switch channel.receive(timeout: 0.2) {
            case .timedOut:
                progress?()
                continue
            case .finished:
                return fail(.store(message: "analyse interrompue"))
            case .element(let e):
                event = e
            }
            do {
                switch event {
                case .opened(let rawSHA256):
                    if let rawSHA256, let previous = try ledgerName(column: "raw_sha256", rawSHA256) {
                        report.outcome = .skipped(previousName: previous)
                        return report
                    }
                    if groupOpen {
                        try store.db.execute("SAVEPOINT file")
                        undo = .savepoint
                    } else {
                        try store.db.execute("BEGIN IMMEDIATE")
                        groupOpen = true
                        undo = .transaction
                    }
                    bufferedTimelines.startFile()
                case .batch(let batch):
                    try apply(batch, local: &local, buffered: buffered)
                    progress?()
                case .finished(let summary):
                    if let previous = try ledgerName(column: "content_sha256", summary.contentSHA256) {
                        rollBack()
                        report.outcome = .skipped(previousName: previous)
                        return report
                    }
                    report = summary.report
                    try finishFile(summary, path: path)
                    if undo == .savepoint { try store.db.execute("RELEASE file") }
                    report.outcome = .ingested
                    return report
                case .failed(let failure):
                    return fail(failure)
                }
            } catch {
                noteStoreFailure(error)
                return fail(LogFileParser.failure(from: error))
            }
        }
    }

    /// Writes the buffered timeline points into the open transaction, outside any file's
    /// savepoint. If that fails, the transaction is rolled back and `groupLost` says why.
    private func writeBufferedTimelines() {
        do {
            try bufferedTimelines.write(to: store.db)
        } catch {
            noteStoreFailure(error)
            bufferedTimelines.removeAll()
            try? store.db.execute("ROLLBACK")
            groupOpen = false
            groupLost = "écriture des chronologies impossible : \(error)"
        }
    }

    /// Runs `sql`, which ends the group's transaction or a file's savepoint in it, unless an
    /// error already made SQLite roll the whole transaction back. When that happened, or
    /// `sql` fails (the transaction is then rolled back), `groupLost` says why: with
    /// `cause`, the failure of the file that SQLite's rollback followed (a full disk).
    private func endInGroup(_ sql: String, failure: String, cause: String? = nil) {
        guard store.db.isInTransaction else {
            groupLost = "transaction annulée par SQLite" + (cause.map { " après l'échec de \($0)" } ?? "")
            return
        }
        do {
            try store.db.execute(sql)
        } catch {
            noteStoreFailure(error)
            try? store.db.execute("ROLLBACK")
            groupLost = "\(failure) : \(error)"
        }
    }

    /// Stores a batch: resolves its new identities, notes their roles and schools, merges
    /// its points into the timelines and queues the (person, day) pairs they touch; or,
    /// when `buffered`, adds its points to `bufferedTimelines`, which does both later.
    private func apply(_ batch: ParsedBatch, local: inout [Int], buffered: Bool) throws {
        precondition(batch.firstIdentity == local.count)
        for identity in batch.identities {
            local.append(try identityIndex(identity))
        }
        try newRows.flush()
        for note in batch.attributes {
            try noteAttributes(note, of: local[note.identity])
        }
        try newRows.flush()
        let select = try store.db.statement("SELECT entries FROM timeline WHERE identity = ?1 AND day = ?2")
        // New timelines several per statement, an existing one updated alone: one statement
        // `INSERT OR REPLACE` of several rows kept a journal of every page it changed (it may
        // abort half-way on its NOT NULL column), written to a temporary file — 4.5 GB for a
        // fifth of the Somme's school year.
        let update = try store.db.statement("UPDATE timeline SET entries = ?3 WHERE identity = ?1 AND day = ?2")
        var inserts = MultiRowInsert(db: store.db, table: "timeline", columns: ["identity", "day", "entries"])
        var queue = MultiRowInsert(db: store.db, verb: "INSERT OR IGNORE", table: "pending_person_day", columns: ["person", "day"])
        var merged: [TimelineEntry] = []
        for group in batch.groups {
            let index = local[group.identity]
            let state = identities[index]
            let fresh = batch.entries[group.start..<group.end]
            // An identity created in this run has no timeline of a day this run did not
            // write: no lookup (a first ingest writes each (identity, day) once or almost).
            if firstDayOfRun == nil { firstDayOfRun = group.day }
            let bit = group.day - firstDayOfRun!
            let tracked = state.createdInRun && (0..<UInt64.bitWidth).contains(bit)
            if buffered {
                if tracked { identities[index].daysWritten |= 1 << UInt64(bit) }
                bufferedTimelines.add(identity: state.id, person: state.person, day: group.day, fresh)
                continue
            }
            if tracked && state.daysWritten & (1 << UInt64(bit)) == 0 {
                identities[index].daysWritten |= 1 << UInt64(bit)
                try inserts.add(state.id, group.day, TimelineEntry.encode(fresh))
            } else {
                select.reset()
                try select.bind(.integer(state.id), .int(group.day))
                if try select.step() {
                    merged.removeAll(keepingCapacity: true)
                    TimelineEntry.decode(select.blob(0), appendingTo: &merged)
                    select.reset()
                    merged.append(contentsOf: fresh)
                    TimelineEntry.normalize(&merged)
                    try update.run(.integer(state.id), .int(group.day), .blob(TimelineEntry.encode(merged[...])))
                } else {
                    select.reset()
                    try inserts.add(state.id, group.day, TimelineEntry.encode(fresh))
                }
            }
            try queue.add(state.person, group.day)
        }
        // A later batch of the file may hold the same (identity, day): it must find this one.
        try inserts.flush()
        try queue.flush()
    }

    // MARK: - Identities

    /// The index (in `identities`) of a pseudonymised identity, creating it when new.
    private func identityIndex(_ identity: ParsedBatch.NewIdentity) throws -> Int {
        try identity.pseudonym.withUnsafeBytes { key in
            let hash = ByteStringTable.hash(key)
            if let found = identityTable.find(key, hash: hash) { return Int(found) }
            identities.append(try resolveIdentity(source: identity.source, pseudonym: identity.pseudonym))
            identityTable.insert(key, hash: hash, value: Int32(identities.count - 1))
            return identities.count - 1
        }
    }

    /// The identity of a pseudonym not met in this run yet: its row of `identity`, or a new
    /// one (with a new person unless its account already has one). New rows are buffered in
    /// `newRows` until `apply` flushes them.
    private func resolveIdentity(source: LogSource, pseudonym: [UInt8]) throws -> IdentityState {
        let db = store.db
        // Looked up in the store unless every identity of the store is in `identityTable`
        // (the store had none when this run began, and nothing was rolled back since): a
        // first ingest then skips a lookup per identity in the random order of pseudonyms.
        if storeIdentitiesOutsideRun == nil {
            storeIdentitiesOutsideRun = try db.scalarInt("SELECT EXISTS (SELECT 1 FROM identity)") != 0
        }
        if storeIdentitiesOutsideRun! {
            let find = try db.statement("SELECT id, person FROM identity WHERE pseudonym = ?1")
            try find.bind(.blob(pseudonym))
            defer { find.reset() }
            if try find.step() {
                return IdentityState(id: find.int64(0), person: find.int64(1), attributesDigest: 0)
            }
        }
        if storeHasAccounts == nil {
            storeHasAccounts = try db.scalarInt("SELECT EXISTS (SELECT 1 FROM account)") != 0
        }
        var account: Int64?
        if storeHasAccounts! {
            let accountQuery = try db.statement(source == .events
                ? "SELECT MIN(id) FROM account WHERE user_pseudonym = ?1"
                : "SELECT MIN(id) FROM account WHERE legacy_pseudonym = ?1")
            try accountQuery.bind(.blob(pseudonym))
            if try accountQuery.step(), !accountQuery.isNull(0) { account = accountQuery.int64(0) }
            accountQuery.reset()
        }
        // The new row's id is chosen here, so that a new person (whose id is that of its first
        // identity) is written in one statement instead of an insert and an update.
        let id = try nextIdentityID()
        var person = id
        if let account {
            // The person of the account's other unsealed identities: one created in this run
            // (maybe still buffered), else the store's.
            if let known = accountPersons[account] {
                person = known
            } else {
                let existing = try db.statement("SELECT MIN(person) FROM identity WHERE account = ?1 AND sealed = 0")
                try existing.bind(.integer(account))
                if try existing.step(), !existing.isNull(0) { person = existing.int64(0) }
                existing.reset()
            }
            accountPersons[account] = person
            try newRows.identitiesWithAccount.add(id, pseudonym, source.rawValue, account, person)
            if person == id { try newRows.personsWithAccount.add(id, account) }
        } else {
            try newRows.identitiesWithoutAccount.add(id, pseudonym, source.rawValue, person)
            try newRows.personsWithoutAccount.add(id)
            freshPlaces.add(person: id)
        }
        if person == id && account != nil { dirtyPersons.insert(id) }
        return IdentityState(id: id, person: person, attributesDigest: 0, createdInRun: true)
    }

    /// Records the role (`profil`) and schools (`structures`) an event gave an identity,
    /// unless this run already recorded the same ones.
    private func noteAttributes(_ note: ParsedBatch.Attributes, of index: Int) throws {
        guard identities[index].attributesDigest != note.digest else { return }
        identities[index].attributesDigest = note.digest
        let state = identities[index]
        if state.createdInRun {
            // Rows of an identity this run created: buffered in `newRows` (flushed by `apply`
            // after the batch's notes); its person is marked as when a row is new
            // (a row this run wrote already is ignored, and the person recomputed anyway).
            if let role = note.role { try newRows.roles.add(state.id, role) }
            for uai in note.schools { try newRows.schools.add(state.id, uai) }
            if freshPlaces.contains(state.person) {
                freshPlaces.note(person: state.person, role: note.role, schools: note.schools)
            } else if note.role != nil || !note.schools.isEmpty {
                dirtyPersons.insert(state.person)
            }
            return
        }
        let db = store.db
        if let role = note.role {
            try db.statement("INSERT OR IGNORE INTO identity_role(identity, role) VALUES (?1, ?2)").run(.integer(state.id), .text(role))
            if db.changes > 0 { dirtyPersons.insert(state.person) }
        }
        for uai in note.schools {
            try db.statement("INSERT OR IGNORE INTO identity_school(identity, uai) VALUES (?1, ?2)").run(.integer(state.id), .text(uai))
            if db.changes > 0 { dirtyPersons.insert(state.person) }
        }
    }

    /// Writes the places of the persons whose roles or schools changed (in SQL) and of the
    /// persons the file created without an account (from memory), and the ledger row.
    private func finishFile(_ summary: ParsedFileSummary, path: String) throws {
        let report = summary.report
        let db = store.db
        if !dirtyPersons.isEmpty {
            try db.execute("CREATE TEMP TABLE IF NOT EXISTS dirty_person(person INTEGER PRIMARY KEY); DELETE FROM temp.dirty_person;")
            let mark = try db.statement("INSERT OR IGNORE INTO temp.dirty_person(person) VALUES (?1)")
            for person in dirtyPersons { try mark.run(.integer(person)) }
            try store.rebuildPersonPlaces(onlyDirty: true)
        }
        try freshPlaces.write(db: db)
        try db.statement("""
            INSERT INTO ingested_file(content_sha256, raw_sha256, name, size_bytes, mtime, source, lines, qualifying,
                                      filtered, rejected, decoded_bytes, first_day, last_day, ingested_at, head_sha256)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
            """).run(.blob(summary.contentSHA256), .blob(summary.rawSHA256), .text(path), .int(summary.size), summary.mtime.map { .int($0) } ?? .null,
                     .text(report.source?.rawValue ?? "none"), .int(report.lines), .int(report.qualifying),
                     .int(report.filtered), .int(report.rejected), .int(report.decodedBytes),
                     report.firstDay.map { .int($0) } ?? .null, report.lastDay.map { .int($0) } ?? .null,
                     .text(Store.timestamp()), summary.headSHA256.map { .blob($0) } ?? .null)
        let fileID = db.lastInsertedRowID
        // The earlier copy's last line, cut short there and rejected, was read whole here:
        // the copy's row gives it back, so that the ledger (the report's « Journaux
        // chargés », `status`) counts the log's lines as one reading of the complete file.
        if let cut = summary.completedCutLine {
            try db.statement("""
                UPDATE ingested_file SET lines = lines - 1, rejected = rejected - 1
                WHERE content_sha256 = ?1 AND lines > 0 AND rejected > 0
                """).run(.blob(cut.contentSHA256))
            if db.changes > 0 {
                try db.statement("""
                    DELETE FROM reject_sample WHERE line = ?2 AND file = (SELECT id FROM ingested_file WHERE content_sha256 = ?1)
                    """).run(.blob(cut.contentSHA256), .int(cut.line))
            }
        }
        // Logs of days up to the last one read before a secret rotation, read after it: their
        // persons are new identities there too, for that rotation and every earlier one
        // whose last day they reach back to (`Store.periodsAcrossRotation`).
        if let first = report.firstDay, let rotated = rotatedAfterDay, first <= rotated {
            try db.statement("""
                UPDATE secret_rotation SET late_from = MIN(COALESCE(late_from, ?1), ?1) WHERE rotated_after_day >= ?1
                """).run(.int(first))
        }
        let sample = try db.statement("INSERT INTO reject_sample(file, line, reason, excerpt) VALUES (?1, ?2, ?3, ?4)")
        for r in summary.rejectSample {
            try sample.run(.integer(fileID), .int(r.line), .text(r.reason), .text(r.excerpt))
        }
    }

    /// Compressed bytes a worker read of one file, for the progress bar.
    private final class ByteCounter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Records a failed file in the store's failure history (outside any file transaction),
    /// which `entstat status` reports until the file is ingested. A path that could not be
    /// opened (missing, a pattern that matched nothing, a folder with no log it could read)
    /// is left out: it fails its run (exit 2) but names no log the store could wait for, and a
    /// mistyped path would otherwise be reported every night with no way to repair it.
    public func recordFailure(_ report: FileReport) {
        guard case .failed(let failure) = report.outcome else { return }
        if case .cannotOpen = failure { return }
        // A log whose failure was forgotten (lost for good) stays forgotten when it fails
        // again: it may still lie in the folder the nightly run reads.
        try? store.db.statement("""
            INSERT INTO failed_file(name, reason, failed_at, forgotten_at)
            VALUES (?1, ?2, ?3, (SELECT MAX(forgotten_at) FROM failed_file WHERE name = ?1))
            """).run(.text(report.name), .text(failure.description), .text(Store.timestamp()))
    }

    /// The id for the next new identity (one more than the largest, as SQLite would pick).
    private func nextIdentityID() throws -> Int64 {
        if lastIdentityID == nil {
            lastIdentityID = Int64(try store.db.scalarInt("SELECT IFNULL(MAX(id), 0) FROM identity") ?? 0)
        }
        // (Opening the store refused an id beyond `PersonIDLimit.largest`, so this cannot
        // overflow; the next id past it is refused, not given.)
        let next = try PersonIDLimit.checked(lastIdentityID! + 1, table: "identity", column: "id", db: store.db)
        lastIdentityID = next
        return next
    }

    /// After a rollback, in-memory caches may name identities that no longer exist.
    private func forgetRun() {
        lastIdentityID = nil
        storeIdentitiesOutsideRun = nil
        accountPersons.removeAll()
        newRows.discard()
        freshPlaces.discard()
        identityTable = ByteStringTable()
        identities.removeAll()
        dirtyPersons.removeAll()
    }

    private func ledgerName(path: String, size: Int, mtime: Int) throws -> String? {
        let s = try store.db.statement("SELECT name FROM ingested_file WHERE name = ?1 AND size_bytes = ?2 AND mtime = ?3")
        try s.bind(.text(path), .int(size), .int(mtime))
        defer { s.reset() }
        return try s.step() ? s.text(0) : nil
    }

    private func ledgerName(column: String, _ hash: [UInt8]) throws -> String? {
        let s = try store.db.statement("SELECT name FROM ingested_file WHERE \(column) = ?1")
        try s.bind(.blob(hash))
        defer { s.reset() }
        return try s.step() ? s.text(0) : nil
    }
}
