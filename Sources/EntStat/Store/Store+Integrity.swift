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
                problems.append(Store.frenchIntegrityProblem(String(line)))
            }
        }
        return problems
    }

    /// SQLite's line in French where its shape is one of the usual ones (an index that
    /// disagrees with its table, a page used twice or never); any other line is quoted as
    /// SQLite wrote it, introduced as such.
    static func frenchIntegrityProblem(_ line: String) -> String {
        func after(_ prefix: String) -> String? { line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : nil }
        if line.hasPrefix("row "), let range = line.range(of: " missing from index ") {
            return "ligne \(line[line.index(line.startIndex, offsetBy: 4)..<range.lowerBound]) de la table absente de l'index \(line[range.upperBound...])"
        }
        if let index = after("wrong # of entries in index ") { return "nombre d'entrées faux dans l'index \(index)" }
        if let index = after("non-unique entry in index ") { return "entrée en double dans l'index \(index)" }
        if let column = after("NULL value in ") { return "valeur NULL dans la colonne \(column)" }
        if let table = after("CHECK constraint failed in ") { return "contrainte CHECK non respectée dans la table \(table)" }
        if let page = after("Page "), page.hasSuffix(" is never used") { return "page \(page.dropLast(14)) jamais utilisée" }
        return "détail de SQLite : « \(line) »"
    }
}
