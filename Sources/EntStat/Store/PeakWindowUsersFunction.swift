import CSQLite

/// `peak_window_users(windows)`: an SQL aggregate that every connection of entstat offers
/// to analyst queries. Over the `person_day.windows` bitmaps of a group of rows (one
/// person-day each; bit w of byte w/8, lowest bit first, is 5-minute window w), it returns
/// the largest number of rows with the same window set: the day's peak of concurrent users
/// (SPEC §2.4) when the group is one day's persons. NULL for a group without rows.
///
/// Counting the bits in SQL costs hundreds of steps per person-day (18 s for a commune's
/// school year); here a row costs one pass over its 38 bytes.
enum PeakWindowUsersFunction {
    static let name = "peak_window_users"
    /// Windows counted: a 25-hour day has 300; a longer bitmap is an error.
    static let maxWindows = 512

    /// Makes the function available on `db`.
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_function_v2(db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, nil,
                                   { context, _, arguments in PeakWindowUsersFunction.step(context, arguments) },
                                   { context in PeakWindowUsersFunction.final(context) }, nil)
    }

    private static func step(_ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
        guard let counts = sqlite3_aggregate_context(context, Int32(maxWindows * MemoryLayout<Int32>.stride)) else {
            sqlite3_result_error_nomem(context)
            return
        }
        let value = arguments?[0]
        guard sqlite3_value_type(value) != SQLITE_NULL else { return }
        let length = Int(sqlite3_value_bytes(value))
        guard length * 8 <= maxWindows else {
            sqlite3_result_error(context, "\(name) : bitmap de \(length) octets, au plus \(maxWindows / 8) prévus", -1)
            return
        }
        guard length > 0, let blob = sqlite3_value_blob(value) else { return }
        let bytes = blob.assumingMemoryBound(to: UInt8.self)
        let counters = counts.assumingMemoryBound(to: Int32.self)
        for i in 0..<length {
            var byte = bytes[i]
            while byte != 0 {
                counters[i * 8 + byte.trailingZeroBitCount] += 1
                byte &= byte - 1
            }
        }
    }

    private static func final(_ context: OpaquePointer?) {
        guard let counts = sqlite3_aggregate_context(context, 0) else {
            sqlite3_result_null(context)
            return
        }
        let counters = counts.assumingMemoryBound(to: Int32.self)
        var peak: Int32 = 0
        for w in 0..<maxWindows { peak = max(peak, counters[w]) }
        sqlite3_result_int64(context, Int64(peak))
    }
}
