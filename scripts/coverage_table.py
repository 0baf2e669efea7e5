#!/usr/bin/env python3
"""Per-module coverage of rtl/ from a merged Verilator coverage file (verilator_coverage --write).

usage: coverage_table.py MERGED.dat [UNCOVERED.txt]

Prints a Markdown table: per RTL file, line (Verilator's line/block points), branch (if/case
arms), toggle (every bit of every signal, both directions: a point per bit) and user points,
covered / total and percent. A point counts as covered when any instance of the module in any
size configuration hit it (the files are merged across configurations and instances). Writes
the uncovered line and branch points (file:line, kind, comment) and the untoggled signals to
UNCOVERED.txt when given.
"""
import collections
import os
import sys

KINDS = ("line", "branch", "toggle", "user")


def points(path):
    with open(path, encoding="latin-1") as f:
        for n, raw in enumerate(f, 1):
            if not raw.startswith("C '"):
                continue
            body, _, count = raw.rstrip("\n").rpartition("' ")
            keys = {}
            for kv in body[3:].split("\x01"):
                if "\x02" in kv:
                    k, v = kv.split("\x02", 1)
                    keys[k] = v
            try:
                yield keys, int(count)
            except ValueError:
                sys.exit(f"{path}:{n}: not a coverage point")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[2])
    merged = collections.defaultdict(int)  # (file, kind, line, column, comment) -> hits
    for keys, count in points(sys.argv[1]):
        page = keys.get("page", "")
        kind = page.split("/")[0].removeprefix("v_")
        if kind not in KINDS:
            continue
        f = os.path.basename(keys.get("f", "?"))
        merged[(f, kind, int(keys.get("l", 0)), keys.get("n", ""), keys.get("o", ""))] += count
    table = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
    for (f, kind, *_), hits in merged.items():
        cell = table[f][kind]
        cell[1] += 1
        cell[0] += hits > 0
    totals = collections.defaultdict(lambda: [0, 0])

    def fmt(cell):
        return f"{cell[0]}/{cell[1]} ({100.0 * cell[0] / cell[1]:.1f}%)" if cell[1] else "-"

    print("| module | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for f in sorted(table):
        for k in KINDS:
            totals[k][0] += table[f][k][0]
            totals[k][1] += table[f][k][1]
        print(f"| {f} | " + " | ".join(fmt(table[f][k]) for k in KINDS) + " |")
    print("| **all** | " + " | ".join(fmt(totals[k]) for k in KINDS) + " |")
    if len(sys.argv) == 3:
        with open(sys.argv[2], "w", encoding="utf-8") as out:
            for (f, kind, line, _col, comment), hits in sorted(merged.items()):
                if hits == 0:
                    out.write(f"{f}:{line}\t{kind}\t{comment}\n")


if __name__ == "__main__":
    main()
