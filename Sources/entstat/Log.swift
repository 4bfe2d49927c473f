import EntStat
import Foundation
import Logging

/// The process-wide logger (swift-log). Every diagnostic goes to standard error as one
/// line: `entstat: <message>` for errors, `entstat: attention : <message>` for warnings,
/// `entstat: info : <message>` (and `débogage`) for the chattier levels, with metadata
/// appended as `[clé=valeur]`.
///
/// The level is `warning` by default; `ENTSTAT_LOG_LEVEL` (trace, debug, info, notice,
/// warning, error, critical) or a command's `--log-level` changes it.
enum Log {
    /// The logger of the `entstat` executable, bootstrapped on first use.
    nonisolated(unsafe) static var logger: Logger = {
        LoggingSystem.bootstrap { label in StandardErrorLineHandler(label: label) }
        var logger = Logger(label: "entstat")
        logger.logLevel = ProcessInfo.processInfo.environment["ENTSTAT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    /// Warns, in one line, of an `ENTSTAT_LOG_LEVEL` that names no level (the default,
    /// warning, is kept), or an `ENTSTAT_SIMPLEX_KERNEL` that names no kernel this processor
    /// runs (the widest is kept), or an `ENTSTAT_SIMPLEX_THREADS` other than 1 or 2: a typo
    /// in a crontab must not go unnoticed, nor stop the night's run.
    static func checkEnvironment() {
        let environment = ProcessInfo.processInfo.environment
        if let name = environment["ENTSTAT_LOG_LEVEL"], Logger.Level(rawValue: name) == nil {
            logger.warning("ENTSTAT_LOG_LEVEL « \(name) » inconnu, niveau « warning » gardé ; choisissez parmi \(levelNames)")
        }
        // A diagnostic: every kernel gives the same report (`SimplexKernel`).
        if let named = SimplexKernel.named(in: environment), named.kernel == nil {
            let names = SimplexKernel.allCases.filter(\.isAvailable).map(\.rawValue).joined(separator: ", ")
            logger.warning("\(SimplexKernel.environmentVariable) « \(named.name) » inconnu ou que ce processeur n'exécute pas, \(SimplexKernel.current.rawValue) gardé ; choisissez parmi \(names)")
        }
        if SimplexTeam.threads(in: environment) == 0 {
            logger.warning("\(SimplexTeam.environmentVariable) « \(environment[SimplexTeam.environmentVariable] ?? "") » inconnu, pivots du solveur sur \(SimplexTeam.label) ; choisissez 1 ou 2")
        }
    }

    /// Sets the level from an option value; nil keeps the current one.
    static func setLevel(_ name: String?) {
        guard let name, let level = Logger.Level(rawValue: name) else { return }
        logger.logLevel = level
    }

    /// Level names accepted by `--log-level`.
    static let levelNames = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
}

/// Writes each log event to standard error in one line (see `Log`).
struct StandardErrorLineHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix: String
        switch event.level {
        case .critical, .error: prefix = "entstat: "
        case .warning: prefix = "entstat: attention : "
        case .notice, .info: prefix = "entstat: info : "
        case .debug, .trace: prefix = "entstat: débogage : "
        }
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let suffix = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "[\($0.key)=\($0.value)]" }.joined(separator: " ")
        // One line whatever the message holds: a name's line break or escape sequence shows
        // escaped (`Console.printable`).
        let text = Console.printable(event.message.description + suffix)
        Progress.current?.clearLine()
        Console.write(2, prefix + text + "\n")
        Progress.current?.redrawIfDue()
    }
}
