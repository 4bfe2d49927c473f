/// Accounts attached to a school the loaded schools file lacks (docs/choices.md,
/// "Reference files"): they are loaded all the same, and count under that UAI with an empty level,
/// commune and EPCI (SPEC §2.1), but each such row of `accounts.csv` is warned about, since a
/// school missing from the report's tables is most often a wrong UAI or a schools file of
/// another territory.
///
/// The check needs both files, which may be loaded by different commands: it runs whenever
/// a load replaces either of them (`loadReferences`, `rotateSecret`), on the store's tables,
/// once a schools file and an accounts file are both loaded. It is one scan of
/// `account_school` (one lookup per row in the small `school` index), not a lookup per row
/// while the accounts stream in.
extension Store {
    /// The warning of an account row whose `schools` name `uais` (in UAI order), none of them
    /// in the loaded schools file `schoolsFile`.
    public static func unknownSchoolsMessage(_ uais: [String], schoolsFile: String) -> String {
        let one = uais.count == 1
        return "UAI \(uais.joined(separator: ", ")) \(one ? "absente" : "absentes") du fichier des écoles chargé (\(schoolsFile)) ; "
            + "compte chargé quand même, rattaché à \(one ? "cette école" : "ces écoles") sans niveau, commune ni EPCI : "
            + "chargez le fichier des écoles qui \(one ? "la" : "les") contient, ou corrigez le compte"
    }

    /// The accounts' rows attached to a school the schools file lacks: the warnings of the
    /// first `limit` rows, in line order, and how many rows in all. Commune agents are left
    /// out: their places come from their `code_commune`, whatever schools they list. Nil
    /// until a schools file and an accounts file are both loaded.
    func unknownSchoolWarnings(limit: Int) throws -> (warnings: [ReferenceWarning], count: Int)? {
        let names = try db.prepare("SELECT kind, name FROM reference_load WHERE kind IN ('schools', 'accounts')")
        var file: [String: String] = [:]
        while try names.step() { file[names.text(0)] = names.text(1) }
        guard let schoolsFile = file["schools"], let accountsFile = file["accounts"] else { return nil }
        // An account's id is the line its row starts on (`replaceAccountRows`).
        let rows = try db.prepare("""
            SELECT u.account, u.uais
            FROM (SELECT s.account AS account, group_concat(s.uai, '|') AS uais
                  FROM account_school s
                  WHERE s.uai NOT IN (SELECT uai FROM school)
                  GROUP BY s.account) u
            JOIN account a ON a.id = u.account
            WHERE a.role != 'commune'
            ORDER BY u.account
            """)
        var warnings: [ReferenceWarning] = []
        var count = 0
        while try rows.step() {
            count += 1
            guard warnings.count < limit else { continue }
            let uais = rows.text(1).split(separator: "|").map(String.init)
            warnings.append(ReferenceWarning(file: accountsFile, line: rows.int(0),
                                             message: Store.unknownSchoolsMessage(uais, schoolsFile: schoolsFile)))
        }
        return (warnings, count)
    }

    /// `load` (the accounts' or the schools') with the warnings of the accounts attached to
    /// a school the schools file lacks, also counted in its record (`reference_load`).
    /// Inside the transaction that replaced the accounts or the schools.
    func noteUnknownSchools(in load: ReferenceLoad) throws -> ReferenceLoad {
        guard let found = try unknownSchoolWarnings(limit: ReferenceLoad.keptWarnings), found.count > 0 else { return load }
        try db.statement("UPDATE reference_load SET warnings = warnings + ?2 WHERE kind = ?1").run(.text(load.kind), .int(found.count))
        return load.adding(found.warnings, count: found.count)
    }
}
