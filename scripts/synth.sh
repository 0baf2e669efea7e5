#!/usr/bin/env bash
# Synthesise the eligo core with Yosys (generic cells) and print the cell count of every module.
# Usage: scripts/synth.sh [OUT_DIR] [NI NR NO NA LANES [ST]]  (default: out/synth, 16 16 2 8 2 1)
# ST = 0: a factored-only core (SynTraces = 0: no EPSA, no EBAR).
# Writes OUT_DIR/stat.json (Yosys `stat -json`) and OUT_DIR/area.json ({module: cells over all
# its instances}, the same by Yosys cell type (cells_by_type_per_module: eligo report prices them
# in mm2 with the profile's NAND2 equivalents), total).
# Memories are synthesised as flip-flops (no SRAM macros here), so keep the sizes small.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-out/synth}
NI=${2:-16}; NR=${3:-16}; NO=${4:-2}; NA=${5:-8}; L=${6:-2}; ST=${7:-1}
mkdir -p "$OUT"
FILES=()
while read -r f; do
  [[ -z "$f" || "$f" == \#* ]] || FILES+=("$HERE/rtl/$f")
done < "$HERE/rtl/files.f"
yosys -q -l "$OUT/yosys.log" -p "read_verilog -sv ${FILES[*]};
  chparam -set NumIn $NI -set NumRec $NR -set NumOut $NO -set NumAlif $NA -set Lanes $L -set SynTraces $ST eligo_core;
  synth -top eligo_core; rename -top eligo_core; tee -q -o $OUT/stat.json.tmp stat -json"
mv "$OUT/stat.json.tmp" "$OUT/stat.json"
/usr/bin/python3 - "$OUT" "$NI-$NR-$NO ($NA ALIF), $L lanes$([[ $ST == 0 ]] && echo ', factored only')" <<'PY'
import json, os, sys
out, what = sys.argv[1], sys.argv[2]
# Yosys 0.23's `stat -json` prints the design hierarchy (unquoted "name count" lines) into its
# JSON when the design has a top module; every JSON line of it starts with a quote or a bracket.
lines = open(os.path.join(out, "stat.json")).read().split("\n")
stat = json.loads("\n".join(l for l in lines if l.strip()[:1] in ("", '"', "{", "}", "[", "]")))
# Cells per module definition, counted over every instance in the hierarchy: a module's own
# cells (Yosys primitives) times how many times it is instantiated below the top; parameterised
# copies ($paramod$<hash>\name) are summed under their name.
modules = stat["modules"]
def base(name):
    parts = name.lstrip("\\").split("\\")
    return parts[1] if parts[0].startswith("$paramod") and len(parts) > 1 else parts[0]
def module(kind):  # a cell type names a module as "name" or "\\name"; None for a primitive
    return next((k for k in (kind, "\\" + kind) if k in modules), None)
def own_and_subs(name):
    own, subs = 0, {}
    for kind, n in modules[name]["num_cells_by_type"].items():
        if module(kind):
            subs[module(kind)] = n
        else:
            own += n
    return own, subs
top = module("eligo_core")
instances = {}
def visit(name, times):
    instances[name] = instances.get(name, 0) + times
    for sub, n in own_and_subs(name)[1].items():
        visit(sub, times * n)
visit(top, 1)
mods, types = {}, {}
for name, times in instances.items():
    mods[base(name)] = mods.get(base(name), 0) + times * own_and_subs(name)[0]
    t = types.setdefault(base(name), {})
    for kind, n in modules[name]["num_cells_by_type"].items():
        if not module(kind):
            t[kind] = t.get(kind, 0) + times * n
total = sum(mods.values())
design = stat.get("design", {}).get("num_cells")
if design is not None and design != total:
    sys.exit(f"synth.sh: cells summed over the hierarchy ({total}) differ from Yosys' design total ({design})")
tmp = os.path.join(out, "area.json.tmp")
json.dump({"configuration": what, "cells_per_module_definition": mods, "cells_by_type_per_module": types,
           "total_cells": total}, open(tmp, "w"), indent=2)
os.replace(tmp, os.path.join(out, "area.json"))
print(f"Yosys generic cells per module definition (parameterised copies summed), {what}:")
for name, n in sorted(mods.items(), key=lambda kv: -kv[1]):
    print(f"  {n:>9}  {name}")
print(f"  {total:>9}  total (whole design, every instance)")
PY
