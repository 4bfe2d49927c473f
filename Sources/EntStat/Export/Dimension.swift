/// A grouping dimension of `entstat export --by` (SPEC §3).
public enum Dimension: String, CaseIterable, Sendable {
    case role
    case level
    case school
    case commune
    case epci
    case feature
    case source

    /// True for dimensions that come from where a person belongs (person_place); false for
    /// those that come from the records themselves (activity).
    public var isPlace: Bool {
        switch self {
        case .feature, .source: return false
        default: return true
        }
    }

    /// The column of `person_place` / `account_place`, or of `activity`.
    var column: String {
        switch self {
        case .role: return "role"
        case .level: return "level"
        case .school: return "uai"
        case .commune: return "code_commune"
        case .epci: return "epci"
        case .feature: return "feature"
        case .source: return "source"
        }
    }

    /// Parses `role,level,…`; nil with the offending word otherwise.
    public static func parseList(_ text: String) -> Result<[Dimension], ExportRequest.Invalid> {
        var result: [Dimension] = []
        for word in text.split(separator: ",") {
            let name = word.trimmed()
            guard let d = Dimension(rawValue: name) else { return .failure(.unknownDimension(name)) }
            guard !result.contains(d) else { return .failure(.repeatedDimension(name)) }
            result.append(d)
        }
        return .success(result)
    }
}
