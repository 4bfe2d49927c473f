/// Packs rows given in (person, source, feature) order into `PackedPeriodBatch`es: a
/// person's rows become one packed row when the next person's first row comes (or at
/// `finish`), so a person whose rows span two input batches is still one row. A row whose
/// rows are all of one log source is packed in the form of one source (`PackedPeriodRow`).
struct PeriodRowPacker {
    typealias Counts = (days: Int64, requests: Int64, logins: Int64, visits: Int64)
    private(set) var batch = PackedPeriodBatch()
    private var person: Int64 = 0
    private var open = false
    private var totals: Counts = (0, 0, 0, 0)
    private var entries = 0
    /// Where the open row's detail starts in `batch.detail`; the ranges below are relative
    /// to it.
    private var rowStart = 0
    /// The open row's ('*', feature) entries: the feature's JSON string, and the counts.
    private var starRows: [(feature: Range<Int>, counts: Counts)] = []
    /// Its one source (the JSON string), the counts of (source, '*'), and how many of its
    /// (source, feature) entries matched `starRows`, in order; false once it cannot be
    /// packed in the form of one source.
    private var source: Range<Int>?
    private var sourceTotal: Counts?
    private var matched = 0
    private var isOneSource = true
    private var oneSourceDetail: [UInt8] = []
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
        let s0 = batch.detail.count
        PackedPeriodRow.appendString(source, to: &batch.detail)
        let s1 = batch.detail.count
        batch.detail.append(UInt8(ascii: ","))
        PackedPeriodRow.appendString(feature, to: &batch.detail)
        note(source: s0..<s1, feature: (s1 + 1)..<batch.detail.count, (days, requests, logins, visits))
        PackedPeriodRow.appendCounts(days: days, requests: requests, logins: logins, visits: visits, to: &batch.detail)
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
            let s0 = batch.detail.count
            batch.detail.append(contentsOf: quoted[s])
            let s1 = batch.detail.count
            batch.detail.append(UInt8(ascii: ","))
            batch.detail.append(contentsOf: quoted[f])
            note(source: s0..<s1, feature: (s1 + 1)..<batch.detail.count,
                 (rows.days[i], rows.requests[i], rows.logins[i], rows.visits[i]))
            PackedPeriodRow.appendCounts(days: rows.days[i], requests: rows.requests[i], logins: rows.logins[i],
                                         visits: rows.visits[i], to: &batch.detail)
        }
    }

    /// Ends the last person's row.
    mutating func finish() {
        guard open else { return }
        if entries == 0 { batch.detail.append(UInt8(ascii: "[")) }
        batch.detail.append(UInt8(ascii: "]"))
        if isOneSource, let source, let sourceTotal, sourceTotal == totals, totals.days > 0, matched == starRows.count {
            // `{"source":[[feature, days, requests, logins, visits], …]}` instead.
            oneSourceDetail.removeAll(keepingCapacity: true)
            PackedPeriodRow.appendOneSourceStart(quotedSource: batch.detail[(rowStart + source.lowerBound)..<(rowStart + source.upperBound)],
                                                 to: &oneSourceDetail)
            for (i, row) in starRows.enumerated() {
                PackedPeriodRow.appendOneSourceEntry(i, quotedFeature: batch.detail[(rowStart + row.feature.lowerBound)..<(rowStart + row.feature.upperBound)],
                                                     days: row.counts.days, requests: row.counts.requests, logins: row.counts.logins,
                                                     visits: row.counts.visits, to: &oneSourceDetail)
            }
            PackedPeriodRow.appendOneSourceEnd(to: &oneSourceDetail)
            batch.detail.removeSubrange(rowStart...)
            batch.detail.append(contentsOf: oneSourceDetail)
        }
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
            rowStart = 0
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
        rowStart = batch.detail.count
        starRows.removeAll(keepingCapacity: true)
        source = nil
        sourceTotal = nil
        matched = 0
        isOneSource = true
    }

    /// Follows whether the open row is of one source, with the entry just written: its
    /// source's and feature's JSON strings at these ranges of `batch.detail`, and its counts.
    private mutating func note(source s: Range<Int>, feature f: Range<Int>, _ counts: Counts) {
        guard isOneSource else { return }
        let isStarSource = s.count == 3 && batch.detail[s.lowerBound + 1] == UInt8(ascii: "*")
        let isStarFeature = f.count == 3 && batch.detail[f.lowerBound + 1] == UInt8(ascii: "*")
        let feature = (f.lowerBound - rowStart)..<(f.upperBound - rowStart)
        if isStarSource {
            // ('*', feature), before any source in key order.
            if source != nil { isOneSource = false } else { starRows.append((feature, counts)) }
            return
        }
        if let source {
            guard batch.detail[(rowStart + source.lowerBound)..<(rowStart + source.upperBound)].elementsEqual(batch.detail[s]) else {
                isOneSource = false
                return
            }
        } else {
            source = (s.lowerBound - rowStart)..<(s.upperBound - rowStart)
        }
        if isStarFeature {
            if sourceTotal != nil || matched > 0 { isOneSource = false } else { sourceTotal = counts }
            return
        }
        guard sourceTotal != nil, matched < starRows.count, starRows[matched].counts == counts,
              batch.detail[(rowStart + starRows[matched].feature.lowerBound)..<(rowStart + starRows[matched].feature.upperBound)]
                  .elementsEqual(batch.detail[f]) else {
            isOneSource = false
            return
        }
        matched += 1
    }

    private mutating func openEntry() {
        batch.detail.append(entries == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
        batch.detail.append(UInt8(ascii: "["))
        entries += 1
    }
}
