import Testing
@testable import EntStat

/// `DetailCursor.plainString`, which scans eight bytes at a time, against a byte-by-byte
/// reading of the same bytes; `DetailCursor.integer`, unchecked up to 18 digits, against
/// Swift's own parsing of the same digits.
@Suite struct DetailCursorTests {
    /// The bytes before the first quote; nil when a backslash or the end comes first.
    static func expected(_ bytes: [UInt8]) -> [UInt8]? {
        for (i, c) in bytes.enumerated() {
            if c == UInt8(ascii: "\"") { return Array(bytes[..<i]) }
            if c == UInt8(ascii: "\\") { return nil }
        }
        return nil
    }

    @Test func aPlainStringEndsAtItsFirstQuoteWhereverItFalls() {
        // Every length up to 20, the quote or a backslash at every position, bytes that
        // look alike in the high or low bits (0xA2, 0xDC, 0x21, 0x5D) and UTF-8 around them.
        let fillers: [UInt8] = [UInt8(ascii: "a"), 0xA2, 0xDC, 0x21, 0x5D, 0xC3, 0xA9]
        var checked = 0
        for length in 0...20 {
            for position in 0...length {
                for special in [UInt8(ascii: "\""), UInt8(ascii: "\\")] {
                    var bytes = (0..<length).map { fillers[$0 % fillers.count] }
                    if position < length { bytes[position] = special }
                    // A quote after it, so that a string with no special byte still ends.
                    bytes += [UInt8(ascii: "\""), UInt8(ascii: ",")]
                    let got: [UInt8]? = bytes.withUnsafeBytes { raw in
                        var cursor = DetailCursor(raw)
                        guard let text = cursor.plainString() else { return nil }
                        #expect(cursor.i == text.count + 1, "the cursor is after the closing quote")
                        return Array(text)
                    }
                    #expect(got == Self.expected(bytes), "length \(length), \(special) at \(position)")
                    checked += 1
                }
            }
        }
        #expect(checked == 462)
    }

    @Test func anIntegerIsReadAsSwiftReadsItOrRefusedWhenItOverflows() {
        // Every length of digits from 1 to 21 (the unchecked loop stops after 18), signed
        // or not, the largest Int64 and one more, leading zeros.
        var texts = ["9223372036854775807", "-9223372036854775807", "9223372036854775808", "000000000000000000000042", "-0", ""]
        for length in 1...21 {
            let digits = String((0..<length).map { Character(String(($0 * 7 + 3) % 10)) })
            texts += [digits, "-" + digits, String(repeating: "9", count: length)]
        }
        var overflowed = 0
        for text in texts {
            let bytes = Array((text + ",").utf8)
            let (got, at): (Int64?, Int) = bytes.withUnsafeBytes { raw in
                var cursor = DetailCursor(raw)
                return (cursor.integer(), cursor.i)
            }
            let expected = Int64(text)
            #expect(got == expected, "\(text)")
            if expected == nil && !text.isEmpty { overflowed += 1 }
            if expected != nil { #expect(at == text.utf8.count, "\(text): the cursor is after the digits") }
        }
        // Overflow: 9223372036854775808, the 19 nines, and the three texts of 20 and of 21
        // digits.
        #expect(overflowed == 8)
    }
}
