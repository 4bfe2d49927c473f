import Testing
@testable import EntStat
