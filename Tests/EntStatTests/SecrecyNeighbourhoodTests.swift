import Testing
@testable import EntStat

/// `SecrecyNeighbourhood`: a cell proven free to move by a solve over it and the cells near
/// it, the others held at their true values; never a cell that every relation fixes, and
/// every value it reports one the whole system allows.
@Suite struct SecrecyNeighbourhoodTests {
    typealias Relation = BoundedSimplex.Relation

    /// A 2 × 2 table of hidden cells a b / c d (2 3 / 4 1), its row and column totals shown
    /// (5, 5, 6, 4), each cell in 1…4: a can move, but only with b, c and d. Alone (the others
    /// held) it cannot; its neighbourhood of 4 moves it up to 4 (a + b = 5 with b ≥ 1; its
    /// least is its true value, 2, since a + c = 6 with c ≤ 4), and the last point reported
    /// meets every relation.
    @Test func aCellOfATableMovesWithItsRowAndColumn() {
        let relations = [
            Relation(kind: .equal, terms: [(0, 1), (1, 1)], constant: -5),
            Relation(kind: .equal, terms: [(2, 1), (3, 1)], constant: -5),
            Relation(kind: .equal, terms: [(0, 1), (2, 1)], constant: -6),
            Relation(kind: .equal, terms: [(1, 1), (3, 1)], constant: -4),
        ]
        let truth: [Double] = [2, 3, 4, 1]
        let nearby = SecrecyNeighbourhood(lower: [1, 1, 1, 1], upper: [4, 4, 4, 4], truth: truth, relations: relations)
        #expect(!nearby.moves(0, size: 1, perRelation: 2) { _, _ in })
        #expect(!nearby.moves(0, size: 3, perRelation: 2) { _, _ in }, "a, b and c: d held at 1 fixes b at 3, so a at 2")
        var point = truth, values: [Double] = []
        #expect(nearby.moves(0, size: 4, perRelation: 2) { k, x in
            point[k] = x
            if k == 0 { values.append(x) }
        })
        #expect(values.contains(4), "\(values)")
        #expect(relations.allSatisfy { abs($0.sum(at: point)) < 1e-9 }, "\(point)")
    }

    /// a + b = 10, a + c = 7, b + c = 5 fix a, b and c: no neighbourhood, not even the
    /// whole system, claims one of them moves.
    @Test func aFixedCellIsNeverClaimedFree() {
        let nearby = SecrecyNeighbourhood(lower: [1, 1, 1], upper: [.infinity, .infinity, .infinity], truth: [6, 4, 1], relations: [
            Relation(kind: .equal, terms: [(0, 1), (1, 1)], constant: -10),
            Relation(kind: .equal, terms: [(0, 1), (2, 1)], constant: -7),
            Relation(kind: .equal, terms: [(1, 1), (2, 1)], constant: -5),
        ])
        for cell in 0..<3 {
            for size in 1...3 { #expect(!nearby.moves(cell, size: size, perRelation: 2) { _, _ in }, "cell \(cell), \(size) cells") }
        }
    }

    /// The cells near x (cell 0): its tight relations, the shortest first (x ≤ w, met with
    /// no slack at the true values, all 1), never a relation with slack (x + u ≤ 5); of a
    /// long total (x and cells 1 to 5), two at a time, the easiest first: those of one tight
    /// relation (1, 5) before those of two (3 and 4, equal), the one whose range holds
    /// nothing but its value (2) last.
    @Test func theTightRelationsAndTheirEasiestCellsComeFirst() {
        var lower = Array(repeating: 0.0, count: 8), upper = Array(repeating: 9.0, count: 8)
        lower[2] = 1
        upper[2] = 1
        let nearby = SecrecyNeighbourhood(lower: lower, upper: upper, truth: Array(repeating: 1, count: 8), relations: [
            Relation(kind: .equal, terms: (0..<6).map { ($0, 1) }, constant: -6),
            Relation(kind: .atMost, terms: [(0, 1), (6, -1)], constant: 0),
            Relation(kind: .atMost, terms: [(0, 1), (7, 1)], constant: -5),
            Relation(kind: .equal, terms: [(3, 1), (4, -1)], constant: 0),
        ])
        #expect(nearby.cells(near: 0, size: 3, perRelation: 2) == [0, 6, 1])
        #expect(nearby.cells(near: 0, size: 10, perRelation: 2) == [0, 6, 1, 5, 3, 4, 2])
        #expect(nearby.cells(near: 0, size: 10, perRelation: 1) == [0, 6, 1, 5, 3, 4, 2])
        #expect(nearby.cells(near: 7, size: 10, perRelation: 2) == [7], "u's one relation has slack")
        #expect(nearby.cells(near: 4, size: 10, perRelation: 2) == [4, 3, 1, 5, 0, 2, 6])
    }

    /// Against the whole system's solver on random systems: a cell claimed free has a least
    /// or greatest value a unit or more from its true value; every value reported lies
    /// within the cell's whole range; with a neighbourhood as large as the system, taking
    /// every cell of each relation, on a system whose every relation is tight (where no
    /// cell can move alone through a relation with slack), the claim is exactly the whole
    /// range's: it holds back nothing it could free.
    @Test func agreesWithTheWholeSystemOnRandomSystems() throws {
        var random = SeededGenerator(seed: 2026_12_06)
        var claimed = 0, refused = 0, exact = 0
        for _ in 0..<300 {
            let n = Int.random(in: 2...7, using: &random)
            let (point, lower, upper, relations) = BoundedSimplexTests.randomSystem(variables: n, relations: 1...5, using: &random)
            var whole = try #require(BoundedSimplex(lower: lower, upper: upper, start: point, relations: relations))
            var ranges: [(lo: Double, hi: Double)] = []
            for k in 0..<n {
                let least = whole.minimum(of: k), greatest = whole.maximum(of: k)
                ranges.append((try #require(least), try #require(greatest)))
            }
            let allTight = relations.allSatisfy { $0.kind == .equal || abs($0.sum(at: point)) < 1e-9 }
            let nearby = SecrecyNeighbourhood(lower: lower, upper: upper, truth: point, relations: relations)
            for cell in 0..<n {
                let free = ranges[cell].lo <= point[cell] - 1 + 1e-6 || ranges[cell].hi >= point[cell] + 1 - 1e-6
                for (size, perRelation) in [(1, 2), (2, 1), (3, 2), (n, 2), (n, n)] {
                    let claim = nearby.moves(cell, size: size, perRelation: perRelation) { k, x in
                        #expect(x >= ranges[k].lo - 1e-6 && x <= ranges[k].hi + 1e-6, "cell \(k) at \(x), outside \(ranges[k])")
                    }
                    #expect(!claim || free, "cell \(cell) claimed free with \(size) cells, range \(ranges[cell]) around \(point[cell])")
                    if allTight && size == n && perRelation == n {
                        #expect(claim == free, "cell \(cell), the whole system, range \(ranges[cell]) around \(point[cell])")
                        exact += 1
                    }
                    if claim { claimed += 1 } else { refused += 1 }
                }
            }
        }
        #expect(claimed > 500 && refused > 500 && exact > 100, "\(claimed) claimed, \(refused) refused, \(exact) exact")
    }

    /// a + b = 30, a + c = 27, b + c = 25 (a, b, c at least 5) fix a = 16, b = 14, c = 11:
    /// a relaxation over the three proves a pinned, its least and greatest value resting on
    /// the three relations; one that follows no relation of 2 cells (`longest` 1) holds a
    /// alone, free within its range, and proves nothing; nor does one that holds only a
    /// and b (`size` 2), under a + b = 30 alone.
    @Test func aRelaxationProvesAPinWithItsRelations() throws {
        let nearby = SecrecyNeighbourhood(lower: [5, 5, 5], upper: [.infinity, .infinity, .infinity], truth: [16, 14, 11], relations: [
            Relation(kind: .equal, terms: [(0, 1), (1, 1)], constant: -30),
            Relation(kind: .equal, terms: [(0, 1), (2, 1)], constant: -27),
            Relation(kind: .equal, terms: [(1, 1), (2, 1)], constant: -25),
        ])
        let proof = try #require(nearby.pin(0, size: 3, longest: 2))
        #expect(proof.relations == [0, 1, 2] && proof.bounds.isEmpty)
        #expect(nearby.pin(0, size: 3, longest: 1) == nil)
        #expect(nearby.pin(0, size: 2, longest: 2) == nil)
    }
}
