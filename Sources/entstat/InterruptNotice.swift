#if canImport(Glibc)
import Glibc
#endif

/// The line a writer (`ingest`, `purge`, `rotate-secret`) leaves on standard error when a
/// signal stops it: SIGINT (Ctrl-C), SIGTERM (`kill`, systemd stopping the unit, a timeout
/// around the cron job) or SIGHUP (the terminal closed).
///
/// The command still dies of the signal at once, as `kill -9` would kill it: its
/// transactions make that safe (SPEC §4), and its status stays the signal's (a shell sees
/// 130 or 143, and a loop of commands stops at Ctrl-C). Without this line the run ended in
/// silence, the progress bar left on the terminal, and nothing in the cron mail or the
/// journal said that the run was cut short or what to do about it.
///
/// A signal the command was started with ignored stays ignored: `nohup entstat ingest …`
/// (SIGHUP), or a job a non-interactive shell put in the background (SIGINT), runs on
/// when the terminal closes or Ctrl-C stops the commands in the foreground, as every
/// program does.
///
/// The lines are written before the signals can come: the handler only writes bytes
/// (`write(2)` is async-signal-safe), then restores the default action and raises the
/// signal again. The signals are unblocked: blocked by the parent, they kept the command
/// from stopping at all.
enum InterruptNotice {
    /// The signals caught, and how a line names them.
    static let signals: [(number: Int32, name: String)] = [(SIGINT, "SIGINT, Ctrl-C"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")]

    /// The bytes written for SIGINT, SIGTERM and SIGHUP, in that order (allocated once,
    /// never freed: the handler may run until the process ends).
    nonisolated(unsafe) private static var sigint = UnsafeRawBufferPointer(start: nil, count: 0)
    nonisolated(unsafe) private static var sigterm = UnsafeRawBufferPointer(start: nil, count: 0)
    nonisolated(unsafe) private static var sighup = UnsafeRawBufferPointer(start: nil, count: 0)

    /// True when `number`'s action is to ignore it (`SIG_IGN`), as the parent left it.
    static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// From now on, each of the signals not ignored writes `message(name)` as an error line
    /// (`entstat: …`), `name` naming the signal, then ends the process by that signal. On a
    /// terminal the line first clears the progress line, if one is shown.
    static func install(_ message: (String) -> String) {
        let clear = Console.stderrIsTerminal ? (Progress.terminalUnderstandsEscapes ? "\r\u{1B}[K" : "\n") : ""
        var buffers: [UnsafeRawBufferPointer] = []
        for (_, name) in signals {
            let bytes = Array((clear + "entstat: " + Console.printable(message(name)) + "\n").utf8)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            buffer.copyBytes(from: bytes)
            buffers.append(UnsafeRawBufferPointer(buffer))
        }
        (sigint, sigterm, sighup) = (buffers[0], buffers[1], buffers[2])
        // A parent may hand its blocked signals down (a test runner's thread did): they
        // would stay pending, and the run would not stop at all.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for (number, _) in signals { sigaddset(&blocked, number) }
        sigprocmask(SIG_UNBLOCK, &blocked, nil)
        for (number, _) in signals where !isIgnored(number) {
            signal(number) { received in
                let line: UnsafeRawBufferPointer
                switch received {
                case SIGINT: line = InterruptNotice.sigint
                case SIGTERM: line = InterruptNotice.sigterm
                default: line = InterruptNotice.sighup
                }
                if let base = line.baseAddress { _ = write(2, base, line.count) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
