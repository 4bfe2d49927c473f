# Sourced by `run` and `sweep-store` with the work folder as $1 (from tools/fuzz): makes the
# store target's base with entstat itself (the release build when there is one, else the
# debug build, built if missing), and exports what StoreFuzz.swift reads. The base: a day
# of each log of one sample server with the reference files; with `rich` as $2, a store in
# which every table that a run of entstat can leave filled has rows: five days of that
# server (one line rejected), the EPCIs, a file that failed, a purge of October (frozen
# figures, and a report of October besides the default one) and a rotation of the secret.
# (Its `pending_*` tables stay empty: they hold rows between an interrupted run and the
# next.) With `pending` as $2, the day of each log with the queues an interrupted ingest
# leaves (`pending_*`: persons' days, windows, periods and roles to recompute, a period
# done), written by the `sqlite3` shell: every reader but `status` refuses such a store,
# and the next ingest completes the work.
if [ "${2:-}" = pending ] && ! command -v sqlite3 > /dev/null; then
  echo "tools/fuzz: the pending base needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2
fi
entstat=../../.build/release/entstat
[ -x "$entstat" ] || entstat=../../.build/debug/entstat
[ -x "$entstat" ] || { (cd ../.. && swift build --product entstat >/dev/null) && entstat=../../.build/debug/entstat; }
mkdir -p "$1/base"
logs=../../sample-logs/logs
if [ "${2:-}" = rich ]; then
  printf 'code_commune;epci\n80021;CA Amiens Métropole\n80001;CA de la Baie de Somme\n' > "$1/base/epci.csv"
  printf 'not a gzip file\037\213\010\000garbage' > "$1/base/broken.log.gz"
  gzip -dc $logs/access-fe1-2018-11-01.log.gz | sed '200a this line is not an access log line' | gzip > "$1/base/access-fe1-2018-11-01.log.gz"
  "$entstat" ingest --quiet --db "$1/base/store.sqlite" --schools ../../sample-logs/schools.csv --epci "$1/base/epci.csv" \
    --accounts ../../sample-logs/accounts.csv "$1/base/access-fe1-2018-11-01.log.gz" "$1/base/broken.log.gz" \
    $logs/access-fe1-2018-1{0-29,0-30,0-31,1-02}.log.gz $logs/events-fe1-2018-1{0-29,0-30,0-31,1-01,1-02}.jsonl.gz 2> /dev/null || [ $? -eq 2 ]
  "$entstat" purge --db "$1/base/store.sqlite" --before 2018-11-01 > /dev/null
  "$entstat" rotate-secret --db "$1/base/store.sqlite" --accounts ../../sample-logs/accounts.csv > /dev/null
  export ENTSTAT_FUZZ_DAY=$logs/access-fe1-2018-11-03.log.gz ENTSTAT_FUZZ_REPORT_FROM=2018-10-01 ENTSTAT_FUZZ_REPORT_TO=2018-10-31
else
  "$entstat" ingest --quiet --db "$1/base/store.sqlite" --schools ../../sample-logs/schools.csv --accounts ../../sample-logs/accounts.csv \
    $logs/access-fe1-2018-10-08.log.gz $logs/events-fe1-2018-10-08.jsonl.gz
  export ENTSTAT_FUZZ_DAY=$logs/access-fe1-2018-10-09.log.gz
  if [ "${2:-}" = pending ]; then
    # Five persons' days recomputed, two of them changed (their period rows queued as
    # removed then added, by the triggers on person_day), the day's windows and role
    # totals, the persons' roles, the week's role totals, and October's month done.
    sqlite3 "$1/base/store.sqlite" "
      INSERT INTO pending_person_day(person, day) SELECT person, day FROM person_day ORDER BY person LIMIT 5;
      INSERT INTO pending_period_person(day, person) SELECT day, person FROM person_day ORDER BY person LIMIT 5;
      UPDATE person_day SET windows = windows WHERE person IN (SELECT person FROM person_day ORDER BY person DESC LIMIT 2);
      INSERT INTO pending_window_day(day) SELECT DISTINCT day FROM person_day;
      INSERT INTO pending_role_day(day) SELECT DISTINCT day FROM person_day;
      INSERT INTO pending_role_person(person) SELECT person FROM person_day ORDER BY person LIMIT 5;
      INSERT INTO pending_role_period(kind, first_day) SELECT kind, first_day FROM period
        WHERE kind = 'week' AND first_day <= (SELECT MIN(day) FROM person_day) ORDER BY first_day DESC LIMIT 1;
      INSERT INTO pending_period_done(kind, first_day) SELECT kind, first_day FROM period
        WHERE kind = 'month' AND first_day <= (SELECT MIN(day) FROM person_day) ORDER BY first_day DESC LIMIT 1;"
  fi
fi
export ENTSTAT_FUZZ_STORE=$1/base/store.sqlite ENTSTAT_FUZZ_SECRET=$1/base/store.secret ENTSTAT_FUZZ_QUERIES=../../Queries
