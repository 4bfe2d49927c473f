/// The store's own check of its pages (`PRAGMA quick_check`): every page read once, so a
/// store damaged on disk is found before a report reads the damaged page. It takes about a
/// second per gigabyte of store, which is why `entstat status` runs it only when asked.
extension Store {
    /// The problems SQLite finds (`limit` rows of them at most), one per line; empty when the
    /// store is sound.
    public func integrityProblems(limit: Int = 10) throws -> [String] {
        let check = try db.prepare("PRAGMA quick_check(\(max(1, limit)))")
        var problems: [String] = []
        while try check.step() {
            // A row may hold several problems, one per line, under a "*** in database ***" title.
            for line in check.text(0).split(whereSeparator: \.isNewline) where line != "ok" && !line.hasPrefix("***") {
                problems.append(String(line))
            }
        }
        return problems
    }
}
