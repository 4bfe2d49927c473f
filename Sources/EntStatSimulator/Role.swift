/// The role of an ENT account, as written in `accounts.csv` and in the event log's `profil`.
public enum Role: UInt8, Sendable, CaseIterable {
    /// The five roles of SPEC §2.1.
    case parent, teacher, student, staff, commune

    /// Canonical `accounts.csv` value.
    var csvName: String {
        switch self {
        case .parent: return "parent"
        case .teacher: return "teacher"
        case .student: return "student"
        case .staff: return "staff"
        case .commune: return "commune"
        }
    }

    /// A synonym accepted by SPEC §2.1, written on a few rows to exercise the mapping.
    var csvSynonym: String {
        switch self {
        case .parent: return "Parent"
        case .teacher: return "Enseignant"
        case .student: return "Élève"
        case .staff: return "PERS_ETAB"
        case .commune: return "Collectivité"
        }
    }

    /// The new ENT's `profil` value.
    var profil: StaticString {
        switch self {
        case .parent: return "Relative"
        case .teacher: return "Teacher"
        case .student: return "Student"
        case .staff: return "Personnel"
        case .commune: return "PERS_COLL"
        }
    }
}
