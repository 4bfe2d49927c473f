/// Writes old-ENT records as "combined" access-log lines with the authenticated user (SPEC §1.3).
struct AccessLogFormatter {
    let world: World
    let day: DayContext
    /// True for the front server that logs in UTC (`+0000`), false for local time.
    let utc: Bool

    private static let nets: [[UInt8]] = ["192.0.2.", "198.51.100.", "203.0.113."].map { Array($0.utf8) }
    private static let site: StaticString = "https://ent.example.fr"

    func append(_ r: LogRecord, to b: inout ByteBuffer) {
        // Client, identity, user.
        b.append(AccessLogFormatter.nets[Int(r.ipNet)])
        b.appendDecimal(Int(r.ipHost))
        b.append(" - ")
        if r.account >= 0 {
            b.append(byte: 0x75) // u
            b.appendDecimal(Int(world.accounts[Int(r.account)].legacy))
        } else {
            b.append(byte: 0x2D)
        }
        // Time.
        let seconds = r.ms / 1_000
        b.append(" [")
        var secondOfDay: Int
        if utc {
            let utcDay = seconds >= Int64(day.serial) * 86_400 ? day.serial : day.serial - 1
            b.append(utcDay == day.serial ? day.dmy : day.previousDmy)
            secondOfDay = Int(seconds - Int64(utcDay) * 86_400)
        } else {
            b.append(day.dmy)
            secondOfDay = day.wallSeconds(seconds)
        }
        b.append(byte: 0x3A)
        b.append2(secondOfDay / 3_600); b.append(byte: 0x3A)
        b.append2(secondOfDay / 60 % 60); b.append(byte: 0x3A)
        b.append2(secondOfDay % 60)
        if utc { b.append(" +0000] \"") } else { b.append(day.offset(seconds) == 7_200 ? " +0200] \"" : " +0100] \"") }
        // Request.
        let feature = Feature(rawValue: r.feature)!
        switch r.kind {
        case .health:
            b.append("GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.12\"\n")
            return
        case .loginPost:
            b.append("POST /login HTTP/1.1\" ")
        case .logout:
            b.append("GET /logout HTTP/1.1\" ")
        case .asset:
            b.append("GET "); b.append(TrafficModel.assets[Int(r.extra)]); b.append(" HTTP/1.1\" ")
        case .bot:
            b.append("GET ")
            switch r.sub {
            case 0: b.append("/robots.txt")
            case 1: b.append("/wp-login.php")
            case 2: b.append("/.env")
            default: b.append("/")
            }
            b.append(" HTTP/1.1\" ")
        case .anonymousPage:
            b.append("GET "); b.append(feature.path); b.append(" HTTP/1.1\" ")
        default:
            b.append("GET "); b.append(feature.path)
            let subs = feature.subPages
            let sub = subs[Int(r.sub) % subs.count]
            for c in sub {
                if c == 0x23 { b.appendDecimal(Int(r.sub)) } else { b.append(byte: c) }
            }
            b.append(" HTTP/1.1\" ")
        }
        b.appendDecimal(Int(r.status))
        b.append(byte: 0x20)
        if r.bytes < 0 { b.append(byte: 0x2D) } else { b.appendDecimal(Int(r.bytes)) }
        // Referer and agent.
        b.append(" \"")
        if r.kind == .bot {
            b.append("-\" \"")
            b.append(TrafficModel.bots[Int(r.extra)])
        } else {
            if r.previous == 255 {
                b.append(r.kind == .page || r.kind == .anonymousPage ? "https://ent.example.fr/" : "-")
            } else {
                b.append(AccessLogFormatter.site)
                b.append(Feature(rawValue: r.previous)!.path)
            }
            b.append("\" \"")
            let ua = r.account >= 0 ? Int(world.accounts[Int(r.account)].ua) : Int(r.extra)
            b.append(TrafficModel.userAgents[ua].access)
        }
        b.append("\"\n")
    }
}
