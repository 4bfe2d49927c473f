/// Who is who: identities (one per user id per log) are grouped into persons through
/// `accounts.csv` (user_id and legacy_id of one account are one person), and each person
/// and account is placed in its role, schools, levels, communes and EPCIs (SPEC §2.1).
extension Store {
    /// Re-links every identity to the accounts of the latest `accounts.csv`, removes the
    /// derived rows of every person whose composition changed and queues their days for
    /// recomputation.
    public func relinkIdentities() throws {
        try db.execute("""
            UPDATE identity SET account = CASE source
                WHEN 'events' THEN (SELECT MIN(a.id) FROM account a WHERE a.user_pseudonym = identity.pseudonym)
                ELSE (SELECT MIN(a.id) FROM account a WHERE a.legacy_pseudonym = identity.pseudonym) END
                WHERE sealed = 0;
            CREATE TEMP TABLE IF NOT EXISTS relink(identity INTEGER PRIMARY KEY, old_person INTEGER, new_person INTEGER);
            DELETE FROM temp.relink;
            INSERT INTO temp.relink(identity, old_person, new_person)
                SELECT i.id AS identity, i.person AS old_person,
                       CASE WHEN i.sealed = 1 THEN i.person
                            WHEN i.account IS NULL THEN i.id
                            ELSE (SELECT MIN(j.id) FROM identity j WHERE j.account = i.account AND j.sealed = 0) END AS new_person
                FROM identity i;
            CREATE TEMP TABLE IF NOT EXISTS affected(person INTEGER PRIMARY KEY);
            DELETE FROM temp.affected;
            INSERT OR IGNORE INTO affected SELECT old_person FROM relink WHERE old_person != new_person;
            INSERT OR IGNORE INTO affected SELECT new_person FROM relink WHERE old_person != new_person;
            UPDATE identity SET person = (SELECT new_person FROM relink WHERE relink.identity = identity.id)
                WHERE id IN (SELECT identity FROM relink WHERE old_person != new_person);
            DELETE FROM person;
            INSERT INTO person(id, account, sealed) SELECT person, MIN(account), MAX(sealed) FROM identity GROUP BY person;
            """)
        // Every day of an affected person, before and after: its old rows go, its days are
        // queued under the new person. (relink still lists every identity's old person.)
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS stale(person INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (day, person));
            DELETE FROM temp.stale;
            INSERT OR IGNORE INTO temp.stale(person, day)
                SELECT r.old_person, t.day FROM temp.relink r JOIN timeline t ON t.identity = r.identity
                WHERE r.old_person IN (SELECT person FROM temp.affected);
            DELETE FROM person_day_activity WHERE (day, person) IN (SELECT day, person FROM temp.stale);
            DELETE FROM person_day WHERE (day, person) IN (SELECT day, person FROM temp.stale);
            DELETE FROM visit_start WHERE (day, person) IN (SELECT day, person FROM temp.stale);
            INSERT OR IGNORE INTO pending_window_day(day) SELECT DISTINCT day FROM temp.stale;
            INSERT OR IGNORE INTO pending_role_day(day) SELECT DISTINCT day FROM temp.stale;
            INSERT OR IGNORE INTO pending_person_day(person, day)
                SELECT DISTINCT r.new_person, t.day FROM temp.relink r JOIN timeline t ON t.identity = r.identity
                WHERE r.new_person IN (SELECT person FROM temp.affected);
            DELETE FROM temp.stale;
            """)
        try db.execute("DELETE FROM temp.relink; DELETE FROM temp.affected;")
    }

    /// A commune's EPCI in SQL: the one epci.csv gives, else the one of schools.csv, else ''
    /// (`epciColumn`, from the tables `epciJoins` adds as `c` and `ce`).
    static let epciColumn = "COALESCE(ce.epci, c.epci, '')"

    /// The joins behind `epciColumn`, for the commune code `commune`.
    static func epciJoins(commune: String) -> String {
        "LEFT JOIN commune c ON c.code = \(commune) LEFT JOIN commune_epci ce ON ce.code_commune = \(commune)"
    }

    /// A school's level, commune and EPCI in SQL ('' for a school missing from the
    /// directory), from the school joined as `sc` and `epciJoins(commune: "sc.code_commune")`.
    static let schoolPlaceColumns = "COALESCE(sc.level, ''), COALESCE(sc.code_commune, ''), \(epciColumn)"

    /// Rebuilds where every account belongs (after a reference file changed): a commune's
    /// agent in the commune, any other account in each of its schools, or nowhere ('').
    /// Each school's place is worked out once (`temp.school_place`), and the accounts are
    /// read once in id order, each with its schools: a national directory's ten million
    /// accounts then cost one lookup per school instead of four.
    public func rebuildAccountPlaces() throws {
        try db.execute("""
            DELETE FROM account_place;
            CREATE TEMP TABLE IF NOT EXISTS school_place(
                uai TEXT PRIMARY KEY, level TEXT NOT NULL, code_commune TEXT NOT NULL, epci TEXT NOT NULL) WITHOUT ROWID;
            DELETE FROM temp.school_place;
            INSERT INTO temp.school_place(uai, level, code_commune, epci)
                SELECT sc.uai, \(Store.schoolPlaceColumns) FROM school sc \(Store.epciJoins(commune: "sc.code_commune"));
            INSERT INTO account_place(account, role, uai, level, code_commune, epci, activated_day)
                SELECT a.id, a.role, '', '', a.code_commune, \(Store.epciColumn), a.activated_day
                FROM account a
                \(Store.epciJoins(commune: "a.code_commune"))
                WHERE a.role = 'commune'
                UNION ALL
                SELECT a.id, a.role, COALESCE(s.uai, ''), COALESCE(sp.level, ''), COALESCE(sp.code_commune, ''),
                       COALESCE(sp.epci, ''), a.activated_day
                FROM account a
                LEFT JOIN account_school s ON s.account = a.id
                LEFT JOIN temp.school_place sp ON sp.uai = s.uai
                WHERE a.role != 'commune';
            DROP TABLE temp.school_place;
            """)
    }

    /// Rebuilds where persons belong: all of them, or those listed in `temp.dirty_person`.
    public func rebuildPersonPlaces(onlyDirty: Bool) throws {
        let filter = (onlyDirty ? "AND p.id IN (SELECT person FROM temp.dirty_person)" : "") + " AND p.sealed = 0"
        if onlyDirty {
            try db.execute("""
                DELETE FROM person_place WHERE person IN
                    (SELECT d.person FROM temp.dirty_person d CROSS JOIN person p ON p.id = d.person WHERE p.sealed = 0)
                """)
        } else {
            try db.execute("DELETE FROM person_place WHERE person NOT IN (SELECT id FROM person WHERE sealed = 1)")
        }
        try db.execute("""
            INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci)
                SELECT p.id, 1, ap.role, ap.uai, ap.level, ap.code_commune, ap.epci
                FROM person p JOIN account_place ap ON ap.account = p.account
                WHERE 1 \(filter);
            INSERT INTO person_place(person, listed, role, uai, level, code_commune, epci)
                WITH unlisted AS (
                    SELECT p.id AS person,
                           COALESCE((SELECT MIN(r.role) FROM identity i JOIN identity_role r ON r.identity = i.id
                                     WHERE i.person = p.id), 'unknown') AS role
                    FROM person p WHERE p.account IS NULL \(filter)
                ),
                schools AS (
                    SELECT DISTINCT i.person, s.uai FROM identity i JOIN identity_school s ON s.identity = i.id
                    WHERE i.person IN (SELECT person FROM unlisted)
                )
                SELECT u.person, 0, u.role, s.uai, \(Store.schoolPlaceColumns)
                FROM unlisted u JOIN schools s ON s.person = u.person
                LEFT JOIN school sc ON sc.uai = s.uai
                \(Store.epciJoins(commune: "sc.code_commune"))
                UNION ALL
                SELECT u.person, 0, u.role, '', '', '', '' FROM unlisted u
                WHERE NOT EXISTS (SELECT 1 FROM schools s WHERE s.person = u.person);
            """)
    }
}
