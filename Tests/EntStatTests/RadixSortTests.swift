import Testing
@testable import EntStat

/// `RadixSort` gives what the standard library's sort gives, whatever the keys' width, their
/// count on either side of the threshold, and digits that are the same in every key.
struct RadixSortTests {
    /// Keys of `bits` bits drawn from a fixed generator (SplitMix64), so a failure reproduces.
    private func keys(_ count: Int, bits: Int, seed: UInt64) -> [UInt64] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ z >> 30) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ z >> 27) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return bits == 64 ? z : z & (UInt64(1) << UInt64(bits) - 1)
        }
    }

    @Test(arguments: [1, 7, 11, 12, 22, 23, 33, 52, 63, 64])
    func sortsAsTheStandardLibraryDoes(bits: Int) {
        for count in [0, 1, 2, 255, 256, 257, 1_000, 20_000] {
            var radix = keys(count, bits: bits, seed: UInt64(bits * 31 + count))
            let expected = radix.sorted()
            RadixSort.sort(&radix, significantBits: bits)
            #expect(radix == expected, "\(count) keys of \(bits) bits")
        }
    }

    @Test func aDigitTheSameInEveryKeyIsSkippedWithoutLosingTheOrder() {
        // 40 bits: four passes of 10. The second digit is the same in every key, so one
        // pass moves nothing and the keys end in the other buffer than with four passes.
        var radix = keys(5_000, bits: 40, seed: 3).map { $0 & ~(UInt64(0x3FF) << 10) | UInt64(0x155) << 10 }
        let expected = radix.sorted()
        RadixSort.sort(&radix, significantBits: 40)
        #expect(radix == expected)
        // Every digit the same: every pass skipped.
        var same = [UInt64](repeating: 0xABCDE, count: 1_000)
        RadixSort.sort(&same, significantBits: 20)
        #expect(same == [UInt64](repeating: 0xABCDE, count: 1_000))
    }

    @Test func repeatedKeysKeepTheirCount() {
        var radix = keys(3_000, bits: 4, seed: 9) + keys(3_000, bits: 4, seed: 9)
        let expected = radix.sorted()
        RadixSort.sort(&radix, significantBits: 4)
        #expect(radix == expected)
        #expect(radix.filter { $0 == 0 }.count == expected.filter { $0 == 0 }.count)
    }
}
