import ArgumentParser
import Foundation
import EntStat

/// The `entstat` command: adoption statistics of a primary-school ENT from its usage logs.
@main
struct EntStatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entstat",
        abstract: "Statistiques d'usage d'un ENT du premier degré, calculées depuis ses journaux.",
        discussion: """
        Commencez par « entstat ingest », puis lancez « entstat export » ou « entstat \
        report ». « entstat status » dit ce que le magasin contient et ce qui manque.

        CODES DE SORTIE : 0 succès ; 1 erreur d'usage, de configuration ou de magasin ; \
        2 (ingest) au moins un fichier en échec ; 3 (status) lacune à examiner, (report) rapport \
        écrit mais à ne pas publier tel quel : des effectifs masqués restent déductibles.
        """,
        version: EntStatVersion.current,
        subcommands: [IngestCommand.self, StatusCommand.self, PurgeCommand.self, RotateSecretCommand.self, ExportCommand.self, ReportCommand.self, QueryCommand.self, RulesCommand.self, SimulateCommand.self]
    )

    /// The names of the subcommands.
    static var subcommandNames: [String] { configuration.subcommands.map { $0._commandName } }

    /// The help page a usage error points at: the subcommand's when the command line
    /// names one (« entstat export --help »), the general one otherwise.
    static func helpHint(_ arguments: [String]) -> String {
        if let first = arguments.first, subcommandNames.contains(first) { return "« entstat \(first) --help »" }
        return "« entstat --help »"
    }

    /// ArgumentParser's options whose output is read by programs, not people: a shell's
    /// completion script (`--generate-completion-script bash`) and the JSON description of
    /// a command (`--experimental-dump-help`). `HelpPage` must leave their text as it is.
    static let outputForProgramsOptions = ["--generate-completion-script", "--experimental-dump-help"]

    /// True when the command line asks for output read by programs
    /// (`outputForProgramsOptions`, alone or as `--option=value`).
    static func wantsOutputForPrograms(_ arguments: [String]) -> Bool {
        arguments.contains { argument in
            outputForProgramsOptions.contains { argument == $0 || argument.hasPrefix($0 + "=") }
        }
    }

    /// Runs the command; usage errors exit with status 1 (SPEC §3), not ArgumentParser's 64.
    static func main() {
        Log.checkEnvironment()
        let arguments = Array(CommandLine.arguments.dropFirst())
        // ArgumentParser prints the general help for `help nosuch` and exits 0, and calls
        // `entstat nosuch` an unexpected argument: both are an unknown subcommand.
        let named = arguments.first == "help" ? arguments.dropFirst().first : arguments.first
        if let named, !named.hasPrefix("-"), !(subcommandNames + ["help"]).contains(named) {
            Console.error("sous-commande inconnue « \(named) » ; choisissez parmi \(subcommandNames.joined(separator: ", ")) ; voir « entstat --help »")
            exit(withError: ExitCode.failure)
        }
        do {
            var command = try parseAsRoot()
            // ArgumentParser keeps the last value of an option given twice, silently.
            if let repeated = RepeatedOption.first(in: arguments, of: type(of: command)) {
                Console.error("\(repeated.message) ; voir \(helpHint(arguments))")
                exit(withError: ExitCode.failure)
            }
            try command.run()
            // A full disk behind `> file` must not end a cron job with 0 (SPEC §3).
            if let failure = Console.outputFailureMessage {
                Console.error(failure)
                exit(withError: ExitCode.failure)
            }
        } catch {
            // ArgumentParser lays out its help to find an error's exit code (and message), at
            // the width it reads from COLUMNS or the terminal, and a debug build stops on a
            // width narrower than its option column (26): the help is wrapped here anyway
            // (`HelpPage`), at the width read before.
            let columns = HelpPage.terminalColumns
            if columns < HelpPage.narrowestForArgumentParser { setenv("COLUMNS", "\(HelpPage.unwrapped)", 1) }
            let code = exitCode(for: error)
            if code == .success && wantsOutputForPrograms(arguments) {
                // A shell's completion script, or the JSON description of the commands:
                // read by programs, printed as ArgumentParser writes them (wrapped, neither
                // parsed: bash stopped on a comment cut in two, JSON on a string).
                Console.write(1, fullMessage(for: error, columns: HelpPage.unwrapped) + "\n")
                exit(withError: error is ExitCode ? error : ExitCode.success)
            }
            if code == .success {
                // `--help`, `help <subcommand>`, `--version`: printed here, in French.
                Console.write(1, HelpPage.render(fullMessage(for: error, columns: HelpPage.unwrapped), columns: columns) + "\n")
                exit(withError: error is ExitCode ? error : ExitCode.success)
            }
            if code == .validationFailure {
                // One line, like every other error of the tool.
                let message = message(for: error).split(whereSeparator: \.isNewline).map { ParserMessage.french(String($0)) }.joined(separator: " ; ")
                Console.error("\(message) ; voir \(helpHint(arguments))")
                exit(withError: ExitCode.failure)
            }
            exit(withError: error)
        }
    }
}
