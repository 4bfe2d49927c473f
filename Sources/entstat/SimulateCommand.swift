import ArgumentParser
import EntStat
import EntStatSimulator
import Foundation

/// `entstat simulate`: writes a synthetic département in the input formats of SPEC §1.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Génère un département fictif (référentiels et journaux) pour essais et mesures.",
        discussion: """
        Écrit dans DOSSIER un département fictif au format des vrais fichiers :
          schools.csv   écoles : UAI avec lettre clé, niveau, commune, EPCI ;
          accounts.csv  annuaire des comptes (parents, enseignants, élèves,
                        personnels, agents communaux) ;
          logs/         journaux des deux ENT, un fichier par serveur frontal
                        et par jour (ou par heure) :
                        access-feN-AAAA-MM-JJ.log.gz        ancien ENT,
                        events-feN-AAAA-MM-JJ[-HH].jsonl.gz nouvel ENT.

        Le modèle suit le calendrier scolaire de la zone B, les mercredis et
        les week-ends, les heures d'usage de chaque profil, les changements
        d'heure d'Europe/Paris, la bascule de l'ancien vers le nouvel ENT avec
        sa période de tuilage, et l'adhésion plus forte des parents d'élèves
        de maternelle. Les serveurs impairs (fe1, fe3…) écrivent l'heure
        locale, les serveurs pairs l'heure UTC.

        La même graine et les mêmes options donnent les mêmes octets, quel que
        soit --jobs ; un jour donné s'écrit à l'identique quelle que soit la
        période demandée. La mémoire reste bornée : les journaux sont produits
        jour par jour et département par département.

        Exemples :
          Une année scolaire de la Somme (environ 25 millions de lignes) :
            entstat simulate --out /tmp/somme
          Un petit département sur cinq semaines autour de la bascule :
            entstat simulate --out /tmp/petit --schools 30 \\
              --from 2018-10-08 --to 2018-11-11
          Une semaine à l'échelle du pays, pour les mesures de performance :
            entstat simulate --out /tmp/pays --schools 50000 \\
              --from 2018-11-05 --to 2018-11-11

        CODES DE SORTIE : 0 département écrit ; 1 erreur d'usage ou d'écriture.
        """
    )

    @Option(name: .customLong("out"), help: ArgumentHelp("Dossier de sortie (créé s'il n'existe pas).", valueName: "DOSSIER"))
    var out: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Graine du générateur pseudo-aléatoire.", valueName: "N"))
    var seed: UInt64 = 42

    @Option(parsing: .unconditional, help: ArgumentHelp("Nombre d'écoles, de 1 à 100\u{202F}000 (la Somme en compte environ 550 ; au-delà de 600, d'autres départements sont ajoutés).", valueName: "N"))
    var schools: Int = 550

    @Option(help: ArgumentHelp("Premier jour des journaux (heure de Paris).", valueName: "AAAA-MM-JJ"))
    var from: String = "2018-09-01"

    @Option(help: ArgumentHelp("Dernier jour des journaux, inclus ; l'annuaire est extrait ce jour-là.", valueName: "AAAA-MM-JJ"))
    var to: String = "2019-07-06"

    @Option(name: .customLong("switch"), help: ArgumentHelp("Dernier jour de l'ancien ENT (bascule).", valueName: "AAAA-MM-JJ"))
    var switchDay: String = "2018-11-04"

    @Option(name: .customLong("overlap-days"), parsing: .unconditional, help: ArgumentHelp("Durée du tuilage en jours : le nouvel ENT ouvre N-1 jours avant la bascule (0 : aucun recouvrement).", valueName: "N"))
    var overlapDays: Int = 49

    @Option(help: ArgumentHelp("Rotation des fichiers : daily (par jour), hourly (par heure) ou mixed (journaux d'événements des serveurs pairs par heure, le reste par jour).", valueName: "MODE"))
    var rotation: Rotation = .mixed

    @Option(name: .customLong("malformed-rate"), parsing: .unconditional, help: ArgumentHelp("Part de lignes volontairement mal formées (0.0001 = 0,01 %).", valueName: "R"))
    var malformedRate: Double = 0.0001

    @Option(parsing: .unconditional, help: ArgumentHelp("Multiplicateur de fréquentation, pour faire varier le volume (1 = réaliste).", valueName: "F"))
    var activity: Double = 1.0

    @Option(name: .customLong("compression-level"), parsing: .unconditional, help: ArgumentHelp("Niveau de compression gzip, de 1 (rapide, par défaut) à 9 (fichiers environ 25 % plus petits, deux fois plus lent).", valueName: "N"))
    var compressionLevel: Int = 1

    // Optional, so that ArgumentParser does not add this machine's count as « (par défaut : 2) ».
    @Option(parsing: .unconditional, help: ArgumentHelp("Nombre de fils d'exécution (par défaut : nombre de cœurs).", valueName: "N"))
    var jobs: Int?

    @Flag(help: "Écrit des journaux non compressés au lieu de gzip.")
    var plain = false

    @Flag(help: "Remplace les journaux déjà présents dans DOSSIER/logs.")
    var force = false

    private func date(_ text: String, _ option: String) throws -> CivilDate {
        try DateOption.parse(text, option: option)
    }

    private func options() throws -> SimulationOptions {
        var o = SimulationOptions(outputDirectory: out)
        o.seed = seed
        o.schools = schools
        o.from = try date(from, "--from")
        o.to = try date(to, "--to")
        o.switchDay = try date(switchDay, "--switch")
        o.overlapDays = overlapDays
        o.rotation = rotation
        o.malformedRate = malformedRate
        o.activity = activity
        o.compressionLevel = compressionLevel
        o.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        o.gzip = !plain
        o.force = force
        o.progress = isatty(STDERR_FILENO) != 0
        return o
    }

    /// Checks every option before anything is written. A bad option is a usage error like
    /// any other: one line on standard error, status 1 (SPEC §3).
    func validate() throws {
        let o = try options()
        do {
            try Simulator.validate(o)
        } catch let error as SimulatorError {
            var message = error.description
            if message.hasSuffix(".") { message.removeLast() }
            throw ValidationError(message)
        }
        // Logs that ingest would reject, line after line (a server clock set ahead).
        let limit = CivilDate(dayNumber: LogIngester.lastAcceptedDay())
        if o.to > limit {
            throw ValidationError("--to (\(o.to)) est postérieure au \(limit), dernier jour qu'« entstat ingest » accepte aujourd'hui (le lendemain de l'ingestion) ; choisissez un --to au plus tard le \(limit)")
        }
    }

    private func fail(_ message: String) -> Never {
        Console.error(message)
        SimulateCommand.exit(withError: ExitCode(1))
    }

    func run() throws {
        let summary: SimulationSummary
        do {
            summary = try Simulator.run(options())
        } catch let error as SimulatorError {
            fail(error.description)
        }
        Console.out("""
        simulate : \(Console.count(summary.schools, "école")), \(Console.count(summary.accounts, "compte")), \
        \(Console.count(summary.files, "fichier")), \(Console.count(summary.lines, "ligne")) (\(Console.number(summary.accessLines)) ancien ENT, \
        \(Console.number(summary.eventLines)) nouvel ENT, dont \(Console.count(summary.malformedLines, "mal formée", "mal formées"))), \
        \(Progress.megabytes(summary.bytes)) Mo, \(Console.seconds(summary.seconds)) → \(out)
        """)
    }
}

extension Rotation: ExpressibleByArgument {}
