import ArgumentParser
import EntStat
import Foundation

/// `entstat ingest`: streams logs and reference files into the store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Charge des journaux et des référentiels dans le magasin.",
        discussion: """
        Chaque journal (gzip, gzip à plusieurs membres ou texte, « - » pour l'entrée standard) est \
        lu en flux et enregistré en une seule transaction : soit il entre en entier, soit il \
        n'entre pas du tout. Le format (journal d'accès de l'ancien ENT ou événements JSON du \
        nouveau) est reconnu fichier par fichier. Un contenu déjà ingéré, sous n'importe quel nom, \
        est ignoré. Un répertoire est parcouru récursivement.

        Les référentiels (--schools, --epci, --accounts) peuvent être chargés seuls ; chaque \
        nouveau chargement remplace le précédent et les chiffres sont recalculés en conséquence.

        Codes de sortie : 0 tout va bien ; 1 erreur d'usage ou de configuration ; 2 au moins un \
        fichier a échoué (les autres ont été ingérés).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Fichier secret de pseudonymisation (créé au premier usage, mode 0600). Par défaut : <magasin>.secret sans l'extension.", valueName: "chemin"))
    var secret: String?

    @Option(help: ArgumentHelp("Écoles : schools.csv ou export de l'Annuaire de l'éducation.", valueName: "fichier"))
    var schools: String?

    @Option(help: ArgumentHelp("Correspondance commune → EPCI (code_commune;epci).", valueName: "fichier"))
    var epci: String?

    @Option(help: ArgumentHelp("Annuaire des comptes de l'ENT (accounts.csv).", valueName: "fichier"))
    var accounts: String?

    @Option(help: ArgumentHelp("Règles de fonctionnalités (par défaut : celles d'« entstat rules »).", valueName: "fichier"))
    var rules: String?

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp("Attente maximale, en secondes, quand un autre entstat écrit dans le magasin.", valueName: "secondes"))
    var lockTimeout: Int = 600

    @Flag(name: .shortAndLong, help: "N'affiche que le bilan final et les erreurs.")
    var quiet = false

    @Argument(help: ArgumentHelp("Journaux à ingérer (fichiers, répertoires, ou - pour l'entrée standard).", valueName: "journal"))
    var logs: [String] = []

    func validate() throws {
        guard lockTimeout >= 0 else { throw ValidationError("--lock-timeout doit être positif ou nul") }
        if logs.isEmpty && schools == nil && epci == nil && accounts == nil {
            throw ValidationError("rien à ingérer : donnez au moins un journal ou un référentiel (--schools, --epci, --accounts)")
        }
        if logs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("l'entrée standard (-) ne peut être lue qu'une fois")
        }
    }

    func run() throws {
        var ruleSet = FeatureRules.standard
        if let rules {
            do {
                let text = try String(contentsOfFile: rules, encoding: .utf8)
                ruleSet = try FeatureRules(text: text, file: rules)
            } catch let error as FeatureRules.SyntaxError {
                Console.error("\(error) ; corrigez le fichier de règles")
                throw ExitCode.failure
            } catch {
                Console.error("\(rules): -: lecture impossible (\(error.localizedDescription))")
                throw ExitCode.failure
            }
        }
        let files = LogFileList.expand(logs)

        let opened: Store
        do {
            opened = try Store(writingTo: store.db, secretPath: secret ?? Store.defaultSecretPath(forStore: store.db),
                               lockTimeoutSeconds: lockTimeout) {
                Console.warning("\(store.db) : un autre entstat écrit dans ce magasin ; attente (au plus \(lockTimeout) s)…")
            }
        } catch {
            Console.error("\(error)")
            throw ExitCode.failure
        }

        for (kind, path) in [("schools", schools), ("epci", epci), ("accounts", accounts)] {
            guard let path else { continue }
            do {
                let load: Store.ReferenceLoad
                switch kind {
                case "schools": load = try opened.loadSchools(path)
                case "epci": load = try opened.loadEpci(path)
                default: load = try opened.loadAccounts(path)
                }
                for warning in load.warnings.prefix(20) { Console.warning("\(warning)") }
                if load.warnings.count > 20 { Console.warning("\(path) : \(load.warnings.count - 20) autres avertissements") }
                if !quiet {
                    Console.out("référentiel  \(path) : \(Console.number(load.rows)) lignes chargées, \(load.warnings.count) avertissement(s)")
                }
            } catch {
                Console.error("\(error) ; le référentiel précédent est conservé")
                throw ExitCode.failure
            }
        }

        guard !files.isEmpty else { return }
        var options = LogIngester.Options()
        options.rules = ruleSet
        let ingester: LogIngester
        do {
            ingester = try LogIngester(store: opened, options: options)
        } catch {
            Console.error("\(error)")
            throw ExitCode.failure
        }
        var totals = (ingested: 0, skipped: 0, failed: 0, lines: 0, qualifying: 0, bytes: 0, seconds: 0.0)
        for file in files {
            let report = ingester.ingest(path: file)
            totals.seconds += report.seconds
            switch report.outcome {
            case .ingested:
                totals.ingested += 1
                totals.lines += report.lines
                totals.qualifying += report.qualifying
                totals.bytes += report.decodedBytes
                if !quiet {
                    Console.out("ingéré  \(report.source?.rawValue ?? "vide") \(file) : \(Console.number(report.lines)) lignes, "
                        + "\(Console.number(report.qualifying)) retenues, \(Console.number(report.filtered)) filtrées, "
                        + "\(Console.number(report.rejected)) rejetées (\(Console.seconds(report.seconds)))")
                }
            case .skipped(let previous):
                totals.skipped += 1
                if !quiet { Console.out("ignoré  \(file) : contenu déjà ingéré (sous le nom « \(previous) »)") }
            case .failed(let failure):
                totals.failed += 1
                ingester.recordFailure(report)
                if !quiet { Console.out("échec   \(file) : \(failure)") }
                Console.error("\(file): \(failure)")
            }
        }
        Console.out("bilan : \(totals.ingested) fichier(s) ingéré(s), \(totals.skipped) ignoré(s), \(totals.failed) en échec ; "
            + "\(Console.number(totals.lines)) lignes, \(Console.number(totals.qualifying)) retenues, "
            + "\(Console.number(totals.bytes / 1_000_000)) Mo décompressés en \(Console.seconds(totals.seconds))")
        if totals.failed > 0 { throw ExitCode.someFilesFailed }
    }
}
