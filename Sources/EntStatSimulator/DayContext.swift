import EntStat

/// Everything about one local day that the generator and the formatters need, precomputed once.
struct DayContext {
    let serial: Int
    let kind: DayKind
    /// Which hour-of-day pattern applies: 0 school day, 1 Wednesday, 2 free day.
    let hourClass: Int
    /// UTC epoch seconds of this local midnight and the next (23, 24 or 25 hours apart).
    let midnight: Int64
    let nextMidnight: Int64
    /// Summer time of the day's year, UTC epoch seconds.
    let summerStart: Int64
    let summerEnd: Int64
    let oldOpen: Bool
    let newOpen: Bool
    /// `14/Oct/2018` for this day and the one before (a UTC server's early records).
    let dmy: [UInt8]
    let previousDmy: [UInt8]
    /// `2018-10-14`.
    let iso: String

    init(serial: Int, calendar: SchoolCalendar, newStart: Int, switchDay: Int) {
        self.serial = serial
        kind = calendar.kind(of: serial)
        switch kind {
        case .schoolDay: hourClass = 0
        case .wednesday: hourClass = 1
        default: hourClass = 2
        }
        midnight = ParisClock.midnight(ofDay: serial)
        nextMidnight = ParisClock.midnight(ofDay: serial + 1)
        let date = CivilDate(dayNumber: serial)
        let st = ParisClock.summerTime(year: date.year)
        summerStart = st.start
        summerEnd = st.end
        oldOpen = serial <= switchDay
        newOpen = serial >= newStart
        dmy = DayContext.dmy(date)
        previousDmy = DayContext.dmy(date.adding(days: -1))
        iso = date.description
    }

    /// UTC offset in seconds at an instant of this day.
    @inline(__always) func offset(_ epoch: Int64) -> Int64 {
        epoch >= summerStart && epoch < summerEnd ? 7_200 : 3_600
    }

    /// Seconds since local midnight, as a wall clock shows them (0..<86400).
    @inline(__always) func wallSeconds(_ epoch: Int64) -> Int {
        Int(epoch + offset(epoch) - Int64(serial) * 86_400)
    }

    /// Instant of a wall-clock time of this day (see `ParisClock.instant(ofDay:wallClockSeconds:secondOccurrence:)`).
    func epoch(wall: Int, later: Bool) -> Int64 {
        ParisClock.instant(ofDay: serial, wallClockSeconds: wall, secondOccurrence: later)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func dmy(_ d: CivilDate) -> [UInt8] {
        Array(((d.day < 10 ? "0" : "") + "\(d.day)/\(months[d.month - 1])/\(d.year)").utf8)
    }
}
