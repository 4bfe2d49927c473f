/// An analyst's SQL query (a file of `Queries/`), run read-only with named parameters.
public struct AnalystQuery: Sendable {
    /// What went wrong with a query file.
    public enum Failure: Error, CustomStringConvertible {
        /// Named parameters with no value (`names` without their `:`, `@` or `$`).
        case missingParameters(file: String, names: [String])
        /// SQLite refused or failed the query; `place` is the line SQLite pointed at in the
        /// file (`sqlite3_error_offset`), or `-`. The error holds no SQL when it is about
        /// the file's own text (the line names the file), else the engine's statement.
        case sql(file: String, place: String, error: DatabaseError)
        /// The file holds a second statement, which would silently not run; `place` is the
        /// line where it starts.
        case moreThanOneStatement(file: String, place: String)
        /// The statement would change the store: analyst queries only read.
        case notAQuery(file: String)

        public var description: String {
            switch self {
            case .missingParameters(let file, let names):
                let one = names.count == 1
                return ErrorLine.format(file, "\(one ? "paramètre manquant" : "paramètres manquants") : \(names.joined(separator: ", ")) ; "
                    + "ajoutez \(names.map { "--param \($0)=…" }.joined(separator: " "))")
            case .sql(let file, let place, let error):
                // A problem of the store (damaged, disk full) says so first, in French.
                return ErrorLine.format(file, place, error.storeProblem == nil ? "erreur SQL (\(error))" : "\(error)")
            case .notAQuery(let file):
                return ErrorLine.format(file, "cette instruction modifierait le magasin ; entstat query n'exécute que des lectures (SELECT, WITH … SELECT)")
            case .moreThanOneStatement(let file, let place):
                return ErrorLine.format(file, place, "une seconde instruction SQL suit la première, qui seule serait exécutée ; mettez une requête par fichier")
            }
        }
    }

    /// A result: column names and rows of cells.
    public struct Table: Sendable {
        public var columns: [String]
        public var rows: [[DatabaseValue]]

        /// RFC 4180 CSV; text cells neutralised against formulas.
        public func csv() -> String {
            var out = AnalystQuery.csvLine(columns)
            for row in rows {
                out += AnalystQuery.csvLine(row)
            }
            return out
        }
    }

    public let sql: String
    public let file: String

    /// The query `sql`, read from `file` (named in its errors).
    public init(sql: String, file: String) {
        self.sql = sql
        self.file = file
    }

    /// A parameter's value as bound: an integer when the text is an integer written the
    /// usual way (`42`, `-7`), text otherwise, so that an INSEE code such as `01053` keeps
    /// its leading zero (as an integer it would be 1053 and match no commune).
    static func value(of text: String) -> DatabaseValue {
        if let n = Int64(text), String(n) == text { return .integer(n) }
        return .text(text)
    }

    /// Runs the query; every named parameter must have a value. `shared`: the tables the
    /// engine builds for a range (`RangeActivity`, `RangeMonthlySums`, `RangeAccounts`) already built by other
    /// connections of the same run.
    public func run(on store: Store, parameters: [String: String], shared: RangeActivity.SharedTables? = nil) throws -> Table {
        var table = Table(columns: [], rows: [])
        try stream(on: store, parameters: parameters, shared: shared,
                   columns: { table.columns = $0 }, row: { table.rows.append($0) })
        return table
    }

    /// `error` as the file's failure: at the line SQLite pointed at when the error is about
    /// this query's text (not about a statement the engine ran for it).
    func failure(_ error: DatabaseError) -> Failure {
        guard error.sql == sql else { return .sql(file: file, place: ErrorLine.wholeFile, error: error) }
        // The file is named: its text (all of it, on one line) would only bury the cause.
        let place = error.offset.map { ErrorLine.line(ofByte: $0, in: sql) }
        return .sql(file: file, place: place ?? ErrorLine.wholeFile, error: DatabaseError(code: error.code, message: error.message, sql: nil))
    }

    /// Runs the query and hands out its column names, then each row as it is stepped, never
    /// the whole result at once (`entstat query` writes each row as it comes).
    public func stream(on store: Store, parameters: [String: String], shared: RangeActivity.SharedTables? = nil,
                       columns: ([String]) -> Void, row: ([DatabaseValue]) -> Void) throws {
        let statement: Statement
        do {
            // The engine's tables exist (empty) before the query is prepared, and are filled
            // only once its parameters are known to be all there.
            try RangeActivity.declare(on: store.db, sql: sql)
            try RangeMonthlySums.declare(on: store.db, sql: sql)
            try RangeWeeklySources.declare(on: store.db, sql: sql)
            try RangeAccounts.declare(on: store.db, sql: sql)
            statement = try store.db.prepare(sql)
        } catch let error as DatabaseError {
            throw failure(error)
        }
        if let offset = AnalystQuery.nextStatementOffset(in: sql, after: statement.preparedLength) {
            throw Failure.moreThanOneStatement(file: file, place: ErrorLine.line(ofByte: offset, in: sql))
        }
        guard statement.isReadOnly else { throw Failure.notAQuery(file: file) }
        var missing: [String] = []
        for name in statement.parameterNames {
            let key = String(name.dropFirst())
            guard let value = parameters[key] else {
                // `:x` and `@x` both take --param x.
                if !missing.contains(key) { missing.append(key) }
                continue
            }
            try statement.bind(AnalystQuery.value(of: value), named: name)
        }
        // The engine's tables read their parameters whether the SQL names them or not, so
        // they are required too: those of a range (`activite_periode`, the monthly sums, the
        // weekly sources) `from`, `to` and the place (`commune`, `epci`: '' for the
        // territory); the accounts' `to` and the place.
        var required: [String] = []
        if RangeActivity.isNamed(in: sql) || RangeMonthlySums.isNamed(in: sql) || RangeWeeklySources.isNamed(in: sql) {
            required = ["from", "to", "commune", "epci"]
        } else if RangeAccounts.isNamed(in: sql) {
            required = ["to", "commune", "epci"]
        }
        for name in required where parameters[name] == nil && !missing.contains(name) { missing.append(name) }
        guard missing.isEmpty else { throw Failure.missingParameters(file: file, names: missing) }
        do {
            try RangeActivity.prepare(store: store, sql: sql, parameters: parameters, shared: shared)
            try RangeMonthlySums.prepare(store: store, sql: sql, parameters: parameters, shared: shared)
            try RangeWeeklySources.prepare(store: store, sql: sql, parameters: parameters, shared: shared)
            try RangeAccounts.prepare(store: store, sql: sql, parameters: parameters, shared: shared)
        } catch let error as DatabaseError {
            throw failure(error)
        }
        columns((0..<statement.columnCount).map(statement.columnName))
        do {
            while try statement.step() {
                row((0..<statement.columnCount).map(statement.value))
            }
        } catch let error as DatabaseError {
            throw failure(error)
        }
    }

    /// The byte offset of what follows the first statement of `sql` (which ends at byte
    /// `end`) when it is more than blanks, `;` and comments; nil otherwise.
    static func nextStatementOffset(in sql: String, after end: Int) -> Int? {
        let bytes = Array(sql.utf8)
        var i = end
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == UInt8(ascii: ";") {
                i += 1
            } else if b == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                while i < bytes.count && bytes[i] != 0x0A { i += 1 }
            } else if b == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i < bytes.count && !(bytes[i] == UInt8(ascii: "*") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
            } else {
                return i
            }
        }
        return nil
    }

    /// The CSV line of the column names (RFC 4180, ending in CRLF).
    public static func csvLine(_ columns: [String]) -> String {
        CSVText.line(columns) + "\r\n"
    }

    /// The CSV line of a row (RFC 4180, ending in CRLF; text neutralised against formulas).
    public static func csvLine(_ row: [DatabaseValue]) -> String {
        CSVText.line(row.map(AnalystQuery.cell)) + "\r\n"
    }

    static func cell(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return ExportCSV.formatRate(v)
        case .text(let t): return CSVText.neutralized(t)
        case .blob(let b): return "<\(b.count) octets>"
        }
    }
}
