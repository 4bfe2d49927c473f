/// The excerpt of a rejected line kept in the store: its first 200 bytes, with whatever
/// looks like a user id or an IP address masked, so the reject sample holds no personal data.
public enum RejectExcerpt {
    /// The most UTF-8 bytes an excerpt keeps.
    public static let maximumBytes = 200
    static let mask = "‹masqué›"
    /// How much of the line is masked before the excerpt is cut: an address or id that
    /// straddles byte 200 is masked whole, never half-shown.
    static let maskWindow = 4096

    /// The excerpt of `line`: what may be personal masked (ids, addresses, query strings),
    /// then cut to `maximumBytes` on a character boundary.
    public static func make(_ line: UnsafeRawBufferPointer) -> String {
        var window = UnsafeRawBufferPointer(rebasing: line.prefix(maskWindow))
        if line.count > maskWindow {
            // Drop a token cut by the window's end (it could be the start of an address).
            var end = window.count
            while end > window.count - 64 && isTokenByte(window[end - 1]) { end -= 1 }
            window = UnsafeRawBufferPointer(rebasing: window[0..<end])
        }
        let text = String(decoding: window, as: UTF8.self)
        var out: String
        if text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("{") {
            out = maskJSONValues(text)
        } else {
            // Something JSON-like further on (an event line with a stray prefix): masked as
            // JSON from its first brace, the prefix as an access-log line.
            if let brace = text.firstIndex(of: "{") {
                out = maskAccessLogUser(String(text[..<brace])) + maskJSONValues(String(text[brace...]))
            } else {
                out = maskAccessLogUser(text)
            }
        }
        return cut(maskAddresses(maskQueries(out)), toBytes: maximumBytes)
    }

    /// Query strings (`?login=…&uid=…` in a request line or a referer): what follows a `?`
    /// up to the next space or quote, which may carry a user's id or name.
    static func maskQueries(_ text: String) -> String {
        guard text.contains("?") else { return text }
        var out = ""
        var inQuery = false
        var masked = false
        for c in text.unicodeScalars {
            if inQuery {
                if c == " " || c == "\t" || c == "\"" {
                    inQuery = false
                    out.unicodeScalars.append(c)
                } else if !masked {
                    out += mask
                    masked = true
                }
                continue
            }
            out.unicodeScalars.append(c)
            if c == "?" { inQuery = true; masked = false }
        }
        return out
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: ".")
            || b == UInt8(ascii: ":") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// The longest prefix of whole characters that fits in `limit` UTF-8 bytes.
    static func cut(_ text: String, toBytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var bytes = 0
        var end = text.startIndex
        for c in text {
            let n = c.utf8.count
            if bytes + n > limit { break }
            bytes += n
            end = text.index(after: end)
        }
        return String(text[..<end])
    }

    /// The keys of an event line whose values are kept in an excerpt: what says why a line
    /// was rejected (SPEC §1.4) and holds nothing about a person. Every other value (user
    /// and session ids, addresses, groups, unknown keys) is masked whatever its JSON type.
    /// Keys are compared once their escapes are decoded (`"user\u0049d"` is `userId`).
    static let keptJSONKeys: Set<String> = ["event-type", "module", "date", "profil", "structures", "ua"]

    /// Every key of SPEC §1.4: shown as they are. Any other text in a key's place (an
    /// unknown key, or a value where a damaged line has a comma for its colon) is masked.
    static let knownJSONKeys: Set<String> = keptJSONKeys.union(["_id", "userId", "classes", "groups", "referer", "sessionId", "ip"])

    /// Masks the values of a JSON-looking line, except those of `keptJSONKeys`: one pass
    /// over its Unicode scalars (not characters, which a combining mark would fuse with a
    /// quote) that tolerates any malformation (a string that is neither a key nor the value of a
    /// kept key is masked, and so is a bare word outside strings other than `true`,
    /// `false` and `null`).
    static func maskJSONValues(_ text: String) -> String {
        let c = Array(text.unicodeScalars)
        var out = ""
        var containers: [Unicode.Scalar] = []
        var expectingKey = false
        var key: String?
        var i = 0
        while i < c.count {
            let ch = c[i]
            switch ch {
            case "{":
                containers.append(ch)
                expectingKey = true
                out.unicodeScalars.append(ch)
                i += 1
            case "[":
                containers.append(ch)
                out.unicodeScalars.append(ch)
                i += 1
            case "}", "]":
                _ = containers.popLast()
                expectingKey = false
                out.unicodeScalars.append(ch)
                i += 1
            case ",":
                expectingKey = containers.last == "{"
                out.unicodeScalars.append(ch)
                i += 1
            case ":":
                out.unicodeScalars.append(ch)
                i += 1
                while i < c.count, c[i] == " " || c[i] == "\t" || c[i] == "\r" || c[i] == "\n" { out.unicodeScalars.append(c[i]); i += 1 }
                guard i < c.count else { break }
                let end = valueEnd(c, from: i)
                if let key, keptJSONKeys.contains(key), isKeptValue(c[i..<end], key: key) {
                    out += scalarsText(c[i..<end])
                } else if end > i {
                    out += c[i] == "\"" ? "\"" + mask + "\"" : mask
                }
                i = end  // a separator where the value should be (end == i) is the loop's
                key = nil
                expectingKey = false
            case "\"":
                let end = stringEnd(c, from: i)
                if expectingKey && containers.last == "{" {
                    let decoded = decodedKey(c[(i + 1)..<max(i + 1, end - 1)])
                    key = decoded
                    out += knownJSONKeys.contains(decoded) ? scalarsText(c[i..<end]) : "\"" + mask + "\""
                    expectingKey = false
                } else {
                    out += "\"" + mask + "\""
                }
                i = end
            case " ", "\t", "\r", "\n":
                out.unicodeScalars.append(ch)
                i += 1
            default:
                let end = valueEnd(c, from: i)
                let word = scalarsText(c[i..<max(end, i + 1)])
                out += ["true", "false", "null"].contains(word) ? word : mask
                i = max(end, i + 1)
            }
        }
        return out
    }

    /// True for a value a kept key may show: a string, number or literal, or, for
    /// `structures`, an array of plain strings (UAI codes). A container anywhere else, or an
    /// array that holds anything else (a damaged line missing its `]`), could hold anything.
    private static func isKeptValue(_ value: ArraySlice<Unicode.Scalar>, key: String) -> Bool {
        guard let first = value.first else { return true }
        if first != "{" && first != "[" { return true }
        guard key == "structures", first == "[", value.last == "]" else { return false }
        var inString = false
        var escaped = false
        for scalar in value.dropFirst().dropLast() {
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            switch scalar {
            case "\"": inString = true
            case ",", " ", "\t": continue
            default: return false
            }
        }
        return !inString
    }

    /// The text of a run of scalars.
    private static func scalarsText(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars)
        return s
    }

    /// The index after the string that starts at `start` (a quote), or the end.
    private static func stringEnd(_ c: [Unicode.Scalar], from start: Int) -> Int {
        var j = start + 1
        while j < c.count {
            if c[j] == "\\" { j += 2; continue }
            if c[j] == "\"" { return j + 1 }
            j += 1
        }
        return c.count
    }

    /// The index after the value that starts at `start`: a string, an array or object
    /// (to its matching bracket), or a bare word (to the next separator).
    private static func valueEnd(_ c: [Unicode.Scalar], from start: Int) -> Int {
        switch c[start] {
        case "\"":
            return stringEnd(c, from: start)
        case "{", "[":
            var depth = 0
            var j = start
            while j < c.count {
                switch c[j] {
                case "\"": j = stringEnd(c, from: j); continue
                case "{", "[": depth += 1
                case "}", "]":
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            return c.count
        default:
            var j = start
            while j < c.count, !",}]:\" \t\r\n".unicodeScalars.contains(c[j]) { j += 1 }
            return j
        }
    }

    /// A key's text with its JSON escapes decoded (an invalid escape stays as it is).
    /// Surrogate pairs join as in `JSONScanner`; an unpaired surrogate, which the parser
    /// keeps as its WTF-8 bytes, becomes U+FFFD here (a `String` cannot hold it). Every
    /// known key is ASCII, so either way such a key is unknown to both: the same keys are
    /// kept here as the parser reads.
    private static func decodedKey(_ raw: ArraySlice<Unicode.Scalar>) -> String {
        var out = ""
        var units: [UInt16] = []
        func flushUnits() {
            if !units.isEmpty { out += String(decoding: units, as: UTF16.self); units.removeAll() }
        }
        var j = raw.startIndex
        while j < raw.endIndex {
            let ch = raw[j]
            if ch == "\\", j + 1 < raw.endIndex {
                let e = raw[j + 1]
                if e == "u", j + 6 <= raw.endIndex, let unit = UInt16(scalarsText(raw[(j + 2)..<(j + 6)]), radix: 16) {
                    units.append(unit)
                    j += 6
                    continue
                }
                flushUnits()
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                default: out.unicodeScalars.append(e)
                }
                j += 2
                continue
            }
            flushUnits()
            out.unicodeScalars.append(ch)
            j += 1
        }
        flushUnits()
        return out
    }

    /// The fields before the time stamp of an access-log line: client address, identity and
    /// user (whatever the spacing). Without a `[`, the second and third fields (an address
    /// in the first one is masked as an address).
    static func maskAccessLogUser(_ text: String) -> String {
        let bracket = text.firstIndex(of: "[")
        var out = ""
        var token = ""
        var fields = 0
        func flush() {
            guard !token.isEmpty else { return }
            out += token != "-" && (bracket != nil || fields == 1 || fields == 2) ? mask : token
            fields += 1
            token = ""
        }
        for c in text[..<(bracket ?? text.endIndex)] {
            if c == " " || c == "\t" {
                flush()
                out.append(c)
            } else {
                token.append(c)
            }
        }
        flush()
        if let bracket { out += text[bracket...] }
        return out
    }

    /// Dotted IPv4 addresses (even glued to letters or a port) and IPv6-looking tokens
    /// (IPv4-mapped ones included).
    static func maskAddresses(_ text: String) -> String {
        var out = ""
        var token = ""
        func flush() {
            defer { token = "" }
            let colons = token.filter { $0 == ":" }.count
            if colons >= 2 && token.count >= 6
                && (colons >= 5 || token.contains("::") || token.contains(where: \.isLetter)) {
                out += mask
                return
            }
            // IPv4: a run of digits and dots with three dots and at least four digits.
            var run = ""
            func flushRun() {
                if run.filter({ $0 == "." }).count >= 3 && run.filter(\.isNumber).count >= 4 {
                    out += mask
                } else {
                    out += run
                }
                run = ""
            }
            for c in token {
                if c.isASCII && (c.isNumber || c == ".") {
                    run.append(c)
                } else {
                    flushRun()
                    out.append(c)
                }
            }
            flushRun()
        }
        for c in text {
            if c.isASCII && (c.isHexDigit || c == "." || c == ":") {
                token.append(c)
            } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }
}
