// Calibration against silicon: a published chip (ReckOn, ODIN) described in the energy model's
// terms (data/energy/chips/*.json: its memories from its public RTL, what one synaptic operation
// reads and writes, its cycles, clock and supply, its logic as Yosys generic cells of
// scripts/synth_chip.sh) and priced with a profile at the chip's supply, against its published
// pJ/SOP, area and real-time power (docs/energy.md "Calibration against silicon").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden_model/energy/energy.hpp"

namespace eligo::energy {

struct Figure {
  std::string name;        // "pJ/SOP", "area mm2", "real-time power uW"
  double model = 0.0;
  Band band;               // the model's low/high
  double published = 0.0;  // 0 when the chip has none
  std::string source;      // of the published figure
  double ratio() const { return published > 0 ? model / published : 0.0; }
};

struct Calibration {
  std::string chip, source;
  double supply_v = 0.0;
  double dynamic_pj_per_sop = 0.0, leakage_uw = 0.0, memory_area_mm2 = 0.0, logic_area_mm2 = 0.0;
  std::vector<Figure> figures;
};

// Validates a chip description (std::runtime_error naming `source`, the field and its range).
void check_chip(const nlohmann::json& chip, const std::string& source);
// The profile's model of the chip at the chip's supply and node.
Calibration calibrate(const Table& profile, const nlohmann::json& chip, const std::string& source);
// The built-in chip descriptions (data/energy/chips/reckon.json, odin.json), in that order.
std::vector<std::pair<std::string, nlohmann::json>> builtin_chips();
// {chip, supply_v, figures: [{name, model, low, high, published, ratio, source}]}
nlohmann::json to_json(const Calibration& c);

}  // namespace eligo::energy
