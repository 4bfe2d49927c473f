/// The kinds of lines the simulator writes.
enum RecordKind: UInt8 {
    // Old ENT access log.
    case page, loginPost, logout, asset, anonymousPage, bot, health
    // New ENT event log.
    case login, access, create, share, activation, anonymousEvent
}
