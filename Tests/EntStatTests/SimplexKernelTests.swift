import Testing
@testable import EntStat

/// `SimplexKernel`: each kernel this processor runs gives a column the Swift loop's entries
/// to the bit (a product, then a difference, never fused; within 1e-12 of zero made +0),
/// leaves the rows of factor zero as they are, and, in a dense tableau, gives the pivots
/// of the list of rows the same entries.
@Suite struct SimplexKernelTests {
    /// The update as `SimplexTableau`'s loop over a list of rows writes it, row by row.
    private static func reference(_ column: [Double], _ factors: [Double], _ pivotEntry: Double) -> [Double] {
        var column = column
        for i in column.indices where factors[i] != 0 {
            let product = factors[i] * pivotEntry
            let x = column[i] - product
            column[i] = x < 1e-12 && x > -1e-12 ? 0 : x
        }
        return column
    }

    /// Values that test every branch: zeros of both signs, residues on either side of
    /// 1e-12, subnormals, infinities, NaN, and ordinary fractions.
    private static let specials: [Double] = [
        0, -0.0, 1e-12, -1e-12, 1e-12.nextUp, (-1e-12).nextDown, 1e-12.nextDown, 5e-13, -7e-13, .leastNonzeroMagnitude,
        -.leastNormalMagnitude, .infinity, -.infinity, .nan, 1, -1, 0.5, 3, -2.25, 1.0 / 3, 1e300, -1e-300,
    ]

    private static func randomValue(_ random: inout SeededGenerator) -> Double {
        switch random.next() % 4 {
        case 0: return specials[Int(random.next() % UInt64(specials.count))]
        case 1: return 0
        case 2: return Double(Int(random.next() % 13) - 6) / Double(Int(random.next() % 5) + 1)
        default: return Double(bitPattern: 0x3FF0_0000_0000_0000 | (random.next() >> 12)) - 1.5
        }
    }

    @Test func everyKernelUpdatesAColumnAsTheSwiftLoopDoes() {
        let kernels = SimplexKernel.allCases.filter(\.isAvailable)
        #expect(kernels.contains(.scalar))
        #expect(SimplexKernel.best.isAvailable && kernels.contains(SimplexKernel.current))
        var random = SeededGenerator(seed: 7)
        var updated = 0, kept = 0, zeroed = 0
        for rows in Array(0...37) + [1_100, 1_101, 1_103] {
            for _ in 0..<20 {
                let column = (0..<rows).map { _ in Self.randomValue(&random) }
                let factors = (0..<rows).map { _ in Self.randomValue(&random) }
                let pivotEntry = Self.randomValue(&random)
                let expected = Self.reference(column, factors, pivotEntry)
                for (i, f) in factors.enumerated() {
                    if f == 0 { kept += 1 } else if expected[i] == 0 && column[i] != 0 { zeroed += 1 } else { updated += 1 }
                }
                for kernel in kernels {
                    var got = column
                    got.withUnsafeMutableBufferPointer { c in
                        factors.withUnsafeBufferPointer { f in
                            guard let c = c.baseAddress, let f = f.baseAddress else { return }
                            kernel.update(column: c, factors: f, rows: rows, pivotEntry: pivotEntry)
                        }
                    }
                    let differing = got.indices.filter { got[$0].bitPattern != expected[$0].bitPattern }
                    #expect(differing.isEmpty, "\(kernel), \(rows) rows: rows \(differing.prefix(5)) differ")
                }
            }
        }
        #expect(updated > 1_000 && kept > 1_000 && zeroed > 50, "\(updated) \(kept) \(zeroed)")
    }

    /// A hand-made column: the rows of factor zero (either sign) keep their entries, a
    /// difference within 1e-12 of zero becomes +0, a NaN factor updates its row; ten rows,
    /// so that a vector kernel's last lanes are a part of one.
    @Test func aColumnByHand() {
        let column: [Double] = [5, 2, 1e-13, 3, -4, 7, 1, 2, 9, 6]
        let factors: [Double] = [0, 1, 0, 0.5, -0.0, .nan, 2, 4, 1, 0]
        // pivot entry 0.5: row 1: 2 − 0.5 = 1.5; row 3: 3 − 0.25 = 2.75; row 5: NaN;
        // row 6: 1 − 1 = 0; row 7: 2 − 2 = +0; row 8: 9 − 0.5 = 8.5.
        for kernel in SimplexKernel.allCases where kernel.isAvailable {
            var got = column
            got.withUnsafeMutableBufferPointer { c in
                factors.withUnsafeBufferPointer { f in kernel.update(column: c.baseAddress!, factors: f.baseAddress!, rows: 10, pivotEntry: 0.5) }
            }
            #expect(got[0] == 5 && got[1] == 1.5 && got[2] == 1e-13 && got[3] == 2.75 && got[4] == -4, "\(kernel): \(got)")
            #expect(got[5].isNaN && got[6].bitPattern == 0 && got[7].bitPattern == 0 && got[8] == 8.5 && got[9] == 6, "\(kernel): \(got)")
        }
    }

    /// The same pivots on dense tableaux: through the list of rows (the scalar kernel's
    /// own way), and down whole columns with each kernel, at every pivot or where the kernel
    /// takes them, leave the same entries to the bit.
    @Test func wholeColumnsGiveTheListsEntries() {
        let rows = 60, columns = 25
        var random = SeededGenerator(seed: 11)
        let laid = (0..<rows).map { _ in
            (0..<columns).compactMap { j -> (column: Int, value: Double)? in
                random.next() % 3 == 0 ? (j, Double(Int(random.next() % 9) - 4) / Double(Int(random.next() % 3) + 1)) : nil
            }
        }
        func entries(_ t: SimplexTableau) -> [UInt64] {
            (0..<columns).flatMap { j in (0..<rows).map { t.entry(row: $0, column: j).bitPattern } }
        }
        func pivoted(_ kernel: SimplexKernel, everyPivot: Bool) -> SimplexTableau {
            var t = SimplexTableau(rows: rows, columns: columns, denseLimit: .max, kernel: kernel, everyPivotWholeColumns: everyPivot)
            t.lay(laid)
            var pivotRow: [(column: Int, value: Double)] = [], pivotRows: [Int32] = [], factors: [Double] = []
            for step in 0..<200 {
                let r = (step * 7) % rows
                guard let s = (0..<columns).lazy.map({ ($0 + step) % columns }).first(where: { abs(t.entry(row: r, column: $0)) > 1e-7 }) else { continue }
                t.pivot(row: r, column: s, pivotRow: &pivotRow, pivotRows: &pivotRows, pivotFactors: &factors)
            }
            return t
        }
        let list = pivoted(.scalar, everyPivot: false)
        #expect(list.wholeColumnPivots == 0)
        let expected = entries(list)
        #expect(expected.filter { $0 != 0 }.count > 300)
        for kernel in SimplexKernel.allCases where kernel.isAvailable {
            let always = pivoted(kernel, everyPivot: true)
            #expect(always.wholeColumnPivots >= 150, "\(kernel): \(always.wholeColumnPivots)")
            #expect(entries(always) == expected, "\(kernel), every pivot down whole columns")
            if kernel != .scalar {
                #expect(entries(pivoted(kernel, everyPivot: false)) == expected, "\(kernel), down whole columns where it takes them")
            }
        }
    }

    /// Each kernel divides a pivot row as the Swift loop did (every nonzero entry, NaN
    /// included, but the entering column's; the columns listed ascending), and takes an
    /// entering column's factors as it did (its nonzero entries, but the pivot row's, moved
    /// out; a −0 left where it is): the same bits, lists and counts; so does the plain-C take
    /// that lists the rows and their factors too.
    @Test func everyKernelDividesARowAndTakesAColumnAsTheSwiftLoopDid() {
        var random = SeededGenerator(seed: 23)
        var listedAny = 0, takenAny = 0
        for (rows, columns) in [(1, 1), (3, 9), (9, 3), (17, 23), (40, 64), (61, 7)] {
            for _ in 0..<30 {
                let tableau = (0..<rows * columns).map { _ in Self.randomValue(&random) }
                let r = Int(random.next() % UInt64(rows)), s = Int(random.next() % UInt64(columns))
                let pivot = [2.0, -3, 0.1, 7e-300, .infinity][Int(random.next() % 5)]
                // The Swift loops of the pivot before the kernels.
                var expectedTableau = tableau, expectedListed: [Int64] = []
                for j in 0..<columns where j != s && expectedTableau[j * rows + r] != 0 {
                    expectedTableau[j * rows + r] /= pivot
                    expectedListed.append(Int64(j))
                }
                let c = Int(random.next() % UInt64(columns))
                var expectedColumn = Array(tableau[c * rows..<(c + 1) * rows]), expectedFactors = [Double](repeating: 0, count: rows)
                // Every factor the entry as it was (a −0 too), but the pivot row's: +0.
                for i in 0..<rows where i != r {
                    expectedFactors[i] = expectedColumn[i]
                    if expectedColumn[i] != 0 { expectedColumn[i] = 0 }
                }
                let expectedCount = expectedFactors.filter { $0 != 0 }.count
                let expectedRows = expectedFactors.indices.filter { expectedFactors[$0] != 0 }
                // The plain-C take of the kernel without vector instructions, which lists
                // the rows and their factors too.
                do {
                    var column = Array(tableau[c * rows..<(c + 1) * rows]), factors = [Double](repeating: 99, count: rows)
                    var listedRows = [Int32](repeating: -1, count: rows), listedFactors = [Double](repeating: 99, count: rows)
                    let taken = column.withUnsafeMutableBufferPointer { col in
                        factors.withUnsafeMutableBufferPointer { f in
                            listedRows.withUnsafeMutableBufferPointer { lr in
                                listedFactors.withUnsafeMutableBufferPointer { lf in
                                    SimplexKernel.takeColumn(col.baseAddress!, into: f.baseAddress!, rows: rows, keeping: r,
                                                             listingRows: lr.baseAddress!, factors: lf.baseAddress!)
                                }
                            }
                        }
                    }
                    #expect(taken == expectedCount, "\(rows) rows")
                    #expect(column.map(\.bitPattern) == expectedColumn.map(\.bitPattern), "\(rows) rows, row \(r)")
                    #expect(factors.map(\.bitPattern) == expectedFactors.map(\.bitPattern), "\(rows) rows, row \(r)")
                    #expect(listedRows.prefix(taken).map(Int.init) == expectedRows, "\(rows) rows, row \(r)")
                    #expect(listedFactors.prefix(taken).map(\.bitPattern) == expectedRows.map { expectedFactors[$0].bitPattern },
                            "\(rows) rows, row \(r)")
                }
                listedAny += expectedListed.count
                takenAny += expectedCount
                for kernel in SimplexKernel.allCases where kernel.isAvailable {
                    var t = tableau, listed = [Int64](repeating: -1, count: columns)
                    let count = t.withUnsafeMutableBufferPointer { t in
                        listed.withUnsafeMutableBufferPointer { l in
                            kernel.divideRow(t.baseAddress!, rows: rows, columns: columns, row: r, skipping: s, by: pivot, listing: l.baseAddress!)
                        }
                    }
                    #expect(Array(listed.prefix(count)) == expectedListed, "\(kernel), \(rows) × \(columns)")
                    #expect(t.map(\.bitPattern) == expectedTableau.map(\.bitPattern), "\(kernel), \(rows) × \(columns), row \(r)")
                    var column = Array(tableau[c * rows..<(c + 1) * rows]), factors = [Double](repeating: 99, count: rows)
                    let taken = column.withUnsafeMutableBufferPointer { col in
                        factors.withUnsafeMutableBufferPointer { f in kernel.takeColumn(col.baseAddress!, into: f.baseAddress!, rows: rows, keeping: r) }
                    }
                    #expect(taken == expectedCount, "\(kernel), \(rows) rows")
                    #expect(column.map(\.bitPattern) == expectedColumn.map(\.bitPattern), "\(kernel), \(rows) rows, row \(r)")
                    #expect(factors.map(\.bitPattern) == expectedFactors.map(\.bitPattern), "\(kernel), \(rows) rows, row \(r)")
                }
            }
        }
        #expect(listedAny > 1_000 && takenAny > 500, "\(listedAny) \(takenAny)")
    }
}
