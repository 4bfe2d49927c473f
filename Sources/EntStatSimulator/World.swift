/// The whole synthetic territory: schools, communes, EPCIs and accounts, immutable once built.
struct World: Sendable {
    var schools: [SimSchool]
    var communes: [SimCommune]
    var epcis: [String]
    var accounts: [SimAccount]
    var shards: [WorldShard]
}
