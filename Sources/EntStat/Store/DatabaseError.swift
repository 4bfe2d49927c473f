/// An SQLite failure, with the SQL that caused it and SQLite's own explanation.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary result code (`SQLITE_BUSY` = 5, `SQLITE_CORRUPT` = 11, …).
    public let code: Int32
    /// SQLite's message.
    public let message: String
    /// The statement being prepared or run, when there was one.
    public let sql: String?
    /// The byte of `sql` SQLite's error points at (`sqlite3_error_offset`), when it knows.
    public var offset: Int?

    /// A failure with SQLite's `code` and `message`, and the statement (`sql`) when there was one.
    public init(code: Int32, message: String, sql: String?, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.offset = offset
    }

    /// SQLite's code and message, after the store problem in French when there is one; the
    /// SQL (on one line, 300 characters at most) when there is none. Without parentheses
    /// of its own: the lines that quote it put it in theirs (« calcul des indicateurs
    /// interrompu (disque plein ; libérez de la place puis relancez — SQLite 13 : …) »).
    public var description: String {
        let technical = "SQLite \(code) : \(message)"
        // A problem of the store's file is not the statement's: its SQL would only bury the
        // advice (a read-only store used to print 600 characters of INSERT).
        if let storeProblem { return "\(storeProblem) — \(technical)" }
        guard let sql else { return technical }
        let flat = sql.split(whereSeparator: \.isNewline).map { $0.trimmed() }.joined(separator: " ")
        return technical + " — dans « \(flat.prefix(300)) »"
    }

    /// What the code means when it is about the store's file rather than the SQL: said
    /// first, in French, with what to do (a query file is then not to blame).
    public var storeProblem: String? {
        switch code {
        case 8: return "magasin en lecture seule ; vérifiez les droits du fichier, de son dossier et de son journal -wal"
        case 10: return "erreur d'entrée-sortie sur le magasin ; vérifiez le disque"
        case 11: return "magasin endommagé ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux"
        case 13: return "disque plein ; libérez de la place puis relancez"
        case 14: return "ouverture du magasin impossible ; vérifiez le chemin, le dossier et ses droits"
        case 26: return "ce fichier n'est pas un magasin entstat, ni même une base SQLite ; vérifiez le chemin donné à --db"
        default: return nil
        }
    }
}
