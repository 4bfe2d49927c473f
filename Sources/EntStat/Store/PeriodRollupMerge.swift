/// Sums one whole period's rollup rows (per person, source and feature; packed afterwards)
/// by merging streams that SQLite already returns in (person, source, feature) order, one
/// per day's packed rows (`person_day_activity`) for a week or a month, one per month's packed rollups
/// (`person_period`, read by `RollupRowStream`) for a school year,
/// instead of a `GROUP BY` over all of them.
///
/// A first ingest rebuilds each of its periods in one pass (`Store.rebuildPeriod`). With
/// a `GROUP BY`, SQLite sorted every day row of the period on the writer's thread: about
/// two thirds of the rollup step, which was half of a first ingest (national access week:
/// 6.8 M day rows, 7 s of sorting and 3 s of inserting per period). Here no row is sorted:
/// a merging thread, on its own read-only connection, reads the streams and sums equal
/// keys, and the writer only appends the sums, which come in the table's key order.
///
/// Keys compare as SQLite's `BINARY` collation does (bytes, then length): the merged
/// order is the order of each stream, so equal keys meet, and the appended rows extend
/// the B-tree at its end.
final class PeriodRollupMerge {
    /// Summed rows in key order, handed from the merging thread to the writer.
    struct Batch: Sendable {
        var person: [Int64] = []
        var source: [Int32] = []
        var feature: [Int32] = []
        var days: [Int64] = []
        var requests: [Int64] = []
        var logins: [Int64] = []
        var visits: [Int64] = []
        /// The text of each source and feature id seen so far (`texts[id]`); ids never
        /// change during a merge.
        var texts: [String] = []

        var count: Int { person.count }

        mutating func reserve(_ n: Int) {
            person.reserveCapacity(n); source.reserveCapacity(n); feature.reserveCapacity(n)
            days.reserveCapacity(n); requests.reserveCapacity(n); logins.reserveCapacity(n); visits.reserveCapacity(n)
        }
    }

    /// The sums of one (person, source, feature) key.
    private struct Sums {
        var days: Int64 = 0, requests: Int64 = 0, logins: Int64 = 0, visits: Int64 = 0
    }

    private let streams: [RollupRowStream]
    /// The same streams, read without retaining them (`streams` keeps them alive): a
    /// retain and a release per row read were a tenth of a merging thread's time.
    private let unretainedStreams: [Unmanaged<RollupRowStream>]
    private let weights: [Int64]
    private let dropsEmptyKeys: Bool
    /// Current row of each stream: key and values (columns 0–6 of its statement).
    private var person: [Int64]
    private var source: [Int32]
    private var feature: [Int32]
    private var values: [Sums]
    /// Stream indexes ordered as a binary min-heap on their current key.
    private var heap: [Int] = []

    /// The ids of the sources and features read (two lookups per row: its key and length
    /// compared in a word or two, where a hash of every byte cost a fifth of the merge).
    private var interner = RollupFigures.TextInterner()
    private var textBytes: [[UInt8]] = []
    /// Position of each text id among all texts in byte order.
    private var rank: [Int32] = []

    /// Rows per batch handed to the writer.
    static let batchRows = 16_384

    /// A stream of the rollup rows of `classes` of one period, of the persons that pass
    /// `filter` (SQL on `person_period`), in key order (the primary key's, so SQLite does
    /// not sort).
    static func rollupStream(_ db: Database, kind: Store.RollupKind, first: Int, classes: PeriodRowClasses = .all,
                             filter: String? = nil) throws -> RollupRowStream {
        let s = try db.prepare("""
            SELECT person, days, requests, logins, visits, detail FROM person_period
            WHERE kind = ?1 AND first_day = ?2\(filter.map { " AND " + $0 } ?? "") ORDER BY person
            """)
        try s.bind(.text(kind.rawValue), .int(first))
        return RollupRowStream(packed: s, table: "person_period", classes: classes)
    }

    /// A stream of one day's rows of `classes` (`person_day_activity`, days = 1), of the
    /// persons that pass `filter`, as `rollupStream`.
    static func dayStream(_ db: Database, day: Int, classes: PeriodRowClasses = .all, filter: String? = nil) throws -> RollupRowStream {
        let s = try db.prepare("""
            SELECT person, 1, requests, logins, visits, detail FROM person_day_activity
            WHERE day = ?1\(filter.map { " AND " + $0 } ?? "") ORDER BY person
            """)
        try s.bind(.int(day))
        return RollupRowStream(packed: s, table: "person_day_activity", classes: classes)
    }

    /// The values bound to each stream: every day of the period, or the first day of each
    /// month starting in the school year (the months `rebuildPeriod`'s SQL sums).
    static func streamKeys(_ kind: Store.RollupKind, first: Int, last: Int) -> [Int] {
        guard kind == .schoolYear else { return Array(first...last) }
        var keys: [Int] = []
        var date = CivilDate(dayNumber: first)
        date = CivilDate(year: date.year, month: date.month, day: 1)
        while date.dayNumber <= last {
            if date.dayNumber >= first { keys.append(date.dayNumber) }
            date = date.month == 12 ? CivilDate(year: date.year + 1, month: 1, day: 1)
                                    : CivilDate(year: date.year, month: date.month + 1, day: 1)
        }
        return keys
    }

    /// Prepares one stream per day of the period on `db` (a school year: one per month's
    /// rollup), of the persons that pass `filter` (SQL) when it is given.
    convenience init(db: Database, kind: Store.RollupKind, first: Int, last: Int, filter: String? = nil) throws {
        try self.init(streams: PeriodRollupMerge.streamKeys(kind, first: first, last: last).map { key in
            kind == .schoolYear ? try PeriodRollupMerge.rollupStream(db, kind: .month, first: key, filter: filter)
                                : try PeriodRollupMerge.dayStream(db, day: key, filter: filter)
        })
    }

    /// The middle of the person ids of the period's streams (the smallest and the largest
    /// id of each day, or month for a school year, read at the ends of the primary key):
    /// the persons up to it and those after it can be merged apart. Nil without rows.
    static func middlePerson(_ db: Database, kind: Store.RollupKind, first: Int, last: Int) throws -> Int64? {
        let ends = try db.prepare(kind == .schoolYear ? """
            SELECT (SELECT MIN(person) FROM person_period WHERE kind = 'month' AND first_day = ?1),
                   (SELECT MAX(person) FROM person_period WHERE kind = 'month' AND first_day = ?1)
            """ : """
            SELECT (SELECT MIN(person) FROM person_day_activity WHERE day = ?1),
                   (SELECT MAX(person) FROM person_day_activity WHERE day = ?1)
            """)
        var low = Int64.max, high = Int64.min
        for key in streamKeys(kind, first: first, last: last) {
            ends.reset()
            try ends.bind(.int(key))
            guard try ends.step(), !ends.isNull(0) else { continue }
            low = min(low, ends.int64(0))
            high = max(high, ends.int64(1))
        }
        return low <= high ? low + (high - low) / 2 : nil
    }

    /// Merges `streams`, each in (person, source, feature) order with each key at most
    /// once. `weights` (one per stream, default 1) multiply each stream's values;
    /// with a negative weight, a key whose requests sum to zero is not handed out.
    init(streams: [RollupRowStream], weights: [Int64] = []) throws {
        precondition(weights.isEmpty || weights.count == streams.count)
        self.streams = streams
        unretainedStreams = streams.map { Unmanaged.passUnretained($0) }
        self.weights = weights
        dropsEmptyKeys = weights.contains { $0 < 0 }
        person = Array(repeating: 0, count: streams.count)
        source = Array(repeating: 0, count: streams.count)
        feature = Array(repeating: 0, count: streams.count)
        values = Array(repeating: Sums(), count: streams.count)
        for i in streams.indices where try advance(i) {
            heap.append(i)
            siftUp(heap.count - 1)
        }
    }

    /// Calls `emit` with batches of summed rows in key order until every stream is read;
    /// stops early when `emit` returns false.
    func run(_ emit: (Batch) -> Bool) throws {
        var batch = Batch()
        batch.reserve(PeriodRollupMerge.batchRows)
        while let top = heap.first {
            let key = (person[top], source[top], feature[top])
            var sums = Sums()
            repeat {
                let i = heap[0]
                let v = values[i]
                sums.days += v.days; sums.requests += v.requests; sums.logins += v.logins; sums.visits += v.visits
                if try advance(i) {
                    siftDown(0)
                } else {
                    heap[0] = heap[heap.count - 1]
                    heap.removeLast()
                    if !heap.isEmpty { siftDown(0) }
                }
            } while !heap.isEmpty && person[heap[0]] == key.0 && source[heap[0]] == key.1 && feature[heap[0]] == key.2
            if dropsEmptyKeys && sums.requests == 0 { continue }
            batch.person.append(key.0); batch.source.append(key.1); batch.feature.append(key.2)
            batch.days.append(sums.days); batch.requests.append(sums.requests)
            batch.logins.append(sums.logins); batch.visits.append(sums.visits)
            if batch.count == PeriodRollupMerge.batchRows {
                batch.texts = interner.texts
                guard emit(batch) else { return }
                batch = Batch()
                batch.reserve(PeriodRollupMerge.batchRows)
            }
        }
        if batch.count > 0 {
            batch.texts = interner.texts
            _ = emit(batch)
        }
    }

    /// Calls `emit` with the merged rows packed one row per person (`PeriodRowPacker`), in
    /// person order, a person whose rows span two merged batches still in one packed row;
    /// stops early when `emit` returns false.
    func runPacked(_ emit: (PackedPeriodBatch) -> Bool) throws {
        var packer = PeriodRowPacker()
        var open = true
        try run { rows in
            packer.add(rows)
            open = emit(packer.take())
            return open
        }
        packer.finish()
        if open { _ = emit(packer.take()) }
    }

    /// Reads stream `i`'s next row; false at its end.
    private func advance(_ i: Int) throws -> Bool {
        try unretainedStreams[i]._withUnsafeGuaranteedRef { s in
            guard try s.next() else { return false }
            person[i] = s.person
            source[i] = intern(s.source)
            feature[i] = intern(s.feature)
            let w = weights.isEmpty ? 1 : weights[i]
            values[i] = Sums(days: w * s.days, requests: w * s.requests, logins: w * s.logins, visits: w * s.visits)
            return true
        }
    }

    /// The id of a source or feature, read from its bytes.
    private func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let id = interner.id(of: bytes)
        guard id == textBytes.count else { return Int32(id) }
        textBytes.append([UInt8](bytes))
        // Ranks keep the order of the texts already seen, so the heap stays ordered.
        let order = textBytes.indices.sorted { textBytes[$0].lexicographicallyPrecedes(textBytes[$1]) }
        rank = Array(repeating: 0, count: order.count)
        for (position, textID) in order.enumerated() { rank[textID] = Int32(position) }
        return Int32(id)
    }

    @inline(__always)
    private func less(_ a: Int, _ b: Int) -> Bool {
        if person[a] != person[b] { return person[a] < person[b] }
        let sa = rank[Int(source[a])], sb = rank[Int(source[b])]
        if sa != sb { return sa < sb }
        return rank[Int(feature[a])] < rank[Int(feature[b])]
    }

    private func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var smallest = left
            if left + 1 < n && less(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard less(heap[smallest], heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
