// The energy model: a small hand-computed scenario, the node scaling, and the locality of a
// table change (one entry changes exactly the matching line of the breakdown).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <tuple>
#include <vector>

#include "golden_model/energy/energy.hpp"
#include "tests/support/files.hpp"

namespace eligo::energy {
namespace {

chip::Sizes tiny() { return chip::Sizes(4, 4, 1, 2, 1); }

// Factor 40 nm -> 28 nm by hand: log-log interpolation of (45, 1), (32, 0.66), (20, 0.22).
double f40_to_28() {
  const double l40 = std::log(1.0) + (std::log(40.0) - std::log(45.0)) / (std::log(32.0) - std::log(45.0)) *
                                         (std::log(0.66) - std::log(1.0));
  const double l28 = std::log(0.66) + (std::log(28.0) - std::log(32.0)) / (std::log(20.0) - std::log(32.0)) *
                                          (std::log(0.22) - std::log(0.66));
  return std::exp(l28 - l40);
}

TEST(Energy, NodeScalingFollowsTheTable) {
  const Table t = default_table();
  EXPECT_NEAR(node_factor(t, 45, 32), 0.66, 1e-12);
  EXPECT_NEAR(node_factor(t, 45, 20), 0.22, 1e-12);
  EXPECT_NEAR(node_factor(t, 40, 28), f40_to_28(), 1e-12);
  EXPECT_LT(node_factor(t, 40, 28), 1.0);
}

TEST(Energy, HandComputedScenario) {
  const Table t = default_table();
  Counts c;
  c.counters["sops"] = 10;          // 10 x one 32-bit add
  c.counters["cycles_IN"] = 1000;   // 10 us at 100 MHz of leakage
  c.counters["timesteps"] = 2;
  // W_IN: 16 words x 16 bits = 32 bytes (below the first CACTI point: its per-bit energy).
  c.memory["W_IN"] = {5, 0};
  const Estimate e = estimate(t, tiny(), c);
  const double f = f40_to_28();
  const double sop = 10 * 0.21 * f;
  const double read = 5 * (0.50 / 16.0) * 16 * f;  // 448 B x 16 bit point: 0.50 pJ per 16-bit read
  // Leakage: 3.9 mW per 8 KB at 40 nm, scaled; every memory of the tiny core, 10 us.
  double bits = 0;
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const auto id = static_cast<chip::spec::Mem>(m);
    bits += static_cast<double>(chip::spec::mem_depth(id, 4, 4, 1, 2, 1)) * chip::spec::kMems[static_cast<size_t>(m)].bits;
  }
  const double leak = 3.9e-3 * bits / 65536.0 * f * 10e-6 * 1e12;
  // The readout update is priced per timestep and readout: 2 x (24-bit add + 24x24 and 24x32 multiplies).
  const double readout = 2 * (0.21 * 24 / 32 * f + 3.1 * (24.0 * 24 + 24.0 * 32) / 1024 * node_factor(t, 45, 28));
  EXPECT_NEAR(e.by_unit.at("synapse_acc"), sop, 1e-9);
  EXPECT_NEAR(e.by_memory.at("W_IN"), read, 1e-9);
  EXPECT_NEAR(e.leakage_pj, leak, 1e-9);
  EXPECT_NEAR(e.by_unit.at("readout_unit"), readout, 1e-9);
  EXPECT_NEAR(e.total_pj, sop + read + leak + readout, 1e-9);
  EXPECT_NEAR(e.pj_per_sop, e.total_pj / 10, 1e-12);
  EXPECT_NEAR(e.latency_us_per_timestep, 1000.0 / 2 / 100.0, 1e-12);
}

TEST(Energy, OneTableEntryChangesExactlyItsLine) {
  Table t = default_table();
  Counts c;
  for (const char* n : {"sops", "neuron_updates", "trace_updates", "learn_macs", "weight_updates", "probes",
                        "timesteps", "cycles_NEU"}) {
    c.counters[n] = 100;
  }
  c.memory["STATE"] = {100, 100};
  const Estimate a = estimate(t, tiny(), c);
  t.j["ops"]["compare"]["pj"] = 1.0;  // used by the neuron update only
  const Estimate b = estimate(parse_table(t.j, "changed"), tiny(), c);
  ASSERT_EQ(a.lines.size(), b.lines.size());
  int changed = 0;
  for (size_t i = 0; i < a.lines.size(); ++i) {
    if (a.lines[i].pj != b.lines[i].pj) {
      ++changed;
      EXPECT_EQ(a.lines[i].item, "neuron update");
    }
  }
  EXPECT_EQ(changed, 1);
}

TEST(Energy, BadTableNamesTheField) {
  Table t = default_table();
  t.j["ops"]["mul32"]["pj"] = -1;
  try {
    parse_table(t.j, "my.json");
    FAIL() << "a negative energy must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("my.json: ops.mul32.pj"), std::string::npos) << e.what();
  }
}

// Malformed entries that crashed or read out of bounds (an empty operand list, short entries) or
// gave total_pj: null (an SRAM point of 0 bytes) are refused, naming the field (issue 16).
TEST(Energy, MalformedEntriesAreRefusedNamingTheField) {
  using nlohmann::json;
  const std::vector<std::tuple<std::string, std::function<void(json&)>, std::string>> cases = {
      {"empty operand list", [](json& j) { j["units"]["sop"]["mul"] = json::array({json::array()}); },
       "my.json: units.sop.mul[0]: must be a pair of operand widths [a, b]"},
      {"one operand", [](json& j) { j["units"]["probe"]["mul"][0] = json::array({32}); },
       "my.json: units.probe.mul[0]: must be a pair"},
      {"mul not a list", [](json& j) { j["units"]["sop"]["mul"] = 3; }, "my.json: units.sop.mul: must be a list"},
      {"add width not a number", [](json& j) { j["units"]["sop"]["add_bits"][0] = "32"; },
       "my.json: units.sop.add_bits[0]: must be a finite number >= 0"},
      {"unit not an object", [](json& j) { j["units"]["learn_mac"] = json::array(); },
       "my.json: units.learn_mac: must be an object"},
      {"sram point of 0 bytes", [](json& j) { j["sram"]["points"][0]["bytes"] = 0; },
       "my.json: sram.points[0].bytes: must be a finite number > 0"},
      {"sram point without width", [](json& j) { j["sram"]["points"][1].erase("width"); },
       "my.json: sram.points[1].width: missing"},
      {"no read energy", [](json& j) {
         for (auto& p : j["sram"]["points"]) p.erase("read_pj");
       },
       "my.json: sram.points: no point has read_pj"},
      {"op without pj", [](json& j) { j["ops"]["add32"].erase("pj"); }, "my.json: ops.add32.pj: missing"},
      {"node key not a number", [](json& j) { j["scaling"]["factor_vs_45nm"]["x"] = 1.0; }, "my.json: scaling.factor_vs_45nm.x: the key must be a node in nm"},
      {"sram without points", [](json& j) { j["sram"].erase("points"); }, "my.json: sram.points: missing"},
  };
  for (const auto& [name, change, message] : cases) {
    SCOPED_TRACE(name);
    json j = default_table().j;
    change(j);
    eligo::testing::expect_one_line_error<std::runtime_error>([&] { parse_table(j, "my.json"); }, {message});
  }
}

}  // namespace
}  // namespace eligo::energy
