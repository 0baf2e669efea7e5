// Energy and latency of the digital core from its performance counters: energy = sum over event
// kinds of count x energy per event (a technology table, data/energy/28nm.json, every entry with
// its source and node, scaled to the table's node) + memory leakage x time. The counters are the
// bit-exact model's, which equal the RTL's (systemc/ checks them after every co-simulation).
//
// Event kinds: reads and writes of every memory (SRAM energy per access from its capacity and
// word width), and per-unit datapath events (synaptic operation, neuron update, readout update,
// trace update, learning MAC, weight update, rewiring probe), each priced by the adds,
// multiplies, comparisons and LFSR draws of that unit (table "units").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden_model/chip/core.hpp"

namespace eligo::energy {

struct Table {
  std::string source;  // file name, or "built-in 28nm.json"
  nlohmann::json j;
  int node_nm = 28;
  double clock_mhz = 100.0;
  double timestep_us = 1000.0;
};

// Loads and validates a table (std::runtime_error naming the file, the field and the range).
Table load_table(const std::string& path);
Table default_table();  // data/energy/28nm.json, built in
Table parse_table(const nlohmann::json& j, const std::string& source);

// Energy factor from node `from_nm` to node `to_nm` (log-log interpolation of the table's
// factors; outside the listed nodes the nearest segment is extended).
double node_factor(const Table& t, double from_nm, double to_nm);

// SRAM access energy (pJ, at the table's node) of a memory of `words` words of `bits` bits.
double sram_read_pj(const Table& t, int64_t words, int bits);
double sram_write_pj(const Table& t, int64_t words, int bits);
double sram_leakage_mw(const Table& t, int64_t words, int bits);

// Counters of a run: spec::Counter values by name and reads/writes per memory name.
struct Counts {
  std::map<std::string, uint64_t> counters;
  std::map<std::string, std::pair<uint64_t, uint64_t>> memory;  // reads, writes
};
Counts counts_of(const chip::Core& core);
// report.json "counters"; errors (io::ConfigError) name `source` and the counter.
Counts counts_from_json(const nlohmann::json& counters, const std::string& source);

// One line of the breakdown.
struct Line {
  std::string unit;   // synapse_acc, neuron_unit, ..., memory, leakage
  std::string item;   // event kind or memory name
  double count = 0.0;
  double pj_each = 0.0;
  double pj = 0.0;
};

struct Estimate {
  std::vector<Line> lines;
  double dynamic_pj = 0.0, leakage_pj = 0.0, total_pj = 0.0;
  std::map<std::string, double> by_unit;
  std::map<std::string, double> by_memory;
  double pj_per_sop = 0.0;              // total / synaptic operations
  double pj_per_timestep = 0.0;
  double pj_per_sample = 0.0;           // per inference (or training sample)
  double pj_per_weight_update = 0.0;    // learning: (weight updates, probes, weight writes) / weight updates
  double cycles_per_timestep = 0.0;     // phases IN .. UPD of the timesteps (RST and end-of-sample excluded)
  double latency_us_per_timestep = 0.0; // at the table's clock
  std::vector<std::string> warnings;
};

Estimate estimate(const Table& t, const chip::Sizes& sizes, const Counts& c);
nlohmann::json to_json(const Estimate& e, const Table& t);

}  // namespace eligo::energy
