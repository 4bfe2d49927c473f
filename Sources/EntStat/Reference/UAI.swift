/// The national school id: 7 digits and a check letter (SPEC §1.1).
public enum UAI {
    static let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")

    /// The check letter of the first 7 digits, or nil when they are not 7 digits.
    public static func checkLetter(digits: Substring) -> Character? {
        // Int("-123456") would parse (and index the letters with a negative remainder).
        guard digits.count == 7, digits.unicodeScalars.allSatisfy({ $0 >= "0" && $0 <= "9" }), let n = Int(digits) else { return nil }
        return letters[n % 23]
    }

    /// True when `uai` is 7 digits followed by the right check letter (upper case).
    public static func isValid(_ uai: String) -> Bool {
        guard uai.count == 8, let letter = uai.last, let expected = checkLetter(digits: uai.prefix(7)) else { return false }
        return letter == expected
    }
}
