import EntStat
import Foundation

/// Where `report` and `purge` find the files installed with entstat: the query folder
/// `Queries/` and the style sheet `Reports/rapport.css` beside it.
enum Installation {
    /// The folder of the running executable, symbolic links resolved. From
    /// `/proc/self/exe`: `argv[0]` is a bare name when entstat is found through `PATH`,
    /// which made « beside the executable » mean the current folder.
    static var executableDirectory: String {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        let exe = FileManager.default.fileExists(atPath: proc.path) ? proc : URL(fileURLWithPath: CommandLine.arguments[0])
        return exe.resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// The query folder found by default (see `QueryLibrary.locate`), or nil.
    static func locateQueries() -> String? {
        QueryLibrary.locate(executablePath: executableDirectory, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// How the default query folder is found, for `--queries`'s help.
    static let queriesDefault = "Par défaut : le premier dossier Queries/ trouvé dans le dossier courant ou l'un de ses parents, sinon à côté de l'exécutable ou dans l'un de ses parents."

    /// What to do when no query folder is found.
    static let queriesAdvice = "lancez la commande depuis le dépôt entstat, installez le dossier Queries/ livré avec entstat à côté de l'exécutable, ou indiquez --queries DOSSIER"
}
