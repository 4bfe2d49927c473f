import ArgumentParser
import EntStat
import Foundation

/// `entstat query`: runs an analyst SQL file against the store and prints CSV.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Exécute une requête SQL d'analyste (dossier Queries/) et affiche le résultat en CSV.",
        discussion: """
        Le magasin est ouvert en lecture seule. Les paramètres nommés de la requête (:from, \
        :to, :commune…) reçoivent les valeurs de --param nom=valeur ; un entier écrit sans zéro \
        en tête (42, -7) est passé comme entier, toute autre valeur comme texte (le code INSEE \
        01053 garde son zéro). Le schéma est décrit dans Queries/README.md.
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("param"), help: ArgumentHelp("Paramètre nommé de la requête.", valueName: "nom=valeur"))
    var params: [String] = []

    @Argument(help: ArgumentHelp("Fichier SQL.", valueName: "fichier.sql"))
    var file: String

    func validate() throws {
        for p in params where !p.contains("=") {
            throw ValidationError("--param « \(p) » : la forme attendue est nom=valeur")
        }
        // The dates of the shipped queries: a wrong one would silently select no day.
        for p in params {
            let (name, value) = (p.prefix { $0 != "=" }, p.drop { $0 != "=" }.dropFirst())
            if name == "from" || name == "to" { _ = try DateOption.parse(String(value), option: "--param \(name)") }
        }
    }

    func run() throws {
        let sql: String
        do {
            sql = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            Console.error("\(file): -: lecture impossible ; vérifiez le chemin")
            throw ExitCode.failure
        }
        var values: [String: String] = [:]
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1])
        }
        do {
            let opened = try Store(readingFrom: store.db)
            let table = try AnalystQuery(sql: sql, file: file).run(on: opened, parameters: values)
            Console.write(1, table.csv())
        } catch {
            Console.error("\(error)")
            throw ExitCode.failure
        }
    }
}
