/// A reporting period kind (SPEC §2.3), all in Europe/Paris local days.
public enum Period: String, CaseIterable, Sendable {
    case day
    case week
    case month
    case schoolYear = "school-year"
    case all

    /// The SQL expression of a row's period label, over the `calendar` table aliased `c`.
    var calendarExpression: String {
        switch self {
        case .day: return "c.date"
        case .week: return "c.iso_week"
        case .month: return "c.month"
        case .schoolYear: return "c.school_year"
        case .all: return "'all'"
        }
    }

    /// French label, for reports.
    public var frenchName: String {
        switch self {
        case .day: return "jour"
        case .week: return "semaine"
        case .month: return "mois"
        case .schoolYear: return "année scolaire"
        case .all: return "période entière"
        }
    }
}
