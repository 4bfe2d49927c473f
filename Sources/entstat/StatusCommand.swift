import ArgumentParser
import EntStat
import Logging

/// `entstat status`: what the store holds, and the coverage gaps an operator must look at.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Décrit le contenu du magasin et signale les lacunes de couverture.",
        discussion: """
        Affiche, pour chaque source (journal d'accès de l'ancien ENT, événements du nouveau), \
        la période couverte, le nombre de fichiers et d'enregistrements ; pour chaque flux (un \
        serveur écrivant un journal), ses fichiers ; la dernière exécution d'« entstat ingest » ; \
        la limite de conservation après une purge ; les fichiers en échec jamais repris ; un \
        calcul des indicateurs laissé inachevé par une commande interrompue (arrêt forcé, coupure \
        de courant).

        FLUX : le flux d'un fichier se lit dans son nom, <préfixe>-<date>[-<heure>].<ext> \
        (access-fe1-2018-10-14.log.gz → flux access-fe1, jour 2018-10-14 ; dates AAAA-MM-JJ \
        ou AAAAMMJJ). Un nom sans date compte dans le flux de sa source, au jour de ses \
        enregistrements. Deux serveurs qui écrivent dans deux dossiers des fichiers de même nom \
        forment un seul flux : donnez-leur un préfixe distinct.

        LACUNES : (1) un jour sans fichier d'un flux qui a un fichier au moins un de ces jours \
        de la semaine sur deux (au moins un mardi sur deux, par exemple), y compris dans les \
        --silence-days derniers jours du magasin ; (2) quand plusieurs serveurs écrivent la même \
        source, un jour où la part de l'un d'eux tombe sous --share-ratio fois sa part médiane \
        et qu'il y manque au moins 50 enregistrements (journal tronqué) ; (3) un jour dont le \
        volume tombe sous --volume-ratio fois la médiane des mêmes jours de la semaine du flux \
        (il en faut au moins trois autres ; les vacances scolaires divisent l'usage par cinq \
        environ, d'où un seuil bas) et sous --neighbour-ratio fois la médiane des jours du flux \
        à moins d'une semaine de lui (s'il en a au moins quatre) : une journée tronquée chute \
        par rapport à ses voisines, alors que les vacances, les jours fériés qu'elles \
        contiennent et un flux qui s'éteint en fin de migration les font toutes baisser. Un \
        flux muet depuis plus de --silence-days jours est considéré comme arrêté (fin de la \
        migration), pas comme une lacune.

        CODES DE SORTIE : 0 aucune lacune ; 1 erreur d'usage, magasin illisible ou (avec \
        --check-integrity) endommagé ; 3 lacune de couverture, fichier en échec non repris, \
        calcul inachevé ou magasin pas encore réécrit après une rotation du secret. Avec \
        --quiet, seuls ces cas écrivent quelque chose, donc cron n'envoie un courriel que \
        lorsqu'il faut regarder ; sous systemd, l'unité échoue.
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("volume-ratio"), parsing: .unconditional, help: ArgumentHelp("Volume journalier minimal, en fraction d'un même jour de la semaine habituel.", valueName: "FRACTION"))
    var volumeRatio = 0.1

    @Option(name: .customLong("neighbour-ratio"), parsing: .unconditional, help: ArgumentHelp("Volume journalier minimal, en fraction de la médiane des jours voisins (une semaine de part et d'autre).", valueName: "FRACTION"))
    var neighbourRatio = 0.5

    @Option(name: .customLong("share-ratio"), parsing: .unconditional, help: ArgumentHelp("Part minimale d'un serveur dans sa source, en fraction de sa part habituelle.", valueName: "FRACTION"))
    var shareRatio = 0.5

    @Option(name: .customLong("silence-days"), parsing: .unconditional, help: ArgumentHelp("Jours avant le dernier jour du magasin : un jour sans fichier parmi eux est une lacune ; un flux sans fichier depuis plus longtemps est considéré comme arrêté.", valueName: "JOURS"))
    var silenceDays = 3

    @Flag(name: .shortAndLong, help: "N'affiche rien quand tout va bien ; sinon seulement les lacunes, les échecs et le bilan (mode cron : un courriel seulement quand il faut regarder).")
    var quiet = false

    @Option(name: .customLong("max-gaps"), parsing: .unconditional, help: ArgumentHelp("Nombre maximal de lacunes affichées (toutes sont comptées).", valueName: "N"))
    var maxGaps = 50

    @Option(name: .customLong("max-failures"), parsing: .unconditional, help: ArgumentHelp("Nombre maximal de fichiers en échec affichés (tous sont comptés).", valueName: "N"))
    var maxFailures = 50

    @Flag(name: .customLong("check-integrity"), help: "Relit aussi chaque page du magasin (PRAGMA quick_check, environ une seconde par gigaoctet) : si le magasin est endommagé sur le disque, la commande s'arrête avec le code 1, au lieu d'attendre qu'un rapport lise la page abîmée.")
    var checkIntegrity = false

    func validate() throws {
        guard (0...1).contains(volumeRatio) else { throw ValidationError("--volume-ratio doit être entre 0 et 1") }
        guard (0...1).contains(neighbourRatio) else { throw ValidationError("--neighbour-ratio doit être entre 0 et 1") }
        guard (0...1).contains(shareRatio) else { throw ValidationError("--share-ratio doit être entre 0 et 1") }
        guard silenceDays >= 0 else { throw ValidationError("--silence-days doit être positif ou nul") }
        guard maxGaps >= 0 else { throw ValidationError("--max-gaps doit être positif ou nul") }
        guard maxFailures >= 0 else { throw ValidationError("--max-failures doit être positif ou nul") }
    }

    func run() throws {
        var check = CoverageCheck()
        check.volumeRatio = volumeRatio
        check.neighbourRatio = neighbourRatio
        check.shareRatio = shareRatio
        check.silenceDays = silenceDays
        let status: StoreStatus
        var holder: (activity: String, since: String)?
        do {
            // Looked at before SQLite opens the store in this process (see `isHeld`).
            let writerAtWork = StoreLock.isHeld(storePath: store.db)
            if writerAtWork { holder = StoreLock.holder(storePath: store.db) }
            // A store whose figures wait (an ingest at work, or killed) is what status reports.
            let opened = try Store(readingFrom: store.db, allowingPendingWork: true)
            if checkIntegrity {
                let problems = try opened.integrityProblems()
                if let first = problems.first {
                    Console.error(ErrorLine.format(store.db, "magasin endommagé (\(first)\(problems.count > 1 ? " ; et \(Console.count(problems.count - 1, "autre"))" : "")) ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux"))
                    throw ExitCode.failure
                }
            }
            status = try StoreStatus(store: opened, check: check, writerAtWork: writerAtWork)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.storeError(store.db, error)
            throw ExitCode.failure
        }
        if quiet && !status.needsAttention { return }
        if !quiet { describe(status) }
        if status.writerAtWork {
            // Before its first commit an ingest has stored nothing: what follows is the store
            // without it (« aucune lacune » said nothing of the run at work).
            // One line, also when the writer is computing figures (two lines said it apart).
            let who = holder.map { ($0.activity.isEmpty ? "un autre entstat écrit dans ce magasin" : "\($0.activity) est en cours") + " depuis le \(ParisTime.text(utc: $0.since))" }
                ?? "un autre entstat écrit dans ce magasin (ingestion, purge ou changement de secret)"
            let computing = status.computation == .running ? ", calcul des indicateurs compris" : ""
            Console.out("écriture \(who)\(computing) : ce qui n'est pas encore enregistré ne compte pas ici ; relancez « entstat status » une fois l'écriture finie")
        }
        // A shared transaction lost at its commit fails each of its files (hundreds of small
        // ones): the first are shown, all are counted.
        Self.printFirst(status.pendingFailures, limit: maxFailures, label: "échec    ", hint: " (--max-failures pour les voir)") {
            "\($0.name) (\(ParisTime.text(utc: $0.failedAt))) : \($0.reason)"
        }
        Self.printFirst(status.gaps, limit: maxGaps, label: "lacune   ") { "\($0)" }
        if status.computation == .interrupted {
            Console.out("calcul   inachevé : une ingestion, une purge ou un changement de secret a été interrompu ; lancez « entstat ingest --db \(store.db) » pour terminer le calcul des indicateurs")
        }
        if let rotatedAt = status.rotationRewritePending, status.rotationRewriteMissing {
            Console.out("rotation secret changé le \(ParisTime.text(utc: rotatedAt)), mais le magasin n'a pas été réécrit depuis : "
                + "des copies des anciens pseudonymes peuvent rester dans ses pages libres ; relancez « entstat rotate-secret --db \(store.db) --accounts … » "
                + "une fois au moins la taille du magasin libre sur son disque : il réécrit le magasin sans changer de secret")
        }
        if status.needsAttention {
            Console.out("bilan : \(Console.count(status.gaps.count, "lacune")) de couverture, \(Console.count(status.pendingFailures.count, "fichier en échec non repris", "fichiers en échec non repris"))"
                + (status.computation == .interrupted ? ", calcul des indicateurs inachevé" : "")
                + (status.rotationRewriteMissing ? ", magasin à réécrire après la rotation du secret" : ""))
            throw ExitCode(3)
        }
        Console.out("bilan : aucune lacune de couverture")
    }

    /// A line for each of the first `limit` `items` (`text` after `label`), then how many
    /// more there are (« … et 609 autres », then `hint`).
    private static func printFirst<Item>(_ items: [Item], limit: Int, label: String, hint: String = "", text: (Item) -> String) {
        for item in items.prefix(limit) { Console.out(label + text(item)) }
        if items.count > limit { Console.out(label + "… et \(Console.count(items.count - limit, "autre"))" + hint) }
    }

    /// The store's contents, one line per source, stream, last run and retention.
    private func describe(_ status: StoreStatus) {
        func day(_ d: Int?) -> String { d.map { CivilDate(dayNumber: $0).description } ?? "—" }
        Console.out("magasin  \(store.db) (schéma \(status.schemaVersion))")
        if status.sources.isEmpty { Console.out("source   aucun journal ingéré") }
        for s in status.sources {
            // Files without a single log line have no source (« none ») and no days.
            if s.source == "none" {
                Console.out("source   fichiers vides : \(Console.number(s.files)) (\(FrenchText.agreeing(s.files, "ingéré", "ingérés")) sans aucune ligne de journal)")
                continue
            }
            Console.out("source   \(s.source) : du \(day(s.firstDay)) au \(day(s.lastDay)), \(Console.count(s.files, "fichier")), "
                + "\(Console.count(s.lines, "ligne")), \(Console.count(s.qualifying, "enregistrement retenu", "enregistrements retenus"))")
        }
        for s in status.streams {
            Console.out("flux     \(s.name) (\(s.source)) : \(Console.count(s.files, "fichier")), \(Console.count(s.days, "jour nommé", "jours nommés")), "
                + "du \(day(s.firstDay == Int.max ? nil : s.firstDay)) au \(day(s.lastDay == Int.min ? nil : s.lastDay))"
                + (s.retired ? " — plus de fichier depuis \(day(s.lastDay)) : flux considéré comme arrêté" : ""))
        }
        if let run = status.lastRun {
            Console.out("dernière exécution  \(ParisTime.text(utc: run.startedAt)) : \(Console.count(run.filesNew, "nouveau", "nouveaux")), \(Console.count(run.filesSkipped, "ignoré")), "
                + "\(Console.number(run.filesFailed)) en échec, \(Console.count(run.qualifying, "retenu")), \(Console.seconds(run.seconds)), code \(run.exitStatus)")
        } else {
            Console.out("dernière exécution  aucune")
        }
        if let limit = status.purgeLimit {
            Console.out("conservation  données par utilisateur à partir du \(day(limit)) ; \(Console.count(status.frozenPeriods, "période gelée", "périodes gelées")) avant cette date")
        } else {
            Console.out("conservation  aucune purge ; " + (status.firstActivityDay.map { "données par utilisateur depuis le \(day($0))" } ?? "aucune donnée par utilisateur"))
        }
    }
}
