/// The rows a report shares with the reports it is published with (`PublishedReports`),
/// and the cells its statistical secrecy may then not hide as complements.
///
/// A commune's figures stand in its own report (its row of `communes` and
/// `communes_parents_services`, its total `*`, its schools' rows of `ecoles`), in its EPCI's
/// and in the territory's; an EPCI's in its own and the territory's (`epci`). A cell the
/// reports published with it show is fixed: never hidden as a complement, nor is any cell of
/// the report that is the same figure; the small counts the fixed cells leave deducible are
/// counted as such (`SecrecyPropagation`'s proofs skip fixed cells as they skip zeros).
enum SecrecySharedRows {
    /// The tables whose rows are a place's figures, by the key column naming the place.
    static let keyColumns: [String: String] = [
        "communes": "code_commune", "communes_parents_services": "code_commune", "ecoles": "uai", "epci": "epci",
    ]

    /// `shown` and every cell of `tables` that is the same figure as one of them
    /// (`ReportSuppression.checks`' groups: once the period's tables are made safe together,
    /// hiding a copy in a table alone would hide its twin).
    static func closure(_ shown: Set<ReportSuppression.CellRef>, in tables: [ReportTable]) -> Set<ReportSuppression.CellRef> {
        guard !shown.isEmpty else { return shown }
        let cells = SecrecyCellIndex(tables)
        let fixed = self.fixed(shown, groups: ReportSuppression.checks(tables).groups, cells: cells)
        return Set(fixed.indices.filter { fixed[$0] }.map(cells.ref))
    }

    /// `shown` and every cell that is the same figure as one of them (`groups`), by flat
    /// number of `cells`.
    static func fixed(_ shown: Set<ReportSuppression.CellRef>, groups: [[ReportSuppression.CellRef]],
                      cells: SecrecyCellIndex) -> [Bool] {
        var fixed = [Bool](repeating: false, count: cells.count)
        for ref in shown { fixed[cells.flat(ref)] = true }
        guard !shown.isEmpty else { return fixed }
        for group in groups where group.contains(where: { fixed[cells.flat($0)] }) {
            for ref in group { fixed[cells.flat(ref)] = true }
        }
        return fixed
    }
}
