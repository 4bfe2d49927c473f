/// What kind of day a local calendar day is for the people of a school community.
public enum DayKind: Int, Sendable, CaseIterable {
    /// Monday, Tuesday, Thursday or Friday with classes.
    case schoolDay
    /// Wednesday in term time: no or short classes, parents more present.
    case wednesday
    /// Saturday in term time.
    case saturday
    /// Sunday in term time.
    case sunday
    /// A day of the short school holidays (Toussaint, Noël, hiver, printemps).
    case holiday
    /// A public holiday (jour férié) outside the school holidays.
    case publicHoliday
    /// Summer holidays.
    case summer
}
