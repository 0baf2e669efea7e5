// Energy model of the analog core: event counts (core.hpp Counters) x energy per event from a
// table in which every entry names its source (data/energy/analog.json, built into the library;
// a config may replace the table or single entries). The report has the fields a digital-core
// report has too (energy_per_inference_j, energy_per_update_j, pj_per_sop, latency_s, breakdown)
// so that the two sit side by side (eligo compare).
//
//   synaptic_events  = synaptic_events x synaptic_event_j
//   dac              = input_events x dac_conversion_j
//   neurons          = (neuron_updates + readout_updates) x neuron_update_j
//   readout_adc      = readout_conversions x (sample_j + adc_conversion_j + shift_add_j)
//   membrane_adc     = membrane_conversions x (sample_j + adc_conversion_j)
//   programming      = device_writes x device_write_j
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden_model/analog/core.hpp"
#include "golden_model/analog/params.hpp"

namespace eligo::analog {

// A bad energy table: one line naming the file, the entry and what is allowed.
struct EnergyTableError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct EnergyEntry {
  double value_j = 0.0;
  std::string source;
};

struct EnergyTable {
  std::string name;
  std::map<std::string, EnergyEntry> entries;

  // The entries every table must have.
  static const std::vector<std::string>& required();
  // data/energy/analog.json as built into the library.
  static EnergyTable builtin();
  static const std::string& builtin_text();
  // Parses {"name": ..., "entries": {"<key>": {"value": J, "source": "..."}}}; throws
  // EnergyTableError naming source_name and the entry.
  static EnergyTable parse(const std::string& text, const std::string& source_name);
  static EnergyTable load(const std::string& path);
  double at(const std::string& key) const;
};

// The table of a run: the built-in one or p.energy_table, with p.energy_overrides applied
// (their source becomes "config override").
EnergyTable table_for(const AnalogParams& p);

// Energy by component (keys as in the comment above, in joules) for a set of counts.
std::map<std::string, double> energy_breakdown_j(const Counters& c, const EnergyTable& t);
double energy_total_j(const Counters& c, const EnergyTable& t);

// Latency of one inference of T steps: T dt_ms / 1000 / time_scale seconds.
double latency_s(int T, double dt_ms, double time_scale);

// The per-backend report. Absent quantities are empty optionals (JSON null).
struct EnergyReport {
  std::string backend;
  std::optional<double> energy_per_inference_j, energy_per_update_j, pj_per_sop, latency_s;
  std::map<std::string, double> breakdown_per_inference_j, breakdown_per_update_j;
  Counters inference, training;
  long updates = 0;
};

// inference: counts of the inference runs (sequences > 0); training: counts of the training
// runs with `updates` weight updates (updates = 0: no on-chip learning).
EnergyReport make_report(const std::string& backend, const Counters& inference,
                         const Counters& training, long updates, const EnergyTable& t,
                         double latency);

nlohmann::json to_json(const Counters& c);
nlohmann::json to_json(const EnergyReport& r, const EnergyTable& t);

}  // namespace eligo::analog
