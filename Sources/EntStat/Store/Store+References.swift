/// Loading reference files (SPEC §1.1, §1.2). Each load replaces the previous one of its
/// kind in one transaction, together with everything derived from it, so figures always
/// use the latest reference data.
extension Store {
    /// What a reference load did.
    public struct ReferenceLoad: Sendable {
        public let kind: String
        public let file: String
        public let rows: Int
        public let warnings: [ReferenceWarning]
        /// True when the file has the same bytes as the last load of its kind: nothing was
        /// read or replaced (`rows` is then the row count of that load).
        public var unchanged = false
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

    public func loadSchools(_ path: String) throws -> ReferenceLoad {
        if let unchanged = try unchangedLoad(kind: "schools", path: path) { return unchanged }
        let (bytes, sha) = try WholeFile.read(path)
        let directory = try SchoolDirectory(csv: try SemicolonCSV(bytes: bytes, file: path), file: path)
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

    public func loadAccounts(_ path: String) throws -> ReferenceLoad {
        guard let pseudonymizer else { throw ReferenceError(file: path, message: "magasin ouvert en lecture seule") }
        if let unchanged = try unchangedLoad(kind: "accounts", path: path) { return unchanged }
        let (bytes, sha) = try WholeFile.read(path)
        let directory = try AccountDirectory(csv: try SemicolonCSV(bytes: bytes, file: path), file: path)
        try db.transaction {
            try replaceAccounts(directory, path: path, sha: sha, using: pseudonymizer)
        }
        return ReferenceLoad(kind: "accounts", file: path, rows: directory.accounts.count, warnings: directory.warnings)
    }

    /// Replaces the account directory, pseudonymised with `pseudonymizer`, and everything
    /// derived from it (inside the caller's transaction).
    func replaceAccounts(_ directory: AccountDirectory, path: String, sha: [UInt8], using pseudonymizer: Pseudonymizer) throws {
        do {
            try db.execute("DELETE FROM account; DELETE FROM account_school;")
            let account = try db.statement("""
                INSERT INTO account(id, user_pseudonym, legacy_pseudonym, role, code_commune, activated_day)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                """)
            let school = try db.statement("INSERT OR IGNORE INTO account_school(account, uai) VALUES (?1, ?2)")
            for (index, a) in directory.accounts.enumerated() {
                let id = index + 1
                let legacy: DatabaseValue = a.legacyID.isEmpty ? .null : .blob(pseudonymizer.pseudonym(source: .access, rawID: a.legacyID))
                try account.run(.int(id), .blob(pseudonymizer.pseudonym(source: .events, rawID: a.userID)), legacy,
                                .text(a.role), .text(a.codeCommune), a.activatedOn.map { .int($0.dayNumber) } ?? .null)
                for uai in a.schools where a.role != "commune" {
                    try school.run(.int(id), .text(uai))
                }
            }
            try recordLoad(kind: "accounts", path: path, sha: sha, rows: directory.accounts.count, warnings: directory.warnings.count)
            try relinkIdentities()
            try rebuildAccountPlaces()
            try rebuildPersonPlaces(onlyDirty: false)
        }
    }

    private func recordLoad(kind: String, path: String, sha: [UInt8], rows: Int, warnings: Int) throws {
        try db.statement("""
            INSERT OR REPLACE INTO reference_load(kind, name, content_sha256, rows, warnings, loaded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """).run(.text(kind), .text(path), .blob(sha), .int(rows), .int(warnings), .text(Store.timestamp()))
    }
}
