#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (flock) on `<store>.lock`, held by the one `entstat` that
/// writes to a store. Another writer waits for it, up to a bound, saying so on stderr.
public final class StoreLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock, waiting at most `timeoutSeconds`; `onWait` is called once if it must wait.
    public init(storePath: String, timeoutSeconds: Int, onWait: () -> Void) throws {
        path = storePath + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.lockFailed(path: path, reason: SystemErrorText.current()) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else {
            let reason = SystemErrorText.current()
            close(fd)
            throw StoreError.lockFailed(path: path, reason: reason)
        }
        onWait()
        let deadline = MonotonicClock.seconds() + Double(timeoutSeconds)
        while MonotonicClock.seconds() < deadline {
            usleep(100_000)
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        }
        close(fd)
        throw StoreError.lockTimeout(path: storePath, seconds: timeoutSeconds)
    }

    /// True when another process holds the lock of the store at `storePath` (an ingest, a
    /// purge or a rotation at work); false when nobody does, or when the lock file cannot be
    /// opened (it is created by the first writer).
    public static func isHeld(storePath: String) -> Bool {
        let fd = open(storePath + ".lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
