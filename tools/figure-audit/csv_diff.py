#!/usr/bin/env python3
"""Says how two CSV files that should be identical differ: the rows found only in the tool's
and only in the oracle's (a few of each). Usage: csv_diff.py LABEL TOOL_CSV ORACLE_CSV [WIDTH]."""
import os
import sys


def lines(path):
    if not os.path.exists(path):
        return ["(missing)"]
    return open(path, encoding="utf-8", newline="").read().split("\r\n")


def main():
    label, tool_path, oracle_path = sys.argv[1:4]
    width = int(sys.argv[4]) if len(sys.argv) > 4 else 45
    t, o = lines(tool_path), lines(oracle_path)
    ts, os_ = set(t), set(o)
    only_t = [l for l in t if l not in os_]
    only_o = [l for l in o if l not in ts]
    order = "" if (only_t or only_o) else " (same rows, different order or bytes)"
    print("%-*s DIFFER: %d rows only in tool, %d only in oracle%s" % (width, label, len(only_t), len(only_o), order))
    print("    header: " + t[0].lstrip("\ufeff"))
    for l in only_t[:4]:
        print("    tool:   " + l)
    for l in only_o[:4]:
        print("    oracle: " + l)


if __name__ == "__main__":
    main()
