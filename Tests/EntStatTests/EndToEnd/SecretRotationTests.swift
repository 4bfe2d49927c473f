import Crypto
import Foundation
import Testing
@testable import EntStat

/// `entstat rotate-secret`: past figures stay, old pseudonyms become unlinkable, and a user
/// seen again afterwards is a new identity, linked to their account with the new secret.
@Suite("Secret rotation")
struct SecretRotationTests {
    @Test func pastFiguresStayAndOldPseudonymsAreGone() throws {
        let dir = try HandComputedFiguresTests.ingested()
        let secretURL = dir.appendingPathComponent("s.secret")
        let oldSecret = try String(contentsOf: secretURL, encoding: .utf8)
        let oldKey = try Pseudonymizer(secretPath: secretURL.path)
        let oldPseudonyms = [oldKey.pseudonym(source: .events, rawID: "p1"), oldKey.pseudonym(source: .access, rawID: "L-p1"),
                             oldKey.pseudonym(source: .events, rawID: "u9")]
        let exports = [["--period", "day", "--by", "role"], ["--period", "all", "--by", "level"], ["--period", "week", "--by", "source,feature"]]
        let before = try exports.map { try E2E.export($0, in: dir) }

        let r = try E2E.run(["rotate-secret", "--db", "s.sqlite", "--accounts", "accounts.csv"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("6 identités scellées"), "\(r.stdout)")
        #expect(try exports.map { try E2E.export($0, in: dir) } == before)

        // The old secret is gone, the new one is private, no old pseudonym remains.
        #expect(try String(contentsOf: secretURL, encoding: .utf8) != oldSecret)
        let attributes = try FileManager.default.attributesOfItem(atPath: secretURL.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: secretURL.path + ".new"))
        var store = try Data(contentsOf: dir.appendingPathComponent("s.sqlite"))
        store += (try? Data(contentsOf: dir.appendingPathComponent("s.sqlite-wal"))) ?? Data()
        for pseudonym in oldPseudonyms {
            #expect(store.range(of: Data(pseudonym)) == nil)
        }
        // Every page written anew (VACUUM): no free page, where a stale copy could survive.
        let check = try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
        #expect(try check.scalarInt("PRAGMA freelist_count") == 0)

        // p1 comes back on 2018-11-05 (old ENT id): linked to the parent account again, but
        // as a new person — twice in a period that straddles the rotation.
        try E2E.write(LogLine.access(user: "L-p1", time: "05/Nov/2018:18:00:00 +0100", path: "/cantine/menu") + "\n",
                      to: dir.appendingPathComponent("later.log"))
        let later = try E2E.run(["ingest", "--db", "s.sqlite", "later.log"], in: dir)
        #expect(later.status == 0, "\(later.stderr)")
        #expect(E2E.lines(try E2E.export(["--period", "day", "--by", "role", "--from", "2018-11-05"], in: dir)).contains(
            "2018-11-05,parent,1,1,0,1,2,2,1.0000,0.5000"))
        #expect(E2E.lines(try E2E.export(["--period", "month", "--by", "role"], in: dir)).contains(
            "2018-11,parent,1,1,0,1,2,2,1.0000,0.5000"))
        // October (before the rotation) is unchanged; the whole range now has two parents,
        // and the export says why.
        let all = try E2E.run(["export", "--db", "s.sqlite", "--period", "all", "--by", "role"], in: dir)
        #expect(E2E.lines(all.stdout).contains("all,parent,2,5,1,6,2,2,1.0000,1.0000"))
        #expect(all.stderr.contains("période all à cheval sur le changement de secret de pseudonymisation"), "\(all.stderr)")
        // The periods holding the last day read before the rotation and the day after it.
        let months = try E2E.run(["export", "--db", "s.sqlite", "--period", "month"], in: dir)
        #expect(months.stderr.contains("période 2018-10 à cheval"), "\(months.stderr)")
        let november = try E2E.run(["export", "--db", "s.sqlite", "--period", "month", "--from", "2018-11-01"], in: dir)
        #expect(november.stderr.isEmpty, "\(november.stderr)")
        // A late log of the last day read before the rotation, read after it: that day and
        // its periods are flagged too.
        let quiet = try E2E.run(["export", "--db", "s.sqlite", "--period", "day", "--from", "2018-10-29", "--to", "2018-10-29"], in: dir)
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        try E2E.write(LogLine.access(user: "L-p1", time: "29/Oct/2018:18:00:00 +0100", path: "/cantine/menu") + "\n",
                      to: dir.appendingPathComponent("late.log"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "late.log"], in: dir).status == 0)
        let lateDay = try E2E.run(["export", "--db", "s.sqlite", "--period", "day", "--from", "2018-10-29", "--to", "2018-10-29"], in: dir)
        #expect(lateDay.stderr.contains("période 2018-10-29 à cheval"), "\(lateDay.stderr)")
        let report = try E2E.run(["report", "--db", "s.sqlite", "--out", "r", "--queries", ReportFixture.queriesDirectory], in: dir)
        // (Two parents: hidden cells stay deducible, so the report is written but exits 3.)
        #expect(report.status == 3, "\(report.stderr)")
        #expect(report.stderr.contains("ne publiez pas ce rapport tel quel"), "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r/rapport.html").path))
        #expect(report.stderr.contains("la période est à cheval sur le changement de secret"), "\(report.stderr)")

        // A second rotation after 2018-11-05: the periods across the first one are still
        // flagged, those across the second one too, those across neither are not.
        #expect(try E2E.run(["rotate-secret", "--db", "s.sqlite", "--accounts", "accounts.csv"], in: dir).status == 0)
        try E2E.write(LogLine.access(user: "L-p1", time: "03/Dec/2018:18:00:00 +0100", path: "/cantine/menu") + "\n",
                      to: dir.appendingPathComponent("december.log"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "december.log"], in: dir).status == 0)
        let twice = try E2E.run(["export", "--db", "s.sqlite", "--period", "month"], in: dir)
        #expect(twice.stderr.contains("périodes 2018-10, 2018-11 à cheval"), "\(twice.stderr)")
        let december = try E2E.run(["export", "--db", "s.sqlite", "--period", "month", "--from", "2018-12-01"], in: dir)
        #expect(december.stderr.isEmpty, "\(december.stderr)")
        let octoberOnly = try E2E.run(["export", "--db", "s.sqlite", "--period", "month", "--to", "2018-10-31"], in: dir)
        #expect(octoberOnly.stderr.contains("période 2018-10 à cheval"), "\(octoberOnly.stderr)")
        #expect(try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
            .scalarInt("SELECT COUNT(*) FROM secret_rotation") == 2)
    }
}

@Suite("Secret rotation, interrupted")
struct InterruptedRotationTests {
    /// What a kill right after the rotation's commit leaves: the store expects the key of
    /// s.secret.new, s.secret still holds the old one (or zeros, with `zeroed`). The next
    /// opening installs the new secret.
    private func reopenAfterAKilledRotation(zeroed: Bool) throws {
        let dir = try E2E.scratch()
        let db = dir.appendingPathComponent("s.sqlite").path
        let secret = dir.appendingPathComponent("s.secret").path
        do { _ = try Store(writingTo: db, secretPath: secret, lockTimeoutSeconds: 5) }
        let pending = try Pseudonymizer(secretPath: secret + ".new")
        do {
            let store = try Store(writingTo: db, secretPath: secret, lockTimeoutSeconds: 5)
            try store.db.statement("UPDATE meta SET value = ?1 WHERE key = 'secret_check'").run(.text(pending.checkValue))
        }
        if zeroed {
            try Data(repeating: 0, count: 65).write(to: URL(fileURLWithPath: secret))
            chmod(secret, 0o600)  // as the rotation leaves it: zeros in the owner-only file
        }
        let reopened = try Store(writingTo: db, secretPath: secret, lockTimeoutSeconds: 5)
        #expect(reopened.pseudonymizer?.checkValue == pending.checkValue)
        #expect(!FileManager.default.fileExists(atPath: secret + ".new"))
        #expect(try Pseudonymizer(secretPath: secret).checkValue == pending.checkValue)
    }

    @Test func theNextOpeningFinishesTheRename() throws {
        try reopenAfterAKilledRotation(zeroed: false)
    }

    /// A kill after the old secret was overwritten with zeros and before the rename: the
    /// zeroed secret is not refused, the new one is installed.
    @Test func theNextOpeningFinishesTheRenameAfterTheOldSecretWasZeroed() throws {
        try reopenAfterAKilledRotation(zeroed: true)
    }

    /// The directory given to the rotation is checked as an ingest's is: a file of which no
    /// row is usable (every row a column more than the header) is refused and nothing
    /// changes (no identity sealed, the same secret); a row skipped is said, as by `ingest`.
    @Test func theRotationsDirectoryIsCheckedAsAnIngestsIs() throws {
        let dir = try HandComputedFiguresTests.ingested()
        let secret = try String(contentsOf: dir.appendingPathComponent("s.secret"), encoding: .utf8)
        let before = try E2E.export(["--period", "day", "--by", "role"], in: dir)
        func sealed() throws -> Int64? {
            try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true).scalarInt("SELECT COUNT(*) FROM identity WHERE sealed = 1")
        }
        let rows = HandComputedFiguresTests.accounts.split(separator: "\n")
        try E2E.write(([rows[0]] + rows.dropFirst().map { $0 + ";x" }).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("wide.csv"))
        let refused = try E2E.run(["rotate-secret", "--db", "s.sqlite", "--accounts", "wide.csv"], in: dir)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("wide.csv: - : aucune ligne utilisable (5 avertissements)") && refused.stderr.split(separator: "\n").count == 1,
                "\(refused.stderr)")
        #expect(try sealed() == 0)
        #expect(try String(contentsOf: dir.appendingPathComponent("s.secret"), encoding: .utf8) == secret)
        #expect(try E2E.export(["--period", "day", "--by", "role"], in: dir) == before)
        // A malformed file is named with its line, not the store.
        try E2E.write("user_id;legacy_id;role;schools;code_commune;activated_on\nu1;;parent;;;\n\"u2;;parent;;;\n", to: dir.appendingPathComponent("quote.csv"))
        let quote = try E2E.run(["rotate-secret", "--db", "s.sqlite", "--accounts", "quote.csv"], in: dir)
        #expect(quote.status == 1 && quote.stderr == "entstat: quote.csv: ligne 3 : guillemet ouvert jamais refermé\n", "\(quote.stderr)")
        #expect(try sealed() == 0)
        // A repeated id: the row skipped is said, and the summary counts it.
        try E2E.write(HandComputedFiguresTests.accounts + "t1;;teacher;0800003U;;\n", to: dir.appendingPathComponent("repeat.csv"))
        let done = try E2E.run(["rotate-secret", "--db", "s.sqlite", "--accounts", "repeat.csv"], in: dir)
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stderr.contains("repeat.csv: ligne 7 : user_id déjà présent") && done.stderr.split(separator: "\n").count == 1, "\(done.stderr)")
        #expect(done.stdout.contains("5 comptes pseudonymisés avec le nouveau secret (1 avertissement, voir ci-dessus) ; l'ancien secret est effacé"),
                "\(done.stdout)")
        #expect(try sealed() == 6)
    }

    /// A command given another store's secret names that secret once, not after the
    /// store's path too.
    @Test func aWrongSecretIsNamedOnce() throws {
        let dir = try HandComputedFiguresTests.ingested()
        _ = try Pseudonymizer(secretPath: dir.appendingPathComponent("b.secret").path)
        let message = "entstat: b.secret: - : ce secret n'est pas celui qui a servi à créer s.sqlite ; indiquez le bon fichier avec --secret\n"
        for command in [["rotate-secret", "--accounts", "accounts.csv"], ["ingest"]] {
            let r = try E2E.run([command[0], "--db", "s.sqlite", "--secret", "b.secret"] + command.dropFirst(), in: dir)
            #expect(r.status == 1 && r.stderr == message, "\(command): \(r.stderr)")
        }
    }

    /// A secret file damaged (empty, or not the 64 hexadecimal digits entstat writes) is
    /// refused in one line that says what to do: restore it, never make another one (the
    /// store's pseudonyms would no longer match, and the store refuses it).
    @Test func aDamagedSecretSaysToRestoreIt() throws {
        let dir = try HandComputedFiguresTests.ingested()
        let secret = dir.appendingPathComponent("s.secret")
        let advice = " ; restaurez-le depuis une sauvegarde, ou indiquez le bon fichier avec --secret ; n'en créez pas un autre : les pseudonymes déjà enregistrés ne correspondraient plus\n"
        for (content, message) in [("0123abcd\n", "entstat: s.secret: - : fichier secret au contenu inattendu (64 chiffres hexadécimaux attendus sur la première ligne)" + advice),
                                   ("", "entstat: s.secret: - : fichier secret vide" + advice)] {
            try E2E.write(content, to: secret)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
            for command in [["ingest", "--db", "s.sqlite"], ["rotate-secret", "--db", "s.sqlite", "--accounts", "accounts.csv"]] {
                let r = try E2E.run(command, in: dir)
                #expect(r.status == 1 && r.stderr == message, "\(command): \(r.stderr)")
            }
            #expect(try String(contentsOf: secret, encoding: .utf8) == content, "left as it was")
        }
    }

    @Test func aWrongSecretIsStillRefused() throws {
        let dir = try E2E.scratch()
        let db = dir.appendingPathComponent("s.sqlite").path
        do { _ = try Store(writingTo: db, secretPath: dir.appendingPathComponent("a.secret").path, lockTimeoutSeconds: 5) }
        #expect(throws: StoreError.self) {
            _ = try Store(writingTo: db, secretPath: dir.appendingPathComponent("b.secret").path, lockTimeoutSeconds: 5)
        }
        // …and no secret is created on the way for a store that has one.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("b.secret").path))
    }

    /// The secret appears whole or not at all: written to a temporary file, then linked.
    /// A temporary file left by a killed run with the same process id is no obstacle, none
    /// is left behind, and a secret already there is never replaced.
    @Test func aNewSecretIsCreatedWhole() throws {
        let dir = try E2E.scratch("secret")
        let path = dir.appendingPathComponent("s.secret").path
        _ = FileManager.default.createFile(atPath: path + ".\(getpid()).tmp", contents: Data())
        let first = try Pseudonymizer(secretPath: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.count == 65 && text.hasSuffix("\n"))
        #expect(text.dropLast().allSatisfy { "0123456789abcdef".contains($0) })
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["s.secret"])
        // Read again, and not replaced by a second creation.
        try Pseudonymizer.createSecret(at: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        let again = try Pseudonymizer(secretPath: path)
        #expect(again.pseudonym(source: .events, rawID: "p1") == first.pseudonym(source: .events, rawID: "p1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["s.secret"])
    }

    /// A rotation whose rewrite of the store fails (a full disk: here a limit on the size
    /// of the files the run writes, half the store's) took effect all the same: the command
    /// says so, then what is left (exit 1); `status` flags the store (exit 3) until the same
    /// command, run again, rewrites it without changing the secret again. Before, it said
    /// only « erreur d'entrée-sortie … », and nothing told that the secret had changed nor
    /// that copies of the old pseudonyms might remain.
    @Test func aRotationWhoseRewriteFailsSaysItTookEffectAndTheSameCommandFinishesIt() throws {
        let dir = try E2E.scratch()
        // 30 users over 24 files: a store of several megabytes, a rotation of a few pages.
        let files = try FailureSafetyTests.manyFiles(in: dir, count: 24)
        try E2E.write("user_id;legacy_id;role;schools;code_commune;activated_on\n"
            + (0..<30).map { "u\($0);;parent;;80021;2018-09-01" }.joined(separator: "\n") + "\n", to: dir.appendingPathComponent("accounts.csv"))
        #expect(try E2E.run(["ingest", "--db", "s.sqlite", "--accounts", "accounts.csv"] + files, in: dir).status == 0)
        let exports = [["--period", "day", "--by", "role"], ["--period", "all"]]
        let before = try exports.map { try E2E.export($0, in: dir) }
        let secretURL = dir.appendingPathComponent("s.secret")
        let oldSecret = try Data(contentsOf: secretURL)
        let oldPseudonym = try Pseudonymizer(secretPath: secretURL.path).pseudonym(source: .events, rawID: "u7")
        let size = try #require(FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("s.sqlite").path)[.size] as? Int)

        let rotate = ["rotate-secret", "--db", "s.sqlite", "--accounts", "accounts.csv"]
        let full = try E2E.run(rotate, in: dir, fileSizeLimit: size / 1024)
        #expect(full.status == 1, "\(full.stderr)")
        #expect(full.stdout.hasPrefix("rotation : 30 identités scellées, 30 comptes pseudonymisés avec le nouveau secret"), "\(full.stdout)")
        let errors = full.stderr.split(separator: "\n")
        #expect(errors.count == 1 && errors[0].hasPrefix("entstat: s.sqlite: - : rotation validée et nouveau secret en place, mais réécriture du magasin impossible (")
                && errors[0].hasSuffix(") : des copies des anciens pseudonymes peuvent rester dans ses pages libres ; libérez sur son disque au moins la taille du magasin, "
                    + "puis relancez la même commande : elle réécrit le magasin sans changer de secret"), "\(full.stderr)")
        let newSecret = try Data(contentsOf: secretURL)
        #expect(newSecret != oldSecret)
        #expect(try exports.map { try E2E.export($0, in: dir) } == before)

        let flagged = try E2E.run(["status", "--db", "s.sqlite", "--quiet"], in: dir)
        #expect(flagged.status == 3, "\(flagged.stdout)")
        #expect(flagged.stdout.contains("\nrotation secret changé le 20") || flagged.stdout.hasPrefix("rotation secret changé le 20"), "\(flagged.stdout)")
        #expect(flagged.stdout.contains(", mais le magasin n'a pas été réécrit depuis : des copies des anciens pseudonymes peuvent rester dans ses pages libres ; "
            + "relancez « entstat rotate-secret --db s.sqlite --accounts … »"), "\(flagged.stdout)")
        #expect(flagged.stdout.hasSuffix("bilan : 0 lacune de couverture, 0 fichier en échec non repris, magasin à réécrire après la rotation du secret\n"), "\(flagged.stdout)")

        let again = try E2E.run(rotate, in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("réécriture : magasin réécrit, la rotation du 20")
                && again.stdout.hasSuffix(" est complète ; aucun nouveau secret, l'annuaire donné n'a pas été relu\n"), "\(again.stdout)")
        #expect(try Data(contentsOf: secretURL) == newSecret, "no second rotation")
        #expect(try E2E.run(["status", "--db", "s.sqlite", "--quiet"], in: dir).status == 0)
        #expect(try exports.map { try E2E.export($0, in: dir) } == before)
        var bytes = try Data(contentsOf: dir.appendingPathComponent("s.sqlite"))
        bytes += (try? Data(contentsOf: dir.appendingPathComponent("s.sqlite-wal"))) ?? Data()
        #expect(bytes.range(of: Data(oldPseudonym)) == nil)
        let check = try Database(path: dir.appendingPathComponent("s.sqlite").path, readOnly: true)
        #expect(try check.scalarInt("PRAGMA freelist_count") == 0)
        #expect(try check.scalarInt("SELECT COUNT(*) FROM secret_rotation") == 1)
    }
}
