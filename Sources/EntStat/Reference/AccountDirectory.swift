/// The ENT directory export `accounts.csv` (SPEC §1.2): every account handed out.
public struct AccountDirectory: Sendable {
    /// One account. Raw ids live only in memory, until they are pseudonymised.
    public struct Account: Sendable, Equatable {
        public var userID: String
        public var legacyID: String
        public var role: String
        public var schools: [String]
        public var codeCommune: String
        public var activatedOn: CivilDate?
    }

    public var accounts: [Account] = []
    public var warnings: [ReferenceWarning] = []

    public init(csv: SemicolonCSV, file: String) throws(ReferenceError) {
        var c: [Int] = []
        for name in ["user_id", "legacy_id", "role", "schools", "code_commune", "activated_on"] {
            guard let i = csv.column(name) else {
                throw ReferenceError(file: file, message: "colonne « \(name) » absente de l'en-tête (user_id;legacy_id;role;schools;code_commune;activated_on)")
            }
            c.append(i)
        }
        var seenUsers = Set<String>()
        var seenLegacy = Set<String>()
        for row in csv.completeRows(file: file, warnings: &warnings) {
            let f = { (i: Int) in row.fields[c[i]].trimmed() }
            let user = f(0)
            guard !user.isEmpty else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "user_id vide ; ligne ignorée"))
                continue
            }
            guard seenUsers.insert(user).inserted else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "user_id déjà présent plus haut ; ligne ignorée"))
                continue
            }
            var legacy = f(1)
            if !legacy.isEmpty && !seenLegacy.insert(legacy).inserted {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "legacy_id déjà attribué à un autre compte ; lien avec l'ancien ENT ignoré pour cette ligne"))
                legacy = ""
            }
            var role = RoleName.unknown
            if let normalized = RoleName.normalize(f(2)) {
                role = normalized
            } else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "rôle « \(f(2)) » inconnu ; compté comme « unknown »"))
            }
            var schools: [String] = []
            for part in f(3).split(separator: "|") {
                let uai = part.trimmed()
                if !uai.isEmpty && !schools.contains(uai) { schools.append(uai) }
            }
            let commune = f(4)
            if role == "commune" && commune.isEmpty {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "agent communal sans code_commune ; compté sans commune"))
            }
            var activated: CivilDate?
            let activatedText = f(5)
            if !activatedText.isEmpty {
                activated = CivilDate(iso: activatedText)
                if activated == nil {
                    warnings.append(ReferenceWarning(file: file, line: row.line, message: "activated_on « \(activatedText) » n'est pas une date AAAA-MM-JJ ; compte compté comme non activé"))
                }
            }
            accounts.append(Account(userID: user, legacyID: legacy, role: role, schools: schools,
                                    codeCommune: role == "commune" ? commune : "", activatedOn: activated))
        }
    }
}
