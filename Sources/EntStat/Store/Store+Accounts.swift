/// Loading `accounts.csv` (SPEC §1.2), which a national ENT fills with about ten million
/// accounts. The rows go into `account` in file order with its two pseudonym indexes
/// dropped; each index is then rebuilt by one sort, and the ids an earlier row already had
/// are found in one ordered pass over it. Looking each id up while inserting it, in two
/// indexes of random pseudonyms far larger than the page cache, made the national load take
/// ten minutes of page reads and writes.
///
/// The result is the one `AccountDirectory` gives: the first row with a `user_id` is kept
/// and a later one skipped with only its « déjà présent » warning; among the rows kept, the
/// first with a `legacy_id` keeps the link with the old ENT and a later one loses it.
extension Store {
    /// Replaces the account directory by the accounts of the file at `path`, and everything
    /// derived from it (inside the caller's transaction), refusing the file as
    /// `replaceCheckedAccountRows` does.
    func replaceAccounts(path: String, using pseudonymizer: Pseudonymizer, allowShrink: Bool) throws -> ReferenceLoad {
        let load = try replaceCheckedAccountRows(path: path, using: pseudonymizer, allowShrink: allowShrink)
        try relinkIdentities()
        try rebuildAccountPlaces()
        try rebuildPersonPlaces(onlyDirty: false)
        return load
    }

    /// Replaces the accounts by those of the file at `path`, read row by row and
    /// pseudonymised with `pseudonymizer` (inside the caller's transaction), leaving what is
    /// derived from them to the caller. An account's id is the line its row starts on.
    /// Repeated ids are found by their pseudonyms in the store, never in a set of raw ids.
    func replaceAccountRows(path: String, using pseudonymizer: Pseudonymizer) throws -> ReferenceLoad {
        let userIndex = try indexDefinition("account_user")
        let legacyIndex = try indexDefinition("account_legacy")
        try db.execute("""
            DROP INDEX account_user; DROP INDEX account_legacy;
            DELETE FROM account; DELETE FROM account_school;
            CREATE TEMP TABLE IF NOT EXISTS account_warning(line INTEGER NOT NULL, rank INTEGER NOT NULL, message TEXT NOT NULL);
            DELETE FROM temp.account_warning;
            CREATE TEMP TABLE IF NOT EXISTS account_repeat(id INTEGER PRIMARY KEY);
            """)
        defer { try? db.execute("DROP TABLE IF EXISTS temp.account_warning; DROP TABLE IF EXISTS temp.account_repeat;") }
        let (sha, inserted) = try insertEveryAccount(path: path, using: pseudonymizer)

        // The later rows of a repeated user_id go, with their other warnings.
        try sortingOnEveryCore { try db.execute(userIndex) }
        try findLaterRows(sharing: "user_pseudonym")
        try db.execute("""
            DELETE FROM account WHERE id IN (SELECT id FROM temp.account_repeat);
            DELETE FROM account_school WHERE account IN (SELECT id FROM temp.account_repeat);
            DELETE FROM temp.account_warning WHERE line IN (SELECT id FROM temp.account_repeat);
            """)
        let rows = inserted - (try db.scalarInt("SELECT COUNT(*) FROM temp.account_repeat").map { Int($0) } ?? 0)
        try noteRepeats(message: AccountDirectory.repeatedUserMessage)

        // Among the rows kept, a later row of a repeated legacy_id loses its link.
        try sortingOnEveryCore { try db.execute(legacyIndex) }
        try findLaterRows(sharing: "legacy_pseudonym")
        try db.execute("UPDATE account SET legacy_pseudonym = NULL WHERE id IN (SELECT id FROM temp.account_repeat)")
        try noteRepeats(message: AccountDirectory.repeatedLegacyMessage)

        let warningCount = try db.scalarInt("SELECT COUNT(*) FROM temp.account_warning").map { Int($0) } ?? 0
        var kept: [ReferenceWarning] = []
        let first = try db.prepare("SELECT line, message FROM temp.account_warning ORDER BY line, rank LIMIT \(ReferenceLoad.keptWarnings)")
        while try first.step() {
            kept.append(ReferenceWarning(file: path, line: first.int(0), message: first.text(1)))
        }
        try recordLoad(kind: "accounts", path: path, sha: sha, rows: rows, warnings: warningCount)
        return ReferenceLoad(kind: "accounts", file: path, rows: rows, warnings: kept, warningCount: warningCount)
    }

    /// Streams the file into `account` and `account_school`: every complete row with a
    /// `user_id`, repeated or not, under the id of its line, and every warning of a row into
    /// `temp.account_warning` (ranked from 1 in the order the row gave them). The rows are
    /// read and pseudonymised on a thread of their own (`AccountRowReader`) while this one
    /// inserts them. Returns the file's SHA-256 and the rows inserted.
    private func insertEveryAccount(path: String, using pseudonymizer: Pseudonymizer) throws -> (sha: [UInt8], inserted: Int) {
        var accounts = MultiRowInsert(db: db, table: "account",
                                      columns: ["id", "user_pseudonym", "legacy_pseudonym", "role", "code_commune", "activated_day"])
        var schools = MultiRowInsert(db: db, verb: "INSERT OR IGNORE", table: "account_school", columns: ["account", "uai"])
        var warnings = MultiRowInsert(db: db, table: "temp.account_warning", columns: ["line", "rank", "message"])
        var inserted = 0
        let sha = try AccountRowReader.read(path: path, file: path, using: pseudonymizer) { row in
            for (rank, message) in row.warnings.enumerated() {
                try warnings.add(row.line, rank + 1, message)
            }
            guard let a = row.account else { return }
            inserted += 1
            try accounts.add(row.line, a.user, a.legacy, a.role, a.codeCommune, a.activatedDay)
            for uai in a.schools {
                try schools.add(row.line, uai)
            }
        }
        try accounts.flush()
        try schools.flush()
        try warnings.flush()
        return (sha, inserted)
    }

    /// Fills `temp.account_repeat` with the accounts whose `column` (a pseudonym column with
    /// its index built) an account of a smaller id has: one pass over the index, then one
    /// lookup per repeated pseudonym.
    private func findLaterRows(sharing column: String) throws {
        try db.execute("""
            DELETE FROM temp.account_repeat;
            INSERT INTO temp.account_repeat(id)
                SELECT a.id
                FROM (SELECT \(column) AS pseudonym, MIN(id) AS first FROM account
                      WHERE \(column) IS NOT NULL GROUP BY \(column) HAVING COUNT(*) > 1) r
                JOIN account a ON a.\(column) = r.pseudonym AND a.id > r.first;
            """)
    }

    /// Gives each account of `temp.account_repeat` the warning `message`, ahead of the
    /// other warnings of its line (rank 0), as the row-by-row reader gives it.
    private func noteRepeats(message: String) throws {
        try db.statement("INSERT INTO temp.account_warning(line, rank, message) SELECT id, 0, ?1 FROM temp.account_repeat")
            .run(.text(message))
    }

    /// Runs `body` with SQLite's sorter allowed a helper thread per other core (`PRAGMA
    /// threads`): building an index of ten million random pseudonyms is a sort, and
    /// nothing else runs meanwhile.
    private func sortingOnEveryCore(_ body: () throws -> Void) throws {
        try db.execute("PRAGMA threads = \(WorkerThreads.processorCount - 1)")
        defer { try? db.execute("PRAGMA threads = 0") }
        try body()
    }

    /// The `CREATE INDEX` statement of the store's index `name`, as its migration wrote it.
    private func indexDefinition(_ name: String) throws -> String {
        let s = try db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1")
        try s.bind(.text(name))
        guard try s.step() else {
            throw DatabaseError(code: 11, message: "index \(name) absent du schéma", sql: "SELECT sql FROM sqlite_master WHERE name = '\(name)'")
        }
        return s.text(0)
    }
}
