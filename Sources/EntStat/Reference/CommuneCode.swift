/// The INSEE code of a commune (SPEC §1.1): 5 characters, the département's two (`80`,
/// Corsica's `2A` and `2B`) then three digits: `80021`, `2A004`, overseas `97411`.
public enum CommuneCode {
    /// True when `code` has the shape of an INSEE commune code.
    public static func isValid(_ code: String) -> Bool {
        let c = Array(code.unicodeScalars)
        guard c.count == 5 else { return false }
        let digit = { (s: Unicode.Scalar) in s >= "0" && s <= "9" }
        let departement = (digit(c[0]) && digit(c[1])) || (c[0] == "2" && (c[1] == "A" || c[1] == "B"))
        return departement && c[2...].allSatisfy(digit)
    }

    /// The warning of a schools file row whose commune code `code` (not empty) is not an
    /// INSEE code; the row is loaded all the same. Four digits are most often a code a
    /// spreadsheet read as a number, its leading zero lost (`1053` for `01053`).
    static func invalidMessage(_ code: String) -> String {
        let lostZero = code.count == 4 && code.unicodeScalars.allSatisfy { $0 >= "0" && $0 <= "9" }
        return "code commune « \(code) » invalide (code INSEE de 5 caractères attendu, comme 80021 ou 2A004) ; "
            + "ligne chargée quand même : corrigez le code\(lostZero ? " (0\(code) si un tableur a retiré le zéro initial)" : "")"
    }
}
