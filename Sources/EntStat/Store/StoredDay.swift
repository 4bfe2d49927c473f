/// A day number read from the store, refused as damage outside the years 1 to 9999 (every
/// date a log can write, `CivilDate.supportedDayNumbers`): a day beyond them, which only a
/// damaged or hand-edited store holds, would overflow the arithmetic of the periods built
/// from it.
enum StoredDay {
    static func checked(_ day: Int, table: String, path: String) throws -> Int {
        guard CivilDate.supportedDayNumbers.contains(day) else {
            throw StoreError.damaged(path: path, table: table, reason: "jour \(day) hors des années 1 à 9999")
        }
        return day
    }
}
