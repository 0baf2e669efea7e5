// energy::compare_units (golden_model/energy/toggle.hpp): each relation holds on numbers that
// satisfy it and fails, saying why, on numbers that do not (the co-simulation test
// Activity.TogglesAndEventsAgreePerUnitOnATrainingRun applies it to a real run).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "golden_model/energy/toggle.hpp"

namespace eligo::energy {
namespace {

using nlohmann::json;

struct Scenario {
  Table t = default_table();
  Counts c;
  Estimate e;
  Scenario() {
    c.counters = {{"sops", 1000}, {"neuron_updates", 100}, {"timesteps", 10}};
    c.memory["W_IN"] = {10, 0};
    e = estimate(t, chip::Sizes(4, 4, 1, 2, 1), c);
  }
  // Toggles whose energy is the unit's event energy (before the overhead) / ratio.
  double toggles_for(const std::string& unit, double ratio) const {
    return e.by_unit.at(unit) / dynamic_overhead(t) / ratio / pj_per_toggle(t);
  }
  std::map<std::string, UnitAgreement> compare(double acc_ratio, double neuron_ratio, double w_in_toggles) const {
    const json by_unit = {{"synapse_acc", {{"priced_toggles", toggles_for("synapse_acc", acc_ratio)}}},
                          {"neuron_unit", {{"priced_toggles", toggles_for("neuron_unit", neuron_ratio)}}},
                          {"memory", {{"priced_toggles", w_in_toggles}}},
                          {"rewire_unit", {{"priced_toggles", 1e9}}},
                          {"sequencer", {{"priced_toggles", 5.0}}}};
    const json by_memory = {{"W_IN", {{"priced_toggles", w_in_toggles}}}};
    std::map<std::string, UnitAgreement> out;
    for (const auto& a : compare_units(by_unit, by_memory, e, c, t)) out[a.unit] = a;
    return out;
  }
};

TEST(Toggle, EachRelationHoldsOrSaysWhyNot) {
  const Scenario r;
  // W_IN: 10 reads of 16-bit words: at most 160 priced toggles of its read-data register.
  auto ok = r.compare(2.9, 1.0, 160);
  for (const char* u : {"synapse_acc", "neuron_unit", "memory", "rewire_unit", "sequencer"}) {
    EXPECT_TRUE(ok.at(u).holds) << u << ": " << ok.at(u).detail;
  }
  EXPECT_NEAR(ok.at("synapse_acc").ratio, 2.9, 1e-9);
  EXPECT_EQ(ok.at("synapse_acc").relation, kWithin);
  EXPECT_EQ(ok.at("neuron_unit").relation, kEventBound);
  EXPECT_EQ(ok.at("memory").relation, kPerAccess);
  EXPECT_EQ(ok.at("rewire_unit").relation, kUnisolated);
  EXPECT_EQ(ok.at("sequencer").relation, kTogglesOnly);
  EXPECT_TRUE(r.compare(1.0 / 2.9, 50.0, 0).at("synapse_acc").holds);

  const auto bad = r.compare(3.1, 0.9, 161);
  EXPECT_FALSE(bad.at("synapse_acc").holds);
  EXPECT_NE(bad.at("synapse_acc").detail.find("outside [1/3, 3]"), std::string::npos) << bad.at("synapse_acc").detail;
  EXPECT_FALSE(bad.at("neuron_unit").holds);
  EXPECT_NE(bad.at("neuron_unit").detail.find("event"), std::string::npos) << bad.at("neuron_unit").detail;
  EXPECT_FALSE(bad.at("memory").holds);
  EXPECT_NE(bad.at("memory").detail.find("W_IN 161 > 160"), std::string::npos) << bad.at("memory").detail;
  EXPECT_FALSE(r.compare(1.0 / 3.1, 1.0, 0).at("synapse_acc").holds);
}

}  // namespace
}  // namespace eligo::energy
