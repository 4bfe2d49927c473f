/// The schools and communes of the département, read from either the tool's `schools.csv`
/// or the ministry's "Annuaire de l'éducation" export (SPEC §1.1), told apart by header.
public struct SchoolDirectory: Sendable {
    /// One school.
    public struct School: Sendable, Equatable {
        /// The school's UAI (an invalid one is kept: see `uaiValid`).
        public var uai: String
        /// The school's name (`nom`, or the Annuaire's `Nom_etablissement`).
        public var name: String
        /// `maternelle`, `elementaire`, `primaire`, or "" when the file did not say.
        public var level: String
        /// The INSEE code of its commune; empty when the file gave none.
        public var codeCommune: String
        /// True when the UAI is 7 digits and the right check letter.
        public var uaiValid: Bool
    }

    /// One commune (INSEE code) with its name and EPCI ("" when unknown).
    public struct Commune: Sendable, Equatable {
        /// The commune's INSEE code.
        public var code: String
        /// The commune's name (`commune`, or the Annuaire's `Nom_commune`).
        public var name: String
        /// Its EPCI, "" when unknown (the Annuaire export has none).
        public var epci: String
    }

    /// Which of the two layouts the file had: the tool's `schools.csv`, or the ministry's
    /// "Annuaire de l'éducation" export.
    public enum Format: String, Sendable { case entstat, annuaire }

    /// The layout the file was read as.
    public var format: Format
    /// The schools kept, in file order (from the Annuaire, only its rows of type `Ecole`).
    public var schools: [School] = []
    /// The communes by INSEE code, as the first school row of each described them.
    public var communes: [String: Commune] = [:]
    /// The rows skipped, or loaded with a problem.
    public var warnings: [ReferenceWarning] = []

    /// Reads either layout, told by its header; throws when the header is neither.
    public init(csv: SemicolonCSV, file: String) throws(ReferenceError) {
        if csv.column("uai") != nil {
            format = .entstat
            try readOwnFormat(csv, file: file)
        } else if csv.column("Identifiant_de_l_etablissement") != nil {
            format = .annuaire
            try readAnnuaire(csv, file: file)
        } else {
            throw ReferenceError(file: file, place: "ligne 1", message: "en-tête non reconnu : ni schools.csv (uai;nom;niveau;code_commune;commune;epci) ni export de l'Annuaire de l'éducation (Identifiant_de_l_etablissement;…)")
        }
    }

    private static func columns(_ csv: SemicolonCSV, _ names: [String], file: String) throws(ReferenceError) -> [Int] {
        var indexes: [Int] = []
        for name in names {
            guard let i = csv.column(name) else {
                throw ReferenceError.missingColumn(name, required: names, file: file, annuaire: csv.column("uai") == nil)
            }
            indexes.append(i)
        }
        return indexes
    }

    private mutating func readOwnFormat(_ csv: SemicolonCSV, file: String) throws(ReferenceError) {
        let c = try SchoolDirectory.columns(csv, ["uai", "nom", "niveau", "code_commune", "commune", "epci"], file: file)
        var seen = Set<String>()
        for row in csv.completeRows(file: file, warnings: &warnings) {
            let f = { (i: Int) in row.fields[c[i]].trimmed() }
            addSchool(uai: f(0), name: f(1), levelText: f(2), codeCommune: f(3), line: row.line, file: file, seen: &seen)
            let code = f(3)
            if !code.isEmpty && communes[code] == nil {
                communes[code] = Commune(code: code, name: f(4), epci: f(5))
            }
        }
    }

    private mutating func readAnnuaire(_ csv: SemicolonCSV, file: String) throws(ReferenceError) {
        let c = try SchoolDirectory.columns(csv, ["Identifiant_de_l_etablissement", "Nom_etablissement", "Type_etablissement",
                                                  "Code_commune", "Nom_commune", "Ecole_maternelle", "Ecole_elementaire"], file: file)
        var seen = Set<String>()
        for row in csv.completeRows(file: file, warnings: &warnings) {
            let f = { (i: Int) in row.fields[c[i]].trimmed() }
            guard TextFolding.fold(f(2)) == "ecole" else { continue }
            let maternelle = f(5) == "1", elementaire = f(6) == "1"
            let level = maternelle && elementaire ? "primaire" : maternelle ? "maternelle" : elementaire ? "elementaire" : ""
            addSchool(uai: f(0), name: f(1), levelText: level, codeCommune: f(3), line: row.line, file: file, seen: &seen)
            let code = f(3)
            if !code.isEmpty && communes[code] == nil {
                communes[code] = Commune(code: code, name: f(4), epci: "")
            }
        }
    }

    private mutating func addSchool(uai: String, name: String, levelText: String, codeCommune: String, line: Int, file: String, seen: inout Set<String>) {
        guard !uai.isEmpty else {
            warnings.append(ReferenceWarning(file: file, line: line, message: "UAI vide ; ligne ignorée"))
            return
        }
        guard seen.insert(uai).inserted else {
            warnings.append(ReferenceWarning(file: file, line: line, message: "UAI \(uai) déjà décrite plus haut ; ligne ignorée"))
            return
        }
        let valid = UAI.isValid(uai)
        if !valid {
            let expected = UAI.checkLetter(digits: uai.prefix(7)).map { " (lettre attendue : \($0))" } ?? " (7 chiffres et une lettre attendus)"
            warnings.append(ReferenceWarning(file: file, line: line, message: "UAI \(uai) invalide\(expected) ; ligne chargée quand même"))
        }
        var level = ""
        if !levelText.isEmpty {
            if let parsed = SchoolLevel(text: levelText) {
                level = parsed.rawValue
            } else {
                warnings.append(ReferenceWarning(file: file, line: line, message: "niveau « \(levelText) » inconnu (maternelle, élémentaire ou primaire) ; école sans niveau"))
            }
        } else {
            warnings.append(ReferenceWarning(file: file, line: line, message: "niveau absent ; école sans niveau"))
        }
        if codeCommune.isEmpty {
            warnings.append(ReferenceWarning(file: file, line: line, message: "code commune absent pour l'école \(uai)"))
        } else if !CommuneCode.isValid(codeCommune) {
            warnings.append(ReferenceWarning(file: file, line: line, message: CommuneCode.invalidMessage(codeCommune)))
        }
        schools.append(School(uai: uai, name: name, level: level, codeCommune: codeCommune, uaiValid: valid))
    }
}
