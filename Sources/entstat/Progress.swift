import EntStat
#if canImport(Glibc)
import Glibc
#endif

/// The live progress bar of a long ingest on a terminal, on standard error: compressed
/// bytes read of the total to read, rate, and estimated time left. Redrawn at most five
/// times a second; other output (`Console.out`, log lines) clears it first and redraws it
/// after, so lines never mix.
final class Progress {
    /// The bar being shown, if any.
    nonisolated(unsafe) static var current: Progress?

    let total: Int
    private var done = 0
    /// Bytes that were really read (skipped files count in `done`, not in the rate).
    private var read = 0
    private let started: Double
    private var lastDraw = 0.0
    private var shown = false
    private var label = ""

    init(totalBytes: Int) {
        total = max(totalBytes, 1)
        started = MonotonicClock.seconds()
    }

    /// Starts showing the bar when standard error is a terminal.
    static func start(totalBytes: Int) -> Progress? {
        guard Console.stderrIsTerminal else { return nil }
        let bar = Progress(totalBytes: totalBytes)
        current = bar
        return bar
    }

    /// A file begins: `label` is shown beside the bar.
    func begin(file: String) {
        label = Console.printable(file)
    }

    /// Bytes of the current file read so far (`base` = bytes of the files before it).
    func update(base: Int, fileBytes: Int, countsInRate: Bool = true) {
        if countsInRate { read += max(0, base + fileBytes - done) }
        done = base + fileBytes
        let t = MonotonicClock.seconds()
        if t - lastDraw >= 0.2 {
            lastDraw = t
            redraw()
        }
    }

    /// The bar's text for the current state.
    func text(now: Double) -> String {
        let fraction = min(1.0, Double(done) / Double(total))
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = max(now - started, 0.001)
        let rate = Double(read) / elapsed
        var eta = "—"
        if rate > 0 && read > 0 { eta = Progress.duration(Double(total - done) / rate) }
        var name = label
        if name.count > 30 { name = "…" + name.suffix(29) }
        return "\(bar) \(Int(fraction * 100)) % \(Progress.megabytes(done)) / \(Progress.megabytes(total)) Mo · "
            + "\(Progress.megabytes(Int(rate))) Mo/s · reste \(eta) · \(name)"
    }

    func redraw() {
        Console.write(2, "\r" + text(now: MonotonicClock.seconds()) + "\u{1B}[K")
        shown = true
    }

    func clearLine() {
        guard shown else { return }
        Console.write(2, "\r\u{1B}[K")
        shown = false
    }

    /// Removes the bar for good.
    func finish() {
        clearLine()
        if Progress.current === self { Progress.current = nil }
    }

    /// Megabytes with one decimal and a decimal comma.
    static func megabytes(_ bytes: Int) -> String {
        let tenths = Int((Double(bytes) / 100_000).rounded())
        return "\(tenths / 10),\(tenths % 10)"
    }

    /// `m:ss` or `h:mm:ss`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        return h > 0 ? "\(h):\(m < 10 ? "0" : "")\(m):\(r < 10 ? "0" : "")\(r)" : "\(m):\(r < 10 ? "0" : "")\(r)"
    }
}
