/// Maps access-log URL paths and event-log module names to features (SPEC §1.5).
///
/// Features are numbered in the order they first appear in the rules, `autre` (the
/// fallback) included; the store keeps the names, so numbering is an in-memory detail.
/// Matching works on raw bytes: a path prefix matches whole segments and the longest
/// matching prefix wins; a module name matches ASCII-case-insensitively.
public struct FeatureRules: Sendable {
    /// A line of a rules file that could not be understood.
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        /// The rules file.
        public let file: String
        /// The line that could not be understood.
        public let line: Int
        /// What is wrong with it, in French.
        public let message: String
        /// The one-line error, `FILE: ligne N : MESSAGE` (`ErrorLine`).
        public var description: String { ErrorLine.format(file, "ligne \(line)", message) }
    }

    /// The name of the fallback feature.
    public static let fallback = "autre"

    /// The most features a rules file may name, the fallback included: each needs a
    /// feature id of the store, which a timeline entry holds in 14 bits
    /// (`TimelineEntry.maxFeatureID`).
    public static let maxFeatures = TimelineEntry.maxFeatureID

    /// Feature names by id.
    public private(set) var names: [String] = []
    /// The id of each name of `names`.
    private var idsByName: [String: UInt16] = [:]
    private var pathRules: [(prefix: [UInt8], feature: UInt16)] = []
    /// Feature of each lowercased module name, looked up from a line's bytes (lowercased on
    /// the stack): no `Array` per event.
    private var moduleTable = ByteStringTable(capacity: 16)

    /// Rules that gave a path prefix or module already given to another feature (the later
    /// rule wins), in French, one line each: the caller shows them.
    public private(set) var warnings: [String] = []

    /// The id of the fallback feature `autre`.
    public private(set) var fallbackID: UInt16 = 0

    /// The rules shipped with the tool.
    public static let standard: FeatureRules = try! FeatureRules(text: DefaultFeatureRules.text, file: "(règles par défaut)")

    /// Parses a rules file's text.
    public init(text: String, file: String) throws(SyntaxError) {
        var lineNumber = 0
        // Rules by lowercased module name and by prefix: a later rule for the same value
        // wins, as it always did for modules; given to another feature, it is warned about
        // (a file edited from `entstat rules` keeps working, and the mistake is seen).
        var moduleRules: [[UInt8]: UInt16] = [:]
        var prefixRules: [[UInt8]: UInt16] = [:]
        var ruleLines: [String: (feature: UInt16, line: Int)] = [:]
        var warnings: [String] = []
        func note(_ key: String, shown: Substring, feature: UInt16) {
            if let earlier = ruleLines[key], earlier.feature != feature {
                warnings.append("\(file): ligne \(lineNumber) : « \(shown) » était déjà donné à « \(names[Int(earlier.feature)]) » ligne \(earlier.line) ; la règle de la ligne \(lineNumber) l'emporte")
            }
            ruleLines[key] = (feature, lineNumber)
        }
        // "\r\n" is a single Character in Swift: splitting on "\n" alone would make a
        // Windows-edited file one long (comment) line.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty { continue }
            guard words.count == 3 else {
                throw SyntaxError(file: file, line: lineNumber, message: "attendu « <fonctionnalité> path|module <valeur> », trouvé « \(line.trimmed()) »")
            }
            let name = String(words[0])
            // The fallback takes one id too, whether the file names it or not.
            let idsNeeded = names.count + 1 + (idsByName[FeatureRules.fallback] == nil && name != FeatureRules.fallback ? 1 : 0)
            if idsByName[name] == nil && idsNeeded > FeatureRules.maxFeatures {
                throw SyntaxError(file: file, line: lineNumber, message: "trop de fonctionnalités : au plus \(FrenchText.integer(FeatureRules.maxFeatures)), « \(FeatureRules.fallback) » comprise ; donnez le même nom aux chemins et modules d'une même fonctionnalité")
            }
            let feature = id(for: name)
            switch words[1].lowercased() {
            case "path":
                let prefix = Array(words[2].utf8)
                guard prefix.first == UInt8(ascii: "/") else {
                    throw SyntaxError(file: file, line: lineNumber, message: "un préfixe de chemin commence par « / » : « \(words[2]) »")
                }
                var trimmed = prefix
                while trimmed.count > 1 && trimmed.last == UInt8(ascii: "/") { trimmed.removeLast() }
                note("path " + String(decoding: trimmed, as: UTF8.self), shown: words[2], feature: feature)
                prefixRules[trimmed] = feature
            case "module":
                let module = FeatureRules.lowercased(Array(words[2].utf8))
                note("module " + String(decoding: module, as: UTF8.self), shown: words[2], feature: feature)
                moduleRules[module] = feature
            default:
                throw SyntaxError(file: file, line: lineNumber, message: "type de règle inconnu « \(words[1]) » (path ou module)")
            }
        }
        guard !ruleLines.isEmpty else {
            throw SyntaxError(file: file, line: lineNumber, message: "aucune règle : toute activité irait dans « \(FeatureRules.fallback) » ; partez de la sortie d'« entstat rules »")
        }
        fallbackID = id(for: FeatureRules.fallback)
        moduleTable = ByteStringTable(capacity: max(16, moduleRules.count))
        for (module, feature) in moduleRules {
            module.withUnsafeBytes { moduleTable.insert($0, hash: ByteStringTable.hash($0), value: Int32(feature)) }
        }
        // Longest prefix first, so /blog/admin can be told apart from /blog.
        pathRules = prefixRules.map { (prefix: $0.key, feature: $0.value) }
            .sorted { $0.prefix.count != $1.prefix.count ? $0.prefix.count > $1.prefix.count : $0.prefix.lexicographicallyPrecedes($1.prefix) }
        self.warnings = warnings
    }

    private mutating func id(for name: String) -> UInt16 {
        if let existing = idsByName[name] { return existing }
        let id = UInt16(names.count)
        names.append(name)
        idsByName[name] = id
        return id
    }

    /// The feature of an access-log path (the query string, a fragment and `;` path
    /// parameters such as `;jsessionid=…`, if any, are ignored).
    public func feature(forPath path: UnsafeRawBufferPointer) -> UInt16 {
        let end = AccessLogParser.pathEnd(path)
        for rule in pathRules {
            let p = rule.prefix
            guard end >= p.count else { continue }
            var equal = true
            for i in 0..<p.count where path[i] != p[i] {
                equal = false
                break
            }
            if equal && (end == p.count || path[p.count] == UInt8(ascii: "/") || p.count == 1) {
                return rule.feature
            }
        }
        return fallbackID
    }

    /// The feature of an event-log module name.
    public func feature(forModule module: UnsafeRawBufferPointer) -> UInt16 {
        guard module.count <= 64 else { return fallbackID }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { key in
            for i in 0..<module.count {
                let b = module[i]
                key[i] = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
            }
            let bytes = UnsafeRawBufferPointer(start: key.baseAddress, count: module.count)
            return moduleTable.find(bytes, hash: ByteStringTable.hash(bytes)).map { UInt16($0) } ?? fallbackID
        }
    }

    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmed() -> String {
        // Most fields have nothing to trim: a space character (" ", "\t", "\r", "\n",
        // "\r\n") starts and ends with one of these bytes, so no Character need be formed.
        let isSpaceByte = { (b: UInt8) in b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        let untouched = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.first.map { !isSpaceByte($0) && !isSpaceByte(bytes[bytes.count - 1]) }
        }
        if untouched == true { return String(self) }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

}
