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

        Les indicateurs sont recalculés à la fin de la commande, une seule fois par personne et \
        par jour touchés. Si une ingestion a été interrompue (kill, panne), « entstat ingest » \
        sans argument termine ce calcul ; les exports refusent un magasin dont le calcul n'est \
        pas terminé.

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

        let started = Date()
        var totals = RunTotals()
        if !files.isEmpty {
            totals = try ingestLogs(files, into: opened, rules: ruleSet)
        }
        do {
            let pairs = try opened.completePendingWork()
            if !quiet && pairs > 0 {
                Console.out("calcul  \(Console.number(pairs)) personne(s)-jour(s) recalculée(s)")
            }
        } catch {
            Console.error("\(store.db): -: calcul des indicateurs interrompu (\(error)) ; relancez « entstat ingest --db \(store.db) » pour le terminer")
            throw ExitCode.failure
        }
        // Everything reported above reaches the disk before the command says it is done.
        try? opened.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        if !files.isEmpty {
            Console.out(totals.summary(wallSeconds: Date().timeIntervalSince(started)))
        }
        if totals.failed > 0 { throw ExitCode.someFilesFailed }
    }

    /// What the files of one run added up to.
    struct RunTotals {
        var ingested = 0, skipped = 0, failed = 0, lines = 0, qualifying = 0, bytes = 0

        /// The one-line summary of the run, printed once the figures are up to date.
        func summary(wallSeconds: Double) -> String {
            "bilan : \(ingested) fichier(s) ingéré(s), \(skipped) ignoré(s), \(failed) en échec ; "
                + "\(Console.number(lines)) lignes, \(Console.number(qualifying)) retenues, "
                + "\(Console.number(bytes / 1_000_000)) Mo décompressés en \(Console.seconds(wallSeconds))"
        }
    }

    /// Ingests the log files, printing a line per file unless quiet.
    private func ingestLogs(_ files: [String], into opened: Store, rules ruleSet: FeatureRules) throws -> RunTotals {
        var options = LogIngester.Options()
        options.rules = ruleSet
        let ingester: LogIngester
        do {
            ingester = try LogIngester(store: opened, options: options)
        } catch {
            Console.error("\(error)")
            throw ExitCode.failure
        }
        var totals = RunTotals()
        for file in files {
            let report = ingester.ingest(path: file)
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
        return totals
    }
}
