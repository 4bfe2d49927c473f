/// Where a log file comes from and which day it covers, read from its name.
///
/// Rotated logs are named `<prefix>-<date>[-<hour>].<ext>` (`access-fe1-2018-10-14.log.gz`,
/// `events-fe2-2018-11-05-08.jsonl.gz`, logrotate's `access.log-20181014.gz`). The
/// **stream** is the prefix with its trailing separators removed (`access-fe1`): one server
/// writing one log. The date is `YYYY-MM-DD` or `YYYYMMDD`, and an hour `00`–`23` may follow
/// it after a `-` or `_` (hourly rotation). A name without a date belongs
/// to the stream named after its source, and covers the day of its records when they all
/// fall on one day.
public struct LogStreamName: Equatable, Sendable {
    /// The name's prefix before the date, trailing separators removed; the source when the
    /// name has no date or nothing before it.
    public var stream: String
    /// The day (days since 1970-01-01) the name gives, if any.
    public var day: Int?
    /// The hour (0–23) the name gives after its date, if any (`…-2018-11-05-08.jsonl.gz`).
    public var hour: Int?

    /// Parses the last path component of `path`.
    public init(path: String, source: String) {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let bytes = Array(base.utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at >= 0, at + n <= bytes.count else { return nil }
            var v = 0
            for b in bytes[at..<(at + n)] {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        func boundary(_ at: Int) -> Bool { at < 0 || at >= bytes.count || !(bytes[at] >= 0x30 && bytes[at] <= 0x39) }
        var found: (start: Int, end: Int, day: Int)?
        var i = 0
        while i < bytes.count && found == nil {
            if boundary(i - 1) {
                if let y = digits(i, 4), i + 10 <= bytes.count, bytes[i + 4] == 0x2D, bytes[i + 7] == 0x2D,
                   let m = digits(i + 5, 2), let d = digits(i + 8, 2), boundary(i + 10),
                   let date = LogStreamName.date(y, m, d) {
                    found = (i, i + 10, date)
                } else if let y = digits(i, 4), let m = digits(i + 4, 2), let d = digits(i + 6, 2), boundary(i + 8),
                          let date = LogStreamName.date(y, m, d) {
                    found = (i, i + 8, date)
                }
            }
            i += 1
        }
        if let found {
            var prefix = String(decoding: bytes[..<found.start], as: UTF8.self)
            while let last = prefix.last, "-_. ".contains(last) { prefix.removeLast() }
            stream = prefix.isEmpty ? source : prefix
            day = found.day
            let e = found.end
            if e < bytes.count, bytes[e] == 0x2D || bytes[e] == 0x5F, let h = digits(e + 1, 2), h < 24, boundary(e + 3) {
                hour = h
            }
        } else {
            stream = source
            day = nil
        }
    }

    static func date(_ y: Int, _ m: Int, _ d: Int) -> Int? {
        guard (2000...2045).contains(y), (1...12).contains(m), d >= 1, d <= CivilDate.daysInMonth(year: y, month: m) else { return nil }
        return CivilDate(year: y, month: m, day: d).dayNumber
    }
}
