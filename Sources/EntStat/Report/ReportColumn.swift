/// A column of a report table: its machine name (the CSV header and SQL alias), its French
/// label and the kind of value it holds.
public struct ReportColumn: Sendable, Equatable {
    /// What a column holds, decided from its name (see `Queries/README.md`).
    public enum Kind: Sendable, Equatable {
        /// Text: labels, names (`ReportCell.text`); any name no rule of `kind(ofName:)` claims.
        case text
        /// An ordinal that is not a count: `heure`, `jour_semaine`.
        case ordinal
        /// A distinct-user or account count, under the small-cell rule (`utilisateurs…`,
        /// `comptes…`).
        case users
        /// A volume: connections, requests, files, lines (`connexions…`, `requetes…`).
        case volume
        /// A rate or share (`taux_…`, `part_…`).
        case rate
        /// A difference between two periods (`evolution…`).
        case change
    }

    /// The machine name: the CSV header and the query's SQL alias.
    public var name: String
    /// The French header shown in the page (by default `FrenchText.columnLabel(name)`).
    public var label: String
    /// What the column holds (by default from its name, `kind(ofName:)`).
    public var kind: Kind

    /// The column `name`; its label and kind follow from the name unless given.
    public init(name: String, label: String? = nil, kind: Kind? = nil) {
        self.name = name
        self.label = label ?? FrenchText.columnLabel(name)
        self.kind = kind ?? ReportColumn.kind(ofName: name)
    }

    /// The naming convention of query columns.
    public static func kind(ofName name: String) -> Kind {
        let ordinals: Set<String> = ["heure", "jour_semaine"]
        if ordinals.contains(name) { return .ordinal }
        for prefix in ["taux_", "part_"] where name.hasPrefix(prefix) { return .rate }
        for prefix in ["utilisateurs", "comptes", "parents", "agents_", "pic_"] where name.hasPrefix(prefix) { return .users }
        for prefix in ["connexions", "authentifications", "requetes", "fichiers", "lignes", "retenues", "filtrees", "rejetees"]
            where name.hasPrefix(prefix) { return .volume }
        if name.hasPrefix("evolution") { return .change }
        return .text
    }

    /// True when the column holds days, `AAAA-MM-JJ` (`jour`, `lundi`, `premier_jour`,
    /// `dernier_jour`: `jour` and `lundi`, or a name ending in `_jour`): text to the
    /// statistical secrecy and in the CSV files, where they stay ISO for analysts, and
    /// written in French in the page (`ReportHTML.dayCell`).
    public var holdsDays: Bool {
        name == "jour" || name == "lundi" || name.hasSuffix("_jour")
    }

    /// True when the column holds averages, written with one decimal even when whole
    /// (`connexions_par_jour_actif`, `requetes_par_jour_actif`).
    public var holdsAverages: Bool {
        kind == .volume && name.contains("_par_")
    }

    /// For a share of a column's total (each row's figure over the sum of the column),
    /// the column it is a share of.
    public static func shareBasis(_ name: String) -> String? {
        switch name {
        case "part_connexions": return "connexions"
        default: return nil
        }
    }

    /// For a rate column, the numerator and denominator columns it is computed from.
    public static func rateBasis(_ name: String) -> (numerator: String, denominator: String)? {
        switch name {
        case "taux_activation": return ("comptes_actives", "comptes")
        case "taux_actifs": return ("utilisateurs_actifs_inscrits", "comptes")
        case "taux_penetration": return ("utilisateurs", "utilisateurs_actifs_role")
        case "taux_parents_actifs": return ("parents_actifs_inscrits", "comptes_parents")
        case "taux_parents_services_commune": return ("parents_services_commune", "parents_actifs")
        case "part_ancien_aussi_nouvel": return ("utilisateurs_les_deux", "utilisateurs_ancien_ent")
        case "part_retrouves": return ("utilisateurs_retrouves", "utilisateurs_ancien_ent")
        default: return nil
        }
    }
}
