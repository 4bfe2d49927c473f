/// The export figures that `entstat purge` froze before deleting per-user rows: one set
/// per closed period wholly before the purge limit, for every period kind and every set of
/// dimensions (the order of `--by` only orders columns, so sets suffice).
public enum FrozenFigures {
    /// The period kinds frozen (`all` always straddles the limit: it is never frozen).
    public static let periodKinds: [Period] = [.day, .week, .month, .schoolYear]

    /// The sets of dimensions frozen: every subset of `Dimension.allCases`, numbered by
    /// the bits of their members' positions.
    static let groupings = 1 << Dimension.allCases.count

    /// The set of dimensions numbered `mask` (below `groupings`), in `Dimension.allCases` order.
    static func dimensions(ofGrouping mask: Int) -> [Dimension] {
        Dimension.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
    }

    /// Canonical key of a set of dimensions: names in `Dimension.allCases` order.
    static func key(_ dimensions: [Dimension]) -> String {
        Dimension.allCases.filter(dimensions.contains).map(\.rawValue).joined(separator: ",")
    }

    static let separator: Character = "\u{1F}"

    /// Adds the frozen rows of the periods wholly inside [fromDay, toDay] to `rows`,
    /// replacing live rows of those periods.
    static func merge(store: Store, request: ExportRequest, fromDay: Int, toDay: Int,
                      rows: inout [FigureRow], periods: inout Set<String>, listPeriods: Bool) throws {
        guard request.period != .all, try store.purgeLimit() != nil else { return }
        let kind = request.period.rawValue
        let periodQuery = try store.db.prepare("""
            SELECT period FROM frozen_period WHERE period_kind = ?1 AND first_day >= ?2 AND last_day <= ?3
            """)
        try periodQuery.bind(.text(kind), .int(fromDay), .int(toDay))
        var frozen = Set<String>()
        while try periodQuery.step() { frozen.insert(periodQuery.text(0)) }
        guard !frozen.isEmpty else { return }
        rows.removeAll { frozen.contains($0.period) }
        let canonical = Dimension.allCases.filter(request.dimensions.contains)
        let order = request.dimensions.map { d in canonical.firstIndex(of: d)! }
        let s = try store.db.prepare("""
            SELECT period, groups, active_users, connections, logins, requests, listed_active FROM frozen_figure
            WHERE period_kind = ?1 AND dimensions = ?2
            """)
        try s.bind(.text(kind), .text(key(request.dimensions)))
        while try s.step() {
            let period = s.text(0)
            guard frozen.contains(period) else { continue }
            let stored = canonical.isEmpty ? [] : s.text(1).split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            guard stored.count == canonical.count else {
                throw StoreError.damaged(path: store.path, table: "frozen_figure",
                                         reason: "période \(period) : \(FrenchText.count(stored.count, "groupe")) pour \(FrenchText.agreeing(canonical.count, "la dimension", "les \(canonical.count) dimensions")) \(key(request.dimensions))")
            }
            let groups = order.map { stored[$0] }
            var row = FigureRow(period: period, groups: groups)
            row.activeUsers = s.int(2)
            row.connections = s.int(3)
            row.logins = s.int(4)
            row.requests = s.int(5)
            row.listedActiveUsers = s.int(6)
            rows.append(row)
        }
        if listPeriods {
            let any = try store.db.prepare("SELECT period FROM frozen_figure WHERE period_kind = ?1 AND dimensions = ''")
            try any.bind(.text(kind))
            while try any.step() {
                if frozen.contains(any.text(0)) { periods.insert(any.text(0)) }
            }
        }
    }

    /// Labels of the periods of a request whose figures are incomplete because per-user rows
    /// were purged: they start before the purge limit and are not frozen whole inside the
    /// requested range.
    public static func incompletePeriods(store: Store, request: ExportRequest) throws -> [String] {
        guard let limit = try store.purgeLimit() else { return [] }
        let fromDay = request.from?.dayNumber ?? Int(Int32.min)
        let toDay = request.to?.dayNumber ?? Int(Int32.max)
        guard let earliest = try store.db.scalarInt("SELECT MIN(first_day) FROM ingested_file").map({ Int($0) }),
              fromDay < limit, toDay >= earliest else { return [] }
        if request.period == .all { return ["all"] }
        let s = try store.db.prepare("""
            SELECT \(request.period.calendarExpression), MIN(c.day), MAX(c.day) FROM calendar c
            GROUP BY 1 HAVING MIN(c.day) < ?1 AND MAX(c.day) >= ?2 AND MIN(c.day) <= ?4 AND MAX(c.day) >= ?3
            ORDER BY 2
            """)
        try s.bind(.int(limit), .int(earliest), .int(fromDay), .int(toDay))
        let frozen = try store.db.prepare("SELECT 1 FROM frozen_period WHERE period_kind = ?1 AND period = ?2")
        var result: [String] = []
        while try s.step() {
            let label = s.text(0)
            let wholeInside = s.int(1) >= fromDay && s.int(2) <= toDay
            frozen.reset()
            try frozen.bind(.text(request.period.rawValue), .text(label))
            let isFrozen = try frozen.step()
            if !(wholeInside && isFrozen) { result.append(label) }
        }
        return result
    }
}
