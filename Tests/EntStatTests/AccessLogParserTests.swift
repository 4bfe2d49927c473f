import Testing
@testable import EntStat

/// SPEC §1.3 (combined log with the authenticated user) and §2.2 (static assets, /login).
@Suite struct AccessLogParserTests {
    static let example = #"192.0.2.10 - u48213 [14/Oct/2018:08:14:03 +0200] "GET /messagerie/boite?page=2 HTTP/1.1" 200 5123 "https://ent.example.fr/accueil" "Mozilla/5.0 (X11; Linux x86_64)""#

    /// A line with the given pieces, the rest as in the SPEC example.
    static func line(user: String = "u48213", stamp: String = "14/Oct/2018:08:14:03 +0200",
                     request: String = "GET /messagerie/boite?page=2 HTTP/1.1", status: String = "200",
                     bytes: String = "5123", referer: String = "https://ent.example.fr/accueil",
                     agent: String = "Mozilla/5.0 (X11; Linux x86_64)") -> String {
        "192.0.2.10 - \(user) [\(stamp)] \"\(request)\" \(status) \(bytes) \"\(referer)\" \"\(agent)\""
    }

    @Test func specExample() throws {
        let r = try parseAccess(Self.example)
        #expect(r.user == "u48213")
        #expect(r.path == "/messagerie/boite?page=2")
        #expect(r.status == 200)
        // 08:14:03 at +0200 is 06:14:03 UTC.
        #expect(r.epochSeconds == utcEpoch(2018, 10, 14, 6, 14, 3))
        #expect(r.epochSeconds == 1_539_497_643)
    }

    @Test(arguments: [
        ("+0200", utcEpoch(2018, 10, 14, 6, 14, 3)),
        ("+0000", utcEpoch(2018, 10, 14, 8, 14, 3)),
        ("-0500", utcEpoch(2018, 10, 14, 13, 14, 3)),
        ("+0100", utcEpoch(2018, 10, 14, 7, 14, 3)),
        ("+0530", utcEpoch(2018, 10, 14, 2, 44, 3)),
        ("-0930", utcEpoch(2018, 10, 14, 17, 44, 3)),
    ])
    func offsetsAreApplied(offset: String, expected: Int64) throws {
        #expect(try parseAccess(Self.line(stamp: "14/Oct/2018:08:14:03 \(offset)")).epochSeconds == expected)
    }

    @Test func sameInstantFromTwoServersWithDifferentOffsets() throws {
        let local = try parseAccess(Self.line(stamp: "28/Oct/2018:02:30:00 +0100"))
        let utc = try parseAccess(Self.line(stamp: "28/Oct/2018:01:30:00 +0000"))
        #expect(local.epochSeconds == utc.epochSeconds)
        #expect(local.epochSeconds == utcEpoch(2018, 10, 28, 1, 30, 0))
    }

    @Test func everyMonthAbbreviation() throws {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for (i, m) in months.enumerated() {
            let r = try parseAccess(Self.line(stamp: "05/\(m)/2019:23:59:59 +0000"))
            #expect(r.epochSeconds == utcEpoch(2019, i + 1, 5, 23, 59, 59), "\(m)")
        }
        #expect(try parseAccess(Self.line(stamp: "05/OCT/2019:00:00:00 +0000")).epochSeconds == utcEpoch(2019, 10, 5))
    }

    @Test(arguments: [
        "31/Feb/2018:08:14:03 +0200",
        "29/Feb/2018:08:14:03 +0200",
        "29/Feb/1900:08:14:03 +0200",
        "31/Apr/2018:08:14:03 +0200",
        "32/Jan/2018:08:14:03 +0200",
        "00/Jan/2018:08:14:03 +0200",
        "14/Foo/2018:08:14:03 +0200",
        "14/Oct/2018:24:14:03 +0200",
        "14/Oct/2018:08:60:03 +0200",
        "14/Oct/2018:08:14:61 +0200",
        "14/Oct/2018:08:14:03 0200 ",
        "14/Oct/2018:08:14:03 +2400",
        "14/Oct/2018:08:14:03 +0260",
        "14/Oct/201x:08:14:03 +0200",
        "14/Oct/20x8:08:14:03 +0200",
        "1x/Oct/2018:08:14:03 +0200",
        "14/Oct/2018:0x:14:03 +0200",
        "14/Oct/2018:08:14:03 +02x0",
        "14-Oct-2018:08:14:03 +0200",
        "14/Oct/2018 08:14:03 +0200",
    ])
    func badTimestampsAreRejected(stamp: String) {
        #expect(accessRejection(Self.line(stamp: stamp)) == .badTimestamp, "\(stamp)")
    }

    @Test func leapDaysAreAccepted() throws {
        #expect(try parseAccess(Self.line(stamp: "29/Feb/2016:12:00:00 +0000")).epochSeconds == utcEpoch(2016, 2, 29, 12))
        #expect(try parseAccess(Self.line(stamp: "29/Feb/2000:12:00:00 +0100")).epochSeconds == utcEpoch(2000, 2, 29, 11))
        #expect(try parseAccess(Self.line(stamp: "31/Dec/2018:23:59:59 -0100")).epochSeconds == utcEpoch(2019, 1, 1, 0, 59, 59))
    }

    @Test func timestampWithWrongLengthOrBracket() {
        #expect(accessRejection(#"192.0.2.10 - u1 [14/Oct/2018:08:14:03 +02] "GET / HTTP/1.1" 200 1 "-" "-""#) == .badTimestamp)
        #expect(accessRejection(#"192.0.2.10 - u1 [14/Oct/2018:08:14:03 +0200 "GET / HTTP/1.1" 200 1 "-" "-""#) == .badTimestamp)
        #expect(accessRejection(#"192.0.2.10 - u1 14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-" "-""#) == .accessLogField("date"))
    }

    @Test func anonymousUserIsEmpty() throws {
        let r = try parseAccess(Self.line(user: "-"))
        #expect(r.user.isEmpty)
        #expect(try parseAccess(Self.line(user: "--")).user == "--")
    }

    @Test func bytesMayBeDash() throws {
        #expect(try parseAccess(Self.line(bytes: "-")).status == 200)
        #expect(try parseAccess(Self.line(bytes: "0")).status == 200)
        #expect(accessRejection(Self.line(bytes: "12a")) == .accessLogField("taille"))
        #expect(accessRejection(Self.line(bytes: "-1")) == .accessLogField("taille"))
    }

    @Test func statusMustBeThreeDigits() throws {
        #expect(try parseAccess(Self.line(status: "404")).status == 404)
        #expect(try parseAccess(Self.line(status: "302")).status == 302)
        for bad in ["20", "2000", "2x0", "-"] {
            #expect(accessRejection(Self.line(status: bad)) == .accessLogField("statut"), "\(bad)")
        }
    }

    @Test func escapedQuotesInQuotedFields() throws {
        let r = try parseAccess(Self.line(request: #"GET /blog/a\"b HTTP/1.1"#, referer: #"x\"y"#, agent: #"Agent \"quoted\" \\"#))
        #expect(r.path == #"/blog/a\"b"#)
        #expect(r.status == 200)
        #expect(accessRejection(#"192.0.2.10 - u1 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-" "unterminated \"#) == .accessLogField("agent utilisateur"))
    }

    @Test func requestTargets() throws {
        #expect(try parseAccess(Self.line(request: "GET http://ent.example.fr/blog/12?x=1 HTTP/1.1")).path == "/blog/12?x=1")
        #expect(try parseAccess(Self.line(request: "GET https://ent.example.fr:8443/login HTTP/1.1")).path == "/login")
        // An absolute URI with no path asks for "/" (RFC 9112 §3.2.2): it is a real page.
        #expect(try parseAccess(Self.line(request: "GET https://ent.example.fr HTTP/1.1")).path == "/")
        #expect(try parseAccess(Self.line(request: "GET /accueil")).path == "/accueil")
        let dash = try parseAccess(Self.line(request: "-", status: "408"))
        #expect(dash.path.isEmpty)
        #expect(dash.status == 408)
        #expect(try parseAccess(Self.line(request: "")).path.isEmpty)
    }

    @Test func invalidUTF8InUserAgentIsAccepted() throws {
        var bytes = Array(Self.line(agent: "Mozilla ").utf8)
        // Insert raw invalid bytes before the closing quote of the user agent.
        bytes.insert(contentsOf: [0xFF, 0xFE, 0xC3], at: bytes.count - 1)
        let r = try parseAccess(bytes)
        #expect(r.user == "u48213")
        #expect(r.status == 200)
    }

    @Test func extraFieldsAfterUserAgentAreIgnored() throws {
        let r = try parseAccess(Self.example + #" "extra" 0.003"#)
        #expect(r.path == "/messagerie/boite?page=2")
        // Real-world extensions: a response time, a quoted host, "-", a tab, brackets that
        // are no time stamp.
        // A time stamp of their own after the user agent (a request's end time, a quoted
        // field holding one) is no second record: no `IP ident user` before it.
        for tail in [" 0.003", #" "ent.example.fr""#, #" "-""#, "\t123", " ", #" [upstream] "[12/Oct""#, " [1/Oct/2018:08:14:03",
                     " [14/Oct/2018:08:14:04 +0200]", #" xff="[14/Oct/2018:08:14:04 +0200]""#, #" 0.003 "-" [14/oct/2018:08"#,
                     #" "10.0.0.1, 10.0.0.2" 0.012"#] {
            #expect(try parseAccess(Self.example + tail).user == "u48213", "\(tail)")
        }
    }

    /// A line break lost between two records: text glued to the user agent's closing quote,
    /// or another record's time stamp after it, would hide the second record.
    @Test func aSecondRecordAfterTheUserAgentIsRejected() {
        let second = Self.line(user: "u2", stamp: "14/Oct/2018:08:14:04 +0200")
        #expect(accessRejection(Self.example + second) == .textAfterUserAgent)
        #expect(accessRejection(Self.example + "x") == .textAfterUserAgent)
        #expect(accessRejection(Self.example + #""-""#) == .textAfterUserAgent)
        #expect(accessRejection(Self.example + " " + second) == .secondRecord)
        #expect(accessRejection(Self.example + "\t" + second) == .secondRecord)
        #expect(accessRejection(Self.example + " 0.003 " + second) == .secondRecord)
    }

    /// SPEC §1: lines end in `\n` or `\r\n` (the splitter removes the `\r`): a CR left
    /// anywhere in a line is a bare-CR line end, or damage.
    @Test func aCarriageReturnAnywhereIsRejected() throws {
        let records = (0..<3).map { Self.line(user: "u\($0)") }
        #expect(accessRejection(records.joined(separator: "\r")) == .carriageReturn)
        // CRs at the very end (a line end converted twice, CR CR LF) end the line.
        #expect(try parseAccess(Self.example + "\r").user == "u48213")
        #expect(try parseAccess(Self.example + "\r\r").user == "u48213")
        #expect(accessRejection("\r" + Self.example) == .carriageReturn)
        #expect(accessRejection(Self.line(agent: "Mozilla\r5.0")) == .carriageReturn)
        #expect(accessRejection(Self.line(request: "GET /\rblog HTTP/1.1")) == .carriageReturn)
        #expect(accessRejection(Self.example.replacingOccurrences(of: "192.0.2.10", with: "192.0\r.2.10")) == .carriageReturn)
    }

    /// A leap second stays in its minute (and day): 23:59:60 is read as 23:59:59.
    @Test func aLeapSecondStaysOnItsDay() throws {
        #expect(try parseAccess(Self.line(stamp: "15/Oct/2018:23:59:60 +0200")).epochSeconds == utcEpoch(2018, 10, 15, 21, 59, 59))
        #expect(try parseAccess(Self.line(stamp: "31/Dec/2016:23:59:60 +0000")).epochSeconds == utcEpoch(2016, 12, 31, 23, 59, 59))
        #expect(accessRejection(Self.line(stamp: "15/Oct/2018:23:59:61 +0200")) == .badTimestamp)
        #expect(accessRejection(Self.line(stamp: "15/Oct/2018:23:59:99 +0200")) == .badTimestamp)
    }

    @Test func missingFieldsAreRejectedByName() {
        #expect(accessRejection("") == .accessLogField("adresse IP"))
        #expect(accessRejection("192.0.2.10") == .accessLogField("identité"))
        #expect(accessRejection("192.0.2.10 -") == .accessLogField("utilisateur"))
        #expect(accessRejection(#"192.0.2.10 - u1 [14/Oct/2018:08:14:03 +0200] GET / 200 1 "-" "-""#) == .accessLogField("requête"))
        #expect(accessRejection(#"192.0.2.10 - u1 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-""#) == .accessLogField("agent utilisateur"))
        #expect(accessRejection(#"192.0.2.10 - u1 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 - "-""#) == .accessLogField("référent"))
        #expect(accessRejection(#"192.0.2.10  - u1 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-" "-""#) != nil)
        #expect(accessRejection(#"{"date":1541406843120,"userId":"u"}"#) != nil, "a JSON line is not an access-log line")
    }

    /// A control byte in the user field is a damaged line, not another user.
    @Test func aUserWithAControlByteIsRejected() {
        for byte in ["\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\t"] {
            #expect(accessRejection(Self.line(user: "u48\(byte)213")) == .accessLogField("utilisateur"), "\(byte.unicodeScalars.first!.value)")
        }
        #expect(accessRejection(Self.line(user: "u48213é")) == nil, "bytes above 0x7F are accepted")
    }

    @Test func everyPrefixOfAValidLineIsRejectedWithoutCrashing() throws {
        let bytes = Array(Self.example.utf8)
        for cut in 0..<bytes.count {
            #expect(throws: LineRejection.self, "prefix of \(cut) bytes") { try parseAccess(Array(bytes.prefix(cut))) }
        }
        #expect(try parseAccess(bytes).status == 200)
    }

    // MARK: - Static assets and logins (SPEC §2.2, §2.4)

    private func isStatic(_ path: String) -> Bool {
        Array(path.utf8).withUnsafeBytes { AccessLogParser.isStaticAsset($0) }
    }

    private func isLogin(_ path: String) -> Bool {
        Array(path.utf8).withUnsafeBytes { AccessLogParser.isLogin($0) }
    }

    @Test(arguments: ["js", "css", "png", "jpg", "jpeg", "gif", "svg", "ico", "woff", "woff2", "ttf", "map"])
    func everyStaticExtension(ext: String) {
        #expect(isStatic("/assets/file.\(ext)"))
        #expect(isStatic("/assets/file.\(ext.uppercased())"))
        #expect(isStatic("/assets/file.\(ext)?v=3"))
        #expect(isStatic("/f.\(ext)#top"))
        #expect(!isStatic("/assets/file.\(ext)x"))
        #expect(!isStatic("/assets/file.\(ext)/page"))
    }

    @Test func staticAssetDetection() {
        #expect(isStatic("/app.JS?v=3"))
        #expect(isStatic("/theme/app.min.Css"))
        #expect(isStatic("/a.b.png"))
        #expect(!isStatic("/js/page"))
        #expect(!isStatic("/js"))
        #expect(!isStatic("/app.json"))
        #expect(!isStatic("/app.jsx"))
        #expect(!isStatic("/page.html"))
        #expect(!isStatic("/image.png.php"))
        #expect(!isStatic("/search?q=app.js"))
        #expect(!isStatic("/dir.css/"))
        #expect(!isStatic("/"))
        #expect(!isStatic(""))
        #expect(!isStatic("/messagerie/boite?page=2"))
    }

    @Test func loginDetection() {
        #expect(isLogin("/login"))
        #expect(isLogin("/login?next=/accueil"))
        #expect(isLogin("/login/"))
        #expect(!isLogin("/loginx"))
        #expect(!isLogin("/logout"))
        #expect(!isLogin("/log"))
        #expect(!isLogin("/auth/login"))
        #expect(!isLogin(""))
        #expect(!isLogin("/"))
    }
}
