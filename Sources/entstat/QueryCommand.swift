import ArgumentParser
import EntStat
import Foundation

/// `entstat query`: runs an analyst SQL file against the store and prints CSV.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Exécute une requête SQL d'analyste (dossier Queries/), résultat en CSV.",
        discussion: """
        Le magasin est ouvert en lecture seule. Les paramètres nommés de la requête (:from, \
        :to, :commune…) reçoivent les valeurs de --param nom=valeur ; un entier écrit sans zéro \
        en tête (42, -7) est passé comme entier, toute autre valeur comme texte (le code INSEE \
        01053 garde son zéro). Chaque paramètre nommé doit recevoir une valeur ; celles du \
        dossier Queries/ attendent from, to (AAAA-MM-JJ), commune et epci (vides pour tout le \
        territoire). Aucun effectif n'est masqué (pas de secret statistique) : ne publiez pas ce \
        résultat tel quel. Le schéma est décrit dans Queries/README.md.

        EXEMPLE :

          entstat query Queries/communes.sql --param from=2018-09-01 \\
            --param to=2019-07-06 --param commune= --param epci=

        CODES DE SORTIE : 0 résultat écrit ; 1 erreur d'usage, de magasin ou de requête, ou \
        sortie incomplète (disque plein derrière >).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("param"), help: ArgumentHelp("Paramètre nommé de la requête.", valueName: "NOM=VALEUR"))
    var params: [String] = []

    @Argument(help: ArgumentHelp("Fichier SQL.", valueName: "FICHIER.sql"))
    var file: String

    func validate() throws {
        for p in params where !p.contains("=") {
            throw ValidationError("--param « \(p) » : la forme attendue est nom=valeur")
        }
        // The dates of the shipped queries: a wrong one would silently select no day.
        var dates: [Substring: CivilDate] = [:]
        for p in params {
            let (name, value) = (p.prefix { $0 != "=" }, p.drop { $0 != "=" }.dropFirst())
            if name == "from" || name == "to" { dates[name] = try DateOption.parse(String(value), option: "--param \(name)") }
        }
        if let from = dates["from"], let to = dates["to"], from > to {
            throw ValidationError("--param from=\(from) est après --param to=\(to) : la période serait vide")
        }
    }

    func run() throws {
        let sql: String
        do {
            sql = try QueryLibrary.readText(file)
        } catch {
            Console.error("\(error)")
            throw ExitCode.failure
        }
        var values: [String: String] = [:]
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1])
        }
        let opened: Store
        do {
            opened = try Store(readingFrom: store.db)
        } catch {
            Console.storeError(store.db, error)
            throw ExitCode.failure
        }
        do {
            // Each row is written as it is stepped: a large result is never held whole.
            try AnalystQuery(sql: sql, file: file).stream(on: opened, parameters: values,
                                                         columns: { Console.write(1, AnalystQuery.csvLine($0)) },
                                                         row: { Console.write(1, AnalystQuery.csvLine($0)) })
        } catch AnalystQuery.Failure.sql(_, _, let error) where error.storeProblem != nil {
            // The store is at fault (damaged, unreadable), not the query: named as the report names it.
            Console.storeError(store.db, error)
            throw ExitCode.failure
        } catch let error as AnalystQuery.Failure {
            if case .sql = error {
                Console.error("\(error) ; corrigez la requête (schéma du magasin : Queries/README.md)")
            } else {
                Console.error("\(error)")
            }
            throw ExitCode.failure
        } catch {
            Console.error("\(error)")
            throw ExitCode.failure
        }
    }
}
