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

    /// `oneDigitCounts` reads a word of commas and digits at once: against a byte-by-byte
    /// reading of `,d,d,d,d]`, for every value of every one of the nine bytes (each lane's
    /// bounds, "/" and ":" beside the digits, bytes whose low bits look like a comma or a
    /// digit), with and without a byte after it, and on fewer than nine bytes.
    @Test func fourOneDigitCountsAreReadAtOnceOrLeftToTheByteByByteReading() {
        /// The counts a byte-by-byte reading finds in `,d,d,d,d]`; nil for anything else.
        func expected(_ b: [UInt8]) -> [Int64]? {
            guard b.count >= 9, b[8] == UInt8(ascii: "]") else { return nil }
            var counts: [Int64] = []
            for k in 0..<4 {
                guard b[2 * k] == UInt8(ascii: ","), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[2 * k + 1]) else { return nil }
                counts.append(Int64(b[2 * k + 1] - UInt8(ascii: "0")))
            }
            return counts
        }
        func read(_ b: [UInt8]) -> (counts: [Int64]?, at: Int) {
            b.withUnsafeBytes { raw in
                var cursor = DetailCursor(raw)
                guard let (d, r, l, v) = cursor.oneDigitCounts() else { return (nil, cursor.i) }
                return ([d, r, l, v], cursor.i)
            }
        }
        let valid = Array(",1,9,0,5]".utf8)
        var read9 = 0, refused = 0
        for position in 0..<9 {
            for value in 0...255 {
                var bytes = valid
                bytes[position] = UInt8(value)
                for tail in [[], Array("]}".utf8)] {
                    let got = read(bytes + tail)
                    #expect(got.counts == expected(bytes), "byte \(position) = \(value)")
                    #expect(got.at == (got.counts == nil ? 0 : 9), "byte \(position) = \(value): the cursor after the bracket, or unmoved")
                    if got.counts == nil { refused += 1 } else { read9 += 1 }
                }
            }
        }
        // Each digit position takes 10 values, each other position 1: (4 × 10 + 5) × 2
        // tails, the valid bytes counted once per position (9 × 2 in all).
        #expect(read9 == (4 * 10 + 5) * 2)
        #expect(refused == 9 * 256 * 2 - read9)
        #expect(read(Array(",1,9,0,5".utf8)).counts == nil, "eight bytes: no closing bracket")
        #expect(read(Array(",1,9,0,5,6]".utf8)).counts == nil, "five counts")
        #expect(read(Array(", 1,9,0,5]".utf8)).counts == nil, "a blank")
        #expect(read(Array(",12,9,0,5]".utf8)).counts == nil, "two digits")
    }
}
