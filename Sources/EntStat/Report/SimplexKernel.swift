import CSimplexKernel
import Foundation

/// The instructions a dense simplex tableau's pivot runs in (`SimplexTableau`,
/// `CSimplexKernel`): its update of whole columns, eight doubles an instruction with
/// AVX-512, four with AVX2, one in plain C; the division of its row, gathered and scattered
/// eight columns at a time with AVX-512 (elsewhere in plain C, without a branch on the
/// entries); the taking of its entering column's factors, eight or four rows an instruction
/// with AVX-512 or AVX2 (`takesInVectors`; in plain C, listing the rows as it goes, with
/// the plain-C kernel). Every kernel
/// gives each entry the same operations (a division; a product then a difference, never
/// fused), so the same bits as the Swift loops over the pivot's lists of rows and columns
/// that came before it: the kernel only changes how long a report's
/// statistical secrecy takes, never a figure (`ENTSTAT_SIMPLEX_KERNEL` names one, to check).
///
/// A pivot updates, in each column of its row, the rows with a nonzero entry in the
/// entering column. Commune 80317's report (Somme year): 44 000 pivots of a tableau of
/// about 1 100 rows × 540 columns, each updating on average 398 rows (36 %) in 68 columns.
/// One row at a time, through the list of rows, that took 62 % of the report's samples.
/// Down the whole column, the rows left out having a factor of zero and their entries
/// left where they are, the same update runs eight rows an instruction. The row's division
/// reads one entry in each of 540 columns, a cache line apiece: gathered eight at a time,
/// their loads overlap. On that report's statistical secrecy (six alternated runs, the
/// median): 2.21 s before, 1.58 s with the update alone in AVX-512, 1.29 s with the
/// division and the factors too.
public enum SimplexKernel: String, CaseIterable, Sendable {
    case scalar
    case avx2
    case avx512

    /// The kernel the process uses: the one `ENTSTAT_SIMPLEX_KERNEL` names, if this
    /// processor runs it (a diagnostic: the same report from every kernel), else the widest
    /// this processor runs.
    public static let current: SimplexKernel = named(in: ProcessInfo.processInfo.environment)?.kernel ?? best

    /// What `environment` names in `environmentVariable`, if anything: the name, and the
    /// kernel it names if this processor runs it (nil: a name to warn about).
    public static func named(in environment: [String: String]) -> (name: String, kernel: SimplexKernel?)? {
        guard let name = environment[environmentVariable] else { return nil }
        return (name, SimplexKernel(rawValue: name).flatMap { $0.isAvailable ? $0 : nil })
    }

    /// The environment variable that can name the kernel (`scalar`, `avx2`, `avx512`).
    public static let environmentVariable = "ENTSTAT_SIMPLEX_KERNEL"

    /// The widest kernel this processor (and its operating system) runs.
    public static var best: SimplexKernel { SimplexKernel(entstat_simplex_kernel_best()) }

    /// Whether this processor runs the kernel.
    public var isAvailable: Bool { entstat_simplex_kernel_available(cValue) != 0 }

    /// How it is named in a log line.
    public var label: String {
        switch self {
        case .scalar: return "C scalaire"
        case .avx2: return "AVX2"
        case .avx512: return "AVX-512"
        }
    }

    /// A pivot that updates at least one row in `wholeColumnDivisor` goes down whole
    /// columns with this kernel; a sparser one, through its list of rows (nil: always
    /// through the list). Chosen on commune 80317's report (six alternated runs each,
    /// 2026-12-07, the statistical secrecy's median): with AVX-512, 1.47 s from one row in
    /// 16 (1.50 s from one in 8, 1.45 s from one in 32); with AVX2, 1.79 s from one in 8
    /// (1.82 s from one in 4, 1.89 s from one in 16); through the list alone, 1.92 s.
    var wholeColumnDivisor: Int? {
        switch self {
        case .scalar: return nil
        case .avx2: return 8
        case .avx512: return 16
        }
    }

    /// For each of `rows` entries of `column` whose factor is not zero: x = entry −
    /// factor × `pivotEntry`, made +0 within 1e-12 of zero; the others left as they are.
    func update(column: UnsafeMutablePointer<Double>, factors: UnsafePointer<Double>, rows: Int, pivotEntry: Double) {
        entstat_simplex_update_column(cValue, column, factors, rows, pivotEntry)
    }

    /// Whether the pivot's entering column is taken in this kernel's own vector
    /// instructions (`takeColumn`, which lists no rows: a pivot that updates only the rows
    /// listed lists them from the factors after): with AVX-512 and AVX2. The row's division
    /// gathers in vector instructions with AVX-512 only (`divideRow` chooses).
    ///
    /// With the plain-C kernel the take runs in plain C without a branch on the entries
    /// (which of them are zero follows no pattern, and each mispredicted branch threw away
    /// the loads started past it), the entering column's factors listed with their rows as
    /// they are taken (`takeColumn(_:into:rows:keeping:listingRows:factors:)`), as the
    /// AVX2 kernel did until session 74: on an AVX2 machine, 80317's secrecy 1.84 → 1.67 s
    /// (six alternated runs, the median; the Swift loops before); plain-C loops with a
    /// branch had been slower than the Swift loops (2.58 s against 2.15 s). The AVX2 take
    /// cut the take's samples on that report from 7 222 to 1 211 (six alternated runs),
    /// the lists built after it costing 211 more: most likely because its stores, to lines
    /// the helper thread often holds (`SimplexTeam`), carry four entries each instead of
    /// one (on one thread the gain nearly goes).
    var takesInVectors: Bool { self == .avx512 || self == .avx2 }

    /// Divides by `pivot` the nonzero entries of row `row` of a column-major tableau of
    /// `rows` × `columns` (column `skipped` excepted), and lists their columns, ascending,
    /// in `listed` (room for `columns`); returns how many.
    func divideRow(_ tableau: UnsafeMutablePointer<Double>, rows: Int, columns: Int, row: Int, skipping skipped: Int,
                   by pivot: Double, listing listed: UnsafeMutablePointer<Int64>) -> Int {
        entstat_simplex_divide_row(cValue, tableau, rows, columns, row, skipped, pivot, listed)
    }

    /// Moves `column`'s `rows` entries into `factors`, but row `row`'s (factor zero, entry
    /// kept); every other nonzero entry of `column` becomes zero. Returns how many factors
    /// are not zero.
    func takeColumn(_ column: UnsafeMutablePointer<Double>, into factors: UnsafeMutablePointer<Double>, rows: Int,
                    keeping row: Int) -> Int {
        entstat_simplex_take_column(cValue, column, factors, rows, row)
    }

    /// Moves `column`'s `rows` entries into `factors` as `takeColumn` does, in plain C
    /// without a branch on the entries, and lists the rows of the nonzero factors,
    /// ascending, in `listedRows`, with those factors in `listedFactors` (room for `rows`
    /// each); returns how many. For the kernels that do not gather.
    static func takeColumn(_ column: UnsafeMutablePointer<Double>, into factors: UnsafeMutablePointer<Double>, rows: Int,
                           keeping row: Int, listingRows listedRows: UnsafeMutablePointer<Int32>,
                           factors listedFactors: UnsafeMutablePointer<Double>) -> Int {
        entstat_simplex_take_column_listing(column, factors, rows, row, listedRows, listedFactors)
    }

    private init(_ kernel: entstat_simplex_kernel) {
        switch kernel {
        case ENTSTAT_SIMPLEX_AVX512: self = .avx512
        case ENTSTAT_SIMPLEX_AVX2: self = .avx2
        default: self = .scalar
        }
    }

    var cValue: entstat_simplex_kernel {
        switch self {
        case .scalar: return ENTSTAT_SIMPLEX_SCALAR
        case .avx2: return ENTSTAT_SIMPLEX_AVX2
        case .avx512: return ENTSTAT_SIMPLEX_AVX512
        }
    }
}
