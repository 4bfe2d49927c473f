import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Streams log files into the store, one transaction per file (call
/// `Store.completePendingWork()` once the files are in, to bring the figures up to date):
/// bytes (`DecodedByteStream`) → lines (`LineSplitter`) → records (`AccessLogParser`,
/// `EventLogParser`) → attributed facts (identity, local day, second, source, feature,
/// login) → timelines → derived figures.
///
/// A file either lands whole, with its ledger row, or not at all: a read error, a broken
/// gzip stream or more than 5 % rejected lines roll it back. A file whose bytes are already
/// in the ledger is skipped.
public final class LogIngester {
    /// Tunables of an ingest run.
    public struct Options: Sendable {
        public var rules: FeatureRules = .standard
        /// A file fails when more than this fraction of its non-blank lines are rejected.
        public var rejectThreshold = 0.05
        /// Facts kept in memory before they are merged into the store (memory bound).
        public var flushThreshold = 4_000_000
        /// Rejected lines kept per file.
        public var rejectSampleLimit = 20

        public init() {}
    }

    private struct IdentityState {
        var id: Int64
        var person: Int64
        var attributesHash: UInt64
    }

    /// A qualifying record waiting to be merged: `group` = identity index << 16 | day,
    /// `point` = second << 16 | code.
    private struct Fact {
        var group: UInt64
        var point: UInt64
    }

    public let store: Store
    public let options: Options
    private let featureIDs: [Int]
    private let pseudonymizer: Pseudonymizer
    private var identityTables = [ByteStringTable(), ByteStringTable()]
    private var identities: [IdentityState] = []
    private var facts: [Fact] = []
    private var dirtyPersons = Set<Int64>()
    private let eventParser = EventLogParser()

    static let firstDay = CivilDate(year: 2000, month: 1, day: 1).dayNumber
    static let lastDay = CivilDate(year: 2045, month: 12, day: 31).dayNumber

    public init(store: Store, options: Options = Options()) throws {
        guard let pseudonymizer = store.pseudonymizer else {
            throw ReferenceError(file: store.path, message: "magasin ouvert en lecture seule")
        }
        self.store = store
        self.options = options
        self.pseudonymizer = pseudonymizer
        featureIDs = try store.featureIDs(for: options.rules)
    }

    /// Ingests one file (or `-` for standard input). Never throws: the report says what
    /// happened. `progress` receives the compressed bytes read so far.
    public func ingest(path: String, progress: ((Int) -> Void)? = nil) -> FileReport {
        let started = MonotonicClock.seconds()
        var report = ingestTimed(path: path, progress: progress)
        report.seconds = MonotonicClock.seconds() - started
        return report
    }

    private func ingestTimed(path: String, progress: ((Int) -> Void)?) -> FileReport {
        var report = FileReport(name: path)
        var rawHash: [UInt8]?
        do {
            if path != "-" {
                // First check: the same path with the same size and modification time was
                // ingested already (nightly runs over a growing directory). Then the hash.
                if let status = try ByteReader(path: path).fileStatus(),
                   let previous = try ledgerName(path: path, size: status.size, mtime: status.mtime) {
                    report.outcome = .skipped(previousName: previous)
                    return report
                }
                let hash = try WholeFile.sha256(path)
                if let previous = try ledgerName(column: "raw_sha256", hash) {
                    report.outcome = .skipped(previousName: previous)
                    return report
                }
                rawHash = hash
            }
            try store.db.execute("BEGIN IMMEDIATE")
        } catch {
            report.outcome = .failed(LogIngester.failure(from: error))
            return report
        }
        do {
            let hashes = try readFile(path: path, report: &report, progress: progress)
            if let previous = try ledgerName(column: "content_sha256", hashes.content) {
                try store.db.execute("ROLLBACK")
                forgetRun()
                report.outcome = .skipped(previousName: previous)
                return report
            }
            try finishFile(contentHash: hashes.content, rawHash: rawHash ?? hashes.raw, path: path, report: report)
            try store.db.execute("COMMIT")
            report.outcome = .ingested
        } catch {
            try? store.db.execute("ROLLBACK")
            forgetRun()
            report.outcome = .failed(LogIngester.failure(from: error))
        }
        return report
    }

    // MARK: - Reading

    private var rejectSample: [(line: Int, reason: String, excerpt: String)] = []
    /// The store error behind a `.storeUnavailable` rejection: it fails the whole file.
    private var storeError: Error?

    /// Reads, parses and stages every record of the file; returns the SHA-256 of its
    /// decompressed content and (for standard input) of its raw bytes.
    private func readFile(path: String, report: inout FileReport, progress: ((Int) -> Void)?) throws -> (content: [UInt8], raw: [UInt8]) {
        let reader = try ByteReader(path: path)
        let stream = DecodedByteStream(reader: reader)
        var hasher = SHA256()
        var contentHasher = SHA256()
        if path == "-" { stream.rawObserver = { hasher.update(bufferPointer: $0) } }
        var splitter = LineSplitter()
        rejectSample.removeAll()
        facts.removeAll(keepingCapacity: true)
        dirtyPersons.removeAll()
        var format: LogSource?
        var firstRejectedLine = 0
        var counters = (lines: 0, qualifying: 0, filtered: 0, rejected: 0)
        var firstDay = Int.max, lastDay = Int.min

        func handle(_ line: LineSplitter.Line) throws {
            if line.isBlank { return }
            counters.lines += 1
            do throws(LineRejection) {
                if line.truncated { throw .tooLong }
                let source: LogSource
                if let format {
                    source = format
                } else {
                    var i = 0
                    while i < line.bytes.count && (line.bytes[i] == 0x20 || line.bytes[i] == 0x09) { i += 1 }
                    source = i < line.bytes.count && line.bytes[i] == UInt8(ascii: "{") ? .events : .access
                }
                let outcome = try parse(line.bytes, as: source)
                format = source
                switch outcome {
                case .filtered:
                    counters.filtered += 1
                case .qualifying(let day):
                    counters.qualifying += 1
                    firstDay = min(firstDay, day)
                    lastDay = max(lastDay, day)
                }
            } catch {
                if error == .storeUnavailable {
                    throw FileFailure.store(message: storeError.map { "\($0)" } ?? "erreur inconnue")
                }
                counters.rejected += 1
                if firstRejectedLine == 0 { firstRejectedLine = line.number }
                if rejectSample.count < options.rejectSampleLimit {
                    rejectSample.append((line.number, error.description, RejectExcerpt.make(line.bytes)))
                }
            }
            if facts.count >= options.flushThreshold { try flushFacts() }
        }

        do {
            while let chunk = try stream.next() {
                contentHasher.update(bufferPointer: chunk)
                try splitter.feed(chunk, handle)
                progress?(stream.compressedOffset)
            }
            try splitter.finish(handle)
        } catch let error as DecodedByteStream.Failure {
            throw error
        }
        report.source = format
        report.lines = counters.lines
        report.qualifying = counters.qualifying
        report.filtered = counters.filtered
        report.rejected = counters.rejected
        report.compressedBytes = reader.offset
        report.decodedBytes = stream.decodedBytes
        if firstDay <= lastDay {
            report.firstDay = firstDay
            report.lastDay = lastDay
        }
        if Double(counters.rejected) > options.rejectThreshold * Double(counters.lines) {
            throw FileFailure.tooManyRejects(rejected: counters.rejected, lines: counters.lines, firstRejectedLine: firstRejectedLine)
        }
        return (Array(contentHasher.finalize()), path == "-" ? Array(hasher.finalize()) : [])
    }

    private enum RecordOutcome {
        case filtered
        case qualifying(day: Int)
    }

    /// Parses one line and stages its fact when it qualifies (SPEC §2.2).
    @inline(__always)
    private func parse(_ bytes: UnsafeRawBufferPointer, as source: LogSource) throws(LineRejection) -> RecordOutcome {
        let epoch: Int64, user: UnsafeRawBufferPointer, feature: UInt16, isLogin: Bool
        var event: EventLogRecord?
        switch source {
        case .access:
            let r = try AccessLogParser.parse(bytes)
            guard !r.user.isEmpty, (200..<400).contains(r.status), !r.path.isEmpty,
                  !AccessLogParser.isStaticAsset(r.path) else { return .filtered }
            epoch = r.epochSeconds
            user = r.user
            feature = options.rules.feature(forPath: r.path)
            isLogin = AccessLogParser.isLogin(r.path)
        case .events:
            let r = try eventParser.parse(bytes)
            epoch = r.epochSeconds
            guard !r.user.isEmpty else { return .filtered }
            user = r.user
            feature = r.module.isEmpty ? options.rules.fallbackID : options.rules.feature(forModule: r.module)
            isLogin = r.isLogin
            event = r
        }
        let local = ParisClock.localInstant(epoch)
        guard local.day >= LogIngester.firstDay && local.day <= LogIngester.lastDay else { throw .dateOutOfRange }
        let index: Int
        do {
            index = try identityIndex(source: source, rawID: user)
            if let event { try noteAttributes(of: index, event) }
        } catch {
            storeError = error
            throw .storeUnavailable
        }
        let code = TimelineEntry.code(featureID: featureIDs[Int(feature)], isLogin: isLogin, source: source)
        facts.append(Fact(group: UInt64(index) << 16 | UInt64(local.day),
                          point: UInt64(local.secondOfDay) << 16 | UInt64(code)))
        return .qualifying(day: local.day)
    }

    // MARK: - Identities

    /// The index (in `identities`) of a raw user id, creating its identity when new.
    @inline(__always)
    private func identityIndex(source: LogSource, rawID: UnsafeRawBufferPointer) throws -> Int {
        let table = source == .access ? 0 : 1
        let hash = ByteStringTable.hash(rawID)
        if let found = identityTables[table].find(rawID, hash: hash) { return Int(found) }
        let state = try resolveIdentity(source: source, rawID: rawID)
        identities.append(state)
        identityTables[table].insert(rawID, hash: hash, value: Int32(identities.count - 1))
        return identities.count - 1
    }

    private func resolveIdentity(source: LogSource, rawID: UnsafeRawBufferPointer) throws -> IdentityState {
        let pseudonym = pseudonymizer.pseudonym(source: source, rawID: rawID)
        let db = store.db
        let find = try db.statement("SELECT id, person FROM identity WHERE pseudonym = ?1")
        try find.bind(.blob(pseudonym))
        defer { find.reset() }
        if try find.step() {
            return IdentityState(id: find.int64(0), person: find.int64(1), attributesHash: 0)
        }
        let accountSQL = source == .events
            ? "SELECT MIN(id) FROM account WHERE user_pseudonym = ?1"
            : "SELECT MIN(id) FROM account WHERE legacy_pseudonym = ?1"
        let accountQuery = try db.statement(accountSQL)
        try accountQuery.bind(.blob(pseudonym))
        var account: Int64?
        if try accountQuery.step(), !accountQuery.isNull(0) { account = accountQuery.int64(0) }
        accountQuery.reset()
        var person: Int64?
        if let account {
            let existing = try db.statement("SELECT MIN(person) FROM identity WHERE account = ?1 AND sealed = 0")
            try existing.bind(.integer(account))
            if try existing.step(), !existing.isNull(0) { person = existing.int64(0) }
            existing.reset()
        }
        try db.statement("INSERT INTO identity(pseudonym, source, account, person) VALUES (?1, ?2, ?3, ?4)")
            .run(.blob(pseudonym), .text(source.rawValue), account.map { .integer($0) } ?? .null, .integer(person ?? 0))
        let id = db.lastInsertedRowID
        if person == nil {
            try db.statement("UPDATE identity SET person = ?1 WHERE id = ?1").run(.integer(id))
            try db.statement("INSERT INTO person(id, account) VALUES (?1, ?2)").run(.integer(id), account.map { .integer($0) } ?? .null)
            dirtyPersons.insert(id)
        }
        return IdentityState(id: id, person: person ?? id, attributesHash: 0)
    }

    /// Records the role (`profil`) and schools (`structures`) an event gives its user, when
    /// they differ from what this run already noted for that identity.
    private func noteAttributes(of index: Int, _ event: EventLogRecord) throws {
        var hash = ByteStringTable.hash(event.profil) &* 31 &+ ByteStringTable.hash(event.structuresRaw)
        if hash == 0 { hash = 1 }
        guard identities[index].attributesHash != hash else { return }
        identities[index].attributesHash = hash
        let state = identities[index]
        let db = store.db
        if !event.profil.isEmpty, let role = RoleName.normalize(String(decoding: event.profil, as: UTF8.self)) {
            try db.statement("INSERT OR IGNORE INTO identity_role(identity, role) VALUES (?1, ?2)").run(.integer(state.id), .text(role))
            if db.changes > 0 { dirtyPersons.insert(state.person) }
        }
        for structure in eventParser.structures where !structure.isEmpty && structure.count <= 64 {
            let uai = String(decoding: structure, as: UTF8.self).trimmed()
            guard !uai.isEmpty else { continue }
            try db.statement("INSERT OR IGNORE INTO identity_school(identity, uai) VALUES (?1, ?2)").run(.integer(state.id), .text(uai))
            if db.changes > 0 { dirtyPersons.insert(state.person) }
        }
    }

    // MARK: - Writing

    /// Merges the staged facts into the timelines.
    private func flushFacts() throws {
        guard !facts.isEmpty else { return }
        facts.sort { $0.group != $1.group ? $0.group < $1.group : $0.point < $1.point }
        let select = try store.db.statement("SELECT entries FROM timeline WHERE identity = ?1 AND day = ?2")
        let upsert = try store.db.statement("INSERT OR REPLACE INTO timeline(identity, day, entries) VALUES (?1, ?2, ?3)")
        let queue = try store.db.statement("INSERT OR IGNORE INTO pending_person_day(person, day) VALUES (?1, ?2)")
        var entries: [TimelineEntry] = []
        var i = 0
        while i < facts.count {
            let group = facts[i].group
            entries.removeAll(keepingCapacity: true)
            while i < facts.count && facts[i].group == group {
                let point = facts[i].point
                var count: UInt32 = 0
                while i < facts.count && facts[i].group == group && facts[i].point == point {
                    count += 1
                    i += 1
                }
                entries.append(TimelineEntry(second: UInt32(point >> 16), code: UInt16(point & 0xFFFF), count: count))
            }
            let state = identities[Int(group >> 16)]
            let day = Int(group & 0xFFFF)
            select.reset()
            try select.bind(.integer(state.id), .int(day))
            if try select.step() {
                TimelineEntry.decode(select.blob(0), appendingTo: &entries)
                TimelineEntry.normalize(&entries)
            }
            select.reset()
            try upsert.run(.integer(state.id), .int(day), .blob(TimelineEntry.encode(entries)))
            try queue.execute(state.person, day)
        }
        facts.removeAll(keepingCapacity: true)
    }

    /// Writes the file's remaining facts, the derived figures, the ledger row.
    private func finishFile(contentHash: [UInt8], rawHash: [UInt8], path: String, report: FileReport) throws {
        try flushFacts()
        let db = store.db
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS dirty_person(person INTEGER PRIMARY KEY); DELETE FROM temp.dirty_person;")
        let mark = try db.statement("INSERT OR IGNORE INTO temp.dirty_person(person) VALUES (?1)")
        for person in dirtyPersons { try mark.run(.integer(person)) }
        try store.rebuildPersonPlaces(onlyDirty: true)
        var size = 0, mtime: Int?
        if path != "-", let status = try? ByteReader(path: path).fileStatus() {
            size = status.size
            mtime = status.mtime
        } else {
            size = report.compressedBytes
        }
        try db.statement("""
            INSERT INTO ingested_file(content_sha256, raw_sha256, name, size_bytes, mtime, source, lines, qualifying,
                                      filtered, rejected, decoded_bytes, first_day, last_day, ingested_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            """).run(.blob(contentHash), .blob(rawHash), .text(path), .int(size), mtime.map { .int($0) } ?? .null,
                     .text(report.source?.rawValue ?? "none"), .int(report.lines), .int(report.qualifying),
                     .int(report.filtered), .int(report.rejected), .int(report.decodedBytes),
                     report.firstDay.map { .int($0) } ?? .null, report.lastDay.map { .int($0) } ?? .null,
                     .text(Store.timestamp()))
        let fileID = db.lastInsertedRowID
        let sample = try db.statement("INSERT INTO reject_sample(file, line, reason, excerpt) VALUES (?1, ?2, ?3, ?4)")
        for r in rejectSample {
            try sample.run(.integer(fileID), .int(r.line), .text(r.reason), .text(r.excerpt))
        }
    }

    /// Records a failed file in the store's failure history (outside any file transaction).
    public func recordFailure(_ report: FileReport) {
        guard case .failed(let failure) = report.outcome else { return }
        try? store.db.statement("INSERT INTO failed_file(name, reason, failed_at) VALUES (?1, ?2, ?3)")
            .run(.text(report.name), .text(failure.description), .text(Store.timestamp()))
    }

    /// After a rollback, in-memory caches may name identities that no longer exist.
    private func forgetRun() {
        identityTables = [ByteStringTable(), ByteStringTable()]
        identities.removeAll()
        facts.removeAll(keepingCapacity: true)
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

    static func failure(from error: Error) -> FileFailure {
        switch error {
        case let f as FileFailure: return f
        case let f as DecodedByteStream.Failure:
            switch f {
            case .truncatedGzip(let o): return .truncatedGzip(offset: o)
            case .corruptGzip(let o, let r): return .corruptGzip(offset: o, reason: r)
            case .trailingGarbage(let o): return .trailingGarbage(offset: o)
            case .readFailed(let o, let r): return .readFailed(offset: o, reason: r)
            }
        case let f as ByteReader.Failure:
            switch f {
            case .cannotOpen(_, let reason): return .cannotOpen(reason: reason)
            case .readFailed(_, let offset, let reason): return .readFailed(offset: offset, reason: reason)
            }
        default:
            return .store(message: "\(error)")
        }
    }
}
