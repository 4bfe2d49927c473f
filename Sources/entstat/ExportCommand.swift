import ArgumentParser
import EntStat

/// `entstat export`: the figures of SPEC §2 as CSV on standard output.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Exporte les indicateurs en CSV (RFC 4180) sur la sortie standard.",
        discussion: """
        Colonnes : period, les dimensions dans l'ordre demandé, puis \
        active_users,connections,logins,requests et, sans dimension feature ni source, \
        accounts,activated_accounts,activation_rate,active_rate. Une ligne par période contenant \
        au moins un enregistrement retenu et par groupe actif ; sans feature ni source, aussi \
        chaque groupe qui a des comptes. Les périodes sont en heure de Paris.

        Dimensions : role, level, school (UAI), commune (code INSEE), epci, feature, source \
        (access ou events).

        EXEMPLES (par mois, rôle et niveau ; puis par semaine, commune et service d'un \
        trimestre, les effectifs de moins de 5 masqués) :

          entstat export --db ent.sqlite --period month --by role,level > mois.csv
          entstat export --db ent.sqlite --period week --by commune,feature --from 2018-09-03 --to 2018-12-21 --min-cell 5 > semaines.csv

        CODES DE SORTIE : 0 CSV écrit ; 1 erreur d'usage ou de magasin, ou sortie incomplète \
        (disque plein derrière >).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("day, week, month, school-year ou all.", valueName: "PÉRIODE"))
    var period: String

    @Option(help: ArgumentHelp("Dimensions séparées par des virgules (ex. role,level).", valueName: "DIM,…"))
    var by: String = ""

    @Option(help: ArgumentHelp("Premier jour inclus.", valueName: "AAAA-MM-JJ"))
    var from: String?

    @Option(help: ArgumentHelp("Dernier jour inclus.", valueName: "AAAA-MM-JJ"))
    var to: String?

    @Option(name: .customLong("min-cell"), parsing: .unconditional, help: ArgumentHelp("Secret statistique : active_users, accounts et activated_accounts non nuls et inférieurs à N, et les taux calculés à partir d'eux, sont écrits « < N » (0, par défaut : rien n'est masqué ; connections, logins et requests ne le sont jamais).", valueName: "N"))
    var minCell: Int = 0

    func validate() throws {
        _ = try request()
    }

    func request() throws -> ExportRequest {
        guard let p = Period(rawValue: period) else {
            throw ValidationError("--period « \(period) » inconnue ; choisissez day, week, month, school-year ou all")
        }
        let dims: [Dimension]
        switch Dimension.parseList(by) {
        case .success(let d): dims = d
        case .failure(let e): throw ValidationError("--by : \(e)")
        }
        let fromDate = try from.map { try DateOption.parse($0, option: "--from") }
        let toDate = try to.map { try DateOption.parse($0, option: "--to") }
        if let fromDate, let toDate, fromDate > toDate {
            throw ValidationError("--from \(fromDate) est après --to \(toDate)")
        }
        guard minCell >= 0 else { throw ValidationError("--min-cell doit être positif ou nul") }
        return ExportRequest(period: p, dimensions: dims, from: fromDate, to: toDate, minCell: minCell)
    }

    func run() throws {
        let request = try request()
        do {
            let opened = try Store(readingFrom: store.db)
            let incomplete = try FrozenFigures.incompletePeriods(store: opened, request: request)
            if !incomplete.isEmpty {
                let shown = incomplete.prefix(5).joined(separator: ", ") + (incomplete.count > 5 ? "…" : "")
                Console.warning("\(store.db) : \(FrenchText.agreeing(incomplete.count, "période incomplète", "périodes incomplètes")) \(shown) : les données par utilisateur antérieures à la limite de conservation ont été purgées et \(FrenchText.agreeing(incomplete.count, "cette période n'a pas été gelée entière ; ses chiffres ne couvrent", "ces périodes n'ont pas été gelées entières ; leurs chiffres ne couvrent")) que les jours conservés")
            }
            let across = try opened.periodsAcrossRotation(request)
            if !across.isEmpty {
                Console.warning("\(store.db) : \(FrenchText.agreeing(across.count, "période", "périodes")) \(across.prefix(5).joined(separator: ", "))\(across.count > 5 ? "…" : "") à cheval sur le changement de secret de pseudonymisation : une personne vue avant et après y compte deux fois (le taux d'actifs peut dépasser 1)")
            }
            try FigureQuery.write(store: opened, request: request) { Console.write(1, bytes: $0) }
        } catch {
            Console.storeError(store.db, error)
            throw ExitCode.failure
        }
    }
}
