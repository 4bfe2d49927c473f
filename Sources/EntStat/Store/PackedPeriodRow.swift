/// The rows of one person over one whole period, packed into one row of `person_period`
/// (migration 13): the total row (source and feature '*') in columns `days`, `requests`,
/// `logins`, `visits`, and every other row in `detail`, a JSON array of
/// `[source, feature, days, requests, logins, visits]` in (source, feature) byte order.
///
/// **One source** (migration 15). When every row of the person is of one log source S
/// (every person of a store fed by one ENT), each ('*', feature) row repeats (S, feature)
/// and (S, '*') repeats the total. Such a row's detail keeps each row once, as a JSON
/// object: `{"S":[[feature, days, requests, logins, visits], …]}` in feature byte order,
/// each entry being both ('*', feature) and (S, feature), and the total being (S, '*') too.
/// Less than half the bytes: the national events week's `person_period` 1.55 → 0.71 GB,
/// its `person_day_activity` 0.61 → 0.27 GB. Writers choose it only when the rows repeat
/// exactly (`PeriodRowPacker`, `PackedDayRow.oneSource`); readers accept both forms.
///
/// A person has about fifteen rows per period (the total, one per log, one per service,
/// one per log and service); one B-tree row instead of fifteen is what makes the rollups
/// cheap to write (a first ingest appends them all) and to read. The view
/// `activity_period` expands the packed rows back into rows with SQLite's `json_each`, for
/// analysts; the engine decodes them itself (`RollupRowStream`).
///
/// `days = 0` marks a packed row without a total row (never written by entstat: every
/// person with a row in a period has its total row; kept so that such a row would not
/// appear as a total).
enum PackedPeriodRow {
    /// Appends the JSON string of `text` (quotes included; `"`, `\` and control bytes
    /// escaped; other bytes as they are).
    static func appendString(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\")); out.append(byte)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the decimal digits of `value`.
    @inline(__always)
    static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        var v = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if v < 10 { out.append(UInt8(ascii: "0") &+ UInt8(v)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[n] = UInt8(ascii: "0") &+ UInt8(v % 10); v /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    /// Appends the end of a detail entry, after its two names: `,days,requests,logins,visits]`.
    static func appendCounts(days: Int64, requests: Int64, logins: Int64, visits: Int64, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ",")); appendInt(days, to: &out)
        out.append(UInt8(ascii: ",")); appendInt(requests, to: &out)
        out.append(UInt8(ascii: ",")); appendInt(logins, to: &out)
        out.append(UInt8(ascii: ",")); appendInt(visits, to: &out)
        out.append(UInt8(ascii: "]"))
    }

    /// Appends the start of a detail of one source, `{"S":[`, from S's JSON string.
    static func appendOneSourceStart(quotedSource: some Sequence<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        out.append(contentsOf: quotedSource)
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(ascii: "["))
    }

    /// Appends entry `index` of a detail of one source, `[feature,days,requests,logins,visits]`
    /// (after a comma but for the first), from the feature's JSON string.
    static func appendOneSourceEntry(_ index: Int, quotedFeature: some Sequence<UInt8>, days: Int64, requests: Int64,
                                     logins: Int64, visits: Int64, to out: inout [UInt8]) {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "["))
        out.append(contentsOf: quotedFeature)
        appendCounts(days: days, requests: requests, logins: logins, visits: visits, to: &out)
    }

    /// Appends the end of a detail of one source, `]}`.
    static func appendOneSourceEnd(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "]"))
        out.append(UInt8(ascii: "}"))
    }

    /// True when `text` is the single byte `*`.
    @inline(__always)
    static func isStar(_ text: UnsafeRawBufferPointer) -> Bool {
        text.count == 1 && text[0] == UInt8(ascii: "*")
    }
}
