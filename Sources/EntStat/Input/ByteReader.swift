#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads raw bytes from a file descriptor (a file or standard input) in large chunks.
///
/// The reader owns its descriptor unless it wraps standard input. `offset` counts the bytes
/// handed out so far: error messages use it to name a position in the file.
public final class ByteReader {
    /// What went wrong while opening or reading an input file.
    public enum Failure: Error, Equatable {
        /// `open(2)` failed, or the path is a symbolic link whose target is gone; `reason`
        /// says why.
        case cannotOpen(path: String, reason: String)
        /// The path names a folder, where a file was expected.
        case isFolder(path: String)
        /// `read(2)` failed after `offset` bytes; `reason` is the system's error text.
        case readFailed(path: String, offset: Int, reason: String)
    }

    /// The path opened, `-` for standard input.
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Bytes handed out so far: the position error messages name.
    public private(set) var offset: Int = 0

    /// What a symbolic link whose target cannot be reached is, in French.
    public static let deadLinkDescription = "lien symbolique dont la cible est introuvable"

    /// Opens `path`, or standard input when `path` is `-`.
    public init(path: String) throws(Failure) {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else {
                // A symbolic link whose target is gone: said so, its name alone exists.
                var link = stat()
                if errno == ENOENT, lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                    throw .cannotOpen(path: path, reason: ByteReader.deadLinkDescription)
                }
                throw .cannotOpen(path: path, reason: ByteReader.describeErrno())
            }
            // A folder opens, then fails to read at byte 0: said so at once.
            var st = stat()
            if fstat(opened, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                close(opened)
                throw .isFolder(path: path)
            }
            fd = opened
            ownsDescriptor = true
        }
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Fills as much of `buffer` as one `read(2)` gives; returns 0 at the end of the input.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                offset += n
                return n
            }
            if errno == EINTR { continue }
            throw .readFailed(path: path, offset: offset, reason: ByteReader.describeErrno())
        }
    }

    /// Size and modification time of the file, when it is a regular file.
    public func fileStatus() -> (size: Int, mtime: Int)? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int(st.st_size), Int(st.st_mtim.tv_sec))
    }

    static func describeErrno() -> String {
        SystemErrorText.current()
    }
}
