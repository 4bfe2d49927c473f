import Foundation
import Testing
@testable import EntStat

/// SPEC §1.4: one JSON object per line; unknown keys of any type ignored; key order free;
/// every JSON string escape legal; `date` (ms) missing or not a number → rejected.
@Suite struct EventLogParserTests {
    static let example = #"{"_id":"5be0a1","event-type":"ACCESS","module":"Conversation","date":1541406843120,"userId":"6f1c2e0a-91","profil":"Relative","structures":["0801234X"],"classes":[],"groups":[],"referer":"https://ent.example.fr/timeline","sessionId":"abc","ua":"Mozilla/5.0 …","ip":"192.0.2.1"}"#

    @Test func specExample() throws {
        let r = try parseEvent(Self.example)
        #expect(r.epochSeconds == 1_541_406_843)
        #expect(r.userText == "6f1c2e0a-91")
        #expect(r.moduleText == "Conversation")
        #expect(r.profilText == "Relative")
        #expect(!r.isLogin)
        #expect(r.structures == ["0801234X"])
        #expect(r.structuresRaw == #"["0801234X"]"#)
    }

    @Test func loginEvent() throws {
        #expect(try parseEvent(#"{"event-type":"LOGIN","date":0,"userId":"u"}"#).isLogin)
        #expect(try !parseEvent(#"{"event-type":"LOGINS","date":0,"userId":"u"}"#).isLogin)
        #expect(try !parseEvent(#"{"event-type":"ACTIVATION","date":0,"userId":"u"}"#).isLogin)
        #expect(try !parseEvent(#"{"event-type":null,"date":0,"userId":"u"}"#).isLogin)
        #expect(try parseEvent(#"{"event-type":"LOG\u0049N","date":0,"userId":"u"}"#).isLogin)
    }

    @Test func everyStringEscapeIsDecoded() throws {
        let line = #"{"date":1000,"userId":"a\"b\\c\/d\be\ff\ng\rh\ti\u00e9j\u00E9k"}"#
        let expected: [UInt8] = Array("a\"b\\c/d".utf8) + [0x08] + Array("e".utf8) + [0x0C] + Array("f".utf8) + [0x0A]
            + Array("g".utf8) + [0x0D] + Array("h".utf8) + [0x09] + Array("i".utf8) + [0xC3, 0xA9] + Array("j".utf8)
            + [0xC3, 0xA9] + Array("k".utf8)
        #expect(try parseEvent(line).user == expected)
    }

    @Test func unicodeEscapesAgreeWithFoundation() throws {
        // Compare the decoded bytes with JSONSerialization (an independent decoder).
        let values = [#"\ud83d\ude00"#, #"caf\u00e9"#, #"\u20ac"#, #"\u0000x"#, #"\u007f\u0080\u07ff\u0800\uffff"#,
                      #"\uD834\uDD1E"#, #"\u00C9l\u00E8ve"#, #"plain ascii"#, #"\u4e2d\u6587"#]
        for value in values {
            let line = #"{"date":1,"module":""# + value + #""}"#
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let expected = Array((object["module"] as! String).utf8)
            #expect(try parseEvent(line).module == expected, "\(value)")
        }
        #expect(try parseEvent(#"{"date":1,"module":"\ud83d\ude00"}"#).module == [0xF0, 0x9F, 0x98, 0x80])
    }

    /// An unpaired surrogate escape keeps its own value (its WTF-8 bytes, `ED xx xx`), so
    /// that ids differing only there stay distinct and none becomes a real U+FFFD; a pair
    /// gives the bytes of the character written raw.
    @Test func unpairedSurrogatesStayDistinctAndPairsMatchTheRawCharacter() throws {
        func user(_ escaped: String) throws -> [UInt8] { try parseEvent(#"{"date":1,"userId":""# + escaped + #""}"#).user }
        #expect(try user(#"\ud800"#) == [0xED, 0xA0, 0x80])
        #expect(try user(#"\udbff"#) == [0xED, 0xAF, 0xBF])
        #expect(try user(#"\udc00"#) == [0xED, 0xB0, 0x80])
        #expect(try user(#"\udfff"#) == [0xED, 0xBF, 0xBF])
        let ids = try [#"\ud800"#, #"\udbff"#, #"\udc00"#, #"\ufffd"#, #"\ud800\ud800"#, #"\udc00\ud800"#, #"a\ud800"#, #"\ud800a"#].map(user)
        #expect(Set(ids).count == ids.count, "\(ids)")
        // A high surrogate followed by an escape that is not a low one: each kept as it is.
        #expect(try user(#"\ud800\u0041"#) == [0xED, 0xA0, 0x80, 0x41])
        #expect(try user(#"\ud800\ud83d\ude00"#) == [0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98, 0x80])
        // One id, escaped or raw, is one user.
        #expect(try user(#"\ud83d\ude00x"#) == Array("😀x".utf8))
        #expect(try user(#"\uD83D\uDE00x"#) == Array("😀x".utf8))
        #expect(try user(#"\ufffd"#) == Array("\u{FFFD}".utf8))
        // Such a key is no known key (as to the reject excerpt, RejectExcerptTests).
        #expect(try parseEvent(#"{"date":1,"modul\ud800e":"Blog"}"#).module.isEmpty)
    }

    @Test func escapedKeysAreTheSameKeys() throws {
        let r = try parseEvent(#"{"\u0064ate":2000,"user\u0049d":"u1","mod\u0075le":"Blog"}"#)
        #expect(r.epochSeconds == 2)
        #expect(r.userText == "u1")
        #expect(r.moduleText == "Blog")
    }

    /// A string without escape is read where it lies in the line, one with an escape is
    /// decoded into a buffer of its field: the two kinds mix on one line, and an escaped key
    /// decoded after an escaped value leaves that value alone.
    @Test func escapedAndPlainStringsOfOneLineStayApart() throws {
        let r = try parseEvent(#"{"module":"Bl\u006fg","user\u0049d":"u\u0031","date":1000,"pro\u0066il":"Tea\u0063her","event-type":"LOGIN"}"#)
        #expect(r.moduleText == "Blog")
        #expect(r.userText == "u1")
        #expect(r.profilText == "Teacher")
        #expect(r.isLogin)
        #expect(try parseEvent(#"{"date":1,"userId":"a\u0062","userId":"c"}"#).userText == "c")
        #expect(try parseEvent(#"{"date":1,"userId":"c","userId":"a\u0062"}"#).userText == "ab")
        #expect(try parseEvent(#"{"date":1,"userId":"a\u0062","module":"x","userId":"d\u0065"}"#).userText == "de")
    }

    @Test func keyOrderIsFree() throws {
        let a = try parseEvent(#"{"userId":"u","date":1541406843120,"module":"Blog","event-type":"LOGIN","structures":["A","B"],"profil":"Teacher"}"#)
        let b = try parseEvent(#"{"structures":["A","B"],"profil":"Teacher","event-type":"LOGIN","module":"Blog","date":1541406843120,"userId":"u"}"#)
        #expect(a == b)
        #expect(a.structures == ["A", "B"])
        #expect(a.isLogin)
    }

    @Test func unknownKeysOfEveryTypeAreSkipped() throws {
        let line = #"""
        { "a": {"nested": {"deeper": [1, 2, {"x": null}], "s": "\"}]"}}, "b": [[], {}, [[[]]], "x\u0041"],
          "c": null, "d": true, "e": false, "f": -0, "g": 1.5e-3, "h": 6.02E+23, "i": 123456789012345678901234567890,
          "j": "", "k": {}, "l": [], "date" : 1541406843120 , "userId" : "u9", "m": -12.75e2 }
        """#
        let r = try parseEvent(line.replacingOccurrences(of: "\n", with: " "))
        #expect(r.epochSeconds == 1_541_406_843)
        #expect(r.userText == "u9")
        #expect(r.module.isEmpty)
        #expect(r.profil.isEmpty)
        #expect(r.structures.isEmpty)
    }

    @Test func repeatedKeyKeepsTheLastValue() throws {
        let r = try parseEvent(#"{"userId":"first","date":1000,"module":"Blog","userId":"second","date":5000,"module":"Workspace"}"#)
        #expect(r.userText == "second")
        #expect(r.epochSeconds == 5)
        #expect(r.moduleText == "Workspace")
        #expect(try parseEvent(#"{"userId":"first","date":1,"userId":null}"#).user.isEmpty)
        #expect(try parseEvent(#"{"userId":null,"date":1,"userId":"back"}"#).userText == "back")
        #expect(try parseEvent(#"{"date":"soon","date":7000}"#).epochSeconds == 7)
        #expect(eventRejection(#"{"date":7000,"date":"soon"}"#) == .dateNotANumber)
        #expect(try parseEvent(#"{"date":1,"structures":["A"],"structures":["B","C"]}"#).structures == ["B", "C"])
        #expect(try parseEvent(#"{"date":1,"structures":["A"],"structures":null}"#).structures.isEmpty)
    }

    @Test func missingNullOrEmptyUserIdMeansNoUser() throws {
        #expect(try parseEvent(#"{"date":1}"#).user.isEmpty)
        #expect(try parseEvent(#"{"date":1,"userId":null}"#).user.isEmpty)
        #expect(try parseEvent(#"{"date":1,"userId":""}"#).user.isEmpty)
        #expect(try parseEvent(#"{"date":1,"userId":" "}"#).userText == " ")
        #expect(eventRejection(#"{"date":1,"userId":42}"#) == .fieldNotAString(.userId))
        // The other fields entstat reads are strings or null too: any other value is no
        // record of the new ENT (a module 5 is not the module « 5 »), said as such rather
        // than as invalid JSON.
        #expect(eventRejection(#"{"date":1,"userId":"u","module":5}"#) == .fieldNotAString(.module))
        #expect(eventRejection(#"{"date":1,"userId":"u","profil":["Relative"]}"#) == .fieldNotAString(.profil))
        #expect(eventRejection(#"{"date":1,"userId":"u","event-type":{"x":1}}"#) == .fieldNotAString(.eventType))
        #expect(eventRejection(#"{"date":1,"userId":true}"#) == .fieldNotAString(.userId))
        #expect(eventRejection(#"{"date":1,"userId":"u","module":"Blog}"#) == .badJSON(offset: 38))
        // Of a key given twice, the last counts (as JSON parsers and the oracle read it).
        #expect(eventRejection(#"{"date":1,"userId":"u","module":5,"module":"Blog"}"#) == nil)
        #expect(eventRejection(#"{"date":1,"userId":"u","module":"Blog","module":5}"#) == .fieldNotAString(.module))
        #expect(eventRejection(#"{"date":1,"userId":7,"userId":null}"#) == nil)
        // A value that is no JSON at all is invalid JSON, not a value of the wrong type.
        #expect(eventRejection(#"{"date":1,"userId":"u","module":tru}"#) == .badJSON(offset: 32))
        #expect(eventRejection(#"{"date":1,"userId":"u","module":"#) == .badJSON(offset: 32))
        #expect(LineRejection.fieldNotAString(.module).description == "champ « module » qui n'est ni une chaîne ni null")
    }

    @Test func dateMissingOrNotANumber() {
        #expect(eventRejection(#"{"userId":"u"}"#) == .missingDate)
        #expect(eventRejection(#"{}"#) == .missingDate)
        #expect(eventRejection(#"{"Date":1541406843120}"#) == .missingDate, "keys are case-sensitive")
        for value in [#""1541406843120""#, "null", "true", "false", "[]", "[1541406843120]", #"{"$date":1541406843120}"#] {
            #expect(eventRejection(#"{"userId":"u","date":"# + value + "}") == .dateNotANumber, "\(value)")
        }
    }

    @Test(arguments: [
        ("1541406843120", Int64(1_541_406_843)),
        ("1541406843999", 1_541_406_843),
        ("1541406843000", 1_541_406_843),
        ("1.5414068431e12", 1_541_406_843),
        ("1.541406843999E12", 1_541_406_843),
        ("1541406843120.75", 1_541_406_843),
        ("15414068431200e-1", 1_541_406_843),
        ("0", 0),
        ("999", 0),
        ("1000", 1),
        ("1E3", 1),
        ("-1", -1),
        ("-1000", -1),
        ("-1001", -2),
    ])
    func dateIsFlooredToSeconds(json: String, seconds: Int64) throws {
        #expect(try parseEvent(#"{"date":"# + json + "}").epochSeconds == seconds)
    }

    @Test func absurdDatesAreRejected() {
        #expect(eventRejection(#"{"date":1e400}"#) != nil)
        #expect(eventRejection(#"{"date":1e30}"#) != nil)
    }

    @Test func trailingGarbageIsRejected() throws {
        #expect(eventRejection(#"{"date":1} x"#) != nil)
        #expect(eventRejection(#"{"date":1}{"date":2}"#) != nil)
        #expect(eventRejection(#"{"date":1},"#) != nil)
        #expect(eventRejection(#"{"date":1}}"#) != nil)
        // Surrounding whitespace is fine.
        #expect(try parseEvent(" \t{\"date\":1000}\t  ").epochSeconds == 1)
    }

    @Test func controlCharactersInStringsAreRejected() {
        for control: UInt8 in [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F] {
            let known = Array(#"{"date":1,"userId":"a"#.utf8) + [control] + Array(#"b"}"#.utf8)
            #expect(eventRejection(known) != nil, "control \(control) in a decoded string")
            let unknown = Array(#"{"date":1,"ua":"a"#.utf8) + [control] + Array(#"b"}"#.utf8)
            #expect(eventRejection(unknown) != nil, "control \(control) in a skipped string")
            let key = Array(#"{"date":1,"k"#.utf8) + [control] + Array(#"":1}"#.utf8)
            #expect(eventRejection(key) != nil, "control \(control) in a key")
        }
        // DEL (0x7F) and bytes above are not control characters for JSON.
        #expect(eventRejection(Array(#"{"date":1,"ua":"a"#.utf8) + [0x7F, 0xFF, 0xC3] + Array(#""}"#.utf8)) == nil)
    }

    @Test func invalidUTF8InStringsIsKept() throws {
        let bytes = Array(#"{"date":1,"module":"B"#.utf8) + [0xFF] + Array(#"log","userId":"u"}"#.utf8)
        let r = try parseEvent(bytes)
        #expect(r.module == [0x42, 0xFF] + Array("log".utf8))
        #expect(r.userText == "u")
    }

    @Test(arguments: [
        #"{"date":1,"ua":"\x"}"#,
        #"{"date":1,"ua":"\u12"}"#,
        #"{"date":1,"ua":"\u12G4"}"#,
        #"{"date":1,"userId":"\u12G4"}"#,
        #"{"date":1,"userId":"\"#,
        #"{"date":1,"userId":"abc"#,
        #"{"date":1 "userId":"u"}"#,
        #"{"date":1,,"userId":"u"}"#,
        #"{"date":1,}"#,
        #"{"date" 1}"#,
        #"{date:1}"#,
        #"{'date':1}"#,
        #"{"date":01}"#,
        #"{"date":1.}"#,
        #"{"date":.5}"#,
        #"{"date":-}"#,
        #"{"date":+1}"#,
        #"{"date":1e}"#,
        #"{"date":1,"x":NaN}"#,
        #"{"date":1,"x":tru}"#,
        #"{"date":1,"x":nul}"#,
        #"{"date":1,"x":[1,]}"#,
        #"{"date":1,"x":[1 2]}"#,
        #"{"date":1,"x":{"a"}}"#,
        #"{"date":1,"x":{"a":1,}}"#,
        #"{"date":1,"x":{1:1}}"#,
        #"{"date":1,"structures":["A",]}"#,
        #"{"date":1,"structures":["A" "B"]}"#,
        #"{"date":1,"module":5}"#,
        #"{"date":1"#,
        #"{"#,
        "",
        "   ",
        #"[{"date":1}]"#,
        #""date""#,
        "null",
    ])
    func malformedJSONIsRejected(line: String) {
        #expect(eventRejection(line) != nil, "\(line)")
    }

    @Test func notAnObject() {
        #expect(eventRejection("") == .notJSONObject)
        #expect(eventRejection(#"[{"date":1}]"#) == .notJSONObject)
        #expect(eventRejection("192.0.2.10 - u1 [14/Oct/2018:08:14:03 +0200]") == .notJSONObject)
    }

    @Test func deepNestingIsRejectedWithoutCrashing() {
        let deepArrays = #"{"date":1,"x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(eventRejection(deepArrays) == .tooDeeplyNested)
        let unclosed = #"{"date":1,"x":"# + String(repeating: "[", count: 100_000)
        #expect(eventRejection(unclosed) == .tooDeeplyNested)
        let deepObjects = #"{"date":1,"x":"# + String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000) + "}"
        #expect(eventRejection(deepObjects) == .tooDeeplyNested)
        let inStructures = #"{"date":1,"structures":"# + String(repeating: "[", count: 100_000)
        #expect(eventRejection(inStructures) == .tooDeeplyNested)
        let inDate = #"{"date":"# + String(repeating: "[", count: 100_000)
        #expect(eventRejection(inDate) == .tooDeeplyNested)
        #expect(eventRejection(String(repeating: "[", count: 100_000)) == .notJSONObject)
    }

    @Test func moderateNestingIsAccepted() throws {
        let nested = #"{"date":1000,"x":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        #expect(try parseEvent(nested).epochSeconds == 1)
    }

    @Test func oneMegabyteLines() throws {
        let big = String(repeating: "Mozilla/5.0 ", count: 90_000)  // ≈ 1 MB
        let line = #"{"date":1541406843120,"ua":""# + big + #"","userId":"u1","module":"Blog"}"#
        #expect(line.utf8.count > 1_000_000)
        let r = try parseEvent(line)
        #expect(r.userText == "u1")
        #expect(r.moduleText == "Blog")
        let bigUser = String(repeating: "é", count: 600_000)
        #expect(try parseEvent(#"{"date":1,"userId":""# + bigUser + #""}"#).userText == bigUser)
    }

    @Test func structuresAreDecodedAndNonStringsSkipped() throws {
        let r = try parseEvent(#"{"date":1,"structures":[ "0801234G" , 12, null, {"a":[1]}, "0800001S", "\u0030801999N" ]}"#)
        #expect(r.structures == ["0801234G", "0800001S", "0801999N"])
        #expect(r.structuresRaw == #"[ "0801234G" , 12, null, {"a":[1]}, "0800001S", "\u0030801999N" ]"#)
        #expect(try parseEvent(#"{"date":1,"structures":[]}"#).structures.isEmpty)
        #expect(try parseEvent(#"{"date":1,"structures":"0801234G"}"#).structures.isEmpty)
    }

    @Test func parserReuseDoesNotLeakPreviousLine() throws {
        let parser = EventLogParser()
        let first = try parseEvent(#"{"date":1000,"userId":"u1","module":"Blog","profil":"Teacher","event-type":"LOGIN","structures":["A"]}"#, parser: parser)
        #expect(first.userText == "u1")
        let second = try parseEvent(#"{"date":2000}"#, parser: parser)
        #expect(second.user.isEmpty)
        #expect(second.module.isEmpty)
        #expect(second.profil.isEmpty)
        #expect(!second.isLogin)
        #expect(second.structures.isEmpty)
        #expect(second.structuresRaw.isEmpty)
        // A rejected line in between does not disturb the next one.
        #expect(throws: LineRejection.self) { try parseEvent(#"{"userId":"u2","structures":["B"]"#, parser: parser) }
        let third = try parseEvent(#"{"date":3000,"userId":"u3"}"#, parser: parser)
        #expect(third.userText == "u3")
        #expect(third.structures.isEmpty)
    }
}
