#if canImport(Glibc)
import Glibc
#endif

/// Rotation of the pseudonymisation secret (RGPD): after it, nobody — not even with the new
/// secret and the raw user ids — can link the store's existing rows to a person.
///
/// Every existing identity and person is **sealed**: its pseudonym is replaced by random
/// bytes, and it keeps forever the person, "listed in the directory" status and places
/// (role, schools, levels, communes, EPCIs) it had, so the figures of past periods do not
/// change. The directory (`accounts.csv`, which must be given) is pseudonymised anew with the
/// new secret. A user seen again after the rotation becomes a new identity, linked to their
/// account as usual: in a period that straddles the rotation they count twice. Rotate at a
/// period boundary (a school year, right after a purge).
///
/// Crash safety: the new secret is written to `<secret>.new` (mode 0600) before the store's
/// transaction commits, then renamed over the old one, whose bytes are overwritten first.
/// If the process dies between the two, the next opening of the store finishes the rename.
extension Store {
    /// What a rotation did.
    public struct RotationResult: Sendable {
        /// The identities sealed under the old secret (their ids kept, their hashes dropped).
        public let sealedIdentities: Int
        /// The directory's load: its rows kept and its warnings (rows skipped, repeats).
        public let load: ReferenceLoad
        /// The accounts pseudonymised with the new secret.
        public var accounts: Int { load.rows }
    }

    /// Rotates the secret; the store must then be reopened (its pseudonymizer is the old one).
    /// The directory is refused as `loadAccounts` refuses it (no row kept; less than half
    /// the previous load's rows unless `allowShrink`), and nothing is then changed.
    public func rotateSecret(accountsPath: String, allowShrink: Bool = false) throws -> RotationResult {
        guard let old = pseudonymizer else { throw ReferenceError(file: path, message: "magasin ouvert en lecture seule") }
        try completePendingWork()
        let pendingPath = old.secretPath + ".new"
        unlink(pendingPath)
        let fresh = try Pseudonymizer(secretPath: pendingPath)
        let sealed: Int, load: ReferenceLoad
        try db.execute("PRAGMA secure_delete = ON")
        // The accounts file is read inside the transaction: a file that cannot be read
        // rolls everything back and leaves no pending secret behind.
        do {
            (sealed, load) = try db.transaction {
                let sealed = Int(try db.scalarInt("SELECT COUNT(*) FROM identity WHERE sealed = 0") ?? 0)
                try db.execute("""
                    UPDATE identity SET pseudonym = randomblob(32), sealed = 1,
                        account = CASE WHEN account IS NULL THEN NULL ELSE -1 END
                        WHERE sealed = 0;
                    UPDATE person SET sealed = 1, account = CASE WHEN account IS NULL THEN NULL ELSE -1 END
                        WHERE sealed = 0;
                    """)
                let load = try replaceAccounts(path: accountsPath, using: fresh, allowShrink: allowShrink)
                try db.statement("UPDATE meta SET value = ?1 WHERE key = 'secret_check'").run(.text(fresh.checkValue))
                // The last day of the logs read with the old secret: a period that holds days
                // on both sides counts a returning person twice (`periodsAcrossRotation`).
                if let last = try db.scalarInt("SELECT MAX(day) FROM timeline") {
                    try db.statement("INSERT INTO secret_rotation(rotated_after_day, rotated_at) VALUES (?1, ?2)")
                        .run(.int(Int(last)), .text(Store.timestamp()))
                }
                // Cleared once the store is rewritten (`rewriteAfterRotation`): until then
                // `status` says the old pseudonyms may survive in free pages.
                try db.statement("INSERT OR REPLACE INTO meta(key, value) VALUES ('\(Store.rewritePendingKey)', ?1)").run(.text(Store.timestamp()))
                return (sealed, load)
            }
        } catch {
            unlink(pendingPath)
            throw error
        }
        try Store.installRotatedSecret(pendingPath: pendingPath, secretPath: old.secretPath)
        let result = RotationResult(sealedIdentities: sealed, load: load)
        try rewriteAfterRotation(result)
        return result
    }

    /// The `meta` key a rotation sets (to when it committed) and its rewrite clears.
    static let rewritePendingKey = "rotation_rewrite_pending"

    /// When the last rotation committed (UTC, `Store.timestamp`), if the store was not
    /// rewritten after it: the rewrite failed (a full disk) or was interrupted.
    public func rotationRewritePending() throws -> String? {
        try Store.meta(db, Store.rewritePendingKey)
    }

    /// Rewrites every page of the store after a rotation, then clears the rotation's mark.
    /// A failure is a `RotationRewriteError` carrying `rotation`, what the rotation just
    /// committed did (nil for the rewrite of an earlier rotation, done again): the rotation
    /// has taken effect all the same.
    ///
    /// Old pseudonyms must not linger anywhere in the file: `secure_delete` clears the cells
    /// it deletes, but a B-tree page rebuilt by the updates can keep a stale copy of a moved
    /// cell in its unused space (seen in the pseudonym index). VACUUM writes every page anew
    /// (about a minute for a school year's store; a rotation is yearly; it needs about the
    /// store's size free on its disk), then the write-ahead log is emptied too.
    public func rewriteAfterRotation(_ rotation: RotationResult? = nil) throws {
        do {
            try db.execute("PRAGMA secure_delete = ON")
            try db.execute("VACUUM")
            try db.statement("DELETE FROM meta WHERE key = '\(Store.rewritePendingKey)'").run()
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        } catch {
            throw RotationRewriteError(path: path, rotation: rotation, cause: error)
        }
    }

    /// Overwrites the old secret's bytes, then renames the new secret over it.
    static func installRotatedSecret(pendingPath: String, secretPath: String) throws {
        let fd = open(secretPath, O_WRONLY | O_CLOEXEC)
        if fd >= 0 {
            var st = stat()
            if fstat(fd, &st) == 0 {
                let zeros = [UInt8](repeating: 0, count: Int(st.st_size))
                _ = zeros.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                fsync(fd)
            }
            close(fd)
        }
        guard rename(pendingPath, secretPath) == 0 else {
            throw StoreError.secretUnreadable(path: pendingPath, reason: "renommage en \(secretPath) impossible (\(SystemErrorText.current()))")
        }
    }

    /// After a crash between a rotation's commit and its rename, `<secret>.new` holds the
    /// secret the store expects: finish the rename. Returns true when it did.
    static func finishInterruptedRotation(secretPath: String, expectedCheck: String) -> Bool {
        let pendingPath = secretPath + ".new"
        guard access(pendingPath, R_OK) == 0, let pending = try? Pseudonymizer(secretPath: pendingPath),
              pending.checkValue == expectedCheck else { return false }
        return (try? installRotatedSecret(pendingPath: pendingPath, secretPath: secretPath)) != nil
    }
}

extension Store {
    /// The labels of the periods of a request that may count a person twice across a secret
    /// rotation, in order: for any rotation, those holding a day read before it (up to its
    /// `rotated_after_day`) and a day whose logs were read after it (from the day after, or
    /// from the earliest day of a late log read after it, its `late_from`). See "Rotating the
    /// secret".
    public func periodsAcrossRotation(_ request: ExportRequest) throws -> [String] {
        let rotations = try db.prepare("SELECT rotated_after_day, late_from FROM secret_rotation ORDER BY rotated_after_day")
        var labels = Set<String>()
        while try rotations.step() {
            let last = try StoredDay.checked(rotations.int(0), table: "secret_rotation", path: path)
            let newFrom = min(last + 1, rotations.isNull(1) ? last + 1 : rotations.int(1))
            labels.formUnion(try periodsAcross(request, last: last, newFrom: newFrom))
        }
        return labels.sorted()
    }

    /// The periods of `request` (clipped to its range) holding a day up to `last` and a day
    /// from `newFrom`.
    private func periodsAcross(_ request: ExportRequest, last: Int, newFrom: Int) throws -> [String] {
        let fromDay = request.from?.dayNumber ?? Int(Int32.min)
        let toDay = request.to?.dayNumber ?? Int(Int32.max)
        guard fromDay <= last, toDay >= newFrom else { return [] }
        if request.period == .all { return ["all"] }
        let s = try db.prepare("""
            SELECT \(request.period.calendarExpression) FROM calendar c GROUP BY 1
            HAVING MIN(c.day) <= ?1 AND MAX(c.day) >= ?4 AND MAX(c.day) >= ?2 AND MIN(c.day) <= ?3
            """)
        try s.bind(.int(last), .int(fromDay), .int(toDay), .int(newFrom))
        var labels: [String] = []
        while try s.step() { labels.append(s.text(0)) }
        return labels
    }
}
