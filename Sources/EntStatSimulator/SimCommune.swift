/// A generated commune.
struct SimCommune: Sendable {
    /// 5-character INSEE code.
    var insee: String
    var name: String
    /// Index of the EPCI in `World.epcis`.
    var epci: Int32
}
