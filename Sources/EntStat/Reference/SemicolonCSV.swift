/// Reads the semicolon-separated reference files (SPEC §1.1, §1.2): header row, fields in
/// double quotes may hold `;`, line breaks and doubled quotes (`""`). A leading BOM is
/// dropped; lines end in `\n` or `\r\n`; blank lines are skipped.
public struct SemicolonCSV {
    /// A row with the line it started on.
    public struct Row {
        public let line: Int
        public let fields: [String]
    }

    public let header: [String]
    public let rows: [Row]

    /// Why a reference file could not be read.
    public struct Failure: Error, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let message: String
        public var description: String { "\(file): ligne \(line) : \(message)" }
    }

    public init(bytes: [UInt8], file: String) throws(Failure) {
        var records: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Row(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                } else {
                    field.append(b)
                }
            case UInt8(ascii: ";"):
                endField()
            case 0x0D where i + 1 < bytes.count && bytes[i + 1] == 0x0A:
                break
            case 0x0A:
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            throw Failure(file: file, line: recordLine, message: "guillemet ouvert jamais refermé")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else {
            throw Failure(file: file, line: 1, message: "fichier vide (ligne d'en-tête attendue)")
        }
        header = first.fields.map { $0.trimmed() }
        rows = Array(records.dropFirst())
    }

    /// The rows that have at least as many fields as the header; each shorter one becomes a
    /// warning ("ligne ignorée") in `warnings`.
    public func completeRows(file: String, warnings: inout [ReferenceWarning]) -> [Row] {
        rows.filter { row in
            guard row.fields.count >= header.count else {
                warnings.append(ReferenceWarning(file: file, line: row.line, message: "\(row.fields.count) champs au lieu de \(header.count) ; ligne ignorée"))
                return false
            }
            return true
        }
    }

    /// Index of a header column, compared case-insensitively.
    public func column(_ name: String) -> Int? {
        header.firstIndex { $0.lowercased() == name.lowercased() }
    }
}
