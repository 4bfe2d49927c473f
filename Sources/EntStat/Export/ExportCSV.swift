/// Formats figure rows as the CSV of `entstat export` (SPEC §3): comma, `.` decimal point,
/// header row, no BOM, rates with 4 decimals (empty when there are no accounts), and
/// small-cell suppression when `minCell` > 0.
public enum ExportCSV {
    public static func header(for request: ExportRequest) -> [String] {
        var h = ["period"] + request.dimensions.map(\.rawValue) + ["active_users", "connections", "logins", "requests"]
        if request.includesAccounts { h += ["accounts", "activated_accounts", "activation_rate", "active_rate"] }
        return h
    }

    /// A number with 4 decimals, `.` as decimal point, rounded half away from zero.
    public static func formatRate(_ value: Double) -> String {
        var out = ByteLineWriter(capacity: 32)
        out.rate(value)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The whole CSV document.
    public static func document(_ rows: [FigureRow], request: ExportRequest) -> String {
        var bytes: [UInt8] = []
        write(rows, request: request) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the CSV document to `output` in chunks of about 1 MB, encoded straight into
    /// bytes, without a `String` per field (a day-level export by school and feature has
    /// millions of rows).
    public static func write(_ rows: [FigureRow], request: ExportRequest, to output: (UnsafeRawBufferPointer) -> Void) {
        var writer = Writer(request: request)
        writer.write(rows, to: output)
        writer.finish(to: output)
    }

    /// A CSV document written a few rows at a time: the header, then each `write`'s rows,
    /// handed to the output in chunks of about 1 MB.
    public struct Writer {
        private var out = ByteLineWriter(capacity: 1 << 20)
        private let request: ExportRequest
        private let suppressed: [UInt8]
        /// The place values of the counted periods written, encoded.
        private var placeFields = EncodedFields([])

        public init(request: ExportRequest) {
            self.request = request
            suppressed = Array("< \(request.minCell)".utf8)
            for field in header(for: request) { out.field(field) }
            out.endLine()
        }

        private mutating func count(_ n: Int) {
            if Suppression.isSmall(n, minCell: request.minCell) { out.raw(suppressed) } else { out.integer(n) }
        }

        private mutating func rate(_ value: Double?, from counts: Int...) {
            guard let value else { return out.raw([]) }
            if counts.contains(where: { Suppression.isSmall($0, minCell: request.minCell) }) { return out.raw(suppressed) }
            out.rate(value)
        }

        /// Encodes `rows`, handing full chunks to `output`.
        public mutating func write(_ rows: [FigureRow], to output: (UnsafeRawBufferPointer) -> Void) {
            for row in rows {
                out.field(row.period)
                for group in row.groups { out.field(group, neutralized: true) }
                count(row.activeUsers)
                out.integer(row.connections)
                out.integer(row.logins)
                out.integer(row.requests)
                if request.includesAccounts {
                    count(row.accounts)
                    count(row.activatedAccounts)
                    rate(row.activationRate, from: row.accounts, row.activatedAccounts)
                    rate(row.activeRate, from: row.accounts, row.listedActiveUsers)
                }
                out.endLine()
                if out.bytes.count >= 1 << 20 { out.flush(to: output) }
            }
        }

        /// Encodes one period's counted cells, handing full chunks to `output`: the same
        /// bytes as `write(counted.rows(dimensions:))`, but each text encoded once per export
        /// (the places) or per period (the period, sources and features) instead of once per
        /// line. Only for a request without account figures (grouped by source or feature).
        mutating func write(_ counted: CountedPeriod, to output: (UnsafeRawBufferPointer) -> Void) {
            precondition(!request.includesAccounts, "counted cells carry no account figures")
            // Every period of one export shares its groups (an O(1) comparison then).
            if placeFields.groupValues != counted.groupValues {
                placeFields = EncodedFields(counted.groupValues)
            }
            let period = EncodedFields([[counted.label]], neutralized: false)
            let combos = EncodedFields(counted.combos.map { [$0.source, $0.feature] })
            let columns = CountedPeriod.columns(of: request.dimensions)
            let placeColumns = request.dimensions.filter(\.isPlace).count
            // The longest line: the longest value of each column, its separator, and four
            // counts of at most 20 digits and a sign (or the suppressed text) each.
            var longest = period.longest + 4 * (1 + max(21, suppressed.count))
            for column in columns {
                switch column {
                case .source, .feature: longest += 1 + combos.longest
                case .place: longest += 1 + placeFields.longest
                }
            }
            let minCell = request.minCell
            placeFields.withFields { place in
                period.withFields { period in
                    combos.withFields { combo in
                        suppressed.withUnsafeBufferPointer { suppressed in
                            for cell in counted.cells {
                                let group = Int(cell.group) * placeColumns, pair = Int(cell.combo) * 2
                                out.line(reserving: longest) { line in
                                    line.padded(period(0))
                                    for column in columns {
                                        line.byte(UInt8(ascii: ","))
                                        switch column {
                                        case .source: line.padded(combo(pair))
                                        case .feature: line.padded(combo(pair + 1))
                                        case .place(let c): line.padded(place(group + c))
                                        }
                                    }
                                    line.byte(UInt8(ascii: ","))
                                    if Suppression.isSmall(cell.users, minCell: minCell) { line.bytes(suppressed) } else { line.integer(cell.users) }
                                    line.byte(UInt8(ascii: ","))
                                    line.integer(cell.visits)
                                    line.byte(UInt8(ascii: ","))
                                    line.integer(cell.logins)
                                    line.byte(UInt8(ascii: ","))
                                    line.integer(cell.requests)
                                }
                                if out.bytes.count >= 1 << 20 { out.flush(to: output) }
                            }
                        }
                    }
                }
            }
        }

        /// Hands what is left to `output`.
        public mutating func finish(to output: (UnsafeRawBufferPointer) -> Void) {
            out.flush(to: output)
        }
    }
}

/// Texts encoded once as CSV fields (quoted and neutralised as `ByteLineWriter.field`
/// does), to be copied into many lines: the values of each row of `groupValues`, one after
/// the other, field i being value i % width of row i / width.
struct EncodedFields {
    /// The rows encoded.
    let groupValues: [[String]]
    private var bytes: [UInt8] = []
    /// Where field i starts; it ends where field i + 1 starts.
    private var starts: [Int] = [0]
    /// The byte count of the longest field.
    private(set) var longest = 0

    /// Every value of `groupValues`, with a leading `=`, `+`, `-`, `@`, tab or CR
    /// neutralised when `neutralized` (as group values are; a period is not).
    init(_ groupValues: [[String]], neutralized: Bool = true) {
        self.groupValues = groupValues
        for values in groupValues {
            for value in values {
                ByteLineWriter.encode(value, neutralized: neutralized, into: &bytes)
                longest = max(longest, bytes.count - starts.last!)
                starts.append(bytes.count)
            }
        }
        bytes += [UInt8](repeating: 0, count: LinePointer.wordSlack)
    }

    /// Calls `body` with a function that gives the bytes of field i, after which
    /// `LinePointer.wordSlack` bytes may be read (`LinePointer.padded`).
    func withFields<R>(_ body: ((Int) -> UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { all in
            try starts.withUnsafeBufferPointer { starts in
                try body { i in UnsafeBufferPointer(rebasing: all[starts[i]..<starts[i + 1]]) }
            }
        }
    }
}
