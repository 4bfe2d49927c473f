/// Sorts unsigned 64-bit keys whose bits above `significantBits` are zero, least significant
/// digit first: a few counting passes over the array instead of a comparison sort's
/// n log n comparisons and moves (an export's cells, keyed by the ranks of their values, are
/// sorted so, period after period: 3.4 M keys for a day-level export by every dimension).
///
/// Each pass takes at most 11 bits (2 048 counters, which stay in the first-level cache), the
/// passes as many as the significant bits need and as even as they can be; a pass whose
/// digit is the same in every key moves nothing. Short arrays go to the standard library's
/// sort, which is faster below a few hundred keys.
enum RadixSort {
    /// Below this count, `keys.sort()`.
    static let threshold = 256

    /// Sorts `keys` in ascending order. Every key must be below 2^significantBits (a key
    /// with higher bits set would be sorted by its low bits only: checked in debug builds).
    static func sort(_ keys: inout [UInt64], significantBits: Int) {
        let count = keys.count
        guard count > threshold, significantBits > 0 else { return keys.sort() }
        let bits = min(significantBits, 64)
        assert(bits == 64 || keys.allSatisfy { $0 >> UInt64(bits) == 0 }, "a key has bits above the significant ones")
        let passes = (bits + 10) / 11
        let digitBits = (bits + passes - 1) / passes
        let mask = UInt64(1) << UInt64(digitBits) - 1
        var scratch = [UInt64](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        // Which buffer holds the keys: false, `keys`; true, `scratch`.
        var inScratch = false
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                counts.withUnsafeMutableBufferPointer { c in
                    for pass in 0..<passes {
                        let shift = UInt64(pass * digitBits)
                        let (source, target) = inScratch ? (b, a) : (a, b)
                        c.update(repeating: 0)
                        for key in source { c[Int(truncatingIfNeeded: key >> shift & mask)] += 1 }
                        if c[Int(truncatingIfNeeded: source[0] >> shift & mask)] == count { continue }
                        var start = 0
                        for d in 0..<c.count {
                            let n = c[d]
                            c[d] = start
                            start += n
                        }
                        for key in source {
                            let d = Int(truncatingIfNeeded: key >> shift & mask)
                            target[c[d]] = key
                            c[d] += 1
                        }
                        inScratch.toggle()
                    }
                }
            }
        }
        if inScratch { keys = scratch }
    }
}
