/// The level of a school (SPEC §1.1). A `primaire` school has both maternelle and
/// élémentaire classes and is its own level, never split.
public enum SchoolLevel: String, Sendable, CaseIterable {
    /// A nursery school (école maternelle).
    case maternelle
    /// An elementary school (école élémentaire).
    case elementaire
    /// A school with both maternelle and élémentaire classes.
    case primaire

    /// Reads a level, case and accents free (`Élémentaire`).
    public init?(text: String) {
        self.init(rawValue: TextFolding.fold(text))
    }
}
