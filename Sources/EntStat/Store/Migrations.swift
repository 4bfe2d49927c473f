/// The store's schema, as numbered migrations applied in order and recorded in
/// `PRAGMA user_version`. A released migration is never edited: changes come as new ones.
///
/// `Queries/README.md` documents every table for query writers.
public enum Migrations {
    /// One schema step.
    public struct Migration: Sendable {
        /// The `user_version` the store has once this step is applied.
        public let version: Int
        /// What the step changes, in French (shown while a store is migrated).
        public let name: String
        /// Makes the step's changes on the database (`migrate` runs it in a transaction).
        public let apply: @Sendable (Database) throws -> Void
    }

    /// Every migration, by increasing version.
    public static let all: [Migration] = [
        Migration(version: 1, name: "schéma initial", apply: { db in
            try db.execute(v1)
            try fillCalendar(db, from: CivilDate(year: 2000, month: 1, day: 1), to: CivilDate(year: 2045, month: 12, day: 31))
        }),
        Migration(version: 2, name: "exploitation nocturne et conservation", apply: { db in
            try db.execute(v2)
        }),
        Migration(version: 3, name: "rotation du secret", apply: { db in
            try db.execute(v3)
        }),
        Migration(version: 4, name: "faits rangés par jour", apply: { db in
            try db.execute(v4)
        }),
        Migration(version: 5, name: "cumuls par période", apply: { db in
            try db.execute(v5)
        }),
        Migration(version: 6, name: "cumuls par ajout", apply: { db in
            try db.execute(v6)
        }),
        Migration(version: 7, name: "index des requêtes du rapport", apply: { db in
            try db.execute(v7)
        }),
        Migration(version: 8, name: "totaux par jour et par rôle", apply: { db in
            try db.execute(v8)
        }),
        Migration(version: 9, name: "totaux par période et par rôle", apply: { db in
            try db.execute(v9)
        }),
        Migration(version: 10, name: "totaux par période, rôle et niveau", apply: { db in
            try db.execute(v10)
        }),
        Migration(version: 11, name: "totaux par jour, commune et EPCI", apply: { db in
            try db.execute(v11)
        }),
        Migration(version: 12, name: "index des lignes par service", apply: { db in
            try db.execute(v12)
        }),
        Migration(version: 13, name: "cumuls empaquetés par personne", apply: { db in
            try db.execute(v13)
        }),
        Migration(version: 14, name: "lignes du jour empaquetées par personne", apply: { db in
            try db.execute(v14)
        }),
        Migration(version: 15, name: "détail d'une seule source", apply: { db in
            try db.execute(v15)
        }),
        Migration(version: 16, name: "extraits de lignes rejetées masqués à nouveau", apply: { db in
            try remaskRejectSamples(db)
        }),
        Migration(version: 17, name: "échecs oubliés", apply: { db in
            try db.execute(v17)
        }),
        Migration(version: 18, name: "historique des changements de secret", apply: { db in
            try db.execute(v18)
        }),
        Migration(version: 19, name: "début du contenu des journaux", apply: { db in
            try db.execute(v19)
        }),
    ]

    /// Version 19: the ledger keeps the SHA-256 of each log's head (`LogContentHead`), so
    /// that a log read while it was still being written is found again when its complete
    /// copy comes under another name or compressed (`EarlierCopyFinder`): only what follows
    /// it is then read. Files ingested before have none, and are found by their name only.
    static let v19 = """
    ALTER TABLE ingested_file ADD COLUMN head_sha256 BLOB;
    CREATE INDEX ingested_file_head ON ingested_file(head_sha256) WHERE head_sha256 IS NOT NULL;
    """

    /// Version 18: every secret rotation is remembered, not only the last one, so a period
    /// across an earlier rotation is still flagged (`Store.periodsAcrossRotation`). The
    /// last rotation's two `meta` keys become its row.
    static let v18 = """
    CREATE TABLE secret_rotation (
        id                INTEGER PRIMARY KEY,
        rotated_after_day INTEGER NOT NULL,   -- the last day read with the previous secret
        late_from         INTEGER,            -- the earliest day up to it of a log read after it
        rotated_at        TEXT                -- UTC, NULL for the rotation migrated from meta
    );
    INSERT INTO secret_rotation(rotated_after_day, late_from)
        SELECT CAST(value AS INTEGER), (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'rotation_late_from')
        FROM meta WHERE key = 'rotated_after_day';
    DELETE FROM meta WHERE key IN ('rotated_after_day', 'rotation_late_from');
    """

    /// Version 17: a failed log that can never be repaired (lost on its server) can be
    /// forgotten (`entstat ingest --forget-failure NAME`): `status` stops reporting it, the
    /// report's list of failed files keeps it.
    static let v17 = """
    ALTER TABLE failed_file ADD COLUMN forgotten_at TEXT;
    """

    /// Version 16: the excerpts of rejected lines stored by earlier builds, masked again by
    /// the current `RejectExcerpt` (earlier builds kept the values of unknown keys, of keys
    /// spelt with escapes such as `"user\u0049d"`, and query strings). An excerpt is at most
    /// 200 bytes, already masked once: masking it again only hides more.
    static func remaskRejectSamples(_ db: Database) throws {
        let read = try db.prepare("SELECT file, line, excerpt FROM reject_sample")
        var rows: [(file: Int64, line: Int64, excerpt: String)] = []
        while try read.step() { rows.append((read.int64(0), read.int64(1), read.text(2))) }
        let update = try db.prepare("UPDATE reject_sample SET excerpt = ?3 WHERE file = ?1 AND line = ?2")
        for row in rows {
            let masked = Array(row.excerpt.utf8).withUnsafeBytes { RejectExcerpt.make($0) }
            guard masked != row.excerpt else { continue }
            try update.run(.int(Int(row.file)), .int(Int(row.line)), .text(masked))
        }
    }

    /// The schema version this build writes.
    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// Applies every migration newer than the database's version, up to `target` (the
    /// latest by default; tests build older stores with a lower one), each in a transaction.
    /// `before` is called with each migration about to be applied.
    public static func migrate(_ db: Database, upTo target: Int = latestVersion,
                               before: (Migration) -> Void = { _ in }) throws {
        let current = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
        guard current <= latestVersion else {
            throw StoreError.newerSchema(path: db.path, found: current, supported: latestVersion)
        }
        for migration in all where migration.version > current && migration.version <= target {
            before(migration)
            try db.transaction {
                try migration.apply(db)
                try db.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }

    static func fillCalendar(_ db: Database, from: CivilDate, to: CivilDate) throws {
        let insert = try db.statement("INSERT OR IGNORE INTO calendar(day, date, iso_week, month, school_year, weekday) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        for day in from.dayNumber...to.dayNumber {
            let date = CivilDate(dayNumber: day)
            try insert.run(.int(day), .text(date.description), .text(date.isoWeekLabel), .text(date.monthLabel),
                           .text(date.schoolYearLabel), .int(date.isoWeekday))
        }
    }

    static let v1 = """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- One row per local calendar day (Europe/Paris), with the label of every period kind.
    CREATE TABLE calendar (
        day         INTEGER PRIMARY KEY,   -- days since 1970-01-01
        date        TEXT NOT NULL UNIQUE,  -- 2018-10-28
        iso_week    TEXT NOT NULL,         -- 2018-W43
        month       TEXT NOT NULL,         -- 2018-10
        school_year TEXT NOT NULL,         -- 2018-2019
        weekday     INTEGER NOT NULL       -- 1 = lundi … 7 = dimanche
    );

    -- The ledger: every log file whose content was ingested. content_sha256 hashes the
    -- decompressed text (x.log and x.log.gz are the same content); raw_sha256 the bytes as
    -- stored, to skip a repeat without decompressing it.
    CREATE TABLE ingested_file (
        id             INTEGER PRIMARY KEY,
        content_sha256 BLOB NOT NULL UNIQUE,
        raw_sha256     BLOB NOT NULL,
        name           TEXT NOT NULL,
        size_bytes     INTEGER NOT NULL,
        mtime          INTEGER,
        source         TEXT NOT NULL,      -- access | events | none (no well-formed record)
        lines          INTEGER NOT NULL,   -- non-blank lines
        qualifying     INTEGER NOT NULL,
        filtered       INTEGER NOT NULL,
        rejected       INTEGER NOT NULL,
        decoded_bytes  INTEGER NOT NULL,
        first_day      INTEGER,
        last_day       INTEGER,
        ingested_at    TEXT NOT NULL
    );
    CREATE INDEX ingested_file_raw ON ingested_file(raw_sha256);
    CREATE INDEX ingested_file_name ON ingested_file(name, size_bytes, mtime);

    -- A sample of rejected lines (first 200 bytes, user ids and IP addresses masked).
    CREATE TABLE reject_sample (
        file    INTEGER NOT NULL,
        line    INTEGER NOT NULL,
        reason  TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        PRIMARY KEY (file, line)
    ) WITHOUT ROWID;

    -- Files that could not be ingested, for the report's methodology section.
    CREATE TABLE failed_file (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL,
        reason         TEXT NOT NULL,
        failed_at      TEXT NOT NULL
    );

    -- Feature names (ids are stable across runs; rules files map to names).
    CREATE TABLE feature (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );

    -- One row per user id seen in a log, under its pseudonym:
    -- HMAC-SHA-256(secret, source || 0x00 || raw id). Never the raw id.
    CREATE TABLE identity (
        id        INTEGER PRIMARY KEY,
        pseudonym BLOB NOT NULL UNIQUE,
        source    TEXT NOT NULL,            -- access (legacy id) | events (new ENT user id)
        account   INTEGER,                  -- account.id it matches, NULL when absent from accounts.csv
        person    INTEGER NOT NULL          -- person.id: both logs of one account share a person
    );
    CREATE INDEX identity_person ON identity(person);
    CREATE INDEX identity_account ON identity(account);

    -- Roles (normalised profil) and schools (structures) that the logs gave an identity.
    CREATE TABLE identity_role (
        identity INTEGER NOT NULL,
        role     TEXT NOT NULL,
        PRIMARY KEY (identity, role)
    ) WITHOUT ROWID;
    CREATE TABLE identity_school (
        identity INTEGER NOT NULL,
        uai      TEXT NOT NULL,
        PRIMARY KEY (identity, uai)
    ) WITHOUT ROWID;

    -- The facts: every qualifying record, as the multiset of (second, source, feature,
    -- login) of an identity on a local day, with counts (see TimelineEntry).
    CREATE TABLE timeline (
        identity INTEGER NOT NULL,
        day      INTEGER NOT NULL,
        entries  BLOB NOT NULL,
        PRIMARY KEY (identity, day)
    ) WITHOUT ROWID;

    -- Reference data (replaced on each load).
    CREATE TABLE school (
        uai          TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        level        TEXT NOT NULL,         -- maternelle | elementaire | primaire
        code_commune TEXT NOT NULL,
        uai_valid    INTEGER NOT NULL       -- 0 when the check letter is wrong
    );
    CREATE TABLE commune (
        code TEXT PRIMARY KEY,              -- INSEE code
        name TEXT NOT NULL,
        epci TEXT NOT NULL
    );
    -- The EPCI of each commune as given by epci.csv; it wins over schools.csv's column.
    CREATE TABLE commune_epci (
        code_commune TEXT PRIMARY KEY,
        epci         TEXT NOT NULL
    );
    CREATE TABLE account (
        id               INTEGER PRIMARY KEY,
        user_pseudonym   BLOB,              -- pseudonym of user_id (source events)
        legacy_pseudonym BLOB,              -- pseudonym of legacy_id (source access)
        role             TEXT NOT NULL,
        code_commune     TEXT NOT NULL,     -- commune agents only
        activated_day    INTEGER            -- NULL when never activated
    );
    CREATE INDEX account_user ON account(user_pseudonym);
    CREATE INDEX account_legacy ON account(legacy_pseudonym);
    CREATE TABLE account_school (
        account INTEGER NOT NULL,
        uai     TEXT NOT NULL,
        PRIMARY KEY (account, uai)
    ) WITHOUT ROWID;
    CREATE TABLE reference_load (
        kind           TEXT PRIMARY KEY,    -- schools | epci | accounts
        name           TEXT NOT NULL,
        content_sha256 BLOB NOT NULL,
        rows           INTEGER NOT NULL,
        warnings       INTEGER NOT NULL,
        loaded_at      TEXT NOT NULL
    );

    -- Derived: persons, and where each person and account belongs (one row per school,
    -- '' for a dimension without value). Rebuilt from the tables above.
    CREATE TABLE person (
        id      INTEGER PRIMARY KEY,
        account INTEGER                     -- NULL: not listed in accounts.csv
    );
    CREATE TABLE person_place (
        person       INTEGER NOT NULL,
        listed       INTEGER NOT NULL,      -- 1 when the person has an account
        role         TEXT NOT NULL,
        uai          TEXT NOT NULL,
        level        TEXT NOT NULL,
        code_commune TEXT NOT NULL,
        epci         TEXT NOT NULL
    );
    CREATE INDEX person_place_person ON person_place(person);
    CREATE TABLE account_place (
        account       INTEGER NOT NULL,
        role          TEXT NOT NULL,
        uai           TEXT NOT NULL,
        level         TEXT NOT NULL,
        code_commune  TEXT NOT NULL,
        epci          TEXT NOT NULL,
        activated_day INTEGER
    );
    CREATE INDEX account_place_account ON account_place(account);

    -- Derived: per person and local day, requests, logins and visits, for every source
    -- and feature and for '*' (all sources / all features). A visit touching several
    -- features counts once in each and once in '*'.
    CREATE TABLE activity (
        day      INTEGER NOT NULL,
        person   INTEGER NOT NULL,
        source   TEXT NOT NULL,             -- access | events | *
        feature  TEXT NOT NULL,             -- feature name | *
        requests INTEGER NOT NULL,
        logins   INTEGER NOT NULL,
        visits   INTEGER NOT NULL,
        PRIMARY KEY (day, person, source, feature)
    ) WITHOUT ROWID;
    -- The all-sources, all-features rows alone, for the common exports without source or
    -- feature: a scan of this index reads a tenth of the table.
    CREATE INDEX activity_total ON activity(day, person, requests, logins, visits)
        WHERE source = '*' AND feature = '*';

    -- Derived: the 5-minute windows (real time since local midnight) a person was active in.
    CREATE TABLE person_day (
        person  INTEGER NOT NULL,
        day     INTEGER NOT NULL,
        windows BLOB NOT NULL,              -- bitmap, bit w = window w (up to 300 on a 25-hour day)
        PRIMARY KEY (day, person)
    ) WITHOUT ROWID;

    -- Derived: visits by the local clock hour they started in.
    CREATE TABLE visit_start (
        day    INTEGER NOT NULL,
        person INTEGER NOT NULL,
        hour   INTEGER NOT NULL,            -- 0–23, local wall clock
        visits INTEGER NOT NULL,
        PRIMARY KEY (day, person, hour)
    ) WITHOUT ROWID;

    -- Work queue of the derived tables: (person, day) pairs whose timelines changed, and
    -- days whose concurrency windows must be recounted. Filled in the transaction that
    -- changes the facts, emptied by the end of every ingest run (see Store+Derived).
    CREATE TABLE pending_person_day (
        person INTEGER NOT NULL,
        day    INTEGER NOT NULL,
        PRIMARY KEY (day, person)
    ) WITHOUT ROWID;
    CREATE TABLE pending_window_day (
        day INTEGER PRIMARY KEY
    );

    -- Derived: distinct persons per 5-minute window of each day (peak concurrent users).
    CREATE TABLE day_window (
        day    INTEGER NOT NULL,
        window INTEGER NOT NULL,            -- 0 = 00:00–00:04:59 local
        users  INTEGER NOT NULL,
        PRIMARY KEY (day, window)
    ) WITHOUT ROWID;
    """

    /// Nightly operation and retention: the run history, and the figures frozen by
    /// `entstat purge` before per-user rows are deleted.
    static let v2 = """
    -- One row per `entstat ingest` run that read logs (for `entstat status`).
    CREATE TABLE ingest_run (
        id            INTEGER PRIMARY KEY,
        started_at    TEXT NOT NULL,       -- UTC, 2018-11-12T02:30:00Z
        finished_at   TEXT NOT NULL,
        seconds       REAL NOT NULL,
        files_new     INTEGER NOT NULL,
        files_skipped INTEGER NOT NULL,
        files_failed  INTEGER NOT NULL,
        lines         INTEGER NOT NULL,
        qualifying    INTEGER NOT NULL,
        exit_status   INTEGER NOT NULL     -- 0 or 2 (SPEC §3)
    );

    -- The figures of `entstat export` (activity part) of every closed period that lay wholly
    -- before a purge limit, for every period kind and every set of dimensions. dimensions is
    -- the set in canonical order (role,level,school,commune,epci,feature,source); groups are
    -- the values in that order, separated by U+001F.
    CREATE TABLE frozen_figure (
        period_kind     TEXT NOT NULL,     -- day | week | month | school-year
        period          TEXT NOT NULL,     -- label, as in export
        dimensions      TEXT NOT NULL,
        groups          TEXT NOT NULL,
        active_users    INTEGER NOT NULL,
        connections     INTEGER NOT NULL,
        logins          INTEGER NOT NULL,
        requests        INTEGER NOT NULL,
        listed_active   INTEGER NOT NULL,  -- active users listed in accounts.csv
        PRIMARY KEY (period_kind, dimensions, period, groups)
    ) WITHOUT ROWID;

    -- The periods frozen, with their first and last day (a period is frozen for every
    -- dimension set at once).
    CREATE TABLE frozen_period (
        period_kind TEXT NOT NULL,
        period      TEXT NOT NULL,
        first_day   INTEGER NOT NULL,
        last_day    INTEGER NOT NULL,
        frozen_at   TEXT NOT NULL,
        PRIMARY KEY (period_kind, period)
    ) WITHOUT ROWID;

    -- The tables of `entstat report` for every whole month and school year before a purge
    -- limit, per territory (scope: '' = everything, 'commune:80021', 'epci:<name>').
    -- Cells are encoded by FrozenTable.
    CREATE TABLE frozen_report_table (
        scope    TEXT NOT NULL,
        from_day INTEGER NOT NULL,
        to_day   INTEGER NOT NULL,
        query    TEXT NOT NULL,
        columns  TEXT NOT NULL,
        cells    BLOB NOT NULL,
        PRIMARY KEY (scope, from_day, to_day, query)
    ) WITHOUT ROWID;

    -- One row per purge: per-user rows of days before limit_day were deleted.
    CREATE TABLE purge_run (
        id           INTEGER PRIMARY KEY,
        purged_at    TEXT NOT NULL,
        limit_day    INTEGER NOT NULL,
        keep_months  INTEGER,
        rows_deleted INTEGER NOT NULL,
        frozen_rows  INTEGER NOT NULL
    );
    """

    /// Secret rotation (`entstat rotate-secret`): identities and persons sealed by a rotation
    /// keep their person, account link and places forever; their pseudonyms were replaced by
    /// random bytes, so nobody can link them to a user id again.
    static let v3 = """
    ALTER TABLE identity ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE person ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
    """

    /// Timelines keyed by (day, identity) instead of (identity, day): a log file covers one
    /// day (or an hour), so its transaction now writes one contiguous run of the table
    /// instead of pages scattered over every identity, and the retention limit deletes a
    /// range. Measured on two months of the simulated Somme: 20 % less CPU, a third of the
    /// system time.
    static let v4 = """
    CREATE TABLE timeline_by_day (
        day      INTEGER NOT NULL,
        identity INTEGER NOT NULL,
        entries  BLOB NOT NULL,
        PRIMARY KEY (day, identity)
    ) WITHOUT ROWID;
    INSERT INTO timeline_by_day(day, identity, entries)
        SELECT day, identity, entries FROM timeline ORDER BY day, identity;
    DROP TABLE timeline;
    ALTER TABLE timeline_by_day RENAME TO timeline;
    """

    /// Per-person rollups of `activity` over whole ISO weeks, months and school years, so
    /// that exports and reports over long ranges read one row per person and period instead
    /// of one per person and day. Kept up to date at the end of every ingest run (see
    /// Store+Rollups); the (day, person) pairs whose derived rows changed are queued by
    /// triggers on `person_day`, which every recomputation, relink and purge touches.
    static let v5 = """
    -- Every week, month and school year of the calendar, with its first and last day.
    CREATE TABLE period (
        kind      TEXT NOT NULL,           -- week | month | school-year
        first_day INTEGER NOT NULL,
        last_day  INTEGER NOT NULL,
        label     TEXT NOT NULL,           -- 2018-W44 | 2018-11 | 2018-2019
        PRIMARY KEY (kind, first_day)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX period_label ON period(kind, label);
    INSERT INTO period(kind, first_day, last_day, label)
        SELECT 'week', MIN(day), MAX(day), iso_week FROM calendar GROUP BY iso_week
        UNION ALL SELECT 'month', MIN(day), MAX(day), month FROM calendar GROUP BY month
        UNION ALL SELECT 'school-year', MIN(day), MAX(day), school_year FROM calendar GROUP BY school_year;

    -- Derived: the activity rows of a person summed over a whole period. days = the days of
    -- the period that have the (source, feature) row.
    CREATE TABLE activity_period (
        kind      TEXT NOT NULL,           -- week | month | school-year
        first_day INTEGER NOT NULL,        -- period.first_day
        person    INTEGER NOT NULL,
        source    TEXT NOT NULL,           -- access | events | *
        feature   TEXT NOT NULL,           -- feature name | *
        days      INTEGER NOT NULL,
        requests  INTEGER NOT NULL,
        logins    INTEGER NOT NULL,
        visits    INTEGER NOT NULL,
        PRIMARY KEY (kind, first_day, person, source, feature)
    ) WITHOUT ROWID;
    CREATE INDEX activity_period_total ON activity_period(kind, first_day, person, requests, logins, visits, days)
        WHERE source = '*' AND feature = '*';

    -- Work queue of the rollups: (day, person) pairs whose derived rows changed since the
    -- rollups were last brought up to date. Readers use the rollups only when it is empty.
    CREATE TABLE pending_period_person (
        day    INTEGER NOT NULL,
        person INTEGER NOT NULL,
        PRIMARY KEY (day, person)
    ) WITHOUT ROWID;
    CREATE TRIGGER person_day_inserted_period AFTER INSERT ON person_day BEGIN
        INSERT OR IGNORE INTO pending_period_person(day, person) VALUES (new.day, new.person);
    END;
    CREATE TRIGGER person_day_deleted_period AFTER DELETE ON person_day BEGIN
        INSERT OR IGNORE INTO pending_period_person(day, person) VALUES (old.day, old.person);
    END;
    CREATE TRIGGER person_day_updated_period AFTER UPDATE ON person_day BEGIN
        INSERT OR IGNORE INTO pending_period_person(day, person) VALUES (old.day, old.person);
        INSERT OR IGNORE INTO pending_period_person(day, person) VALUES (new.day, new.person);
    END;
    -- A store that had derived rows before this migration: everything is to be rolled up.
    INSERT INTO pending_period_person(day, person) SELECT day, person FROM person_day;
    """

    /// Rollups brought up to date by addition: the queue tells a (day, person) that is new
    /// to the rollups (its day rows can simply be added to them) from one whose earlier rows
    /// are in them (`removed`: its periods are recomputed for that person, as before), and
    /// `pending_period_done` records each period already brought up to date by the current
    /// run, so that a run killed half-way never adds the same day twice.
    static let v6 = """
    ALTER TABLE pending_period_person ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
    DROP TRIGGER person_day_deleted_period;
    DROP TRIGGER person_day_updated_period;
    CREATE TRIGGER person_day_deleted_period AFTER DELETE ON person_day BEGIN
        INSERT INTO pending_period_person(day, person, removed) VALUES (old.day, old.person, 1)
            ON CONFLICT(day, person) DO UPDATE SET removed = 1;
    END;
    CREATE TRIGGER person_day_updated_period AFTER UPDATE ON person_day BEGIN
        INSERT INTO pending_period_person(day, person, removed) VALUES (old.day, old.person, 1)
            ON CONFLICT(day, person) DO UPDATE SET removed = 1;
        INSERT OR IGNORE INTO pending_period_person(day, person) VALUES (new.day, new.person);
    END;
    -- Pairs queued before this migration may already be in the rollups: recompute them.
    UPDATE pending_period_person SET removed = 1;

    -- The periods (kind, first_day) that the current run has brought up to date; emptied
    -- with the queue.
    CREATE TABLE pending_period_done (
        kind      TEXT NOT NULL,
        first_day INTEGER NOT NULL,
        PRIMARY KEY (kind, first_day)
    ) WITHOUT ROWID;
    """

    /// Two read-side indexes for the report's queries (Queries/*.sql), kept current by SQLite
    /// itself (no ingest code): without them, `heures_chargees` and `rythmes_semaine_heure`
    /// sort every `visit_start` row of the period by hour, and `migration_hebdo` reads every
    /// feature row of `activity_period` to find who used which log each week.
    static let v7 = """
    -- visit_start in (day, hour) order: visits per (day, hour) are summed in key order.
    CREATE INDEX visit_start_hour ON visit_start(day, hour, person, visits);
    -- One entry per person, period and log (access, events), for the rows of all features.
    CREATE INDEX activity_period_source ON activity_period(kind, first_day, person, source)
        WHERE feature = '*' AND source != '*';
    """

    /// Totals of the whole territory per day and role (`Store+RoleDays`), so that the
    /// report's day-level queries and the day-level exports without a place grouping read
    /// a few rows per day instead of looking up the role of every `visit_start` and
    /// `activity` row. They are
    /// derived like `day_window`: recomputed for the queued days at the end of every run.
    /// The next ingest fills them for every day already in the store.
    static let v8 = """
    -- Each person's roles in the territory (the distinct roles of person_place); first_role
    -- marks one of them (the smallest), under which the '*' totals count the person.
    CREATE TABLE person_role (
        person     INTEGER NOT NULL,
        role       TEXT NOT NULL,
        first_role INTEGER NOT NULL,        -- 1 for one role of each person
        listed     INTEGER NOT NULL,        -- 1 when the person is in accounts.csv
        PRIMARY KEY (person, role)
    ) WITHOUT ROWID;

    -- Visits per day, local start hour and role; role '*': every person once.
    CREATE TABLE visit_hour_role (
        day    INTEGER NOT NULL,
        role   TEXT NOT NULL,
        hour   INTEGER NOT NULL,            -- 0–23, local wall clock
        visits INTEGER NOT NULL,
        PRIMARY KEY (day, role, hour)
    ) WITHOUT ROWID;

    -- activity summed per day and role, for each (source, feature) of its rows: active
    -- persons (listed: those in accounts.csv), visits, logins, requests; role '*': every
    -- person once.
    CREATE TABLE activity_day_role (
        day          INTEGER NOT NULL,
        role         TEXT NOT NULL,
        source       TEXT NOT NULL,         -- access | events | *
        feature      TEXT NOT NULL,         -- feature name | *
        users        INTEGER NOT NULL,
        listed_users INTEGER NOT NULL,
        visits       INTEGER NOT NULL,
        logins       INTEGER NOT NULL,
        requests     INTEGER NOT NULL,
        PRIMARY KEY (day, role, source, feature)
    ) WITHOUT ROWID;

    -- Work queue: days whose derived rows changed, persons whose places changed (their
    -- roles are compared with person_role). Emptied at the end of every run.
    CREATE TABLE pending_role_day (
        day INTEGER PRIMARY KEY
    );
    CREATE TABLE pending_role_person (
        person INTEGER PRIMARY KEY
    );
    CREATE TRIGGER person_place_inserted_role AFTER INSERT ON person_place BEGIN
        INSERT OR IGNORE INTO pending_role_person(person) VALUES (new.person);
    END;
    CREATE TRIGGER person_place_deleted_role AFTER DELETE ON person_place BEGIN
        INSERT OR IGNORE INTO pending_role_person(person) VALUES (old.person);
    END;
    CREATE TRIGGER person_place_updated_role AFTER UPDATE ON person_place BEGIN
        INSERT OR IGNORE INTO pending_role_person(person) VALUES (old.person);
        INSERT OR IGNORE INTO pending_role_person(person) VALUES (new.person);
    END;

    -- An existing store: every person and every day, computed by the next run.
    INSERT OR IGNORE INTO pending_role_person(person) SELECT person FROM person_place;
    INSERT OR IGNORE INTO pending_role_day(day) SELECT DISTINCT day FROM person_day;
    """

    /// Totals of the whole territory per rollup period and role (`Store+RolePeriods`), so
    /// that the report's period queries and the period exports without a place grouping
    /// read a few rows per period instead of counting the persons of millions of rollup
    /// rows. Kept up to date by the rollups' own code, change by change; the next ingest
    /// computes them for every period already in the store.
    static let v9 = """
    -- activity_period summed per period and role, for each (source, feature) of its rows:
    -- persons with a row (listed: those in accounts.csv), visits, logins, requests; role
    -- '*': every person once. Roles as in person_role.
    CREATE TABLE activity_period_role (
        kind         TEXT NOT NULL,         -- week | month | school-year
        first_day    INTEGER NOT NULL,      -- period.first_day
        role         TEXT NOT NULL,
        source       TEXT NOT NULL,         -- access | events | *
        feature      TEXT NOT NULL,         -- feature name | *
        users        INTEGER NOT NULL,
        listed_users INTEGER NOT NULL,
        visits       INTEGER NOT NULL,
        logins       INTEGER NOT NULL,
        requests     INTEGER NOT NULL,
        PRIMARY KEY (kind, first_day, role, source, feature)
    ) WITHOUT ROWID;

    -- Work queue: periods whose totals are recomputed from all their rollup rows (a period
    -- rebuilt in one pass, a new directory). Emptied at the end of every run.
    CREATE TABLE pending_role_period (
        kind      TEXT NOT NULL,
        first_day INTEGER NOT NULL,
        PRIMARY KEY (kind, first_day)
    ) WITHOUT ROWID;

    -- An existing store: every period with rollups, computed by the next run.
    INSERT INTO pending_role_period(kind, first_day)
        SELECT p.kind, p.first_day FROM period p
        WHERE EXISTS (SELECT 1 FROM activity_period ap WHERE ap.kind = p.kind AND ap.first_day = p.first_day);
    """

    /// Totals of the whole territory per rollup period, role and school level
    /// (`Store+RolePeriods`), for the report's tables by level (parents month by month,
    /// adoption by role and level): a few rows per period instead of every person's rollup
    /// row joined with their places. Kept with the totals per role, by the same code; the
    /// next ingest computes them for every period already in the store.
    static let v10 = """
    -- The (role, level) pairs each person's totals by level were computed with (as
    -- person_role for roles): the pairs of person_place, compared with it to find persons
    -- whose levels changed.
    CREATE TABLE person_level (
        person INTEGER NOT NULL,
        role   TEXT NOT NULL,
        level  TEXT NOT NULL,               -- maternelle | elementaire | primaire | '' (no school)
        PRIMARY KEY (person, role, level)
    ) WITHOUT ROWID;

    -- The persons with a total row (source = '*', feature = '*') in activity_period,
    -- counted per period and (role, level) pair of person_level: a person of two levels
    -- counts in each. Totals over levels are in activity_period_role.
    CREATE TABLE activity_period_level (
        kind         TEXT NOT NULL,         -- week | month | school-year
        first_day    INTEGER NOT NULL,      -- period.first_day
        role         TEXT NOT NULL,
        level        TEXT NOT NULL,
        users        INTEGER NOT NULL,
        listed_users INTEGER NOT NULL,
        PRIMARY KEY (kind, first_day, role, level)
    ) WITHOUT ROWID;

    -- An existing store: the pairs of the roles the totals hold (a person whose places
    -- changed since is queued in pending_role_person and compared by the next run), and
    -- every period with rollups recounted by the next run.
    INSERT INTO person_level(person, role, level)
        SELECT DISTINCT p.person, p.role, p.level FROM person_place p
        WHERE EXISTS (SELECT 1 FROM person_role r WHERE r.person = p.person AND r.role = p.role);
    INSERT OR IGNORE INTO pending_role_period(kind, first_day)
        SELECT p.kind, p.first_day FROM period p
        WHERE EXISTS (SELECT 1 FROM activity_period ap WHERE ap.kind = p.kind AND ap.first_day = p.first_day);
    """

    /// Totals per day of each commune and EPCI (`RoleDaySums`), so that the report of one
    /// commune or EPCI reads its day-level tables (rhythms, busiest hours, volumes, daily
    /// activity) from a few rows per day instead of every person's day rows. Kept with the
    /// totals per day and role, by the same pass; the next ingest computes them for every
    /// day already in the store.
    static let v11 = """
    -- The (role, commune, EPCI) rows of each person the totals per place were computed with
    -- (as person_role for roles): compared with person_place to find persons who moved.
    CREATE TABLE person_scope (
        person       INTEGER NOT NULL,
        role         TEXT NOT NULL,
        code_commune TEXT NOT NULL,
        epci         TEXT NOT NULL,
        PRIMARY KEY (person, role, code_commune, epci)
    ) WITHOUT ROWID;

    -- activity (source = '*', feature = '*') summed per day, place and role, over the
    -- persons with a row of person_place in that place (kind 'commune': code_commune;
    -- 'epci': epci) and that role there; role '*': each of them once.
    CREATE TABLE activity_day_place (
        kind     TEXT NOT NULL,             -- commune | epci
        place    TEXT NOT NULL,             -- INSEE code | EPCI name
        day      INTEGER NOT NULL,
        role     TEXT NOT NULL,
        users    INTEGER NOT NULL,
        visits   INTEGER NOT NULL,
        logins   INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        PRIMARY KEY (kind, place, day, role)
    ) WITHOUT ROWID;

    -- visit_start summed per day, place and role, as above: one row per day, its visits per
    -- starting hour in a JSON array of 24 counts (hour 0–23, local wall clock), which
    -- json_each unfolds (24 times fewer rows to write than one per hour).
    CREATE TABLE visit_day_place (
        kind   TEXT NOT NULL,
        place  TEXT NOT NULL,
        day    INTEGER NOT NULL,
        role   TEXT NOT NULL,
        hours  TEXT NOT NULL,               -- [visits at 0 h, …, visits at 23 h]
        PRIMARY KEY (kind, place, day, role)
    ) WITHOUT ROWID;
    -- The peak of concurrent users of each place and day: the largest number of its persons
    -- (as above) active in one 5-minute window (person_day.windows).
    CREATE TABLE peak_day_place (
        kind  TEXT NOT NULL,
        place TEXT NOT NULL,
        day   INTEGER NOT NULL,
        users INTEGER NOT NULL,
        PRIMARY KEY (kind, place, day)
    ) WITHOUT ROWID;

    -- A day's rows are replaced when the day is recomputed.
    CREATE INDEX activity_day_place_day ON activity_day_place(day);
    CREATE INDEX visit_day_place_day ON visit_day_place(day);
    CREATE INDEX peak_day_place_day ON peak_day_place(day);

    -- An existing store: every day recomputed by the next run (with the totals per day and
    -- role, from the places of now).
    INSERT INTO person_scope(person, role, code_commune, epci)
        SELECT DISTINCT person, role, code_commune, epci FROM person_place;
    INSERT OR IGNORE INTO pending_role_day(day) SELECT DISTINCT day FROM person_day;
    """

    static let v12 = """
    -- The rows of each service (source = '*', feature != '*'), a day's in person order: what
    -- an export by place and service reads at day level (`RollupFigures.PieceReader`). In
    -- the primary key (day, person, source, feature) they are interleaved with the rows of
    -- the totals and of each log, 27 M rows to step over for a school year of the Somme
    -- instead of 11 M entries here (`export --period day --by school,feature`: 2.7 → 1.8 s).
    CREATE INDEX activity_feature ON activity(day, person, feature, requests, logins, visits)
        WHERE source = '*' AND feature != '*';
    """

    /// The rollups packed: one row per person and period (`PackedPeriodRow`) instead of one
    /// per person, period, source and feature (about fifteen). A first ingest appended 18 M
    /// rollup rows for the national access week, at about 1 µs each on the one writer; the
    /// Somme's school year held 28.6 M. `activity_period` becomes a view with the same
    /// columns, which expands the packed rows with `json_each` (for analysts; the engine
    /// reads `person_period` itself). Its two partial indexes go with the table: the totals
    /// are columns of `person_period`, and a person's logs are in one row's detail.
    static let v13 = """
    CREATE TABLE person_period (
        kind      TEXT NOT NULL,            -- week | month | school-year
        first_day INTEGER NOT NULL,         -- period.first_day
        person    INTEGER NOT NULL,
        days      INTEGER NOT NULL,         -- the total row (source = '*', feature = '*'): days
        requests  INTEGER NOT NULL,         --   of the period with it, requests, logins,
        logins    INTEGER NOT NULL,         --   visits (days = 0: no total row, never
        visits    INTEGER NOT NULL,         --   written by entstat)
        detail    TEXT NOT NULL,            -- JSON [[source, feature, days, requests, logins, visits], …]:
                                            -- the other rows, in (source, feature) order
        PRIMARY KEY (kind, first_day, person)
    ) WITHOUT ROWID;
    -- The primary key's order: the rows of a person come together, in (source, feature)
    -- order, to be grouped and packed as they come.
    INSERT INTO person_period(kind, first_day, person, days, requests, logins, visits, detail)
        SELECT kind, first_day, person,
               COALESCE(SUM(days) FILTER (WHERE source = '*' AND feature = '*'), 0),
               COALESCE(SUM(requests) FILTER (WHERE source = '*' AND feature = '*'), 0),
               COALESCE(SUM(logins) FILTER (WHERE source = '*' AND feature = '*'), 0),
               COALESCE(SUM(visits) FILTER (WHERE source = '*' AND feature = '*'), 0),
               COALESCE(json_group_array(json_array(source, feature, days, requests, logins, visits))
                            FILTER (WHERE NOT (source = '*' AND feature = '*')), '[]')
        FROM activity_period GROUP BY kind, first_day, person;
    DROP TABLE activity_period;
    CREATE VIEW activity_period(kind, first_day, person, source, feature, days, requests, logins, visits) AS
        SELECT kind, first_day, person, '*', '*', days, requests, logins, visits FROM person_period WHERE days > 0
        UNION ALL
        SELECT p.kind, p.first_day, p.person, e.value ->> 0, e.value ->> 1,
               e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5
        FROM person_period p, json_each(p.detail) e;
    """

    /// The day rows packed as the rollups are (version 13): one row per person and day
    /// (`PackedPeriodRow`'s format, days = 1 in every detail entry) instead of about nine
    /// rows of `activity`, which becomes a view with the same columns. A first ingest wrote
    /// 6.8 M day rows for the national access week, at about 1 µs each on the one writer;
    /// the Somme's school year held 27 M. Its two partial indexes go with the table: the
    /// totals are columns, and a day's rows of each service are in each row's detail.
    static let v14 = """
    CREATE TABLE person_day_activity (
        day       INTEGER NOT NULL,
        person    INTEGER NOT NULL,
        requests  INTEGER NOT NULL,         -- the total row (source = '*', feature = '*')
        logins    INTEGER NOT NULL,
        visits    INTEGER NOT NULL,
        detail    TEXT NOT NULL,            -- JSON [[source, feature, 1, requests, logins, visits], …]:
                                            -- the other rows, in (source, feature) order
        PRIMARY KEY (day, person)
    ) WITHOUT ROWID;
    INSERT INTO person_day_activity(day, person, requests, logins, visits, detail)
        SELECT day, person,
               COALESCE(SUM(requests) FILTER (WHERE source = '*' AND feature = '*'), 0),
               COALESCE(SUM(logins) FILTER (WHERE source = '*' AND feature = '*'), 0),
               COALESCE(SUM(visits) FILTER (WHERE source = '*' AND feature = '*'), 0),
               COALESCE(json_group_array(json_array(source, feature, 1, requests, logins, visits))
                            FILTER (WHERE NOT (source = '*' AND feature = '*')), '[]')
        FROM activity GROUP BY day, person;
    DROP TABLE activity;
    CREATE VIEW activity(day, person, source, feature, requests, logins, visits) AS
        SELECT day, person, '*', '*', requests, logins, visits FROM person_day_activity
        UNION ALL
        SELECT d.day, d.person, e.value ->> 0, e.value ->> 1, e.value ->> 3, e.value ->> 4, e.value ->> 5
        FROM person_day_activity d, json_each(d.detail) e;
    """

    /// The packed rows of a person whose rows are all of one log source (every person of a
    /// store fed by one ENT; most persons outside the weeks of the migration) keep each of
    /// their rows once, in `{"source":[[feature, days, requests, logins, visits], …]}`: each
    /// entry is both the row ('*', feature) and the row (source, feature), and the total is
    /// also the row (source, '*') (`PackedPeriodRow`). Such a detail is less than half as
    /// long as the array that repeats them (the national events week: `person_period` 1.55 →
    /// 0.71 GB, `person_day_activity` 0.61 → 0.27 GB).
    /// Rows already written keep the array, which both views still expand; the views learn
    /// the new form.
    static let v15 = """
    DROP VIEW IF EXISTS activity_period;
    CREATE VIEW activity_period(kind, first_day, person, source, feature, days, requests, logins, visits) AS
        SELECT kind, first_day, person, '*', '*', days, requests, logins, visits FROM person_period WHERE days > 0
        UNION ALL
        SELECT p.kind, p.first_day, p.person, e.value ->> 0, e.value ->> 1,
               e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5
        FROM person_period p, json_each(p.detail) e
        WHERE substr(ltrim(p.detail, char(32, 9, 10, 13)), 1, 1) != '{'
        UNION ALL
        -- One source: its total row, then each entry under '*' and under the source.
        SELECT p.kind, p.first_day, p.person, o.key, '*', p.days, p.requests, p.logins, p.visits
        FROM person_period p, json_each(p.detail) o
        WHERE substr(ltrim(p.detail, char(32, 9, 10, 13)), 1, 1) = '{'
        UNION ALL
        SELECT p.kind, p.first_day, p.person, s.value, e.value ->> 0,
               e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4
        FROM person_period p, json_each(p.detail) o, json_each(o.value) e, json_each(json_array('*', o.key)) s
        WHERE substr(ltrim(p.detail, char(32, 9, 10, 13)), 1, 1) = '{';
    DROP VIEW IF EXISTS activity;
    CREATE VIEW activity(day, person, source, feature, requests, logins, visits) AS
        SELECT day, person, '*', '*', requests, logins, visits FROM person_day_activity
        UNION ALL
        SELECT d.day, d.person, e.value ->> 0, e.value ->> 1, e.value ->> 3, e.value ->> 4, e.value ->> 5
        FROM person_day_activity d, json_each(d.detail) e
        WHERE substr(ltrim(d.detail, char(32, 9, 10, 13)), 1, 1) != '{'
        UNION ALL
        SELECT d.day, d.person, o.key, '*', d.requests, d.logins, d.visits
        FROM person_day_activity d, json_each(d.detail) o
        WHERE substr(ltrim(d.detail, char(32, 9, 10, 13)), 1, 1) = '{'
        UNION ALL
        SELECT d.day, d.person, s.value, e.value ->> 0, e.value ->> 2, e.value ->> 3, e.value ->> 4
        FROM person_day_activity d, json_each(d.detail) o, json_each(o.value) e, json_each(json_array('*', o.key)) s
        WHERE substr(ltrim(d.detail, char(32, 9, 10, 13)), 1, 1) = '{';
    """
}
