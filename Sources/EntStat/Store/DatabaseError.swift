/// An SQLite failure, with the SQL that caused it and SQLite's own explanation.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary result code (`SQLITE_BUSY` = 5, `SQLITE_CORRUPT` = 11, …).
    public let code: Int32
    /// SQLite's message.
    public let message: String
    /// The statement being prepared or run, when there was one.
    public let sql: String?

    public var description: String {
        if let sql {
            let flat = sql.split(whereSeparator: \.isNewline).map { $0.trimmed() }.joined(separator: " ")
            return "SQLite \(code) : \(message) — dans « \(flat.prefix(300)) »"
        }
        return "SQLite \(code) : \(message)"
    }
}
