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
            batch.detail.append(contentsOf: quoted[s])
            batch.detail.append(UInt8(ascii: ","))
            batch.detail.append(contentsOf: quoted[f])
            PackedPeriodRow.appendCounts(days: rows.days[i], requests: rows.requests[i], logins: rows.logins[i],
                                         visits: rows.visits[i], to: &batch.detail)
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
}
