// Recorded pin streams: the inputs of every clock cycle after reset, so that a run can be
// replayed without the model (scoreboard off) on any engine, or on Icarus Verilog through
// rtl/tb/eligo_tb.sv. File format: one line per cycle, 18 hex digits of a 72-bit word:
//   [0] psel [1] penable [2] pwrite [3] aer_valid [4] aer_eot [15:8] aer_addr [39:16] paddr
//   [71:40] pwdata
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "systemc/engine.hpp"

namespace eligo::cosim {

// (cycle since reset, neuron) of every spike: a STATE write with z = 1.
using SpikeStream = std::vector<std::pair<uint64_t, int>>;

void write_stimulus(const std::string& path, const std::vector<PinsIn>& cycles);
std::vector<PinsIn> read_stimulus(const std::string& path);  // std::runtime_error naming file and line

// Reset, then drive the recorded inputs cycle by cycle (no model, no checks). Returns the spikes.
SpikeStream replay(Engine& rtl, const std::vector<PinsIn>& cycles);

// Spikes among one cycle's writes (appended to `out` with cycle index c).
void collect_spikes(const std::vector<chip::WriteEvent>& writes, uint64_t c, SpikeStream& out);

}  // namespace eligo::cosim
