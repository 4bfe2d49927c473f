extension RollupFigures {
    /// Counts an export's periods one at a time on one connection: each period's pieces
    /// read (`PieceReader`), summed person by person when there are several, and each
    /// person counted in each of its groups (`Aggregator`). The reader's prepared
    /// statements, its combo ids and the aggregator's cells are kept from one period to
    /// the next, so a thread that counts many periods sets them up once.
    final class PeriodCounter {
        /// Out only while `count` runs (moved into a local, so that its cells are not copied).
        private var aggregator: Aggregator?
        private let reader: PieceReader
        private let dimensions: [Dimension]

        /// `aggregator` holds no period yet (it may be a copy of one made for another
        /// thread: its cells are copied only when first written).
        init(db: Database, aggregator: Aggregator, request: ExportRequest) throws {
            precondition(aggregator.periods.isEmpty && aggregator.touched.isEmpty, "an aggregator in use")
            self.aggregator = aggregator
            reader = try PieceReader(db: db, hasSource: request.dimensions.contains(.source),
                                     hasFeature: request.dimensions.contains(.feature))
            dimensions = request.dimensions
        }

        /// The cells of the period `label` covered by `pieces`, in export order.
        func count(_ label: String, _ pieces: [Piece]) throws -> CountedPeriod {
            guard var aggregator = aggregator.take() else { preconditionFailure("a period counter used by two threads") }
            defer { self.aggregator = aggregator }
            do {
                try reader.forEachPersonSum(pieces) { person, combo, r, l, v in aggregator.add(person: person, combo: combo, r, l, v) }
            } catch {
                // The cells of a period read in part are dropped with it.
                aggregator.clear()
                throw error
            }
            aggregator.flush(period: label, dimensions: dimensions, combos: reader.combos)
            return aggregator.periods.removeLast()
        }
    }
}
