import ArgumentParser
import EntStat
import Foundation

/// `entstat report`: the HTML adoption report for officials and its CSV tables.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Écrit le rapport d'adoption (HTML pour les élus, CSV pour les tableurs).",
        discussion: """
        Écrit DOSSIER/rapport.html, une page autonome (styles et graphiques inclus, aucune \
        connexion réseau) qui s'ouvre dans tout navigateur, s'imprime en A4 et se lit sur un \
        téléphone, et un fichier CSV par tableau (UTF-8 avec BOM, séparateur « ; », virgule \
        décimale), dont peak_concurrent_users.csv. Le chemin du rapport est affiché à la fin.

        Sections : 1 Synthèse ; 2 Adoption par rôle et niveau d'école ; 3 Parents selon le \
        niveau d'école ; 4 Services utilisés ; 5 Communes et EPCI ; 6 La migration ; 7 Rythmes ; \
        8 Annexe CCTP : dimensionnement ; 9 Méthodologie.

        PÉRIODE : par défaut, du premier au dernier jour d'activité du magasin. Chaque chiffre \
        clé est comparé à la période précédente de même durée. Les chiffres sont ceux \
        d'« entstat export » pour la même période. Après une purge, la période par défaut \
        commence au premier jour conservé ; les mois et années scolaires gelés restent \
        accessibles en donnant --from et --to.

        PÉRIMÈTRE : --commune CODE ou --epci NOM produit le même rapport pour une seule \
        commune ou intercommunalité, pour que chaque maire reçoive le sien.

        SECRET STATISTIQUE : un effectif de personnes non nul inférieur à --min-cell N (5 par \
        défaut), et tout taux calculé à partir de lui, est affiché « < N » ; quand un total permettrait \
        de le retrouver par différence, un second effectif est masqué. Quand des effectifs \
        masqués restent déductibles des autres cellules quoi qu'on masque de plus (quatre \
        communes à « < 5 » agents chacune, leur total à « < 5 » aussi : chacune en a 1), \
        le rapport est tout de même écrit, un avertissement nomme le plus petit seuil qui \
        l'empêche (s'il y en a un jusqu'à N + 5 ; chaque seuil essayé refait le secret et la \
        page, sans relancer les requêtes), et \
        le code de sortie est 3 : ne le publiez pas tel quel. Avec \
        --min-cell-up-to M, le seuil est alors relevé jusqu'à M au plus, au premier qui \
        l'empêche ; le rapport l'indique (pied de page et méthodologie).
        Sur un très grand territoire (un magasin national), des cellules masquées sont trop \
        liées entre elles pour que le solveur les contrôle toutes ensemble : le rapport est \
        écrit, un avertissement le dit, et le code de sortie est 3 aussi (aucun seuil plus \
        haut n'y change rien) : publiez plutôt les rapports par EPCI ou par commune.

        PUBLIÉS ENSEMBLE : chaque rapport est protégé pour lui seul. Le rapport du \
        territoire montre aussi la ligne de chaque commune, de chaque école et de chaque \
        EPCI, celui d'un EPCI celles de ses communes et de leurs écoles ; un chiffre que l'un \
        montre et que le rapport d'une commune masque pour en protéger un petit se retrouve \
        en lisant les deux. Avec --published-with DOSSIER, un rapport masque chaque chiffre \
        commun que le rapport écrit dans DOSSIER masque, et montre ceux qu'il montre (même \
        période, même seuil ; sinon, erreur) ; DOSSIER peut aussi contenir des rapports, un \
        par sous-dossier (un rapport qui ne doit pas être publié, marqué par \
        A-NE-PAS-PUBLIER.txt, y est laissé de côté, et l'avertissement le nomme). Deux ordres : les communes d'abord, chacune seule, puis les EPCI \
        avec --published-with pour le dossier des communes, puis le territoire avec les \
        deux : chaque commune garde le rapport qu'elle a seule, l'EPCI et le territoire \
        masquent davantage (sur une année de la Somme, les connexions des parents et \
        des agents communaux du territoire) ; ou le territoire d'abord, puis les EPCI avec \
        --published-with DOSSIER_DU_TERRITOIRE, puis chaque commune avec --published-with \
        pour le territoire et pour son EPCI : le territoire garde ses chiffres, mais des \
        communes ne peuvent plus être publiées (code de sortie 3).

        REQUÊTES : chaque tableau est produit à l'exécution par un fichier SQL du dossier \
        Queries/ (modifiable sans recompiler ; un fichier .sql ajouté devient un tableau \
        complémentaire). Par défaut, le dossier Queries/ est cherché dans le dossier courant \
        et ses parents, puis à côté de l'exécutable et de ses parents ; la feuille de style \
        Reports/rapport.css est cherchée à côté de ce dossier.

        DURÉES : avec --log-level info, le temps de chaque requête et du calcul du secret \
        statistique est écrit sur la sortie d'erreur, pour savoir quelle requête retravailler.

        EXEMPLE (le rapport d'une commune) :

          entstat report --db /srv/ent.sqlite --commune 80021 --out rapport-80021

        EXEMPLE (chaque commune, le seuil relevé au besoin, jusqu'à 8 au plus) :

          entstat report --db /srv/ent.sqlite --commune 80289 --min-cell-up-to 8 --out rapport-80289

        EXEMPLE (publiés ensemble, les communes d'abord : chaque commune, chaque EPCI, le territoire) :

          entstat report --db /srv/ent.sqlite --commune 80021 --out communes/80021
          entstat report --db /srv/ent.sqlite --epci "CA Amiens Métropole" --published-with communes --out epci/amiens-metropole
          entstat report --db /srv/ent.sqlite --published-with communes --published-with epci --out territoire

        EXEMPLE (publiés ensemble, le territoire d'abord : le territoire, un EPCI, une de ses communes) :

          entstat report --db /srv/ent.sqlite --out territoire
          entstat report --db /srv/ent.sqlite --epci "CA Amiens Métropole" --published-with territoire --out amiens-metropole
          entstat report --db /srv/ent.sqlite --commune 80021 --published-with territoire --published-with amiens-metropole --out rapport-80021

        CODES DE SORTIE : 0 rapport écrit ; 1 erreur d'usage, de magasin ou de requête ; 3 \
        rapport écrit, mais des effectifs masqués restent déductibles, ou n'ont pu être \
        tous contrôlés : à ne pas publier tel quel ; son dossier contient alors \
        A-NE-PAS-PUBLIER.txt, qui dit pourquoi (le fichier disparaît quand un rapport \
        publiable est écrit dans le même dossier).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Premier jour inclus. Par défaut : premier jour d'activité.", valueName: "AAAA-MM-JJ"))
    var from: String?

    @Option(help: ArgumentHelp("Dernier jour inclus. Par défaut : dernier jour d'activité.", valueName: "AAAA-MM-JJ"))
    var to: String?

    @Option(help: ArgumentHelp("Dossier où écrire rapport.html et les CSV (créé au besoin).", valueName: "DOSSIER"))
    var out: String

    @Option(name: .customLong("min-cell"), parsing: .unconditional, help: ArgumentHelp("Secret statistique : un effectif inférieur à N est affiché « < N » (0 : rien n'est masqué).", valueName: "N"))
    var minCell: Int = 5

    @Option(name: .customLong("min-cell-up-to"), help: ArgumentHelp("Si des effectifs masqués restent déductibles au seuil --min-cell, relève le seuil jusqu'à M au plus, au premier qui l'empêche (par défaut : jamais).", valueName: "M"))
    var minCellUpTo: Int?

    @Option(help: ArgumentHelp("Limite le rapport à une commune (code INSEE).", valueName: "CODE"))
    var commune: String?

    @Option(help: ArgumentHelp("Limite le rapport à un EPCI (nom exact) ; exclut --commune.", valueName: "NOM"))
    var epci: String?

    @Option(name: .customLong("published-with"), help: ArgumentHelp("Dossier d'un rapport avec lequel celui-ci sera publié (celui du territoire, d'un EPCI, d'une commune ; même période, même seuil), ou dossier qui contient de tels rapports : les chiffres qu'ils ont en commun (lignes de communes, d'écoles, d'EPCI) sont masqués ou montrés comme dans ceux-là. Répétable.", valueName: "DOSSIER"))
    var publishedWith: [String] = []

    @Option(help: ArgumentHelp("Dossier des requêtes SQL. " + Installation.queriesDefault, valueName: "DOSSIER"))
    var queries: String?

    @OptionGroup var log: LogLevelOption

    func validate() throws {
        let fromDate = try from.map { try DateOption.parse($0, option: "--from") }
        let toDate = try to.map { try DateOption.parse($0, option: "--to") }
        if let fromDate, let toDate, fromDate > toDate {
            throw ValidationError("--from \(fromDate) est après --to \(toDate)")
        }
        guard minCell >= 0 else { throw ValidationError("--min-cell doit être positif ou nul") }
        if let minCellUpTo {
            guard minCell >= 2 else {
                throw ValidationError("--min-cell-up-to relève un seuil de secret statistique : il demande --min-cell 2 ou plus (ici \(minCell))")
            }
            guard minCellUpTo >= minCell else {
                throw ValidationError("--min-cell-up-to \(minCellUpTo) est sous --min-cell \(minCell) : donnez un seuil au moins égal")
            }
            guard minCellUpTo <= Self.highestMinCell else {
                throw ValidationError("--min-cell-up-to \(minCellUpTo) : au plus \(Self.highestMinCell) (chaque seuil essayé refait le secret statistique et la page)")
            }
        }
        if commune != nil && epci != nil {
            throw ValidationError("--commune et --epci s'excluent : choisissez un seul périmètre")
        }
        if let commune, commune.count != 5 {
            throw ValidationError("--commune « \(commune) » : donnez le code INSEE à 5 caractères (ex. 80021)")
        }
        if let epci, epci.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--epci : donnez le nom de l'EPCI")
        }
        if out.isEmpty { throw ValidationError("--out : donnez un dossier") }
        if !publishedWith.isEmpty {
            guard minCell > 0 else { throw ValidationError("--published-with demande le secret statistique (--min-cell 1 ou plus)") }
            guard minCellUpTo == nil else {
                throw ValidationError("--published-with et --min-cell-up-to s'excluent : les rapports publiés ensemble ont un même seuil ; relevez-le pour tous avec --min-cell")
            }
        }
    }

    func run() throws {
        log.apply()
        guard let queriesDir = queries ?? Installation.locateQueries() else {
            Console.error(ErrorLine.format("Queries/", "dossier de requêtes introuvable ; \(Installation.queriesAdvice)"))
            throw ExitCode.failure
        }
        let cssPath = URL(fileURLWithPath: queriesDir).deletingLastPathComponent().appendingPathComponent("Reports/rapport.css").path
        let fallbackCSS = Installation.locateQueries()
            .map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("Reports/rapport.css").path }
        guard let css = [cssPath, fallbackCSS].compactMap({ $0 }).lazy.compactMap({ try? String(contentsOfFile: $0, encoding: .utf8) }).first else {
            Console.error(ErrorLine.format(cssPath, "feuille de style introuvable ; recopiez le dossier Reports/ livré avec entstat à côté du dossier de requêtes \(queriesDir) (dans le dépôt : « git checkout Reports/ »)"))
            throw ExitCode.failure
        }
        let scope: ReportScope = commune.map { .commune(code: $0) } ?? epci.map { .epci(name: $0) } ?? .everything
        var request = ReportRequest(from: from.flatMap { CivilDate(iso: $0) }, to: to.flatMap { CivilDate(iso: $0) },
                                    minCell: minCell, scope: scope, queriesDirectory: queriesDir, styleSheet: css,
                                    generatedAt: ParisTime.french(epochSeconds: Int64(time(nil))))
        let output: ReportOutput
        var secrecyWarnings: [String] = []
        do {
            request.publishedWith = try PublishedReports(folders: publishedWith)
            if !request.publishedWith.leftOut.isEmpty {
                let leftOut = request.publishedWith.leftOut
                let why = leftOut.count == 1 ? "il ne doit pas être publié tel quel" : "ils ne doivent pas être publiés tels quels"
                Console.warning("--published-with : \(Console.count(leftOut.count, "rapport laissé de côté", "rapports laissés de côté")) "
                    + "(\(why), \(ReportOutput.unpublishableFileName)) : \(leftOut.map { Console.printable($0) }.joined(separator: ", "))")
            }
            let opened = try Store(readingFrom: store.db)
            var builder = try ReportBuilder(store: opened, request: request)
            let line = Progress.start(phase: "calcul du rapport…")
            defer { line?.finish() }
            if let line {
                builder.onQuery = { line.show(phase: "calcul du tableau « \(Console.printable($0)) »…") }
                builder.onSecrecy = { line.show(phase: "secret statistique : cellules à masquer…") }
                builder.onThresholdTry = { line.show(phase: "secret statistique : essai au seuil \($0)…") }
            }
            // (Reports published together have one threshold: no other is tried.)
            output = try builder.buildRaisingMinCell(upTo: minCellUpTo ?? minCell,
                                                     advisingUpTo: publishedWith.isEmpty ? minCell + Self.advisedRaise : minCell)
            line?.finish()
            for note in output.notes { Console.warning("\(store.db) : \(note)") }
            for step in output.timings { Console.info(Self.describe(step)) }
            // What the secrecy could not do: on standard error, and in the report's folder
            // (`ReportOutput.unpublishableFileName`) when the report must not be published.
            if output.uncheckedCells > 0 {
                secrecyWarnings.append("secret statistique : \(Console.count(output.uncheckedCells, "cellule masquée n'a été contrôlée", "cellules masquées n'ont été contrôlées")) que relation par relation, sans le solveur linéaire qui les confronte à toutes les relations à la fois (elles sont trop nombreuses à être liées entre elles, ou le solveur n'a pas abouti) ; une combinaison de relations pourrait en faire retrouver ; ne publiez pas ce rapport tel quel : pour un territoire de cette taille, publiez plutôt les rapports par EPCI ou par commune (--epci, --commune)")
            }
            if output.deducibleUnsolvedCells > 0 {
                secrecyWarnings.append("secret statistique : \(Console.count(output.deducibleUnsolvedCells, "cellule masquée reste déductible", "cellules masquées restent déductibles")) en enchaînant les relations, parmi celles que le solveur linéaire n'a pu traiter, et les relations dont on les déduit n'ont plus de cellule à masquer ; ne publiez pas ce rapport tel quel : publiez plutôt les rapports par EPCI ou par commune (--epci, --commune)")
            }
            if let raised = output.raisedFrom {
                secrecyWarnings.append("secret statistique : seuil relevé de \(raised.minCell) à \(output.minCell) (--min-cell-up-to \(minCellUpTo ?? minCell)) : au seuil \(raised.minCell), \(Console.count(raised.deducibleCells, "cellule masquée restait déductible", "cellules masquées restaient déductibles")) des autres cellules ; le rapport le dit (pied de page et méthodologie)")
            }
            if output.deducibleCells > 0 {
                let advice: String
                if !publishedWith.isEmpty {
                    advice = " : les rapports avec lesquels il sera publié (--published-with) en montrent des chiffres qu'il faudrait masquer ; publiez-le sans eux, ou écrivez-les tous à un seuil plus haut (--min-cell)"
                } else if let publishable = output.publishableMinCell {
                    advice = " ; au seuil \(publishable), aucune ne l'est : relancez avec --min-cell \(publishable) (ou --min-cell-up-to \(publishable), qui ne relève le seuil que si besoin)"
                } else {
                    advice = " : allongez la période ou élargissez le territoire" + (output.triedUpTo.map { " (aucun seuil jusqu'à \($0) ne l'empêche)" } ?? "")
                }
                secrecyWarnings.append("secret statistique : \(Console.count(output.deducibleCells, "cellule masquée reste déductible", "cellules masquées restent déductibles")) des autres cellules, et aucune autre cellule à masquer ne l'empêche (par exemple quatre communes à « < \(minCell) » agents chacune, leur total à « < \(minCell) » aussi : chacune en a 1) ; ne publiez pas ce rapport tel quel\(advice)")
            }
            for line in secrecyWarnings { Console.warning(line) }
        } catch AnalystQuery.Failure.sql(_, _, let error) where error.storeProblem != nil {
            Console.storeError(store.db, error)
            throw ExitCode.failure
        } catch let error as AnalystQuery.Failure {
            Console.error("\(error) ; corrigez la requête ou restaurez-la depuis le dossier Queries/ livré avec entstat (dans le dépôt : « git checkout Queries/ »)")
            throw ExitCode.failure
        } catch let error as QueryLibrary.Failure {
            Console.error("\(error)")
            throw ExitCode.failure
        } catch let error as ReportError {
            Console.error("\(error)")
            throw ExitCode.failure
        } catch {
            Console.storeError(store.db, error)
            throw ExitCode.failure
        }
        do throws(AtomicFile.Failure) {
            try AtomicFile.makeFolder(out)
            // First, what says the report must not be published (or, for a report now fit
            // to publish, its stale copy removed): a folder left incomplete by a failure is
            // never taken for a publishable report.
            let marker = out + "/" + ReportOutput.unpublishableFileName
            if output.mustNotBePublished {
                try AtomicFile.write(Self.unpublishableNote(secrecyWarnings, generatedAt: request.generatedAt), to: marker)
            } else {
                try AtomicFile.remove(marker)
            }
            // The page last: a report folder whose rapport.html is there is complete.
            for file in output.csvFiles { try AtomicFile.write(file.content, to: out + "/" + file.name) }
            let htmlPath = out + "/" + ReportOutput.htmlFileName
            try AtomicFile.write(output.html, to: htmlPath)
            Console.out("rapport du \(output.from) au \(output.to) : \(Console.count(output.tables.count, "tableau CSV", "tableaux CSV"))")
            Console.out("rapport écrit : \(URL(fileURLWithPath: htmlPath).standardizedFileURL.path)")
        } catch {
            Console.error("\(error)")
            throw ExitCode.failure
        }
        // Written, for the analyst to look at, but not to be published as it is.
        if output.mustNotBePublished { throw ExitCode(3) }
    }

    /// The text of `ReportOutput.unpublishableFileName`: why the report in its folder must
    /// not be published as it is (the secrecy's warnings, as on standard error).
    static func unpublishableNote(_ warnings: [String], generatedAt: String) -> String {
        "Ce rapport (écrit le \(generatedAt)) ne doit pas être publié tel quel : entstat report l'a écrit pour l'analyste, "
            + "avec le code de sortie 3. Un rapport écrit avec --published-with laisse de côté un rapport de ce dossier.\n\n"
            + warnings.map { $0 + "\n" }.joined()
    }

    /// How far above `--min-cell` the report is built again, when hidden cells stay
    /// deducible, to advise the threshold that prevents it (each try rebuilds the secrecy and the
    /// page from the first build's query results).
    static let advisedRaise = 5

    /// The highest threshold `--min-cell-up-to` may try.
    static let highestMinCell = 20

    /// One line of `--log-level info`: « tableau « ecoles » : 3,21 s (de 12,04 à 15,25 s) »,
    /// « secret statistique (pivots du solveur en AVX-512, sur deux fils d'exécution) : 1,80 s
    /// (de 0,40 à 2,20 s) ».
    static func describe(_ step: ReportOutput.StepTiming) -> String {
        let what: String
        switch step.kind {
        case .table(let name): what = "tableau « \(name) »"
        case .secrecy: what = "secret statistique (pivots du solveur en \(SimplexKernel.current.label), sur \(SimplexTeam.label))"
        }
        let seconds = { (value: Double) in FrenchText.decimal(value, digits: 2) }
        return "\(what) : \(seconds(step.seconds)) s (de \(seconds(step.start)) à \(seconds(step.start + step.seconds)) s)"
    }
}
