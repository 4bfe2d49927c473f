import Crypto

/// Loading reference files (SPEC §1.1, §1.2). Each load replaces the previous one of its
/// kind in one transaction, together with everything derived from it, so figures always
/// use the latest reference data.
extension Store {
    /// What a reference load did.
    public struct ReferenceLoad: Sendable {
        public let kind: String
        public let file: String
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

    /// The rows of the previous load of `kind`, if any.
    private func previousRows(_ kind: String) throws -> Int? {
        try db.scalarInt("SELECT rows FROM reference_load WHERE kind = ?1", .text(kind)).map { Int($0) }
    }

    /// Refuses a reload of `rows` rows (`unit`: what they are, in French) that keeps less
    /// than half the `before` rows of the previous load, unless `allowed`.
    private func checkShrink(path: String, rows: Int, before: Int?, unit: String, allowed: Bool) throws {
        guard !allowed, let before, before >= Store.shrinkGuardMinimum, Double(rows) < Store.shrinkGuardShare * Double(before) else { return }
        throw ReferenceError(file: path, message: "\(rows) \(unit) contre \(before) au chargement précédent, moins de la moitié : fichier tronqué ? S'il est complet, relancez avec --allow-shrink")
    }

    public func loadSchools(_ path: String, allowShrink: Bool = false) throws -> ReferenceLoad {
        if let unchanged = try unchangedLoad(kind: "schools", path: path) { return unchanged }
        let (bytes, sha) = try WholeFile.read(path)
        let directory = try SchoolDirectory(csv: try SemicolonCSV(bytes: bytes, file: path), file: path)
        try checkShrink(path: path, rows: directory.schools.count, before: try previousRows("schools"), unit: "ligne(s)", allowed: allowShrink)
        try db.transaction {
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
            try rebuildAccountPlaces()
            try rebuildPersonPlaces(onlyDirty: false)
        }
        return ReferenceLoad(kind: "schools", file: path, rows: directory.schools.count, warnings: directory.warnings)
    }

    public func loadEpci(_ path: String) throws -> ReferenceLoad {
        if let unchanged = try unchangedLoad(kind: "epci", path: path) { return unchanged }
        let (bytes, sha) = try WholeFile.read(path)
        let map = try EpciMap(csv: try SemicolonCSV(bytes: bytes, file: path), file: path)
        try db.transaction {
            try db.execute("DELETE FROM commune_epci")
            let insert = try db.statement("INSERT INTO commune_epci(code_commune, epci) VALUES (?1, ?2)")
            for (code, epci) in map.epciByCommune.sorted(by: { $0.key < $1.key }) {
                try insert.run(.text(code), .text(epci))
            }
            try recordLoad(kind: "epci", path: path, sha: sha, rows: map.epciByCommune.count, warnings: map.warnings.count)
            try rebuildAccountPlaces()
            try rebuildPersonPlaces(onlyDirty: false)
        }
        return ReferenceLoad(kind: "epci", file: path, rows: map.epciByCommune.count, warnings: map.warnings)
    }

    /// Loads `accounts.csv` row by row, in memory independent of its size (a national
    /// directory holds about ten million accounts).
    public func loadAccounts(_ path: String, allowShrink: Bool = false) throws -> ReferenceLoad {
        guard let pseudonymizer else { throw ReferenceError(file: path, message: "magasin ouvert en lecture seule") }
        if let unchanged = try unchangedLoad(kind: "accounts", path: path) { return unchanged }
        var load: ReferenceLoad?
        try db.transaction {
            // Read before the new rows replace the record of the previous load.
            let before = try previousRows("accounts")
            load = try replaceAccounts(path: path, using: pseudonymizer)
            try checkShrink(path: path, rows: load!.rows, before: before, unit: "compte(s)", allowed: allowShrink)
        }
        return load!
    }

    /// Replaces the account directory by the accounts of the file at `path`, read row by
    /// row and pseudonymised with `pseudonymizer`, and everything derived from it (inside
    /// the caller's transaction). A `user_id` or `legacy_id` repeated from an earlier row
    /// is found in the rows already inserted (by its pseudonym), never in a set of raw ids.
    func replaceAccounts(path: String, using pseudonymizer: Pseudonymizer) throws -> ReferenceLoad {
        try db.execute("DELETE FROM account; DELETE FROM account_school;")
        let insertAccount = try db.statement("""
            INSERT INTO account(id, user_pseudonym, legacy_pseudonym, role, code_commune, activated_day)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        let insertSchool = try db.statement("INSERT OR IGNORE INTO account_school(account, uai) VALUES (?1, ?2)")
        let knownUser = try db.statement("SELECT 1 FROM account WHERE user_pseudonym = ?1")
        let knownLegacy = try db.statement("SELECT 1 FROM account WHERE legacy_pseudonym = ?1")
        func known(_ statement: Statement, _ pseudonym: [UInt8]) throws -> Bool {
            statement.reset()
            try statement.bind(.blob(pseudonym))
            defer { statement.reset() }
            return try statement.step()
        }
        var hasher = SHA256()
        var columns: AccountDirectory.Columns?
        var kept: [ReferenceWarning] = []
        var warningCount = 0
        var rows = 0
        var userPseudonym: [UInt8] = [], legacyPseudonym: [UInt8] = []
        try SemicolonCSV.stream(path: path, file: path, rawObserver: { hasher.update(bufferPointer: $0) },
                                onHeader: { columns = try AccountDirectory.Columns(header: $0, file: path) },
                                onRow: { row in
            var warnings: [ReferenceWarning] = []
            defer {
                warningCount += warnings.count
                kept += warnings.prefix(ReferenceLoad.keptWarnings - kept.count)
            }
            guard let columns, SemicolonCSV.isComplete(row, fieldCount: columns.count, file: path, warnings: &warnings),
                  let a = try columns.account(from: row, warnings: &warnings,
                                              isRepeatedUser: {
                                                  userPseudonym = pseudonymizer.pseudonym(source: .events, rawID: $0)
                                                  return try known(knownUser, userPseudonym)
                                              },
                                              isRepeatedLegacy: {
                                                  legacyPseudonym = pseudonymizer.pseudonym(source: .access, rawID: $0)
                                                  return try known(knownLegacy, legacyPseudonym)
                                              })
            else { return }
            rows += 1
            try insertAccount.run(.int(rows), .blob(userPseudonym), a.legacyID.isEmpty ? .null : .blob(legacyPseudonym),
                                  .text(a.role), .text(a.codeCommune), a.activatedOn.map { .int($0.dayNumber) } ?? .null)
            for uai in a.schools where a.role != "commune" {
                try insertSchool.run(.int(rows), .text(uai))
            }
        })
        try recordLoad(kind: "accounts", path: path, sha: Array(hasher.finalize()), rows: rows, warnings: warningCount)
        try relinkIdentities()
        try rebuildAccountPlaces()
        try rebuildPersonPlaces(onlyDirty: false)
        return ReferenceLoad(kind: "accounts", file: path, rows: rows, warnings: kept, warningCount: warningCount)
    }

    private func recordLoad(kind: String, path: String, sha: [UInt8], rows: Int, warnings: Int) throws {
        try db.statement("""
            INSERT OR REPLACE INTO reference_load(kind, name, content_sha256, rows, warnings, loaded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """).run(.text(kind), .text(path), .blob(sha), .int(rows), .int(warnings), .text(Store.timestamp()))
    }
}
