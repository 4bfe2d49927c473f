#!/usr/bin/env python3
"""Compares each log's summary line of `entstat ingest` (SPEC §3: ingested with its format,
lines, qualifying, filtered and rejected records; skipped as a repeat; failed) with the
oracle's (`figures.py --files-out`). Usage: summary_check.py INGEST_OUTPUT ORACLE_FILES_TSV.
Exit 0 when every file's line agrees."""
import re
import sys

COUNT = r"([\d\u202f]+)"
INGESTED = re.compile(r"^ingéré\s+(access|events) (.*) : " + COUNT + r" lignes?, " + COUNT + r" retenues?, "
                      + COUNT + r" filtrées?, " + COUNT + r" rejetées? \(")
OTHER = re.compile(r"^(ignoré|échec)\s+(.*?) : ")


def tool_files(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        m = INGESTED.match(line)
        if m:
            rows.append(("ingested", m[1]) + tuple(m[i].replace("\u202f", "") for i in (3, 4, 5, 6)) + (m[2],))
            continue
        m = OTHER.match(line)
        if m:
            rows.append(({"ignoré": "skipped", "échec": "failed"}[m[1]],) + ("-",) * 5 + (m[2],))
    return rows


def main():
    tool = tool_files(sys.argv[1])
    oracle = [tuple(l.rstrip("\n").split("\t")) for l in open(sys.argv[2], encoding="utf-8")]
    if sorted(tool, key=lambda r: r[6]) == sorted(oracle, key=lambda r: r[6]):
        print("%-45s same (%d files)" % ("ingest summary per file", len(tool)))
        return 0
    only_tool, only_oracle = sorted(set(tool) - set(oracle)), sorted(set(oracle) - set(tool))
    print("%-45s DIFFER: %d files only in tool, %d only in oracle"
          % ("ingest summary per file", len(only_tool), len(only_oracle)))
    for r in only_tool[:4]:
        print("    tool:   " + " ".join(r))
    for r in only_oracle[:4]:
        print("    oracle: " + " ".join(r))
    return 1


if __name__ == "__main__":
    sys.exit(main())
