import ArgumentParser
import EntStat

/// Parsing of `YYYY-MM-DD` options.
enum DateOption {
    static func parse(_ text: String, option: String) throws -> CivilDate {
        if let date = CivilDate(iso: text) { return date }
        // The right shape, but a day the month does not have (2019-02-29, 2018-04-31).
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, zip(parts, [4, 2, 2]).allSatisfy({ $0.count == $1 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
           let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1 {
            let name = FrenchText.months[month - 1]
            throw ValidationError("\(option) « \(text) » : le \(day) \(name) \(year) n'existe pas (\(name) \(year) compte \(CivilDate.daysInMonth(year: year, month: month)) jours)")
        }
        throw ValidationError("\(option) « \(text) » n'est pas une date AAAA-MM-JJ")
    }
}
