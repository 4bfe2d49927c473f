/// A read position over a line's bytes, with the small steps the access-log parser needs.
/// Every step returns slices of the line, never copies.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    /// Skips a non-empty run of non-space bytes.
    mutating func skipToken() -> Bool { token() != nil }

    /// A non-empty run of non-space bytes.
    mutating func token() -> UnsafeRawBufferPointer? {
        let start = index
        while index < bytes.count && bytes[index] != UInt8(ascii: " ") { index += 1 }
        return index > start ? UnsafeRawBufferPointer(rebasing: bytes[start..<index]) : nil
    }

    mutating func expectSpace() -> Bool { expect(UInt8(ascii: " ")) }

    mutating func expect(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard bytes.count - index >= count else { return nil }
        defer { index += count }
        return UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)])
    }

    /// A double-quoted field (escapes `\"` and `\\` allowed), without its quotes.
    mutating func quoted() -> UnsafeRawBufferPointer? {
        guard expect(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            // Eight bytes at a time up to the next quote or backslash (a user agent is a
            // hundred bytes or more).
            if let base = bytes.baseAddress {
                index = ByteWord.scan(base, from: index, to: bytes.count, marks: ByteWord.quoteOrBackslash)
                guard index < bytes.count else { break }
            }
            let b = bytes[index]
            if b == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if b == UInt8(ascii: "\"") {
                defer { index += 1 }
                return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            }
            index += 1
        }
        return nil
    }

    /// A non-negative decimal number of at most 18 digits.
    static func decimal(_ s: UnsafeRawBufferPointer) -> Int? {
        guard !s.isEmpty, s.count <= 18 else { return nil }
        var v = 0
        for b in s {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    /// Index of the first occurrence of an ASCII needle.
    static func find(_ s: UnsafeRawBufferPointer, _ needle: StaticString) -> Int? {
        let n = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard s.count >= n.count else { return nil }
        outer: for i in 0...(s.count - n.count) {
            for k in 0..<n.count where s[i + k] != n[k] { continue outer }
            return i
        }
        return nil
    }
}
