#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard output and standard error, and knows whether a person is watching.
enum Console {
    static func out(_ line: String) {
        write(1, line + "\n")
    }

    /// Writes a whole string to a file descriptor, unbuffered.
    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// One-line error: `entstat: <file>: <place>: <what happened and what to do>`.
    static func error(_ line: String) {
        write(2, "entstat: " + line + "\n")
    }

    static func warning(_ line: String) {
        write(2, "entstat: attention : " + line + "\n")
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// A number with French thousands separators: 1 234 567.
    static func number(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 && c != "-" { out.append("\u{202F}") }
            out.append(c)
        }
        return out
    }

    /// Seconds with one decimal and a French decimal comma.
    static func seconds(_ s: Double) -> String {
        let tenths = Int((s * 10).rounded())
        return "\(tenths / 10),\(tenths % 10) s"
    }
}
