import Testing
@testable import EntStat

@Suite struct ReportFixtureBuildTests {
    @Test func fixtureStoreHasActivity() throws {
        let store = try Store(readingFrom: ReportFixture.shared)
        let n = try store.db.scalarInt("SELECT COUNT(*) FROM activity") ?? 0
        #expect(n > 1000)
    }
}
