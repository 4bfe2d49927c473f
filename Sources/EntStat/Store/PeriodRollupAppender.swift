/// Appends packed rollup rows (`PackedPeriodBatch`, from `PeriodRowPacker`) to
/// `person_period`, 128 rows per statement, as `INSERT OR IGNORE` whose rows are then
/// counted (see `MultiRowInsert`: no statement journal; a row not inserted is still an
/// error). Details are bound without a copy.
struct PeriodRollupAppender {
    private let db: Database
    private let kind: String
    private let first: Int
    static let rowsPerStatement = 128
    private static let fullSQL = sql(rows: rowsPerStatement)

    init(db: Database, kind: Store.RollupKind, first: Int) {
        self.db = db
        self.kind = kind.rawValue
        self.first = first
    }

    static func sql(rows: Int) -> String {
        let tuple = "(?1, ?2, ?, ?, ?, ?, ?, ?)"
        return "INSERT OR IGNORE INTO person_period(kind, first_day, person, days, requests, logins, visits, detail) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
    }

    func append(_ batch: PackedPeriodBatch) throws {
        var start = 0
        while start < batch.count {
            let rows = min(PeriodRollupAppender.rowsPerStatement, batch.count - start)
            let statement = try db.statement(rows == PeriodRollupAppender.rowsPerStatement
                                             ? PeriodRollupAppender.fullSQL : PeriodRollupAppender.sql(rows: rows))
            try statement.bindText(kind, at: 1)
            try statement.bindInt(Int64(first), at: 2)
            try batch.detail.withUnsafeBytes { buffer in
                var index: Int32 = 3
                for row in start..<(start + rows) {
                    try statement.bindInt(batch.person[row], at: index)
                    try statement.bindInt(batch.days[row], at: index + 1)
                    try statement.bindInt(batch.requests[row], at: index + 2)
                    try statement.bindInt(batch.logins[row], at: index + 3)
                    try statement.bindInt(batch.visits[row], at: index + 4)
                    // The bytes stay put until the statement has run, below.
                    try statement.bindTextInPlace(UnsafeRawBufferPointer(rebasing: buffer[batch.detailRange(row)]), at: index + 5)
                    index += 6
                }
                while try statement.step() {}
            }
            try db.expectInserted(rows, by: statement, into: "person_period")
            statement.reset()
            start += rows
        }
    }
}
