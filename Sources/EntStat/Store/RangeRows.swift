import Glibc

/// The rows of `activite_periode` for one range: one per (person, source, feature), sorted by
/// person, then by the bytes of source and feature (SQLite's BINARY order), with the summed
/// requests, logins and visits. Built once in memory, never changed, read by every
/// connection of a report at the same time through `RangeRowsTable` (no SQLite B-tree to
/// insert a million rows into, no copy per connection).
final class RangeRows: @unchecked Sendable {
    private(set) var person: [Int64] = []
    private(set) var source: [UInt16] = []
    private(set) var feature: [UInt16] = []
    private(set) var requests: [Int64] = []
    private(set) var logins: [Int64] = []
    private(set) var visits: [Int64] = []
    /// The source and feature texts, by id, and the same as C strings for SQLite (freed with
    /// the rows).
    private(set) var texts: [String] = []
    private(set) var cTexts: [UnsafeMutablePointer<CChar>] = []
    private var textIDs: [String: UInt16] = [:]

    /// Empty rows, to fill with `append` (in order) before any connection reads them.
    init() {}

    deinit { for text in cTexts { free(text) } }

    var count: Int { person.count }

    /// The id of a text, added if new.
    func id(of text: String) -> UInt16 {
        if let known = textIDs[text] { return known }
        precondition(texts.count < Int(UInt16.max), "RangeRows: too many distinct sources and features")
        let id = UInt16(texts.count)
        texts.append(text)
        cTexts.append(strdup(text))
        textIDs[text] = id
        return id
    }

    /// Appends one row; rows must come in key order (checked by `isSorted` in tests).
    func append(person: Int64, source: UInt16, feature: UInt16, requests: Int64, logins: Int64, visits: Int64) {
        self.person.append(person)
        self.source.append(source)
        self.feature.append(feature)
        self.requests.append(requests)
        self.logins.append(logins)
        self.visits.append(visits)
    }

    /// The rows of `p`: [lower, upper). `hint` is where to start looking (the lower bound of
    /// the previous lookup): when every row before it is of a smaller person, the search
    /// gallops forward from it, so that persons asked in ascending order cost a few probes
    /// near the last one instead of a binary search over every row (a cache miss a probe on
    /// a national store); otherwise, and for any hint out of range, it searches all rows.
    func rows(of p: Int64, hint: Int = 0) -> Range<Int> {
        let count = person.count
        var lo = 0, hi = count
        if hint > 0, hint <= count, person[hint - 1] < p {
            // person[lo - 1] < p holds; find hi with person[hi] >= p (or the end).
            lo = hint
            var step = 1
            hi = lo
            while hi < count && person[hi] < p {
                lo = hi + 1
                hi = min(count, hi + step)
                step *= 2
            }
        }
        while lo < hi { let mid = (lo + hi) / 2; if person[mid] < p { lo = mid + 1 } else { hi = mid } }
        var end = lo
        while end < count && person[end] == p { end += 1 }
        return lo..<end
    }

    /// The id of the text SQLite holds in `value` (a C string of `length` bytes), without
    /// making a Swift string of it; nil when no row holds it.
    func existingID(utf8 value: UnsafePointer<UInt8>, length: Int) -> UInt16? {
        for (id, text) in cTexts.enumerated() where strlen(text) == length && memcmp(text, value, length) == 0 {
            return UInt16(id)
        }
        return nil
    }

    /// True when the rows are in key order without a repeated key.
    var isSorted: Bool {
        for i in person.indices.dropFirst() {
            let a = (person[i - 1], Array(texts[Int(source[i - 1])].utf8), Array(texts[Int(feature[i - 1])].utf8))
            let b = (person[i], Array(texts[Int(source[i])].utf8), Array(texts[Int(feature[i])].utf8))
            if a.0 != b.0 { if a.0 > b.0 { return false } else { continue } }
            if a.1 != b.1 { if !a.1.lexicographicallyPrecedes(b.1) { return false } else { continue } }
            if !a.2.lexicographicallyPrecedes(b.2) { return false }
        }
        return true
    }
}
