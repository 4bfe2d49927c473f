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
            placeFields.withFields { place in
                period.withFields { period in
                    combos.withFields { combo in
                        for cell in counted.cells {
                            out.encoded(period(0))
                            let group = Int(cell.group) * placeColumns, pair = Int(cell.combo) * 2
                            for column in columns {
                                switch column {
                                case .source: out.encoded(combo(pair))
                                case .feature: out.encoded(combo(pair + 1))
                                case .place(let c): out.encoded(place(group + c))
                                }
                            }
                            count(cell.users)
                            out.integer(cell.visits)
                            out.integer(cell.logins)
                            out.integer(cell.requests)
                            out.endLine()
                            if out.bytes.count >= 1 << 20 { out.flush(to: output) }
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

/// One CSV document being encoded into bytes: fields separated by commas, lines ended by
/// CR LF, with the quoting of `CSVText.quoted` and the neutralisation of
/// `CSVText.neutralized`, byte for byte.
///
/// The bytes sit in a `ByteStorage`, a buffer that the writer fills through a pointer: an
/// export writes tens of millions of fields, and an `Array` append checks the array's
/// uniqueness and capacity for each of them. A copy of a writer shares its buffer: a
/// writer is not meant to be copied.
struct ByteLineWriter {
    private let storage: ByteStorage
    /// A text field being encoded (`field`), kept from one field to the next.
    private var encoding: [UInt8] = []
    private var lineStart = true

    init(capacity: Int) { storage = ByteStorage(capacity: capacity + 4096) }

    /// The bytes encoded since the last `flush`.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage.base, count: storage.count) }

    @inline(__always)
    private mutating func separate() {
        if !lineStart { storage.append(UInt8(ascii: ",")) }
        lineStart = false
    }

    /// A text field, quoted when it holds a comma, a quote or a line break; with
    /// `neutralized`, a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front.
    mutating func field(_ text: String, neutralized: Bool = false) {
        separate()
        encoding.removeAll(keepingCapacity: true)
        Self.encode(text, neutralized: neutralized, into: &encoding)
        encoding.withUnsafeBufferPointer { storage.append($0) }
    }

    /// The bytes of `field(text, neutralized:)` without the separator, appended to `bytes`.
    static func encode(_ text: String, neutralized: Bool, into bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            let prefix = neutralized && utf8.first.map { [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains($0) } == true
            // ASCII bytes never occur inside a multi-byte UTF-8 sequence, so a byte test
            // finds the same characters as a test of Unicode scalars.
            let quote = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if quote { bytes.append(0x22) }
            if prefix { bytes.append(UInt8(ascii: "'")) }
            if quote {
                for byte in utf8 {
                    if byte == 0x22 { bytes.append(0x22) }
                    bytes.append(byte)
                }
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
    }

    /// A field written as given (digits, a rate, `< N`: nothing to quote).
    mutating func raw(_ field: [UInt8]) {
        separate()
        field.withUnsafeBufferPointer { storage.append($0) }
    }

    /// A field encoded already (one of `EncodedFields`).
    @inline(__always)
    mutating func encoded(_ field: UnsafeBufferPointer<UInt8>) {
        separate()
        storage.append(field)
    }

    /// A decimal integer field.
    @inline(__always)
    mutating func integer(_ n: Int) {
        separate()
        if n < 0 { storage.append(UInt8(ascii: "-")) }
        digits(n.magnitude)
    }

    /// The decimal digits of `n` (at most 20).
    @inline(__always)
    private mutating func digits(_ n: UInt) {
        storage.reserve(20)
        // Counted first, then written from the last digit back.
        var length = 1, rest = n / 10
        while rest > 0 { length += 1; rest /= 10 }
        let end = storage.base + storage.count + length
        var n = n, at = end
        repeat {
            at -= 1
            at.pointee = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
        } while n > 0
        storage.count += length
    }

    /// A number with 4 decimals, `.` as decimal point, rounded half away from zero
    /// (`-0.00001` is `0.0000`). One too large to round this way, which only a damaged
    /// store gives (a rate is at most 1), is written as Swift writes it (`9.2e+18`, `inf`).
    mutating func rate(_ value: Double) {
        separate()
        let rounded = (abs(value) * 10_000).rounded(.toNearestOrAwayFromZero)
        guard rounded < 0x1p62 else {
            Array(String(value).utf8).withUnsafeBufferPointer { storage.append($0) }
            return
        }
        let scaled = Int(rounded)
        if value < 0 && scaled != 0 { storage.append(UInt8(ascii: "-")) }
        digits(UInt(scaled / 10_000))
        storage.append(UInt8(ascii: "."))
        let fraction = scaled % 10_000
        for divisor in [1000, 100, 10, 1] { storage.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10)) }
    }

    @inline(__always)
    mutating func endLine() {
        storage.append(0x0D)
        storage.append(0x0A)
        lineStart = true
    }

    /// Hands the bytes encoded so far to `output`, and empties the buffer.
    mutating func flush(to output: (UnsafeRawBufferPointer) -> Void) {
        output(bytes)
        storage.count = 0
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

    /// Every value of `groupValues`, with a leading `=`, `+`, `-`, `@`, tab or CR
    /// neutralised when `neutralized` (as group values are; a period is not).
    init(_ groupValues: [[String]], neutralized: Bool = true) {
        self.groupValues = groupValues
        for values in groupValues {
            for value in values {
                ByteLineWriter.encode(value, neutralized: neutralized, into: &bytes)
                starts.append(bytes.count)
            }
        }
    }

    /// Calls `body` with a function that gives the bytes of field i.
    func withFields<R>(_ body: ((Int) -> UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { all in
            try starts.withUnsafeBufferPointer { starts in
                try body { i in UnsafeBufferPointer(rebasing: all[starts[i]..<starts[i + 1]]) }
            }
        }
    }
}
