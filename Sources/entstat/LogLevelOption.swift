import ArgumentParser
import Logging

/// `--log-level`, shared by the commands that log more than warnings on request.
struct LogLevelOption: ParsableArguments {
    @Option(name: .customLong("log-level"), help: ArgumentHelp("Niveau de détail des messages sur la sortie d'erreur : trace, debug, info, notice, warning (par défaut), error, critical. La variable ENTSTAT_LOG_LEVEL a le même effet ; une valeur inconnue n'y provoque qu'un avertissement.", valueName: "NIVEAU"))
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level « \(logLevel) » inconnu ; choisissez parmi \(Log.levelNames)")
        }
    }

    /// Sets the process's level when the option is given.
    func apply() {
        Log.setLevel(logLevel)
    }
}
