/// The timeline points of the small files that share a transaction (`LogIngester`), kept in
/// memory until it commits, then merged into the stored timelines once per (identity, day).
///
/// A day of a server's hourly event logs is two dozen files, and most users of the day are
/// in several of them: written file by file, their timeline of the day was read, merged and
/// written again for every file (0.96 M rewrites in the Somme's school year). Kept here, the
/// day's points of all the files of the transaction are written once, in the order of the
/// table's key, and the (person, day) pair queued once.
///
/// The points of the file being written are the last ones added since `startFile()`; if the
/// file is rolled back to its savepoint, `dropFile()` drops them and keeps the points of the
/// files before it. `write(to:)` must run outside any file's savepoint (before the commit,
/// or between two files), so that a later rollback cannot undo what it wrote for the files
/// before.
struct BufferedTimelines {
    /// One group of points of a file's batch: an identity's points on a local day.
    private struct Part {
        var day: Int
        var identity: Int64
        var person: Int64
        var start: Int
        var end: Int
    }

    private var parts: [Part] = []
    private var entries: [TimelineEntry] = []
    /// Where the current file's parts and points begin.
    private var fileStart = (parts: 0, entries: 0)

    var isEmpty: Bool { parts.isEmpty }
    /// Points held, the measure of its memory (about 8 bytes each, plus 40 per part).
    var entryCount: Int { entries.count }

    /// Adds an identity's points of a day (sorted, equal points added up, as a batch's group).
    mutating func add(identity: Int64, person: Int64, day: Int, _ points: ArraySlice<TimelineEntry>) {
        let start = entries.count
        entries.append(contentsOf: points)
        parts.append(Part(day: day, identity: identity, person: person, start: start, end: entries.count))
    }

    /// The points added from now on are the current file's.
    mutating func startFile() {
        fileStart = (parts.count, entries.count)
    }

    /// Drops the current file's points (its savepoint was rolled back).
    mutating func dropFile() {
        parts.removeLast(parts.count - fileStart.parts)
        entries.removeLast(entries.count - fileStart.entries)
    }

    /// Drops every point (the transaction was rolled back, or they were written).
    mutating func removeAll() {
        parts.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        fileStart = (0, 0)
    }

    /// Merges every buffered (identity, day) into its stored timeline (inserted when there
    /// is none), in the order of the table's key, and queues its (person, day) for the
    /// derived figures; then empties the buffer.
    mutating func write(to db: Database) throws {
        guard !parts.isEmpty else { return }
        let order = parts.indices.sorted { a, b in
            let x = parts[a], y = parts[b]
            return x.day != y.day ? x.day < y.day : x.identity != y.identity ? x.identity < y.identity : a < b
        }
        let select = try db.statement("SELECT entries FROM timeline WHERE identity = ?1 AND day = ?2")
        let update = try db.statement("UPDATE timeline SET entries = ?3 WHERE identity = ?1 AND day = ?2")
        var inserts = MultiRowInsert(db: db, table: "timeline", columns: ["identity", "day", "entries"])
        var queue = MultiRowInsert(db: db, verb: "INSERT OR IGNORE", table: "pending_person_day", columns: ["person", "day"])
        var merged: [TimelineEntry] = []
        var i = 0
        while i < order.count {
            let first = parts[order[i]]
            var j = i + 1
            while j < order.count && parts[order[j]].day == first.day && parts[order[j]].identity == first.identity { j += 1 }
            merged.removeAll(keepingCapacity: true)
            for k in i..<j {
                let part = parts[order[k]]
                merged.append(contentsOf: entries[part.start..<part.end])
            }
            select.reset()
            try select.bind(.integer(first.identity), .int(first.day))
            if try select.step() {
                TimelineEntry.decode(select.blob(0), appendingTo: &merged)
                select.reset()
                TimelineEntry.normalize(&merged)
                try update.run(.integer(first.identity), .int(first.day), .blob(TimelineEntry.encode(merged)))
            } else {
                select.reset()
                // One part is a batch's group, already sorted with its equal points added up.
                if j - i > 1 { TimelineEntry.normalize(&merged) }
                try inserts.add(first.identity, first.day, TimelineEntry.encode(merged))
            }
            try queue.add(first.person, first.day)
            i = j
        }
        try inserts.flush()
        try queue.flush()
        removeAll()
    }
}
