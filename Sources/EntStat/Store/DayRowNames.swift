/// The names of a day's groups as the packed rows hold them: source and feature texts
/// ('*' for all), their JSON strings and their rank in byte order, made once per name,
/// so that sorting a day's groups compares two integers.
struct DayRowNames {
    private let featureNames: [Int: String]
    /// By feature id + 1 (0: '*'): JSON string and rank among every name in byte order.
    private var quotedFeatures: [[UInt8]] = []
    private var featureRanks: [Int] = []
    /// By source slot (0: '*', then `LogSource.allCases`).
    private var quotedSources: [[UInt8]] = []
    private var sourceRanks: [Int] = []

    init(featureNames: [Int: String]) {
        self.featureNames = featureNames
        let sources: [String] = ["*"] + LogSource.allCases.map(\.rawValue)
        quotedSources = sources.map(Self.quoted)
        sourceRanks = Self.ranks(sources)
        rank(upTo: featureNames.keys.max() ?? -1)
    }

    private static func quoted(_ text: String) -> [UInt8] {
        var quoted: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { PackedPeriodRow.appendString($0, to: &quoted) }
        return quoted
    }

    /// The position of each text in byte order.
    private static func ranks(_ texts: [String]) -> [Int] {
        let bytes = texts.map { Array($0.utf8) }
        var ranks = Array(repeating: 0, count: texts.count)
        for (position, index) in bytes.indices.sorted(by: { bytes[$0].lexicographicallyPrecedes(bytes[$1]) }).enumerated() {
            ranks[index] = position
        }
        return ranks
    }

    /// Names and ranks of '*' and every feature id up to `id`.
    private mutating func rank(upTo id: Int) {
        let names = ["*"] + (0..<(id + 1)).map { featureNames[$0] ?? FeatureRules.fallback }
        quotedFeatures = names.map(Self.quoted)
        featureRanks = Self.ranks(names)
    }

    private static func slot(_ source: LogSource?) -> Int {
        source.map { LogSource.allCases.firstIndex(of: $0)! + 1 } ?? 0
    }

    func quotedSource(_ s: LogSource?) -> [UInt8] { quotedSources[Self.slot(s)] }
    mutating func quotedFeature(_ id: Int?) -> [UInt8] {
        let i = (id ?? -1) + 1
        if i >= quotedFeatures.count { rank(upTo: i - 1) }
        return quotedFeatures[i]
    }

    /// The group's place in key order (source, then feature, as bytes).
    mutating func order(_ key: DayActivity.Key) -> Int {
        let i = (key.featureID ?? -1) + 1
        if i >= featureRanks.count { rank(upTo: i - 1) }
        return sourceRanks[Self.slot(key.source)] << 32 | featureRanks[i]
    }
}
