/// The history of ingest runs, for `entstat status` and the operator.
extension Store {
    /// The totals of one `entstat ingest` run.
    public struct RunRecord: Sendable, Equatable {
        /// When it started and ended (`Store.timestamp()`, UTC), and its wall seconds.
        public var startedAt: String
        /// When it ended (UTC).
        public var finishedAt: String
        /// Its wall-clock seconds.
        public var seconds: Double
        /// Its files ingested, skipped as already stored, and failed.
        public var filesNew: Int
        /// Its files skipped, their content already stored.
        public var filesSkipped: Int
        /// Its files that failed.
        public var filesFailed: Int
        /// Its non-blank lines, and those that became facts (SPEC §2.2).
        public var lines: Int
        /// Its lines that became facts.
        public var qualifying: Int
        /// The command's exit status (0, or 2 when a file failed).
        public var exitStatus: Int

        /// A run's totals, as `entstat ingest` records them at its end.
        public init(startedAt: String, finishedAt: String, seconds: Double, filesNew: Int, filesSkipped: Int,
                    filesFailed: Int, lines: Int, qualifying: Int, exitStatus: Int) {
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.seconds = seconds
            self.filesNew = filesNew
            self.filesSkipped = filesSkipped
            self.filesFailed = filesFailed
            self.lines = lines
            self.qualifying = qualifying
            self.exitStatus = exitStatus
        }
    }

    /// Appends a run to `ingest_run`.
    public func recordRun(_ run: RunRecord) throws {
        try db.statement("""
            INSERT INTO ingest_run(started_at, finished_at, seconds, files_new, files_skipped, files_failed, lines,
                                   qualifying, exit_status)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """).run(.text(run.startedAt), .text(run.finishedAt), .real(run.seconds), .int(run.filesNew),
                     .int(run.filesSkipped), .int(run.filesFailed), .int(run.lines), .int(run.qualifying),
                     .int(run.exitStatus))
    }

    /// The latest run, if any.
    public func lastRun() throws -> RunRecord? {
        let s = try db.prepare("""
            SELECT started_at, finished_at, seconds, files_new, files_skipped, files_failed, lines, qualifying, exit_status
            FROM ingest_run ORDER BY id DESC LIMIT 1
            """)
        guard try s.step() else { return nil }
        return RunRecord(startedAt: s.text(0), finishedAt: s.text(1), seconds: s.double(2), filesNew: s.int(3),
                         filesSkipped: s.int(4), filesFailed: s.int(5), lines: s.int(6), qualifying: s.int(7),
                         exitStatus: s.int(8))
    }
}

extension Store {
    /// Marks the failures of the log `name` as forgotten: `status` no longer reports them (a
    /// log lost on its server, which nothing will repair); the report's list of failed files
    /// keeps them. Returns how many were reported until now.
    public func forgetFailure(named name: String) throws -> Int {
        try db.statement("""
            UPDATE failed_file SET forgotten_at = ?2 WHERE name = ?1 AND forgotten_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM ingested_file i WHERE i.name = failed_file.name AND i.ingested_at >= failed_file.failed_at)
            """).run(.text(name), .text(Store.timestamp()))
        return db.changes
    }
}
