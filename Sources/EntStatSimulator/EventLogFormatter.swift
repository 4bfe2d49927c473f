/// Writes new-ENT records as JSON lines of the event store (SPEC §1.4), varying key order,
/// spacing and escapes on a few lines the way real exports do.
struct EventLogFormatter {
    let world: World
    /// Per-file salt for `_id` and line variants.
    let salt: UInt64
    /// Per shard-day salt, so a visit keeps its session id across files.
    let sessionSalt: UInt64

    private static let nets: [[UInt8]] = ["192.0.2.", "198.51.100.", "203.0.113."].map { Array($0.utf8) }

    func append(_ r: LogRecord, ordinal: Int, to b: inout ByteBuffer) {
        let h = SplitMix64.mix(salt ^ UInt64(ordinal))
        let style = Int(h % 100)
        let spaced = style >= 97 && style < 99
        let sep: StaticString = spaced ? "\", \"" : "\",\""
        // Key order variant: date first on a few lines.
        b.append("{\"")
        if style >= 90 && style < 94 {
            b.append("date\":"); b.appendDecimal(r.ms); b.append(",\"")
        }
        b.append("_id\":\"")
        // A MongoDB ObjectId: seconds, a per-process value, an incrementing counter.
        b.appendHex(UInt64(r.ms / 1_000), digits: 8)
        b.appendHex(salt, digits: 10)
        b.appendHex((salt >> 40) &+ UInt64(ordinal), digits: 6)
        b.append(sep)
        b.append("event-type\":\"")
        switch r.kind {
        case .login: b.append("LOGIN")
        case .activation: b.append("ACTIVATION")
        case .create: b.append("CREATE")
        case .share: b.append("SHARE")
        default: b.append("ACCESS")
        }
        b.append(sep)
        b.append("module\":\"")
        b.append(Feature(rawValue: r.feature)!.module)
        b.append("\",")
        if spaced { b.append(byte: 0x20) }
        if !(style >= 90 && style < 94) {
            b.append("\"date\":"); b.appendDecimal(r.ms); b.append(",")
            if spaced { b.append(byte: 0x20) }
        }
        if style >= 94 && style < 97 { b.append("\"extra\":{\"a\":[1,null]},") }
        // Who.
        if r.account >= 0 {
            let acc = world.accounts[Int(r.account)]
            b.append("\"userId\":\""); b.appendUUID(acc.uid)
            b.append("\",\"profil\":\""); b.append(acc.role.profil)
            b.append("\",\"structures\":[")
            if acc.role != .commune {
                if acc.school0 >= 0 { b.append(byte: 0x22); b.append(world.schools[Int(acc.school0)].uai); b.append(byte: 0x22) }
                if acc.school1 >= 0 { b.append(",\""); b.append(world.schools[Int(acc.school1)].uai); b.append(byte: 0x22) }
            }
            b.append("],\"classes\":[")
            if acc.role == .teacher || acc.role == .student {
                b.append(byte: 0x22)
                b.append(TrafficModel.classes[Int(acc.uid % UInt64(TrafficModel.classes.count))])
                b.append(byte: 0x22)
            }
            b.append("],\"groups\":[],")
        } else {
            b.append(style & 1 == 0 ? "\"userId\":\"\",\"structures\":[],\"classes\":[],\"groups\":[]," : "\"userId\":null,")
        }
        // Where from.
        b.append("\"referer\":\"")
        if style >= 97 && style < 99 {
            b.append("https:\\/\\/ent.example.fr")
            let route = Feature(rawValue: r.previous == 255 ? 0 : r.previous)!.route
            for c in route { if c == 0x2F { b.append("\\/") } else { b.append(byte: c) } }
        } else {
            b.append("https://ent.example.fr")
            b.append(Feature(rawValue: r.previous == 255 ? 0 : r.previous)!.route)
        }
        b.append("\",\"sessionId\":\"")
        let s = SplitMix64.mix(sessionSalt &+ UInt64(r.visit) &* 0x9E37_79B9)
        b.appendHex(s, digits: 16); b.appendHex(SplitMix64.mix(s), digits: 16)
        b.append("\",\"ua\":\"")
        let ua = r.account >= 0 ? Int(world.accounts[Int(r.account)].ua) : Int(r.extra)
        b.append(TrafficModel.userAgents[ua].json)
        b.append("\",\"ip\":\"")
        b.append(EventLogFormatter.nets[Int(r.ipNet)])
        b.appendDecimal(Int(r.ipHost))
        if style == 99 { b.append("\",\"source\":null}\n") } else { b.append("\"}\n") }
    }
}
