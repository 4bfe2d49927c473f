import Testing
@testable import EntStat

/// `FigureQuery.accountGroups` makes the rows of `account_place` distinct itself, as
/// `SELECT DISTINCT` of the same columns did before (and as the test's own SQL does): an
/// account counts once per group however many of its rows fall in it, and rows that differ
/// only in the activation day stay two rows.
@Suite struct AccountGroupsTests {
    /// Account 1: a teacher of schools A and B (activated on day 100); account 2: a parent
    /// of A, twice with different activation days (NULL and 200: two distinct rows); account
    /// 3: a parent of B, the same row twice (day 300); account 4: a teacher of A, never
    /// activated.
    static func store() throws -> Store {
        let store = try TestSupport.scratchStore()
        try store.db.execute("""
            INSERT INTO account_place(account, role, uai, level, code_commune, epci, activated_day) VALUES
                (1, 'teacher', 'A', 'maternelle', '80001', 'E', 100), (1, 'teacher', 'B', 'elementaire', '80002', 'E', 100),
                (2, 'parent', 'A', 'maternelle', '80001', 'E', NULL), (2, 'parent', 'A', 'maternelle', '80001', 'E', 200),
                (3, 'parent', 'B', 'elementaire', '80002', 'E', 300), (3, 'parent', 'B', 'elementaire', '80002', 'E', 300),
                (4, 'teacher', 'A', 'maternelle', '80001', 'E', NULL);
            """)
        return store
    }

    static func figures(_ groups: [[String]: FigureQuery.AccountGroup]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: groups.map { key, group in
            (key.joined(separator: "|"), "\(group.accounts) \(group.activationDays.map(String.init).joined(separator: ","))")
        })
    }

    @Test func eachAccountCountsOncePerGroupCountedByHand() throws {
        let store = try Self.store()
        #expect(Self.figures(try FigureQuery.accountGroups(store: store, dims: ["role"])) == [
            "teacher": "2 100", "parent": "3 200,300",
        ])
        #expect(Self.figures(try FigureQuery.accountGroups(store: store, dims: ["role", "uai"])) == [
            "teacher|A": "2 100", "teacher|B": "1 100", "parent|A": "2 200", "parent|B": "1 300",
        ])
        #expect(Self.figures(try FigureQuery.accountGroups(store: store, dims: ["epci"])) == ["E": "5 100,200,300"])
        #expect(Self.figures(try FigureQuery.accountGroups(store: store, dims: [])) == ["": "5 100,200,300"])
    }

    /// The same figures as SQL's `DISTINCT` and `GROUP BY`, for every grouping of one or two
    /// place columns.
    @Test func theGroupsAreThoseOfSelectDistinct() throws {
        let store = try Self.store()
        let columns = ["role", "uai", "level", "code_commune", "epci"]
        for a in columns {
            for dims in [[a]] + columns.filter({ $0 != a }).map({ [a, $0] }) {
                let list = dims.joined(separator: ", ")
                let s = try store.db.prepare("""
                    SELECT \(dims.map { "\($0) || '|'" }.joined(separator: " || ")), COUNT(*),
                           COALESCE(GROUP_CONCAT(activated_day, ','), '')
                    FROM (SELECT DISTINCT \(list), account, activated_day FROM account_place)
                    GROUP BY \(list)
                    """)
                var expected: [String: String] = [:]
                while try s.step() {
                    var key = s.text(0)
                    key.removeLast()
                    let days = s.text(2).split(separator: ",").map { Int($0)! }.sorted()
                    expected[key] = "\(s.int(1)) \(days.map(String.init).joined(separator: ","))"
                }
                #expect(Self.figures(try FigureQuery.accountGroups(store: store, dims: dims)) == expected, "\(dims)")
            }
        }
    }
}
