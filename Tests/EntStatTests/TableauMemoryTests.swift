import Testing
@testable import EntStat

/// `TableauMemory`: which block a request gets (a kept one that holds it, the smallest; or
/// a new one rounded up to a power of two), which blocks are kept within its limits, and
/// that a dense tableau's entries laid in a block used before are zeros.
@Suite struct TableauMemoryTests {
    private static let small = TableauMemory.smallestKept

    /// A block given back is taken again by a request it holds, and a larger request gets a
    /// new block; a new block holds the next power of two of the count asked (a tableau a
    /// little larger than the one before, as the secrecy's passes lay them, fits in it).
    @Test func aBlockGivenBackIsTakenAgain() {
        let memory = TableauMemory()
        let first = memory.take(atLeast: Self.small + 5)
        #expect(first.capacity == 2 * Self.small)
        memory.give(first)
        #expect(memory.keptCount == (1, 2 * Self.small))
        let again = memory.take(atLeast: 2 * Self.small)
        #expect(again.start == first.start)
        #expect(memory.keptCount == (0, 0))
        memory.give(again)
        let larger = memory.take(atLeast: 2 * Self.small + 1)
        #expect(larger.start != first.start)
        #expect(larger.capacity == 4 * Self.small)
        #expect(memory.keptCount == (1, 2 * Self.small))
        memory.give(larger)
    }

    /// Of the blocks kept, a request gets the smallest that holds it.
    @Test func theSmallestBlockThatHoldsIsTaken() {
        let memory = TableauMemory()
        let blocks = [8, 2, 4].map { memory.take(atLeast: $0 * Self.small) }
        for block in blocks { memory.give(block) }
        #expect(memory.keptCount == (3, 14 * Self.small))
        let taken = memory.take(atLeast: 3 * Self.small)
        #expect(taken.start == blocks[2].start)
        let next = memory.take(atLeast: Self.small)
        #expect(next.start == blocks[1].start)
        memory.give(taken)
        memory.give(next)
    }

    /// Past `keptBlocks` blocks or `keptBytes` bytes, the smallest blocks are freed; blocks
    /// under `smallestKept` doubles are never kept, nor taken from those kept.
    @Test func theLargestBlocksAreKeptWithinTheLimits() {
        let byCount = TableauMemory(keptBlocks: 2)
        for block in [1, 4, 2].map({ byCount.take(atLeast: $0 * Self.small) }) { byCount.give(block) }
        #expect(byCount.keptCount == (2, 6 * Self.small))

        let byBytes = TableauMemory(keptBytes: 5 * Self.small * MemoryLayout<Double>.stride)
        for block in [4, 2, 1].map({ byBytes.take(atLeast: $0 * Self.small) }) { byBytes.give(block) }
        // Given back in that order: 4 + 2 would be more than 5, so the 2 is freed; the 1 then fits.
        #expect(byBytes.keptCount == (2, 5 * Self.small))

        let tiny = byBytes.take(atLeast: 10)
        #expect(tiny.capacity == 10)
        #expect(byBytes.keptCount == (2, 5 * Self.small))
        byBytes.give(tiny)
        #expect(byBytes.keptCount == (2, 5 * Self.small))
    }

    /// A dense tableau's entries laid in memory another one wrote are zeros: the block is
    /// taken as it was left, and cleared by `DenseEntries`.
    @Test func aTableauInMemoryUsedBeforeStartsAtZero() {
        let rows = 300, columns = 300
        #expect(rows * columns >= Self.small)
        var written: DenseEntries? = DenseEntries(rows: rows, columns: columns)
        written!.entries.update(repeating: 7, count: rows * columns)
        written = nil
        let laid = DenseEntries(rows: rows, columns: columns)
        #expect((0..<(rows * columns)).allSatisfy { laid.entries[$0] == 0 })
    }
}
