#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (flock) held by the one `entstat` that writes to a store.
/// Another writer waits for it, up to a bound, saying so on stderr.
///
/// Two locks: `<store>.lock` first, which serialises the creation of a new store; then the
/// store's file itself once it exists (`holdStoreFile`), so that a lock file deleted by
/// hand while a writer runs does not let a second writer in. flock locks do not interact
/// with SQLite's own (POSIX byte-range) locks on Linux.
public final class StoreLock {
    private let fd: Int32
    private var storeFD: Int32 = -1
    /// The lock file, `<store>.lock`.
    public let path: String
    private let storePath: String
    private let timeoutSeconds: Int

    /// Takes the lock, waiting at most `timeoutSeconds`; `onWait` is called once if it must wait.
    /// Once taken, the lock file says what the writer does (`activity`, in French: « une
    /// ingestion ») and since when, for `holder` (`entstat status` while it works).
    public init(storePath: String, timeoutSeconds: Int, activity: String = "", onWait: () -> Void) throws {
        path = storePath + ".lock"
        self.storePath = storePath
        self.timeoutSeconds = timeoutSeconds
        fd = try StoreLock.openAndTake(path, flags: O_RDWR | O_CREAT, storePath: storePath, timeoutSeconds: timeoutSeconds, onWait: onWait)
        // Best effort: a lock file that cannot be written still locks.
        let note = Array("\(activity.replacingOccurrences(of: "\t", with: " "))\t\(Store.timestamp())\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
    }

    /// What the writer holding the lock of the store at `storePath` said it does, and when
    /// it took the lock (UTC, `Store.timestamp`); nil when the lock file says nothing (no
    /// lock file, or written by an entstat before this note). Meaningful while `isHeld`.
    public static func holder(storePath: String) -> (activity: String, since: String)? {
        let fd = open(storePath + ".lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[..<n], as: UTF8.self)
        guard text.hasSuffix("\n") else { return nil }
        let fields = text.dropLast().split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[1].hasSuffix("Z") else { return nil }
        return (String(fields[0]), String(fields[1]))
    }

    /// Takes the lock on the store's file too, once it exists, waiting like `init` (a
    /// writer that found no lock file, deleted by hand, waits here for the one at work).
    public func holdStoreFile(onWait: () -> Void) throws {
        guard storeFD < 0 else { return }
        // Created empty when missing: SQLite takes an empty file for a new database.
        storeFD = try StoreLock.openAndTake(storePath, flags: O_RDWR | O_CREAT, storePath: storePath, timeoutSeconds: timeoutSeconds, onWait: onWait)
    }

    /// Opens `path` and takes its lock (`take`); the descriptor, closed again on failure.
    private static func openAndTake(_ path: String, flags: Int32, storePath: String, timeoutSeconds: Int, onWait: () -> Void) throws -> Int32 {
        let descriptor = open(path, flags | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.lockFailed(path: path, reason: SystemErrorText.current()) }
        do {
            try take(descriptor, path: path, storePath: storePath, timeoutSeconds: timeoutSeconds, onWait: onWait)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// flock(LOCK_EX) on `descriptor`, polled until `timeoutSeconds` have passed.
    private static func take(_ descriptor: Int32, path: String, storePath: String, timeoutSeconds: Int, onWait: () -> Void) throws {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else { throw StoreError.lockFailed(path: path, reason: SystemErrorText.current()) }
        onWait()
        let deadline = MonotonicClock.seconds() + Double(timeoutSeconds)
        while MonotonicClock.seconds() < deadline {
            usleep(100_000)
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        }
        throw StoreError.lockTimeout(path: storePath, seconds: timeoutSeconds)
    }

    /// True when another process holds the lock of the store at `storePath` (an ingest, a
    /// purge or a rotation at work); false when nobody does, or when the lock file cannot be
    /// opened (it is created by the first writer).
    ///
    /// Call it before this process opens the store with SQLite: it opens and closes a
    /// descriptor on the store's file, and closing one drops all the process's POSIX locks
    /// on that file, SQLite's included.
    public static func isHeld(storePath: String) -> Bool {
        // The store's file: held by every writer past its opening, whatever became of the
        // lock file.
        let fd = open(storePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    deinit {
        if storeFD >= 0 {
            flock(storeFD, LOCK_UN)
            close(storeFD)
        }
        flock(fd, LOCK_UN)
        close(fd)
    }
}
