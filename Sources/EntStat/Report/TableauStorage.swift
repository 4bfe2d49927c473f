/// The memory of a solver's tableau kept for the next solver built (`BoundedSimplex`):
/// the statistical secrecy builds a solver per group of tied hidden cells in each of its
/// passes, and a report can take hundreds of passes over the same large group (a commune
/// of the simulated Somme: 741 solvers, 407 of a million entries or more, up to 86 MB).
/// Allocated afresh, each tableau was new pages that the kernel zeroed, then unmapped:
/// that report took 16 s, 10.6 s of them the kernel's; 5.3 s with the memory kept.
///
/// Holds one array, the largest given back; one report's secrecy uses it on one thread.
final class TableauStorage {
    private var spare: [Double] = []

    /// An array of `count` zeros, in the kept memory when it holds that many (the kept
    /// memory is then taken); otherwise in new memory with a quarter more room, since a
    /// group's tableau grows a little from one pass to the next, as cells are hidden.
    func take(zeros count: Int) -> [Double] {
        var memory: [Double] = []
        if spare.capacity >= count {
            swap(&memory, &spare)
            memory.removeAll(keepingCapacity: true)
        } else {
            memory.reserveCapacity(count + count / 4)
        }
        memory.append(contentsOf: repeatElement(0, count: count))
        return memory
    }

    /// Keeps `memory` for a later `take` when it is larger than the memory kept.
    func keep(_ memory: [Double]) {
        if memory.capacity > spare.capacity { spare = memory }
    }

    /// How many entries the kept memory holds (for tests).
    var capacity: Int { spare.capacity }
}
