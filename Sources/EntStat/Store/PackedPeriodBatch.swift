/// Packed rows ready to append to `person_period`, in person order.
struct PackedPeriodBatch: Sendable {
    var person: [Int64] = []
    var days: [Int64] = []
    var requests: [Int64] = []
    var logins: [Int64] = []
    var visits: [Int64] = []
    /// Every row's `detail`, one after the other; row i's ends at `detailEnd[i]`.
    var detail: [UInt8] = []
    var detailEnd: [Int] = []

    var count: Int { person.count }

    /// Row i's detail bytes.
    func detailRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : detailEnd[i - 1])..<detailEnd[i] }
}
