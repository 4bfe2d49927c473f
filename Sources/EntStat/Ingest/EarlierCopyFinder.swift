/// Finds, for one parse worker, the logs of the ledger that a file may complete: those whose
/// content starts as the file's does (the same `LogContentHead`), whatever their names (a
/// log read while it was still being written, then rotated under another name or
/// compressed), and the longest one ingested at the file's own path with a smaller size (a
/// copy ingested before the ledger kept heads, or a file too short to have a head). The
/// parser keeps the longest one the file really starts with (`LogFileParser.continuation`),
/// checked by its whole SHA-256.
///
/// Reads on a read-only connection of its own, opened on first use (the store's connection
/// belongs to the writer), and sees only the ledger rows that were there when the run began
/// (`lastFileID`): what a file skips does not depend on how far the writer got. A store
/// that cannot be read this way finds nothing; the file is then read whole.
final class EarlierCopyFinder {
    /// The most copies with one head tried for one file, longest first.
    static let limit = 8

    private let path: String
    private let lastFileID: Int64
    private var db: Database?
    private var statements: (byHead: Statement, byName: Statement)?
    private var unavailable = false

    init(path: String, lastFileID: Int64) {
        self.path = path
        self.lastFileID = lastFileID
    }

    /// The copies of the ledger for the file at `path`, of `size` bytes (nil: unknown, no
    /// lookup by path), whose content has this head (nil: none, no lookup by head): the
    /// longest one at that path, then those with the head, longest first.
    func copies(path: String, size: Int?, head: [UInt8]?) -> [LogFileParser.EarlierCopy] {
        guard lastFileID > 0, let statements = prepared() else { return [] }
        var copies: [LogFileParser.EarlierCopy] = []
        if let size {
            copies += rows(statements.byName, .text(path), .int(size), .integer(lastFileID))
        }
        if let head {
            copies += rows(statements.byHead, .blob(head), .integer(lastFileID))
        }
        return copies
    }

    private func rows(_ statement: Statement, _ values: DatabaseValue...) -> [LogFileParser.EarlierCopy] {
        statement.reset()
        defer { statement.reset() }
        var copies: [LogFileParser.EarlierCopy] = []
        guard (try? statement.bind(values)) != nil else { return [] }
        while (try? statement.step()) == true {
            copies.append(.init(name: statement.text(0), decodedBytes: statement.int(1), contentSHA256: Array(statement.blob(2)),
                                source: LogSource(rawValue: statement.text(3))))
        }
        return copies
    }

    private func prepared() -> (byHead: Statement, byName: Statement)? {
        if let statements { return statements }
        guard !unavailable else { return nil }
        do {
            let db = try Database(path: path, readOnly: true)
            db.setBusyTimeout(milliseconds: 60_000)
            self.db = db
            // By name: on the ledger's index of names (`ingested_file_name`).
            statements = (byHead: try db.prepare("""
                SELECT name, decoded_bytes, content_sha256, source FROM ingested_file
                WHERE head_sha256 = ?1 AND id <= ?2 AND decoded_bytes > 0
                ORDER BY decoded_bytes DESC LIMIT \(Self.limit)
                """), byName: try db.prepare("""
                SELECT name, decoded_bytes, content_sha256, source FROM ingested_file
                WHERE name = ?1 AND size_bytes < ?2 AND id <= ?3 AND decoded_bytes > 0
                ORDER BY decoded_bytes DESC LIMIT 1
                """))
        } catch {
            unavailable = true
        }
        return statements
    }
}
