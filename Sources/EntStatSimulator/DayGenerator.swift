/// Generates the records of one shard on one local day: every user's visits to the old and/or
/// new ENT, plus anonymous traffic and health checks, split by front server.
struct DayGenerator {
    let world: World
    let shard: WorldShard
    let day: DayContext
    let switchDay: Int
    let activity: Double
    var rng: SplitMix64

    /// Records per front server (0: local-time server, 1: UTC server).
    var access: [[LogRecord]] = [[], []]
    var events: [[LogRecord]] = [[], []]
    private var visitCounter: UInt32 = 0
    private var oldVisits = 0
    private var newVisits = 0

    init(world: World, shard: WorldShard, day: DayContext, switchDay: Int, activity: Double, seed: UInt64) {
        self.world = world
        self.shard = shard
        self.day = day
        self.switchDay = switchDay
        self.activity = activity
        rng = SplitMix64(seed, 0xDA7, UInt64(day.serial &+ 100_000), UInt64(shard.number))
    }

    mutating func run() {
        for a in shard.accounts { user(a) }
        background()
    }

    // MARK: Users

    private mutating func user(_ a: Int) {
        let acc = world.accounts[a]
        let canOld = day.oldOpen && acc.legacy != 0
        let activation = Int(acc.activation)
        let canNew = day.newOpen && activation <= day.serial
        guard canOld || canNew else { return }
        let prof = TrafficModel.profiles[TrafficModel.index(role: acc.role, level: acc.level)]
        let activatesToday = canNew && activation == day.serial
        let p = prof.dailyVisit * prof.dayFactor[day.kind.rawValue] * Double(acc.engagement) * activity
        guard activatesToday || rng.unit() < p else { return }
        var visits = 1
        while visits < 6, rng.chance(prof.extraVisit) { visits += 1 }
        for v in 0..<visits {
            var toNew = canNew
            if canOld && canNew {
                let span = Double(max(1, switchDay - activation))
                let pNew = min(1, 0.35 + 0.65 * Double(day.serial - activation) / span)
                toNew = rng.chance(pNew)
            }
            let activating = activatesToday && v == 0
            visit(a, acc, prof, toNew: toNew || activating, activating: activating)
        }
    }

    private mutating func visit(_ a: Int, _ acc: SimAccount, _ prof: BehaviourProfile, toNew: Bool, activating: Bool) {
        let hour = rng.pick(cumulative: prof.hours[day.hourClass])
        let wall = hour * 3_600 + rng.below(3_600)
        var t = day.epoch(wall: wall, later: rng.chance(0.5)) * 1_000 + Int64(rng.below(1_000))
        let server = rng.below(2)
        var net = UInt8(rng.below(3))
        var host = UInt8(rng.between(3, 254))
        if acc.role != .parent, acc.role != .commune, acc.school0 >= 0, day.hourClass == 0,
           (8..<17).contains(hour), rng.chance(0.8) {
            let school = world.schools[Int(acc.school0)]
            net = school.ipNet
            host = school.ipHost
        }
        visitCounter &+= 1
        let pages = 1 + min(40, Int(rng.exponential(mean: prof.pagesMean - 1)))
        var base = LogRecord(ms: t, order: 0, account: Int32(a), visit: visitCounter, bytes: -1, status: 200,
                             sub: 0, kind: .page, feature: 0, previous: 255, extra: 0, ipNet: net, ipHost: host)
        var feature = Feature.portail.rawValue
        var previous: UInt8 = 255

        func step(_ t: inout Int64, _ rng: inout SplitMix64) {
            if rng.chance(0.02) {
                t += Int64(rng.between(1_500, 2_100)) * 1_000 // a pause around the 30-minute visit gap
            } else {
                t += Int64(2_000 + rng.exponential(mean: 35_000))
            }
        }

        if toNew {
            newVisits += 1
            if activating {
                base.kind = .activation; base.feature = Feature.connexion.rawValue
                guard emit(true, server, base, t) else { return }
                t += Int64(rng.between(5_000, 40_000))
            }
            if activating || rng.chance(0.92) {
                base.kind = .login; base.feature = Feature.connexion.rawValue
                guard emit(true, server, base, t) else { return }
                t += Int64(rng.between(500, 3_000))
            }
            for i in 0..<pages {
                if i > 0 {
                    step(&t, &rng)
                    previous = feature
                    if !rng.chance(0.45) { feature = UInt8(rng.pick(cumulative: prof.features)) }
                }
                base.kind = .access; base.feature = feature; base.previous = previous
                guard emit(true, server, base, t) else { return }
                if i > 0, let kind = contribution(acc.role, feature) {
                    base.kind = kind
                    guard emit(true, server, base, t + Int64(rng.between(20_000, 300_000))) else { return }
                }
            }
        } else {
            oldVisits += 1
            if rng.chance(0.92) {
                base.kind = .loginPost; base.feature = Feature.connexion.rawValue; base.status = 302
                base.bytes = -1
                guard emit(false, server, base, t) else { return }
                t += Int64(rng.between(200, 1_500))
            }
            for i in 0..<pages {
                if i > 0 {
                    step(&t, &rng)
                    previous = feature
                    if !rng.chance(0.45) { feature = UInt8(rng.pick(cumulative: prof.features)) }
                }
                let r = rng.unit()
                base.kind = .page; base.feature = feature; base.previous = previous
                base.sub = UInt16(rng.between(1, 400))
                base.status = r < 0.005 ? 404 : r < 0.0065 ? 500 : r < 0.008 ? 403 : 200
                base.bytes = base.status == 200 ? Int32(rng.between(3_000, 60_000)) : (rng.chance(0.5) ? -1 : 512)
                guard emit(false, server, base, t) else { return }
                let assets = i == 0 ? 3 : (rng.chance(0.3) ? 1 : 0)
                for k in 0..<assets {
                    var asset = base
                    asset.kind = .asset
                    asset.extra = UInt8(i == 0 ? k : rng.below(TrafficModel.assets.count))
                    asset.status = rng.chance(0.6) ? 304 : 200
                    asset.bytes = asset.status == 304 ? -1 : Int32(rng.between(800, 250_000))
                    asset.previous = feature
                    guard emit(false, server, asset, t + Int64(rng.between(30, 900))) else { return }
                }
            }
            if rng.chance(0.2) {
                step(&t, &rng)
                base.kind = .logout; base.feature = Feature.connexion.rawValue; base.status = 302
                base.bytes = -1; base.previous = feature
                _ = emit(false, server, base, t)
            }
        }
    }

    /// A CREATE or SHARE event after a page, for the roles that publish.
    private mutating func contribution(_ role: Role, _ feature: UInt8) -> RecordKind? {
        let f = Feature(rawValue: feature)!
        let p: Double
        switch (role, f) {
        case (.teacher, .blog), (.teacher, .mur), (.teacher, .documents), (.teacher, .exercices), (.teacher, .cahierLiaison):
            p = 0.12
        case (.parent, .messagerie), (.teacher, .messagerie), (.staff, .messagerie): p = 0.06
        case (.commune, .actualites), (.commune, .cantine), (.commune, .periscolaire): p = 0.1
        case (.student, .exercices), (.student, .mur): p = 0.05
        default: return nil
        }
        guard rng.chance(p) else { return nil }
        return rng.chance(0.7) ? .create : .share
    }

    /// Appends a record unless it falls after local midnight (a visit never crosses it).
    private mutating func emit(_ toEvents: Bool, _ server: Int, _ record: LogRecord, _ ms: Int64) -> Bool {
        guard ms < day.nextMidnight * 1_000 else { return false }
        var r = record
        r.ms = ms
        r.order = ms + Int64(rng.below(2_500))
        if toEvents { events[server].append(r) } else { access[server].append(r) }
        return true
    }

    // MARK: Background traffic

    private mutating func background() {
        let dayStart = day.midnight * 1_000
        let dayLength = Int((day.nextMidnight - day.midnight) * 1_000)
        let none = LogRecord(ms: 0, order: 0, account: -1, visit: 0, bytes: 2, status: 200, sub: 0,
                             kind: .health, feature: 0, previous: 255, extra: 0, ipNet: 0, ipHost: 1)
        if day.oldOpen {
            for server in 0..<2 {
                var r = none
                r.ipHost = UInt8(1 + server)
                var t = dayStart + Int64(server * 7_000 + rng.below(1_000))
                while t < day.nextMidnight * 1_000 {
                    _ = emit(false, server, r, t)
                    t += 60_000
                }
                let anonymous = oldVisits / 40 + 5
                for _ in 0..<anonymous {
                    r = none
                    r.kind = .anonymousPage
                    r.feature = rng.chance(0.6) ? Feature.portail.rawValue : Feature.connexion.rawValue
                    r.bytes = Int32(rng.between(2_000, 9_000))
                    r.ipNet = UInt8(rng.below(3)); r.ipHost = UInt8(rng.between(3, 254))
                    r.extra = UInt8(rng.below(TrafficModel.userAgentCount - 1))
                    _ = emit(false, server, r, dayStart + Int64(rng.below(dayLength)))
                }
                for _ in 0..<(8 + rng.below(10)) {
                    r = none
                    r.kind = .bot
                    r.extra = UInt8(rng.below(TrafficModel.bots.count))
                    r.sub = UInt16(rng.below(4))
                    r.status = r.sub == 3 ? 302 : 404
                    r.bytes = r.status == 404 ? 196 : -1
                    r.ipNet = UInt8(rng.below(3)); r.ipHost = UInt8(rng.between(3, 254))
                    _ = emit(false, server, r, dayStart + Int64(rng.below(dayLength)))
                }
            }
        }
        if day.newOpen {
            for server in 0..<2 {
                for _ in 0..<(newVisits / 100 + 2) {
                    var r = none
                    r.kind = .anonymousEvent
                    r.feature = rng.chance(0.5) ? Feature.connexion.rawValue : Feature.portail.rawValue
                    r.extra = UInt8(rng.below(TrafficModel.userAgentCount - 1))
                    r.ipNet = UInt8(rng.below(3)); r.ipHost = UInt8(rng.between(3, 254))
                    visitCounter &+= 1
                    r.visit = visitCounter
                    _ = emit(true, server, r, dayStart + Int64(rng.below(dayLength)))
                }
            }
        }
    }
}
