import CSQLite

/// `COLLATE french`: the alphabetical order of French names, which every connection of
/// entstat offers to analyst queries; the report's tables of communes, schools and EPCIs
/// are sorted with it. SQLite's own order compares bytes: « Béthencourt » came after
/// « Bussy », « Démuin » after « Doullens », « CC Terre de Picardie » before « CC de l'Est
/// de la Somme ».
///
/// Three levels, each deciding only when the ones before it tie:
/// 1. the letters without accents or case (`é è ê ë` are `e`, `œ` is `oe`, `æ` is `ae`,
///    `ç` is `c`), a hyphen, an apostrophe (`'` or `’`) and a space being one separator
///    that sorts before every letter and digit (« Hangest-le-Sec » before « Hangest-lès-Roye »);
/// 2. the same without case only (« Cote » before « Côte »);
/// 3. the bytes, so that only equal texts tie.
/// Characters outside French's letters keep their code point (lowercased when ASCII).
enum FrenchCollation {
    static let name = "french"

    /// Makes the collation available on `db`.
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_collation_v2(db, name, SQLITE_UTF8, nil, { _, count1, text1, count2, text2 in
            FrenchCollation.compare(UnsafeRawBufferPointer(start: text1, count: Int(count1)),
                                    UnsafeRawBufferPointer(start: text2, count: Int(count2)))
        }, nil)
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` (UTF-8 texts).
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
        let textA = String(decoding: a, as: UTF8.self), textB = String(decoding: b, as: UTF8.self)
        for level in [Level.letters, Level.accents] {
            let keyA = key(textA, level), keyB = key(textB, level)
            if keyA != keyB { return keyA.lexicographicallyPrecedes(keyB) ? -1 : 1 }
        }
        if a.elementsEqual(b) { return 0 }
        return a.lexicographicallyPrecedes(b) ? -1 : 1
    }

    enum Level { case letters, accents }

    /// The scalars `text` compares by at `level`.
    static func key(_ text: String, _ level: Level) -> [UInt32] {
        var key: [UInt32] = []
        key.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if (0x41...0x5A).contains(value) { value += 0x20 }
            if let lower = upperCase[value] { value = lower }
            if level == .letters {
                if separators.contains(value) {
                    key.append(0x20)
                    continue
                }
                if let letters = baseLetters[value] {
                    key.append(contentsOf: letters.unicodeScalars.map(\.value))
                    continue
                }
            }
            key.append(value)
        }
        return key
    }

    /// Hyphen, apostrophes and space: one separator.
    static let separators: Set<UInt32> = [0x20, 0x2D, 0x27, 0x2019]

    /// The accented capitals of French, and Œ and Æ, to their small letter.
    static let upperCase: [UInt32: UInt32] = {
        var map: [UInt32: UInt32] = [0x152: 0x153]  // Œ œ
        for capital in "ÀÂÄÁÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ".unicodeScalars {
            map[capital.value] = capital.value == 0x178 ? 0xFF : capital.value + 0x20  // Ÿ ÿ
        }
        return map
    }()

    /// A small letter with an accent to its letter; a ligature to its two letters.
    static let baseLetters: [UInt32: String] = {
        var map: [UInt32: String] = [0x153: "oe", 0xE6: "ae"]
        for (base, accented) in [("a", "àâäáãå"), ("c", "ç"), ("e", "éèêë"), ("i", "îïíì"), ("n", "ñ"),
                                 ("o", "ôöóòõ"), ("u", "ùûüú"), ("y", "ÿý")] {
            for letter in accented.unicodeScalars { map[letter.value] = base }
        }
        return map
    }()
}
