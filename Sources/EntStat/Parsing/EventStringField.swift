/// A field of an event line that entstat reads as a string (or null): one whose value of
/// another JSON type rejects the line (`LineRejection.fieldNotAString`).
public enum EventStringField: Int, CaseIterable, Sendable {
    case userId
    case module
    case profil
    case eventType

    /// The field's key in the event line.
    public var key: String {
        switch self {
        case .userId: return "userId"
        case .module: return "module"
        case .profil: return "profil"
        case .eventType: return "event-type"
        }
    }

    /// The field's bit in the parser's mask of fields of the wrong type.
    var bit: UInt8 { 1 << UInt8(rawValue) }
}
