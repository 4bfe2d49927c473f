/// A slice of one log file's qualifying records, parsed and grouped by a parse worker and
/// ready for the store: the identities first met in it (already pseudonymised: no raw user
/// id leaves the worker), the roles and schools the new ENT gave them, and the timeline
/// points by (identity, local day), each group sorted and with equal points added up.
///
/// Identities are numbered per file (`firstIdentity`, `firstIdentity + 1`, …, across the
/// batches of the file); groups refer to those numbers.
struct ParsedBatch: Sendable {
    /// An identity met for the first time in the file.
    struct NewIdentity: Sendable {
        var source: LogSource
        var pseudonym: [UInt8]
    }

    /// The role (`profil`) and schools (`structures`) an event gave an identity; sent again
    /// only when they change within the file.
    struct Attributes: Sendable {
        var identity: Int
        /// Normalised role name, or nil when the event had none (or an unknown one).
        var role: String?
        var schools: [String]
        /// A digest of the raw fields, to skip repeats across files.
        var digest: UInt64
    }

    /// The timeline points of one (identity, local day): `entries[start..<end]`.
    struct Group: Sendable {
        var identity: Int
        var day: Int
        var start: Int
        var end: Int
    }

    var firstIdentity = 0
    var identities: [NewIdentity] = []
    var attributes: [Attributes] = []
    var groups: [Group] = []
    var entries: [TimelineEntry] = []
}
