import Foundation

/// ArgumentParser's own words (English) in French: its usage errors, for the one-line
/// error of a bad command line (`Unknown option '--x'` becomes `option inconnue « --x »`),
/// and the headings and stock lines of its `--help` pages. Text this table does not know is
/// kept as it is.
enum ParserMessage {
    /// A `--help` page with ArgumentParser's headings and stock lines in French (the
    /// descriptions of the commands and options are French already).
    static func frenchHelp(_ text: String) -> String {
        let replacements: [(String, String)] = [
            ("OVERVIEW: ", "DESCRIPTION : "),
            ("USAGE: ", "UTILISATION : "),
            ("ARGUMENTS:", "ARGUMENTS :"),
            ("OPTIONS:", "OPTIONS :"),
            ("SUBCOMMANDS:", "SOUS-COMMANDES :"),
            ("Show the version.", "Affiche la version."),
            ("Show help information.", "Affiche cette aide."),
            ("(values: ", "(valeurs : "),
            ("; default:", " ; par défaut :"),
            ("(default:", "(par défaut :"),
            ("(default)", "(par défaut)"),
            ("See 'entstat help <subcommand>' for detailed help.", "Voir « entstat help <sous-commande> » pour l'aide détaillée."),
            ("Show subcommand help information.", "Affiche l'aide d'une sous-commande."),
            ("<subcommands>", "<sous-commandes>"),
            ("<subcommand>", "<sous-commande>"),
        ]
        var out = text
        for (english, french) in replacements { out = out.replacingOccurrences(of: english, with: french) }
        return out
    }

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
        // « 2 unexpected arguments: 'a', 'b' »
        if message.contains(" unexpected arguments:"), let count = Int(message.prefix { $0.isNumber }), quoted.count == count {
            return "\(count) arguments inattendus : \(quoted.joined(separator: ", "))"
        }
        if has("The option", 2) && message.contains("does not take any value") {
            return "l'option \(quoted[0]) ne prend pas de valeur (\(quoted[1]) donné)"
        }
        return message
    }
}
