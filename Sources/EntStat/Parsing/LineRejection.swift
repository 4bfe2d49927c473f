/// Why a log line could not be parsed (SPEC §2.2: such a line is *rejected*).
public enum LineRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line was longer than the splitter's maximum and was cut.
    case tooLong
    /// A field of an access-log line does not parse; the string names it (in French).
    case accessLogField(String)
    /// The access-log time stamp does not parse.
    case badTimestamp
    /// An event line whose first non-blank character is not `{`.
    case notJSONObject
    /// Invalid JSON at this byte offset of the line.
    case badJSON(offset: Int)
    /// An event with no `date` field.
    case missingDate
    /// An event whose `date` is not a number.
    case dateNotANumber
    /// An event whose `userId`, `module`, `profil` or `event-type` is neither a string nor
    /// null.
    case fieldNotAString(EventStringField)
    /// JSON nested deeper than the parser's limit (256 levels).
    case tooDeeplyNested
    /// A time stamp whose local day falls outside 2000–2045.
    case dateOutOfRange
    /// A time stamp whose local day is after the day after the ingest (a server clock set
    /// ahead: no record can come from the future).
    case dateInFuture
    /// A carriage return left in the line once its `\r\n` end is removed.
    case carriageReturn
    /// Text glued to the closing quote of an access-log line's user agent.
    case textAfterUserAgent
    /// Another access-log record's time stamp after the user agent.
    case secondRecord

    /// The number of distinct `kind`s.
    static let kindCount = 17

    /// A small number per case, to count a file's rejected lines by reason (the field of
    /// `accessLogField` and the offset of `badJSON` set aside; each field of
    /// `fieldNotAString` a kind of its own, so that the most frequent is named).
    var kind: Int {
        switch self {
        case .tooLong: return 0
        case .accessLogField: return 1
        case .badTimestamp: return 2
        case .notJSONObject: return 3
        case .badJSON: return 4
        case .missingDate: return 5
        case .dateNotANumber: return 6
        case .fieldNotAString(let field):
            // `userId` keeps kind 7; `module`, `profil` and `event-type` come after the others.
            return field == .userId ? 7 : 12 + field.rawValue
        case .tooDeeplyNested: return 8
        case .dateOutOfRange: return 9
        case .carriageReturn: return 10
        case .textAfterUserAgent: return 11
        case .secondRecord: return 12
        case .dateInFuture: return 16
        }
    }

    /// True when the reason says no more than "not a line of this format" (its fields or
    /// its JSON do not parse): when no line of a file parses, the file may be no log at all.
    public var isFormatMismatch: Bool {
        switch self {
        case .accessLogField, .notJSONObject, .badJSON: return true
        default: return false
        }
    }

    /// The reason in French, as reports and error lines give it.
    public var description: String {
        switch self {
        case .tooLong: return "ligne trop longue"
        case .accessLogField(let field): return "champ « \(field) » illisible (format « combined » du journal d'accès attendu)"
        case .badTimestamp: return "horodatage illisible (attendu [jj/Mmm/aaaa:HH:MM:SS ±hhmm])"
        case .notJSONObject: return "objet JSON attendu"
        case .badJSON(let offset): return "JSON invalide à l'octet \(offset) de la ligne"
        case .missingDate: return "champ « date » absent"
        case .dateNotANumber: return "champ « date » non numérique"
        case .fieldNotAString(let field): return "champ « \(field.key) » qui n'est ni une chaîne ni null"
        case .tooDeeplyNested: return "JSON trop imbriqué"
        case .dateOutOfRange: return "date hors de la plage 2000–2045"
        case .dateInFuture: return "date postérieure au lendemain de l'ingestion"
        case .carriageReturn: return "retour chariot (CR) au milieu de la ligne"
        case .textAfterUserAgent: return "texte collé après l'agent utilisateur"
        case .secondRecord: return "second horodatage après l'agent utilisateur"
        }
    }
}
