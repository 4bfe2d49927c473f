/// Writes the records of one front server for one log on one day into its daily or hourly
/// files, in rough time order, with the requested share of malformed lines.
struct LogStreamWriter {
    let world: World
    let day: DayContext
    let options: SimulationOptions
    let logsDirectory: String
    let seed: UInt64

    /// Writes `records` (consumed) and returns what was written.
    func write(_ records: inout [LogRecord], events: Bool, shard: WorldShard, server: Int) throws -> SimulationSummary {
        var summary = SimulationSummary()
        guard !records.isEmpty else { return summary }
        records.sort { $0.order < $1.order }
        let hourly = options.rotation == .hourly || (options.rotation == .mixed && events && server == 1)
        let serverNumber = shard.number * 2 + server + 1
        var rng = SplitMix64(seed, 0xF11E, UInt64(day.serial &+ 100_000), UInt64(serverNumber), events ? 1 : 0)
        let sessionSalt = SplitMix64.mix(seed ^ UInt64(day.serial &+ 100_000) ^ (UInt64(shard.number) << 40))
        let prefix = (events ? "events-fe" : "access-fe") + String(serverNumber) + "-" + day.iso
        let suffix = (events ? ".jsonl" : ".log") + (options.gzip ? ".gz" : "")
        if hourly {
            // Bucket by local wall hour; the repeated autumn hour shares one file.
            var buckets = [[LogRecord]](repeating: [], count: 24)
            for r in records { buckets[min(23, day.wallSeconds(r.ms / 1_000) / 3_600)].append(r) }
            for h in 0..<24 where !buckets[h].isEmpty {
                let name = prefix + (h < 10 ? "-0" : "-") + String(h) + suffix
                summary.add(try writeFile(name: name, buckets[h], events: events, server: server, hourly: hourly, sessionSalt: sessionSalt, rng: &rng))
            }
        } else {
            summary.add(try writeFile(name: prefix + suffix, records, events: events, server: server, hourly: hourly, sessionSalt: sessionSalt, rng: &rng))
        }
        records = []
        return summary
    }

    private func writeFile(name: String, _ records: [LogRecord], events: Bool, server: Int, hourly: Bool, sessionSalt: UInt64,
                           rng: inout SplitMix64) throws -> SimulationSummary {
        let path = logsDirectory + "/" + name
        // The daily event files of the local-time server are written as several concatenated
        // gzip members (one per 256 KiB of text), as some log shippers do.
        let multiMember = events && server == 0 && !hourly
        let flushSize = multiMember ? 256 << 10 : 1 << 20
        let out = try OutputFile(path: path, gzip: options.gzip, level: options.compressionLevel,
                                 memberSize: multiMember ? flushSize : 0)
        // How many malformed lines, and where.
        let n = records.count
        let expected = Double(n) * options.malformedRate
        var bad = Int(expected)
        if rng.chance(expected - Double(bad)) {
            // Keep small files under the 5 % reject threshold unless a high rate was asked.
            if options.malformedRate >= 0.05 || Double(bad + 1) < 0.04 * Double(n + bad + 1) { bad += 1 }
        }
        var positions: [Int] = (0..<bad).map { _ in rng.below(n + 1) }
        positions.sort()
        var nextBad = 0

        var buffer = ByteBuffer(capacity: 1 << 21)
        let access = AccessLogFormatter(world: world, day: day, utc: true)
        let local = AccessLogFormatter(world: world, day: day, utc: false)
        let event = EventLogFormatter(world: world, salt: rng.next(), sessionSalt: sessionSalt)
        for i in 0...n {
            while nextBad < positions.count, positions[nextBad] == i {
                MalformedLine.append(events: events, seed: rng.next(), to: &buffer)
                nextBad += 1
            }
            guard i < n else { break }
            if events {
                event.append(records[i], ordinal: i, to: &buffer)
            } else if server == 1 {
                access.append(records[i], to: &buffer)
            } else {
                local.append(records[i], to: &buffer)
            }
            if buffer.count >= flushSize {
                try out.write(buffer)
                buffer.removeAll()
            }
        }
        try out.write(buffer)
        var summary = SimulationSummary()
        summary.bytes = try out.close()
        summary.files = 1
        summary.lines = n + bad
        summary.malformedLines = bad
        if events { summary.eventLines = n + bad } else { summary.accessLines = n + bad }
        return summary
    }
}
