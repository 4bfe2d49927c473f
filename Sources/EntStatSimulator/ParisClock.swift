/// Europe/Paris civil time under the EU summer-time rule, computed without Foundation.
///
/// Summer time (UTC+2) runs from the last Sunday of March 01:00 UTC to the last Sunday of
/// October 01:00 UTC; the rest of the year is UTC+1.
public enum ParisClock {
    /// UTC epoch seconds of the start and end of summer time in `year`.
    public static func summerTime(year: Int) -> (start: Int64, end: Int64) {
        (Int64(lastSunday(year: year, month: 3)) * 86_400 + 3_600,
         Int64(lastSunday(year: year, month: 10)) * 86_400 + 3_600)
    }

    /// Day serial of the last Sunday of a month.
    static func lastSunday(year: Int, month: Int) -> Int {
        let last = CivilDate(year: year, month: month, day: CivilDate.daysIn(year: year, month: month))!.serial
        return last - (CivilDate.weekday(serial: last) % 7)
    }

    /// Offset from UTC in seconds (3600 or 7200) at a UTC instant.
    public static func offset(atEpoch t: Int64) -> Int {
        let year = CivilDate(serial: Int(floorDiv(t, 86_400))).year
        let st = summerTime(year: year)
        return t >= st.start && t < st.end ? 7_200 : 3_600
    }

    /// UTC epoch seconds of local midnight starting a local day.
    public static func midnight(serial: Int) -> Int64 {
        let base = Int64(serial) * 86_400
        // Midnight never falls in a transition hour, so one of the two offsets is consistent.
        return offset(atEpoch: base - 7_200) == 7_200 ? base - 7_200 : base - 3_600
    }

    /// UTC epoch seconds of a local wall-clock time. In the repeated autumn hour, `later`
    /// picks the second occurrence; a time in the skipped spring hour is moved one hour on.
    public static func epoch(serial: Int, wallSeconds w: Int, later: Bool) -> Int64 {
        let base = Int64(serial) * 86_400 + Int64(w)
        let summer = base - 7_200
        let winter = base - 3_600
        let summerOK = offset(atEpoch: summer) == 7_200
        let winterOK = offset(atEpoch: winter) == 3_600
        switch (summerOK, winterOK) {
        case (true, true): return later ? winter : summer
        case (true, false): return summer
        case (false, true): return winter
        case (false, false): return winter
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
