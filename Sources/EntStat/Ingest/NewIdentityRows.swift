/// The rows of identities a run creates, buffered several per statement (`MultiRowInsert`)
/// by the writer (`LogIngester`): `identity` and `person`, with an account and without
/// (NULL), and the roles and schools the events give them. Flushed together before anything
/// reads those tables, and dropped together on a rollback.
struct NewIdentityRows {
    var identitiesWithAccount: MultiRowInsert
    var identitiesWithoutAccount: MultiRowInsert
    var personsWithAccount: MultiRowInsert
    var personsWithoutAccount: MultiRowInsert
    var roles: MultiRowInsert
    var schools: MultiRowInsert

    init(db: Database) {
        identitiesWithAccount = MultiRowInsert(db: db, table: "identity", columns: ["id", "pseudonym", "source", "account", "person"])
        identitiesWithoutAccount = MultiRowInsert(db: db, table: "identity", columns: ["id", "pseudonym", "source", "person"])
        personsWithAccount = MultiRowInsert(db: db, table: "person", columns: ["id", "account"])
        personsWithoutAccount = MultiRowInsert(db: db, table: "person", columns: ["id"])
        roles = MultiRowInsert(db: db, verb: "INSERT OR IGNORE", table: "identity_role", columns: ["identity", "role"])
        schools = MultiRowInsert(db: db, verb: "INSERT OR IGNORE", table: "identity_school", columns: ["identity", "uai"])
    }

    /// Every buffer, identities first.
    private static var all: [WritableKeyPath<NewIdentityRows, MultiRowInsert>] {
        [\.identitiesWithAccount, \.identitiesWithoutAccount, \.personsWithAccount, \.personsWithoutAccount, \.roles, \.schools]
    }

    /// Inserts every buffered row.
    mutating func flush() throws {
        for buffer in Self.all { try self[keyPath: buffer].flush() }
    }

    /// Drops every buffered row (their transaction was rolled back).
    mutating func discard() {
        for buffer in Self.all { self[keyPath: buffer].discard() }
    }
}
