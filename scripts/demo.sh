#!/usr/bin/env bash
# The main job: a short lock-step co-simulation of a trained network.
#   1. float e-prop trains the reduced evidence-accumulation network (40 inputs, 20 LIF + 20 ALIF,
#      2 readouts) and writes its weights;
#   2. `eligo cosim` runs the RTL (SystemC top around the verilated core) in lock-step with the
#      bit-exact model on 4 samples of the task (2440 timesteps) with the trained weights, checking
#      every memory write, the whole state at every timestep and the cycles of every phase.
set -euo pipefail
build=${1:-build}
out=out/demo
"$build/eligo" train --config examples/evidence_accumulation_demo.json --out "$out"
/usr/bin/python3 scripts/plot_run.py "$out"
"$build/eligo" cosim --config examples/cosim_demo.json --weights "$out/weights.npz" --engine systemc \
  --samples 4 --out "$out/cosim"
echo "demo: float run in $out (metrics.json, weights.npz, PNG plots); co-simulation report in $out/cosim/report.json"
