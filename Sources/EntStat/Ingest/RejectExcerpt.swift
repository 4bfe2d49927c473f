/// The excerpt of a rejected line kept in the store: its first 200 bytes, with whatever
/// looks like a user id or an IP address masked, so the reject sample holds no personal data.
public enum RejectExcerpt {
    public static let maximumBytes = 200
    static let mask = "‹masqué›"
    /// How much of the line is masked before the excerpt is cut: an address or id that
    /// straddles byte 200 is masked whole, never half-shown.
    static let maskWindow = 4096

    public static func make(_ line: UnsafeRawBufferPointer) -> String {
        var window = UnsafeRawBufferPointer(rebasing: line.prefix(maskWindow))
        if line.count > maskWindow {
            // Drop a token cut by the window's end (it could be the start of an address).
            var end = window.count
            while end > window.count - 64 && isTokenByte(window[end - 1]) { end -= 1 }
            window = UnsafeRawBufferPointer(rebasing: window[0..<end])
        }
        let text = String(decoding: window, as: UTF8.self)
        var out = maskJSONValues(text)
        if !out.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("{") { out = maskAccessLogUser(out) }
        return cut(maskAddresses(out), toBytes: maximumBytes)
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

    /// `"userId"`, `"ip"`, `"sessionId"`, `"_id"` values, of any JSON type.
    static func maskJSONValues(_ text: String) -> String {
        var result = text
        for key in ["\"userId\"", "\"ip\"", "\"sessionId\"", "\"_id\""] {
            var searchStart = result.startIndex
            while let keyRange = result.range(of: key, range: searchStart..<result.endIndex) {
                var i = keyRange.upperBound
                while i < result.endIndex, " \t\r\n:".contains(result[i]) { i = result.index(after: i) }
                guard i < result.endIndex else { break }
                let valueStart: String.Index
                var j: String.Index
                if result[i] == "\"" {
                    valueStart = result.index(after: i)
                    j = valueStart
                    while j < result.endIndex, result[j] != "\"" {
                        if result[j] == "\\" { j = result.index(after: j); if j == result.endIndex { break } }
                        j = result.index(after: j)
                    }
                } else {
                    // A number, literal, array or object: up to the comma or brace that ends it.
                    valueStart = i
                    j = i
                    var depth = 0
                    var inString = false
                    while j < result.endIndex {
                        let c = result[j]
                        if inString {
                            if c == "\\" { j = result.index(after: j); if j == result.endIndex { break } }
                            else if c == "\"" { inString = false }
                        } else if c == "\"" {
                            inString = true
                        } else if c == "[" || c == "{" {
                            depth += 1
                        } else if c == "]" || c == "}" {
                            if depth == 0 { break }
                            depth -= 1
                            if depth == 0 { j = result.index(after: j); break }
                        } else if c == "," && depth == 0 {
                            break
                        }
                        j = result.index(after: j)
                    }
                    if j == valueStart { searchStart = keyRange.upperBound; continue }
                }
                result.replaceSubrange(valueStart..<j, with: mask)
                searchStart = result.index(valueStart, offsetBy: mask.count, limitedBy: result.endIndex) ?? result.endIndex
            }
        }
        return result
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
