/// Eight bytes at a time: which bytes of a word read little-endian match, for the scans of
/// the parsers (quoted fields, JSON strings) and of the packed rows' decoder, which look
/// for the next of a few bytes in runs of ordinary text.
///
/// Each test sets the high bit of every byte that matches, and possibly of bytes above a
/// match (a borrow), never below it: the lowest bit set is exact, and `firstMatch` gives
/// its byte. A word is read only where eight bytes remain; the scans finish byte by byte.
enum ByteWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `p`, the first in the lowest bits.
    @inline(__always)
    static func load(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    /// Marks the bytes equal to `byte`.
    @inline(__always)
    static func equal(to byte: UInt8, in word: UInt64) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// Marks the bytes below `bound` (at most 128).
    @inline(__always)
    static func below(_ bound: UInt8, in word: UInt64) -> UInt64 {
        (word &- ones &* UInt64(bound)) & ~word & highs
    }

    /// The index (0–7) of the lowest byte marked in a non-zero mask.
    @inline(__always)
    static func firstMatch(_ mask: UInt64) -> Int { mask.trailingZeroBitCount / 8 }

    /// Moves from `start` eight bytes at a time: the index of the first byte that `marks`
    /// marks in its word, or the first index from which fewer than eight bytes remain
    /// before `end` (the caller reads on byte by byte).
    @inline(__always)
    static func scan(_ base: UnsafeRawPointer, from start: Int, to end: Int, marks: (UInt64) -> UInt64) -> Int {
        var i = start
        while i + 8 <= end {
            let found = marks(load(base + i))
            if found != 0 { return i + firstMatch(found) }
            i += 8
        }
        return i
    }

    /// Marks quotes and backslashes.
    @inline(__always)
    static func quoteOrBackslash(_ word: UInt64) -> UInt64 {
        equal(to: 0x22, in: word) | equal(to: 0x5C, in: word)
    }
}
