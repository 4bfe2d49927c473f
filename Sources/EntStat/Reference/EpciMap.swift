/// The optional `epci.csv` (`code_commune;epci`) that supplies the EPCI of each commune
/// when the schools come from the Annuaire export, which has none (SPEC §1.1).
public struct EpciMap: Sendable {
    /// The EPCI of each commune code (the first row of a code wins).
    public var epciByCommune: [String: String] = [:]
    /// The rows skipped (missing fields, a commune described twice).
    public var warnings: [ReferenceWarning] = []

    /// Reads the rows; throws when the header lacks `code_commune` or `epci`.
    public init(csv: SemicolonCSV, file: String) throws(ReferenceError) {
        guard let code = csv.column("code_commune"), let epci = csv.column("epci") else {
            throw ReferenceError.missingColumn(csv.column("code_commune") == nil ? "code_commune" : "epci", required: ["code_commune", "epci"], file: file)
        }
        for row in csv.rows {
            guard row.fields.count > max(code, epci) else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "champs manquants ; ligne ignorée"))
                continue
            }
            let key = row.fields[code].trimmed()
            if epciByCommune[key] != nil {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "commune \(key) déjà décrite plus haut ; ligne ignorée"))
                continue
            }
            epciByCommune[key] = row.fields[epci].trimmed()
        }
    }
}
