#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a log path is read, decided once per path from `stat(2)`, before anything opens it.
///
/// A regular file can be opened as often as the ingest likes (the SHA-256 of its raw
/// bytes first, the lookup of an earlier copy, then the parse). Anything else that is not a
/// folder — standard input (`-`), a named pipe, `/dev/stdin`, a shell's `<(…)`, a
/// character device — gives its bytes to one reader only: each open after the first would
/// find nothing, and the file would go in empty. Such a path is a *stream*: opened once,
/// read once, hashed as it is read, recorded under its own name with the bytes it gave.
public enum LogInput: Sendable, Hashable {
    /// Standard input, or a path that is neither a regular file nor a folder: no hash before
    /// the parse, no size, no earlier copy, no skip by path, size and modification time.
    /// `device` and `inode` tell two names of one stream apart from two streams.
    case stream(device: UInt64, inode: UInt64)
    /// A regular file (symbolic links followed), with its size and modification time.
    case file(size: Int, mtime: Int)
    /// A folder, or a path `stat` could not describe (missing, a dangling link, no
    /// permission): read as a file, whose open then says what is wrong.
    case other

    /// How `path` (`-`: standard input) is to be read.
    public init(path: String) {
        var st = stat()
        let found = path == "-" ? fstat(0, &st) == 0 : stat(path, &st) == 0
        if path == "-" {
            self = .stream(device: found ? UInt64(st.st_dev) : 0, inode: found ? UInt64(st.st_ino) : 0)
            return
        }
        guard found else {
            self = .other
            return
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: self = .file(size: Int(st.st_size), mtime: Int(st.st_mtim.tv_sec))
        case S_IFDIR: self = .other
        default: self = .stream(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        }
    }

    /// True when the path is read once, as a stream.
    public var isStream: Bool {
        if case .stream = self { return true }
        return false
    }

    /// The size of a regular file in bytes; nil for a stream or anything else.
    public var size: Int? {
        if case .file(let size, _) = self { return size }
        return nil
    }
}
