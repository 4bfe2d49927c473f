# Sourced by `run` and `sweep-store` with the work folder as $1 (from tools/fuzz): makes the
# store target's base, a day of each log of one sample server with the reference files,
# with entstat itself (the release build when there is one, else the debug build, built
# if missing), and exports what StoreFuzz.swift reads.
entstat=../../.build/release/entstat
[ -x "$entstat" ] || entstat=../../.build/debug/entstat
[ -x "$entstat" ] || { (cd ../.. && swift build --product entstat >/dev/null) && entstat=../../.build/debug/entstat; }
mkdir -p "$1/base"
"$entstat" ingest --quiet --db "$1/base/store.sqlite" --schools ../../sample-logs/schools.csv --accounts ../../sample-logs/accounts.csv \
  ../../sample-logs/logs/access-fe1-2018-10-08.log.gz ../../sample-logs/logs/events-fe1-2018-10-08.jsonl.gz
export ENTSTAT_FUZZ_STORE=$1/base/store.sqlite ENTSTAT_FUZZ_SECRET=$1/base/store.secret
export ENTSTAT_FUZZ_DAY=../../sample-logs/logs/access-fe1-2018-10-09.log.gz ENTSTAT_FUZZ_QUERIES=../../Queries
