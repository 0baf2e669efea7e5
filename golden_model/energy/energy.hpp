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
  double supply_v = 0.9;  // every entry is scaled from its own supply to this one
  double clock_mhz = 100.0;
  double timestep_us = 1000.0;
};

// Low and high ends of a figure (the profile's band: every dynamic energy, leakage and area
// entry multiplied by its band's low or high factor).
struct Band {
  double low = 0.0, high = 0.0;
};

// Loads and validates a table (std::runtime_error naming the file, the field and the range).
Table load_table(const std::string& path);
// The default profile, kDefaultProfile: lp28nt, the one calibrated against ReckOn and ODIN
// (docs/energy.md: the CACTI 40 nm high-performance profile is 50x off ReckOn's pJ/SOP).
inline constexpr const char* kDefaultProfile = "lp28nt";
Table default_table();
// A built-in profile by name: "lp28nt" (28 nm low-power near-threshold, 0.5 V, calibrated on
// ODIN and ReckOn; the default) or "28nm" (CACTI 40 nm scaled to 28 nm, 0.9 V; the default
// before); std::runtime_error naming the allowed names otherwise.
Table named_table(const std::string& name);
// The table of a command line or config: a file (`path`), or a built-in profile by name, or the
// default when both are empty; both given is an error naming `what` (the options or keys).
Table select_table(const std::string& profile, const std::string& path, const std::string& what);
Table parse_table(const nlohmann::json& j, const std::string& source);

// Energy factor from node `from_nm` to node `to_nm` (log-log interpolation of the table's
// factors; outside the listed nodes the nearest segment is extended).
double node_factor(const Table& t, double from_nm, double to_nm);
// Dynamic energy from supply `from_v` to the table's supply: (V / from_v)^2.
double dynamic_voltage_factor(const Table& t, double from_v);
// Leakage power from supply `from_v` to the table's supply: (V / from_v) exp(k (V - from_v)),
// k = voltage_scaling.leakage_k_per_v (subthreshold current with DIBL, times the supply).
double leakage_voltage_factor(const Table& t, double from_v);
// The profile's dynamic_overhead.factor (1 when absent): multiplies every dynamic energy.
double dynamic_overhead(const Table& t);
// The profile's band {low, high} factors of "dynamic", "leakage" or "area".
Band band(const Table& t, const std::string& kind);

// Energy of one operation of table "ops" (add32, mul32, ...) at the table's node and supply,
// with the dynamic overhead.
double op_pj(const Table& t, const std::string& op);

// SRAM access energy (pJ, at the table's node) of a memory of `words` words of `bits` bits.
double sram_read_pj(const Table& t, int64_t words, int bits);
double sram_write_pj(const Table& t, int64_t words, int bits);
double sram_leakage_mw(const Table& t, int64_t words, int bits);

// Area (mm2 at the table's node). SRAM: bits x bitcell x (1 + periphery_k / sqrt(bits)) (the
// periphery grows with rows + columns, so small macros pay more per bit). Logic: Yosys generic
// cells by type x NAND2 equivalents per type x the NAND2 area.
double sram_area_mm2(const Table& t, int64_t words, int bits);
double logic_area_mm2(const Table& t, const std::map<std::string, double>& cells_by_type);
// The NAND2 equivalents of one Yosys generic cell type (area.logic.ge, else area.logic.default_ge).
double cell_ge(const Table& t, const std::string& type);

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
  // leakage_pj counts the busy cycles only (idle time power-gated); total_pj = dynamic + that.
  double dynamic_pj = 0.0, leakage_pj = 0.0, total_pj = 0.0;
  // Real-time operation: the memories leak over every timestep of timestep_us (the chip waits
  // for the next timestep); average power over that time.
  double leakage_realtime_pj = 0.0, total_realtime_pj = 0.0, realtime_power_uw = 0.0;
  double leakage_mw = 0.0;  // of all memories, at the table's supply
  // Bands (low, high) of the figures below, from the profile's band factors.
  Band total_band, realtime_total_band, realtime_power_band, per_sop_band, per_timestep_band, per_sample_band,
      per_weight_update_band;
  double memory_area_mm2 = 0.0;
  Band memory_area_band;
  std::map<std::string, double> area_by_memory_mm2;
  std::map<std::string, double> by_unit;
  std::map<std::string, double> by_memory;
  double pj_per_sop = 0.0;              // total / synaptic operations
  double pj_per_timestep = 0.0;
  double pj_per_sample = 0.0;           // per inference (or training sample)
  double pj_per_weight_update = 0.0;    // learning: (weight updates, probes, weight writes) / weight updates
  // A training run with the counters at the end of training (estimate_split): per training
  // sample (the training part's energy over its samples) and per inference (the test part's);
  // an inference run: per inference = per sample. 0 when not known.
  double pj_per_training_sample = 0.0, pj_per_inference = 0.0;
  Band per_training_sample_band, per_inference_band;
  double cycles_per_timestep = 0.0;     // phases IN .. UPD of the timesteps (RST and end-of-sample excluded)
  double latency_us_per_timestep = 0.0; // at the table's clock
  std::vector<std::string> warnings;
};

Estimate estimate(const Table& t, const chip::Sizes& sizes, const Counts& c);
// The same, with energy per training sample and per inference: `train` holds the counters when
// training ended (nullptr: an inference run, or not recorded), c - train are the test samples'.
Estimate estimate_split(const Table& t, const chip::Sizes& sizes, const Counts& c, const Counts* train);
// a - b, counter by counter (std::runtime_error naming the counter when b exceeds a).
Counts minus(const Counts& a, const Counts& b);
nlohmann::json to_json(const Estimate& e, const Table& t);
nlohmann::json band_json(const Band& b);  // {"low", "high"}

}  // namespace eligo::energy
