#if canImport(Glibc)
import Glibc
#endif

/// The entstat store: one SQLite database (WAL journal, full sync) holding pseudonymised
/// facts, reference data and the figures derived from them. Writers hold a `StoreLock`.
public final class Store {
    /// The connection, and the store's file.
    public let db: Database
    /// The path of the store's database file.
    public let path: String

    /// The size the write-ahead log is cut back to when a checkpoint lets it start over:
    /// above what a run's log reaches between checkpoints, so that a run never truncates and
    /// regrows it. Set because the log is kept when the last writer closes (`Database`): a
    /// non-negative limit is what makes SQLite empty a kept log at that close.
    static let walSizeLimit = 1 << 30
    /// Where this process's reading threads take their snapshots while the writer writes
    /// (`SnapshotGate`), closed by the `WALCheckpointer` of `withBackgroundCheckpoints`.
    let snapshotGate = SnapshotGate()
    /// Present when the store was opened for writing.
    public let pseudonymizer: Pseudonymizer?
    private let lock: StoreLock?
    /// Feature names by store id.
    public private(set) var featureNames: [Int: String] = [:]

    /// Opens (creating if needed) a store for writing, taking its lock and checking the secret.
    /// `onMigration` is called before each schema migration the store needs (a large store
    /// can take a minute).
    public init(writingTo path: String, secretPath: String, lockTimeoutSeconds: Int, activity: String = "", onWait: () -> Void = {},
                onMigration: (Migrations.Migration) -> Void = { _ in }) throws {
        self.path = path
        try Store.createParentDirectories(of: path)
        try Store.checkNotAFolder(path)
        // Set when the store is checked on the writer's own connection, once the lock is held.
        var checkedOnceLocked = false
        if access(path, F_OK) == 0 {
            // Checked before the lock file is created beside it, on a read-only connection
            // that waits for a writer: another entstat creating this very store commits its
            // first tables with their schema version, so it is never seen half-made.
            do {
                let probe = try Database(path: path, readOnly: true)
                probe.setBusyTimeout(milliseconds: 60_000)
                try Store.checkIsAStore(probe, path: path)
            } catch let error as DatabaseError where error.code == 8 && Store.leftAHotJournal(path) {
                // A writer killed while it created the store, before its journal became
                // write-ahead, left a rollback journal that only a writer may play back.
                checkedOnceLocked = true
            }
            // A store this user may only read fails here, not at its first write, halfway
            // through a run.
            for file in [path, path + "-wal", path + "-shm", path + "-journal"] where access(file, F_OK) == 0 && access(file, W_OK) != 0 {
                throw StoreError.notWritable(path: path, file: file)
            }
            let folder = Store.folder(of: path)
            if access(path + "-wal", F_OK) != 0 && access(folder, W_OK) != 0 {
                throw StoreError.notWritable(path: path, file: folder)
            }
        }
        let lock = try StoreLock(storePath: path, timeoutSeconds: lockTimeoutSeconds, activity: activity, onWait: onWait)
        self.lock = lock
        // The store's file is locked before SQLite opens it, and unlocked after SQLite closes
        // it: the lock's own descriptor must never be closed under SQLite's locks.
        try lock.holdStoreFile(onWait: onWait)
        db = try Database(path: path)
        db.closesBefore = lock
        db.setBusyTimeout(milliseconds: 60_000)
        // Its first read plays the journal back: the store is then as before that writer.
        if checkedOnceLocked { try Store.checkIsAStore(db, path: path) }
        // 16 KiB pages for a new store (an existing one keeps its own): shallower B-trees,
        // measured 5 % less ingest time and 3–5 % faster exports than SQLite's 4 KiB.
        try db.execute("PRAGMA page_size = \(Store.pageSize)")
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = \(Store.walAutocheckpointPages); PRAGMA journal_size_limit = \(Store.walSizeLimit);")
        try Migrations.migrate(db, before: onMigration)
        if let expected = try Store.meta(db, "secret_check") {
            // The store has a secret already: never create another one. A rotation that was
            // interrupted before its rename left the expected secret in <secret>.new.
            func matching() throws -> Pseudonymizer? {
                guard access(secretPath, F_OK) == 0 else { return nil }
                let candidate = try Pseudonymizer(secretPath: secretPath)
                return candidate.checkValue == expected ? candidate : nil
            }
            var found: Pseudonymizer?
            do {
                found = try matching()
            } catch {
                // A rotation killed after it overwrote the old secret and before the rename
                // leaves an unreadable secret beside the right one in <secret>.new.
                guard Store.finishInterruptedRotation(secretPath: secretPath, expectedCheck: expected) else { throw error }
                found = try matching()
            }
            if found == nil && Store.finishInterruptedRotation(secretPath: secretPath, expectedCheck: expected) {
                found = try matching()
            }
            guard let found else {
                if access(secretPath, F_OK) != 0 {
                    throw StoreError.secretUnreadable(path: secretPath, reason: "fichier introuvable, alors que \(path) a déjà un secret ; indiquez le bon fichier avec --secret")
                }
                throw StoreError.secretMismatch(secretPath: secretPath, storePath: path)
            }
            pseudonymizer = found
        } else {
            let created = try Pseudonymizer(secretPath: secretPath)
            pseudonymizer = created
            try db.statement("INSERT INTO meta(key, value) VALUES ('secret_check', ?1)").run(.text(created.checkValue))
        }
        try loadFeatureNames()
        try PersonIDLimit.check(db)
        // A run killed while it brought the rollups up to date: finish that first, before
        // this run queues anything new (see `refreshActivityPeriods`).
        if try rollupRefreshWasInterrupted() { try completePendingWork() }
    }

    /// Opens an existing store for reading (exports, reports, queries). Refused while
    /// figures wait to be computed, unless `allowingPendingWork` (`status`, which reports it).
    public init(readingFrom path: String, allowingPendingWork: Bool = false) throws {
        self.path = path
        guard access(path, R_OK) == 0 else {
            throw ReferenceError(file: path, message: "magasin introuvable ; lancez d'abord « entstat ingest --db \(path) … »")
        }
        try Store.checkNotAFolder(path)
        do {
            db = try Database(path: path, readOnly: true)
            db.setBusyTimeout(milliseconds: 60_000)
            try Store.checkIsAStore(db, path: path)
        } catch let error as DatabaseError where [8, 14].contains(error.code) {  // SQLITE_READONLY, SQLITE_CANTOPEN
            if error.code == 8 && Store.leftAHotJournal(path) { throw StoreError.interruptedCreation(path: path) }
            if access(path + "-wal", F_OK) != 0 && access(Store.folder(of: path), W_OK) != 0 {
                throw StoreError.readOnlyFolderWithoutLog(path: path)
            }
            throw error
        }
        // A 64 MB page cache, the file read (not mapped), SQLite's default sorter. Measured
        // on a school year (report, feature exports): a 256 MB cache or in-memory temporary
        // B-trees made the large sorts of GROUP BY 1.5–4 times slower, and mapping the file
        // gained nothing but put the whole store in the resident set (2–3 GB).
        try db.execute("PRAGMA cache_size = -65536;")
        let version = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
        guard version == Migrations.latestVersion else {
            if version > Migrations.latestVersion {
                throw StoreError.newerSchema(path: path, found: version, supported: Migrations.latestVersion)
            }
            throw ReferenceError(file: path, message: "magasin au schéma \(version), attendu \(Migrations.latestVersion) ; lancez « entstat ingest --db \(path) » pour le mettre à jour")
        }
        pseudonymizer = nil
        lock = nil
        try loadFeatureNames()
        try PersonIDLimit.check(db)
        if try !allowingPendingWork && !figuresAreComplete() { throw StoreError.pendingWork(path: path) }
    }

    /// The folder that holds the file at `path` (`.` for a bare name, `/` at the root).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether a rollback journal lies beside the store: what a writer killed while it
    /// created the store leaves (the store's journal is write-ahead once it exists). SQLite
    /// refuses a read-only connection to such a store (`SQLITE_READONLY_ROLLBACK`): only a
    /// writer may play the journal back.
    static func leftAHotJournal(_ path: String) -> Bool {
        access(path + "-journal", F_OK) == 0
    }

    /// Refuses a folder given as the store (SQLite would say only "unable to open").
    static func checkNotAFolder(_ path: String) throws {
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw StoreError.notAStore(path: path, reason: "c'est un dossier, pas un magasin")
        }
    }

    /// Refuses, before anything is written, an SQLite database that entstat did not create
    /// (tables, but not entstat's, whatever its `user_version`: another application's
    /// data), and says in French what is wrong with a file that is not a database at all.
    static func checkIsAStore(_ db: Database, path: String) throws {
        let version: Int64
        do {
            version = try db.scalarInt("PRAGMA user_version") ?? 0
        } catch let error as DatabaseError where error.code == 26 {
            throw StoreError.notAStore(path: path, reason: "ce n'est pas une base SQLite (fichier d'un autre type, ou dont l'en-tête est endommagé)")
        }
        let tables = try db.scalarInt("SELECT COUNT(*) FROM sqlite_master") ?? 0
        // Every version of the schema has these two tables (version 1 created them).
        let own = try db.scalarInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'ingested_file')") ?? 0
        if (version == 0 && tables > 0) || (version > 0 && own < 2) {
            throw StoreError.notAStore(path: path, reason: "base SQLite d'une autre application (\(FrenchText.count(Int(tables), "objet")), schéma \(version), aucun d'entstat)")
        }
    }

    /// Creates the folders above `path` that do not exist yet (like `mkdir -p`).
    static func createParentDirectories(of path: String) throws {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        guard !components.isEmpty else { return }
        var current = path.hasPrefix("/") ? "" : "."
        if path.hasPrefix("/") { components = components.dropFirst() }
        for part in components where !part.isEmpty {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw StoreError.lockFailed(path: current, reason: "création du dossier impossible (\(SystemErrorText.current()))")
            }
        }
    }

    /// The pages the write-ahead log holds before they are copied into the database file
    /// (256 MiB of 16 KiB pages), by the writer's commit or by a `WALCheckpointer`.
    static let walAutocheckpointPages = 16_384

    /// Runs `body` with the write-ahead log copied into the database file by another thread
    /// (`WALCheckpointer`) instead of by the writer's commits: for the long runs of writes
    /// of an ingest.
    public func withBackgroundCheckpoints<T>(_ body: () throws -> T) rethrows -> T {
        let checkpointer = WALCheckpointer(writer: db, gate: snapshotGate)
        defer { checkpointer.stop() }
        return try body()
    }

    /// The page size of a new store, in bytes.
    static let pageSize = 16_384

    /// The default secret file of a store: `entstat.secret` beside `entstat.sqlite`.
    public static func defaultSecretPath(forStore path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        var name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return directory + name + ".secret"
    }

    static func meta(_ db: Database, _ key: String) throws -> String? {
        let s = try db.statement("SELECT value FROM meta WHERE key = ?1")
        try s.bind(.text(key))
        defer { s.reset() }
        return try s.step() ? s.text(0) : nil
    }

    private func loadFeatureNames() throws {
        let s = try db.statement("SELECT id, name FROM feature")
        featureNames = [:]
        while try s.step() {
            // Every id must fit a timeline entry (`TimelineEntry.code`).
            guard (0...TimelineEntry.maxFeatureID).contains(s.int(0)) else {
                throw StoreError.damaged(path: path, table: "feature", reason: "identifiant \(s.int(0)) hors de 0 à \(FrenchText.integer(TimelineEntry.maxFeatureID))")
            }
            featureNames[s.int(0)] = s.text(1)
        }
    }

    /// Store ids of the features of a rules file, created when new. Refused before any is
    /// created when a new one would get an id beyond what a timeline entry holds
    /// (`TimelineEntry.maxFeatureID`): the names of every rules file ever used add up.
    public func featureIDs(for rules: FeatureRules) throws -> [Int] {
        let known = Dictionary(featureNames.map { ($0.value, $0.key) }, uniquingKeysWith: min)
        let new = rules.names.filter { known[$0] == nil }.count
        // SQLite gives a new row the largest id plus one.
        if new > 0, (featureNames.keys.max() ?? 0) + new > TimelineEntry.maxFeatureID {
            throw StoreError.tooManyFeatures(path: path, stored: featureNames.count, new: new)
        }
        var ids: [Int] = []
        for name in rules.names {
            if let existing = known[name] {
                ids.append(existing)
                continue
            }
            try db.statement("INSERT INTO feature(name) VALUES (?1)").run(.text(name))
            let id = Int(db.lastInsertedRowID)
            featureNames[id] = name
            ids.append(id)
        }
        return ids
    }

    /// The current UTC time as stored in ledger and run rows (`2018-11-12T02:30:00Z`).
    public static func timestamp() -> String {
        var t = time(nil)
        var tmValue = tm()
        gmtime_r(&t, &tmValue)
        let date = CivilDate(year: Int(tmValue.tm_year) + 1900, month: Int(tmValue.tm_mon) + 1, day: Int(tmValue.tm_mday))
        return "\(date)T\(CivilDate.pad2(Int(tmValue.tm_hour))):\(CivilDate.pad2(Int(tmValue.tm_min))):\(CivilDate.pad2(Int(tmValue.tm_sec)))Z"
    }

    /// The Unix instant of a store timestamp (`timestamp()`'s `2026-12-06T16:17:12Z`); nil
    /// for a text that is not one. The one reader of them: `entstat status`, the `bilan`
    /// and the report's failed logs all show them in Paris time.
    public static func epochSeconds(ofTimestamp timestamp: String) -> Int64? {
        let parts = timestamp.split(whereSeparator: { $0 == "T" || $0 == ":" || $0 == "Z" })
        guard timestamp.hasSuffix("Z"), parts.count == 4, let date = CivilDate(iso: parts[0]),
              let h = Int(parts[1]), let m = Int(parts[2]), let s = Int(parts[3]),
              (0..<24).contains(h), (0..<60).contains(m), (0...60).contains(s) else { return nil }
        return Int64(date.dayNumber) * 86_400 + Int64(h * 3600 + m * 60 + s)
    }
}
