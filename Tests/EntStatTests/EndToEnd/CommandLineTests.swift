import Foundation
import Testing

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

    /// A level `ENTSTAT_LOG_LEVEL` does not know is said in one line (the command runs on
    /// at the default level), like `--log-level` refuses it.
    @Test func anUnknownLogLevelInTheEnvironmentIsSaid() throws {
        let dir = try E2E.scratch()
        let r = try E2E.run(["rules"], in: dir, environment: ["ENTSTAT_LOG_LEVEL": "bogus"])
        #expect(r.status == 0)
        #expect(r.stderr == "entstat: attention : ENTSTAT_LOG_LEVEL « bogus » inconnu, niveau « warning » gardé ; choisissez parmi trace, debug, info, notice, warning, error, critical\n", "\(r.stderr)")
        #expect(try E2E.run(["rules"], in: dir, environment: ["ENTSTAT_LOG_LEVEL": "error"]).stderr.isEmpty)
    }

    /// The help pages say the truth: `simulate --jobs` has no second default, `--queries`
    /// says where the folder is looked for, `--secret` says how its default is made.
    @Test func helpPagesSayWhatTheCodeDoes() throws {
        let dir = try E2E.scratch()
        func help(_ command: String) throws -> String {
            try E2E.run([command, "--help"], in: dir).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let simulate = try help("simulate")
        #expect(simulate.contains("Nombre de fils de travail (par défaut : nombre de cœurs). --"), "\(simulate)")
        for command in ["purge", "report"] {
            let text = try help(command)
            #expect(text.contains("Par défaut : le premier dossier Queries/ trouvé dans le dossier courant ou l'un de ses parents, sinon à côté de l'exécutable ou dans l'un de ses parents."), "\(command): \(text)")
            #expect(!text.contains("du dépôt"), "\(command)")
        }
        #expect(try help("ingest").contains("Par défaut : le chemin du magasin, son extension remplacée par .secret (entstat.sqlite → entstat.secret ; sans extension, .secret est ajouté)."))
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
        #expect(noStyle.stderr == "entstat: \(bin.path)/Reports/rapport.css: -: feuille de style introuvable ; recopiez le dossier Reports/ livré avec entstat à côté du dossier de requêtes \(bin.path)/Queries (dans le dépôt : « git checkout Reports/ »)\n", "\(noStyle.stderr)")
        let reports = URL(fileURLWithPath: ReportFixture.queriesDirectory).deletingLastPathComponent().appendingPathComponent("Reports")
        try FileManager.default.copyItem(at: reports, to: bin.appendingPathComponent("Reports"))
        let report = try shell("entstat report --db s.sqlite --out r")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("r/rapport.html").path))
    }
}
