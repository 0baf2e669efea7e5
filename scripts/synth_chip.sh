#!/usr/bin/env bash
# Synthesise another chip's public RTL with Yosys (generic cells, flattened), its SRAM macros left
# as black boxes, and write the cells by type: the logic-area input of the calibration chips
# (data/energy/chips/*.json, docs/energy.md "Calibration against silicon").
# Usage: scripts/synth_chip.sh OUT_DIR TOP 'BLACK_BOX_PATTERNS' FILE.v...   (Verilog-2005 files)
#   e.g. scripts/synth_chip.sh out/odin ODIN 'SRAM_*' ODIN/src/*.v ODIN/src/*/*.v
# BLACK_BOX_PATTERNS: space-separated module name patterns left unsynthesised (the SRAM macros,
# and modules Yosys cannot read); their instances are listed in black_boxes, not in the cells.
# Writes OUT_DIR/cells.json: {"top", "cells_by_type" (SRAM black boxes excluded), "black_boxes"}.
set -euo pipefail
OUT=$1; TOP=$2; BB=$3; shift 3
mkdir -p "$OUT"
yosys -q -l "$OUT/yosys.log" -p "read_verilog $*; blackbox $BB; hierarchy -top $TOP;
  synth -flatten -top $TOP; tee -q -o $OUT/stat.json.tmp stat -json"
/usr/bin/python3 - "$OUT" "$TOP" "$BB" <<'PY'
import fnmatch, json, os, sys
out, top, bb = sys.argv[1:4]
lines = open(os.path.join(out, "stat.json.tmp")).read().split("\n")
stat = json.loads("\n".join(l for l in lines if l.strip()[:1] in ("", '"', "{", "}", "[", "]")))
mod = next(v for k, v in stat["modules"].items() if k.lstrip("\\") == top)
cells, boxes = {}, {}
for kind, n in mod["num_cells_by_type"].items():
    (boxes if any(fnmatch.fnmatch(kind.lstrip("\\"), p) for p in bb.split()) else cells)[kind] = n
json.dump({"top": top, "cells_by_type": cells, "black_boxes": boxes}, open(os.path.join(out, "cells.json"), "w"), indent=2)
print(json.dumps({"cells": sum(cells.values()), "by_type": cells, "black_boxes": boxes}))
PY
rm -f "$OUT/stat.json.tmp"
