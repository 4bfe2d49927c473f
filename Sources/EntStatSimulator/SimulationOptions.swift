import EntStat

/// Everything that shapes a simulation. Same options and seed give the same bytes.
public struct SimulationOptions: Sendable {
    /// Output directory: `schools.csv`, `accounts.csv` and `logs/` are written in it.
    public var outputDirectory: String
    /// Seed of the random generator.
    public var seed: UInt64 = 42
    /// Number of schools (the Somme has about 550).
    public var schools: Int = 550
    /// First and last local day of the logs.
    public var from = CivilDate(year: 2018, month: 9, day: 1)
    /// Last local day of the logs.
    public var to = CivilDate(year: 2019, month: 7, day: 6)
    /// Last day of the old ENT.
    public var switchDay = CivilDate(year: 2018, month: 11, day: 4)
    /// Days during which both ENTs run (the new ENT opens `overlapDays - 1` days before the switch).
    public var overlapDays: Int = 49
    /// How the log files are cut in time.
    public var rotation: Rotation = .mixed
    /// Fraction of malformed lines written (0.0001 = 0.01 %).
    public var malformedRate: Double = 0.0001
    /// Write gzip (default) or plain text.
    public var gzip: Bool = true
    /// zlib compression level 1–9 (1: fastest, the default; compression dominates the run time).
    public var compressionLevel: Int = 1
    /// Multiplier on every user's probability to visit (volume knob for benchmarks).
    public var activity: Double = 1.0
    /// Worker threads.
    public var jobs: Int = 2
    /// Remove existing log files of the output directory first.
    public var force: Bool = false
    /// Show a progress line on standard error while writing.
    public var progress: Bool = false

    /// The default simulation, written into `outputDirectory`.
    public init(outputDirectory: String) {
        self.outputDirectory = outputDirectory
    }

    /// Day serial of the new ENT's first day.
    var newStart: Int { switchDay.dayNumber - overlapDays + 1 }
}
