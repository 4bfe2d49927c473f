import Foundation
import Testing
@testable import EntStat

/// The one-line error format (`FILE: PLACE : MESSAGE`) and the places it is given.
@Suite struct ErrorLineTests {
    @Test func aLineNamesTheFileThePlaceThenTheMessage() {
        #expect(ErrorLine.format("a.sql", "ligne 3", "x") == "a.sql: ligne 3 : x")
        #expect(ErrorLine.format("s.sqlite", "x") == "s.sqlite: - : x")
    }

    /// A store problem is said in French first, then SQLite's code and words, with no
    /// parenthesis of its own: the lines that quote it (« calcul des indicateurs interrompu
    /// (…) ») put it in theirs, and read « (disque plein ; … (SQLite 13 : …)) » before. The
    /// statement of a store problem is left out; an SQL error keeps it.
    @Test func aStoreProblemNestsNoParenthesisInTheLinesThatQuoteIt() {
        let full = DatabaseError(code: 13, message: "database or disk is full", sql: "INSERT INTO t VALUES (1)")
        #expect(full.description == "disque plein ; libérez de la place puis relancez — SQLite 13 : database or disk is full")
        for code: Int32 in [8, 10, 11, 13, 14, 26] {
            let text = DatabaseError(code: code, message: "m", sql: nil).description
            #expect(!text.contains("(") && !text.contains(")"), "\(text)")
        }
        let sql = DatabaseError(code: 1, message: "no such column: x", sql: "SELECT x\nFROM t")
        #expect(sql.description == "SQLite 1 : no such column: x — dans « SELECT x FROM t »")
    }

    /// The line of a byte, counted by hand: "ab\n" is line 1 (the newline included), "cd\n"
    /// line 2, "e" line 3.
    @Test func aByteIsPlacedOnItsLine() {
        let text = "ab\ncd\ne"
        #expect([0, 1, 2, 3, 5, 6, 7, 100].map { ErrorLine.line(ofByte: $0, in: text) }
                == ["ligne 1", "ligne 1", "ligne 1", "ligne 2", "ligne 2", "ligne 3", "ligne 3", "ligne 3"])
        // Bytes, not characters: « é » takes two.
        #expect(ErrorLine.line(ofByte: 2, in: "é\nx") == "ligne 1" && ErrorLine.line(ofByte: 3, in: "é\nx") == "ligne 2")
    }

    /// SQLite's own lines from `quick_check`: a NULL in a NOT NULL column (made by editing
    /// the schema after the row was written) is said in French; a line of another shape is
    /// quoted as SQLite wrote it.
    @Test func integrityProblemsAreSaidInFrench() throws {
        let dir = try TestSupport.makeTemporaryDirectory()
        let db = try Database(path: dir.appendingPathComponent("q.sqlite").path)
        try db.execute("""
            CREATE TABLE t(a INTEGER, b TEXT);
            INSERT INTO t VALUES (1, NULL);
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = 'CREATE TABLE t(a INTEGER, b TEXT NOT NULL)' WHERE name = 't';
            PRAGMA writable_schema = OFF;
            """)
        let reopened = try Database(path: dir.appendingPathComponent("q.sqlite").path)
        let check = try reopened.prepare("PRAGMA quick_check")
        var lines: [String] = []
        while try check.step() { lines.append(check.text(0)) }
        #expect(lines == ["NULL value in t.b"])
        #expect(lines.map(Store.frenchIntegrityProblem) == ["valeur NULL dans la colonne t.b"])
        #expect(Store.frenchIntegrityProblem("Page 7 is never used") == "page 7 jamais utilisée")
        #expect(Store.frenchIntegrityProblem("Tree 3 page 3 cell 0: Rowid 5 out of order")
                == "détail de SQLite : « Tree 3 page 3 cell 0: Rowid 5 out of order »")
    }
}
