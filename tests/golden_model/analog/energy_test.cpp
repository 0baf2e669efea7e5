// Tests of the analog energy model (golden_model/analog/energy.*): the built-in table is
// data/energy/analog.json with a source for every entry; reports are counts x energies.
#include "golden_model/analog/energy.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/files.hpp"

namespace eligo::analog {
namespace {

using eligo::testing::read_text;

TEST(EnergyTable, BuiltinIsTheFileOnDiskAndEveryEntryHasASource) {
  EXPECT_EQ(EnergyTable::builtin_text(), read_text(std::string(ELIGO_SOURCE_DIR) + "/data/energy/analog.json"))
      << "the library embeds an old data/energy/analog.json: re-run cmake";
  const EnergyTable t = EnergyTable::builtin();
  for (const auto& k : EnergyTable::required()) {
    ASSERT_EQ(t.entries.count(k), 1u) << k;
    EXPECT_FALSE(t.entries.at(k).source.empty()) << k;
  }
  // The cited NeuRRAM figures (ENERGY-SOURCES.md).
  EXPECT_EQ(t.at("adc_conversion_j"), 0.3e-12);
  EXPECT_EQ(t.at("sample_j"), 1.2e-12);
  EXPECT_EQ(t.at("neuron_update_j"), 0.25e-12);
  EXPECT_EQ(t.at("shift_add_j"), 0.1e-12);
}

TEST(EnergyTable, BadTablesNameTheFileAndEntry) {
  auto error = [](const std::string& text) {
    try {
      EnergyTable::parse(text, "t.json");
    } catch (const EnergyTableError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  nlohmann::json j = nlohmann::json::parse(EnergyTable::builtin_text());
  j["entries"]["sample_j"].erase("source");
  EXPECT_EQ(error(j.dump()).rfind("t.json: entries.sample_j.source: missing or empty", 0), 0u) << error(j.dump());
  j = nlohmann::json::parse(EnergyTable::builtin_text());
  j["entries"]["sample_j"]["value"] = -1.0;
  EXPECT_NE(error(j.dump()).find("t.json: entries.sample_j.value: -1.0 is out of range (allowed: >= 0"), std::string::npos)
      << error(j.dump());
  j = nlohmann::json::parse(EnergyTable::builtin_text());
  j["entries"].erase("device_write_j");
  EXPECT_NE(error(j.dump()).find("entries.device_write_j: missing entry"), std::string::npos);
  j = nlohmann::json::parse(EnergyTable::builtin_text());
  j["entries"]["foo_j"] = {{"value", 1e-12}, {"source", "x"}};
  EXPECT_NE(error(j.dump()).find("entries.foo_j: unknown entry (allowed: synaptic_event_j"), std::string::npos);
}

TEST(EnergyTable, ConfigOverridesAndFileReplaceEntries) {
  AnalogParams p;
  p.energy_overrides["device_write_j"] = 1e-12;
  const EnergyTable t = table_for(p);
  EXPECT_EQ(t.at("device_write_j"), 1e-12);
  EXPECT_EQ(t.entries.at("device_write_j").source, "config override");
  p.energy_overrides = {{"nope_j", 1.0}};
  EXPECT_THROW(table_for(p), EnergyTableError);
  const auto path = std::filesystem::path(ELIGO_BINARY_DIR) / "energy_test_table.json";
  nlohmann::json j = nlohmann::json::parse(EnergyTable::builtin_text());
  j["entries"]["neuron_update_j"]["value"] = 2e-12;
  std::ofstream(path) << j.dump();
  p.energy_overrides.clear();
  p.energy_table = path.string();
  EXPECT_EQ(table_for(p).at("neuron_update_j"), 2e-12);
}

TEST(EnergyReport, CountsTimesEnergies) {
  EnergyTable t = EnergyTable::builtin();
  Counters inf;
  inf.sequences = 2;
  inf.synaptic_events = 1000;
  inf.input_events = 10;
  inf.neuron_updates = 100;
  inf.readout_updates = 20;
  inf.readout_conversions = 20;
  Counters tr = inf;
  tr.membrane_conversions = 100;
  tr.device_writes = 50;
  const EnergyReport r = make_report("analog", inf, tr, 5, t, 1e-3);
  const double e_inf = 1000 * t.at("synaptic_event_j") + 10 * t.at("dac_conversion_j") +
                       120 * t.at("neuron_update_j") +
                       20 * (t.at("sample_j") + t.at("adc_conversion_j") + t.at("shift_add_j"));
  ASSERT_TRUE(r.energy_per_inference_j);
  EXPECT_NEAR(*r.energy_per_inference_j, e_inf / 2, 1e-24);
  EXPECT_NEAR(*r.pj_per_sop, e_inf / 1000 * 1e12, 1e-12);
  const double e_tr = e_inf + 100 * (t.at("sample_j") + t.at("adc_conversion_j")) + 50 * t.at("device_write_j");
  EXPECT_NEAR(*r.energy_per_update_j, e_tr / 5, 1e-24);
  EXPECT_EQ(*r.latency_s, 1e-3);
  const nlohmann::json j = to_json(r, t);
  for (const char* k : {"energy_per_inference_j", "energy_per_update_j", "pj_per_sop", "latency_s", "breakdown"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_TRUE(j["energy_table"]["entries"]["sample_j"].contains("source"));
  // No on-chip learning: no energy per update.
  const EnergyReport d = make_report("analog", inf, {}, 0, t, 1e-3);
  EXPECT_FALSE(d.energy_per_update_j);
  EXPECT_TRUE(to_json(d, t)["energy_per_update_j"].is_null());
  EXPECT_DOUBLE_EQ(latency_s(610, 1.0, 1000.0), 610e-6);
}

}  // namespace
}  // namespace eligo::analog
