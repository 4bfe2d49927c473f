/// The ENT directory export `accounts.csv` (SPEC §1.2): every account handed out.
public struct AccountDirectory: Sendable {
    /// One account. Raw ids live only in memory, until they are pseudonymised.
    public struct Account: Sendable, Equatable {
        /// The new ENT's id (`user_id`, the event log's `userId`).
        public var userID: String
        /// The old ENT's id (`legacy_id`, the access log's user); empty when none or repeated.
        public var legacyID: String
        /// The canonical role (`RoleName`), `unknown` for a role word that is none of them.
        public var role: String
        /// The UAIs of `schools` (`|`-separated), each once, in file order.
        public var schools: [String]
        /// The commune of a commune agent (`code_commune`); empty for every other role.
        public var codeCommune: String
        /// `activated_on`; nil when empty or not a date (the account counts as not activated).
        public var activatedOn: CivilDate?
    }

    /// The accounts kept, in file order.
    public var accounts: [Account] = []
    /// The rows skipped, or read with a problem.
    public var warnings: [ReferenceWarning] = []

    /// Reads a whole directory held in memory (tests, small files). `Store.loadAccounts`
    /// streams the file through `Columns` and `account(from:)` instead, and finds repeated
    /// ids in the store once every row is in (see `Store+Accounts`).
    public init(csv: SemicolonCSV, file: String) throws(ReferenceError) {
        let columns = try Columns(header: csv.header, file: file)
        var seenUsers = Set<String>()
        var seenLegacy = Set<String>()
        for row in csv.completeRows(file: file, warnings: &warnings) {
            if let account = columns.account(from: row, warnings: &warnings,
                                              isRepeatedUser: { !seenUsers.insert($0).inserted },
                                              isRepeatedLegacy: { !seenLegacy.insert($0).inserted }) {
                accounts.append(account)
            }
        }
    }

    /// The warning for a `user_id` seen on an earlier row (the row is skipped).
    public static let repeatedUserMessage = "user_id déjà présent plus haut ; ligne ignorée"

    /// The warning for a `legacy_id` given to an earlier account (the link is dropped).
    public static let repeatedLegacyMessage = "legacy_id déjà attribué à un autre compte ; lien avec l'ancien ENT ignoré pour cette ligne"

    /// Where the columns of `accounts.csv` are, and how one row becomes an account.
    public struct Columns: Sendable {
        let file: String
        let index: [Int]
        /// Fields a complete row has.
        public let count: Int

        /// Finds the six columns in `header`; throws when one is missing.
        public init(header: [String], file: String) throws(ReferenceError) {
            var index: [Int] = []
            let names = ["user_id", "legacy_id", "role", "schools", "code_commune", "activated_on"]
            for name in names {
                guard let i = SemicolonCSV.column(name, in: header) else {
                    throw ReferenceError.missingColumn(name, required: names, file: file)
                }
                index.append(i)
            }
            self.file = file
            self.index = index
            self.count = header.count
        }

        /// The account of a complete row, or nil (with a warning) when the row has no
        /// user_id or one seen on an earlier row. `isRepeatedUser` and `isRepeatedLegacy`
        /// say whether an earlier accepted row had that id (and remember this one's): the
        /// first row with an id keeps it; a later repeated `legacy_id` loses its link with
        /// the old ENT.
        public func account(from row: SemicolonCSV.Row, warnings: inout [ReferenceWarning],
                            isRepeatedUser: (String) throws -> Bool,
                            isRepeatedLegacy: (String) throws -> Bool) rethrows -> Account? {
            let f = { (i: Int) in row.fields[index[i]].trimmed() }
            let user = f(0)
            guard !user.isEmpty else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "user_id vide ; ligne ignorée"))
                return nil
            }
            guard try !isRepeatedUser(user) else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: AccountDirectory.repeatedUserMessage))
                return nil
            }
            var legacy = f(1)
            if try !legacy.isEmpty && isRepeatedLegacy(legacy) {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: AccountDirectory.repeatedLegacyMessage))
                legacy = ""
            }
            var role = RoleName.unknown
            if let normalized = RoleName.normalize(f(2)) {
                role = normalized
            } else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "rôle « \(f(2)) » inconnu ; compté comme rôle inconnu (hors annuaire)"))
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
            return Account(userID: user, legacyID: legacy, role: role, schools: schools,
                           codeCommune: role == "commune" ? commune : "", activatedOn: activated)
        }
    }
}
