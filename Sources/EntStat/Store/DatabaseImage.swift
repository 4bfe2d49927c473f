import CSQLite

/// The bytes of one in-memory database, copied out of its connection
/// (`sqlite3_serialize`), that other connections open read-only where they lie
/// (`Database.attach(_:as:)`): a table built once is read by every thread without being
/// built again or copied. Immutable once made, so connections on other threads may read it
/// at the same time.
final class DatabaseImage: @unchecked Sendable {
    let bytes: UnsafeMutablePointer<UInt8>
    let size: Int64

    /// Copies the database `schema` of `db` (an in-memory one, such as `temp`).
    init(of schema: String, in db: Database) throws {
        var size: sqlite3_int64 = 0
        guard let bytes = sqlite3_serialize(db.handle, schema, &size, 0) else {
            throw DatabaseError(code: SQLITE_NOMEM, message: "copie de la base « \(schema) » impossible", sql: nil)
        }
        self.bytes = bytes
        self.size = size
    }

    deinit { sqlite3_free(bytes) }
}

extension Database {
    /// True when a database named `schema` is attached to this connection.
    func isAttached(_ schema: String) throws -> Bool {
        let s = try prepare("SELECT 1 FROM pragma_database_list WHERE name = ?1")
        try s.bind(.text(schema))
        return try s.step()
    }

    /// Attaches `image` read-only as `schema` (replacing a database already attached under
    /// that name), without copying its bytes: the connection keeps `image` alive until it
    /// is closed or the schema is attached again. Pages are read straight from the image.
    func attach(_ image: DatabaseImage, as schema: String) throws {
        if try !isAttached(schema) { try execute("ATTACH ':memory:' AS \(schema)") }
        let flags = UInt32(SQLITE_DESERIALIZE_READONLY)
        let status = sqlite3_deserialize(handle, schema, image.bytes, image.size, image.size, flags)
        guard status == SQLITE_OK else {
            throw DatabaseError(code: status, message: lastMessage, sql: "sqlite3_deserialize(\(schema))")
        }
        attachedImages[schema] = image
        // Memory-mapped reads of an image return pointers into it instead of copying pages.
        try execute("PRAGMA \(schema).mmap_size = \(max(image.size, 1 << 20))")
    }

    /// Attaches a new, empty in-memory database as `schema` that this connection may write,
    /// even when it was opened read-only (an `ATTACH` takes the connection's flags; a
    /// database deserialized from a resizeable buffer does not).
    func attachWritableMemory(as schema: String) throws {
        try detachImage(schema)
        try execute("ATTACH ':memory:' AS \(schema)")
        // SQLite owns the buffer (freed on detach or close) and grows it as pages are written.
        guard let buffer = sqlite3_malloc64(512)?.assumingMemoryBound(to: UInt8.self) else {
            throw DatabaseError(code: SQLITE_NOMEM, message: "base « \(schema) » impossible à créer", sql: nil)
        }
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE)
        let status = sqlite3_deserialize(handle, schema, buffer, 0, 512, flags)
        guard status == SQLITE_OK else {
            throw DatabaseError(code: status, message: lastMessage, sql: "sqlite3_deserialize(\(schema))")
        }
    }

    /// True when `schema` is another connection's image, attached read-only.
    func holdsImage(_ schema: String) -> Bool { attachedImages[schema] != nil }

    /// Detaches the image attached as `schema`, if there is one.
    func detachImage(_ schema: String) throws {
        guard try isAttached(schema) else { return }
        try execute("DETACH \(schema)")
        attachedImages[schema] = nil
    }
}
