extension RollupFigures {
    /// Persons: whether each is listed in accounts.csv, and its groups at the grain of the
    /// place dimensions (distinct tuples of person_place; with a commune or an EPCI, of the
    /// rows of person_place there, and only the persons who have one).
    struct People {
        /// Slot of each person id (−1: not a person, or no place at this grain).
        var slot: [Int32]
        var listed: [Bool] = []
        /// Groups of slot s: groupList[groupStart[s] ..< groupStart[s + 1]].
        var groupStart: [Int32] = [0]
        var groupList: [Int32] = []
        /// Values of each group (in the order of the place dimensions).
        var groupValues: [[String]] = []

        /// `placeColumns` are columns of person_place, or constant expressions (`'*'`: one
        /// group holding every person with a place). `commune` and `epci` ('' = any) keep
        /// the rows of person_place there; they need place columns.
        init?(db: Database, placeColumns: [String], commune: String = "", epci: String = "") throws {
            precondition(!placeColumns.isEmpty || (commune.isEmpty && epci.isEmpty), "a scope needs place columns")
            let maxID = Int(try db.scalarInt("SELECT MAX(id) FROM person") ?? 0)
            guard maxID >= 0, maxID <= PersonIDLimit.largest else { return nil }
            slot = [Int32](repeating: -1, count: maxID + 1)
            let persons = try db.prepare("SELECT id, account IS NOT NULL FROM person ORDER BY id")
            if placeColumns.isEmpty {
                groupValues = [[]]
                while try persons.step() {
                    let id = persons.int(0)
                    guard id >= 0 else { continue }
                    slot[id] = Int32(listed.count)
                    listed.append(persons.int(1) != 0)
                    groupList.append(0)
                    groupStart.append(Int32(groupList.count))
                }
                return
            }
            // 0: no such person; 1: not listed; 2: listed.
            var listedByID = [UInt8](repeating: 0, count: maxID + 1)
            while try persons.step() {
                let id = persons.int64(0)
                if id >= 0 && id <= maxID { listedByID[Int(id)] = persons.int(1) != 0 ? 2 : 1 }
            }
            // The rows in the table's order (a DISTINCT ordered by person sorted them in a
            // temporary tree: 0.09 s of the 0.2 s an export by place spent before counting,
            // on the Somme year's 87 000 rows), then put in person order by a counting sort.
            let cols = placeColumns.joined(separator: ", ")
            let places = try db.prepare("""
                SELECT person, \(cols) FROM person_place
                WHERE (?1 = '' OR code_commune = ?1) AND (?2 = '' OR epci = ?2)
                """)
            try places.bind(.text(commune), .text(epci))
            // Each column's texts numbered from their bytes, a text read as the same string
            // as an earlier one (bytes that are not UTF-8) given that one's number; the
            // groups numbered from their texts' numbers.
            var texts = [TextInterner](repeating: TextInterner(), count: placeColumns.count)
            var sameText = [[Int32]](repeating: [], count: placeColumns.count)
            var numberOfText = [[String: Int32]](repeating: [:], count: placeColumns.count)
            var tuple = [Int32](repeating: 0, count: placeColumns.count)
            var groups = TupleInterner(width: placeColumns.count)
            // (person, group) of each row, and the rows of each person id.
            var rowPerson: [Int32] = [], rowGroup: [Int32] = []
            var rowsOf = [Int32](repeating: 0, count: maxID + 1)
            while try places.step() {
                let person = places.int64(0)
                guard person >= 0, person <= maxID, listedByID[Int(person)] != 0 else { continue }
                for c in 0..<placeColumns.count {
                    let t = texts[c].id(of: places.textUpToNUL(1 + c))
                    while sameText[c].count <= t {
                        let text = texts[c].texts[sameText[c].count]
                        let number = numberOfText[c][text] ?? Int32(sameText[c].count)
                        numberOfText[c][text] = number
                        sameText[c].append(number)
                    }
                    tuple[c] = sameText[c][t]
                }
                let (g, isNew) = tuple.withUnsafeBufferPointer { groups.id(of: $0) }
                if isNew { groupValues.append((0..<placeColumns.count).map { texts[$0].texts[Int(tuple[$0])] }) }
                rowPerson.append(Int32(person))
                rowGroup.append(Int32(g))
                rowsOf[Int(person)] += 1
            }
            // Each id's count turned into where its groups start in `sorted`; placing them
            // moves it to where they end, which is where the next id's start.
            var start: Int32 = 0
            for id in 0...maxID {
                let count = rowsOf[id]
                rowsOf[id] = start
                start += count
            }
            var sorted = [Int32](repeating: 0, count: rowGroup.count)
            for (person, g) in zip(rowPerson, rowGroup) {
                sorted[Int(rowsOf[Int(person)])] = g
                rowsOf[Int(person)] += 1
            }
            rowPerson = []
            rowGroup = []
            // Each person's distinct groups (a person has a few; rows repeated in the table,
            // or texts read as the same string, give one group once).
            groupList.reserveCapacity(sorted.count)
            var end = 0
            for id in 0...maxID where Int(rowsOf[id]) > end {
                let first = groupList.count
                for g in sorted[end..<Int(rowsOf[id])] where !groupList[first...].contains(g) { groupList.append(g) }
                end = Int(rowsOf[id])
                slot[id] = Int32(listed.count)
                listed.append(listedByID[id] == 2)
                groupStart.append(Int32(groupList.count))
            }
        }

        /// How many persons have a slot (a place, in the commune or EPCI when one was given).
        var count: Int { listed.count }

        /// Whether `person` has a slot.
        func contains(_ person: Int64) -> Bool {
            person >= 0 && person < Int64(slot.count) && slot[Int(person)] >= 0
        }

        /// The same persons, grouped by `transform` of each group's values: a person's
        /// distinct groups of the result (one load of person_place for several groupings).
        func projected(_ transform: ([String]) -> [String]) -> People {
            var result = self
            var index: [[String]: Int32] = [:]
            result.groupValues = []
            let mapped = groupValues.map { values -> Int32 in
                let key = transform(values)
                if let known = index[key] { return known }
                let g = Int32(result.groupValues.count)
                index[key] = g
                result.groupValues.append(key)
                return g
            }
            result.groupStart = [0]
            result.groupList = []
            result.groupList.reserveCapacity(groupList.count)
            for s in 0..<listed.count {
                let first = result.groupList.count
                for i in Int(groupStart[s])..<Int(groupStart[s + 1]) {
                    let g = mapped[Int(groupList[i])]
                    if !result.groupList[first...].contains(g) { result.groupList.append(g) }
                }
                result.groupStart.append(Int32(result.groupList.count))
            }
            return result
        }
    }
}
