import ArgumentParser
import EntStatSimulator
import Foundation

/// `entstat simulate`: writes a synthetic département in the input formats of SPEC §1.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Génère un département fictif (référentiels et journaux) pour essais et mesures.",
        discussion: """
        Écrit dans DOSSIER :
          schools.csv    les écoles (UAI avec lettre clé, niveau, commune INSEE, EPCI) ;
          accounts.csv   l'annuaire des comptes (parents, enseignants, élèves, personnels, agents communaux) ;
          logs/          les journaux des deux ENT, par serveur frontal :
                         access-feN-AAAA-MM-JJ.log.gz      ancien ENT (format « combined »),
                         events-feN-AAAA-MM-JJ[-HH].jsonl.gz  nouvel ENT (événements JSON).

        Le département modélise le calendrier scolaire de la zone B, les mercredis, les week-ends,
        les changements d'heure d'Europe/Paris, la bascule de l'ancien vers le nouvel ENT avec une
        période de tuilage, et l'adhésion plus forte des parents de maternelle. Les serveurs
        impairs écrivent l'heure locale, les pairs l'heure UTC.

        Une même graine et les mêmes options donnent exactement les mêmes octets, quel que soit
        --jobs. Un jour donné s'écrit à l'identique quelle que soit la période demandée.

        Exemples :
          entstat simulate --out /tmp/somme                  (une année scolaire de la Somme)
          entstat simulate --out /tmp/petit --schools 35 --from 2018-10-08 --to 2018-11-11
          entstat simulate --out /tmp/pays --schools 50000 --from 2018-11-05 --to 2018-11-11
        """
    )

    @Option(name: .customLong("out"), help: ArgumentHelp("Dossier de sortie (créé s'il n'existe pas).", valueName: "DOSSIER"))
    var out: String

    @Option(help: ArgumentHelp("Graine du générateur pseudo-aléatoire.", valueName: "N"))
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Nombre d'écoles, de 1 à 100 000 (la Somme en compte environ 550 ; au-delà de 600, d'autres départements sont ajoutés).", valueName: "N"))
    var schools: Int = 550

    @Option(help: ArgumentHelp("Premier jour des journaux (heure de Paris).", valueName: "AAAA-MM-JJ"))
    var from: String = "2018-09-01"

    @Option(help: ArgumentHelp("Dernier jour des journaux, inclus ; l'annuaire est extrait ce jour-là.", valueName: "AAAA-MM-JJ"))
    var to: String = "2019-07-06"

    @Option(name: .customLong("switch"), help: ArgumentHelp("Dernier jour de l'ancien ENT (bascule).", valueName: "AAAA-MM-JJ"))
    var switchDay: String = "2018-11-04"

    @Option(name: .customLong("overlap-days"), help: ArgumentHelp("Durée du tuilage en jours : le nouvel ENT ouvre N-1 jours avant la bascule (0 : aucun recouvrement).", valueName: "N"))
    var overlapDays: Int = 49

    @Option(help: ArgumentHelp("Rotation des fichiers : daily (par jour), hourly (par heure) ou mixed (journaux d'événements des serveurs pairs par heure, le reste par jour).", valueName: "MODE"))
    var rotation: String = "mixed"

    @Option(name: .customLong("malformed-rate"), help: ArgumentHelp("Part de lignes volontairement mal formées (0.0001 = 0,01 %).", valueName: "R"))
    var malformedRate: Double = 0.0001

    @Option(help: ArgumentHelp("Multiplicateur de fréquentation, pour faire varier le volume (1 = réaliste).", valueName: "F"))
    var activity: Double = 1.0

    @Option(name: .customLong("compression-level"), help: ArgumentHelp("Niveau de compression gzip, de 1 (rapide) à 9 (compact).", valueName: "N"))
    var compressionLevel: Int = 6

    @Option(help: ArgumentHelp("Nombre de fils de travail (par défaut : nombre de cœurs).", valueName: "N"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Écrit des journaux non compressés au lieu de gzip.")
    var plain = false

    @Flag(help: "Remplace les journaux déjà présents dans DOSSIER/logs.")
    var force = false

    private func date(_ text: String, _ option: String) throws -> CivilDate {
        guard let d = CivilDate(parsing: text) else {
            throw ValidationError("\(option) \(text) : date attendue au format AAAA-MM-JJ (par exemple 2018-11-04).")
        }
        return d
    }

    private func options() throws -> SimulationOptions {
        var o = SimulationOptions(outputDirectory: out)
        o.seed = seed
        o.schools = schools
        o.from = try date(from, "--from")
        o.to = try date(to, "--to")
        o.switchDay = try date(switchDay, "--switch")
        o.overlapDays = overlapDays
        guard let r = Rotation(rawValue: rotation) else {
            throw ValidationError("--rotation \(rotation) : valeurs possibles daily, hourly ou mixed.")
        }
        o.rotation = r
        o.malformedRate = malformedRate
        o.activity = activity
        o.compressionLevel = compressionLevel
        o.jobs = jobs
        o.gzip = !plain
        o.force = force
        return o
    }

    func validate() throws {
        do {
            try Simulator.validate(options())
        } catch let error as SimulatorError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let summary: SimulationSummary
        do {
            summary = try Simulator.run(options())
        } catch let error as SimulatorError {
            FileHandle.standardError.write(Data(("entstat simulate : " + error.description + "\n").utf8))
            throw ExitCode(1)
        }
        let mb = Double(summary.bytes) / 1_000_000
        print("""
        simulate : \(summary.schools) écoles, \(summary.accounts) comptes, \(summary.files) fichiers, \
        \(summary.lines) lignes (\(summary.accessLines) ancien ENT, \(summary.eventLines) nouvel ENT, \
        dont \(summary.malformedLines) mal formées), \(String(format: "%.1f", mb)) Mo, \
        \(String(format: "%.1f", summary.seconds)) s → \(out)
        """)
    }
}
