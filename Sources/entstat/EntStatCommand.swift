import ArgumentParser
import Foundation
import EntStat

/// The `entstat` command: adoption statistics of a primary-school ENT from its usage logs.
@main
struct EntStatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entstat",
        abstract: "Statistiques d'usage d'un ENT du premier degré, à partir de ses journaux.",
        discussion: """
        Flux : octets → lignes → enregistrements → faits attribués → magasin SQLite → SQL → rapport.
        Commencez par « entstat ingest », puis « entstat export » ou « entstat report ».
        """,
        version: EntStatVersion.current,
        subcommands: [IngestCommand.self, StatusCommand.self, PurgeCommand.self, RotateSecretCommand.self, ExportCommand.self, ReportCommand.self, QueryCommand.self, RulesCommand.self, SimulateCommand.self]
    )

    /// Runs the command; usage errors exit with status 1 (SPEC §3), not ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            // A full disk behind `> file` must not end a cron job with 0 (SPEC §3).
            if let failure = Console.outputFailureMessage {
                Console.error(failure)
                exit(withError: ExitCode.failure)
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // `--help`, `help <subcommand>`, `--version`: printed here, in French.
                Console.write(1, ParserMessage.frenchHelp(fullMessage(for: error)) + "\n")
                exit(withError: error is ExitCode ? error : ExitCode.success)
            }
            if code == .validationFailure {
                // One line, like every other error of the tool.
                let message = message(for: error).split(whereSeparator: \.isNewline).map { ParserMessage.french(String($0)) }.joined(separator: " ; ")
                Console.error("\(message) ; voir « entstat --help »")
                exit(withError: ExitCode.failure)
            }
            exit(withError: error)
        }
    }
}
