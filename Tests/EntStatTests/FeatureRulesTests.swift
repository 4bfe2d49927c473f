import Foundation
import Testing
@testable import EntStat

/// SPEC §1.5: path prefixes match whole segments, the query string is ignored, module names
/// match case-insensitively, anything else is `autre`.
@Suite struct FeatureRulesTests {
    let rules = FeatureRules.standard

    private func pathFeature(_ path: String, _ rules: FeatureRules? = nil) -> String {
        let r = rules ?? self.rules
        return r.names[Int(Array(path.utf8).withUnsafeBytes { r.feature(forPath: $0) })]
    }

    private func moduleFeature(_ module: String, _ rules: FeatureRules? = nil) -> String {
        let r = rules ?? self.rules
        return r.names[Int(Array(module.utf8).withUnsafeBytes { r.feature(forModule: $0) })]
    }

    /// The table of SPEC §1.5, copied from the SPEC (not from DefaultFeatureRules).
    static let specTable: [(feature: String, paths: [String], modules: [String])] = [
        ("portail", ["/accueil"], ["Timeline", "Portal"]),
        ("messagerie", ["/messagerie"], ["Conversation"]),
        ("actualites", ["/actualites"], ["Actualites"]),
        ("blog", ["/blog"], ["Blog"]),
        ("cahier_liaison", ["/cahier-liaison"], ["SchoolBook"]),
        ("documents", ["/documents"], ["Workspace"]),
        ("agenda", ["/agenda"], ["Calendar"]),
        ("mur_collaboratif", ["/mur"], ["CollaborativeWall"]),
        ("exercices", ["/exercices"], ["Exercizer"]),
        ("cantine", ["/cantine"], ["Cantine"]),
        ("transport", ["/transport"], ["Transport"]),
        ("periscolaire", ["/periscolaire"], ["Periscolaire"]),
        ("annuaire", ["/annuaire"], ["Directory"]),
        ("connexion", ["/login", "/logout"], ["Auth"]),
    ]

    @Test func defaultRulesFollowTheSpecTable() {
        for row in Self.specTable {
            for path in row.paths {
                #expect(pathFeature(path) == row.feature, "\(path)")
                #expect(pathFeature(path + "/x/y") == row.feature, "\(path)/x/y")
                #expect(pathFeature(path + "?a=1&b=/z") == row.feature, "\(path)?…")
                #expect(pathFeature(path + "/") == row.feature, "\(path)/")
                #expect(pathFeature(path + "x") == "autre", "\(path)x")
                #expect(pathFeature(path + "-x") == "autre", "\(path)-x")
            }
            for module in row.modules {
                #expect(moduleFeature(module) == row.feature, "\(module)")
                #expect(moduleFeature(module.lowercased()) == row.feature, "\(module) lower")
                #expect(moduleFeature(module.uppercased()) == row.feature, "\(module) upper")
                #expect(moduleFeature(module + "s") == "autre", "\(module)s")
            }
        }
        #expect(Set(rules.names) == Set(Self.specTable.map(\.feature) + ["autre"]))
        #expect(rules.names.count == 15)
        #expect(rules.names[Int(rules.fallbackID)] == "autre")
    }

    @Test func wholeSegmentPrefixes() {
        #expect(pathFeature("/blog") == "blog")
        #expect(pathFeature("/blog/12") == "blog")
        #expect(pathFeature("/blog?x=1") == "blog")
        #expect(pathFeature("/blog#comments") == "blog")
        #expect(pathFeature("/blogue") == "autre")
        #expect(pathFeature("/murale") == "autre")
        #expect(pathFeature("/mur/12") == "mur_collaboratif")
        #expect(pathFeature("/loginx") == "autre")
        #expect(pathFeature("/search?q=/blog") == "autre")
        #expect(pathFeature("/x/blog") == "autre")
        #expect(pathFeature("/") == "autre")
        #expect(pathFeature("") == "autre")
        #expect(pathFeature("?x=/blog") == "autre")
    }

    @Test func unknownModulesAreAutre() {
        #expect(moduleFeature("Unknown") == "autre")
        #expect(moduleFeature("") == "autre")
        #expect(moduleFeature("Con versation") == "autre")
        #expect(moduleFeature(String(repeating: "Blog", count: 30)) == "autre")
        #expect(moduleFeature("cOnVeRsAtIoN") == "messagerie")
    }

    @Test func userRulesFile() throws {
        let text = """
        # my rules\r
        blog      path   /blog      # the blog\r
        admin     path   /blog/admin/\r
        \r
        \tcantine\tmodule\tRESTAURATION\r
        racine    path   /exact\r
        """
        let r = try FeatureRules(text: text, file: "mine.rules")
        #expect(pathFeature("/blog/12", r) == "blog")
        #expect(pathFeature("/blog/admin", r) == "admin", "longest prefix wins")
        #expect(pathFeature("/blog/admin/users?id=3", r) == "admin")
        #expect(pathFeature("/blog/administration", r) == "blog")
        #expect(pathFeature("/accueil", r) == "autre", "user rules replace the defaults")
        #expect(moduleFeature("restauration", r) == "cantine")
        #expect(moduleFeature("Blog", r) == "autre")
        #expect(pathFeature("/exact", r) == "racine")
        #expect(r.names == ["blog", "admin", "cantine", "racine", "autre"])
    }

    @Test func rootPrefixMatchesEverything() throws {
        let r = try FeatureRules(text: "tout path /\nblog path /blog\n", file: "root.rules")
        #expect(pathFeature("/anything", r) == "tout")
        #expect(pathFeature("/", r) == "tout")
        #expect(pathFeature("/blog/1", r) == "blog")
    }

    /// The text `entstat rules` prints parses to the features of SPEC §1.5, in the table's
    /// order, then `autre` (copied from the SPEC, not from the rules' code).
    @Test func defaultTextParsesToTheSpecFeatures() throws {
        let r = try FeatureRules(text: DefaultFeatureRules.text, file: "default")
        #expect(r.names == Self.specTable.map(\.feature) + ["autre"])
    }

    @Test(arguments: [
        ("blog path /blog\nbroken line\n", 2),
        ("# comment\n\nblog path /blog\nblog path\n", 4),
        ("blog path /blog\r\nx y z w\r\n", 2),
        ("blog query /blog\n", 1),
        ("\n\n\nblog path blog\n", 4),
        ("a module A\nb module B\nc path /c\nd path\n", 4),
    ])
    func syntaxErrorsNameTheLine(text: String, line: Int) {
        do {
            _ = try FeatureRules(text: text, file: "bad.rules")
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.line == line, "\(text.debugDescription)")
            #expect(error.file == "bad.rules")
            #expect(error.description.contains("bad.rules"))
            #expect(error.description.contains("\(line)"))
        }
    }

    /// A rules file with no rule would put every request in `autre`: refused. A value given
    /// to two features is warned about and the later rule wins (a file edited from
    /// `entstat rules` keeps working); one given twice to the same feature is harmless.
    @Test func emptyRulesAreRefusedAndConflictingOnesWarned() throws {
        #expect(throws: FeatureRules.SyntaxError(file: "empty", line: 2,
                                                 message: "aucune règle : toute activité irait dans « autre » ; partez de la sortie d'« entstat rules »")) {
            try FeatureRules(text: "# nothing\n", file: "empty")
        }
        let paths = try FeatureRules(text: "blog path /blog\nactualites module Actualites\nautre path /blog/\n", file: "r")
        #expect(paths.warnings == ["r: ligne 3 : « /blog/ » était déjà donné à « blog » ligne 1 ; la règle de la ligne 3 l'emporte"])
        #expect(pathFeature("/blog/1", paths) == "autre")
        let modules = try FeatureRules(text: "blog module Blog\nautre module blog\n", file: "r")
        #expect(modules.warnings.count == 1 && moduleFeature("Blog", modules) == "autre")
        let twice = try FeatureRules(text: "blog path /blog\nblog path /blog\nblog module Blog\n", file: "r")
        #expect(twice.warnings.isEmpty)
        #expect(pathFeature("/blog/1", twice) == "blog" && moduleFeature("BLOG", twice) == "blog")
        #expect(FeatureRules.standard.warnings.isEmpty)
    }

    /// A timeline entry holds a feature id in 14 bits, so a rules file names at most
    /// 16 383 features, `autre` included. Beyond that, an id of 16 384 would have been read
    /// back as feature 0 and a login, and one of 65 536 would have stopped the program.
    @Test func aRulesFileNamesAtMost16383Features() throws {
        let lines = (1...16_382).map { "f\($0) path /p\($0)" }
        // 16 382 names and `autre`, which the file need not name.
        let full = try FeatureRules(text: lines.joined(separator: "\n"), file: "r")
        #expect(full.names.count == 16_383 && full.names.last == "autre" && full.fallbackID == 16_382)
        #expect(pathFeature("/p16382/x", full) == "f16382" && pathFeature("/p16383", full) == "autre")
        // A name already given, and `autre`, take no new id.
        let again = try FeatureRules(text: (lines + ["f7 path /again", "autre module Other"]).joined(separator: "\n"), file: "r")
        #expect(again.names.count == 16_383 && pathFeature("/again", again) == "f7")
        let message = "trop de fonctionnalités : au plus 16\u{202F}383, « autre » comprise ; donnez le même nom aux chemins et modules d'une même fonctionnalité"
        #expect(throws: FeatureRules.SyntaxError(file: "r", line: 16_384, message: message)) {
            try FeatureRules(text: (lines + ["# one more", "f16383 path /p16383"]).joined(separator: "\n"), file: "r")
        }
        // Named by the file, `autre` counts where it comes: the 16 384th name is refused.
        let named = ["autre path /other"] + lines
        #expect(try FeatureRules(text: named.joined(separator: "\n"), file: "r").names.count == 16_383)
        #expect(throws: FeatureRules.SyntaxError(file: "r", line: 16_384, message: message)) {
            try FeatureRules(text: (named + ["f16383 module M"]).joined(separator: "\n"), file: "r")
        }
    }

    /// The store gives each new feature name the next id; the names of every rules file
    /// ever used add up, so a new name beyond id 16 383 is refused before any is created.
    @Test func theStoreRefusesFeatureIdsBeyondWhatATimelineEntryHolds() throws {
        let dir = try E2E.scratch()
        func open() throws -> Store {
            try Store(writingTo: dir.appendingPathComponent("s.sqlite").path,
                      secretPath: dir.appendingPathComponent("s.secret").path, lockTimeoutSeconds: 5)
        }
        let standard = try {
            let store = try open()
            let ids = try store.featureIDs(for: FeatureRules.standard)
            // As if earlier rules files had named features up to id 16 381.
            try store.db.execute("INSERT INTO feature(id, name) VALUES (16381, 'ancienne')")
            return ids
        }()
        #expect(Set(standard).count == FeatureRules.standard.names.count)
        let store2 = try open()
        // Two new names fit (16 382, 16 383), with the known ones given their ids.
        let two = try FeatureRules(text: "blog path /blog\nnouvelle path /n\nancienne path /a\ndeux path /d\n", file: "r")
        #expect(try store2.featureIDs(for: two) == [standard[FeatureRules.standard.names.firstIndex(of: "blog")!], 16_382, 16_381, 16_383, standard[Int(FeatureRules.standard.fallbackID)]])
        let count = try store2.db.scalarInt("SELECT COUNT(*) FROM feature")
        let three = try FeatureRules(text: "x path /x\ny path /y\n", file: "r")
        #expect(throws: StoreError.self) { try store2.featureIDs(for: three) }
        #expect(try store2.db.scalarInt("SELECT COUNT(*) FROM feature") == count)
        do {
            _ = try store2.featureIDs(for: three)
        } catch {
            #expect("\(error)".hasSuffix(" : le magasin connaît déjà \(Int(count!)) noms de fonctionnalité et les règles en ajoutent 2, au-delà des 16\u{202F}383 qu'il peut tenir ; donnez dans le fichier de règles des noms que le magasin connaît déjà (table feature)"))
        }
    }
}

@Suite struct TrimmingTests {
    @Test func trimmedRemovesCRLFCharacters() {
        // "\r\n" is one Character in Swift; it must be trimmed like "\n".
        #expect("  abc\r\n".trimmed() == "abc")
        #expect("\r\n\tabc \r".trimmed() == "abc")
        #expect(" \r\n ".trimmed() == "")
        // Nothing to trim (the fast path), and a space that a combining accent makes part
        // of another character, which is not a space and stays.
        #expect("a b".trimmed() == "a b")
        #expect("".trimmed() == "")
        #expect("été".trimmed() == "été")
        #expect(" \u{301}x ".trimmed() == " \u{301}x")
        #expect("a b".trimmed() == "a b")
    }
}

@Suite("Path parameters")
struct PathParameterTests {
    @Test func jsessionidIsIgnoredForFeaturesStaticAssetsAndLogins() {
        let rules = FeatureRules.standard
        func feature(_ path: String) -> String {
            var bytes = Array(path.utf8)
            return bytes.withUnsafeMutableBytes { rules.names[Int(rules.feature(forPath: UnsafeRawBufferPointer($0)))] }
        }
        func isStatic(_ path: String) -> Bool {
            var bytes = Array(path.utf8)
            return bytes.withUnsafeMutableBytes { AccessLogParser.isStaticAsset(UnsafeRawBufferPointer($0)) }
        }
        func isLogin(_ path: String) -> Bool {
            var bytes = Array(path.utf8)
            return bytes.withUnsafeMutableBytes { AccessLogParser.isLogin(UnsafeRawBufferPointer($0)) }
        }
        #expect(feature("/blog;jsessionid=ABC") == "blog")
        #expect(feature("/blog/3;jsessionid=ABC?x=1") == "blog")
        #expect(feature("/blogue;jsessionid=ABC") == "autre")
        #expect(isStatic("/app.js;jsessionid=ABC"))
        #expect(!isStatic("/app;v=.js"))
        #expect(isLogin("/login;jsessionid=ABC"))
        #expect(!isLogin("/loginx;jsessionid=ABC"))
    }
}
