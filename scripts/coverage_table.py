#!/usr/bin/env python3
"""Per-module coverage of rtl/ from a merged Verilator coverage file (verilator_coverage --write).

usage: coverage_table.py MERGED.dat [UNCOVERED.txt [WAIVERS.txt]]

Prints a Markdown table: per RTL file, line (Verilator's line/block points), branch (if/case
arms), toggle (every bit of every signal: a point per bit) and user points, covered / (total -
waived) and percent, and the waived points per file. A point counts as covered when any instance
of the module in any size configuration hit it (the files are merged across configurations and
instances). Writes the uncovered line and branch points (file:line, kind, comment) and the
untoggled signals to UNCOVERED.txt when given, the waived ones after them.

WAIVERS.txt (rtl/coverage_waivers.txt) lists points shown unreachable, one waiver a line
(a line starting with `#` is a comment):
    FILE KIND WHERE REASON...
FILE an RTL file name (sequencer.sv), KIND line, branch or toggle; WHERE a source line number
(line, branch: every point of that kind on the line; LINE:ARM only the point of that
arm, Verilator's comment: if, else, case, block) or, for toggle, a signal with an optional
bit list, `name` or `name[BITS]`: BITS a comma-separated list of N (bit N), HI:LO (bits LO to
HI) and HI:LO%S (every bit b with LO <= b mod S <= HI, e.g. the upper bits of each 64-bit lane
slot of a bus). A waiver that matches no point of the merged file, or a waived point that was
hit (not unreachable after all), is an error.
"""
import collections
import os
import re
import sys

KINDS = ("line", "branch", "toggle", "user")
WAIVABLE = ("line", "branch", "toggle")


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


def toggle_bit(comment):
    """'name[5]' -> ('name', 5); 'name' (one bit) -> ('name', 0); 'a[2][5]' -> ('a[2]', 5)."""
    m = re.fullmatch(r"(.*)\[(\d+)\]", comment)
    return (m.group(1), int(m.group(2))) if m else (comment, 0)


class Waiver:
    def __init__(self, path, n, line):
        fields = line.split(None, 3)
        if len(fields) < 4:
            sys.exit(f"{path}:{n}: expected FILE KIND WHERE REASON, got '{line}'")
        self.where = f"{path}:{n}"
        self.file, self.kind, spec, self.reason = fields
        if self.kind not in WAIVABLE:
            sys.exit(f"{path}:{n}: kind '{self.kind}' (allowed: {', '.join(WAIVABLE)})")
        self.line = self.signal = None
        if self.kind == "toggle":
            m = re.fullmatch(r"([^\[\]]+(?:\[\d+\])*?)(?:\[([0-9:%,]+)\])?", spec)
            if not m:
                sys.exit(f"{path}:{n}: toggle WHERE '{spec}' (allowed: name or name[BITS])")
            self.signal = m.group(1)
            self.bits = None  # every bit, or a list of (hi, lo, stride)
            if m.group(2):
                self.bits = []
                for item in m.group(2).split(","):
                    b = re.fullmatch(r"(\d+)(?::(\d+))?(?:%(\d+))?", item)
                    if not b:
                        sys.exit(f"{path}:{n}: bits '{item}' (allowed: N, HI:LO or HI:LO%STRIDE)")
                    hi = int(b.group(1))
                    lo = int(b.group(2)) if b.group(2) else hi
                    stride = int(b.group(3)) if b.group(3) else 0
                    if lo > hi or (stride and hi >= stride):
                        sys.exit(f"{path}:{n}: bits '{item}': need HI >= LO (and HI < STRIDE)")
                    self.bits.append((hi, lo, stride))
        else:
            m = re.fullmatch(r"(\d+)(?::(\S+))?", spec)
            if not m or int(m.group(1)) < 1:
                sys.exit(f"{path}:{n}: line WHERE '{spec}' (allowed: LINE or LINE:ARM, LINE >= 1)")
            self.line = int(m.group(1))
            self.arm = m.group(2)
        self.matched = 0

    def covers(self, f, kind, line, comment):
        if f != self.file or kind != self.kind:
            return False
        if self.line is not None:
            return line == self.line and self.arm in (None, comment)
        if self.bits is None:
            return comment == self.signal or toggle_bit(comment)[0] == self.signal
        name, bit = toggle_bit(comment)
        return name == self.signal and any(lo <= (bit % stride if stride else bit) <= hi
                                           for hi, lo, stride in self.bits)


def read_waivers(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if line and not line.startswith("#"):
                out.append(Waiver(path, n, line))
    return out


def main():
    if len(sys.argv) not in (2, 3, 4):
        sys.exit(__doc__.strip().splitlines()[2])
    merged = collections.defaultdict(int)  # (file, kind, line, column, comment) -> hits
    for keys, count in points(sys.argv[1]):
        page = keys.get("page", "")
        kind = page.split("/")[0].removeprefix("v_")
        if kind not in KINDS:
            continue
        f = os.path.basename(keys.get("f", "?"))
        merged[(f, kind, int(keys.get("l", 0)), keys.get("n", ""), keys.get("o", ""))] += count
    waivers = read_waivers(sys.argv[3]) if len(sys.argv) == 4 else []
    waived = {}  # point -> its waiver
    errors = []
    for key, hits in merged.items():
        f, kind, line, _col, comment = key
        for w in waivers:
            if w.covers(f, kind, line, comment):
                w.matched += 1
                waived[key] = w
                if hits > 0:
                    errors.append(f"{w.where}: waived {f}:{line} {kind} {comment} was hit {hits} times")
                break
    errors += [f"{w.where}: {w.file} {w.kind} {w.signal or w.line}: no such point in {sys.argv[1]}"
               for w in waivers if w.matched == 0]
    if errors:
        sys.exit("coverage waivers out of date:\n" + "\n".join(errors))

    table = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0, 0]))  # covered, counted, waived
    for key, hits in merged.items():
        cell = table[key[0]][key[1]]
        if key in waived:
            cell[2] += 1
        else:
            cell[1] += 1
            cell[0] += hits > 0
    totals = collections.defaultdict(lambda: [0, 0, 0])

    def fmt(cell):
        return f"{cell[0]}/{cell[1]} ({100.0 * cell[0] / cell[1]:.1f}%)" if cell[1] else "-"

    print("| module | " + " | ".join(KINDS) + " | waived (line/branch/toggle) |")
    print("|---|" + "---|" * (len(KINDS) + 1))
    for f in sorted(table):
        for k in KINDS:
            for i in range(3):
                totals[k][i] += table[f][k][i]
        print(f"| {f} | " + " | ".join(fmt(table[f][k]) for k in KINDS) + " | " +
              "/".join(str(table[f][k][2]) for k in WAIVABLE) + " |")
    print("| **all** | " + " | ".join(fmt(totals[k]) for k in KINDS) + " | " +
          "/".join(str(totals[k][2]) for k in WAIVABLE) + " |")
    if len(sys.argv) >= 3:
        with open(sys.argv[2], "w", encoding="utf-8") as out:
            for key, hits in sorted(merged.items()):
                if hits == 0 and key not in waived:
                    out.write(f"{key[0]}:{key[2]}\t{key[1]}\t{key[4]}\n")
            for key in sorted(waived):
                out.write(f"{key[0]}:{key[2]}\t{key[1]}\t{key[4]}\twaived: {waived[key].reason}\n")


if __name__ == "__main__":
    main()
