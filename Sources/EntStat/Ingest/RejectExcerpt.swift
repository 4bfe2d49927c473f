/// The excerpt of a rejected line kept in the store: its first 200 bytes, with whatever
/// looks like a user id or an IP address masked, so the reject sample holds no personal data.
public enum RejectExcerpt {
    public static let maximumBytes = 200
    static let mask = "‹masqué›"

    public static func make(_ line: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: line.prefix(maximumBytes), as: UTF8.self)
        var out = maskJSONValues(text)
        if !out.hasPrefix("{") { out = maskAccessLogUser(out) }
        return maskAddresses(out)
    }

    /// `"userId":"…"`, `"ip":"…"`, `"sessionId":"…"`, `"_id":"…"` values.
    static func maskJSONValues(_ text: String) -> String {
        var result = text
        for key in ["\"userId\"", "\"ip\"", "\"sessionId\"", "\"_id\""] {
            var searchStart = result.startIndex
            while let keyRange = result.range(of: key, range: searchStart..<result.endIndex) {
                var i = keyRange.upperBound
                while i < result.endIndex, result[i] == " " || result[i] == ":" { i = result.index(after: i) }
                guard i < result.endIndex, result[i] == "\"" else { searchStart = keyRange.upperBound; continue }
                let valueStart = result.index(after: i)
                var j = valueStart
                while j < result.endIndex, result[j] != "\"" {
                    if result[j] == "\\" { j = result.index(after: j); if j == result.endIndex { break } }
                    j = result.index(after: j)
                }
                result.replaceSubrange(valueStart..<j, with: mask)
                searchStart = result.index(valueStart, offsetBy: mask.count, limitedBy: result.endIndex) ?? result.endIndex
            }
        }
        return result
    }

    /// The third space-separated field of an access-log line (the user).
    static func maskAccessLogUser(_ text: String) -> String {
        var parts = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 3 && parts[2] != "-" { parts[2] = mask }
        return parts.joined(separator: " ")
    }

    /// Dotted IPv4 addresses and colon-rich IPv6-looking tokens.
    static func maskAddresses(_ text: String) -> String {
        var out = ""
        var token = ""
        func flush() {
            let dots = token.filter { $0 == "." }.count
            let colons = token.filter { $0 == ":" }.count
            let digits = token.filter(\.isNumber).count
            if (dots == 3 && digits >= 4 && token.allSatisfy({ $0.isNumber || $0 == "." }))
                || (colons >= 2 && token.count >= 6 && token.allSatisfy({ $0.isHexDigit || $0 == ":" })
                    && (colons >= 5 || token.contains("::") || token.contains(where: \.isLetter))) {
                out += mask
            } else {
                out += token
            }
            token = ""
        }
        for c in text {
            if c.isHexDigit || c == "." || c == ":" {
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
