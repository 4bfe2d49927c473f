/// Why a log line could not be parsed (SPEC §2.2: such a line is *rejected*).
public enum LineRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLong
    case accessLogField(String)
    case badTimestamp
    case notJSONObject
    case badJSON(offset: Int)
    case missingDate
    case dateNotANumber
    case userIdNotAString
    case tooDeeplyNested
    case dateOutOfRange

    public var description: String {
        switch self {
        case .tooLong: return "ligne trop longue"
        case .accessLogField(let field): return "champ « \(field) » illisible (format access log combiné attendu)"
        case .badTimestamp: return "horodatage illisible (attendu [jj/Mmm/aaaa:HH:MM:SS ±hhmm])"
        case .notJSONObject: return "objet JSON attendu"
        case .badJSON(let offset): return "JSON invalide à l'octet \(offset) de la ligne"
        case .missingDate: return "champ « date » absent"
        case .dateNotANumber: return "champ « date » non numérique"
        case .userIdNotAString: return "champ « userId » qui n'est pas une chaîne"
        case .tooDeeplyNested: return "JSON trop imbriqué"
        case .dateOutOfRange: return "date hors de la plage 2000–2045"
        }
    }
}
