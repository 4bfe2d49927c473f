import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// The parse stage of an ingest, run by a worker thread with no access to the store:
/// bytes (`DecodedByteStream`) → lines (`LineSplitter`) → records (`AccessLogParser`,
/// `EventLogParser`) → attributed facts (identity, local day, second, source, feature,
/// login), grouped into `ParsedBatch`es sent to the writer through a bounded channel.
///
/// Raw user ids are pseudonymised here, once per identity and file, and never leave the
/// worker. A batch is sent every `batchFacts` qualifying records, so the memory a file
/// needs does not grow with its size.
final class LogFileParser {
    /// What the parse stage needs to know; the same for every file of a run.
    struct Configuration: Sendable {
        var rules: FeatureRules
        /// Store feature id of each rule feature index.
        var featureIDs: [Int]
        var pseudonymizer: Pseudonymizer
        var rejectThreshold: Double
        var rejectSampleLimit: Int
        var batchFacts: Int
        /// Inflate and hash each file on a thread of its own (`ReadAheadDecoder`): for a
        /// run with fewer files than parse workers, whose spare cores would be idle.
        var decodeAhead = false
        /// The last local day a record may fall on: the day after the run began (Paris
        /// time), or the end of 2045. A record dated later came from a server clock set
        /// ahead; counted, it made a month of 2031 in the exports, stretched the store's
        /// range and `status`'s to it, and would have let a purge take the school year in
        /// progress for a closed one.
        var lastDay = LogFileParser.lastAcceptedDay()
    }

    /// The last local day a record read now may fall on: the day after today in Paris, the
    /// end of 2045 at the latest.
    static func lastAcceptedDay() -> Int {
        min(lastDay, ParisClock.localInstant(Int64(time(nil))).day + 1)
    }

    /// A qualifying record waiting to be grouped: `group` = identity number << 16 | day,
    /// `point` = second << 16 | code.
    private struct Fact {
        var group: UInt64
        var point: UInt64
    }

    private let configuration: Configuration
    private let eventParser = EventLogParser()
    private var identityTables = [ByteStringTable(), ByteStringTable()]
    /// Per identity number: digest of the last attributes sent.
    private var attributeDigests: [UInt64] = []
    private var batch = ParsedBatch()
    private var facts: [Fact] = []
    /// Normalised role of each raw `profil` met (a handful of values): `RoleName.normalize`
    /// folds text through `String`, once per value instead of once per identity.
    private var roleNames = ByteStringTable(capacity: 16)
    private var roles: [String?] = []

    static let firstDay = CivilDate(year: 2000, month: 1, day: 1).dayNumber
    static let lastDay = CivilDate(year: 2045, month: 12, day: 31).dayNumber

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Why the parse of a file stopped early.
    private enum Stop: Error {
        case cancelled
        case failed(FileFailure)
    }

    /// An earlier, shorter copy of a file, found in the ledger by its path or by the head of
    /// its content (`EarlierCopyFinder`), or in the same run (`RunCopies`): if the file
    /// starts with that copy's whole content
    /// (a log read while it was still being written, then fetched again, rotated or
    /// compressed once complete), only what follows is parsed, since the copy's records are
    /// in the store already.
    struct EarlierCopy: Sendable {
        var name: String
        var decodedBytes: Int
        var contentSHA256: [UInt8]
        /// Its format (nil: no well-formed record).
        var source: LogSource?
    }

    /// Parses `path` (`-` = standard input), sending every event of the file to `channel`,
    /// and finishes the channel. `bytesRead` receives the compressed offset as it grows.
    /// A file that continues one of the copies `findEarlier` gives for the head of its
    /// content (`LogContentHead`, nil when it has none; `EarlierCopyFinder`), or one of the
    /// files before it in the same run with that head (`run`: the run's files and this one's
    /// number among them), is parsed from where the longest such copy ended. A
    /// `streamed` path (`LogInput.stream`) is opened once only: its raw bytes are hashed as
    /// they are read, not beforehand, it has no size but the bytes it gave, and no earlier
    /// copy is looked for.
    func parse(path: String, streamed: Bool, findEarlier: (([UInt8]?) -> [EarlierCopy])? = nil,
               run: (copies: RunCopies, index: Int)? = nil,
               into channel: BoundedChannel<ParsedFileEvent>, bytesRead: (Int) -> Void) {
        identityTables = [ByteStringTable(), ByteStringTable()]
        attributeDigests.removeAll()
        batch = ParsedBatch()
        facts.removeAll(keepingCapacity: true)
        // The later files of the run that wait for this one are told how it ended, always
        // (`RunCopies.finish` keeps the first word: a parse that succeeded says so before
        // its last event, which may wait for the writer).
        defer { if let run { run.copies.finish(run.index, copy: nil) } }
        do {
            let summary = try read(path: path, streamed: streamed, findEarlier: findEarlier, run: run,
                                   channel: channel, bytesRead: bytesRead)
            if let run, !streamed {
                run.copies.finish(run.index, copy: EarlierCopy(name: path, decodedBytes: summary.report.decodedBytes,
                                                               contentSHA256: summary.contentSHA256, source: summary.report.source))
            }
            channel.send(.finished(summary))
        } catch Stop.cancelled {
        } catch Stop.failed(let failure) {
            channel.send(.failed(failure))
        } catch {
            channel.send(.failed(LogFileParser.failure(from: error)))
        }
        channel.finish()
        batch = ParsedBatch()
        facts = []
    }

    private func read(path: String, streamed: Bool, findEarlier: (([UInt8]?) -> [EarlierCopy])?,
                      run: (copies: RunCopies, index: Int)?,
                      channel: BoundedChannel<ParsedFileEvent>, bytesRead: (Int) -> Void) throws -> ParsedFileSummary {
        var report = FileReport(name: path)
        // Decoded bytes to pass over unparsed, and the lines they hold.
        var toSkip = 0
        var skippedLines = 0
        // Then pass over the rest of a line the earlier copy held cut but parsed.
        var skipToLineEnd = false
        var completedCutLine: ParsedFileSummary.CompletedCutLine?
        // The head of the content, kept in the ledger. A file (not a stream, which cannot be
        // read twice) looks for the copies it completes once its head is known: until then
        // its chunks wait here, unparsed (the head ends in the first chunk but for a first
        // line of kilobytes).
        var head = LogContentHead()
        var copiesChecked = streamed
        var heldChunks: [[UInt8]] = []
        if streamed, let run { run.copies.settle(run.index, head: nil) }
        let reader = try ByteReader(path: path)
        let rawSHA256 = streamed ? nil : try WholeFile.sha256(path)
        guard channel.send(.opened(rawSHA256: rawSHA256)) else { throw Stop.cancelled }
        let stream = DecodedByteStream(reader: reader)
        var rawHasher = SHA256()
        if streamed { stream.rawObserver = { rawHasher.update(bufferPointer: $0) } }
        var splitter = LineSplitter()
        var rejectSample: [RejectedLine] = []
        var format: LogSource?
        var firstRejectedLine = 0
        // Per reason (`LineRejection.kind`): lines rejected, and the first of them.
        var rejectionsByKind = [Int](repeating: 0, count: LineRejection.kindCount)
        var firstRejectionByKind = [(line: Int, rejection: LineRejection)?](repeating: nil, count: LineRejection.kindCount)
        var counters = (lines: 0, qualifying: 0, filtered: 0, rejected: 0)
        var firstDay = Int.max, lastDay = Int.min

        func handle(_ line: LineSplitter.Line) throws {
            if line.isBlank { return }
            counters.lines += 1
            do throws(LineRejection) {
                if line.truncated { throw .tooLong }
                let source = format ?? LogSource.of(firstLine: line.bytes)
                let day = try stage(line.bytes, as: source)
                format = source
                if let day {
                    counters.qualifying += 1
                    firstDay = min(firstDay, day)
                    lastDay = max(lastDay, day)
                } else {
                    counters.filtered += 1
                }
            } catch {
                counters.rejected += 1
                if firstRejectedLine == 0 { firstRejectedLine = line.number }
                rejectionsByKind[error.kind] += 1
                if firstRejectionByKind[error.kind] == nil { firstRejectionByKind[error.kind] = (line.number, error) }
                if rejectSample.count < configuration.rejectSampleLimit {
                    rejectSample.append(RejectedLine(line: line.number, reason: error.description, excerpt: RejectExcerpt.make(line.bytes)))
                }
            }
            if facts.count >= configuration.batchFacts {
                guard sendBatch(to: channel) else { throw Stop.cancelled }
            }
        }

        /// Feeds the splitter, past the bytes to skip (which the content hash still covers).
        func feedLines(_ chunk: UnsafeRawBufferPointer) throws {
            var chunk = chunk
            if toSkip > 0 {
                let k = min(toSkip, chunk.count)
                toSkip -= k
                chunk = UnsafeRawBufferPointer(rebasing: chunk[k...])
                if chunk.isEmpty { return }
            }
            if skipToLineEnd {
                guard let end = chunk.firstIndex(of: 0x0A) else { return }
                skipToLineEnd = false
                chunk = UnsafeRawBufferPointer(rebasing: chunk[(end + 1)...])
                if chunk.isEmpty { return }
            }
            try splitter.feed(chunk, handle)
        }

        /// Where parsing starts: after the longest copy, of those found, that this file
        /// starts with; then the chunks held until now are parsed.
        func checkCopies() throws {
            copiesChecked = true
            var found = findEarlier?(head.digest) ?? []
            if let run {
                run.copies.settle(run.index, head: head.digest)
                if let digest = head.digest { found += run.copies.copies(before: run.index, head: digest) }
            }
            var copies: [EarlierCopy] = []
            for copy in found where !copies.contains(where: { $0.contentSHA256 == copy.contentSHA256 }) { copies.append(copy) }
            if let (copy, start) = try continuation(of: copies, path: path) {
                toSkip = start.bytes
                skippedLines = start.lines
                skipToLineEnd = start.restOfLine
                report.completes = copy.name
                if start.rereadsCutLine {
                    completedCutLine = .init(contentSHA256: copy.contentSHA256, line: start.lines + 1)
                }
                if toSkip > 0 { splitter.resume(afterLines: skippedLines) }
            } else if !copies.isEmpty, let copy = try container(among: copies, path: path) {
                // The whole file is the start of a copy already read: nothing in it to count.
                toSkip = Int.max
                format = copy.source
                report.containedIn = copy.name
            }
            for chunk in heldChunks { try chunk.withUnsafeBytes { try feedLines($0) } }
            heldChunks = []
        }

        func take(_ chunk: UnsafeRawBufferPointer) throws {
            head.feed(chunk)
            if !copiesChecked {
                guard head.isSettled else {
                    heldChunks.append(Array(chunk))
                    return
                }
                try checkCopies()
            }
            try feedLines(chunk)
        }

        var contentSHA256: [UInt8]
        if configuration.decodeAhead, !streamed, let decoder = ReadAheadDecoder(stream: stream) {
            defer { decoder.stop() }
            try decoder.forEachChunk { chunk, offset in
                try take(chunk)
                bytesRead(offset)
            }
            contentSHA256 = decoder.contentSHA256
        } else {
            var contentHasher = SHA256()
            while let chunk = try stream.next() {
                contentHasher.update(bufferPointer: chunk)
                try take(chunk)
                bytesRead(stream.compressedOffset)
            }
            contentSHA256 = Array(contentHasher.finalize())
        }
        head.finish()
        if !copiesChecked { try checkCopies() }
        try splitter.finish(handle)
        guard sendBatch(to: channel) else { throw Stop.cancelled }

        report.source = format
        report.lines = counters.lines
        report.qualifying = counters.qualifying
        report.filtered = counters.filtered
        report.rejected = counters.rejected
        report.compressedBytes = reader.offset
        report.decodedBytes = stream.decodedBytes
        if firstDay <= lastDay {
            report.firstDay = firstDay
            report.lastDay = lastDay
        }
        if Double(counters.rejected) > configuration.rejectThreshold * Double(counters.lines) {
            // The most frequent reason; between equals, the one met first.
            let met = firstRejectionByKind.indices.compactMap { kind in
                firstRejectionByKind[kind].map { (count: rejectionsByKind[kind], line: $0.line, rejection: $0.rejection) }
            }
            let top = met.min { ($1.count, $0.line) < ($0.count, $1.line) } ?? (counters.rejected, firstRejectedLine, .tooLong)
            let reason = RejectReason(rejection: top.rejection, lines: top.count, firstLine: top.line,
                                      noLineParsed: counters.qualifying + counters.filtered == 0)
            throw Stop.failed(.tooManyRejects(rejected: counters.rejected, lines: counters.lines,
                                              firstRejectedLine: firstRejectedLine, mostFrequent: reason))
        }
        let status = streamed ? nil : reader.fileStatus()
        return ParsedFileSummary(report: report, contentSHA256: contentSHA256, headSHA256: head.digest,
                                 rawSHA256: rawSHA256 ?? Array(rawHasher.finalize()),
                                 size: status?.size ?? reader.offset, mtime: status?.mtime, rejectSample: rejectSample,
                                 completedCutLine: completedCutLine)
    }

    /// The longest of `copies` whose whole content this file begins with, and where to
    /// start parsing after it, with the lines before that point; nil when the file begins
    /// with none of them (or they were empty). After the copy's last line break; and after
    /// its last, unterminated line too when that line parses (the copy then counted or
    /// filtered it as it was: the rest of that line here is passed over, `restOfLine`),
    /// while a line cut short, which the copy rejected, is read again whole
    /// (`rereadsCutLine` when that line was not blank: the copy rejected it).
    /// Costs one more inflate of the longest copy's length, only for a file that has copies
    /// to check: the SHA-256 of the file's first bytes is taken at each copy's length.
    private func continuation(of copies: [EarlierCopy], path: String)
        throws -> (copy: EarlierCopy, start: (bytes: Int, lines: Int, restOfLine: Bool, rereadsCutLine: Bool))? {
        let ends = copies.filter { $0.decodedBytes > 0 }.sorted { $0.decodedBytes < $1.decodedBytes }
        guard let longest = ends.last?.decodedBytes else { return nil }
        let stream = DecodedByteStream(reader: try ByteReader(path: path))
        var hasher = SHA256()
        var seen = 0, lines = 0, lineStart = 0
        var tail: [UInt8] = []
        var next = 0
        var found: (copy: EarlierCopy, lines: Int, lineStart: Int, tail: [UInt8])?
        while seen < longest, let chunk = try stream.next() {
            var offset = 0
            while offset < chunk.count, next < ends.count {
                // Up to the next copy's length.
                let part = UnsafeRawBufferPointer(rebasing: chunk[offset..<min(chunk.count, offset + ends[next].decodedBytes - seen)])
                hasher.update(bufferPointer: part)
                var i = 0
                while i < part.count, let hit = memchr(part.baseAddress! + i, 0x0A, part.count - i) {
                    let at = part.baseAddress!.distance(to: UnsafeRawPointer(hit))
                    lines += 1
                    lineStart = seen + at + 1
                    tail.removeAll(keepingCapacity: true)
                    i = at + 1
                }
                if tail.count < 1 << 20 { tail.append(contentsOf: part[i...].prefix((1 << 20) - tail.count)) }
                seen += part.count
                offset += part.count
                while next < ends.count, ends[next].decodedBytes == seen {
                    if Array(hasher.finalize()) == ends[next].contentSHA256 {
                        found = (ends[next], lines, lineStart, tail)
                    }
                    next += 1
                }
            }
            if next == ends.count { break }
        }
        guard let found else { return nil }
        seen = found.copy.decodedBytes
        lines = found.lines
        lineStart = found.lineStart
        tail = found.tail
        func start(_ bytes: Int, _ lines: Int, _ restOfLine: Bool, _ rereadsCutLine: Bool)
            -> (copy: EarlierCopy, start: (bytes: Int, lines: Int, restOfLine: Bool, rereadsCutLine: Bool)) {
            (found.copy, (bytes, lines, restOfLine, rereadsCutLine))
        }
        if lineStart == seen || tail.isEmpty { return start(seen, lines, false, false) }
        var line = tail[...]
        // The copy's first line: its byte order mark was dropped before it was parsed.
        if lineStart == 0, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.last == 0x0D { line = line.dropLast() }
        let parses = line.withUnsafeBytes { bytes -> Bool in
            do {
                switch LogSource.of(firstLine: bytes) {
                case .access: _ = try AccessLogParser.parse(bytes)
                case .events: _ = try eventParser.parse(bytes)
                }
                return true
            } catch {
                return false
            }
        }
        // A line the copy parsed is done: the rest of it here is passed over, not read as a
        // line of its own (it would be rejected, and could tip the file over 5 %).
        // (A line of spaces and tabs was blank there, neither counted nor rejected.)
        let blank = line.withUnsafeBytes { LineSplitter.isBlank($0) }
        return parses ? start(seen, lines + 1, true, false) : start(lineStart, lines, false, !blank)
    }

    /// The copy among `copies` whose content starts with this file's whole content (a shorter
    /// copy read after the complete one), or nil. Checked on the copy's own file, where the
    /// ledger or the run saw it, when it is still there and still holds that content (the
    /// SHA-256 of its first `decodedBytes` bytes): the SHA-256 of its first bytes of this
    /// file's length must then be this file's. Costs an inflate of this file and of each
    /// such copy, only for a file whose head is a longer copy's that it does not continue.
    private func container(among copies: [EarlierCopy], path: String) throws -> EarlierCopy? {
        // Only copies whose file is there to read (not a stream's name, not gone), before
        // this file is inflated for them.
        let longer = copies.filter { copy in
            guard copy.decodedBytes > 0, copy.name != path, case .file = LogInput(path: copy.name) else { return false }
            return true
        }.sorted { $0.decodedBytes > $1.decodedBytes }
        guard let longest = longer.first?.decodedBytes else { return nil }
        let stream = DecodedByteStream(reader: try ByteReader(path: path))
        var hasher = SHA256()
        var length = 0
        while let chunk = try stream.next() {
            hasher.update(bufferPointer: chunk)
            length += chunk.count
            if length > longest { return nil }
        }
        guard length > 0 else { return nil }
        let digest = Array(hasher.finalize())
        for copy in longer where copy.decodedBytes >= length {
            guard let reader = try? ByteReader(path: copy.name) else { continue }
            let other = DecodedByteStream(reader: reader)
            var copyHasher = SHA256()
            var seen = 0
            var startsWithThis = false
            do {
                while seen < copy.decodedBytes, let chunk = try other.next() {
                    let part = chunk[0..<min(chunk.count, copy.decodedBytes - seen)]
                    if seen < length && seen + part.count >= length {
                        let cut = part.startIndex + (length - seen)
                        copyHasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: part[..<cut]))
                        startsWithThis = Array(copyHasher.finalize()) == digest
                        if !startsWithThis { break }
                        copyHasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: part[cut...]))
                    } else {
                        copyHasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: part))
                    }
                    seen += part.count
                }
            } catch {
                continue
            }
            if startsWithThis, seen == copy.decodedBytes, Array(copyHasher.finalize()) == copy.contentSHA256 { return copy }
        }
        return nil
    }

    /// Parses one line and stages its fact when it qualifies (SPEC §2.2); returns its local
    /// day, or nil when the record is filtered out.
    @inline(__always)
    private func stage(_ bytes: UnsafeRawBufferPointer, as source: LogSource) throws(LineRejection) -> Int? {
        let rules = configuration.rules
        let epoch: Int64, user: UnsafeRawBufferPointer, feature: UInt16, isLogin: Bool
        var event: EventLogRecord?
        switch source {
        case .access:
            let r = try AccessLogParser.parse(bytes)
            guard !r.user.isEmpty, (200..<400).contains(r.status), !r.path.isEmpty,
                  !AccessLogParser.isStaticAsset(r.path) else { return nil }
            epoch = r.epochSeconds
            user = r.user
            feature = rules.feature(forPath: r.path)
            isLogin = AccessLogParser.isLogin(r.path)
        case .events:
            let r = try eventParser.parse(bytes)
            epoch = r.epochSeconds
            guard !r.user.isEmpty else { return nil }
            user = r.user
            feature = r.module.isEmpty ? rules.fallbackID : rules.feature(forModule: r.module)
            isLogin = r.isLogin
            event = r
        }
        let local = ParisClock.localInstant(epoch)
        guard local.day >= LogFileParser.firstDay && local.day <= LogFileParser.lastDay else { throw .dateOutOfRange }
        guard local.day <= configuration.lastDay else { throw .dateInFuture }
        let identity = identityNumber(source: source, rawID: user)
        if let event { noteAttributes(of: identity, event) }
        let code = TimelineEntry.code(featureID: configuration.featureIDs[Int(feature)], isLogin: isLogin, source: source)
        facts.append(Fact(group: UInt64(identity) << 16 | UInt64(local.day),
                          point: UInt64(local.secondOfDay) << 16 | UInt64(code)))
        return local.day
    }

    /// The file's number for a raw user id, pseudonymising it when first met.
    @inline(__always)
    private func identityNumber(source: LogSource, rawID: UnsafeRawBufferPointer) -> Int {
        let table = source == .access ? 0 : 1
        let hash = ByteStringTable.hash(rawID)
        if let found = identityTables[table].find(rawID, hash: hash) { return Int(found) }
        let number = attributeDigests.count
        attributeDigests.append(0)
        batch.identities.append(.init(source: source, pseudonym: configuration.pseudonymizer.pseudonym(source: source, rawID: rawID)))
        identityTables[table].insert(rawID, hash: hash, value: Int32(number))
        return number
    }

    /// Notes the role (`profil`) and schools (`structures`) an event gives its identity,
    /// when they differ from the last ones noted in this file.
    private func noteAttributes(of identity: Int, _ event: EventLogRecord) {
        var digest = ByteStringTable.hash(event.profil) &* 31 &+ ByteStringTable.hash(event.structuresRaw)
        if digest == 0 { digest = 1 }
        guard attributeDigests[identity] != digest else { return }
        attributeDigests[identity] = digest
        var role: String?
        if !event.profil.isEmpty { role = normalizedRole(event.profil) }
        var schools: [String] = []
        for structure in eventParser.structures where !structure.isEmpty && structure.count <= 64 {
            let uai = String(decoding: structure, as: UTF8.self).trimmed()
            if !uai.isEmpty { schools.append(uai) }
        }
        batch.attributes.append(.init(identity: identity, role: role, schools: schools, digest: digest))
    }

    /// `RoleName.normalize` of a raw `profil`, remembered across files.
    private func normalizedRole(_ profil: UnsafeRawBufferPointer) -> String? {
        let hash = ByteStringTable.hash(profil)
        if let found = roleNames.find(profil, hash: hash) { return roles[Int(found)] }
        let role = RoleName.normalize(String(decoding: profil, as: UTF8.self))
        if roles.count < 1024 {
            roleNames.insert(profil, hash: hash, value: Int32(roles.count))
            roles.append(role)
        }
        return role
    }

    /// Groups the staged facts by (identity, day) and sends them with the identities and
    /// attributes met since the last batch. False when the writer cancelled the file.
    private func sendBatch(to channel: BoundedChannel<ParsedFileEvent>) -> Bool {
        facts.sort { $0.group != $1.group ? $0.group < $1.group : $0.point < $1.point }
        var i = 0
        batch.entries.reserveCapacity(facts.count)
        while i < facts.count {
            let group = facts[i].group
            let start = batch.entries.count
            while i < facts.count && facts[i].group == group {
                let point = facts[i].point
                var count: UInt32 = 0
                while i < facts.count && facts[i].group == group && facts[i].point == point {
                    count += 1
                    i += 1
                }
                batch.entries.append(TimelineEntry(second: UInt32(point >> 16), code: UInt16(point & 0xFFFF), count: count))
            }
            batch.groups.append(.init(identity: Int(group >> 16), day: Int(group & 0xFFFF), start: start, end: batch.entries.count))
        }
        facts.removeAll(keepingCapacity: true)
        let sent = channel.send(.batch(batch))
        batch = ParsedBatch()
        batch.firstIdentity = attributeDigests.count
        return sent
    }

    static func failure(from error: Error) -> FileFailure {
        switch error {
        case let f as FileFailure: return f
        case let f as DecodedByteStream.Failure:
            switch f {
            case .truncatedGzip(let o): return .truncatedGzip(offset: o)
            case .corruptGzip(let o, let r): return .corruptGzip(offset: o, reason: r)
            case .trailingGarbage(let o): return .trailingGarbage(offset: o)
            case .readFailed(let o, let r): return .readFailed(offset: o, reason: r)
            case .otherCompression(let c): return .otherCompression(c)
            case .gzipInsideGzip(let o): return .gzipInsideGzip(offset: o)
            }
        case let f as ByteReader.Failure:
            switch f {
            case .cannotOpen(_, let reason): return .cannotOpen(reason: reason)
            // `entstat ingest` passes on a folder only when it found no log it could read in it.
            case .isFolder: return .cannotOpen(reason: "dossier vide ou illisible, aucun journal lu")
            case .readFailed(_, let offset, let reason): return .readFailed(offset: offset, reason: reason)
            }
        default:
            return .store(message: "\(error)")
        }
    }
}
