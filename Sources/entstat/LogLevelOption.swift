import ArgumentParser
import Logging

/// `--log-level`, shared by the commands that log more than warnings on request.
struct LogLevelOption: ParsableArguments {
    @Option(name: .customLong("log-level"), help: ArgumentHelp("Niveau de journalisation sur la sortie d'erreur : trace, debug, info, notice, warning (défaut), error, critical. Aussi : variable ENTSTAT_LOG_LEVEL.", valueName: "niveau"))
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
