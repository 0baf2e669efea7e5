// Energy of one toggle of one RTL signal bit (table entry ops.toggle, scaled from its node and
// supply to the table's like every other entry; a calibrated profile's dynamic_overhead is not
// applied: the toggles are their own view of the logic's switching): the activity-based estimate
// of `eligo cosim --activity` (systemc/activity.hpp) and `eligo report`.
#pragma once

#include <stdexcept>
#include <string>

#include "golden_model/energy/energy.hpp"

namespace eligo::energy {

inline double pj_per_toggle(const Table& t) {
  const nlohmann::json& ops = t.j["ops"];
  if (!ops.contains("toggle") || !ops["toggle"].contains("pj") || !ops["toggle"].contains("node_nm") ||
      !ops["toggle"]["pj"].is_number() || !ops["toggle"]["node_nm"].is_number()) {
    throw std::runtime_error(t.source + ": ops.toggle: missing (pj, node_nm and source of the energy of one "
                                        "RTL signal-bit toggle, needed by the activity-based estimate)");
  }
  // Scaled to the table's supply with V^2 (a toggle entry without supply_v is taken at the table's).
  const double v = ops["toggle"].contains("supply_v") && ops["toggle"]["supply_v"].is_number()
                       ? ops["toggle"]["supply_v"].get<double>()
                       : t.supply_v;
  return ops["toggle"]["pj"].get<double>() * node_factor(t, ops["toggle"]["node_nm"].get<double>(), t.node_nm) *
         dynamic_voltage_factor(t, v);
}

}  // namespace eligo::energy
