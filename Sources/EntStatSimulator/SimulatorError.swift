/// Why a simulation could not be written.
public enum SimulatorError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(path: String, reason: String)
    case compression(path: String, code: Int)
    case outputNotEmpty(path: String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "\(path) : écriture impossible (\(reason)) ; vérifiez les droits et la place disque."
        case let .compression(path, code):
            return "\(path) : erreur zlib \(code) pendant la compression ; relancez avec --plain pour contourner."
        case let .outputNotEmpty(path):
            return "\(path) contient déjà des journaux ; choisissez un autre --out ou ajoutez --force pour les remplacer."
        case let .invalidOption(message):
            return message
        }
    }
}
