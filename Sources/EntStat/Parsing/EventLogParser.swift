#if canImport(Glibc)
import Glibc
#endif

/// Parses one JSON object per line (SPEC §1.4) on raw bytes.
///
/// The whole line is validated as JSON (RFC 8259 grammar: strings, escapes, numbers,
/// nesting, `null`); unknown keys of any type are skipped; key order is free and a repeated
/// key keeps its last value. Only the fields the figures need are decoded, into scratch
/// buffers reused from line to line. Bytes above 0x7F inside strings are taken as they
/// are (no UTF-8 validation: a stray byte in a user agent must not lose a real record).
public final class EventLogParser {
    private var userBuffer = ScratchBuffer()
    private var moduleBuffer = ScratchBuffer()
    private var profilBuffer = ScratchBuffer()
    private var eventTypeBuffer = ScratchBuffer()
    private var keyBuffer = ScratchBuffer()
    private var structureBuffer = ScratchBuffer()
    private var structureBounds: [Range<Int>] = []
    private let maximumDepth = 256

    /// A parser whose scratch buffers serve every line it reads.
    public init() {}

    deinit {
        for buffer in [userBuffer, moduleBuffer, profilBuffer, eventTypeBuffer, keyBuffer, structureBuffer] {
            buffer.deallocate()
        }
    }

    private enum Field { case eventType, module, date, userId, profil, structures, other }

    /// The record of one event-log line, or why the line is rejected; its strings are valid
    /// until the next call.
    public func parse(_ line: UnsafeRawBufferPointer) throws(LineRejection) -> EventLogRecord {
        var s = JSONScanner(line)
        s.skipWhitespace()
        guard s.peek == UInt8(ascii: "{") else { throw .notJSONObject }
        s.index += 1
        var epochSeconds: Int64?
        var dateWasNotANumber = false
        var hasUser = false, hasModule = false, hasProfil = false, isLogin = false
        // The last value of each string field: a slice of the line, or of its scratch buffer
        // when it held an escape (`JSONScanner.stringBytes`).
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        var user = none, module = none, profil = none
        // The fields whose last value is neither a string nor null (`EventStringField.bit`):
        // of a key given twice, the last counts, as for `date`.
        var wrongType: UInt8 = 0
        @inline(__always) func typed(_ read: Bool?, _ field: EventStringField) -> Bool {
            if read == nil { wrongType |= field.bit } else { wrongType &= ~field.bit }
            return read == true
        }
        var structuresRaw = 0..<0
        structureBuffer.removeAll()
        structureBounds.removeAll(keepingCapacity: true)

        s.skipWhitespace()
        if s.peek == UInt8(ascii: "}") {
            s.index += 1
        } else {
            while true {
                s.skipWhitespace()
                let key = try s.stringBytes(scratch: &keyBuffer)
                s.skipWhitespace()
                guard s.peek == UInt8(ascii: ":") else { throw .badJSON(offset: s.index) }
                s.index += 1
                s.skipWhitespace()
                switch EventLogParser.field(key) {
                case .date:
                    if let ms = try s.numberIfPresent() {
                        epochSeconds = ms
                        dateWasNotANumber = false
                    } else {
                        try s.skipValue(depth: 0, limit: maximumDepth)
                        epochSeconds = nil
                        dateWasNotANumber = true
                    }
                case .userId:
                    let (read, value) = try s.stringOrNull(scratch: &userBuffer, limit: maximumDepth)
                    user = value
                    hasUser = typed(read, .userId) && !value.isEmpty
                case .module:
                    let (read, value) = try s.stringOrNull(scratch: &moduleBuffer, limit: maximumDepth)
                    module = value
                    hasModule = typed(read, .module)
                case .profil:
                    let (read, value) = try s.stringOrNull(scratch: &profilBuffer, limit: maximumDepth)
                    profil = value
                    hasProfil = typed(read, .profil)
                case .eventType:
                    let (read, value) = try s.stringOrNull(scratch: &eventTypeBuffer, limit: maximumDepth)
                    isLogin = typed(read, .eventType) && EventLogParser.isLoginWord(value)
                case .structures:
                    let start = s.index
                    structureBuffer.removeAll()
                    structureBounds.removeAll(keepingCapacity: true)
                    if s.peek == UInt8(ascii: "[") {
                        s.index += 1
                        s.skipWhitespace()
                        if s.peek == UInt8(ascii: "]") {
                            s.index += 1
                        } else {
                            while true {
                                s.skipWhitespace()
                                if s.peek == UInt8(ascii: "\"") {
                                    let from = structureBuffer.count
                                    try s.string(into: &structureBuffer)
                                    structureBounds.append(from..<structureBuffer.count)
                                } else {
                                    try s.skipValue(depth: 1, limit: maximumDepth)
                                }
                                s.skipWhitespace()
                                if s.peek == UInt8(ascii: ",") { s.index += 1; continue }
                                if s.peek == UInt8(ascii: "]") { s.index += 1; break }
                                throw .badJSON(offset: s.index)
                            }
                        }
                    } else {
                        try s.skipValue(depth: 0, limit: maximumDepth)
                    }
                    structuresRaw = start..<s.index
                case .other:
                    try s.skipValue(depth: 0, limit: maximumDepth)
                }
                s.skipWhitespace()
                if s.peek == UInt8(ascii: ",") { s.index += 1; continue }
                if s.peek == UInt8(ascii: "}") { s.index += 1; break }
                throw .badJSON(offset: s.index)
            }
        }
        s.skipWhitespace()
        guard s.atEnd else { throw .badJSON(offset: s.index) }
        if wrongType != 0 { throw .fieldNotAString(EventStringField(rawValue: wrongType.trailingZeroBitCount)!) }
        guard let seconds = epochSeconds else {
            throw dateWasNotANumber ? .dateNotANumber : .missingDate
        }

        var record = EventLogRecord()
        record.epochSeconds = seconds
        record.isLogin = isLogin
        if hasUser { record.user = user }
        if hasModule { record.module = module }
        if hasProfil { record.profil = profil }
        record.structuresRaw = UnsafeRawBufferPointer(rebasing: line[structuresRaw])
        return record
    }

    /// The string elements of the last line's `structures`, decoded (valid until the next line).
    public var structures: [UnsafeRawBufferPointer] {
        structureBounds.map { structureBuffer[$0] }
    }

    private static func field(_ key: UnsafeRawBufferPointer) -> Field {
        switch key.count {
        case 4 where equals(key, "date"): return .date
        case 6 where equals(key, "userId"): return .userId
        case 6 where equals(key, "module"): return .module
        case 6 where equals(key, "profil"): return .profil
        case 10 where equals(key, "event-type"): return .eventType
        case 10 where equals(key, "structures"): return .structures
        default: return .other
        }
    }

    /// Byte equality with an ASCII literal of the same length (no generic sequence code:
    /// this runs for every key of every line).
    @inline(__always)
    private static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount && memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
    }

    private static func isLoginWord(_ word: UnsafeRawBufferPointer) -> Bool {
        guard word.count == 5 else { return false }
        let login: StaticString = "LOGIN"
        for i in 0..<5 where word[i] & 0xDF != login.utf8Start[i] { return false }
        return true
    }
}
