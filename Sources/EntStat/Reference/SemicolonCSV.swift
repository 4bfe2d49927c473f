/// Reads the semicolon-separated reference files (SPEC §1.1, §1.2): header row, fields in
/// double quotes may hold `;`, line breaks and doubled quotes (`""`). A leading BOM is
/// dropped; lines end in `\n` or `\r\n`; blank lines are skipped. A file whose header line
/// ends in a bare `\r` (old Mac line ends) is refused, saying so.
public struct SemicolonCSV {
    /// A row with the line it started on.
    public struct Row {
        /// The line the row started on (a quoted field may span several).
        public let line: Int
        /// The row's fields, quotes removed and `""` undone, not trimmed.
        public let fields: [String]
        /// True for a last row the file ended in without a line break.
        public var unterminated = false
        /// True when a carriage return not followed by a line feed ended a line of the row
        /// (outside quotes): bare-CR line ends (old Mac format), which this reader takes
        /// for text, so that the whole file looks like one long row.
        var hasBareCR = false

        /// A row that started on `line`; `unterminated` for a last row with no line break after it.
        public init(line: Int, fields: [String], unterminated: Bool = false) {
            self.line = line
            self.fields = fields
            self.unterminated = unterminated
        }
    }

    /// The header's column names, trimmed (the empty names a trailing `;` leaves dropped).
    public let header: [String]
    /// The rows after the header, blank lines skipped.
    public let rows: [Row]

    /// Why a reference file could not be read.
    public struct Failure: Error, CustomStringConvertible {
        /// The file that could not be read.
        public let file: String
        /// The line where the problem is.
        public let line: Int
        /// What is wrong and what to do, in French.
        public let message: String
        /// The one-line error, `FILE: ligne N : MESSAGE` (`ErrorLine`).
        public var description: String { ErrorLine.format(file, "ligne \(line)", message) }

        static func noHeader(file: String) -> Failure {
            Failure(file: file, line: 1, message: "fichier vide (ligne d'en-tête attendue)")
        }

        /// A header line ended by a bare CR: the file's line ends are old Mac ones.
        static func bareCR(file: String) -> Failure {
            Failure(file: file, line: 1, message: "fins de ligne CR seules (ancien format Mac) : convertissez en LF ou CRLF")
        }
    }

    /// Parses a whole file's bytes.
    public init(bytes: [UInt8], file: String) throws(Failure) {
        var records: [Row] = []
        var parser = Parser()
        bytes.withUnsafeBytes { parser.feed($0, final: true) { records.append($0) } }
        // Bare-CR line ends first: they are why anything else looks wrong.
        if records.first?.hasBareCR == true { throw Failure.bareCR(file: file) }
        if let failure = parser.failure(file: file) { throw failure }
        guard let first = records.first else { throw Failure.noHeader(file: file) }
        header = SemicolonCSV.headerNames(first.fields)
        rows = Array(records.dropFirst())
        if let failure = SemicolonCSV.check(rows: rows.count, last: rows.last, header: header, file: file) { throw failure }
    }

    /// What makes a whole file unusable once read: no row after the header (a reference
    /// file replaces the previous one whole, so an empty one would empty the directory),
    /// or a last row shorter than the header with no line break after it (a file cut in
    /// the middle of a line: the rows after it are missing).
    static func check(rows: Int, last: Row?, header: [String], file: String) -> Failure? {
        if rows == 0 {
            return Failure(file: file, line: 2, message: "aucune ligne après l'en-tête ; vérifiez le fichier")
        }
        if let last, last.unterminated, last.fields.count < header.count {
            return Failure(file: file, line: last.line, message: "dernière ligne incomplète (\(fields(last.fields.count)) au lieu de \(header.count)) et sans fin de ligne : fichier tronqué ? ; recopiez le fichier complet")
        }
        return nil
    }

    /// Reads a file (plain or gzip) record by record, in constant memory: `onHeader` gets
    /// the header row (trimmed) once, `onRow` every following row, and `rawObserver` every
    /// raw byte (for the file's hash). A national `accounts.csv` holds millions of rows.
    public static func stream(path: String, file: String, rawObserver: ((UnsafeRawBufferPointer) -> Void)? = nil,
                              onHeader: ([String]) throws -> Void, onRow: (Row) throws -> Void) throws {
        let stream = DecodedByteStream(reader: try ByteReader(path: path))
        stream.rawObserver = rawObserver
        var parser = Parser()
        var header: [String]?
        var rows = 0
        var last: Row?
        let emit = { (row: Row) throws in
            if header != nil {
                rows += 1
                last = row
                try onRow(row)
            } else {
                if row.hasBareCR { throw Failure.bareCR(file: file) }
                header = SemicolonCSV.headerNames(row.fields)
                try onHeader(header!)
            }
        }
        while let chunk = try stream.next() { try parser.feed(chunk, final: false, emit) }
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true, emit)
        if let failure = parser.failure(file: file) { throw failure }
        guard let header else { throw Failure.noHeader(file: file) }
        if let failure = check(rows: rows, last: last, header: header, file: file) { throw failure }
    }

    /// The record splitter, fed chunk by chunk. It keeps the last byte of a chunk for the
    /// next one, since `"` and `\r` need the byte after them to be understood.
    struct Parser {
        private var fields: [String] = []
        private var field: [UInt8] = []
        private(set) var inQuotes = false
        private var fieldWasQuoted = false
        private var line = 1
        /// The line the record being read started on.
        private(set) var recordLine = 1
        private var carry: [UInt8] = []
        private var started = false
        /// True right after a closing quote: only `;`, a line break, spaces or tabs may follow.
        private var afterClosingQuote = false
        /// The line of the first text found after a closing quote.
        private var strayQuoteLine: Int?
        /// True once the record being read has a bare CR outside quotes (`Row.hasBareCR`).
        private var recordHasBareCR = false
        /// The line of the first field that is not UTF-8 (a file saved in Windows-1252 or
        /// Latin-1, as spreadsheets often do: its accented names would be read wrong).
        private var invalidUTF8Line: Int?

        /// Why the input is malformed, once it has all been fed: it ended inside quotes,
        /// text followed a closing quote (a quote misplaced, or one never closed earlier that
        /// swallowed the lines up to the next quote), or a field is not UTF-8.
        func failure(file: String) -> Failure? {
            if let line = strayQuoteLine {
                return Failure(file: file, line: line, message: "texte après un guillemet fermant (guillemet mal placé, ou ouvert plus haut et jamais refermé) ; corrigez les guillemets")
            }
            if inQuotes { return Failure(file: file, line: recordLine, message: "guillemet ouvert jamais refermé") }
            if let line = invalidUTF8Line {
                return Failure(file: file, line: line, message: "texte qui n'est pas en UTF-8 (fichier enregistré en Windows-1252 ou Latin-1 ?) ; enregistrez-le en UTF-8 (dans un tableur : « CSV UTF-8 »)")
            }
            return nil
        }

        mutating func feed(_ chunk: UnsafeRawBufferPointer, final: Bool, _ emit: (Row) throws -> Void) rethrows {
            let bytes: [UInt8] = carry.isEmpty ? Array(chunk) : carry + Array(chunk)
            carry.removeAll()
            var i = 0
            if !started {
                // A leading byte order mark is dropped.
                guard bytes.count >= 3 || final else { carry = bytes; return }
                started = true
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            }
            let end = final ? bytes.count : bytes.count - 1
            while i < end {
                let b = bytes[i]
                if inQuotes {
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                            field.append(b)
                            i += 2
                            continue
                        }
                        inQuotes = false
                        afterClosingQuote = true
                        i += 1
                    } else {
                        // The run of bytes up to the next quote, at once (b is not one).
                        var j = i
                        while j < end && bytes[j] != UInt8(ascii: "\"") {
                            if bytes[j] == 0x0A { line += 1 }
                            j += 1
                        }
                        field.append(contentsOf: bytes[i..<j])
                        i = j
                    }
                    continue
                }
                if afterClosingQuote {
                    switch b {
                    case UInt8(ascii: ";"), 0x0A, 0x0D: afterClosingQuote = false
                    case UInt8(ascii: " "), 0x09: break
                    default:
                        if strayQuoteLine == nil { strayQuoteLine = line }
                        afterClosingQuote = false
                    }
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
                case 0x0D:
                    // Kept as text, as before; the row says it had one (a header with one
                    // is refused: the file's line ends are bare CRs).
                    recordHasBareCR = true
                    field.append(b)
                case 0x0A:
                    try endRecord(emit)
                    line += 1
                    recordLine = line
                default:
                    if afterClosingQuote {
                        field.append(b)
                    } else {
                        // The run of bytes up to the next one that means something, at once.
                        var j = i + 1
                        while j < end, !SemicolonCSV.isSpecial(bytes[j]) { j += 1 }
                        field.append(contentsOf: bytes[i..<j])
                        i = j
                        continue
                    }
                }
                i += 1
            }
            if i < bytes.count { carry = Array(bytes[i...]) }
            if final && !inQuotes && (!field.isEmpty || !fields.isEmpty) { try endRecord(emit, unterminated: true) }
        }

        private mutating func endField() {
            if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else {
                if invalidUTF8Line == nil { invalidUTF8Line = recordLine }
                fields.append(String(decoding: field, as: UTF8.self))
            }
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }

        private mutating func endRecord(_ emit: (Row) throws -> Void, unterminated: Bool = false) rethrows {
            endField()
            afterClosingQuote = false
            let record = fields
            fields.removeAll(keepingCapacity: true)
            var row = Row(line: recordLine, fields: record, unterminated: unterminated)
            row.hasBareCR = recordHasBareCR
            recordHasBareCR = false
            if !(record.count == 1 && record[0].isEmpty) {
                try emit(row)
            }
        }
    }

    /// The rows that have as many fields as the header (see `isComplete`); each other one
    /// becomes a warning ("ligne ignorée") in `warnings`.
    public func completeRows(file: String, warnings: inout [ReferenceWarning]) -> [Row] {
        rows.filter { SemicolonCSV.isComplete($0, fieldCount: header.count, file: file, warnings: &warnings) }
    }

    /// True when the row has the header's `fieldCount` fields (extra ones empty: a trailing
    /// `;`); otherwise a warning ("ligne ignorée") joins `warnings`. A row with more
    /// filled fields than the header has a stray `;`: its columns would be shifted.
    public static func isComplete(_ row: Row, fieldCount: Int, file: String, warnings: inout [ReferenceWarning]) -> Bool {
        let extraFilled = row.fields.count > fieldCount && row.fields[fieldCount...].contains { !$0.trimmed().isEmpty }
        guard row.fields.count >= fieldCount, !extraFilled else {
            warnings.append(ReferenceWarning(file: file, line: row.line, message: "\(fields(row.fields.count)) au lieu de \(fieldCount) ; ligne ignorée"))
            return false
        }
        return true
    }

    /// The header's column names, trimmed, without the empty names a trailing `;` leaves
    /// (a spreadsheet's export): the rows are then complete without that `;`.
    static func headerNames(_ fields: [String]) -> [String] {
        var names = fields.map { $0.trimmed() }
        while names.count > 1, names.last?.isEmpty == true { names.removeLast() }
        return names
    }

    /// A byte that ends a run of plain text outside quotes: a quote, a separator or a line end.
    static func isSpecial(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ";") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D
    }

    /// `1 champ`, `3 champs`.
    static func fields(_ n: Int) -> String { n == 1 ? "1 champ" : "\(n) champs" }

    /// Index of a header column, compared case-insensitively.
    public func column(_ name: String) -> Int? {
        SemicolonCSV.column(name, in: header)
    }

    static func column(_ name: String, in header: [String]) -> Int? {
        header.firstIndex { $0.lowercased() == name.lowercased() }
    }
}
