# Sourced by `run` and `sweep-store` with the work folder as $1 (from tools/fuzz): makes the
# store target's base with entstat itself (the release build when there is one, else the
# debug build, built if missing), and exports what StoreFuzz.swift reads. The base: a day
# of each log of one sample server with the reference files; with `rich` as $2, a store in
# which every table that a run of entstat can leave filled has rows: five days of that
# server (one line rejected), the EPCIs, a file that failed, a purge of October (frozen
# figures, and a report of October besides the default one) and a rotation of the secret.
# (Only the `pending_*` tables stay empty: they hold rows between an interrupted run and
# the next.)
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
fi
export ENTSTAT_FUZZ_STORE=$1/base/store.sqlite ENTSTAT_FUZZ_SECRET=$1/base/store.secret ENTSTAT_FUZZ_QUERIES=../../Queries
