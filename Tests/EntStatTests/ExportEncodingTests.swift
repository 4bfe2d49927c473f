import Testing
@testable import EntStat

/// The export's CSV is encoded straight into bytes, and its rows are sorted by ranks of
/// their texts. Both must give exactly what the text-by-text definitions give:
/// `CSVText.line` of the fields as text (`fields` below), and `FigureRowOrder.precedes`.
@Suite struct ExportEncodingTests {
    /// The fields of a row as text, one `String` each: the definition the byte encoding
    /// must reproduce (SPEC §3; it was `ExportCSV`'s own encoding before the bytes).
    static func fields(_ row: FigureRow, request: ExportRequest) -> [String] {
        let suppressed = "< \(request.minCell)"
        func count(_ n: Int) -> String { Suppression.isSmall(n, minCell: request.minCell) ? suppressed : String(n) }
        func rate(_ value: Double?, from counts: Int...) -> String {
            guard let value else { return "" }
            if counts.contains(where: { Suppression.isSmall($0, minCell: request.minCell) }) { return suppressed }
            return ExportCSV.formatRate(value)
        }
        var f = [row.period] + row.groups.map(CSVText.neutralized)
        f += [count(row.activeUsers), String(row.connections), String(row.logins), String(row.requests)]
        if request.includesAccounts {
            f += [count(row.accounts), count(row.activatedAccounts),
                  rate(row.activationRate, from: row.accounts, row.activatedAccounts),
                  rate(row.activeRate, from: row.accounts, row.listedActiveUsers)]
        }
        return f
    }

    static func row(_ period: String, _ groups: [String], users: Int, accounts: Int = 0, activated: Int = 0, listed: Int = 0) -> FigureRow {
        var row = FigureRow(period: period, groups: groups)
        row.activeUsers = users
        row.connections = users * 3
        row.logins = users * 2
        row.requests = users * 40 + 7
        row.accounts = accounts
        row.activatedAccounts = activated
        row.listedActiveUsers = listed
        return row
    }

    /// Texts that need quoting, neutralising, or neither; counts under and over the
    /// small-cell threshold; rates with and without accounts.
    static let rows: [FigureRow] = [
        row("2019-01-07", ["=1+2,3", "École \"Jean Moulin\""], users: 12, accounts: 30, activated: 20, listed: 11),
        row("2019-01-07", ["-5", "ligne\nsuivante"], users: 3, accounts: 3, activated: 3, listed: 3),
        row("2019-01-07", ["@x", "retour\r"], users: 0, accounts: 9, activated: 0),
        row("2019-01-07", ["\tonglet", ""], users: 1_234_567_890_123, accounts: 0),
        row("2019-01-08", ["+33", "Vie scolaire"], users: 7, accounts: 3, activated: 2, listed: 2),
        row("2019-01-08", ["ordinaire", "a'b"], users: 10, accounts: 10, activated: 10, listed: 10),
    ]

    @Test func bytesAreTheTextOfTheFieldDefinitions() throws {
        for minCell in [0, 5] {
            for dims in [[Dimension.school, .commune], [.school, .feature]] {
                let request = ExportRequest(period: .day, dimensions: dims, minCell: minCell)
                var expected = CSVText.line(ExportCSV.header(for: request)) + "\r\n"
                for row in Self.rows { expected += CSVText.line(Self.fields(row, request: request)) + "\r\n" }
                #expect(ExportCSV.document(Self.rows, request: request) == expected, "min-cell \(minCell) \(dims)")
            }
        }
    }

    /// Counted cells (`CountedPeriod`) are written with each text encoded once, not once
    /// per line: the bytes must still be those of the field definitions, whatever the order
    /// of place and service dimensions, and when the groups change from one period to the
    /// next.
    @Test func countedPeriodsHaveTheBytesOfTheirRows() throws {
        let groups = [["=1+2,3", "École \"Jean Moulin\""], ["-5", "ligne\nsuivante"], ["ordinaire", "@x"]]
        let combos = [(source: "*", feature: "Vie, scolaire"), (source: "+ancien", feature: "\tonglet"), (source: "nouvel ENT", feature: "a'b")]
        func cell(_ group: Int32, _ combo: Int32, users: Int) -> CountedPeriod.Cell {
            CountedPeriod.Cell(group: group, combo: combo, users: users, listed: users / 2, requests: users * 40 + 7,
                               logins: users * 2, visits: users * 3)
        }
        let periods = [
            CountedPeriod(label: "2019-01-07", cells: [cell(2, 0, users: 12), cell(0, 2, users: 3), cell(1, 1, users: 0)],
                          groupValues: groups, combos: combos),
            CountedPeriod(label: "2019-01-08", cells: [cell(1, 0, users: 1_234_567), cell(1, 2, users: 4)],
                          groupValues: groups, combos: combos),
            // Other groups (another export's, as a writer must not assume).
            CountedPeriod(label: "2019-W02", cells: [cell(0, 1, users: 9)], groupValues: [["\rretour", "="]], combos: combos),
        ]
        for minCell in [0, 5] {
            for dims in [[Dimension.source, .school, .feature, .commune], [.school, .commune, .feature], [.feature, .school, .source, .commune]] {
                let request = ExportRequest(period: .day, dimensions: dims, minCell: minCell)
                var expected = CSVText.line(ExportCSV.header(for: request)) + "\r\n"
                var writer = ExportCSV.Writer(request: request)
                var bytes: [UInt8] = []
                for counted in periods {
                    for row in counted.rows(dimensions: dims) { expected += CSVText.line(Self.fields(row, request: request)) + "\r\n" }
                    writer.write(counted) { bytes.append(contentsOf: $0) }
                }
                writer.finish { bytes.append(contentsOf: $0) }
                #expect(String(decoding: bytes, as: UTF8.self) == expected, "min-cell \(minCell) \(dims)")
            }
        }
    }

    /// Counted cells are written a whole line at a time, their texts copied eight bytes at
    /// a time: texts of every length from 0 to 24 (each copy ending anywhere in a word,
    /// followed by a shorter or a longer one), a place longer than the writer's buffer,
    /// counts of one to nineteen digits, and enough lines for many chunks.
    @Test func countedLinesOfEveryFieldLengthHaveTheBytesOfTheirRows() throws {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        func text(_ length: Int, _ seed: Int) -> String { String((0..<length).map { letters[($0 + seed) % 26] }) }
        var groups = (0...24).map { [text($0, $0), text(24 - $0, 3 * $0), "8\($0)"] }
        groups.append([String(repeating: "Amiens ", count: 200_000), "", "é"])
        let combos = (0...24).map { (source: text($0 % 7, $0), feature: text(24 - $0, $0)) }
        var cells: [CountedPeriod.Cell] = []
        for i in 0..<30_000 {
            let users = [0, 1, 4, 5, 99, 1_000, 9_223_372_036_854_775_807][i % 7]
            cells.append(CountedPeriod.Cell(group: Int32(i % 25), combo: Int32(i / 25 % combos.count), users: users,
                                            listed: 0, requests: i * 7_919 % 1_000_003, logins: i % 10, visits: i))
        }
        // The long place on one line, between two others.
        cells.insert(CountedPeriod.Cell(group: 25, combo: 3, users: 6, listed: 0, requests: 12, logins: 1, visits: 2), at: 15_000)
        let periods = [CountedPeriod(label: "2019-01-07", cells: cells, groupValues: groups, combos: combos),
                       CountedPeriod(label: "2019-W02", cells: Array(cells.prefix(100)), groupValues: groups, combos: combos)]
        for minCell in [0, 5] {
            let dims: [Dimension] = [.feature, .school, .source, .commune, .level]
            let request = ExportRequest(period: .day, dimensions: dims, minCell: minCell)
            var expected = CSVText.line(ExportCSV.header(for: request)) + "\r\n"
            var writer = ExportCSV.Writer(request: request)
            var bytes: [UInt8] = [], chunks = 0
            for counted in periods {
                for row in counted.rows(dimensions: dims) { expected += CSVText.line(Self.fields(row, request: request)) + "\r\n" }
                writer.write(counted) { chunks += 1; bytes.append(contentsOf: $0) }
            }
            writer.finish { chunks += 1; bytes.append(contentsOf: $0) }
            #expect(chunks > 3)
            #expect(String(decoding: bytes, as: UTF8.self) == expected, "min-cell \(minCell)")
        }
    }

    @Test func linesWrittenByHand() throws {
        let request = ExportRequest(period: .day, dimensions: [.school, .commune], minCell: 5)
        let lines = ExportCSV.document(Self.rows, request: request).components(separatedBy: "\r\n")
        #expect(lines[0] == "period,school,commune,active_users,connections,logins,requests,accounts,activated_accounts,activation_rate,active_rate")
        #expect(lines[1] == "2019-01-07,\"'=1+2,3\",\"École \"\"Jean Moulin\"\"\",12,36,24,487,30,20,0.6667,0.3667")
        #expect(lines[2] == "2019-01-07,'-5,\"ligne\nsuivante\",< 5,9,6,127,< 5,< 5,< 5,< 5")
        #expect(lines[3] == "2019-01-07,'@x,\"retour\r\",0,0,0,7,9,0,0.0000,0.0000")
        #expect(lines[4] == "2019-01-07,'\tonglet,,1234567890123,3703703670369,2469135780246,49382715604927,0,0,,")
        #expect(lines[5] == "2019-01-08,'+33,Vie scolaire,7,21,14,287,< 5,< 5,< 5,< 5")
        #expect(lines[6] == "2019-01-08,ordinaire,a'b,10,30,20,407,10,10,1.0000,1.0000")
        #expect(lines[7] == "")
        #expect(lines.count == 8)
    }

    @Test func chunksJoinIntoTheDocument() throws {
        let request = ExportRequest(period: .day, dimensions: [.school, .commune])
        // Enough rows for several 1 MB chunks.
        let many = (0..<40_000).map { Self.row("2019-01-\(10 + $0 % 20)", ["0800\($0)A", "Amiens, \($0 % 7)"], users: $0) }
        var chunks = 0
        var bytes: [UInt8] = []
        ExportCSV.write(many, request: request) { chunks += 1; bytes.append(contentsOf: $0) }
        #expect(chunks > 1)
        var expected = CSVText.line(ExportCSV.header(for: request)) + "\r\n"
        for row in many { expected += CSVText.line(Self.fields(row, request: request)) + "\r\n" }
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    /// A field longer than the writer's buffer (1 MB, here 3 MB of school name) grows it
    /// and keeps every byte before and after it.
    @Test func fieldLongerThanTheBuffer() throws {
        let request = ExportRequest(period: .day, dimensions: [.school, .commune])
        let long = String(repeating: "Amiens ", count: 450_000)
        let rows = [Self.row("2019-01-07", ["0800001A", "x"], users: 7), Self.row("2019-01-07", [long, "Amiens, nord"], users: 8),
                    Self.row("2019-01-08", ["0800002B", long], users: 9)]
        var bytes: [UInt8] = []
        ExportCSV.write(rows, request: request) { bytes.append(contentsOf: $0) }
        var expected = CSVText.line(ExportCSV.header(for: request)) + "\r\n"
        for row in rows { expected += CSVText.line(Self.fields(row, request: request)) + "\r\n" }
        #expect(bytes.count > 6_000_000)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    /// A rate is written as its exact quotient rounds, half away from zero (docs/choices.md,
    /// "Periods, figures and rounding"), though it arrives as a `Double`: 57/800 = 0.07125 is 0.0713, not the
    /// 0.0712 that rounding the `Double` 712.4999999999999 gives.
    @Test func ratesAreWrittenAsTheirExactQuotientRounds() throws {
        // The text of numerator/denominator from integers alone: the rounded
        // ten-thousandths are floor((2 × 10000 × |n| + d) / 2d), then integer and decimals.
        func reference(_ numerator: Int, _ denominator: Int) -> String {
            let scaled = (2 * 10_000 * abs(numerator) + denominator) / (2 * denominator)
            let sign = numerator < 0 && scaled != 0 ? "-" : ""
            return "\(sign)\(scaled / 10_000).\(String(scaled % 10_000).leftPadded(to: 4))"
        }
        var checked = 0, differing: [String] = [], ties = 0
        for denominator in 1...1_000 {
            for numerator in -denominator...(2 * denominator) {
                let text = ExportCSV.formatRate(Double(numerator) / Double(denominator))
                if text != reference(numerator, denominator) { differing.append("\(numerator)/\(denominator): \(text)") }
                if (20_000 * abs(numerator)) % (2 * denominator) == denominator { ties += 1 }
                checked += 1
            }
        }
        #expect(checked == 1_502_500 && differing.isEmpty, "\(differing.prefix(5))")
        // Ties are there to be rounded: a quotient exactly halfway between two outputs.
        #expect(ties > 1_000, "\(ties)")
        #expect(ExportCSV.formatRate(57.0 / 800) == "0.0713")
        #expect(ExportCSV.formatRate(-57.0 / 800) == "-0.0713")
        // Just below that half, as a value that is not a quotient of small counts: kept.
        #expect(ExportCSV.formatRate(0.071249999) == "0.0712")
        #expect(ExportCSV.formatRate(57.0 / 800 - 1e-12) == "0.0712")
        #expect(ExportCSV.formatRate(12_345_678.9) == "12345678.9000")
        // Rates only a damaged store gives (a count edited to 2^63 - 1 over a few
        // accounts): written as Swift writes them, never trapped on.
        #expect(ExportCSV.formatRate(Double(Int.max) / 3) == "3.0744573456182584e+18")
        #expect(ExportCSV.formatRate(-1e300) == "-1e+300")
        #expect(ExportCSV.formatRate(.infinity) == "inf")
        #expect(ExportCSV.formatRate(1e14) == "100000000000000.0000")
    }

    /// A period's rows of activity and the rows added for its groups of accounts, each
    /// part in order, are merged into the order of a sort of them all; a part out of order
    /// is sorted whole.
    @Test func twoOrderedPartsMergeIntoTheOrderOfASort() throws {
        let schools = ["0800001A", "0800001a", "Blog", "", "z", "École", "Été", "ecole"]
        var all: [FigureRow] = []
        for role in ["teacher", "parent", "Parent", "élève"] {
            for school in schools { all.append(Self.row("2019-01-07", [role, school], users: all.count)) }
        }
        all.sort(by: FigureRowOrder.precedes)
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            // Each row in one part or the other, each part in order.
            let inFirst = all.map { _ in Bool.random(using: &generator) }
            let first = zip(all, inFirst).filter(\.1).map(\.0), second = zip(all, inFirst).filter { !$0.1 }.map(\.0)
            var rows = first + second
            FigureRowOrder.merge(&rows, at: first.count)
            #expect(rows == all)
        }
        // A second part out of order: sorted whole.
        var rows = Array(all[..<10]) + all[10...].reversed()
        FigureRowOrder.merge(&rows, at: 10)
        #expect(rows == all)
        #expect(rows.map { $0.groups[0] }.prefix(9) == ["Parent", "Parent", "Parent", "Parent", "Parent", "Parent", "Parent", "Parent", "parent"])
    }

    @Test func rowsSortedByRanksAsByTheirTexts() throws {
        let schools = ["0800001A", "0800001a", "Blog", "Blog2", "École", "Vie scolaire", "ecole", "", "z", "Été"]
        let features = ["*", "blog", "Blog", "cantine", "éval", "e"]
        var rows: [FigureRow] = []
        for period in ["2019-01-08", "2018-12-31", "2019-01-07"] {
            for (i, school) in schools.enumerated() {
                for (j, feature) in features.enumerated() where (i + j) % 3 != 0 {
                    rows.append(Self.row(period, [feature, school], users: i * 10 + j))
                }
            }
        }
        var generator = SeededGenerator(seed: 7)
        rows.shuffle(using: &generator)
        var sorted = rows
        FigureRowOrder.sort(&sorted)
        #expect(sorted == rows.sorted(by: FigureRowOrder.precedes))
        #expect(FigureRowOrder.isSorted(sorted))
        #expect(!FigureRowOrder.isSorted(rows))
        // By hand: byte order puts the empty text first, capitals before small letters,
        // and "É" (0xC3 0x89) after "z".
        #expect(sorted[0].period == "2018-12-31")
        let schoolsOfStar = sorted.filter { $0.period == "2018-12-31" && $0.groups[0] == "*" }.map { $0.groups[1] }
        #expect(schoolsOfStar == ["", "0800001a", "Blog", "Vie scolaire", "z", "École"])
    }

    @Test func rowsWhoseRanksNeedMoreThan64BitsAreSortedToo() throws {
        // Eight columns of 300 values: 8 × 9 bits of ranks, more than one integer holds.
        var rows: [FigureRow] = []
        for i in 0..<300 {
            let groups = (0..<8).map { c in String((i * (c + 7) * 37) % 300) }
            rows.append(Self.row("2019-01-0\(1 + i % 3)", groups, users: i))
        }
        var generator = SeededGenerator(seed: 11)
        rows.shuffle(using: &generator)
        var sorted = rows
        FigureRowOrder.sort(&sorted)
        #expect(sorted == rows.sorted(by: FigureRowOrder.precedes))
        // By hand (rows i ≡ 0 mod 3 are of 2019-01-01; their first value is 259 i mod 300,
        // compared as text): i = 0 ("0"), 78 ("102"), 195 ("105"), 12 ("108") first; the
        // last two are of 2019-01-03, i = 5 ("95") and 122 ("98").
        #expect(sorted.prefix(4).map(\.activeUsers) == [0, 78, 195, 12])
        #expect(sorted.suffix(2).map(\.activeUsers) == [5, 122])
    }
}
