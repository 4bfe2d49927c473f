import ArgumentParser
import EntStat

/// `entstat rules`: prints the default feature rules, to copy and edit.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Affiche les règles de fonctionnalités par défaut (à copier puis modifier pour --rules)."
    )

    func run() throws {
        Console.write(1, DefaultFeatureRules.text)
    }
}
