import ArgumentParser
import EntStat

/// `entstat rules`: prints the default feature rules, to copy and edit.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Affiche les règles de fonctionnalités par défaut, modèle pour --rules.",
        discussion: """
        Écrit sur la sortie standard les règles que l'ingestion applique sans --rules : \
        à rediriger dans un fichier, à modifier, puis à donner à « entstat ingest --rules FICHIER ».

        EXEMPLE :

          entstat rules > regles.txt

        CODES DE SORTIE : 0 règles écrites ; 1 erreur d'usage ou d'écriture.
        """
    )

    func run() throws {
        Console.write(1, DefaultFeatureRules.text)
    }
}
