/// A reference file that cannot be loaded at all (missing columns, unreadable).
public struct ReferenceError: Error, CustomStringConvertible {
    /// The file the error is about.
    public let file: String
    /// `ligne N`, `octet N`, or `-` for the file as a whole.
    public let place: String
    /// What is wrong and what to do, in French.
    public let message: String
    /// The one-line error, `FILE: PLACE : MESSAGE` (`ErrorLine`).
    public var description: String { ErrorLine.format(file, place, message) }

    /// An error about `file` at `place` (by default the file as a whole).
    public init(file: String, place: String = ErrorLine.wholeFile, message: String) {
        self.file = file
        self.place = place
        self.message = message
    }

    /// The column `name` missing from the header (line 1) of `file`, whose first line must
    /// name every column of `required`, in any order (an entstat file's whole header); the
    /// Annuaire's export (`annuaire`) has them among some seventy others.
    public static func missingColumn(_ name: String, required: [String], file: String, annuaire: Bool = false) -> ReferenceError {
        let columns = required.joined(separator: ";")
        let advice = annuaire
            ? "l'export de l'Annuaire de l'éducation doit garder, parmi les autres, les colonnes \(columns) : téléchargez-le de nouveau sans le modifier"
            : "corrigez la première ligne, qui doit nommer les colonnes \(columns)"
        return ReferenceError(file: file, place: "ligne 1", message: "colonne « \(name) » absente de l'en-tête ; \(advice)")
    }
}
