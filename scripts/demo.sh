#!/usr/bin/env bash
# The main job: a short on-chip learning co-simulation.
#   1. float e-prop trains the reduced evidence-accumulation network (40 inputs, 20 LIF + 20 ALIF,
#      2 readouts) and writes its weights;
#   2. `eligo cosim` starts from those weights and learns on chip: the RTL (SystemC top around
#      the verilated core) in lock-step with the bit-exact model, e-prop traces and weight updates
#      with DEEP R rewiring at 30% connectivity, 3 updates of 4 samples, then 8 test samples with
#      learning off; every memory write, the whole state at every timestep and the cycles of every
#      phase are checked.
set -euo pipefail
build=${1:-build}
out=out/demo
"$build/eligo" train --config examples/evidence_accumulation_demo.json --out "$out"
/usr/bin/python3 scripts/plot_run.py "$out"
"$build/eligo" cosim --config examples/cosim_train_demo.json --weights "$out/weights.npz" --engine systemc \
  --test-samples 8 --out "$out/cosim"
echo "demo: float run in $out (metrics.json, weights.npz, PNG plots); on-chip learning co-simulation report in $out/cosim/report.json"
