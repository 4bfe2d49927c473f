#if canImport(Glibc)
import Glibc
#endif
import EntStat
import Logging
import Synchronization

/// Writes to standard output and standard error, and knows whether a person is watching.
enum Console {
    /// One line on standard output (the live progress bar, if any, steps aside). Control
    /// characters in it (from a file name) are shown escaped (`printable`): a line stays one
    /// line, and the terminal gets no escape sequence.
    static func out(_ line: String) {
        Progress.current?.clearLine()
        write(1, printable(line) + "\n")
        Progress.current?.redrawIfDue()
    }

    /// `text` with its control characters — C0, DEL and C1, which a file or folder name may
    /// hold — escaped, so that it prints as one line and sends the terminal no escape
    /// sequence: `\n`, `\r`, `\t`, `\x1B` (C0 and DEL), `\u{9B}` (C1). Everything else is
    /// kept, backslashes included. Every line the tool prints goes through it (`out`,
    /// the log lines of standard error, the progress bar), so a name needs no escaping of
    /// its own before it is put in a message; escaping twice changes nothing.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { appendPrintable(scalar, to: &out) }
        return out
    }

    /// A name read as bytes (from a folder), made printable: UTF-8 decoded, each byte that
    /// is not part of valid UTF-8 shown as `\xFF`, and control characters escaped as by
    /// `printable(_:)`.
    static func printable(bytes: some Collection<UInt8>) -> String {
        var out = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var rest = bytes[...]
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                appendPrintable(Unicode.UTF8.decode(encoded), to: &out)
                rest = rest.dropFirst(encoded.count)
            case .error(let length):
                for byte in rest.prefix(length) { out += "\\x" + hex(byte) }
                rest = rest.dropFirst(length)
            case .emptyInput:
                return out
            }
        }
    }

    /// A name as an error line quotes it: whole up to `limit` UTF-8 bytes, else its start
    /// and its end (about `limit` bytes together) around the count of bytes left out, so that
    /// a line of garbage given as a path (a list read whole as one line) makes no error
    /// line of a hundred kilobytes.
    static func excerpt(_ name: String, limit: Int = 200) -> String {
        let total = name.utf8.count
        guard total > limit else { return name }
        var head = "", tail = ""
        var bytes = 0
        for scalar in name.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > limit / 2 { break }
            head.unicodeScalars.append(scalar)
        }
        bytes = 0
        var tailScalars: [Unicode.Scalar] = []
        for scalar in name.unicodeScalars.reversed() {
            bytes += UTF8.width(scalar)
            if bytes > limit / 2 { break }
            tailScalars.append(scalar)
        }
        tail.unicodeScalars.append(contentsOf: tailScalars.reversed())
        let left = total - head.utf8.count - tail.utf8.count
        return head + "[… \(number(left)) octets omis …]" + tail
    }

    /// True for the C0 controls, DEL and the C1 controls.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func appendPrintable(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\x" + hex(UInt8(scalar.value))
        case _ where (0x80...0x9F).contains(scalar.value): out += "\\u{" + hex(UInt8(scalar.value)) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }

    /// Two upper-case hexadecimal digits.
    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// Writes a whole string to a file descriptor, unbuffered.
    static func write(_ fd: Int32, _ text: String) {
        Array(text.utf8).withUnsafeBytes { write(fd, bytes: $0) }
    }

    /// Writes `bytes` whole to `fd` (until an error, such as a closed pipe). A failure to
    /// write standard output other than a closed pipe (a full disk behind a redirection) is
    /// remembered: `EntStatCommand.main` then ends the run with an error, never with 0.
    static func write(_ fd: Int32, bytes: UnsafeRawBufferPointer) {
        guard let failure = writeAll(fd, bytes), fd == 1, failure != EPIPE else { return }
        outputFailure.withLock { if $0 == nil { $0 = failure } }
    }

    /// Writes `bytes` whole to `fd`, retrying interrupted writes; the `errno` of the write
    /// that failed (`EIO` for one that wrote nothing), or nil when all went through.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n < 0 ? errno : EIO }
            offset += n
        }
        return nil
    }

    /// The first `errno` of a failed write to standard output (written from any thread).
    static let outputFailure = Mutex<Int32?>(nil)

    /// The failure to write standard output, as a French one-line message, or nil when
    /// every write went through.
    static var outputFailureMessage: String? {
        outputFailure.withLock { $0 }.map {
            "sortie standard : écriture impossible (\(SystemErrorText.french($0))) ; la sortie est incomplète, vérifiez la place disque ou la destination de la redirection"
        }
    }

    /// One-line error through the logger: `entstat: <file>: <place>: <what happened and
    /// what to do>`.
    static func error(_ line: String) {
        Log.logger.error("\(line)")
    }

    /// An error about the store at `db`: named once, whether or not the error names it. An
    /// error that names a file of its own (a reference file, a log) is printed as it is:
    /// « db: - : nothere.csv: - : … » named two files and two missing positions.
    static func storeError(_ db: String, _ error: Error) {
        Console.error(storeMessage(db, error))
    }

    /// The line for `error` met on the store `db`: as it is when it names its file (a
    /// reference file, a log, the secret, the store itself), else after the store's path.
    static func storeMessage(_ db: String, _ error: Error) -> String {
        let message = "\(error)"
        let namesItsFile = error is ReferenceError || error is ByteReader.Failure || error is SemicolonCSV.Failure || error is StoreError
        return message.hasPrefix(db) || namesItsFile ? message : ErrorLine.format(db, message)
    }

    /// What `error` says, for a line about the store `db` that names it already: without
    /// the store's name when the error names that same store (« s.sqlite: - : purge
    /// impossible (s.sqlite: - : un autre entstat …) » named it twice).
    static func reason(_ error: Error, onStore db: String) -> String {
        if let error = error as? StoreError, error.file == db { return error.reason }
        if let error = error as? ReferenceError, error.file == db, error.place == ErrorLine.wholeFile { return error.message }
        return "\(error)"
    }

    /// A reference load's first 20 warnings, then how many more there were.
    static func referenceWarnings(_ load: Store.ReferenceLoad) {
        for warning in load.warnings.prefix(20) { Console.warning("\(warning)") }
        if load.warningCount > 20 {
            Console.warning("\(load.file) : \(Console.count(load.warningCount - 20, "autre avertissement", "autres avertissements"))")
        }
    }

    /// One-line warning through the logger: `entstat: attention : <message>`.
    static func warning(_ line: String) {
        Log.logger.warning("\(line)")
    }

    /// An informational line, shown with `--log-level info` or `ENTSTAT_LOG_LEVEL=info`.
    static func info(_ line: String) {
        Log.logger.info("\(line)")
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// The width in columns of the terminal on file descriptor `fd`, 80 when it is none or
    /// cannot be known.
    static func terminalColumns(of fd: Int32) -> Int {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// A number with French thousands separators: 1 234 567.
    static func number(_ n: Int) -> String {
        FrenchText.integer(n)
    }

    /// Seconds with one decimal and a French decimal comma.
    static func seconds(_ s: Double) -> String {
        let tenths = Int((s * 10).rounded())
        return "\(tenths / 10),\(tenths % 10) s"
    }
}
