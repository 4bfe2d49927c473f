import Foundation
import Testing
import EntStat

/// The messages of a bad command line: one French line that says what is wrong and points
/// at the help page of the subcommand at fault.
@Suite("Command line")
struct CommandLineTests {
    /// A negative number is checked by the command (ArgumentParser took `-1` for an option
    /// and said « valeur manquante »), and the help pointed at is the subcommand's.
    @Test func negativeNumbersGetTheCommandsOwnMessage() throws {
        let dir = try E2E.scratch()
        let cases: [([String], String)] = [
            (["export", "--period", "all", "--min-cell", "-1"], "--min-cell doit être positif ou nul ; voir « entstat export --help »"),
            (["report", "--out", "r", "--min-cell", "-1"], "--min-cell doit être positif ou nul ; voir « entstat report --help »"),
            (["status", "--silence-days", "-3"], "--silence-days doit être positif ou nul ; voir « entstat status --help »"),
            (["status", "--volume-ratio", "-0.5"], "--volume-ratio doit être entre 0 et 1 ; voir « entstat status --help »"),
            (["status", "--neighbour-ratio", "2"], "--neighbour-ratio doit être entre 0 et 1 ; voir « entstat status --help »"),
            (["ingest", "--lock-timeout", "-5"], "--lock-timeout doit être positif ou nul ; voir « entstat ingest --help »"),
            (["purge", "--keep-months", "-1"], "--keep-months doit être compris entre 1 et 1200 ; voir « entstat purge --help »"),
            (["simulate", "--out", "x", "--activity", "-1"], "--activity doit être strictement positif (au plus 100) ; voir « entstat simulate --help »"),
            (["simulate", "--out", "x", "--seed", "-1"], "valeur « -1 » invalide pour « --seed <N> » ; voir « entstat simulate --help »"),
        ]
        for (arguments, message) in cases {
            let r = try E2E.run(arguments, in: dir)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stderr == "entstat: " + message + "\n", "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }

    /// A date of the right shape whose day the month lacks is named as such.
    @Test func aDayTheMonthLacksIsNamed() throws {
        let dir = try E2E.scratch()
        let export = try E2E.run(["export", "--period", "all", "--from", "2019-02-29"], in: dir)
        #expect(export.status == 1)
        #expect(export.stderr == "entstat: --from « 2019-02-29 » : le 29 février 2019 n'existe pas (février 2019 compte 28 jours) ; voir « entstat export --help »\n", "\(export.stderr)")
        let simulate = try E2E.run(["simulate", "--out", "x", "--to", "2018-04-31"], in: dir)
        #expect(simulate.stderr == "entstat: --to « 2018-04-31 » : le 31 avril 2018 n'existe pas (avril 2018 compte 30 jours) ; voir « entstat simulate --help »\n", "\(simulate.stderr)")
        // 2020 is a leap year.
        #expect(try E2E.run(["simulate", "--out", "x", "--from", "2020-02-29", "--to", "2020-02-28"], in: dir).stderr.contains("postérieure"))
    }

    /// `simulate` refuses a --to after tomorrow, the last day `ingest` accepts records of
    /// (later ones are a server clock set ahead): it wrote logs whose lines ingest rejected.
    @Test func simulateRefusesDaysIngestWouldReject() throws {
        let dir = try E2E.scratch()
        let limit = CivilDate(dayNumber: LogIngester.lastAcceptedDay())
        let after = CivilDate(dayNumber: limit.dayNumber + 1)
        let r = try E2E.run(["simulate", "--out", "x", "--schools", "1", "--from", "\(limit)", "--to", "\(after)"], in: dir)
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stderr == "entstat: --to (\(after)) est postérieure au \(limit), dernier jour qu'« entstat ingest » accepte aujourd'hui (le lendemain de l'ingestion) ; choisissez un --to au plus tard le \(limit) ; voir « entstat simulate --help »\n", "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
        // The limit itself is fine, and ingest takes what it wrote.
        let fine = try E2E.run(["simulate", "--out", "y", "--schools", "1", "--from", "\(CivilDate(dayNumber: limit.dayNumber - 2))", "--to", "\(limit)"], in: dir)
        #expect(fine.status == 0, "\(fine.stderr)")
        let ingest = try E2E.run(["ingest", "--db", "s.sqlite", "--quiet", "y/logs"], in: dir)
        #expect(ingest.status == 0 && !ingest.stderr.contains("lendemain"), "\(ingest.stderr)")
    }

    /// `help nosuch` and `nosuch` are errors (exit 1), not the general help with exit 0.
    @Test func anUnknownSubcommandIsAnError() throws {
        let dir = try E2E.scratch()
        for arguments in [["help", "nosuch"], ["nosuch"], ["logs/a.gz"]] {
            let r = try E2E.run(arguments, in: dir)
            #expect(r.status == 1, "\(arguments)")
            #expect(r.stdout.isEmpty, "\(arguments): \(r.stdout)")
            #expect(r.stderr.hasPrefix("entstat: sous-commande inconnue « \(arguments.last!) » ; choisissez parmi ingest, status,"), "\(r.stderr)")
            #expect(r.stderr.hasSuffix(" ; voir « entstat --help »\n") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        let help = try E2E.run(["help", "help"], in: dir)
        #expect(help.status == 0 && help.stdout.contains("Affiche l'aide d'une sous-commande.") && !help.stdout.contains("subcommand"), "\(help.stdout)")
    }

    /// A shell's completion script and the JSON description of a command are printed as
    /// ArgumentParser writes them, whatever the terminal's width: wrapped like a help page,
    /// bash refused the script (a comment cut in two) and the JSON did not parse (a string
    /// cut in two).
    @Test func outputForProgramsIsNotWrapped() throws {
        let dir = try E2E.scratch()
        for arguments in [["--generate-completion-script", "bash"], ["--generate-completion-script=bash"]] {
            let script = try E2E.run(arguments, in: dir, environment: ["COLUMNS": "40"])
            #expect(script.status == 0 && script.stderr.isEmpty, "\(script.stderr)")
            #expect(script.stdout.contains("_entstat()") && script.stdout.contains("\n# - repeating_flags: the repeating flags that the current (sub)command can accept\n"), "\(script.stdout.prefix(2_000))")
            let file = dir.appendingPathComponent("entstat.bash")
            try script.stdout.write(to: file, atomically: true, encoding: .utf8)
            let bash = try E2E.run(["-n", file.path], in: dir, program: URL(fileURLWithPath: "/bin/bash"))
            #expect(bash.status == 0 && bash.stderr.isEmpty, "bash -n: \(bash.stderr)")
        }
        let dump = try E2E.run(["ingest", "--experimental-dump-help"], in: dir, environment: ["COLUMNS": "40"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let command = json?["command"] as? [String: Any]
        #expect(command?["abstract"] as? String == "Ingère des journaux et charge des référentiels dans le magasin.", "\(dump.stdout.prefix(500))")
        // A help page is still wrapped to the terminal.
        let narrow = try E2E.run(["ingest", "--help"], in: dir, environment: ["COLUMNS": "40"])
        let wide = try E2E.run(["ingest", "--help"], in: dir, environment: ["COLUMNS": "200"])
        #expect(narrow.status == 0 && wide.status == 0)
        #expect(narrow.stdout.split(separator: "\n").count > wide.stdout.split(separator: "\n").count + 20)
    }

    /// A level `ENTSTAT_LOG_LEVEL` does not know is said in one line (the command runs on
    /// at the default level), like `--log-level` refuses it.
    @Test func anUnknownLogLevelInTheEnvironmentIsSaid() throws {
        let dir = try E2E.scratch()
        let r = try E2E.run(["rules"], in: dir, environment: ["ENTSTAT_LOG_LEVEL": "bogus"])
        #expect(r.status == 0)
        #expect(r.stderr == "entstat: attention : ENTSTAT_LOG_LEVEL « bogus » inconnu, niveau « warning » gardé ; choisissez parmi trace, debug, info, notice, warning, error, critical\n", "\(r.stderr)")
        #expect(try E2E.run(["rules"], in: dir, environment: ["ENTSTAT_LOG_LEVEL": "error"]).stderr.isEmpty)
    }

    /// So are a kernel `ENTSTAT_SIMPLEX_KERNEL` does not name and a count of threads
    /// `ENTSTAT_SIMPLEX_THREADS` does not take (the widest kernel, and the threads the
    /// machine has, are kept); 1 thread, or a kernel the machine runs, is said nothing of.
    @Test func anUnknownSolverSettingInTheEnvironmentIsSaid() throws {
        let dir = try E2E.scratch()
        let r = try E2E.run(["rules"], in: dir, environment: ["ENTSTAT_SIMPLEX_KERNEL": "sse9", "ENTSTAT_SIMPLEX_THREADS": "3"])
        #expect(r.status == 0)
        let kernels = SimplexKernel.allCases.filter(\.isAvailable).map(\.rawValue).joined(separator: ", ")
        #expect(r.stderr == """
            entstat: attention : ENTSTAT_SIMPLEX_KERNEL « sse9 » inconnu ou que ce processeur n'exécute pas, \(SimplexKernel.best.rawValue) gardé ; choisissez parmi \(kernels)
            entstat: attention : ENTSTAT_SIMPLEX_THREADS « 3 » inconnu, pivots du solveur sur \(SimplexTeam.label) ; choisissez 1 ou 2

            """, "\(r.stderr)")
        let quiet = try E2E.run(["rules"], in: dir, environment: ["ENTSTAT_SIMPLEX_KERNEL": "scalar", "ENTSTAT_SIMPLEX_THREADS": "1"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    /// `report --log-level info` says how long each query and the secrecy took, one line
    /// each, in the order they started, the secrecy after every query; the default level
    /// and `--min-cell 0` say nothing of it (and nothing of a secrecy not applied); an
    /// unknown level is refused as `ingest` refuses it.
    @Test func theReportTimesEachTableAtLevelInfo() throws {
        let dir = try E2E.scratch()
        try E2E.writeGzip(FailureSafetyTests.eventLines(user: "a", count: 30).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("a.gz"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "a.gz"], in: dir).status == 0)
        let report = ["report", "--db", "s.sqlite", "--out", "r", "--queries", ReportFixture.queriesDirectory]
        let quiet = try E2E.run(report, in: dir)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        // « entstat: info : tableau « x » : 0,12 s (de 1,50 à 1,62 s) », in hundredths.
        func steps(_ stderr: String) -> [(what: String, seconds: Int, start: Int, end: Int)] {
            stderr.split(separator: "\n").compactMap { line in
                guard line.hasPrefix("entstat: info : ") else { return nil }
                let text = line.dropFirst("entstat: info : ".count)
                guard let colon = text.range(of: " : ", options: .backwards) else { return nil }
                let numbers = text[colon.upperBound...].split(whereSeparator: { !$0.isNumber && $0 != "," })
                    .map { Int($0.replacingOccurrences(of: ",", with: "")) ?? -1 }
                guard numbers.count == 3 else { return nil }
                return (String(text[..<colon.lowerBound]), numbers[0], numbers[1], numbers[2])
            }
        }
        let timed = try E2E.run(report + ["--log-level", "info"], in: dir)
        #expect(timed.status == 0)
        let lines = timed.stderr.split(separator: "\n")
        let found = steps(timed.stderr)
        #expect(found.count == lines.count, "\(timed.stderr)")
        // The 18 tables, the previous period's synthesis, then the secrecy.
        #expect(found.count == 20, "\(timed.stderr)")
        #expect(found.filter { $0.what.hasPrefix("tableau « ") }.count == 19)
        #expect(found.contains { $0.what == "tableau « synthese_roles_periode_precedente »" })
        #expect(found.contains { $0.what == "tableau « communes_parents_services »" })
        // The secrecy's line names the solver's kernel, the one this machine runs.
        #expect(found.last?.what == "secret statistique (pivots du solveur en \(SimplexKernel.current.label), sur \(SimplexTeam.label))", "\(timed.stderr)")
        // And the threads its pivots run on: one, when the environment says so.
        let alone = try E2E.run(report + ["--log-level", "info"], in: dir, environment: ["ENTSTAT_SIMPLEX_THREADS": "1"])
        #expect(steps(alone.stderr).last?.what == "secret statistique (pivots du solveur en \(SimplexKernel.current.label), sur un fil d'exécution)", "\(alone.stderr)")
        for step in found {
            // The end is the start plus the time, each rounded to a hundredth.
            #expect(step.start >= 0 && abs(step.end - step.start - step.seconds) <= 1, "\(step)")
        }
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.start <= $1.start }, "\(timed.stderr)")
        let lastEnd = found.dropLast().map(\.end).max() ?? 0
        #expect(found.last!.start + 1 >= lastEnd, "\(timed.stderr)")
        let open = try E2E.run(report + ["--log-level", "info", "--min-cell", "0"], in: dir)
        #expect(steps(open.stderr).count == 19 && !open.stderr.contains("secret statistique"), "\(open.stderr)")
        let bogus = try E2E.run(report + ["--log-level", "bavard"], in: dir)
        #expect(bogus.status == 1)
        #expect(bogus.stderr == "entstat: --log-level « bavard » inconnu ; choisissez parmi trace, debug, info, notice, warning, error, critical ; voir « entstat report --help »\n", "\(bogus.stderr)")
    }

    /// The help pages say the truth: `simulate --jobs` has no second default, `--queries`
    /// says where the folder is looked for, `--secret` says how its default is made, the
    /// main page names every exit code.
    @Test func helpPagesSayWhatTheCodeDoes() throws {
        let dir = try E2E.scratch()
        func help(_ command: String) throws -> String {
            try E2E.run([command, "--help"], in: dir).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let simulate = try help("simulate")
        #expect(simulate.contains("Nombre de fils d'exécution (par défaut : nombre de cœurs). --"), "\(simulate)")
        for command in ["purge", "report"] {
            let text = try help(command)
            #expect(text.contains("Par défaut : le premier dossier Queries/ trouvé dans le dossier courant ou l'un de ses parents, sinon à côté de l'exécutable ou dans l'un de ses parents."), "\(command): \(text)")
            #expect(!text.contains("du dépôt"), "\(command)")
        }
        #expect(try help("ingest").contains("Par défaut : le chemin du magasin, son extension remplacée par .secret (entstat.sqlite → entstat.secret ; sans extension, .secret est ajouté)."))
        // The main page lists every exit code a subcommand gives, the report's 3 too.
        let main = try E2E.run(["--help"], in: dir).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(main.contains("3 (status) lacune à examiner, (report) rapport écrit mais à ne pas publier tel quel : des effectifs masqués restent déductibles."), "\(main)")
    }

    /// An installed entstat run by its name through PATH finds the Queries/ folder beside
    /// it (it looked beside « entstat » taken as a path in the current folder), and a
    /// missing style sheet gets advice that works outside the repository.
    @Test func anInstalledBinaryFindsItsFilesThroughPath() throws {
        let dir = try E2E.scratch()
        let bin = dir.appendingPathComponent("opt/entstat")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: E2E.binary, to: bin.appendingPathComponent("entstat"))
        try FileManager.default.copyItem(atPath: ReportFixture.queriesDirectory, toPath: bin.appendingPathComponent("Queries").path)
        let work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try NightlyTests.writeDays(work, days: 1)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        func shell(_ command: String) throws -> E2E.Run {
            let sh = Process()
            sh.executableURL = URL(fileURLWithPath: "/bin/sh")
            sh.arguments = ["-c", command]
            sh.currentDirectoryURL = work
            sh.environment = ProcessInfo.processInfo.environment.merging(["PATH": path]) { $1 }
            let err = Pipe()
            sh.standardError = err
            sh.standardOutput = FileHandle.nullDevice
            try sh.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            sh.waitUntilExit()
            return E2E.Run(status: sh.terminationStatus, stdout: "", stderr: text)
        }
        #expect(try shell("entstat ingest --db s.sqlite --quiet logs").status == 0)
        let noStyle = try shell("entstat report --db s.sqlite --out r")
        #expect(noStyle.status == 1)
        #expect(noStyle.stderr == "entstat: \(bin.path)/Reports/rapport.css: - : feuille de style introuvable ; recopiez le dossier Reports/ livré avec entstat à côté du dossier de requêtes \(bin.path)/Queries (dans le dépôt : « git checkout Reports/ »)\n", "\(noStyle.stderr)")
        let reports = URL(fileURLWithPath: ReportFixture.queriesDirectory).deletingLastPathComponent().appendingPathComponent("Reports")
        try FileManager.default.copyItem(at: reports, to: bin.appendingPathComponent("Reports"))
        let report = try shell("entstat report --db s.sqlite --out r")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("r/rapport.html").path))
    }
}
