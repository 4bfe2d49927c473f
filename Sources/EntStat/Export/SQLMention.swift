/// Whether an analyst's SQL mentions a table the engine builds for it (`activite_periode`,
/// the monthly counts, the accounts' counts): the name anywhere in the text, its ASCII
/// letters compared without case, as SQLite compares identifiers. A mention in a comment
/// or a string counts too: it only costs a build that nothing reads.
///
/// A search over the bytes: a report asks it about nine times per query, and lowercasing
/// the whole SQL (comments and accents included) each time, then searching it through
/// Foundation, took 3 % of the instructions of a report.
enum SQLMention {
    /// True when `sql` holds `name` (lowercase ASCII), ASCII letters compared without case.
    static func contains(_ name: String, in sql: String) -> Bool {
        var name = name, sql = sql
        return name.withUTF8 { needle in
            sql.withUTF8 { text in
                guard let first = needle.first else { return true }
                guard text.count >= needle.count else { return false }
                var i = 0
                let last = text.count - needle.count
                while i <= last {
                    if lowered(text[i]) == first {
                        var j = 1
                        while j < needle.count && lowered(text[i + j]) == needle[j] { j += 1 }
                        if j == needle.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// An ASCII capital made small; any other byte as it is.
    @inline(__always)
    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}
