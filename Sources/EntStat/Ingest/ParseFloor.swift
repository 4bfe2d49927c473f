import Crypto

/// The ingest's parse stage alone, for the parse-floor benchmark (`bench/floor`): a file
/// parsed exactly as an ingest worker parses it (`LogFileParser`: inflate, SHA-256s,
/// lines, records, feature rules, pseudonyms, facts grouped by identity and day), with a
/// throwaway secret, its batches dropped instead of stored. What an ingest takes beyond
/// this is the store's. Not part of the command line.
@_spi(Benchmark) public enum ParseFloor {
    /// What the parse of one file gave.
    public struct Counts: Sendable {
        public var lines = 0
        public var qualifying = 0
        public var identities = 0
        public var timelineEntries = 0
    }

    /// Parses `path` on the calling thread, a second thread taking and dropping its
    /// batches (as the writer takes them, two at most waiting), with the default rules.
    public static func parse(path: String) throws(FileFailure) -> Counts {
        let rules = FeatureRules.standard, ingest = LogIngester.Options()
        let configuration = LogFileParser.Configuration(
            rules: rules, featureIDs: Array(rules.names.indices),
            pseudonymizer: Pseudonymizer(key: SymmetricKey(size: .bits256)),
            rejectThreshold: ingest.rejectThreshold, rejectSampleLimit: ingest.rejectSampleLimit,
            batchFacts: ingest.flushThreshold)
        let channel = BoundedChannel<ParsedFileEvent>(capacity: 2)
        let outcome = Outcome()
        let drainer = WorkerThreads(count: 1) { _ in
            var counts = Counts()
            while true {
                switch channel.receive(timeout: 1) {
                case .timedOut: continue
                case .finished: outcome.set(.success(counts)); return
                case .element(.opened): break
                case .element(.batch(let batch)):
                    counts.identities += batch.identities.count
                    counts.timelineEntries += batch.entries.count
                case .element(.finished(let summary)):
                    counts.lines = summary.report.lines
                    counts.qualifying = summary.report.qualifying
                case .element(.failed(let failure)):
                    outcome.set(.failure(failure)); channel.cancel(); return
                }
            }
        }
        LogFileParser(configuration: configuration).parse(path: path, into: channel) { _ in }
        drainer.join()
        return try outcome.get().get()
    }

    /// The drainer's result, handed to the calling thread after the join.
    private final class Outcome: @unchecked Sendable {
        private var result: Result<Counts, FileFailure> = .failure(.store(message: "pas de résultat"))
        func set(_ r: Result<Counts, FileFailure>) { result = r }
        func get() -> Result<Counts, FileFailure> { result }
    }
}
