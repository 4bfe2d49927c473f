#!/usr/bin/env python3
"""published_elsewhere.py [--with-epci-rows] REPORT OUT OTHER... : REPORT as a reader holding the OTHER reports too sees it.

A commune's report and the territory's (or its EPCI's) report of the same period publish some
figures twice: the commune's row of `communes` and `communes_parents_services`, its schools'
rows of `ecoles`. Each report is made safe on its own; a figure one of them hides to protect a
small count (a complement) may be shown by the other, and a reader holding both can put it
back. This writes REPORT's CSV files into OUT with every such cell the OTHER reports show
filled in, so that `check_secrecy.py OUT TRUE` audits REPORT as that reader reads it. (The
`epci` table of a commune's report is restricted to the commune: no figure of another
report; that of an EPCI's report is the territory's row: --with-epci-rows.) Prints how many cells were filled, and how many REPORT shows that an OTHER hides
(the other direction: REPORT then gives back a complement of that report).
"""
import csv
import os
import shutil
import sys

# The tables whose rows are the same figures in every report that holds them, by key column.
SHARED = (("communes", "code_commune"), ("communes_parents_services", "code_commune"), ("ecoles", "uai"))


def hidden(text):
    t = text.strip()
    return t == "s" or t.startswith("<")


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def keyed(path, key):
    """The rows of a CSV file (header first) and its key column's index; None without the file."""
    if not os.path.exists(path):
        return None
    rows = read(path)
    return rows, rows[0].index(key)


def main():
    args = sys.argv[1:]
    epci_rows = args[:1] == ["--with-epci-rows"]
    if epci_rows:
        args = args[1:]
    if len(args) < 3:
        sys.exit(__doc__.split("\n")[0])
    report, out, others = args[0], args[1], args[2:]
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(report, out)
    filled = given_back = 0
    for name, key in SHARED + ((("epci", "epci"),) if epci_rows else ()):
        path = os.path.join(out, name + ".csv")
        mine = keyed(path, key)
        if mine is None:
            continue
        rows, k = mine
        header = rows[0]
        for other in others:
            theirs_table = keyed(os.path.join(other, name + ".csv"), key)
            if theirs_table is None:
                continue
            other_rows, ok = theirs_table
            by_key = {r[ok]: dict(zip(other_rows[0], r)) for r in other_rows[1:]}
            for row in rows[1:]:
                if row[k] in ("", "*") or row[k] not in by_key:
                    continue
                for i, column in enumerate(header):
                    theirs = by_key[row[k]].get(column)
                    if theirs is None or i == k:
                        continue
                    if hidden(row[i]) and not hidden(theirs):
                        row[i] = theirs
                        filled += 1
                    elif not hidden(row[i]) and hidden(theirs):
                        given_back += 1
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(rows)
    print("filled=%d given-back=%d" % (filled, given_back))


if __name__ == "__main__":
    main()
