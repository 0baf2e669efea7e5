# The eligo core's source files in compile order (packages first), relative to rtl/. The one list
# read by CMake (lint, Yosys, Verilator), scripts/synth.sh, the Icarus test and bench_cosim.py.
eligo_pkg.sv
sequencer_pkg.sv
fx.sv
sram.sv
lfsr.sv
apb_regs.sv
synapse_acc.sv
neuron_unit.sv
readout_unit.sv
learn_unit.sv
trace_unit.sv
rewire_unit.sv
perf_counters.sv
sequencer.sv
eligo_core.sv
