/// Normalises role names of accounts.csv and of the event log's `profil` (SPEC §2.1).
public enum RoleName {
    /// The five roles, plus `unknown` for users nobody could place.
    public static let canonical = ["parent", "teacher", "student", "staff", "commune"]
    /// The role of a user nobody could place in one of the five.
    public static let unknown = "unknown"

    static let synonyms: [String: String] = [
        "parent": "parent", "relative": "parent",
        "teacher": "teacher", "enseignant": "teacher",
        "student": "student", "eleve": "student",
        "staff": "staff", "personnel": "staff", "pers_etab": "staff",
        "commune": "commune", "collectivite": "commune", "pers_coll": "commune",
    ]

    /// The canonical role of a name, or nil when it is not one of the known names. A name
    /// already folded (`teacher`, the usual spelling of a national directory's ten million
    /// rows) is found without folding it: every key folds to itself.
    public static func normalize(_ name: String) -> String? {
        synonyms[name] ?? synonyms[TextFolding.fold(name)]
    }
}
