#!/usr/bin/env bash
# The main job (until co-simulation lands): float e-prop on evidence accumulation, reduced size.
set -euo pipefail
build=${1:-build}
out=out/demo
"$build/eligo" train --config examples/evidence_accumulation_demo.json --out "$out"
/usr/bin/python3 scripts/plot_run.py "$out"
echo "demo: metrics in $out/metrics.json, weights in $out/weights.npz"
