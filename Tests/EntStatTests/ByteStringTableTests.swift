import Testing
@testable import EntStat

/// `ByteStringTable`: every key found again with its value whatever its length (the hash
/// reads eight bytes at a time, then the tail), keys that are prefixes of each other or
/// differ by a trailing zero byte kept apart, numbers given in the order keys come.
@Suite struct ByteStringTableTests {
    /// Keys of 0 to 40 bytes: for each length, a base key, the same with its last byte
    /// changed, and the same followed by a zero byte.
    static var keys: [[UInt8]] {
        var keys: [[UInt8]] = []
        for length in 0...40 {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            keys.append(base)
            if length > 0 {
                var changed = base
                changed[length - 1] ^= 0x01
                keys.append(changed)
            }
            keys.append(base + [0])
        }
        var unique: [[UInt8]] = []
        for key in keys where !unique.contains(key) { unique.append(key) }
        return unique
    }

    @Test func everyKeyIsFoundWithItsValueAndNoOther() {
        let keys = Self.keys
        var table = ByteStringTable(capacity: 4)  // grows several times
        for (i, key) in keys.enumerated() where i % 2 == 0 {
            key.withUnsafeBytes { table.insert($0, hash: ByteStringTable.hash($0), value: Int32(i)) }
        }
        #expect(table.count == (keys.count + 1) / 2)
        for (i, key) in keys.enumerated() {
            let found = key.withUnsafeBytes { table.find($0, hash: ByteStringTable.hash($0)) }
            #expect(found == (i % 2 == 0 ? Int32(i) : nil), "key \(key)")
        }
    }

    @Test func aHashDependsOnEveryByteAndOnTheLength() {
        let keys = Self.keys
        let hashes = keys.map { key in key.withUnsafeBytes { ByteStringTable.hash($0) } }
        #expect(Set(hashes).count == keys.count)
        // The same bytes at another address hash the same.
        let copy = Array(keys[keys.count - 1])
        #expect(copy.withUnsafeBytes { ByteStringTable.hash($0) } == hashes[keys.count - 1])
    }

    @Test func numbersFollowTheOrderKeysComeIn() {
        var table = ByteStringTable()
        var numbers: [Int32] = []
        var added: [Bool] = []
        for word in ["events", "*", "access", "*", "events", "blog"] {
            let (number, isNew) = Array(word.utf8).withUnsafeBytes { table.number($0) }
            numbers.append(number)
            added.append(isNew)
        }
        #expect(numbers == [0, 1, 2, 1, 0, 3])
        #expect(added == [true, true, true, false, false, true])
    }
}
