import Testing
@testable import EntStat

/// SPEC §2.2 keeps the first 200 bytes of a rejected line; SPEC §4: the store never holds a
/// raw user id or an IP address. So an excerpt is at most 200 bytes and holds neither.
@Suite struct RejectExcerptTests {
    private func excerpt(_ line: String) -> String { excerpt(Array(line.utf8)) }

    private func excerpt(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { RejectExcerpt.make($0) }
    }

    private func expectClean(_ line: String, secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let e = excerpt(line)
        for secret in secrets {
            #expect(!e.contains(secret), "excerpt \(e.debugDescription) leaks \(secret)", sourceLocation: sourceLocation)
        }
        #expect(e.utf8.count <= 200, "\(e.utf8.count) bytes", sourceLocation: sourceLocation)
    }

    @Test func jsonUserIdAndIpAreMasked() {
        let line = #"{"_id":"5be0a1","event-type":"ACCESS","date":"oops","userId":"6f1c2e0a-9b","ip":"192.0.2.1","sessionId":"s3ss10n"}"#
        expectClean(line, secrets: ["6f1c2e0a-9b", "192.0.2.1", "s3ss10n", "5be0a1"])
        #expect(excerpt(line).contains(#""date":"oops""#), "the rest of the line stays readable")
    }

    /// The whitespace is kept as it was, each string value masked inside its quotes (an
    /// escaped quote does not end it).
    @Test func jsonWithWhitespaceAndEscapes() {
        let spaced = #"{"date":"x", "userId" :  "u\"ser-42", "ip" : "198.51.100.7"}"#
        expectClean(spaced, secrets: ["ser-42", "198.51.100.7"])
        #expect(excerpt(spaced) == #"{"date":"x", "userId" :  "‹masqué›", "ip" : "‹masqué›"}"#)
        let tabbed = "{\"date\":\"x\",\"userId\":\t\"tabbed-user\",\"ip\":\n\"203.0.113.9\"}"
        expectClean(tabbed, secrets: ["tabbed-user", "203.0.113.9"])
        #expect(excerpt(tabbed) == "{\"date\":\"x\",\"userId\":\t\"‹masqué›\",\"ip\":\n\"‹masqué›\"}")
    }

    /// A userId of another type than a string (the very reason for the rejection) is masked
    /// whole, without quotes: a number, an array, an object.
    @Test func nonStringUserIdIsMasked() {
        for (value, secret) in [("987654321", "987654321"), (#"["u-777"]"#, "u-777"), (#"{"id":"u-888"}"#, "u-888")] {
            let line = #"{"date":1541406843120,"userId":"# + value + #","module":"Blog"}"#
            expectClean(line, secrets: [secret])
            #expect(excerpt(line) == #"{"date":1541406843120,"userId":‹masqué›,"module":"Blog"}"#)
        }
    }

    /// Only the values that say why a line was rejected are kept; every other one is
    /// masked, whatever its key (unknown keys too) and however the key is spelt.
    @Test func onlyTheKeptKeysKeepTheirValues() {
        let line = #"{"_id":"a1","module":"Blog","date":"x","userId":"u-1","#
            + #""structures":["0801234X"],"groups":["g-jdupont"],"actor":{"id":"zz"}}"#
        #expect(excerpt(line) == #"{"_id":"‹masqué›","module":"Blog","date":"x","userId":"‹masqué›","#
            + #""structures":["0801234X"],"groups":‹masqué›,"‹masqué›":‹masqué›}"#)
    }

    @Test func escapedKeysAreDecodedBeforeTheyAreCompared() {
        // `user\u0049d` is `userId` and `\u0069p` is `ip` to the parser (SPEC §1.4: every escape is legal).
        expectClean(#"{"user\u0049d":"ZZREJ2SECRET","\u0069p":"198.51.100.78","date":"x"}"#, secrets: ["ZZREJ2SECRET", "198.51.100.78"])
        // A kept key spelt with an escape keeps its value.
        #expect(excerpt(#"{"modul\u0065":"Blog","date":"x"}"#) == #"{"modul\u0065":"Blog","date":"x"}"#)
        // A key with an unpaired surrogate is no known key, here as to the parser (which
        // keeps it as WTF-8 bytes): masked, with its value. A pair is decoded here as there.
        #expect(excerpt(#"{"modul\ud800e":"ZZ17","date":"x"}"#) == #"{"‹masqué›":"‹masqué›","date":"x"}"#)
        #expect(excerpt(#"{"\ud83d\ude00":"ZZ18","date":"x"}"#) == #"{"‹masqué›":"‹masqué›","date":"x"}"#)
    }

    @Test func malformedJSONNeverShowsAValueOutsideAKeptKey() {
        // A missing colon, a stray string, a bare word, an unterminated string.
        expectClean(#"{"userId" "ZZ1", "date":"x"}"#, secrets: ["ZZ1"])
        expectClean(#"{"date":"x"} "ZZ2" ZZ3"#, secrets: ["ZZ2", "ZZ3"])
        expectClean(#"{"date":"x","userId":"ZZ4"#, secrets: ["ZZ4"])
        // A combining mark after a quote does not end the string early or late.
        expectClean("{\"ua\":\"x\"\u{301},\"userId\":\"ZZ5\"}", secrets: ["ZZ5"])
        // A JSON object behind a stray prefix is masked as JSON, also with a `[` after it.
        expectClean(#"garbage{"userId":"ZZ6","date":"x"}"#, secrets: ["ZZ6"])
        expectClean(#"x{"structures":["0801234X"],"userId":"ZZ9"}"#, secrets: ["ZZ9"])
        expectClean(#"Oct 14 08:14:03 front1 {"structures":["0801234X"],"userId":"ZZ10","sessionId":"ZZ11"}"#, secrets: ["ZZ10", "ZZ11"])
        // A kept key shows a scalar, or for `structures` a flat array of strings; nothing else.
        expectClean(#"{"date":{"userId":"ZZ12"},"module":"X"}"#, secrets: ["ZZ12"])
        expectClean(#"{"structures":["0801234X","userId":"ZZ13","ip":"192.0.2.9"}"#, secrets: ["ZZ13", "192.0.2.9"])
        #expect(excerpt(#"{"structures":["0801234X", "0800001S"],"date":"x"}"#) == #"{"structures":["0801234X", "0800001S"],"date":"x"}"#)
        // A value where a key should be (a comma for a colon) is masked; so is an unknown key.
        expectClean(#"{"userId","ZZ14","date":"x"}"#, secrets: ["ZZ14"])
        #expect(excerpt(#"{"ZZ15":1,"date":"x"}"#) == #"{"‹masqué›":‹masqué›,"date":"x"}"#)
        // The referer is not kept: an escaped `?` would hide its query string.
        expectClean(#"{"date":"x","referer":"https://ent.example.fr/a\u003fuser=ZZ16"}"#, secrets: ["ZZ16"])
    }

    @Test func queryStringsAreMasked() {
        let access = #"- - - [14/Oct/2018:08:14:03 +0200] "GET /blog?login=jdupont&x=1 HTTP/1.1" 999 1 "https://ent.example.fr/a?uid=ZZ7" "-""#
        #expect(excerpt(access) == #"- - - [14/Oct/2018:08:14:03 +0200] "GET /blog?‹masqué› HTTP/1.1" 999 1 "https://ent.example.fr/a?‹masqué›" "-""#)
        expectClean(#"{"date":"x","referer":"https://ent.example.fr/timeline?login=ZZ8"}"#, secrets: ["ZZ8"])
    }

    @Test func accessLogUserAndAddressAreMasked() {
        let line = #"192.0.2.10 - u48213 [14/Oct/2018:08:14:03 +0200] "GET /messagerie HTTP/1.1" 200 x "-" "Mozilla""#
        expectClean(line, secrets: ["u48213", "192.0.2.10"])
        let e = excerpt(line)
        #expect(e.contains("/messagerie"))
        #expect(e.contains("14/Oct/2018:08:14:03"), "the time stamp is not an address")
    }

    @Test func malformedAccessLogLinesStillMaskTheUser() {
        // Extra spaces shift the fields: the user must still be hidden.
        expectClean(#"192.0.2.10  - u48213 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-" "-""#, secrets: ["u48213", "192.0.2.10"])
        expectClean(#"192.0.2.10 -  u48213 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-" "-""#, secrets: ["u48213"])
        expectClean(#"192.0.2.10\t-\tu48213\t[14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1""#.replacingOccurrences(of: "\\t", with: "\t"),
                    secrets: ["u48213", "192.0.2.10"])
        // No time stamp at all: the user is still the third field.
        expectClean("192.0.2.10 - u48213 garbage", secrets: ["u48213", "192.0.2.10"])
        #expect(excerpt("192.0.2.10 - u48213 garbage").hasSuffix(" - ‹masqué› garbage"))
        // An identity in the ident field is personal too.
        expectClean(#"192.0.2.10 jdupont u48213 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-" "-""#, secrets: ["u48213", "jdupont"])
    }

    @Test func anonymousAccessLogLineKeepsTheDash() {
        let e = excerpt(#"192.0.2.10 - - [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 999 1 "-" "-""#)
        #expect(!e.contains("192.0.2.10"))
        #expect(e.contains("[14/Oct/2018:08:14:03 +0200]"))
    }

    @Test func ipv6AndMappedAddressesAreMasked() {
        expectClean(#"2001:db8::1 - u1 [14/Oct/2018:08:14:03 +0200] "GET / HTTP/1.1" 200 1 "-" "-""#, secrets: ["2001:db8::1", "u1 "])
        expectClean(#"{"date":"x","ua":"from 2001:db8:85a3:0:0:8a2e:370:7334"}"#, secrets: ["2001:db8:85a3", "8a2e:370:7334"])
        expectClean(#"{"date":"x","referer":"http://[fe80::1ff:fe23:4567:890a]/"}"#, secrets: ["fe80::1ff:fe23:4567:890a"])
        expectClean(#"{"date":"x","forwarded":"::ffff:192.0.2.33"}"#, secrets: ["192.0.2.33"])
        expectClean(#"{"date":"x","forwarded":"192.0.2.44:8080, 198.51.100.5"}"#, secrets: ["192.0.2.44", "198.51.100.5"])
        expectClean(#"{"date":"x","ua":"bot a192.0.2.55"}"#, secrets: ["192.0.2.55"])
    }

    @Test func excerptIsAtMost200Bytes() {
        let long = String(repeating: "a", count: 500)
        #expect(excerpt(long).utf8.count == 200)
        #expect(excerpt(long) == String(repeating: "a", count: 200))
        // A multi-byte character cut at byte 200 must not push the excerpt over 200 bytes.
        for pad in 195...200 {
            let line = String(repeating: "x", count: pad) + String(repeating: "é", count: 10)
            #expect(excerpt(line).utf8.count <= 200, "pad \(pad)")
        }
        // Invalid UTF-8 bytes become U+FFFD (3 bytes each): still at most 200 bytes.
        let invalid = [UInt8](repeating: 0xFF, count: 300)
        #expect(excerpt(invalid).utf8.count <= 200)
        // Masks that are longer than what they hide do not push it over either.
        let manyIDs = String(repeating: #""userId":"a","#, count: 30)
        #expect(excerpt("{" + manyIDs).utf8.count <= 200)
        let manyIPs = String(repeating: "1.2.3.4 ", count: 40)
        expectClean("{\"date\":\"x\",\"ua\":\"" + manyIPs, secrets: ["1.2.3.4"])
        #expect(excerpt("").isEmpty)
    }

    @Test func addressCutAtTheLimitDoesNotLeakItsBeginning() {
        // The address straddles byte 200: its first octets must not show.
        let prefix = #"{"date":"x","ua":""# + String(repeating: "z", count: 200 - 18 - 6)
        let line = prefix + "203.0.113.77 end\"}"
        #expect(Array(line.utf8).count > 200)
        let e = excerpt(line)
        #expect(!e.contains("203.0"), "\(e)")
        #expect(e.utf8.count <= 200)
    }

    @Test func userIdCutAtTheLimitIsMasked() {
        let prefix = #"{"date":"x","ua":""# + String(repeating: "z", count: 160) + #"","userId":""#
        let line = prefix + "secret-user-id-123456789\"}"
        let e = excerpt(line)
        #expect(!e.contains("secret"), "\(e)")
        #expect(e.utf8.count <= 200)
    }
}

@Suite struct RejectExcerptReadabilityTests {
    @Test func timesAndVersionsStayReadable() {
        let line = #"{"date":"2018-11-05T08:14:03.120Z","ua":"Mozilla/5.0 Firefox/63.0","module":"Blog"}"#
        let e = Array(line.utf8).withUnsafeBytes { RejectExcerpt.make($0) }
        #expect(e == line)
        let access = #"- - - [14/Oct/2018:08:14:03 +0200] "GET /blog HTTP/1.1" 200 1 "-" "Mozilla/5.0""#
        #expect(Array(access.utf8).withUnsafeBytes { RejectExcerpt.make($0) } == access)
    }

    @Test func veryLongLineIsCutWithoutLeakingAnAddressAtTheMaskWindow() {
        var line = Array(#"{"date":"x","ua":""#.utf8)
        line += [UInt8](repeating: UInt8(ascii: "z"), count: 5000)
        line += Array("\"}".utf8)
        let e = line.withUnsafeBytes { RejectExcerpt.make($0) }
        #expect(e.utf8.count == 200)
        #expect(e.hasPrefix(#"{"date":"x","ua":"zzz"#))
    }
}
