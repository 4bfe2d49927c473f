#!/usr/bin/env python3
"""tools/secrecy-audit/communes.py COMMUNES_CSV

The communes a report's `communes.csv` lists, one line each: the commune's code, a tab and
its EPCI's name (empty when it has none), in the file's order, total rows left out. The
tools that make every report of a territory (communes-first, compare-builds, family) list
its communes and EPCIs from this.
"""
import csv
import sys

with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in list(csv.reader(f, delimiter=";"))[1:]:
        if row[0] not in ("", "*"):
            print(row[0] + "\t" + row[2])
