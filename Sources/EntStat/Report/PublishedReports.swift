import Foundation

/// Reports already published (their folders, given with `entstat report --published-with`)
/// whose rows a report repeats, or which repeat its rows: the territory's and an EPCI's
/// report publish each commune's row of `communes` and `communes_parents_services` and each
/// school's row of `ecoles`; the territory's publishes each EPCI's row of `epci`. A
/// commune's or an EPCI's report of the same period holds the same figures, as rows or as
/// its own total (`*`).
///
/// Each report made safe on its own, a figure one of them hides to protect a small count (a
/// complement) may be shown by the other, and a reader holding both puts it back: on the
/// simulated Somme's school year, commune 80157's report read with the territory's left 122
/// of its hidden cells exact, its teachers' 4 accounts among them. Given the reports it is
/// published with, a report hides every such figure they hide and never hides one they show
/// (`SecrecySharedRows`): the reports agree cell for cell, and the small counts their
/// shown cells leave deducible are said so (`entstat report` exits 3). Either way round: a
/// commune's report given the territory's and its EPCI's, or the territory's and an EPCI's
/// given the communes' reports made alone (and the territory's the EPCIs').
public struct PublishedReports: Sendable {
    /// One published report: by table, row key and column, the CSV field.
    struct Report: Sendable {
        var folder: String
        var fields: [String: [String: [String: String]]]
        /// The threshold its `< N` marks show, if any.
        var minCell: Int?
    }

    let reports: [Report]
    /// The report folders of a folder of reports left out because they must not be
    /// published (`ReportOutput.unpublishableFileName`): no reader will hold them, so
    /// nothing is to agree with them. For the command to name them.
    public let leftOut: [String]

    /// No report: a report made safe on its own.
    public static let none = PublishedReports(reports: [])

    init(reports: [Report], leftOut: [String] = []) {
        self.reports = reports
        self.leftOut = leftOut
    }

    /// Reads the shared tables of the report folders `folders` (`rapport.html`'s folder, as
    /// `entstat report --out` wrote it), or of every report folder a folder holds (the
    /// communes' reports, written each in its own folder under one). A folder with neither is
    /// refused. A report that must not be published (its folder holds
    /// `ReportOutput.unpublishableFileName`: `entstat report` exited 3) is refused when named,
    /// and left out of a folder of reports (`leftOut`).
    public init(folders: [String]) throws {
        var reports: [Report] = []
        var leftOut: [String] = []
        for folder in folders {
            if let report = try Self.read(folder) {
                guard !Self.isUnpublishable(folder) else {
                    throw ReportError(file: Self.unpublishablePath(folder), message: "ce rapport ne doit pas être publié tel quel (entstat report l'a dit, code de sortie 3) : "
                        + "ne le publiez pas, et ne le donnez pas à --published-with ; ou écrivez-le à nouveau tel qu'il puisse l'être (voir ce fichier)")
                }
                reports.append(report)
                continue
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            var found = false
            for entry in entries.sorted() {
                let inner = Self.path(entry, in: folder)
                guard let report = try Self.read(inner) else { continue }
                found = true
                guard !Self.isUnpublishable(inner) else {
                    leftOut.append(inner)
                    continue
                }
                reports.append(report)
            }
            guard found else {
                throw ReportError(file: folder, message: "aucun des tableaux communes.csv, communes_parents_services.csv, ecoles.csv, epci.csv, ni dossier qui en ait : "
                    + "donnez à --published-with le dossier d'un rapport écrit par entstat report, ou le dossier qui contient ces rapports")
            }
        }
        self.reports = reports
        self.leftOut = leftOut
    }

    /// The file that marks the report in `folder` as not to be published.
    static func unpublishablePath(_ folder: String) -> String {
        path(ReportOutput.unpublishableFileName, in: folder)
    }

    /// `name` in `folder`, as the analyst wrote the folder (relative stays relative).
    static func path(_ name: String, in folder: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    static func isUnpublishable(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: unpublishablePath(folder))
    }

    /// The shared tables of one report folder; nil when it holds none of them.
    static func read(_ folder: String) throws -> Report? {
        var report = Report(folder: folder, fields: [:], minCell: nil)
        var found = false
        for (table, key) in SecrecySharedRows.keyColumns.sorted(by: { $0.key < $1.key }) {
            let path = Self.csvPath(folder, table)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            found = true
            let csv: SemicolonCSV
            do { csv = try SemicolonCSV(bytes: [UInt8](data), file: path) } catch {
                throw ReportError(file: path, message: "\(error.message) ; donnez à --published-with le dossier d'un rapport écrit par entstat report")
            }
            guard let k = csv.header.firstIndex(of: key) else {
                throw ReportError(file: path, message: "colonne « \(key) » absente : ce n'est pas un tableau de rapport d'entstat")
            }
            var rows: [String: [String: String]] = [:]
            for row in csv.rows where k < row.fields.count {
                var fields: [String: String] = [:]
                for (c, name) in csv.header.enumerated() where c < row.fields.count && c != k {
                    let field = row.fields[c]
                    fields[name] = field
                    if field.hasPrefix("< "), let n = Int(field.dropFirst(2)) { report.minCell = n }
                }
                rows[row.fields[k]] = fields
            }
            report.fields[table] = rows
        }
        guard found else { return nil }
        // A commune's report (one commune in its `communes`): its row of `epci` is that
        // commune's figures under its EPCI's name, no figure of the EPCI's, so not shared.
        // (An EPCI of one commune looks the same, and its row of `epci` is then its
        // commune's row: nothing is lost.)
        if (report.fields["communes"]?.keys.filter({ $0 != "*" && !$0.isEmpty }).count ?? 0) == 1 {
            report.fields["epci"] = nil
        }
        return report
    }

    /// The CSV file of `table` in a report's folder.
    static func csvPath(_ folder: String, _ table: String) -> String {
        URL(fileURLWithPath: folder).appendingPathComponent(table + ".csv").path
    }

    /// The published field a cell of a report of `scope` repeats: its row's key in the same
    /// table, or, for the report's own total (`*`), the row of its commune or EPCI.
    static func places(table: String, key: String, scope: ReportScope) -> [(table: String, key: String)] {
        guard key == "*" else { return key.isEmpty || SecrecySharedRows.keyColumns[table] == nil ? [] : [(table, key)] }
        switch scope {
        case .everything: return []
        case .commune(let code): return ["communes", "communes_parents_services"].contains(table) ? [(table, code)] : []
        case .epci(let name): return ["communes", "epci"].contains(table) ? [("epci", name)] : []
        }
    }

    /// The cells of `tables` (as computed, before any secrecy, for a report of `scope` at
    /// `minCell`) that the reports hide, and those they show. A shown figure that differs
    /// from the computed one means another period or store: refused, naming the cell.
    func cells(of tables: [ReportTable], scope: ReportScope, minCell: Int) throws
        -> (hidden: Set<ReportSuppression.CellRef>, shown: Set<ReportSuppression.CellRef>) {
        var hidden = Set<ReportSuppression.CellRef>(), shown = Set<ReportSuppression.CellRef>()
        guard !reports.isEmpty else { return (hidden, shown) }
        for report in reports {
            if let n = report.minCell, n != minCell {
                throw ReportError(file: report.folder, message: "rapport publié au seuil \(n), celui-ci au seuil \(minCell) : "
                    + "écrivez les rapports publiés ensemble au même seuil (--min-cell)")
            }
        }
        for (t, table) in tables.enumerated() {
            // A commune's report restricts its EPCI row to the commune: no figure of another report.
            if case .commune = scope, table.name == "epci" { continue }
            guard let keyName = SecrecySharedRows.keyColumns[table.name], let k = table.columns.firstIndex(where: { $0.name == keyName }) else { continue }
            for (r, row) in table.rows.enumerated() where k < row.count {
                let places = Self.places(table: table.name, key: CSVText.neutralized(row[k].textValue), scope: scope)
                for place in places {
                    for report in reports {
                        guard let fields = report.fields[place.table]?[place.key] else { continue }
                        for (c, column) in table.columns.enumerated() where c != k && c < row.count {
                            guard let published = fields[column.name] else { continue }
                            let ref = ReportSuppression.CellRef(table: t, row: r, column: c)
                            switch row[c] {
                            case .users, .volume:
                                if published == FrenchText.complementMark {
                                    hidden.insert(ref)
                                } else if !published.hasPrefix("<") {
                                    // A count under the threshold shown: a report without secrecy, or
                                    // at a lower threshold that no `< N` mark of its shared rows says.
                                    if case .users(let n, _) = row[c], Suppression.isSmall(n, minCell: minCell) {
                                        throw ReportError(file: Self.csvPath(report.folder, place.table),
                                                          message: "« \(place.key) », \(column.name) : \(published), un effectif sous le seuil \(minCell), y est montré : "
                                                            + "ce rapport n'a pas été écrit avec le même secret statistique (--min-cell) ; écrivez-les au même seuil")
                                    }
                                    let mine = ReportCSV.field(row[c], column: column, minCell: minCell)
                                    guard mine == published else {
                                        throw ReportError(file: Self.csvPath(report.folder, place.table),
                                                          message: "« \(place.key) », \(column.name) : \(published) dans ce rapport publié, \(mine) ici : "
                                                            + "il ne porte pas sur la même période ou le même magasin ; écrivez-les pour les mêmes --from et --to")
                                    }
                                    shown.insert(ref)
                                }
                            default: break
                            }
                        }
                    }
                }
            }
        }
        return (hidden, shown.subtracting(hidden))
    }
}
