#if canImport(Glibc)
import Glibc
#endif
import EntStat

/// Writes a whole output file at once: into a temporary file beside it, then renamed over
/// it, so a reader never sees half a file; errors name the file and say why in French
/// (the report's HTML and CSV files, the JSON summary of a run).
enum AtomicFile {
    /// Why a file could not be written.
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { ErrorLine.format(path, "écriture impossible (\(reason)) ; vérifiez le dossier et ses droits") }
    }

    static func write(_ text: String, to path: String) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: SystemErrorText.current()) }
        var failure = Array(text.utf8).withUnsafeBytes { Console.writeAll(fd, $0) }
        if close(fd) != 0 && failure == nil { failure = errno }
        if failure == nil && rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw Failure(path: path, reason: SystemErrorText.french(failure))
        }
    }

    /// Removes a file if it is there.
    static func remove(_ path: String) throws(Failure) {
        guard unlink(path) == 0 || errno == ENOENT else { throw Failure(path: path, reason: SystemErrorText.current()) }
    }

    /// Creates a folder and the missing ones above it (`mkdir -p`).
    static func makeFolder(_ path: String) throws(Failure) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            var st = stat()
            if stat(prefix, &st) != 0 {
                guard mkdir(prefix, 0o755) == 0 || errno == EEXIST else {
                    throw Failure(path: prefix, reason: SystemErrorText.current())
                }
            } else if (st.st_mode & S_IFMT) != S_IFDIR {
                throw Failure(path: prefix, reason: "ce n'est pas un dossier")
            }
            prefix += "/"
        }
    }

    /// True when `path` can be created or replaced: its folder exists (or can be created)
    /// and is writable, and the path is not a folder. For options checked before a run.
    static func canWrite(_ path: String) -> Bool {
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { return false }
        var folder = Store.folder(of: path)
        // The nearest existing folder must be writable (the missing ones are created).
        while stat(folder, &st) != 0 {
            let above = Store.folder(of: folder)
            guard above != folder else { return false }
            folder = above
        }
        return (st.st_mode & S_IFMT) == S_IFDIR && access(folder, W_OK) == 0
    }
}
