// The `store` target: a whole store, damaged or hand-edited, given to every command that
// reads one. Each input is a list of edits applied to a copy of a small real store (made
// by `run` with the release binary from the sample data); then the copy is opened and read
// as `status`, `export` and `report` read it, and a day of logs is ingested into it. Every
// outcome but a crash, a trap or a hang is accepted: a damaged store must end in an error
// message, never bring the tool down.
//
// An input's first byte says what is run after the edits: the report with statistical
// secrecy (bit 0; without it, `--min-cell 0`, as the secrecy's solver takes most of the
// time) and the next night's ingest followed by a second round of reading (bit 1). Then
// its edits, one after the other, until its bytes run out:
//   byte 0        the column edited: an index into every (table, column) of the store
//   bytes 1–2     the row: an index into the table's rows, in the table's own order
//                 (0xFFFF: its last row; 0xFFFE: its middle row, the count halved)
//   byte 3        what is written (`Edit.Kind`), then that kind's bytes
// File edits (`Kind.fileByte`) are applied to the file after the SQL edits are committed,
// as damage on disk would be.
@_spi(Benchmark) @testable import EntStat
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum StoreFuzz {
    /// A column of a table of the store, with the columns that name one of its rows.
    struct Column {
        var table: String
        var name: String
        var key: [String]
    }

    /// What an edit writes into its cell.
    enum Kind: UInt8, CaseIterable {
        case null, interestingInteger, shiftedInteger, rawInteger, text, blob, byteReplaced, truncated,
             deleteRow, real, fileByte, duplicateRow
    }

    /// The store every input starts from, and what it needs: from the environment `run`
    /// sets (ENTSTAT_FUZZ_STORE, ENTSTAT_FUZZ_SECRET, ENTSTAT_FUZZ_DAY, ENTSTAT_FUZZ_QUERIES,
    /// ENTSTAT_FUZZ_SCRATCH).
    static let base = environment("ENTSTAT_FUZZ_STORE")
    static let secret = environment("ENTSTAT_FUZZ_SECRET")
    static let day = environment("ENTSTAT_FUZZ_DAY")
    static let queries = environment("ENTSTAT_FUZZ_QUERIES")
    static let scratch = environment("ENTSTAT_FUZZ_SCRATCH") + ".sqlite"
    /// A period to report on as well, as `--from` and `--to` would give it (the rich base's
    /// frozen month, whose report tables the purge kept), when both are set.
    static let reportPeriod: (from: CivilDate, to: CivilDate)? = {
        guard let from = getenv("ENTSTAT_FUZZ_REPORT_FROM").flatMap({ CivilDate(iso: String(cString: $0)) }),
              let to = getenv("ENTSTAT_FUZZ_REPORT_TO").flatMap({ CivilDate(iso: String(cString: $0)) }) else { return nil }
        return (from, to)
    }()

    static func environment(_ name: String) -> String {
        guard let value = getenv(name) else { fatalError("the store target needs \(name) (tools/fuzz/run sets it)") }
        return String(cString: value)
    }

    /// The store's bytes, read once.
    static let baseBytes: [UInt8] = readFile(base)

    /// Every column of every table of the base store, in a fixed order.
    static let columns: [Column] = {
        do {
            let db = try Database(path: base, readOnly: true)
            // (The sweep's jobs open the base at the same moment: one may wait on another.)
            db.setBusyTimeout(milliseconds: 10_000)
            var tables: [String] = []
            let list = try db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
            while try list.step() { tables.append(list.text(0)) }
            var columns: [Column] = []
            for table in tables {
                let info = try db.prepare("PRAGMA table_info(\"\(table)\")")
                var names: [String] = [], key: [(Int, String)] = []
                while try info.step() {
                    names.append(info.text(1))
                    if info.int(5) > 0 { key.append((info.int(5), info.text(1))) }
                }
                let keyNames = key.isEmpty ? ["rowid"] : key.sorted { $0.0 < $1.0 }.map(\.1)
                columns += names.map { Column(table: table, name: $0, key: keyNames) }
            }
            return columns
        } catch {
            fatalError("the base store \(base): \(error)")
        }
    }()

    /// Integers that sit on a boundary somewhere: ids, days, counts, bit fields.
    static let interesting: [Int64] = [0, 1, -1, 2, 3, 7, 24, 60, 255, 256, 1440, 16383, 16384, 32767, 65535, 65536,
                                       17794, 17800, -17794, 99999, 2_932_896, 1 << 31 - 1, 1 << 31, -(1 << 31),
                                       1 << 32, 1 << 53, .max, .min, .max - 1, .min + 1]

    static func readFile(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        precondition(fd >= 0, "cannot read \(path)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            precondition(n >= 0, "cannot read \(path)")
            if n == 0 { return bytes }
            bytes += chunk[..<n]
        }
    }

    /// A reader of the input's bytes that gives zeros once they run out.
    struct Input {
        var bytes: UnsafeRawBufferPointer
        var index = 0
        var isEmpty: Bool { index >= bytes.count }
        mutating func byte() -> UInt8 {
            defer { index += 1 }
            return index < bytes.count ? bytes[index] : 0
        }
        mutating func take(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
        mutating func integer(_ count: Int) -> Int64 {
            take(count).reduce(0) { $0 << 8 | Int64($1) }
        }
    }

    /// Applies the input's edits to a fresh copy of the store, then reads it every way.
    static func run(_ bytes: UnsafeRawBufferPointer) {
        for suffix in ["", "-wal", "-shm", ".lock"] { unlink(scratch + suffix) }
        baseBytes.withUnsafeBytes { FuzzTarget.writeFile(scratch, $0) }
        var input = Input(bytes: bytes)
        let options = input.byte()
        var fileEdits: [(offset: Int, byte: UInt8)] = []
        do {
            let db = try Database(path: scratch)
            try db.execute("BEGIN")
            while !input.isEmpty {
                let column = columns[Int(input.byte()) % columns.count]
                var row = input.integer(2)
                let kind = Kind(rawValue: input.byte() % UInt8(Kind.allCases.count))!
                if kind == .fileByte {
                    fileEdits.append((Int(input.integer(3)) % baseBytes.count, input.byte()))
                    continue
                }
                // The row's key, then its value in the column.
                let keys = column.key.map { "\"\($0)\"" }.joined(separator: ", ")
                if row == 0xFFFF { row = try db.scalarInt("SELECT COUNT(*) - 1 FROM \"\(column.table)\"") ?? 0 }
                if row == 0xFFFE { row = try db.scalarInt("SELECT COUNT(*) / 2 FROM \"\(column.table)\"") ?? 0 }
                let find = try db.prepare("SELECT \(keys), \"\(column.name)\" FROM \"\(column.table)\" LIMIT 1 OFFSET ?1")
                try find.bind(.integer(row))
                guard try find.step() else { continue }
                let key = (0..<column.key.count).map { find.value($0) }
                let old = find.value(column.key.count)
                let matching = column.key.enumerated().map { "\"\($0.element)\" IS ?\($0.offset + 2)" }.joined(separator: " AND ")
                var sql = "UPDATE OR IGNORE \"\(column.table)\" SET \"\(column.name)\" = ?1 WHERE \(matching)"
                var value = DatabaseValue.null
                switch kind {
                case .null, .fileByte: break
                case .interestingInteger: value = .integer(interesting[Int(input.byte()) % interesting.count])
                case .shiftedInteger:
                    if case .integer(let number) = old { value = .integer(number &+ Int64(Int8(bitPattern: input.byte()))) }
                case .rawInteger: value = .integer(input.integer(8))
                case .text, .blob:
                    value = .blob(input.take(Int(input.byte()) % 64))
                    if kind == .text { sql = sql.replacingFirst("?1", with: "CAST(?1 AS TEXT)") }
                case .byteReplaced, .truncated:
                    let position = Int(input.integer(2)), replacement = input.byte()
                    var contents: [UInt8]
                    switch old {
                    case .blob(let b): contents = b
                    case .text(let t): contents = Array(t.utf8); sql = sql.replacingFirst("?1", with: "CAST(?1 AS TEXT)")
                    default: continue
                    }
                    guard !contents.isEmpty else { continue }
                    if kind == .truncated { contents.removeLast(contents.count - position % contents.count) }
                    else { contents[position % contents.count] = replacement }
                    value = .blob(contents)
                case .real: value = .real([0.5, -1.5, 1e300, -1e300, 1e-300, 17794.25][Int(input.byte()) % 6])
                // (?1 is NULL for these two: the statements name it so that every edit binds alike.)
                case .deleteRow: sql = "DELETE FROM \"\(column.table)\" WHERE ?1 IS NULL AND \(matching)"
                case .duplicateRow:
                    // A copy of the row: a new row of a rowid table, refused by a unique key.
                    sql = "INSERT OR IGNORE INTO \"\(column.table)\" SELECT * FROM \"\(column.table)\" WHERE ?1 IS NULL AND \(matching)"
                }
                let update = try db.prepare(sql)
                try update.bind([value] + key)
                _ = try? update.step()
            }
            try db.execute("COMMIT")
        } catch {
            fatalError("the store target's edits: \(error)")
        }
        if !fileEdits.isEmpty {
            // Each byte written in place (the file never shrinks below the base's size:
            // the store has no auto-vacuum).
            let fd = open(scratch, O_WRONLY)
            precondition(fd >= 0, "cannot write \(scratch)")
            for var edit in fileEdits { precondition(pwrite(fd, &edit.byte, 1, off_t(edit.offset)) == 1, "cannot write \(scratch)") }
            close(fd)
        }
        let minCell = options & 1 == 0 ? 0 : 5
        readEverything(minCell: minCell)
        if options & 2 != 0 {
            ingest()
            readEverything(minCell: minCell)
        }
    }

    /// Everything a reader of the store does: `status`, exports at every period with and
    /// without places, the report (with `minCell` as its threshold), and the report of
    /// `reportPeriod` when there is one.
    static func readEverything(minCell: Int) {
        guard let store = try? Store(readingFrom: scratch, allowingPendingWork: true) else { return }
        _ = try? StoreStatus(store: store)
        _ = try? store.integrityProblems()
        let requests: [ExportRequest] = [
            ExportRequest(period: .day, dimensions: [.role, .level, .school, .commune, .epci, .source, .feature]),
            ExportRequest(period: .week, dimensions: [.school, .role]),
            ExportRequest(period: .month, dimensions: []),
            ExportRequest(period: .schoolYear, dimensions: [.feature, .commune], minCell: 5),
            ExportRequest(period: .all, dimensions: [.source]),
        ]
        for request in requests {
            _ = try? FrozenFigures.incompletePeriods(store: store, request: request)
            _ = try? store.periodsAcrossRotation(request)
            _ = try? FigureQuery.write(store: store, request: request) { FuzzTarget.readEveryByte(of: [$0]) }
        }
        var reports = [ReportRequest(minCell: minCell, queriesDirectory: queries)]
        if let period = reportPeriod {
            reports.append(ReportRequest(from: period.from, to: period.to, minCell: minCell, queriesDirectory: queries))
        }
        for request in reports {
            _ = try? ReportBuilder(store: store, request: request).build()
        }
    }

    /// The next night's run: a day of logs ingested into the store, its figures computed.
    static func ingest() {
        guard let store = try? Store(writingTo: scratch, secretPath: secret, lockTimeoutSeconds: 1),
              let ingester = try? LogIngester(store: store) else { return }
        _ = ingester.ingest(path: day)
        _ = try? store.enforceRetention()
        _ = try? store.completePendingWork()
    }
}

extension String {
    /// This string with the first `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
