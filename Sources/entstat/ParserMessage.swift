/// ArgumentParser's usage errors (English) in French, for the one-line error of a bad
/// command line: `Unknown option '--x'` becomes `option inconnue « --x »`. A message this
/// table does not know is kept as it is.
enum ParserMessage {
    static func french(_ message: String) -> String {
        let quoted = message.split(separator: "'", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { "« \($0.element) »" }
        func has(_ prefix: String, _ count: Int) -> Bool { message.hasPrefix(prefix) && quoted.count >= count }
        if has("Unknown option", 1) { return "option inconnue \(quoted[0])" }
        if has("Unexpected argument", 1) { return "argument inattendu \(quoted[0])" }
        if has("Missing expected argument", 1) { return "argument obligatoire manquant : \(quoted[0])" }
        if has("Missing value for", 1) { return "valeur manquante pour \(quoted[0])" }
        if has("The value", 2) && message.contains("is invalid for") { return "valeur \(quoted[0]) invalide pour \(quoted[1])" }
        if has("Unknown subcommand", 1) { return "sous-commande inconnue \(quoted[0])" }
        return message
    }
}
