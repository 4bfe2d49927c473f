import EntStat
import Foundation

/// Generates a synthetic département (reference files and logs) in the formats of SPEC §1.
///
/// The world (schools, communes, accounts) is built once; logs are then generated one
/// (day, département) item at a time by a few worker threads, each item with its own random
/// stream, so memory stays bounded and the bytes never depend on scheduling.
public enum Simulator {
    /// Writes everything under `options.outputDirectory` and returns what was written.
    public static func run(_ options: SimulationOptions) throws -> SimulationSummary {
        let started = Date()
        try validate(options)
        let fm = FileManager.default
        let logs = options.outputDirectory + "/logs"
        do {
            try fm.createDirectory(atPath: logs, withIntermediateDirectories: true)
        } catch {
            throw SimulatorError.cannotWrite(path: logs, reason: "création du dossier impossible")
        }
        let existing = (try? fm.contentsOfDirectory(atPath: logs))?.filter(isLogName) ?? []
        if !existing.isEmpty {
            guard options.force else { throw SimulatorError.outputNotEmpty(path: logs) }
            for name in existing {
                do {
                    try fm.removeItem(atPath: logs + "/" + name)
                } catch {
                    throw SimulatorError.cannotWrite(path: logs + "/" + name, reason: "suppression impossible")
                }
            }
        }

        let world = WorldBuilder(seed: options.seed, schoolCount: options.schools,
                                 newStart: options.newStart, switchDay: options.switchDay.dayNumber).build()
        var summary = SimulationSummary()
        summary.schools = world.schools.count
        summary.accounts = world.accounts.reduce(0) { $0 + ($1.listed ? 1 : 0) }
        let reference = ReferenceWriter(world: world, options: options)
        summary.bytes += try reference.writeSchools(to: options.outputDirectory + "/schools.csv")
        summary.bytes += try reference.writeAccounts(to: options.outputDirectory + "/accounts.csv")

        let calendar = SchoolCalendar(from: options.from, to: options.to)
        let days = Array(options.from.dayNumber...options.to.dayNumber)
        let items = days.count * world.shards.count
        let state = WorkState()
        state.total = items
        state.progress = options.progress
        let jobs = max(1, min(options.jobs, items))
        let threads = (0..<jobs).map { _ in
            Thread {
                while let item = state.next(limit: items) {
                    let serial = days[item / world.shards.count]
                    let shard = world.shards[item % world.shards.count]
                    do {
                        let s = try generate(world: world, shard: shard, serial: serial, calendar: calendar,
                                             options: options, logs: logs)
                        state.add(s)
                    } catch {
                        state.fail(error)
                    }
                }
                state.finishWorker()
            }
        }
        for t in threads {
            t.stackSize = 1 << 23
            t.start()
        }
        state.waitForWorkers(jobs)
        if let error = state.error { throw error }
        summary.add(state.summary)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Generates and writes one département on one day.
    static func generate(world: World, shard: WorldShard, serial: Int, calendar: SchoolCalendar,
                         options: SimulationOptions, logs: String) throws -> SimulationSummary {
        let day = DayContext(serial: serial, calendar: calendar, newStart: options.newStart,
                             switchDay: options.switchDay.dayNumber)
        var generator = DayGenerator(world: world, shard: shard, day: day, switchDay: options.switchDay.dayNumber,
                                     activity: options.activity, seed: options.seed)
        generator.run()
        let writer = LogStreamWriter(world: world, day: day, options: options, logsDirectory: logs, seed: options.seed)
        var summary = SimulationSummary()
        for server in 0..<2 {
            summary.add(try writer.write(&generator.access[server], events: false, shard: shard, server: server))
            summary.add(try writer.write(&generator.events[server], events: true, shard: shard, server: server))
        }
        return summary
    }

    /// Checks options that the command line cannot check alone.
    public static func validate(_ o: SimulationOptions) throws {
        func fail(_ m: String) throws -> Never { throw SimulatorError.invalidOption(m) }
        if o.from > o.to { try fail("--from (\(o.from)) est postérieure à --to (\(o.to)).") }
        if o.to.dayNumber - o.from.dayNumber > 3_660 { try fail("la période dépasse dix ans ; réduisez --from/--to.") }
        if !(1...100_000).contains(o.schools) { try fail("--schools doit être compris entre 1 et 100\u{202F}000.") }
        if o.overlapDays < 0 || o.overlapDays > 365 { try fail("--overlap-days doit être compris entre 0 et 365.") }
        if !(0...1).contains(o.malformedRate) || o.malformedRate.isNaN {
            try fail("--malformed-rate est une fraction entre 0 et 1 (0.0001 = 0,01 %).")
        }
        if !(1...9).contains(o.compressionLevel) { try fail("--compression-level doit être compris entre 1 et 9.") }
        if !(o.activity > 0 && o.activity <= 100) { try fail("--activity doit être strictement positif (au plus 100).") }
        if o.jobs < 1 || o.jobs > 256 { try fail("--jobs doit être compris entre 1 et 256.") }
    }

    /// Names this simulator writes in `logs/`.
    static func isLogName(_ name: String) -> Bool {
        (name.hasPrefix("access-fe") || name.hasPrefix("events-fe"))
            && (name.hasSuffix(".log") || name.hasSuffix(".log.gz") || name.hasSuffix(".jsonl") || name.hasSuffix(".jsonl.gz"))
    }
}
