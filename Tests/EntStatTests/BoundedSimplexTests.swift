import Testing
@testable import EntStat

/// `BoundedSimplex`: the least and greatest value of a variable under linear relations,
/// against hand-solved systems and against an independent method (every vertex of the
/// polytope enumerated) on random small systems.
@Suite struct BoundedSimplexTests {
    typealias Relation = BoundedSimplex.Relation

    private static func range(_ solver: inout BoundedSimplex, _ k: Int) -> (Double, Double)? {
        guard let lo = solver.minimum(of: k), let hi = solver.maximum(of: k) else { return nil }
        return (lo, hi)
    }

    /// a + b = 10, a + c = 7, b + c = 5: each sum alone leaves a range, the three together
    /// one point (a = 6, b = 4, c = 1), which bounds propagation cannot see.
    @Test func threeSumsTogetherFixEveryTerm() throws {
        var solver = try #require(BoundedSimplex(lower: [1, 1, 1], upper: [.infinity, .infinity, .infinity], start: [6, 4, 1], relations: [
            Relation(kind: .equal, terms: [(0, 1), (1, 1)], constant: -10),
            Relation(kind: .equal, terms: [(0, 1), (2, 1)], constant: -7),
            Relation(kind: .equal, terms: [(1, 1), (2, 1)], constant: -5),
        ]))
        for (k, expected) in [6.0, 4, 1].enumerated() {
            let r = try #require(Self.range(&solver, k))
            #expect(abs(r.0 - expected) < 1e-9 && abs(r.1 - expected) < 1e-9, "variable \(k): \(r)")
        }
    }

    /// x + y + z = 12 and x + y = 7 leave z = 5, though x and y each range over 1 to 6.
    @Test func aSubtotalFixesTheRest() throws {
        var solver = try #require(BoundedSimplex(lower: [1, 1, 5], upper: [4, .infinity, .infinity], start: [2, 5, 5], relations: [
            Relation(kind: .equal, terms: [(0, 1), (1, 1), (2, 1)], constant: -12),
            Relation(kind: .equal, terms: [(0, 1), (1, 1)], constant: -7),
        ]))
        let x = try #require(Self.range(&solver, 0)), y = try #require(Self.range(&solver, 1)), z = try #require(Self.range(&solver, 2))
        #expect(x.0 == 1 && x.1 == 4)
        #expect(y.0 == 3 && y.1 == 6)
        #expect(z.0 == 5 && z.1 == 5)
    }

    /// Inequalities and an unbounded variable: x ≥ y, x + y ≤ 11, y ≥ 5 give x in 5…6 and
    /// y in 5…5.5; t − x ≥ 0 leaves t from 5, unbounded above.
    @Test func inequalitiesAndAnOpenRange() throws {
        var solver = try #require(BoundedSimplex(lower: [5, 5, 0], upper: [.infinity, .infinity, .infinity], start: [5, 5, 7], relations: [
            Relation(kind: .atLeast, terms: [(0, 1), (1, -1)], constant: 0),
            Relation(kind: .atMost, terms: [(0, 1), (1, 1)], constant: -11),
            Relation(kind: .atLeast, terms: [(2, 1), (0, -1)], constant: 0),
        ]))
        let x = try #require(Self.range(&solver, 0)), y = try #require(Self.range(&solver, 1)), t = try #require(Self.range(&solver, 2))
        #expect(abs(x.0 - 5) < 1e-9 && abs(x.1 - 6) < 1e-9, "\(x)")
        #expect(abs(y.0 - 5) < 1e-9 && abs(y.1 - 5.5) < 1e-9, "\(y)")
        #expect(abs(t.0 - 5) < 1e-9 && t.1 == .infinity, "\(t)")
    }

    /// x in 1…4, y ≥ 0, x + y = 6: y's least value, 2, holds x at its upper bound, and
    /// y's greatest, 5, at its lower one; the relation binds both times.
    @Test func theBoundsAnOptimumRestsOnAreNamed() throws {
        var solver = try #require(BoundedSimplex(lower: [1, 0], upper: [4, .infinity], start: [3, 3], relations: [
            Relation(kind: .equal, terms: [(0, 1), (1, 1)], constant: -6),
        ]))
        #expect(solver.minimum(of: 1) == 2)
        #expect(solver.bindingBounds().map { "\($0.variable) \($0.atUpper)" } == ["0 true"])
        #expect(solver.bindingRelations() == [0])
        #expect(solver.maximum(of: 1) == 5)
        #expect(solver.bindingBounds().map { "\($0.variable) \($0.atUpper)" } == ["0 false"])
        #expect(solver.bindingRelations() == [0])
    }

    /// A starting point that fails a relation or a range is refused.
    @Test func aStartThatFailsIsRefused() {
        let sum = [Relation(kind: .equal, terms: [(0, 1), (1, 1)], constant: -4)]
        #expect(BoundedSimplex(lower: [1, 1], upper: [.infinity, .infinity], start: [2, 2], relations: sum) != nil)
        #expect(BoundedSimplex(lower: [1, 1], upper: [.infinity, .infinity], start: [2, 3], relations: sum) == nil)
        #expect(BoundedSimplex(lower: [1, 1], upper: [.infinity, .infinity], start: [0, 4], relations: sum) == nil)
        let atMost = [Relation(kind: .atMost, terms: [(0, 1), (1, -1)], constant: 0)]
        #expect(BoundedSimplex(lower: [1, 1], upper: [9, 9], start: [3, 4], relations: atMost) != nil)
        #expect(BoundedSimplex(lower: [1, 1], upper: [9, 9], start: [4, 3], relations: atMost) == nil)
    }

    /// Random systems of ±1 relations around a known integer point, every bound finite: the
    /// solver's range of each variable against the least and greatest of that variable over
    /// every vertex (each choice of as many active relations or bounds as variables, solved
    /// by elimination, kept when it meets everything), with the tableau laid out dense and
    /// sparse (`SimplexTableau`). One system in ten has 5 or 6
    /// variables and up to 5 relations: more pivots, and entries of the sparse tableau
    /// that pivots fill and empty again.
    @Test func agreesWithEveryVertexOnRandomSystems() throws {
        var random = SeededGenerator(seed: 2026_12_01)
        var checked = 0
        for system in 0..<150 {
            let large = system % 10 == 9
            let n = large ? Int.random(in: 5...6, using: &random) : Int.random(in: 2...4, using: &random)
            let (point, lower, upper, relations) = Self.randomSystem(variables: n, relations: large ? 3...5 : 1...4,
                                                                     using: &random)
            let vertices = Self.vertices(n: n, lower: lower, upper: upper, relations: relations)
            #expect(!vertices.isEmpty)
            // The tableau laid out dense, then sparse, then sparse with its rows' lists made
            // again after every pivot (`SimplexTableau.renameRows`).
            for (denseLimit, renameSlack) in [(Int.max, SimplexTableau.renameSlack), (0, SimplexTableau.renameSlack), (0, 0)] {
                var solver = try #require(BoundedSimplex(lower: lower, upper: upper, start: point, relations: relations,
                                                         denseLimit: denseLimit, renameSlack: renameSlack))
                for k in 0..<n {
                    let r = try #require(Self.range(&solver, k))
                    let lo = vertices.map { $0[k] }.min()!, hi = vertices.map { $0[k] }.max()!
                    #expect(abs(r.0 - lo) < 1e-6 && abs(r.1 - hi) < 1e-6, "variable \(k) of \(relations.map { ($0.kind, $0.terms.map(\.variable), $0.constant) }), dense up to \(denseLimit), renamed past \(renameSlack): \(r) against \(lo)…\(hi)")
                    checked += 1
                }
            }
        }
        #expect(checked > 600)
    }

    /// `takeMoves` names every variable whose value changed since it was last called: a
    /// caller that notes the points the solver goes through (`SecrecyPropagation`'s seen
    /// values) reads only those. On random systems, after each least and greatest value, the
    /// variables whose value differs from the previous point are all named, with their new
    /// value; a variable named that did not move is allowed (its value is the same).
    @Test func theMovesNamedAreEveryVariableThatMoved() throws {
        var random = SeededGenerator(seed: 2026_12_05)
        var moved = 0
        for _ in 0..<60 {
            let n = Int.random(in: 3...6, using: &random)
            let (point, lower, upper, relations) = Self.randomSystem(variables: n, relations: 1...4, using: &random)
            for denseLimit in [Int.max, 0] {
                var solver = try #require(BoundedSimplex(lower: lower, upper: upper, start: point, relations: relations,
                                                         denseLimit: denseLimit))
                var named: [Int: Double] = [:]
                solver.takeMoves { named[$0] = $1 }
                #expect(named.allSatisfy { point[$0.key] == $0.value }, "at the start, only the start's values")
                var last = point
                for k in 0..<n {
                    for maximum in [false, true] {
                        _ = maximum ? solver.maximum(of: k) : solver.minimum(of: k)
                        named = [:]
                        solver.takeMoves { named[$0] = $1 }
                        let now = Array(solver.values)
                        for v in 0..<n where now[v] != last[v] {
                            #expect(named[v] == now[v], "variable \(v) moved from \(last[v]) to \(now[v]), named \(String(describing: named[v]))")
                            moved += 1
                        }
                        last = now
                    }
                }
            }
        }
        #expect(moved > 100)
    }

    /// A solve asked to stop at a target (`minimum(of:stoppingAt:)`, `maximum`): on random
    /// systems, when the variable's least value is at or below the target, the value given
    /// is at or below it and no lower than the least, at a point that meets every relation
    /// and range; when it is not, the value given is the least itself. The same for the
    /// greatest, the other way.
    @Test func aSolveStopsAtItsTarget() throws {
        var random = SeededGenerator(seed: 2026_12_07)
        var stopped = 0, optimal = 0
        for _ in 0..<100 {
            let n = Int.random(in: 2...6, using: &random)
            let (point, lower, upper, relations) = Self.randomSystem(variables: n, relations: 1...5, using: &random)
            var whole = try #require(BoundedSimplex(lower: lower, upper: upper, start: point, relations: relations))
            var ranges: [(lo: Double, hi: Double)] = []
            for k in 0..<n { ranges.append(try #require(Self.range(&whole, k))) }
            var solver = try #require(BoundedSimplex(lower: lower, upper: upper, start: point, relations: relations))
            for k in 0..<n {
                for maximum in [false, true] {
                    let target = point[k] + (maximum ? 1 : -1)
                    let given = maximum ? solver.maximum(of: k, stoppingAt: target) : solver.minimum(of: k, stoppingAt: target)
                    let value = try #require(given)
                    let at = Array(solver.values)
                    #expect(relations.allSatisfy { $0.isMet(bySum: $0.sum(at: at), within: 1e-6) })
                    #expect(at.indices.allSatisfy { at[$0] >= lower[$0] - 1e-6 && at[$0] <= upper[$0] + 1e-6 })
                    let best = maximum ? ranges[k].hi : ranges[k].lo
                    if maximum ? best >= target : best <= target {
                        #expect(maximum ? value >= target - 1e-9 && value <= best + 1e-9 : value <= target + 1e-9 && value >= best - 1e-9,
                                "variable \(k): \(value), target \(target), best \(best)")
                        if abs(value - best) > 1e-9 { stopped += 1 }
                    } else {
                        #expect(abs(value - best) < 1e-6, "variable \(k): \(value) against \(best)")
                        optimal += 1
                    }
                }
            }
        }
        #expect(stopped > 50 && optimal > 50, "\(stopped) stopped short of the optimum, \(optimal) at it")
    }

    /// A random system of ±1 relations (equalities and inequalities, drawn as many as
    /// `relations` says, those with no term dropped) around an integer point in 1…9, each
    /// variable within finite bounds around it: the point, the bounds and the relations.
    static func randomSystem(variables n: Int, relations count: ClosedRange<Int>, using random: inout SeededGenerator)
        -> (point: [Double], lower: [Double], upper: [Double], relations: [Relation]) {
        let point = (0..<n).map { _ in Double(Int.random(in: 1...9, using: &random)) }
        let lower = point.map { $0 - Double(Int.random(in: 0...4, using: &random)) }
        let upper = point.map { $0 + Double(Int.random(in: 0...6, using: &random)) }
        var relations: [Relation] = []
        for _ in 0..<Int.random(in: count, using: &random) {
            var terms: [(variable: Int, coefficient: Double)] = []
            for v in 0..<n where Bool.random(using: &random) { terms.append((v, Bool.random(using: &random) ? 1 : -1)) }
            guard !terms.isEmpty else { continue }
            let at = terms.reduce(0.0) { $0 + $1.coefficient * point[$1.variable] }
            let kind: Relation.Kind = [.equal, .atLeast, .atMost].randomElement(using: &random)!
            let slack = Double(Int.random(in: 0...3, using: &random))
            let constant = kind == .equal ? -at : kind == .atLeast ? -at + slack : -at - slack
            relations.append(Relation(kind: kind, terms: terms, constant: constant))
        }
        return (point, lower, upper, relations)
    }

    /// Every point where `n` of the hyperplanes (relations taken as equalities, bounds) meet
    /// and that meets every relation and bound.
    private static func vertices(n: Int, lower: [Double], upper: [Double], relations: [Relation]) -> [[Double]] {
        var planes: [([Double], Double)] = []   // a · x = b
        for r in relations {
            var a = [Double](repeating: 0, count: n)
            for t in r.terms { a[t.variable] += t.coefficient }
            planes.append((a, -r.constant))
        }
        for k in 0..<n {
            var a = [Double](repeating: 0, count: n); a[k] = 1
            planes.append((a, lower[k])); planes.append((a, upper[k]))
        }
        func meets(_ x: [Double]) -> Bool {
            for k in 0..<n where x[k] < lower[k] - 1e-7 || x[k] > upper[k] + 1e-7 { return false }
            for r in relations {
                let s = r.terms.reduce(r.constant) { $0 + $1.coefficient * x[$1.variable] }
                switch r.kind {
                case .equal: if abs(s) > 1e-7 { return false }
                case .atLeast: if s < -1e-7 { return false }
                case .atMost: if s > 1e-7 { return false }
                }
            }
            return true
        }
        var found: [[Double]] = []
        func choose(_ start: Int, _ chosen: [Int]) {
            if chosen.count == n {
                if let x = solve(chosen.map { planes[$0] }, n: n), meets(x) { found.append(x) }
                return
            }
            guard start < planes.count else { return }
            for p in start..<planes.count { choose(p + 1, chosen + [p]) }
        }
        choose(0, [])
        return found
    }

    /// Gaussian elimination with partial pivoting; nil when singular.
    private static func solve(_ rows: [([Double], Double)], n: Int) -> [Double]? {
        var m = rows.map { $0.0 + [$0.1] }
        for c in 0..<n {
            guard let p = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[p][c]) > 1e-9 else { return nil }
            m.swapAt(c, p)
            for r in 0..<n where r != c {
                let f = m[r][c] / m[c][c]
                for j in c...n { m[r][j] -= f * m[c][j] }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }
}
