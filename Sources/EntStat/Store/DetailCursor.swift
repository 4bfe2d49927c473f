/// A read position in a packed detail (`PackedPeriodRow`): the compact JSON entstat
/// writes is read byte by byte, blanks allowed between tokens.
struct DetailCursor {
    let bytes: UnsafeRawBufferPointer
    private let p: UnsafePointer<UInt8>?
    private let n: Int
    var i = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        n = bytes.count
    }

    var atEnd: Bool {
        mutating get { skipBlanks(); return i == n }
    }

    @inline(__always)
    private mutating func skipBlanks() {
        while i < n, let p, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    /// Moves past `c` (after blanks); false, without moving past it, when another byte
    /// comes.
    @inline(__always)
    mutating func take(_ c: UInt8) -> Bool {
        if i < n, let p, p[i] == c { i += 1; return true }
        skipBlanks()
        if i < n, let p, p[i] == c { i += 1; return true }
        return false
    }

    /// The bytes of a string without escapes, the opening quote already taken, and the
    /// cursor after its closing quote; nil (the cursor unmoved) when it has an escape or
    /// no end.
    @inline(__always)
    mutating func plainString() -> UnsafeRawBufferPointer? {
        guard let p else { return nil }
        // Eight bytes at a time up to the first quote or backslash, which the loop below
        // looks at.
        var k = ByteWord.scan(p, from: i, to: n, marks: ByteWord.quoteOrBackslash)
        while k < n {
            let c = p[k]
            if c == UInt8(ascii: "\"") {
                let text = UnsafeRawBufferPointer(start: p + i, count: k - i)
                i = k + 1
                return text
            }
            if c == UInt8(ascii: "\\") { return nil }
            k += 1
        }
        return nil
    }

    /// A decimal integer (an optional minus sign); nil when there is none or it overflows.
    @inline(__always)
    mutating func integer() -> Int64? {
        skipBlanks()
        guard let p else { return nil }
        var negative = false
        if i < n, p[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let start = i
        var v: Int64 = 0
        // Up to 18 digits no Int64 can overflow: no check per digit (counts have a few).
        while i < n {
            let d = p[i] &- 0x30
            guard d < 10 else { break }
            v = v &* 10 &+ Int64(d)
            i += 1
            if i - start > 18 { return checkedInteger(from: start, negative: negative) }
        }
        guard i > start else { return nil }
        return negative ? -v : v
    }

    /// The integer of more than 18 digits at `start`, read again with overflow checks.
    @inline(never)
    private mutating func checkedInteger(from start: Int, negative: Bool) -> Int64? {
        guard let p else { return nil }
        i = start
        var v: Int64 = 0
        while i < n {
            let d = p[i] &- 0x30
            guard d < 10 else { break }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            v = s
            i += 1
        }
        return negative ? -v : v
    }

    /// The four counts of an entry when each is one digit and nothing stands between them
    /// (`,d,d,d,d]`, as entstat writes nearly every entry of a day: 98 % of October's on the
    /// bench's Somme year), the cursor after the closing bracket; nil, the cursor unmoved,
    /// otherwise (then read them with `take` and `integer`).
    ///
    /// One word holds the commas and digits: bytes 0, 2, 4 and 6 must be commas, bytes 1,
    /// 3, 5 and 7 digits, read as four 16-bit lanes.
    @inline(__always)
    mutating func oneDigitCounts() -> (Int64, Int64, Int64, Int64)? {
        guard let p, i + 9 <= n, p[i + 8] == UInt8(ascii: "]") else { return nil }
        let word = ByteWord.load(p + i)
        let lowBytes: UInt64 = 0x00FF_00FF_00FF_00FF
        guard word & lowBytes == 0x002C_002C_002C_002C else { return nil }
        let digits = (word >> 8) & lowBytes
        let values = digits &- 0x0030_0030_0030_0030
        // A lane below "0" borrows into its high byte; one above "9" reaches 0x80 once
        // 0x46 is added (at most 0xFF + 0x46 = 0x145: bit 8, caught by the same mask).
        let belowZero = values & 0xFF00_FF00_FF00_FF00
        let aboveNine = (digits &+ 0x0046_0046_0046_0046) & 0xFF80_FF80_FF80_FF80
        guard belowZero | aboveNine == 0 else { return nil }
        i += 9
        return (Int64(values & 0xF), Int64(values >> 16 & 0xF), Int64(values >> 32 & 0xF), Int64(values >> 48 & 0xF))
    }

    /// Moves past the four counts of an entry and its closing bracket.
    @inline(__always)
    mutating func skipCounts() -> Bool {
        guard let p else { return false }
        var commas = 0
        while i < n {
            let c = p[i]
            i += 1
            if c == UInt8(ascii: "]") { return commas == 4 }
            if c == UInt8(ascii: ",") { commas += 1 }
        }
        return false
    }

    /// The message of an unexpected byte.
    func expected(_ what: String) -> String {
        "« \(what) » attendu à l'octet \(i)"
    }
}
