import Testing
@testable import EntStat

/// `RollupFigures.TextInterner`: the dense ids of source and feature names read from the
/// packed rows' bytes. Two texts get one id exactly when their bytes are equal.
@Suite struct TextInternerTests {
    private static func id(_ interner: inout RollupFigures.TextInterner, _ text: [UInt8]) -> Int {
        text.withUnsafeBytes { interner.id(of: $0) }
    }

    @Test func idsAreDenseAndOnePerDistinctText() {
        var interner = RollupFigures.TextInterner("*")
        // Every length from 0 to 40, and texts that differ only in one byte (first, middle,
        // last), or share a prefix, or end with zero bytes: each key's bytes must be taken.
        var texts: [[UInt8]] = []
        for length in 0...40 {
            let text = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            texts.append(text)
            for position in Set([0, length / 2, length - 1]) where position >= 0 && length > 0 {
                var other = text
                other[position] = UInt8(ascii: "Z")
                texts.append(other)
            }
            texts.append(text + [0])
        }
        var distinct: [[UInt8]] = [Array("*".utf8)]
        for text in texts where !distinct.contains(text) { distinct.append(text) }
        // First pass creates the ids in order, a second finds the same ones.
        for _ in 0..<2 {
            for (expected, text) in distinct.enumerated() {
                #expect(Self.id(&interner, text) == expected, "\(String(decoding: text, as: UTF8.self).debugDescription)")
            }
        }
        #expect(interner.texts == distinct.map { String(decoding: $0, as: UTF8.self) })
    }

    @Test func shortNamesOfTheLogs() {
        var interner = RollupFigures.TextInterner("*")
        let names = ["access", "events", "acceso", "evenst", "*", "", "ab", "ba", "abc", "acb", "abcd", "abdc", "dcba"]
        let ids = names.map { name in Self.id(&interner, Array(name.utf8)) }
        #expect(ids == [1, 2, 3, 4, 0, 5, 6, 7, 8, 9, 10, 11, 12])
    }
}
