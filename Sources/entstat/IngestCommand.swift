import ArgumentParser
import EntStat
import Foundation
import Logging

/// `entstat ingest`: streams logs and reference files into the store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingère des journaux et charge des référentiels dans le magasin.",
        discussion: """
        Chaque journal (gzip, gzip à plusieurs membres ou texte, « - » pour l'entrée standard, ou \
        un tube nommé, /dev/stdin, <(…), lus une seule fois) est lu au fil de l'eau, sans être chargé en mémoire, et enregistré d'un \
        bloc : soit il entre en entier, soit il n'entre pas du tout (les petits fichiers \
        partagent une transaction, chacun dans son point de reprise, et \
        ne sont annoncés « ingéré » qu'une fois celle-ci validée). Le format (journal d'accès \
        de l'ancien ENT ou événements JSON du nouveau) est reconnu fichier par fichier. Un contenu déjà ingéré, sous n'importe quel nom, \
        est ignoré. Un dossier est parcouru récursivement ; un motif entre apostrophes \
        (« '/var/log/ent/**/*.gz' », où ** vaut n'importe quelle profondeur de dossiers) est \
        développé par entstat. Un fichier déjà connu du registre sous le même chemin, avec la \
        même taille et la même date de modification, est écarté sans être relu : une exécution \
        nocturne sur un dossier qui grandit ne lit que les nouveaux fichiers. Pour des \
        dizaines de milliers de fichiers, donnez un dossier, un motif ou --files-from \
        LISTE plutôt que chaque chemin : la ligne de commande a une longueur limitée, et son \
        analyse prend un temps qui croît avec le carré du nombre d'arguments.

        EXPLOITATION PAR CRON : sans --quiet, une ligne par fichier puis le bilan ; avec \
        --quiet, le bilan seul (une ligne : fichiers ingérés, ignorés, en échec ; lignes, \
        lignes retenues ; Mo décompressés ; durée ; date et heure de début, heure de Paris ; \
        pas de bilan sans journal à lire). --summary-json FICHIER écrit le même bilan, avec la \
        liste des échecs, en JSON. Sur un terminal, une barre de progression (octets lus sur le \
        total, débit, temps restant, puis l'étape en cours) s'affiche sur la sortie d'erreur. Les erreurs tiennent en \
        une ligne : « fichier: position : message », la position étant « ligne N », « octet N » \
        ou « - » (le fichier entier), puis que faire. Visez des fichiers déjà tournés \
        ('**/*.gz') : un gzip encore en cours d'écriture échoue (code 2) ; un texte lu en \
        cours d'écriture puis redonné complet, sous son nom ou un autre (après rotation, \
        compressé ou non), n'est lu qu'après la copie déjà ingérée, et une copie plus courte \
        donnée après le journal complet ne compte rien. Exemple de ligne de crontab :

          30 2 * * * entstat ingest -q --db /srv/ent.sqlite '/var/log/ent/**/*.gz'

        Les référentiels (--schools, --epci, --accounts) peuvent être chargés seuls ; chaque \
        nouveau chargement remplace le précédent et les chiffres sont recalculés en conséquence. \
        Ceux d'une même commande sont chargés ensemble ou pas du tout : un fichier refusé laisse \
        en place les référentiels précédents des trois types.

        Les indicateurs sont recalculés à la fin de la commande, une seule fois par personne et \
        par jour touchés. Si une ingestion a été interrompue (arrêt forcé, coupure de courant), \
        « entstat ingest --db CHEMIN » sans journal termine ce calcul ; d'ici là, export, report \
        et query refusent le magasin et « entstat status » signale « calcul inachevé » (code 3).

        CODES DE SORTIE : 0 tout va bien ; 1 erreur d'usage ou de configuration (rien n'a été \
        ingéré), ou magasin devenu impossible à écrire en cours de route (disque plein : l'ingestion \
        s'arrête au premier fichier refusé sans lire les suivants, les fichiers annoncés « ingéré » \
        sont conservés, le bilan le dit, et la même commande relancée lit les autres et termine \
        le calcul) ; 2 au moins un fichier a échoué (les autres ont été ingérés ; \
        corrigez-le et relancez, il sera repris).
        """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var writer: StoreWriterOptions

    @Option(help: ArgumentHelp("Écoles : schools.csv ou export de l'Annuaire de l'éducation.", valueName: "FICHIER"))
    var schools: String?

    @Option(help: ArgumentHelp("Correspondance commune → EPCI (code_commune;epci).", valueName: "FICHIER"))
    var epci: String?

    @Option(help: ArgumentHelp("Annuaire des comptes de l'ENT (accounts.csv).", valueName: "FICHIER"))
    var accounts: String?

    @Option(name: .customLong("forget-failure"), help: ArgumentHelp("Oublie l'échec de ce journal (nom tel que « entstat status » l'affiche) : perdu sur son serveur, il ne sera jamais réparé ; « status » cesse de le signaler, la liste des fichiers en échec du rapport le garde ; retirez-le aussi du dossier lu chaque nuit. Répétable.", valueName: "NOM"))
    var forgetFailures: [String] = []

    @Flag(name: .customLong("allow-shrink"), help: "Accepte un référentiel (écoles, comptes) qui compte moins de la moitié des lignes du chargement précédent ; sans cette option, il est refusé comme probablement tronqué et le précédent est conservé.")
    var allowShrink = false

    @Option(help: ArgumentHelp("Règles de fonctionnalités (par défaut : celles d'« entstat rules »).", valueName: "FICHIER"))
    var rules: String?

    @Flag(name: .shortAndLong, help: "N'affiche que le bilan final et les erreurs (mode cron).")
    var quiet = false

    @Option(name: .customLong("summary-json"), help: ArgumentHelp("Écrit le bilan de l'exécution en JSON dans ce fichier (remplacé à chaque exécution).", valueName: "FICHIER"))
    var summaryJSON: String?

    @Flag(name: .customLong("no-progress"), help: "Pas de barre de progression, même sur un terminal.")
    var noProgress = false

    @OptionGroup var log: LogLevelOption

    @Option(name: .customLong("files-from"), help: ArgumentHelp("Lit aussi les journaux à ingérer dans ce fichier (« - » : l'entrée standard), un chemin par ligne, chaque ligne traitée comme un argument (fichier, dossier ou motif) ; les lignes vides sont ignorées.", valueName: "LISTE"))
    var filesFrom: String?

    @Argument(help: ArgumentHelp("Journaux à ingérer (fichiers, dossiers, motifs entre apostrophes, ou - pour l'entrée standard).", valueName: "JOURNAL"))
    var logs: [String] = []

    func validate() throws {
        if logs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("l'entrée standard (-) ne peut être lue qu'une fois")
        }
        if let summaryJSON, summaryJSON.isEmpty { throw ValidationError("--summary-json : donnez un chemin de fichier") }
        // Checked before anything is ingested: exit 1 means nothing was.
        if let summaryJSON, !AtomicFile.canWrite(summaryJSON) {
            throw ValidationError("--summary-json \(summaryJSON) : fichier impossible à écrire (c'est un dossier, ou le dossier qui le contiendrait n'est pas accessible en écriture)")
        }
        if filesFrom == "-" && logs.contains("-") {
            throw ValidationError("--files-from - lit la liste sur l'entrée standard : aucun journal ne peut alors y être lu (-)")
        }
        if let filesFrom, filesFrom.isEmpty { throw ValidationError("--files-from : donnez un chemin de fichier, ou - pour l'entrée standard") }
    }

    func run() throws {
        log.apply()
        InterruptNotice.install { signal in
            ErrorLine.format(store.db, "ingestion interrompue (signal \(signal)) : les fichiers déjà enregistrés sont conservés, "
                + "ceux en cours d'écriture annulés ; relancez la même commande, elle reprend les fichiers restants et termine le calcul des indicateurs")
        }
        var summary = IngestSummary(store: store.db, startedAt: Store.timestamp())
        let started = MonotonicClock.seconds()
        var status: Int32 = 0
        var newStore: StoreWriterOptions.NewStore?
        do {
            try ingestAll(into: &summary, newStore: &newStore)
        } catch let exit as ExitCode {
            status = exit.rawValue
        } catch {
            status = ExitCode.failure.rawValue
        }
        // A store this run created and failed before storing anything in (a refused
        // reference file) is removed, now that it is closed (its error line said so): the
        // next run starts afresh.
        if status != 0, let newStore {
            newStore.remove()
        }
        Progress.current?.finish()
        // A run stopped after some files went in (a full disk while computing the figures)
        // still says what it did: the files reported « ingéré » stay in the store.
        if status != 0 && !summary.bilanPrinted && summary.files.new + summary.files.skipped + summary.files.failed > 0 {
            Console.out(summary.bilanLine(seconds: MonotonicClock.seconds() - started))
        }
        summary.finish(seconds: MonotonicClock.seconds() - started, exitStatus: Int(status))
        if let summaryJSON {
            do {
                try summary.write(to: summaryJSON)
            } catch let error as AtomicFile.Failure {
                Console.error("\(error)")
                if status == 0 { status = ExitCode.failure.rawValue }
            } catch {
                // Only a value JSON cannot hold (a non-finite number) stops the encoder.
                Console.error(ErrorLine.format(summaryJSON, "erreur interne : bilan JSON impossible à encoder ; signalez-le avec la commande lancée"))
                if status == 0 { status = ExitCode.failure.rawValue }
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// The end of an error line when the run created the store and stored nothing in it:
    /// the store is removed (`run`).
    private func removal(_ newStore: StoreWriterOptions.NewStore?) -> String {
        guard let newStore else { return "" }
        return " ; le magasin créé par cette commande est retiré, rien n'y ayant été enregistré\(newStore.secretCreated ? " (son secret aussi)" : "")"
    }

    /// The whole run; `newStore` is set while the store this run created holds nothing.
    private func ingestAll(into summary: inout IngestSummary, newStore: inout StoreWriterOptions.NewStore?) throws {
        var ruleSet = FeatureRules.standard
        if let rules {
            do {
                let decoded = UTF8Text.decode(try WholeFile.read(rules).bytes)
                guard let text = decoded.text else {
                    throw summary.stop("\(rules): octet \(decoded.invalidAt) : le fichier de règles n'est pas de l'UTF-8 valide ; enregistrez-le en UTF-8")
                }
                ruleSet = try FeatureRules(text: text, file: rules)
                for warning in ruleSet.warnings { Console.warning(warning) }
            } catch let error as FeatureRules.SyntaxError {
                throw summary.stop("\(error) ; corrigez le fichier de règles")
            } catch let error as DecodedByteStream.Failure {
                throw summary.stop("\(rules): \(error)")
            } catch let error as ExitCode {
                throw error
            } catch {
                throw summary.stop("\(error)")
            }
        }
        var arguments = logs
        if let filesFrom {
            do {
                arguments += try LogFileList.readList(filesFrom, standardInputTaken: logs.contains("-"))
            } catch {
                throw summary.stop("\(error)")
            }
        }
        let expansion = LogFileList.expand(arguments)
        let files = expansion.paths
        for warning in expansion.warnings { Console.warning(warning) }
        if let (first, again) = LogFileList.repeatedStream(files) {
            let earlier = first == again ? "" : " (sous le nom « \(first) »)"
            throw summary.stop(ErrorLine.format(again, "flux déjà nommé plus haut\(earlier) ; un tube ou l'entrée standard ne se lit qu'une fois, nommez-le une seule fois"))
        }

        let opened: Store
        do {
            opened = try writer.open(store.db, quiet: quiet, activity: "une ingestion", created: &newStore)
        } catch {
            throw summary.stop(Console.storeMessage(store.db, error))
        }

        // Figures an earlier run left unfinished (killed, or stopped by a full disk): this run
        // finishes them, and says so even when it stores nothing new.
        let leftUnfinished = (try? opened.hasPendingWork()) ?? false

        for name in forgetFailures {
            let forgotten: Int
            do {
                forgotten = try opened.forgetFailure(named: name)
            } catch {
                throw summary.stop(ErrorLine.format(store.db, Console.reason(error, onStore: store.db)))
            }
            guard forgotten > 0 else {
                throw summary.stop("--forget-failure « \(name) » : aucun échec de ce nom n'est signalé par « entstat status » ; recopiez le nom qu'il affiche\(removal(newStore))")
            }
            if !quiet { Console.out("oublié  \(name) : échec retiré des signalements d'« entstat status »") }
        }

        // All the reference files of the command are loaded together or not at all.
        let references = Store.ReferenceFiles(schools: schools, epci: epci, accounts: accounts)
        if references.count > 0 {
            let loads: [Store.ReferenceLoad]
            do {
                loads = try opened.loadReferences(references, allowShrink: allowShrink)
            } catch {
                let kept = references.count == 1 ? "le référentiel précédent est conservé"
                    : "aucun des \(references.count) référentiels de la commande n'est chargé, les précédents sont conservés"
                throw summary.stop("\(error) ; \(kept)\(removal(newStore))")
            }
            for load in loads {
                let path = load.file
                Console.referenceWarnings(load)
                if !quiet {
                    if load.unchanged {
                        Console.out("référentiel  \(path) : inchangé depuis le dernier chargement (\(Console.count(load.rows, "ligne"))), non relu")
                    } else {
                        Console.out("référentiel  \(path) : \(Console.count(load.rows, "ligne chargée", "lignes chargées")), \(Console.count(load.warningCount, "avertissement"))")
                    }
                }
                summary.references.append(.init(kind: load.kind, file: path, rows: load.rows, warnings: load.warningCount))
            }
        }

        // From here on the store holds what this run stored, even when it fails.
        newStore = nil
        let runStarted = MonotonicClock.seconds()
        var written = ProcessIO.Meter()
        // The log's pages are copied into the database file by another thread while the
        // writer goes on (`WALCheckpointer`).
        try opened.withBackgroundCheckpoints {
            if !files.isEmpty || !expansion.unusable.isEmpty {
                try ingestLogs(files, unusable: expansion.unusable, into: opened, rules: ruleSet, summary: &summary)
                Console.info("\(store.db) : fichiers lus et faits enregistrés en \(Console.seconds(MonotonicClock.seconds() - runStarted))\(written.sinceLast())")
            }
            do {
                // Late files older than a purge limit are cut back before their figures are computed.
                let removed = try opened.enforceRetention()
                if removed > 0 {
                    Console.warning("\(store.db) : \(Console.count(removed, "ligne par utilisateur antérieure à la limite de conservation supprimée", "lignes par utilisateur antérieures à la limite de conservation supprimées")) (journaux anciens arrivés après la purge) ; les chiffres gelés de ces périodes restent ceux de la purge")
                }
                // On a terminal, the step at work (the first one counts its pairs).
                var line: Progress?
                defer { line?.finish() }
                func show(_ text: String, step: Bool = false) {
                    if line == nil && !quiet && !noProgress { line = Progress.start(phase: text) } else { line?.show(phase: text, immediately: step) }
                }
                let nextStep: [Store.PendingWorkPhase: Store.PendingWorkPhase] = [.personDays: .roleDays, .roleDays: .rollups, .rollups: .rolePeriods]
                let pairs = try opened.completePendingWork(progress: { done in
                    show("calcul des indicateurs : \(Console.count(done, "personne-jour", "personnes-jours"))…")
                }, phaseDone: { phase, seconds in
                    Console.info("\(store.db) : \(phase.rawValue) en \(Console.seconds(seconds))\(written.sinceLast())")
                    if let next = nextStep[phase] { show("calcul des indicateurs : \(next.rawValue)…", step: true) }
                })
                line?.finish()
                if !quiet && pairs > 0 {
                    Console.out("calcul  \(Console.count(pairs, "personne-jour recalculée", "personnes-jours recalculées"))")
                }
                if !quiet && leftUnfinished {
                    Console.out("calcul  terminé, repris là où une exécution interrompue l'avait laissé")
                }
            } catch {
                // Running ingest again finishes an interrupted computation, not one stopped
                // by a damaged store: then the store's own advice (restore or rebuild) only.
                let advice: String
                if case StoreError.damaged = error { advice = "" } else { advice = " ; relancez « entstat ingest --db \(store.db) » pour le terminer" }
                throw summary.stop(ErrorLine.format(store.db, "calcul des indicateurs interrompu (\(Console.reason(error, onStore: store.db)))\(advice)"))
            }
        }
        // Everything reported below reaches the disk before the command says it is done.
        try? opened.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        let seconds = MonotonicClock.seconds() - runStarted
        guard !files.isEmpty || !expansion.unusable.isEmpty else { return }
        let (counted, records) = (summary.files, summary.records)
        let record = Store.RunRecord(startedAt: summary.startedAt, finishedAt: Store.timestamp(), seconds: seconds,
                                     filesNew: counted.new, filesSkipped: counted.skipped, filesFailed: counted.failed,
                                     lines: records.lines, qualifying: records.qualifying, exitStatus: counted.failed > 0 ? 2 : 0)
        do {
            try opened.recordRun(record)
        } catch {
            Console.warning("\(store.db) : historique des exécutions non mis à jour (\(error))")
        }
        Console.out(summary.bilanLine(seconds: seconds))
        summary.bilanPrinted = true
        if counted.failed > 0 { throw ExitCode.someFilesFailed }
    }

    /// Ingests the log files, one line per file unless quiet, with a progress bar on a
    /// terminal, after reporting the `unusable` entries (names that are not UTF-8) as failed
    /// files; the counts go to `summary`.
    private func ingestLogs(_ files: [String], unusable: [(name: String, failure: FileFailure)], into opened: Store,
                            rules ruleSet: FeatureRules, summary: inout IngestSummary) throws {
        var options = LogIngester.Options()
        options.rules = ruleSet
        let ingester: LogIngester
        do {
            ingester = try LogIngester(store: opened, options: options)
        } catch {
            throw summary.stop("\(error)")
        }
        // Names no path can open fail before anything is read; they are not kept for
        // `status` (no name could be stored for them), but fail the run until renamed.
        for (name, failure) in unusable {
            var report = FileReport(name: name)
            report.outcome = .failed(failure)
            summary.add(report)
            reportFailure(name, failure)
        }
        var progress: Progress?
        var sizes: [Int] = []
        if !noProgress && !quiet {
            sizes = files.map(LogFileList.size)
            progress = Progress.start(totalBytes: sizes.reduce(0, +), files: files.count)
            if let first = files.first { progress?.begin(file: first) }
        }
        // Bytes of files done without being read (already in the ledger) and bytes the
        // parse workers read so far: together, the progress of the run.
        var skippedBytes = 0
        var readBytes = 0
        var handedOver = 0
        // The files of a lost shared transaction still to come after the one line said.
        var lostUnsaid = 0
        ingester.ingest(paths: files, progress: { read in
            readBytes = read
            progress?.update(base: skippedBytes, fileBytes: readBytes)
        }, fileStarted: { index in
            // The file the writer is at, not the first of the transaction that holds it:
            // the reports of a transaction's small files come only once it commits.
            progress?.begin(file: files[index], index: index)
        }, fileDone: { index, report in
            handedOver += 1
            let file = report.name
            Console.info("\(file) : \(report.outcome == .ingested ? "ingéré" : "traité") en \(Console.seconds(report.seconds))")
            summary.add(report)
            switch report.outcome {
            case .ingested:
                if !quiet {
                    Console.out("ingéré  \(report.source?.rawValue ?? "vide") \(file) : \(Console.count(report.lines, "ligne")), "
                        + "\(Console.count(report.qualifying, "retenue")), \(Console.count(report.filtered, "filtrée")), "
                        + "\(Console.count(report.rejected, "rejetée")) (\(Console.seconds(report.seconds)))"
                        + (report.completes.map { " ; complète « \($0) », déjà ingéré : seules les lignes qui suivent ont été lues" } ?? "")
                        + (report.containedIn.map { " ; début de « \($0) », déjà ingéré : aucune ligne n'a été lue" } ?? ""))
                }
            case .skipped(let previous):
                if report.compressedBytes == 0, !sizes.isEmpty {
                    skippedBytes += sizes[index]
                    progress?.update(base: skippedBytes, fileBytes: readBytes, countsInRate: false)
                }
                if !quiet { Console.out("ignoré  \(file) : contenu déjà ingéré (sous le nom « \(previous) »)") }
            case .failed(let failure):
                ingester.recordFailure(report)
                if let lost = report.lostTransaction {
                    // Up to 16 MiB of small files lost together: one line says it, not one per file.
                    if lostUnsaid == 0 {
                        lostUnsaid = lost.files
                        reportLostTransaction(lost, failure)
                    }
                    lostUnsaid -= 1
                } else {
                    reportFailure(file, failure)
                }
            }
        })
        progress?.finish()
        // The store stopped taking writes (a full disk): the files left were not read, and
        // the figures are left for the next run (the step would fail the same way).
        if let failure = ingester.storeUnwritable {
            let unread = files.count - handedOver
            let left = unread > 0 ? "\(Console.count(unread, "fichier non lu", "fichiers non lus")), " : ""
            throw summary.stop(ErrorLine.format(store.db, "ingestion arrêtée, écriture dans le magasin impossible (\(failure)) ; "
                + "\(left)les fichiers annoncés « ingéré » sont conservés ; une fois la cause corrigée, relancez la même commande : "
                + "elle lira les autres et terminera le calcul des indicateurs"))
        }
    }

    /// The one line, on standard output unless quiet and on standard error, of the files
    /// of a shared transaction lost together (its commit failed): what failed, and how many
    /// files are not stored, each counted as failed.
    private func reportLostTransaction(_ lost: FileReport.LostTransaction, _ failure: FileFailure) {
        let why: String
        if case .store(let message) = failure { why = message } else { why = failure.reason }
        let files = "les \(Console.number(lost.files)) fichiers de cette transaction, de « \(Console.excerpt(lost.first)) » à « \(Console.excerpt(lost.last)) »"
        let message = "écriture dans le magasin impossible (\(why)) ; \(files), ne sont pas enregistrés (comptés en échec) ; "
            + "une fois la cause corrigée, relancez la même commande"
        if !quiet { Console.out("échec   \(message)") }
        Console.error(ErrorLine.format(store.db, message))
    }

    /// The lines of a failed file: on standard output unless quiet, and on standard error.
    /// A name that could not be opened at all may be any text (a line of a list that is no
    /// path): at most about 200 bytes of it are quoted (`Console.excerpt`).
    private func reportFailure(_ name: String, _ failure: FileFailure) {
        var shown = name
        switch failure {
        case .cannotOpen, .nameNotUTF8: shown = Console.excerpt(name)
        default: break
        }
        if !quiet { Console.out("échec   \(shown) : \(failure)") }
        Console.error(ErrorLine.format(shown, failure.position, failure.reason))
    }
}
