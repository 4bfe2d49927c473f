/// The national school id: 7 digits and a check letter (SPEC §1.1).
public enum UAI {
    static let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")

    /// The check letter of the first 7 digits, or nil when they are not 7 digits.
    public static func checkLetter(digits: Substring) -> Character? {
        guard digits.count == 7, let n = Int(digits), digits.allSatisfy(\.isASCII) else { return nil }
        return letters[n % 23]
    }

    /// True when `uai` is 7 digits followed by the right check letter (upper case).
    public static func isValid(_ uai: String) -> Bool {
        guard uai.count == 8, let letter = uai.last, let expected = checkLetter(digits: uai.prefix(7)) else { return false }
        return letter == expected
    }
}
