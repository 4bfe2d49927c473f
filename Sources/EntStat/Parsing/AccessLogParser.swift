#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses the "combined" access-log format with an authenticated user (SPEC §1.3) on raw
/// bytes, with no allocation:
///
///     IP - user [dd/Mon/yyyy:HH:MM:SS ±hhmm] "request" status bytes "referer" "agent"
///
/// Quoted fields may hold escaped quotes (`\"`); bytes may be `-`. Extra blank-separated
/// fields after the user agent (a response time, a quoted host) are ignored, but not a
/// second record glued to the first (see `checkTail`). A carriage return anywhere in the
/// line is refused: SPEC §1 has no bare-CR line ends, so it joins records that should have
/// been lines of their own. Byte values above 0x7F are accepted as they are.
public enum AccessLogParser {
    /// The record of one access-log line (slices of `whole`), or why the line is rejected.
    public static func parse(_ whole: UnsafeRawBufferPointer) throws(LineRejection) -> AccessLogRecord {
        // The splitter has removed the `\r` of a `\r\n`; more CRs at the end (a line end
        // converted twice, `\r\r\n`) end the line too. Any other CR is a bare one.
        var count = whole.count
        while count > 0 && whole[count - 1] == 0x0D { count -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: whole[0..<count])
        if let base = line.baseAddress, memchr(base, 0x0D, line.count) != nil { throw .carriageReturn }
        var record = AccessLogRecord()
        var cursor = ByteCursor(line)
        guard cursor.skipToken() else { throw .accessLogField("adresse IP") }
        guard cursor.expectSpace(), cursor.skipToken() else { throw .accessLogField("identité") }
        guard cursor.expectSpace(), let user = cursor.token() else { throw .accessLogField("utilisateur") }
        // A control byte (NUL, tab…) is no part of an id: a damaged line, not another user.
        if user.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw .accessLogField("utilisateur") }
        if !(user.count == 1 && user[0] == UInt8(ascii: "-")) { record.user = user }
        guard cursor.expectSpace(), cursor.expect(UInt8(ascii: "[")) else { throw .accessLogField("date") }
        guard let stamp = cursor.take(26), cursor.expect(UInt8(ascii: "]")) else { throw .badTimestamp }
        record.epochSeconds = try parseTimestamp(stamp)
        guard cursor.expectSpace(), let request = cursor.quoted() else { throw .accessLogField("requête") }
        record.path = requestPath(request)
        guard cursor.expectSpace(), let status = cursor.token(), status.count == 3,
              let code = ByteCursor.decimal(status) else { throw .accessLogField("statut") }
        record.status = code
        guard cursor.expectSpace(), let size = cursor.token(),
              (size.count == 1 && size[0] == UInt8(ascii: "-")) || ByteCursor.decimal(size) != nil
        else { throw .accessLogField("taille") }
        guard cursor.expectSpace(), cursor.quoted() != nil else { throw .accessLogField("référent") }
        guard cursor.expectSpace(), cursor.quoted() != nil else { throw .accessLogField("agent utilisateur") }
        if !cursor.atEnd { try checkTail(line, from: cursor.index) }
        return record
    }

    /// Checks what follows the user agent's closing quote, at `start` (the usual line has
    /// nothing there and never comes here). Extra fields are allowed when a blank separates
    /// them from the user agent (a response time, a quoted host, `"-"`, even a time stamp of
    /// their own); refused are text glued to the closing quote and another record's start
    /// (`IP ident user [dd/Mmm/yyyy:`, outside quotes), the signs of a line break lost
    /// between two records, whose second one would be lost silently.
    @inline(never)
    static func checkTail(_ line: UnsafeRawBufferPointer, from start: Int) throws(LineRejection) {
        let first = line[start]
        guard first == UInt8(ascii: " ") || first == 0x09 else { throw .textAfterUserAgent }
        var i = start + 1
        var quoted = false
        while i < line.count {
            let b = line[i]
            if quoted {
                if b == UInt8(ascii: "\\") { i += 1 } else if b == UInt8(ascii: "\"") { quoted = false }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == UInt8(ascii: "["), line.count - i >= 13, looksLikeTimestampStart(line, at: i + 1),
                      threeTokensEnd(line, at: i, after: start) {
                throw .secondRecord
            }
            i += 1
        }
    }

    /// True when the bytes before the `[` at `bracket` are ` IP ident user ` as a record
    /// starts: three blank-separated tokens without quotes, the first one after `start`.
    private static func threeTokensEnd(_ s: UnsafeRawBufferPointer, at bracket: Int, after start: Int) -> Bool {
        var i = bracket - 1
        guard i > start, s[i] == UInt8(ascii: " ") else { return false }
        for _ in 0..<3 {
            // Back over the blank before the token, then the token itself.
            guard i > start, s[i] == UInt8(ascii: " ") else { return false }
            i -= 1
            let end = i
            while i > start && s[i] != UInt8(ascii: " ") && s[i] != 0x09 {
                if s[i] == UInt8(ascii: "\"") { return false }
                i -= 1
            }
            guard i < end else { return false }
        }
        return true
    }

    /// True when `dd/Mmm/yyyy:` (two digits, a slash, three ASCII letters, a slash, four
    /// digits, a colon) starts at `i`; the caller made sure 12 bytes remain.
    private static func looksLikeTimestampStart(_ s: UnsafeRawBufferPointer, at i: Int) -> Bool {
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        return isDigit(s[i]) && isDigit(s[i + 1]) && s[i + 2] == UInt8(ascii: "/")
            && isLetter(s[i + 3]) && isLetter(s[i + 4]) && isLetter(s[i + 5]) && s[i + 6] == UInt8(ascii: "/")
            && isDigit(s[i + 7]) && isDigit(s[i + 8]) && isDigit(s[i + 9]) && isDigit(s[i + 10])
            && s[i + 11] == UInt8(ascii: ":")
    }

    /// `dd/Mon/yyyy:HH:MM:SS ±hhmm` → Unix seconds.
    static func parseTimestamp(_ s: UnsafeRawBufferPointer) throws(LineRejection) -> Int64 {
        @inline(__always) func digit(_ i: Int) -> Int {
            let b = s[i]
            return b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : -1000
        }
        @inline(__always) func two(_ i: Int) -> Int { digit(i) * 10 + digit(i + 1) }
        guard s[2] == UInt8(ascii: "/"), s[6] == UInt8(ascii: "/"), s[11] == UInt8(ascii: ":"),
              s[14] == UInt8(ascii: ":"), s[17] == UInt8(ascii: ":"), s[20] == UInt8(ascii: " ")
        else { throw .badTimestamp }
        let day = two(0)
        let year = two(7) * 100 + two(9)
        let hour = two(12), minute = two(15), stampSecond = two(18)
        guard let month = monthNumber(s[3], s[4], s[5]), year >= 0, two(7) >= 0, two(9) >= 0, day >= 1,
              day <= CivilDate.daysInMonth(year: year, month: month),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(stampSecond)
        else { throw .badTimestamp }
        let sign: Int
        switch s[21] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: throw .badTimestamp
        }
        let offsetHours = two(22), offsetMinutes = two(24)
        guard (0...14).contains(offsetHours), (0...59).contains(offsetMinutes) else { throw .badTimestamp }
        // A leap second (`:60`) is kept in its own minute, as `:59`: the record happened on
        // that day, and counting it as 60 would move 23:59:60 to the next day.
        let second = min(stampSecond, 59)
        let days = CivilDate(year: year, month: month, day: day).dayNumber
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return local - Int64(sign * (offsetHours * 3600 + offsetMinutes * 60))
    }

    @inline(__always)
    static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        // Case-insensitive English abbreviations.
        let key = (UInt32(a | 0x20) << 16) | (UInt32(b | 0x20) << 8) | UInt32(c | 0x20)
        switch key {
        case 0x6A616E: return 1   // jan
        case 0x666562: return 2   // feb
        case 0x6D6172: return 3   // mar
        case 0x617072: return 4   // apr
        case 0x6D6179: return 5   // may
        case 0x6A756E: return 6   // jun
        case 0x6A756C: return 7   // jul
        case 0x617567: return 8   // aug
        case 0x736570: return 9   // sep
        case 0x6F6374: return 10  // oct
        case 0x6E6F76: return 11  // nov
        case 0x646563: return 12  // dec
        default: return nil
        }
    }

    /// The target of `METHOD TARGET PROTOCOL`, without scheme and host; empty for `-`.
    static func requestPath(_ request: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var i = 0
        while i < request.count && request[i] != UInt8(ascii: " ") { i += 1 }
        guard i < request.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = i + 1
        var end = start
        while end < request.count && request[end] != UInt8(ascii: " ") { end += 1 }
        var target = UnsafeRawBufferPointer(rebasing: request[start..<end])
        if target.first != UInt8(ascii: "/") {
            // Absolute form: http://host/path → /path.
            if let scheme = ByteCursor.find(target, "://") {
                var slash = scheme + 3
                while slash < target.count && target[slash] != UInt8(ascii: "/") { slash += 1 }
                if slash == target.count {
                    // http://host alone asks for the root page "/".
                    let root: StaticString = "/"
                    return UnsafeRawBufferPointer(start: root.utf8Start, count: 1)
                }
                target = UnsafeRawBufferPointer(rebasing: target[slash...])
            }
        }
        return target
    }

    /// Static assets that never count (SPEC §2.2), compared case-insensitively.
    static let staticExtensions: [[UInt8]] = ["js", "css", "png", "jpg", "jpeg", "gif", "svg", "ico", "woff", "woff2", "ttf", "map"].map { Array($0.utf8) }

    /// Length of the path proper: up to the first `?` (query), `#` (fragment) or `;`
    /// (path parameters, e.g. a servlet front end's `;jsessionid=…`).
    @inline(__always)
    public static func pathEnd(_ path: UnsafeRawBufferPointer) -> Int {
        for i in 0..<path.count {
            let b = path[i]
            if b == UInt8(ascii: "?") || b == UInt8(ascii: "#") || b == UInt8(ascii: ";") { return i }
        }
        return path.count
    }

    /// True when the path (query string ignored) names a static asset.
    public static func isStaticAsset(_ path: UnsafeRawBufferPointer) -> Bool {
        let end = pathEnd(path)
        var dot = end - 1
        while dot >= 0 && path[dot] != UInt8(ascii: ".") && path[dot] != UInt8(ascii: "/") { dot -= 1 }
        guard dot >= 0, path[dot] == UInt8(ascii: "."), end - dot - 1 <= 5 else { return false }
        let length = end - dot - 1
        outer: for ext in staticExtensions where ext.count == length {
            for k in 0..<length where (path[dot + 1 + k] | 0x20) != ext[k] { continue outer }
            return true
        }
        return false
    }

    /// The path of an authentication.
    private static let loginPath: [UInt8] = Array("/login".utf8)

    /// True when the path is `/login` or below it (`/login/…`), query string ignored.
    public static func isLogin(_ path: UnsafeRawBufferPointer) -> Bool {
        let login = loginPath
        guard path.count >= login.count else { return false }
        for k in 0..<login.count where path[k] != login[k] { return false }
        if path.count == login.count { return true }
        return pathEnd(path) == login.count || path[login.count] == UInt8(ascii: "/")
    }
}
