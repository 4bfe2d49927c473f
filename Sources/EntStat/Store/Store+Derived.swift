/// The derived tables (`activity`, `person_day`, `visit_start`, `day_window`) are pure
/// functions of the timelines and of the identity → person mapping. They are recomputed
/// for exactly the (person, day) pairs whose inputs changed, inside the same transaction
/// as the change, so the store is never seen half-updated.
extension Store {
    /// A person on a local day.
    public struct PersonDay: Hashable, Sendable {
        public let person: Int64
        public let day: Int
        public init(person: Int64, day: Int) {
            self.person = person
            self.day = day
        }
    }

    /// Recomputes every derived row of these (person, day) pairs, then the concurrency
    /// windows of their days.
    public func recomputeDerived(_ pairs: Set<PersonDay>) throws {
        let load = try db.statement("""
            SELECT t.entries FROM identity i JOIN timeline t ON t.identity = i.id AND t.day = ?2
            WHERE i.person = ?1
            """)
        let deleteActivity = try db.statement("DELETE FROM activity WHERE day = ?1 AND person = ?2")
        let insertActivity = try db.statement("INSERT INTO activity(day, person, source, feature, requests, logins, visits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        let deleteDay = try db.statement("DELETE FROM person_day WHERE person = ?1 AND day = ?2")
        let insertDay = try db.statement("INSERT INTO person_day(person, day, windows) VALUES (?1, ?2, ?3)")
        let deleteStarts = try db.statement("DELETE FROM visit_start WHERE day = ?1 AND person = ?2")
        let insertStart = try db.statement("INSERT INTO visit_start(day, person, hour, visits) VALUES (?1, ?2, ?3, ?4)")
        var days = Set<Int>()
        var entries: [TimelineEntry] = []
        for pair in pairs.sorted(by: { ($0.day, $0.person) < ($1.day, $1.person) }) {
            days.insert(pair.day)
            entries.removeAll(keepingCapacity: true)
            load.reset()
            try load.bind(.integer(pair.person), .int(pair.day))
            while try load.step() { TimelineEntry.decode(load.blob(0), appendingTo: &entries) }
            TimelineEntry.normalize(&entries)
            try deleteActivity.run(.int(pair.day), .integer(pair.person))
            try deleteDay.run(.integer(pair.person), .int(pair.day))
            try deleteStarts.run(.int(pair.day), .integer(pair.person))
            guard !entries.isEmpty else { continue }
            let activity = DayActivity(entries: entries, dayStart: ParisClock.midnight(ofDay: pair.day))
            for (key, counts) in activity.groups {
                let feature = key.featureID.map { featureNames[$0] ?? FeatureRules.fallback } ?? "*"
                try insertActivity.execute(pair.day, pair.person, key.source?.rawValue ?? "*", feature,
                                           counts.requests, counts.logins, counts.visits)
            }
            try insertDay.run(.integer(pair.person), .int(pair.day), .blob(activity.windows))
            for (hour, visits) in activity.visitStarts {
                try insertStart.execute(pair.day, pair.person, hour, visits)
            }
        }
        try recomputeWindows(days: days)
    }

    /// Recounts the distinct persons of every 5-minute window of these days.
    public func recomputeWindows(days: Set<Int>) throws {
        let delete = try db.statement("DELETE FROM day_window WHERE day = ?1")
        let select = try db.statement("SELECT windows FROM person_day WHERE day = ?1")
        let insert = try db.statement("INSERT INTO day_window(day, window, users) VALUES (?1, ?2, ?3)")
        for day in days.sorted() {
            try delete.run(.int(day))
            var users = [Int](repeating: 0, count: DayActivity.windowCount)
            select.reset()
            try select.bind(.int(day))
            while try select.step() {
                let bits = select.blob(0)
                for byteIndex in 0..<bits.count where bits[byteIndex] != 0 {
                    let byte = bits[byteIndex]
                    for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 {
                        let w = byteIndex * 8 + bit
                        if w < users.count { users[w] += 1 }
                    }
                }
            }
            for (w, n) in users.enumerated() where n > 0 {
                try insert.run(.int(day), .int(w), .int(n))
            }
        }
    }
}
