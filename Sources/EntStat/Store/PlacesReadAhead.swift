/// Every person's places (`PersonPlaces`) and the peaks per place of the days already
/// queued, read on a connection and a thread of their own while the writer writes the
/// snapshots of `person_place` (`Store.refreshRoleDays`).
///
/// Both depend only on `person_place` and `person_day`, which that transaction does not
/// change, so what this reader sees (the last commit) is what the writer would read after
/// the snapshots. For the national events week that is 0.5 s of places and 0.5 s of peaks
/// taken off the writer's path.
final class PlacesReadAhead: @unchecked Sendable {
    /// What the thread read; written by it, read once it has been joined.
    private var outcome: Result<(places: PersonPlaces, peaks: [Int: [(place: Int, users: Int)]]), Error>?
    private var thread: WorkerThreads?

    /// Starts reading the database at `path`, and the peaks of `days`.
    init(path: String, days: [Int]) {
        thread = WorkerThreads(count: 1) { [self] _ in
            outcome = Result {
                let reading = try RollupFigures.openReader(path: path)
                let places = try PersonPlaces(db: reading)
                let counter = try RoleDaySums.PeakCounter(db: reading, places: places.places.count)
                var peaks: [Int: [(place: Int, users: Int)]] = [:]
                for day in days { peaks[day] = try counter.peaks(of: day, places: places) }
                return (places, peaks)
            }
        }
    }

    /// Waits for the thread. Nil when it could not start or failed: the caller then reads
    /// the same on its own connection, and meets the same error there if there is one.
    func result() -> (places: PersonPlaces, peaks: [Int: [(place: Int, users: Int)]])? {
        thread?.join()
        thread = nil
        return try? outcome?.get()
    }
}
