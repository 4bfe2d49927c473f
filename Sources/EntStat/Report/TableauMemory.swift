import Synchronization

/// Blocks of memory for dense tableaux' entries (`DenseEntries`), kept when a tableau is
/// freed and handed to the next one of a size they hold.
///
/// A report's statistical secrecy lays hundreds of dense tableaux of up to megabytes
/// each, one after the other. Freed, a block that large goes back to the system (glibc
/// unmaps it), and the next one comes fresh from the kernel: a page fault for every
/// 4 KiB, the kernel zeroing each page before the tableau zeroes it again. In commune
/// 80614's report those faults were 6.5 % of the samples, on the thread the report waits
/// for (docs/secrecy.md, "A tableau's memory kept for the next").
///
/// A new block holds the next power of two of the count asked: the passes lay tableaux a
/// little larger each time, which then fit in the block of the one before (pages of a
/// block never written take no memory). Keeps at most `keptBlocks` blocks and `keptBytes`
/// bytes, the largest first; a block taken is the smallest kept that holds the count
/// asked, its contents left as they were (the caller initializes them). Blocks under
/// `smallestKept` doubles are neither kept nor taken: the allocator keeps memory that
/// small itself.
final class TableauMemory: Sendable {
    /// The memory every dense tableau takes its entries from.
    static let shared = TableauMemory()

    /// 512 KiB: under it, glibc's allocator serves blocks from memory it keeps.
    static let smallestKept = 1 << 16

    let keptBlocks: Int
    let keptBytes: Int
    private let kept = Mutex<[Block]>([])

    /// A block: its start and how many doubles it holds. Sendable as a handle passed from
    /// one owner to the next (the pool, then one tableau at a time).
    struct Block: @unchecked Sendable {
        let start: UnsafeMutablePointer<Double>
        let capacity: Int
    }

    /// 64 MiB at most, in four blocks: two tableaux of the largest dense size
    /// (`SimplexTableau.denseLimit`, 32 MiB), or the few a report holds at once (a tableau and
    /// the copies of it a search keeps).
    init(keptBlocks: Int = 4, keptBytes: Int = 64 << 20) {
        self.keptBlocks = keptBlocks
        self.keptBytes = keptBytes
    }

    deinit {
        kept.withLock { blocks in
            for block in blocks { block.start.deallocate() }
            blocks.removeAll()
        }
    }

    /// A block of at least `count` doubles (1 at least), uninitialized: a kept one when one
    /// holds them, else a new one of `count` (rounded up to a power of two from
    /// `smallestKept` on).
    func take(atLeast count: Int) -> Block {
        let count = max(count, 1)
        guard count >= Self.smallestKept else { return Block(start: .allocate(capacity: count), capacity: count) }
        let reused = kept.withLock { blocks -> Block? in
            var best: Int?
            for (i, block) in blocks.enumerated() where block.capacity >= count {
                if best.map({ block.capacity < blocks[$0].capacity }) ?? true { best = i }
            }
            return best.map { blocks.remove(at: $0) }
        }
        if let reused { return reused }
        let capacity = 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount)
        return Block(start: .allocate(capacity: capacity), capacity: capacity)
    }

    /// Takes back a block `take` gave: kept for a later `take`, or freed (a small block, or
    /// the smallest when more than `keptBlocks` or `keptBytes` would be kept).
    func give(_ block: Block) {
        guard block.capacity >= Self.smallestKept else { return block.start.deallocate() }
        let freed = kept.withLock { blocks -> [Block] in
            blocks.append(block)
            blocks.sort { $0.capacity > $1.capacity }
            var bytes = 0, keep = 0
            while keep < blocks.count, keep < keptBlocks,
                  bytes + blocks[keep].capacity * MemoryLayout<Double>.stride <= keptBytes {
                bytes += blocks[keep].capacity * MemoryLayout<Double>.stride
                keep += 1
            }
            defer { blocks.removeSubrange(keep...) }
            return Array(blocks[keep...])
        }
        for block in freed { block.start.deallocate() }
    }

    /// How many blocks are kept, and their doubles (for tests).
    var keptCount: (blocks: Int, doubles: Int) {
        kept.withLock { blocks in (blocks.count, blocks.reduce(0) { $0 + $1.capacity }) }
    }
}

