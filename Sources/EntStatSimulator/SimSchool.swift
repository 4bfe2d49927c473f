/// A generated school.
struct SimSchool: Sendable {
    /// 8-character UAI with its check letter.
    var uai: [UInt8]
    var name: String
    var level: SchoolLevel
    /// Index of the commune in `World.communes`.
    var commune: Int32
    var pupils: Int32
    /// Host byte of the school's own IP address (school-hours traffic comes from it).
    var ipNet: UInt8
    var ipHost: UInt8
}
