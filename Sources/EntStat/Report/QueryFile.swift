/// One `.sql` file of `Queries/`: its name, the title and question of its header comment,
/// and its SQL.
///
/// Header lines look like `-- titre: …` and `-- question: …`; other comment lines are kept
/// in the SQL and ignored by SQLite.
public struct QueryFile: Sendable {
    /// File name without `.sql` (also the CSV file name).
    public var name: String
    /// The file's path, as error messages name it.
    public var path: String
    /// The `-- titre:` of the header comment; the name when there is none.
    public var title: String
    /// The `-- question:` of the header comment; empty when there is none.
    public var question: String
    /// The whole text of the file, header comment included.
    public var sql: String

    /// The query `sql`, its title and question read from the comment lines it opens with.
    public init(name: String, path: String, sql: String) {
        self.name = name
        self.path = path
        self.sql = sql
        var title = name
        var question = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmed()
            guard t.hasPrefix("--") else { if !t.isEmpty { break } else { continue } }
            let body = String(t.dropFirst(2)).trimmed()
            if body.hasPrefix("titre:") { title = String(body.dropFirst(6)).trimmed() }
            if body.hasPrefix("question:") { question = String(body.dropFirst(9)).trimmed() }
        }
        self.title = title
        self.question = question
    }

    /// Runs the query read-only with the report's parameters (`shared`: see `AnalystQuery`).
    public func run(on store: Store, parameters: [String: String], shared: RangeActivity.SharedTables? = nil) throws -> AnalystQuery.Table {
        try AnalystQuery(sql: sql, file: path).run(on: store, parameters: parameters, shared: shared)
    }
}
