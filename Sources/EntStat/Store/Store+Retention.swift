/// Retention (RGPD): the per-user rows of the store, and the limit before which they have
/// been purged.
///
/// Per-user rows are those keyed by a pseudonymised person or identity: `timeline`,
/// `person_day_activity`, `person_day`, `visit_start` (by day), and `identity`, `identity_role`,
/// `identity_school`, `person`, `person_place` for users with no remaining day. Aggregates
/// (`day_window`, the ledger, `frozen_*`) hold no per-user row.
extension Store {
    /// The tables keyed by (person or identity, day).
    static let perUserDayTables = ["timeline", "person_day_activity", "person_day", "visit_start", "pending_person_day"]

    /// The first day still held per user, when the store was purged (`entstat purge`).
    /// A limit that is not a day of the years 1 to 9999 is damage, refused: read as "never
    /// purged", it would have every reader count the purged periods from the few per-user
    /// rows left instead of their frozen figures.
    public func purgeLimit() throws -> Int? {
        guard let text = try Store.meta(db, "purged_before") else { return nil }
        func damaged(_ what: String) -> StoreError {
            .damaged(path: db.path, table: "meta", reason: "la limite de purge (purged_before) \(what)")
        }
        guard let day = Int(text) else { throw damaged("n'est pas un numéro de jour") }
        guard CivilDate.supportedDayNumbers.contains(day) else { throw damaged("est le jour \(day), hors des années 1 à 9999") }
        return day
    }

    /// Deletes the per-user rows dated before the purge limit that a late log brought back
    /// after a purge, and the identities left without any day. Returns the rows deleted.
    @discardableResult
    public func enforceRetention() throws -> Int {
        guard let limit = try purgeLimit() else { return 0 }
        return try db.transaction { try deletePerUserRows(before: limit) }
    }

    /// Deletes every per-user row dated before `limit` and the pseudonyms no day refers to
    /// any more (inside the caller's transaction). Returns the rows deleted.
    func deletePerUserRows(before limit: Int) throws -> Int {
        var deleted = 0
        for table in Store.perUserDayTables {
            try db.statement("DELETE FROM \(table) WHERE day < ?1").run(.int(limit))
            deleted += db.changes
        }
        // The concurrency windows of purged days are aggregates: never recount them from
        // the (now empty) per-user rows.
        try db.statement("DELETE FROM pending_window_day WHERE day < ?1").run(.int(limit))
        // The totals per day and role or place go with the day rows they are computed from
        // (the report reads frozen tables for purged periods).
        for table in ["visit_hour_role", "activity_day_role", "visit_day_place", "activity_day_place", "peak_day_place",
                      "pending_role_day"] {
            try db.statement("DELETE FROM \(table) WHERE day < ?1").run(.int(limit))
        }
        try db.execute("""
            DELETE FROM identity_role WHERE identity NOT IN (SELECT identity FROM timeline);
            DELETE FROM identity_school WHERE identity NOT IN (SELECT identity FROM timeline);
            DELETE FROM identity WHERE id NOT IN (SELECT identity FROM timeline);
            DELETE FROM person_place WHERE person NOT IN (SELECT person FROM identity);
            DELETE FROM person WHERE id NOT IN (SELECT person FROM identity);
            """)
        deleted += db.changes
        // Persons removed above leave `person_role` (their places are gone).
        try Store.refreshRoleDays(db)
        // Reject samples of files wholly before the limit (masked, but still log text).
        try db.statement("DELETE FROM reject_sample WHERE file IN (SELECT id FROM ingested_file WHERE last_day < ?1)").run(.int(limit))
        deleted += db.changes
        return deleted
    }
}
