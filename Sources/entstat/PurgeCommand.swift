import ArgumentParser
import EntStat
import Foundation

/// `entstat purge`: retention of per-user data (RGPD), after freezing the figures of the
/// closed periods it removes.
struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Supprime les données par utilisateur anciennes, après avoir gelé les chiffres.",
        discussion: """
        La CNIL limite à 25 mois la conservation des données de mesure d'audience : c'est la \
        valeur par défaut de --keep-months. La limite est le premier jour du mois qui suit la \
        date d'il y a N mois (le jour même si c'est un 1er) : aucun mois n'est coupé, et rien \
        n'est gardé plus de N mois.

        AVANT de supprimer, entstat gèle les chiffres de chaque période close entièrement \
        antérieure à la limite : pour « entstat export », chaque type de période (jour, \
        semaine, mois, année scolaire) et chaque combinaison de dimensions ; pour « entstat \
        report », chaque mois et chaque année scolaire, pour tout le territoire, chaque commune \
        et chaque EPCI. Ces exports et rapports donnent ensuite les mêmes chiffres. Une période \
        close que la limite coupe (une année scolaire, une semaine ISO à cheval sur le 1er du \
        mois) est gelée entière. Une période non close ou non gelée qui commence avant la limite \
        (« all », l'année scolaire en cours, un rapport sur des dates quelconques) est signalée \
        comme incomplète. Les comptes (accounts.csv) restent ceux du dernier \
        chargement.

        Sont supprimés : les faits par utilisateur (timeline), les chiffres dérivés par \
        personne et par jour (activity, person_day, visit_start), puis les pseudonymes qui ne \
        servent plus (identity, person…) et les extraits de lignes rejetées des fichiers \
        anciens. Les pages libérées sont écrasées (secure_delete). Le registre des fichiers \
        est gardé, pour qu'un journal ancien ne soit pas relu. Un journal ancien ingéré après \
        la purge est ramené à la limite à la fin de l'ingestion.

        Tout se fait en une transaction : interrompue avant sa validation, la purge ne laisse \
        rien à moitié ; interrompue après, « entstat ingest --db CHEMIN » termine la mise à jour \
        des cumuls (« entstat status » signale d'ici là « calcul inachevé »).

        Sur un terminal, une ligne dit où en est la purge (le gel d'une année scolaire de \
        département prend plusieurs minutes) ; sous cron, rien ne s'affiche que le bilan.

        REQUÊTES : la purge gèle les tableaux du rapport ; elle a besoin pour cela du dossier \
        Queries/ (--queries DOSSIER si l'exécutable est installé ailleurs), y compris avec \
        --dry-run. Essayez d'abord --dry-run ; --log-level info écrit ses étapes.

        EXEMPLE (crontab, le 1er de chaque mois) :

          0 4 1 * * entstat purge --db /srv/ent.sqlite --queries /srv/entstat/Queries

        CODES DE SORTIE : 0 purge faite (ou rien à purger) ; 1 erreur d'usage ou de magasin.
        """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var writer: StoreWriterOptions

    @OptionGroup var log: LogLevelOption

    @Option(name: .customLong("keep-months"), parsing: .unconditional, help: ArgumentHelp("Mois de données par utilisateur à garder (25 au plus pour la CNIL).", valueName: "N"))
    var keepMonths = 25

    @Option(help: ArgumentHelp("Limite explicite : supprime les jours antérieurs ; remplace --keep-months.", valueName: "AAAA-MM-JJ"))
    var before: String?

    @Option(help: ArgumentHelp("Dossier des requêtes du rapport à geler. " + Installation.queriesDefault, valueName: "DOSSIER"))
    var queries: String?

    @Flag(name: .customLong("dry-run"), help: "Affiche la limite, les jours qui seraient supprimés et les périodes qui seraient gelées, sans rien modifier.")
    var dryRun = false

    func validate() throws {
        // 100 years: beyond, the limit falls before year 1 and means nothing.
        guard (1...1200).contains(keepMonths) else { throw ValidationError("--keep-months doit être compris entre 1 et 1200") }
        if let before {
            let date = try DateOption.parse(before, option: "--before")
            // A limit in the future would delete every day held and cut back every log to come.
            guard date <= ParisTime.today() else {
                throw ValidationError("--before \(date) est dans le futur : la purge supprimerait toutes les données par utilisateur et rognerait chaque journal à venir ; donnez une date passée")
            }
        }
    }

    func limit() -> CivilDate {
        if let before, let date = CivilDate(iso: before) { return date }
        return Purge.limit(today: ParisTime.today(), keepMonths: keepMonths)
    }

    func run() throws {
        log.apply()
        InterruptNotice.install { signal in
            ErrorLine.format(store.db, "purge interrompue (signal \(signal)) : elle est validée en entier ou pas du tout ; "
                + "lancez « entstat status --db \(store.db) » : s'il signale « calcul inachevé », la purge a été validée et "
                + "« entstat ingest --db \(store.db) » termine la mise à jour des cumuls, sinon relancez la purge")
        }
        let limitDate = limit()
        if before == nil && keepMonths > 25 {
            Console.warning("--keep-months \(keepMonths) : au-delà des 25 mois que la CNIL fixe comme plafond pour les données de mesure d'audience ; vérifiez votre registre de traitement")
        }
        let queriesDir = queries ?? Installation.locateQueries()
        if queriesDir == nil {
            Console.error(ErrorLine.format("Queries/", "dossier de requêtes introuvable, les rapports ne pourraient pas être gelés ; \(Installation.queriesAdvice)"))
            throw ExitCode.failure
        }
        if dryRun {
            do {
                let plan = try Purge.plan(store: try Store(readingFrom: store.db), limitDay: limitDate.dayNumber)
                guard plan.changes else {
                    Console.out("purge (essai) : rien à faire, le magasin est déjà purgé jusqu'à cette limite ou au-delà (rien n'a été modifié)")
                    return
                }
                let deleted = plan.deletedDays.map { "du \(CivilDate(dayNumber: $0.first)) au \(CivilDate(dayNumber: $0.last))" } ?? "aucune"
                Console.out("purge (essai) : limite au \(limitDate) ; données par utilisateur qui seraient supprimées : \(deleted) (rien n'a été modifié)")
                for (kind, labels) in plan.frozen {
                    let shown = labels.count > 6 ? labels.prefix(3).joined(separator: ", ") + " … " + labels.suffix(2).joined(separator: ", ") : labels.joined(separator: ", ")
                    Console.out("  seraient gelés, par \(kind.frenchName) : \(Console.count(labels.count, "période")) (\(shown))"
                        + (kind == .month || kind == .schoolYear ? ", avec leurs tableaux de rapport" : ""))
                }
            } catch {
                Console.storeError(store.db, error)
                throw ExitCode.failure
            }
            return
        }
        do {
            let opened = try writer.open(store.db, activity: "une purge")
            // On a terminal, a line says what the purge is doing: a school year's takes minutes.
            let line = Progress.start(phase: "purge : préparation…")
            defer { line?.finish() }
            let result = try Purge.run(store: opened, limitDay: limitDate.dayNumber, keepMonths: before == nil ? keepMonths : nil,
                                       queriesDirectory: queriesDir,
                                       progress: { Console.info($0); line?.show(phase: "purge : \($0)…", immediately: true) },
                                       step: { line?.show(phase: "purge : \($0)…") })
            line?.finish()
            if result.changed {
                Console.out("purge : données par utilisateur antérieures au \(limitDate) supprimées (\(Console.count(result.deletedRows, "ligne"))) ; "
                    + "\(Console.count(result.frozenPeriods, "période gelée", "périodes gelées")), \(Console.count(result.frozenFigureRows, "chiffre")) et \(Console.count(result.frozenReportTables, "tableau de rapport", "tableaux de rapport")) conservés")
            } else {
                Console.out("purge : rien à faire, le magasin est déjà purgé jusqu'au \(CivilDate(dayNumber: try opened.purgeLimit() ?? limitDate.dayNumber))")
            }
        } catch {
            Console.error(ErrorLine.format(store.db, "purge impossible (\(Console.reason(error, onStore: store.db))) ; rien n'a été supprimé, corrigez la cause puis relancez"))
            throw ExitCode.failure
        }
    }
}
