import Testing
@testable import EntStat

/// The eight-bytes-at-a-time scans (`ByteWord`) against byte-by-byte readings of the same
/// bytes: the mask's first match, a quoted field of the access log (`ByteCursor.quoted`)
/// and a JSON string (`JSONScanner.string`), with the byte that ends them at every position.
@Suite struct ByteWordTests {
    /// Bytes alike in their high or low bits to those looked for, and UTF-8.
    static let fillers: [UInt8] = [UInt8(ascii: "a"), 0xA2, 0xDC, 0x21, 0x5D, 0x7F, 0xC3, 0xA9, 0x20, 0x3C]

    @Test func theFirstMatchOfAWordIsTheFirstByteThatMatches() {
        var generator = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x5C, 0x80, 0x9F, 0xA2, 0xDC, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in Bool.random(using: &generator) ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator) }
            let word = bytes.withUnsafeBytes { ByteWord.load($0.baseAddress!) }
            let quote = ByteWord.equal(to: 0x22, in: word), control = ByteWord.below(0x20, in: word)
            #expect((quote == 0 ? nil : ByteWord.firstMatch(quote)) == bytes.firstIndex(of: 0x22), "\(bytes)")
            #expect((control == 0 ? nil : ByteWord.firstMatch(control)) == bytes.firstIndex { $0 < 0x20 }, "\(bytes)")
        }
    }

    @Test func aQuotedFieldEndsAtItsFirstUnescapedQuoteWhereverItFalls() {
        var checked = 0
        for length in 0...24 {
            for position in 0...length {
                var inner = (0..<length).map { Self.fillers[$0 % Self.fillers.count] }
                if position < length { inner[position] = UInt8(ascii: "\"") }
                // An escaped quote first when there is room: it does not end the field.
                if position >= 2 { inner[position - 2] = UInt8(ascii: "\\"); inner[position - 1] = UInt8(ascii: "\"") }
                let line = [UInt8(ascii: "\"")] + inner + [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: "x")]
                let expected = Array(inner[..<min(position, length)])
                let got: [UInt8]? = line.withUnsafeBytes { raw in
                    var cursor = ByteCursor(raw)
                    guard let field = cursor.quoted() else { return nil }
                    #expect(cursor.index == field.count + 2, "the cursor is after the closing quote")
                    return Array(field)
                }
                #expect(got == expected, "length \(length), quote at \(position)")
                checked += 1
            }
        }
        #expect(checked == 325)
    }

    @Test func aJSONStringEndsAtItsQuoteAndRefusesAControlByteWhereverItFalls() {
        var checked = 0
        for length in 0...24 {
            for position in 0...length {
                for special: UInt8 in [0x22, 0x0A, 0x5C] {
                    var inner = (0..<length).map { Self.fillers[$0 % Self.fillers.count] }
                    if position < length { inner[position] = special }
                    var expected: [UInt8]? = inner
                    if position < length {
                        switch special {
                        case 0x22: expected = Array(inner[..<position])
                        case 0x0A: expected = nil
                        default:
                            // "\" followed by a filler: an invalid escape unless it is '\\'-able.
                            inner[position] = 0x5C
                            if position + 1 < length { inner[position + 1] = UInt8(ascii: "n") }
                            expected = position + 1 < length ? Array(inner[..<position]) + [0x0A] + Array(inner[(position + 2)...]) : nil
                        }
                    }
                    let line = [UInt8(ascii: "\"")] + inner + [UInt8(ascii: "\"")]
                    let got: [UInt8]? = line.withUnsafeBytes { raw in
                        var scanner = JSONScanner(raw)
                        var out = ScratchBuffer()
                        defer { out.deallocate() }
                        do { try scanner.string(into: &out) } catch { return nil }
                        return Array(out.bytes)
                    }
                    #expect(got == expected, "length \(length), \(special) at \(position)")
                    checked += 1
                }
            }
        }
        #expect(checked == 975)
    }
}
