#include "golden_model/energy/toggle.hpp"

#include <cstdio>

namespace eligo::energy {

using nlohmann::json;

std::vector<UnitAgreement> compare_units(const json& by_unit, const json& by_memory, const Estimate& e,
                                         const Counts& counts, const Table& t) {
  const double pj = pj_per_toggle(t), overhead = dynamic_overhead(t);
  std::vector<UnitAgreement> out;
  for (auto it = by_unit.begin(); it != by_unit.end(); ++it) {
    UnitAgreement a;
    a.unit = it.key();
    a.toggle_pj = it.value().at("priced_toggles").get<double>() * pj;
    const auto ev = e.by_unit.find(a.unit);
    a.event_pj = ev == e.by_unit.end() ? 0.0 : ev->second / overhead;
    a.ratio = a.toggle_pj > 0 && a.event_pj > 0 ? a.event_pj / a.toggle_pj : 0.0;
    char b[160];
    if (a.unit == "synapse_acc") {
      a.relation = kWithin;
      a.holds = a.event_pj <= 0 || (a.ratio >= 1.0 / kAddFactor && a.ratio <= kAddFactor);  // no events: not checked
      std::snprintf(b, sizeof b, "event / toggle = %.3g, outside [1/%g, %g]", a.ratio, kAddFactor, kAddFactor);
    } else if (a.unit == "memory") {
      a.relation = kPerAccess;
      std::string worst;
      for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
        const char* name = chip::spec::kMems[static_cast<size_t>(m)].name;
        if (!by_memory.contains(name)) continue;
        const auto c = counts.memory.find(name);
        const double reads = c == counts.memory.end() ? 0.0 : static_cast<double>(c->second.first);
        const double bound = reads * chip::spec::kMems[static_cast<size_t>(m)].bits;
        const double priced = by_memory[name].at("priced_toggles").get<double>();
        if (priced > bound) {
          a.holds = false;
          worst += std::string(worst.empty() ? "" : ", ") + name + " " + std::to_string(static_cast<uint64_t>(priced)) +
                   " > " + std::to_string(static_cast<uint64_t>(bound));
        }
      }
      std::snprintf(b, sizeof b, "priced toggles above reads x word bits: %s", worst.c_str());
    } else if (a.unit == "rewire_unit") {
      a.relation = kUnisolated;
    } else if (ev != e.by_unit.end() && a.unit != "leakage") {
      a.relation = kEventBound;
      a.holds = a.event_pj <= 0 || a.event_pj >= a.toggle_pj;
      std::snprintf(b, sizeof b, "event %.4g pJ < toggle %.4g pJ", a.event_pj, a.toggle_pj);
    } else {
      a.relation = kTogglesOnly;
    }
    if (!a.holds) a.detail = b;
    out.push_back(a);
  }
  return out;
}

json to_json(const std::vector<UnitAgreement>& a) {
  json j = json::object();
  for (const auto& u : a) {
    j[u.unit] = {{"relation", u.relation}, {"toggle_pj", u.toggle_pj}, {"event_pj", u.event_pj},
                 {"ratio", u.ratio},       {"holds", u.holds},         {"detail", u.detail}};
  }
  return j;
}

}  // namespace eligo::energy
