/// Loading reference files (SPEC §1.1, §1.2). The files of one command replace the
/// previous ones of their kinds in one transaction, together with everything derived from
/// them, so figures always use the latest reference data and a refused file changes nothing.
extension Store {
    /// What a reference load did.
    public struct ReferenceLoad: Sendable {
        /// `schools`, `epci` or `accounts`; the file's path; the rows loaded.
        public let kind: String
        /// The file's path, as given.
        public let file: String
        /// The rows loaded (those of the last load when `unchanged`).
        public let rows: Int
        /// The first warnings (at most `ReferenceLoad.keptWarnings`), in file order.
        public let warnings: [ReferenceWarning]
        /// Every warning of the load, kept or not.
        public var warningCount: Int
        /// Warnings kept for display: a directory of millions of rows may warn millions of times.
        public static let keptWarnings = 100
        /// True when the file has the same bytes as the last load of its kind: nothing was
        /// read or replaced (`rows` is then the row count of that load).
        public var unchanged = false

        init(kind: String, file: String, rows: Int, warnings: [ReferenceWarning], warningCount: Int? = nil, unchanged: Bool = false) {
            self.kind = kind
            self.file = file
            self.rows = rows
            self.warnings = Array(warnings.prefix(ReferenceLoad.keptWarnings))
            self.warningCount = warningCount ?? warnings.count
            self.unchanged = unchanged
        }

        /// This load with `more` warnings, `count` in all of which `more` are the first:
        /// merged in line order when they are about the same file, else after its own.
        func adding(_ more: [ReferenceWarning], count: Int) -> ReferenceLoad {
            var merged = warnings
            if more.allSatisfy({ $0.file == file }) {
                // Both lists are in line order and hold the first warnings of their kind.
                for warning in more {
                    let at = merged.firstIndex { $0.line > warning.line } ?? merged.endIndex
                    merged.insert(warning, at: at)
                }
            } else {
                merged += more
            }
            return ReferenceLoad(kind: kind, file: file, rows: rows, warnings: merged, warningCount: warningCount + count, unchanged: unchanged)
        }
    }

    /// The previous load of `kind` when it had exactly these raw bytes: a nightly job that
    /// passes the same reference files every night then pays one hash, not a reload.
    private func unchangedLoad(kind: String, path: String) throws -> ReferenceLoad? {
        let sha = try WholeFile.sha256(path)
        let s = try db.prepare("SELECT rows FROM reference_load WHERE kind = ?1 AND content_sha256 = ?2")
        try s.bind(.text(kind), .blob(sha))
        guard try s.step() else { return nil }
        return ReferenceLoad(kind: kind, file: path, rows: s.int(0), warnings: [], unchanged: true)
    }

    /// A reload that keeps less than this share of the rows of the previous load of the same
    /// kind is refused unless the caller allows it (`allowShrink`): a file cut inside the
    /// last field of a line looks complete, and would replace the directory by a part of it.
    public static let shrinkGuardShare = 0.5
    /// Directories smaller than this are not guarded (a test, a commune's pilot).
    public static let shrinkGuardMinimum = 20

    /// Refuses a file of which no row could be kept (every row skipped with a warning: a
    /// header with a column more than its rows, another separator): it would replace the
    /// directory by an empty one and zero every figure that depends on it.
    private static func checkSomeRowKept(path: String, rows: Int, skipped: Int) throws {
        guard rows == 0 else { return }
        guard skipped > 0 else { throw ReferenceError(file: path, message: "aucune ligne après l'en-tête ; vérifiez le fichier") }
        throw ReferenceError(file: path, message: "aucune ligne utilisable (\(FrenchText.count(skipped, "avertissement"))) : vérifiez que l'en-tête a autant de colonnes que les lignes et que le séparateur est « ; »")
    }

    /// The rows of the previous load of `kind`, if any.
    private func previousRows(_ kind: String) throws -> Int? {
        try db.scalarInt("SELECT rows FROM reference_load WHERE kind = ?1", .text(kind)).map { Int($0) }
    }

    /// Refuses a reload of `rows` rows (`unit`: what they are, a French noun in the singular) that keeps less
    /// than half the `before` rows of the previous load, unless `allowed`.
    private func checkShrink(path: String, rows: Int, before: Int?, unit: String, allowed: Bool) throws {
        guard !allowed, let before, before >= Store.shrinkGuardMinimum, Double(rows) < Store.shrinkGuardShare * Double(before) else { return }
        throw ReferenceError(file: path, message: "\(FrenchText.count(rows, unit)) contre \(before) au chargement précédent, moins de la moitié : fichier tronqué ? S'il est complet, relancez avec --allow-shrink")
    }

    /// The reference files one command loads: any of the three kinds.
    public struct ReferenceFiles: Sendable {
        /// The schools file (`schools.csv` or the Annuaire export); nil keeps the previous load.
        public var schools: String?
        /// The `epci.csv` file; nil keeps the previous load.
        public var epci: String?
        /// The `accounts.csv` file; nil keeps the previous load.
        public var accounts: String?

        /// The files to load; a kind left nil keeps its previous load.
        public init(schools: String? = nil, epci: String? = nil, accounts: String? = nil) {
            self.schools = schools
            self.epci = epci
            self.accounts = accounts
        }

        /// How many files are given.
        public var count: Int { [schools, epci, accounts].count { $0 != nil } }
    }

    /// Loads the reference files of one command together, all or none: every file is
    /// checked (read, parsed, the shrink guard) and everything replaced in one transaction,
    /// so a refused file leaves the store with the previous directories of all three kinds.
    /// Returns one load per file given, in the order schools, EPCI, accounts. A file with the
    /// same bytes as the last load of its kind is not read again (`ReferenceLoad.unchanged`).
    /// When the accounts or the schools are replaced, the accounts attached to a school the
    /// schools file lacks are warned about (`noteUnknownSchools`): in the accounts' load when
    /// they are read, else in the schools'.
    public func loadReferences(_ files: ReferenceFiles, allowShrink: Bool = false) throws -> [ReferenceLoad] {
        var loads: [String: ReferenceLoad] = [:]
        // Schools and EPCI are small: read whole and checked before anything is replaced.
        var schoolsRead: (path: String, sha: [UInt8], directory: SchoolDirectory)?
        if let path = files.schools, let read = try readWhole(kind: "schools", path: path, loads: &loads, parse: {
            let directory = try SchoolDirectory(csv: $0, file: path)
            return (directory, directory.schools.count, directory.warnings)
        }) {
            try checkShrink(path: path, rows: read.value.schools.count, before: try previousRows("schools"), unit: "ligne", allowed: allowShrink)
            schoolsRead = (path, read.sha, read.value)
        }
        var epciRead: (path: String, sha: [UInt8], map: EpciMap)?
        if let path = files.epci, let read = try readWhole(kind: "epci", path: path, loads: &loads, parse: {
            let map = try EpciMap(csv: $0, file: path)
            return (map, map.epciByCommune.count, map.warnings)
        }) {
            epciRead = (path, read.sha, read.value)
        }
        // Accounts may be millions of rows: streamed inside the transaction below.
        var accountsPath: String?
        if let path = files.accounts {
            guard pseudonymizer != nil else { throw ReferenceError(file: path, message: "magasin ouvert en lecture seule") }
            try Store.naming(path) {
                if let unchanged = try unchangedLoad(kind: "accounts", path: path) {
                    loads["accounts"] = unchanged
                } else {
                    accountsPath = path
                }
            }
        }
        if schoolsRead != nil || epciRead != nil || accountsPath != nil {
            try db.transaction {
                if let read = schoolsRead {
                    try replaceSchools(read.directory, path: read.path, sha: read.sha)
                }
                if let read = epciRead {
                    try replaceEpci(read.map, path: read.path, sha: read.sha)
                }
                if let path = accountsPath, let pseudonymizer {
                    // Checks the accounts against the schools, the new ones or those loaded before.
                    loads["accounts"] = try replaceCheckedAccountRows(path: path, using: pseudonymizer, allowShrink: allowShrink)
                    try relinkIdentities()
                } else if schoolsRead != nil, let load = loads["schools"] {
                    // New schools, the accounts of an earlier command: the warnings, which
                    // name the accounts file, go with the load that brought them.
                    loads["schools"] = try noteUnknownSchools(in: load)
                }
                try rebuildAccountPlaces()
                try rebuildPersonPlaces(onlyDirty: false)
            }
        }
        return ["schools", "epci", "accounts"].compactMap { loads[$0] }
    }

    /// Replaces the accounts' rows by those of the file at `path`, pseudonymised with
    /// `pseudonymizer` (inside the caller's transaction; see `replaceAccountRows`), refusing
    /// a file of which no row is kept or, unless `allowShrink`, that holds less than half
    /// the accounts of the previous load, and warning of the rows attached to a school the
    /// loaded schools file lacks (`noteUnknownSchools`). A read failure is given the file's
    /// name.
    func replaceCheckedAccountRows(path: String, using pseudonymizer: Pseudonymizer, allowShrink: Bool) throws -> ReferenceLoad {
        try Store.naming(path) {
            // Read before the new rows replace the record of the previous load.
            let before = try previousRows("accounts")
            let load = try replaceAccountRows(path: path, using: pseudonymizer)
            try Store.checkSomeRowKept(path: path, rows: load.rows, skipped: load.warningCount)
            try checkShrink(path: path, rows: load.rows, before: before, unit: "compte", allowed: allowShrink)
            return try noteUnknownSchools(in: load)
        }
    }

    /// A small reference file read whole and parsed by `parse` (its value, rows kept and
    /// warnings), refused when no row is kept; its load goes into `loads`. Nil when it has
    /// the same bytes as the last load of its kind (its load is then `unchanged`).
    private func readWhole<T>(kind: String, path: String, loads: inout [String: ReferenceLoad],
                              parse: (SemicolonCSV) throws -> (value: T, rows: Int, warnings: [ReferenceWarning])) throws -> (sha: [UInt8], value: T)? {
        var result: (sha: [UInt8], value: T)?
        try Store.naming(path) {
            if let unchanged = try unchangedLoad(kind: kind, path: path) {
                loads[kind] = unchanged
                return
            }
            let (bytes, sha) = try WholeFile.read(path)
            let parsed = try parse(try SemicolonCSV(bytes: bytes, file: path))
            try Store.checkSomeRowKept(path: path, rows: parsed.rows, skipped: parsed.warnings.count)
            result = (sha, parsed.value)
            loads[kind] = ReferenceLoad(kind: kind, file: path, rows: parsed.rows, warnings: parsed.warnings)
        }
        return result
    }

    /// Loads a schools file alone (see `loadReferences`).
    public func loadSchools(_ path: String, allowShrink: Bool = false) throws -> ReferenceLoad {
        try loadReferences(ReferenceFiles(schools: path), allowShrink: allowShrink)[0]
    }

    /// Loads an EPCI file alone (see `loadReferences`).
    public func loadEpci(_ path: String) throws -> ReferenceLoad {
        try loadReferences(ReferenceFiles(epci: path))[0]
    }

    /// Loads `accounts.csv` alone (see `loadReferences`), row by row, in memory independent
    /// of its size (a national directory holds about ten million accounts).
    public func loadAccounts(_ path: String, allowShrink: Bool = false) throws -> ReferenceLoad {
        try loadReferences(ReferenceFiles(accounts: path), allowShrink: allowShrink)[0]
    }

    /// Runs `body`, giving a read failure of a reference file the file's name (a
    /// `ReferenceError` names it already).
    private static func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as DecodedByteStream.Failure {
            let read = LogFileParser.failure(from: failure)
            throw ReferenceError(file: path, place: read.position, message: read.reason)
        }
    }

    /// Replaces the schools and communes (inside the caller's transaction).
    private func replaceSchools(_ directory: SchoolDirectory, path: String, sha: [UInt8]) throws {
        try db.execute("DELETE FROM school; DELETE FROM commune;")
        let school = try db.statement("INSERT INTO school(uai, name, level, code_commune, uai_valid) VALUES (?1, ?2, ?3, ?4, ?5)")
        for s in directory.schools {
            try school.run(.text(s.uai), .text(s.name), .text(s.level), .text(s.codeCommune), .int(s.uaiValid ? 1 : 0))
        }
        let commune = try db.statement("INSERT INTO commune(code, name, epci) VALUES (?1, ?2, ?3)")
        for c in directory.communes.values.sorted(by: { $0.code < $1.code }) {
            try commune.run(.text(c.code), .text(c.name), .text(c.epci))
        }
        try recordLoad(kind: "schools", path: path, sha: sha, rows: directory.schools.count, warnings: directory.warnings.count)
    }

    /// Replaces the commune → EPCI map (inside the caller's transaction).
    private func replaceEpci(_ map: EpciMap, path: String, sha: [UInt8]) throws {
        try db.execute("DELETE FROM commune_epci")
        let insert = try db.statement("INSERT INTO commune_epci(code_commune, epci) VALUES (?1, ?2)")
        for (code, epci) in map.epciByCommune.sorted(by: { $0.key < $1.key }) {
            try insert.run(.text(code), .text(epci))
        }
        try recordLoad(kind: "epci", path: path, sha: sha, rows: map.epciByCommune.count, warnings: map.warnings.count)
    }

    func recordLoad(kind: String, path: String, sha: [UInt8], rows: Int, warnings: Int) throws {
        try db.statement("""
            INSERT OR REPLACE INTO reference_load(kind, name, content_sha256, rows, warnings, loaded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """).run(.text(kind), .text(path), .blob(sha), .int(rows), .int(warnings), .text(Store.timestamp()))
    }
}
