/// Why a simulation could not be written.
public enum SimulatorError: Error, CustomStringConvertible, Sendable {
    /// A file or folder could not be written or removed; `reason` says why.
    case cannotWrite(path: String, reason: String)
    /// zlib failed with `code` while compressing `path`.
    case compression(path: String, code: Int)
    /// The `logs/` folder of the output already holds logs and `force` is not set.
    case outputNotEmpty(path: String)
    /// An option out of its range (`Simulator.validate`); the message is the French line.
    case invalidOption(String)

    /// The French one-line message, with what to do.
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
