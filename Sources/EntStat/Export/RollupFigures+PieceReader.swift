extension RollupFigures {
    /// Reads pieces: (person, combo id, requests, logins, visits) rows of one class of
    /// (source, feature): both '*', one of them '*', or neither; from the packed rows of
    /// whole periods (`person_period`) or of days (`person_day_activity`), one row per
    /// person and period or day, decoded by `RollupRowStream`.
    final class PieceReader {
        /// Packed rows of one period (`person_period`), expanded to the rows of `classes`.
        let rollupStatement: Statement
        let dayStatement: Statement
        let classes: PeriodRowClasses
        let readsSource: Bool
        let readsFeature: Bool
        private(set) var combos: [(source: String, feature: String)] = []
        private var sources = TextInterner("*")
        private var features = TextInterner("*")
        /// Combo id of (source id, feature id): comboIDs[source][feature], −1 when new.
        private var comboIDs: [[Int32]] = []

        convenience init(db: Database, hasSource: Bool, hasFeature: Bool, personFilter: String? = nil) throws {
            try self.init(db: db, classes: .of(hasSource: hasSource, hasFeature: hasFeature),
                          readsSource: hasSource, readsFeature: hasFeature, personFilter: personFilter)
        }

        /// Rows of `classes`; a column not read is '*' in every row of these classes. With
        /// `personFilter` (SQL on the packed rows' `person`, such as
        /// `RangeActivity.DayRange.personFilter`'s), only the rows of the persons it keeps.
        init(db: Database, classes: PeriodRowClasses = .all, readsSource: Bool = true, readsFeature: Bool = true,
             personFilter: String? = nil) throws {
            self.readsSource = readsSource
            self.readsFeature = readsFeature
            self.classes = classes
            // The totals alone (no grouping by source or feature) need no detail: not
            // selected, SQLite neither decodes it nor hands it over.
            let detail = classes == .total ? "" : ", detail"
            let persons = personFilter.map { " AND " + $0 } ?? ""
            rollupStatement = try db.prepare("""
                SELECT person, days, requests, logins, visits\(detail) FROM person_period
                WHERE kind = ?1 AND first_day = ?2\(persons)
                """)
            dayStatement = try db.prepare("""
                SELECT person, 1, requests, logins, visits\(detail) FROM person_day_activity
                WHERE day BETWEEN ?1 AND ?2\(persons)
                """)
        }

        /// The combo id of ('*', '*'), the totals (ids of "*" are 0); −1 before it is read.
        var totalCombo: Int {
            comboIDs.first?.first.map(Int.init) ?? -1
        }

        /// The id of a (source id, feature id) pair.
        private func combo(_ source: Int, _ feature: Int) -> Int {
            if source < comboIDs.count, feature < comboIDs[source].count {
                let known = comboIDs[source][feature]
                if known >= 0 { return Int(known) }
            }
            while comboIDs.count <= source { comboIDs.append([]) }
            while comboIDs[source].count <= feature { comboIDs[source].append(-1) }
            let id = combos.count
            comboIDs[source][feature] = Int32(id)
            combos.append((sources.texts[source], features.texts[feature]))
            return id
        }

        /// The rows of `pieces` summed person by person (subtracted pieces taken away), in
        /// memory (a GROUP BY would sort them all), each (person, combo id) handed to `body`
        /// once with its sums, in no particular order; keys left with no request, which had
        /// no activity in the pieces, are dropped. Rows of a person id no store can hold are
        /// left out (no grouping counts them).
        func sumPerPerson(_ pieces: [Piece], keeping keep: ((Int64) -> Bool)? = nil,
                          _ body: (_ person: Int64, _ combo: Int, Int, Int, Int) -> Void) throws {
            var sums = PersonComboSums()
            for piece in pieces {
                let w = piece.weight
                try read(piece, keeping: keep) { person, combo, r, l, v in
                    guard person >= 0, person <= Int64(PersonIDLimit.largest) else { return }
                    sums.add(person << 16 | Int64(combo), r, l, v, weight: w)
                }
            }
            sums.forEach(droppingNoRequests: pieces.contains(where: \.subtracted)) { key, r, l, v in
                body(key >> 16, Int(key & 0xFFFF), r, l, v)
            }
        }

        /// Each (person, combo id) of `pieces` once, with its sums (of the persons `keep`
        /// keeps, when given): a single piece of one row per person and combo already (a
        /// rollup, a day) read as it is, otherwise summed per person (`sumPerPerson`).
        func forEachPersonSum(_ pieces: [Piece], keeping keep: ((Int64) -> Bool)? = nil,
                              _ body: (_ person: Int64, _ combo: Int, Int, Int, Int) -> Void) throws {
            if pieces.count == 1, pieces[0].isOneRowPerPerson {
                try read(pieces[0], keeping: keep, body)
            } else {
                try sumPerPerson(pieces, keeping: keep, body)
            }
        }

        /// The rows of one piece (of the persons `keep` keeps, when given: the others' packed
        /// rows are not decoded).
        func read(_ piece: Piece, keeping keep: ((Int64) -> Bool)? = nil, _ body: (Int64, Int, Int, Int, Int) -> Void) throws {
            let s: Statement, table: String
            switch piece.kind {
            case .rollup(let kind, let first):
                (s, table) = (rollupStatement, "person_period")
                s.reset()
                try s.bind(.text(kind.rawValue), .int(first))
            case .days(let a, let b):
                (s, table) = (dayStatement, "person_day_activity")
                s.reset()
                try s.bind(.int(a), .int(b))
            }
            try readPacked(s, table: table, weight: 1, keeping: keep) { person, combo, r, l, v, _ in body(person, combo, r, l, v) }
        }

        /// The combo id of a (source, feature) pair given as bytes.
        func combo(source: UnsafeRawBufferPointer, feature: UnsafeRawBufferPointer) -> Int {
            combo(sources.id(of: source), features.id(of: feature))
        }

        /// Steps `s` (bound by the caller), whose columns are those of `person_period`
        /// (person, days, requests, logins, visits, and detail unless `classes` is
        /// `.total`), with the combo id of each of its rows of `classes` and `weight`;
        /// `table` is the table of its detail column. With `keep`, only the rows of the
        /// persons it keeps.
        func readPacked(_ s: Statement, table: String, weight: Int, keeping keep: ((Int64) -> Bool)? = nil,
                        _ body: (Int64, Int, Int, Int, Int, Int) -> Void) throws {
            try RollupRowStream(packed: s, table: table, classes: classes).forEachRow(keeping: keep) { person, source, feature, _, r, l, v in
                let sourceID = readsSource ? sources.id(of: source) : 0
                let featureID = readsFeature ? features.id(of: feature) : 0
                body(person, combo(sourceID, featureID), Int(r), Int(l), Int(v), weight)
            }
            s.reset()
        }
    }
}
