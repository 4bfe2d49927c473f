extension RollupFigures {
    /// Sums of one (period, group, combo).
    ///
    /// 32 bytes, two to a cache line: the persons counted fit in 32 bits (at most
    /// `PersonIDLimit.largest`, each counted once per cell), their sums may not.
    struct Cell {
        var users: Int32 = 0
        var listed: Int32 = 0
        var requests = 0
        var logins = 0
        var visits = 0
    }

    /// Adds persons' figures to their groups, one period at a time.
    ///
    /// The cells of the period being built sit in one flat array, at group × slotsPerGroup
    /// + combo (combo ids and group ids are dense small integers): no hashing per row, and
    /// the cells one person adds to (its total and each of its features, in its few groups)
    /// lie side by side, a few cache lines per person instead of one per row (a layout by
    /// combo first, in an array of megabytes, missed the cache at nearly every row).
    struct Aggregator {
        let people: People
        let groupCount: Int
        /// The period's cells; `users == 0` marks a cell not touched yet.
        var cells: [Cell] = []
        /// Cells per group: more than the largest combo id added so far (grown by
        /// `widen`, which moves the cells).
        private(set) var slotsPerGroup = 0
        /// Indexes of the touched cells, to turn into rows and clear at `flush`.
        var touched: [Int] = []
        /// Each period flushed, in the order flushed.
        var periods: [CountedPeriod] = []
        /// Rank of each group's value of place column c among that column's values, at
        /// groupRanks[group × placeColumns + c]; and how many bits the ranks of column c need.
        let groupRanks: [Int]
        let placeBits: [Int]
        /// The last `placeKeys`, with the columns and offsets they were made for.
        private var cachedPlaceKeys: (columns: [CountedPeriod.Column], offsets: [Int], keys: [UInt64])?

        init(people: People) {
            self.people = people
            groupCount = max(1, people.groupValues.count)
            let columns = people.groupValues.first?.count ?? 0
            var ranks = [Int](repeating: 0, count: people.groupValues.count * columns)
            var bits: [Int] = []
            for c in 0..<columns {
                let column = FigureRowOrder.ranks(Set(people.groupValues.map { $0[c] }))
                for (g, values) in people.groupValues.enumerated() { ranks[g * columns + c] = column.rank[values[c]]! }
                bits.append(column.bits)
            }
            groupRanks = ranks
            placeBits = bits
        }

        /// One person's sums for one (source, feature) over the period being built: the
        /// person must not be added twice for the same combo in one period.
        mutating func add(person: Int64, combo: Int, _ r: Int, _ l: Int, _ v: Int) {
            guard person >= 0, Int(person) < people.slot.count else { return }
            let s = Int(people.slot[Int(person)])
            guard s >= 0 else { return }
            if combo >= slotsPerGroup { widen(toHold: combo) }
            let listed: Int32 = people.listed[s] ? 1 : 0
            for i in Int(people.groupStart[s])..<Int(people.groupStart[s + 1]) {
                let index = Int(people.groupList[i]) * slotsPerGroup + combo
                if cells[index].users == 0 { touched.append(index) }
                cells[index].users += 1
                cells[index].listed += listed
                cells[index].requests += r
                cells[index].logins += l
                cells[index].visits += v
            }
        }

        /// Makes room for combo ids up to `combo` in every group (by half as many again at
        /// least: combos are few, and known after the first persons), moving the cells
        /// touched so far.
        private mutating func widen(toHold combo: Int) {
            let wider = max(combo + 1, slotsPerGroup + slotsPerGroup / 2, 8)
            var moved = [Cell](repeating: Cell(), count: groupCount * wider)
            for (i, index) in touched.enumerated() {
                let at = index / slotsPerGroup * wider + index % slotsPerGroup
                moved[at] = cells[index]
                touched[i] = at
            }
            cells = moved
            slotsPerGroup = wider
        }

        /// Forgets the cells of the period being built.
        mutating func clear() {
            for index in touched { cells[index] = Cell() }
            touched.removeAll(keepingCapacity: true)
        }

        /// The rows of the periods flushed so far, with the values of `dimensions` (those
        /// given to `flush`), which are then forgotten.
        mutating func takeRows(dimensions: [Dimension]) -> [FigureRow] {
            defer { periods.removeAll() }
            return periods.flatMap { $0.rows(dimensions: dimensions) }
        }

        /// The place bits of each group's sort key (see `flush`): its rank in each place
        /// column at that column's offset. Kept while the columns and their offsets stay the
        /// same: within an export the offsets change only when a period brings a source or
        /// feature that widens their ranks.
        private mutating func placeKeys(columns: [CountedPeriod.Column], offsets: [Int]) -> [UInt64] {
            if let cached = cachedPlaceKeys, cached.offsets == offsets, cached.columns == columns { return cached.keys }
            var keys = [UInt64](repeating: 0, count: groupCount)
            let placeColumns = placeBits.count
            for (c, column) in columns.enumerated() {
                guard case .place(let p) = column else { continue }
                for g in people.groupValues.indices { keys[g] |= UInt64(groupRanks[g * placeColumns + p]) << offsets[c] }
            }
            cachedPlaceKeys = (columns, offsets, keys)
            return keys
        }

        /// Turns the cells of the period just built into a `CountedPeriod`, in export order:
        /// sorted by the ranks of their values, dimension by dimension, then by cell index
        /// (packed with the cell's index into one integer when they fit in `keyBits`, 64, and
        /// sorted by `RadixSort`; else compared column by column: tests pass 0 to take that
        /// path).
        mutating func flush(period: String, dimensions: [Dimension], combos: [(source: String, feature: String)], keyBits: Int = 64) {
            var counted = CountedPeriod(label: period, cells: [], groupValues: people.groupValues, combos: combos)
            // Nothing counted (maybe no person with a place: no ranks of place values).
            guard !touched.isEmpty else { return periods.append(counted) }
            let sources = FigureRowOrder.ranks(Set(combos.map(\.source)))
            let features = FigureRowOrder.ranks(Set(combos.map(\.feature)))
            let sourceRank = combos.map { sources.rank[$0.source]! }, featureRank = combos.map { features.rank[$0.feature]! }
            let columns = CountedPeriod.columns(of: dimensions), placeColumns = placeBits.count
            /// The rank of a cell's value in `column`, and the bits ranks of that column need.
            func rank(_ column: CountedPeriod.Column, group: Int, combo: Int) -> Int {
                switch column {
                case .source: return sourceRank[combo]
                case .feature: return featureRank[combo]
                case .place(let c): return groupRanks[group * placeColumns + c]
                }
            }
            let widths = columns.map { column -> Int in
                switch column {
                case .source: return sources.bits
                case .feature: return features.bits
                case .place(let c): return placeBits[c]
                }
            }
            let bits = widths.reduce(0, +)
            let indexBits = Int.bitWidth - cells.count.leadingZeroBitCount
            if bits + indexBits <= min(keyBits, 64) {
                // The ranks, the first dimension's highest, and the cell index in one word: a
                // sort of plain integers. Each column has its own bits, so a cell's ranks are
                // its group's place bits or'ed with its combo's source and feature bits.
                var offsets = [Int](repeating: 0, count: columns.count)
                var shift = indexBits
                for c in columns.indices.reversed() {
                    offsets[c] = shift
                    shift += widths[c]
                }
                var comboKeys = [UInt64](repeating: 0, count: slotsPerGroup)
                for (c, column) in columns.enumerated() {
                    let ranks: [Int]
                    switch column {
                    case .source: ranks = sourceRank
                    case .feature: ranks = featureRank
                    case .place: continue
                    }
                    for combo in combos.indices where combo < slotsPerGroup { comboKeys[combo] |= UInt64(ranks[combo]) << offsets[c] }
                }
                let groupKeys = placeKeys(columns: columns, offsets: offsets)
                var keyed = [UInt64]()
                keyed.reserveCapacity(touched.count)
                for index in touched {
                    keyed.append(groupKeys[index / slotsPerGroup] | comboKeys[index % slotsPerGroup] | UInt64(index))
                }
                RadixSort.sort(&keyed, significantBits: bits + indexBits)
                let mask = UInt64(1) << indexBits - 1
                for (i, k) in keyed.enumerated() { touched[i] = Int(k & mask) }
            } else {
                touched.sort { a, b in
                    for column in columns {
                        let ra = rank(column, group: a / slotsPerGroup, combo: a % slotsPerGroup)
                        let rb = rank(column, group: b / slotsPerGroup, combo: b % slotsPerGroup)
                        if ra != rb { return ra < rb }
                    }
                    return a < b
                }
            }
            counted.cells.reserveCapacity(touched.count)
            for index in touched {
                let cell = cells[index]
                cells[index] = Cell()
                counted.cells.append(CountedPeriod.Cell(
                    group: Int32(index / slotsPerGroup), combo: Int32(index % slotsPerGroup), users: Int(cell.users),
                    listed: Int(cell.listed), requests: cell.requests, logins: cell.logins, visits: cell.visits))
            }
            periods.append(counted)
            touched.removeAll(keepingCapacity: true)
        }
    }
}
