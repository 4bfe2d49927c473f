import CSQLite

/// The rows of one person over one whole period, packed into one row of `person_period`
/// (migration 13): the total row (source and feature '*') in columns `days`, `requests`,
/// `logins`, `visits`, and every other row in `detail`, a JSON array of
/// `[source, feature, days, requests, logins, visits]` in (source, feature) byte order.
///
/// A person has about fifteen rows per period (the total, one per log, one per service,
/// one per log and service); one B-tree row instead of fifteen is what makes the rollups
/// cheap to write (a first ingest appends them all) and to read. The view
/// `activity_period` expands the packed rows back into rows with SQLite's `json_each`, for
/// analysts; the engine decodes them itself (`RollupRowStream`).
///
/// `days = 0` marks a packed row without a total row (never written by entstat: every
/// person with a row in a period has its total row; kept so that such a row would not
/// appear as a total).
enum PackedPeriodRow {
    /// Appends the JSON string of `text` (quotes included; `"`, `\` and control bytes
    /// escaped; other bytes as they are).
    static func appendString(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\")); out.append(byte)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the decimal digits of `value`.
    @inline(__always)
    static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        var v = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if v < 10 { out.append(UInt8(ascii: "0") &+ UInt8(v)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[n] = UInt8(ascii: "0") &+ UInt8(v % 10); v /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    /// True when `text` is the single byte `*`.
    @inline(__always)
    static func isStar(_ text: UnsafeRawBufferPointer) -> Bool {
        text.count == 1 && text[0] == UInt8(ascii: "*")
    }
}

/// Which rows of a person's period a reader wants, by which of source and feature is '*'.
struct PeriodRowClasses: OptionSet, Sendable {
    let rawValue: UInt8
    /// source = '*' AND feature = '*'.
    static let total = PeriodRowClasses(rawValue: 1)
    /// feature = '*' AND source != '*'.
    static let bySource = PeriodRowClasses(rawValue: 2)
    /// source = '*' AND feature != '*'.
    static let byFeature = PeriodRowClasses(rawValue: 4)
    /// source != '*' AND feature != '*'.
    static let bySourceFeature = PeriodRowClasses(rawValue: 8)
    static let all: PeriodRowClasses = [.total, .bySource, .byFeature, .bySourceFeature]

    /// The class of a row with these source and feature.
    @inline(__always)
    static func of(source: UnsafeRawBufferPointer, feature: UnsafeRawBufferPointer) -> PeriodRowClasses {
        switch (PackedPeriodRow.isStar(source), PackedPeriodRow.isStar(feature)) {
        case (true, true): return .total
        case (false, true): return .bySource
        case (true, false): return .byFeature
        case (false, false): return .bySourceFeature
        }
    }

    /// The one class whose source is '*' or not and whose feature is '*' or not.
    static func of(hasSource: Bool, hasFeature: Bool) -> PeriodRowClasses {
        switch (hasSource, hasFeature) {
        case (false, false): return .total
        case (true, false): return .bySource
        case (false, true): return .byFeature
        case (true, true): return .bySourceFeature
        }
    }
}

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

/// Packs rows given in (person, source, feature) order into `PackedPeriodBatch`es: a
/// person's rows become one packed row when the next person's first row comes (or at
/// `finish`), so a person whose rows span two input batches is still one row.
struct PeriodRowPacker {
    private(set) var batch = PackedPeriodBatch()
    private var person: Int64 = 0
    private var open = false
    private var totals: (days: Int64, requests: Int64, logins: Int64, visits: Int64) = (0, 0, 0, 0)
    private var entries = 0
    /// JSON strings of the merge's text ids (quotes included), made once per id.
    private var quoted: [[UInt8]] = []
    private var isStar: [Bool] = []

    /// Adds one row. Rows come in (person, source, feature) order.
    mutating func add(person: Int64, source: UnsafeRawBufferPointer, feature: UnsafeRawBufferPointer,
                      days: Int64, requests: Int64, logins: Int64, visits: Int64) {
        startRow(person)
        if PackedPeriodRow.isStar(source) && PackedPeriodRow.isStar(feature) {
            totals = (days, requests, logins, visits)
            return
        }
        openEntry()
        PackedPeriodRow.appendString(source, to: &batch.detail)
        batch.detail.append(UInt8(ascii: ","))
        PackedPeriodRow.appendString(feature, to: &batch.detail)
        closeEntry(days, requests, logins, visits)
    }

    /// Adds the rows of a merge batch (texts by id), as `add` does.
    mutating func add(_ rows: PeriodRollupMerge.Batch) {
        while quoted.count < rows.texts.count {
            var text = rows.texts[quoted.count]
            var bytes: [UInt8] = []
            text.withUTF8 { PackedPeriodRow.appendString(UnsafeRawBufferPointer($0), to: &bytes) }
            quoted.append(bytes)
            isStar.append(text == "*")
        }
        for i in 0..<rows.count {
            startRow(rows.person[i])
            let s = Int(rows.source[i]), f = Int(rows.feature[i])
            if isStar[s] && isStar[f] {
                totals = (rows.days[i], rows.requests[i], rows.logins[i], rows.visits[i])
                continue
            }
            openEntry()
            batch.detail.append(contentsOf: quoted[s])
            batch.detail.append(UInt8(ascii: ","))
            batch.detail.append(contentsOf: quoted[f])
            closeEntry(rows.days[i], rows.requests[i], rows.logins[i], rows.visits[i])
        }
    }

    /// Ends the last person's row.
    mutating func finish() {
        guard open else { return }
        if entries == 0 { batch.detail.append(UInt8(ascii: "[")) }
        batch.detail.append(UInt8(ascii: "]"))
        batch.person.append(person)
        batch.days.append(totals.days); batch.requests.append(totals.requests)
        batch.logins.append(totals.logins); batch.visits.append(totals.visits)
        batch.detailEnd.append(batch.detail.count)
        open = false
    }

    /// Takes the packed rows of the persons finished so far (the person in progress, if
    /// any, stays).
    mutating func take() -> PackedPeriodBatch {
        var taken = PackedPeriodBatch()
        let done = batch.detailEnd.last ?? 0
        swap(&taken, &batch)
        if open {
            batch.detail = Array(taken.detail[done...])
            taken.detail.removeSubrange(done...)
        }
        return taken
    }

    private mutating func startRow(_ p: Int64) {
        if open && p == person { return }
        finish()
        person = p
        open = true
        totals = (0, 0, 0, 0)
        entries = 0
    }

    private mutating func openEntry() {
        batch.detail.append(entries == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
        batch.detail.append(UInt8(ascii: "["))
        entries += 1
    }

    private mutating func closeEntry(_ days: Int64, _ requests: Int64, _ logins: Int64, _ visits: Int64) {
        batch.detail.append(UInt8(ascii: ",")); PackedPeriodRow.appendInt(days, to: &batch.detail)
        batch.detail.append(UInt8(ascii: ",")); PackedPeriodRow.appendInt(requests, to: &batch.detail)
        batch.detail.append(UInt8(ascii: ",")); PackedPeriodRow.appendInt(logins, to: &batch.detail)
        batch.detail.append(UInt8(ascii: ",")); PackedPeriodRow.appendInt(visits, to: &batch.detail)
        batch.detail.append(UInt8(ascii: "]"))
    }
}
