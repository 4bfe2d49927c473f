import CSimplexKernel
import Foundation

/// A helper thread that takes part of a dense simplex tableau's pivots (`SimplexTableau`,
/// `CSimplexKernel`'s simplex_team.c): the thread that pivots and the helper split the
/// columns of the pivot row between them, claimed a chunk at a time, and each column's
/// entries get the same operations whichever thread updates them, so the same bits as one
/// thread alone. The statistical secrecy of a commune's report runs on one thread while the
/// machine's other core is idle; its pivots' updates were about half its time.
///
/// A pivot's update can be begun in one call and finished in another (`begin`, `finish`):
/// the pivoting thread updates first the column the next pivot's ratio test will read, and
/// runs that test while the helper updates the other columns (`BoundedSimplex.optimize`).
///
/// The pivoting thread never waits for a helper that is late or asleep: it claims every
/// chunk the helper has not, and waits only for those the helper is updating. An idle
/// helper spins some 200 µs, then sleeps until offered work. A pivot too small to share
/// (fewer than two chunks of about 4 096 entries) is updated by the pivoting thread alone,
/// and so is every pivot of a thread that finds the helper working for another.
public final class SimplexTeam: @unchecked Sendable {
    private let team: OpaquePointer

    /// A team of its own, with a helper thread of its own (tests; the report uses
    /// `shared`); nil when the thread cannot be started. The thread lives as long as the
    /// process, asleep when idle.
    init?() {
        guard let team = entstat_simplex_team_start() else { return nil }
        self.team = team
    }

    /// The process's team: started when first used, on a machine of two cores or more,
    /// unless `ENTSTAT_SIMPLEX_THREADS` is `1` (a diagnostic: the same report either way);
    /// nil otherwise, or when the thread cannot be started.
    public static let shared: SimplexTeam? = {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2,
              threads(in: ProcessInfo.processInfo.environment) != 1
        else { return nil }
        return SimplexTeam()
    }()

    /// The environment variable that can keep the pivots on one thread (`1`).
    public static let environmentVariable = "ENTSTAT_SIMPLEX_THREADS"

    /// How many threads `environment` asks the pivots to run on (1 or 2); nil when it does
    /// not say, 0 when it says something else (a value to warn about).
    public static func threads(in environment: [String: String]) -> Int? {
        guard let value = environment[environmentVariable] else { return nil }
        return value == "1" ? 1 : value == "2" ? 2 : 0
    }

    /// How many columns the helper has updated since it started (for tests and
    /// measurements).
    public var helped: Int { Int(entstat_simplex_team_helped(team)) }

    /// How a log line names the threads the pivots run on.
    public static var label: String { shared == nil ? "un fil d'exécution" : "deux fils d'exécution" }

    /// Begins the update of `count` columns of a column-major tableau of `rows` rows
    /// (`columns`): down the whole column by `factors` (one per row) when `listedRows` is
    /// nil, else in the `listedCount` rows listed, each by its factor in `listedFactors`. A
    /// column's pivot entry is its entry in row `row`, which stays. Column `first` (if it is
    /// one of `columns`, which this then reorders, `first` last; −1: none) is updated on
    /// this thread before this returns, the others offered to the helper (`team` nil: all on
    /// this thread). True when the helper was offered some: `finish` must then follow, and
    /// until it returns the helper may be writing any of the other columns and reading the
    /// factors and lists, whose memory must stay where it is.
    static func begin(_ team: SimplexTeam?, kernel: SimplexKernel, tableau: UnsafeMutablePointer<Double>, rows: Int, row: Int,
                      columns: UnsafeMutablePointer<Int64>, count: Int, factors: UnsafePointer<Double>,
                      listedRows: UnsafePointer<Int32>?, listedFactors: UnsafePointer<Double>?, listedCount: Int,
                      first: Int) -> Bool {
        entstat_simplex_team_begin(team?.team, kernel.cValue, tableau, rows, row, columns, count, factors, listedRows, listedFactors,
                                   listedCount, Int64(first)) != 0
    }

    /// Returns when every column of an update `begin` shared (returned true for) is
    /// updated, this thread taking those the helper has not.
    static func finish(_ team: SimplexTeam) {
        entstat_simplex_team_finish(team.team)
    }
}
