import Foundation

/// Independent parsers of the two log formats (no simulator code), for format checks.
enum LogLineChecks {
    /// A parsed access-log line.
    struct Access {
        var user: String
        var epoch: Int
        var offset: String
        var wall: String
        var path: String
        var status: Int
    }

    private static let accessPattern = try! NSRegularExpression(pattern:
        #"^(\d+\.\d+\.\d+\.\d+) - (\S+) \[(\d{2})/([A-Z][a-z]{2})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] "([A-Z]+) (\S+) HTTP/1\.1" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$"#)
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses a combined access-log line, nil when malformed.
    static func access(_ line: String) -> Access? {
        let ns = line as NSString
        guard let m = accessPattern.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
        func g(_ i: Int) -> String { ns.substring(with: m.range(at: i)) }
        guard let month = months.firstIndex(of: g(4)) else { return nil }
        var c = DateComponents()
        c.year = Int(g(5)); c.month = month + 1; c.day = Int(g(3))
        c.hour = Int(g(6)); c.minute = Int(g(7)); c.second = Int(g(8))
        guard let h = c.hour, h < 24, let mi = c.minute, mi < 60, let s = c.second, s < 60,
              let d = c.day, d >= 1, d <= 31 else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let asUTC = cal.date(from: c) else { return nil }
        let off = g(9)
        let sign = off.hasPrefix("-") ? -1 : 1
        let offSeconds = sign * (Int(off.dropFirst().prefix(2))! * 3600 + Int(off.suffix(2))! * 60)
        return Access(user: g(2), epoch: Int(asUTC.timeIntervalSince1970) - offSeconds, offset: off,
                      wall: "\(g(6)):\(g(7))", path: g(11), status: Int(g(12))!)
    }

    /// Decodes an event JSON line, nil when malformed or when `date` is not a number.
    static func event(_ line: String) -> [String: Any]? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              obj["date"] is NSNumber, !(obj["date"] is String),
              obj["event-type"] is String, obj["module"] is String else { return nil }
        return obj
    }

    /// Paris local day and hour of an epoch, by Foundation's tz database.
    static func parisDayHour(_ epoch: Int) -> (String, Int) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Paris")!
        let c = cal.dateComponents([.year, .month, .day, .hour], from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        return (String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!), c.hour!)
    }
}
