/// The level of a primary school.
public enum SchoolLevel: UInt8, Sendable, CaseIterable {
    /// Maternelle, élémentaire, or both in one school (primaire).
    case maternelle, elementaire, primaire

    /// Canonical `schools.csv` value.
    var csvName: String {
        switch self {
        case .maternelle: return "maternelle"
        case .elementaire: return "elementaire"
        case .primaire: return "primaire"
        }
    }

    /// A case/accent variant accepted by SPEC §1.1.
    var csvVariant: String {
        switch self {
        case .maternelle: return "Maternelle"
        case .elementaire: return "Élémentaire"
        case .primaire: return "PRIMAIRE"
        }
    }

    /// Word used in school names.
    var nameWord: String {
        switch self {
        case .maternelle: return "École maternelle"
        case .elementaire: return "École élémentaire"
        case .primaire: return "École primaire"
        }
    }
}
