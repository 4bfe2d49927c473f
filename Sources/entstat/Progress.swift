import EntStat
#if canImport(Glibc)
import Glibc
#endif

/// The live progress line of a long command on a terminal, on standard error: for an
/// ingest, compressed bytes read of the total to read, rate and estimated time left, then,
/// once everything is read, what the writer is doing (a phase text); for other long steps,
/// a phase text alone.
///
/// The line is fitted to the terminal's width (asked on each draw, so a resized window is
/// followed; 80 columns when it cannot be known), one column short of it so that it never
/// wraps. It is redrawn at most ten times a second: redrawing on every file or every
/// batch wrote hundreds of kilobytes to the terminal and made a run of many small files
/// wait on it. Other output (`Console.out`, log lines) clears it first; it comes back at
/// the next draw, so lines never mix. With `TERM=dumb` (or no `TERM`), no escape sequence
/// is written: the line is cleared by padding it with spaces.
final class Progress {
    /// The line being shown, if any.
    nonisolated(unsafe) static var current: Progress?

    /// Shortest time between two draws, in seconds.
    static let drawInterval = 0.1

    let total: Int
    private var done = 0
    /// Bytes that were really read (skipped files count in `done`, not in the rate).
    private var read = 0
    private let started: Double
    private var lastDraw = -Double.infinity
    /// Columns of the line on the terminal now (0: nothing shown).
    private var shownColumns = 0
    private var label = ""
    /// Files the writer is done with, and how many there are (0: not counted).
    private var filesDone = 0
    private var fileCount = 0
    /// Replaces the bar: what the command is doing when bytes read say nothing.
    private var phase: String?
    /// Whether escape sequences may be written (not on `TERM=dumb`).
    let ansi: Bool

    init(totalBytes: Int, files: Int = 0, ansi: Bool = Progress.terminalUnderstandsEscapes) {
        total = max(totalBytes, 1)
        fileCount = files
        self.ansi = ansi
        started = MonotonicClock.seconds()
    }

    /// Starts showing the bar when standard error is a terminal.
    static func start(totalBytes: Int, files: Int = 0) -> Progress? {
        guard Console.stderrIsTerminal else { return nil }
        let bar = Progress(totalBytes: totalBytes, files: files)
        current = bar
        return bar
    }

    /// Starts showing a phase text alone (no bar) when standard error is a terminal.
    static func start(phase: String) -> Progress? {
        guard let line = start(totalBytes: 1) else { return nil }
        line.show(phase: phase, immediately: true)
        return line
    }

    /// Whether the terminal named by `TERM` understands `ESC [ K` (not `dumb`, not unset).
    static var terminalUnderstandsEscapes: Bool {
        guard let term = getenv("TERM").map({ String(cString: $0) }) else { return false }
        return !term.isEmpty && term != "dumb"
    }

    /// The file the writer is at: `index` files (of `files`) are done before it.
    func begin(file: String, index: Int = 0) {
        label = Console.printable(file)
        filesDone = index
    }

    /// Bytes of the current file read so far (`base` = bytes of the files before it).
    func update(base: Int, fileBytes: Int, countsInRate: Bool = true) {
        if countsInRate { read += max(0, base + fileBytes - done) }
        done = base + fileBytes
        redrawIfDue()
    }

    /// Shows `text` instead of the bar from now on; `immediately` for a new step (rare, and
    /// a throttled draw could leave the previous step's text on screen for as long as it
    /// takes), not for a count that moves.
    func show(phase text: String, immediately: Bool = false) {
        phase = text
        if immediately { redraw() } else { redrawIfDue() }
    }

    /// The line's text for the current state, at most `columns` characters wide.
    func text(now: Double, columns: Int) -> String {
        if let phase { return Progress.fit(phase, columns) }
        var name = label
        if done >= total && fileCount > 0 {
            // Everything is read: the writer is still storing what the workers parsed.
            let files = "\(Console.number(filesDone)) / \(Console.number(fileCount)) fichiers"
            return Progress.fit("lecture terminée · enregistrement dans le magasin : \(files)", columns, name: &name)
        }
        let fraction = min(1.0, Double(done) / Double(total))
        let elapsed = max(now - started, 0.001)
        let rate = Double(read) / elapsed
        var eta = "—"
        if rate > 0 && read > 0 { eta = Progress.duration(Double(total - done) / rate) }
        let percent = "\(Int(fraction * 100)) %"
        let amounts = "\(Progress.megabytes(done)) / \(Progress.megabytes(total)) Mo"
        // The longest figures that fit, then the bar, then the file's name in what is left.
        let variants = ["\(percent) \(amounts) · \(Progress.megabytes(Int(rate))) Mo/s · reste \(eta)",
                        "\(percent) \(amounts) · reste \(eta)",
                        "\(percent) · reste \(eta)"]
        let figures = variants.first { $0.count <= columns } ?? Progress.fit(variants[2], columns)
        // Laid out as if at 100 %, so that the bar keeps its width as the percentage grows.
        let rest = columns - figures.count - max(0, 5 - percent.count)
        // The bar gives way to the name below 8 cells; the name gets 20 columns when it can.
        var width = min(24, rest - 1 - 3 - 20)
        if width < 8 { width = rest - 1 >= 8 ? min(24, rest - 1) : 0 }
        let filled = Int(fraction * Double(width))
        let bar = width > 0 ? String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " " : ""
        let line = bar + figures
        return Progress.fit(line, columns, name: &name)
    }

    /// `text` cut to `columns` (ending with « … »).
    static func fit(_ text: String, _ columns: Int) -> String {
        guard text.count > columns else { return text }
        guard columns > 1 else { return "" }
        return text.prefix(columns - 1) + "…"
    }

    /// `text` cut to `columns`, followed by « · name » when at least 12 columns of the name fit
    /// (its end is kept: the date and the extension tell files apart).
    static func fit(_ text: String, _ columns: Int, name: inout String) -> String {
        let head = fit(text, columns)
        let room = min(30, columns - head.count - 3)
        guard !name.isEmpty, room >= 12 else { return head }
        if name.count > room { name = "…" + name.suffix(room - 1) }
        return head + " · " + name
    }

    /// Draws the line now.
    func redraw() {
        let now = MonotonicClock.seconds()
        lastDraw = now
        // One column short of the width: a line that fills the last column wraps on some terminals.
        let line = text(now: now, columns: max(Console.terminalColumns(of: 2) - 1, 1))
        let columns = line.count
        if ansi {
            Console.write(2, "\r" + line + "\u{1B}[K")
        } else {
            Console.write(2, "\r" + line + String(repeating: " ", count: max(0, shownColumns - columns)))
        }
        shownColumns = max(columns, 1)
    }

    /// Draws the line if the last draw is old enough (at most ten draws a second).
    func redrawIfDue() {
        if MonotonicClock.seconds() - lastDraw >= Progress.drawInterval { redraw() }
    }

    /// Clears the line, so that another line can be written in its place.
    func clearLine() {
        guard shownColumns > 0 else { return }
        Console.write(2, ansi ? "\r\u{1B}[K" : "\r" + String(repeating: " ", count: shownColumns) + "\r")
        shownColumns = 0
    }

    /// Removes the line for good.
    func finish() {
        clearLine()
        if Progress.current === self { Progress.current = nil }
    }

    /// Megabytes with one decimal, a decimal comma and thousands separators.
    static func megabytes(_ bytes: Int) -> String {
        let tenths = Int((Double(bytes) / 100_000).rounded())
        return "\(Console.number(tenths / 10)),\(tenths % 10)"
    }

    /// `m:ss` or `h:mm:ss`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        return h > 0 ? "\(h):\(m < 10 ? "0" : "")\(m):\(r < 10 ? "0" : "")\(r)" : "\(m):\(r < 10 ? "0" : "")\(r)"
    }
}
