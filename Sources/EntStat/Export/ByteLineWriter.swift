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
        var line = LinePointer(at: storage.base + storage.count)
        line.digits(n)
        storage.count = line.at - storage.base
    }

    /// A number with 4 decimals, `.` as decimal point, rounded half away from zero as the
    /// exact quotient would be (`DecimalRounding`: 57/800 is `0.0713`; `-0.00001` is
    /// `0.0000`). One too large to round this way, which only a damaged store gives (a rate
    /// is at most 1), is written as Swift writes it (`9.2e+18`, `inf`).
    mutating func rate(_ value: Double) {
        separate()
        let rounded = DecimalRounding.scaledMagnitude(value, scale: 10_000)
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

    /// One whole line written through a pointer (`LinePointer`) into `reserving` bytes made
    /// room for at once, its CR LF added: for a writer of millions of lines whose longest
    /// is known, without a check of the buffer's room per field.
    @inline(__always)
    mutating func line(reserving n: Int, _ body: (inout LinePointer) -> Void) {
        precondition(lineStart, "a line written whole starts a line")
        // The line, its CR LF, and what the last word of a padded field may write past it.
        storage.reserve(n + 2 + LinePointer.wordSlack)
        var line = LinePointer(at: storage.base + storage.count)
        body(&line)
        line.byte(0x0D)
        line.byte(0x0A)
        storage.count = line.at - storage.base
    }

    /// Hands the bytes encoded so far to `output`, and empties the buffer.
    mutating func flush(to output: (UnsafeRawBufferPointer) -> Void) {
        output(bytes)
        storage.count = 0
    }
}
