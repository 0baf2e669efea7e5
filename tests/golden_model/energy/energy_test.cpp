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

// The CACTI 40 nm profile (28nm.json) the hand computations below use (no dynamic overhead, 100 MHz).
Table cacti() { return named_table("28nm"); }

// Factor 40 nm -> 28 nm by hand: log-log interpolation of (45, 1), (32, 0.66), (20, 0.22).
double f40_to_28() {
  const double l40 = std::log(1.0) + (std::log(40.0) - std::log(45.0)) / (std::log(32.0) - std::log(45.0)) *
                                         (std::log(0.66) - std::log(1.0));
  const double l28 = std::log(0.66) + (std::log(28.0) - std::log(32.0)) / (std::log(20.0) - std::log(32.0)) *
                                          (std::log(0.22) - std::log(0.66));
  return std::exp(l28 - l40);
}

TEST(Energy, NodeScalingFollowsTheTable) {
  const Table t = cacti();
  EXPECT_NEAR(node_factor(t, 45, 32), 0.66, 1e-12);
  EXPECT_NEAR(node_factor(t, 45, 20), 0.22, 1e-12);
  EXPECT_NEAR(node_factor(t, 40, 28), f40_to_28(), 1e-12);
  EXPECT_LT(node_factor(t, 40, 28), 1.0);
}

TEST(Energy, HandComputedScenario) {
  const Table t = cacti();
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
  Table t = cacti();
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
  Table t = cacti();
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
      // Profiles (issue 18): supplies, voltage scaling, bands and area, each with its range.
      {"no supply", [](json& j) { j.erase("supply_v"); }, "my.json: (top).supply_v: missing"},
      {"supply out of range", [](json& j) { j["supply_v"] = 3.3; }, "my.json: (top).supply_v: must be a number in [0.3, 1.5]"},
      {"op without its supply", [](json& j) { j["ops"]["mul32"].erase("supply_v"); }, "my.json: ops.mul32.supply_v: missing"},
      {"sram supply not a number", [](json& j) { j["sram"]["supply_v"] = "0.9"; }, "my.json: sram.supply_v: must be a number in [0.3, 1.5]"},
      {"leakage law out of range", [](json& j) { j["voltage_scaling"]["leakage_k_per_v"] = -1; },
       "my.json: voltage_scaling.leakage_k_per_v: must be a number in [0, 20]"},
      {"band above 1 at the low end", [](json& j) { j["band"]["dynamic"][0] = 1.5; },
       "my.json: band.dynamic[0]: must be a number in [0.01, 1]"},
      {"band not a pair", [](json& j) { j["band"]["area"] = 2; }, "my.json: band.area: must be [low, high] factors"},
      {"no area", [](json& j) { j.erase("area"); }, "my.json: area: missing"},
      {"bitcell of 0", [](json& j) { j["area"]["sram"]["bitcell_um2"] = 0; },
       "my.json: area.sram.bitcell_um2: must be a number in [0.01, 10]"},
      {"cell type of 50 NAND2", [](json& j) { j["area"]["logic"]["ge"]["$_XOR_"] = 50; },
       "my.json: area.logic.ge.$_XOR_: must be a number in [0.1, 20]"},
      {"overhead below 1", [](json& j) { j["dynamic_overhead"] = {{"factor", 0.5}, {"source", "x"}}; },
       "my.json: dynamic_overhead.factor: must be a number in [1, 10]"},
  };
  for (const auto& [name, change, message] : cases) {
    SCOPED_TRACE(name);
    json j = cacti().j;
    change(j);
    eligo::testing::expect_one_line_error<std::runtime_error>([&] { parse_table(j, "my.json"); }, {message});
  }
}

// Voltage scaling: every dynamic line scales with (V / V_table)^2 exactly, the leakage with its own
// law (V / V0) exp(k (V - V0)); the node is unchanged.
TEST(Energy, SupplyScalesDynamicEnergyWithVSquaredAndLeakageWithItsLaw) {
  Counts c;
  for (const char* n : {"sops", "neuron_updates", "trace_updates", "learn_macs", "weight_updates", "probes", "timesteps",
                        "cycles_NEU"}) {
    c.counters[n] = 100;
  }
  c.memory["STATE"] = {100, 100};
  const Table a = cacti();
  Table b = a;
  b.j["supply_v"] = 0.45;
  b = parse_table(b.j, "half supply");
  const Estimate ea = estimate(a, tiny(), c), eb = estimate(b, tiny(), c);
  ASSERT_EQ(ea.lines.size(), eb.lines.size());
  for (size_t i = 0; i < ea.lines.size(); ++i) {
    if (ea.lines[i].unit == "leakage") continue;
    EXPECT_NEAR(eb.lines[i].pj, ea.lines[i].pj * 0.25, 1e-9 * ea.lines[i].pj) << ea.lines[i].item;
  }
  const double k = a.j["voltage_scaling"]["leakage_k_per_v"].get<double>();
  EXPECT_NEAR(eb.leakage_pj, ea.leakage_pj * 0.5 * std::exp(k * (0.45 - 0.9)), 1e-9 * ea.leakage_pj);
  EXPECT_LT(eb.leakage_pj, ea.leakage_pj * 0.5);  // leakage falls faster than V: the DIBL term
}

// Leakage both ways: over the busy cycles, and over every whole timestep in real time; the
// average real-time power by hand; bands hold the value and follow the profile's factors.
TEST(Energy, LeakageOverBusyCyclesAndOverTheRealTimeTimestep) {
  const Table t = cacti();
  Counts c;
  c.counters["sops"] = 10;
  c.counters["cycles_IN"] = 1000;  // 10 us at 100 MHz
  c.counters["timesteps"] = 2;     // 2 ms in real time
  c.memory["W_IN"] = {5, 0};
  const Estimate e = estimate(t, tiny(), c);
  EXPECT_NEAR(e.leakage_pj, e.leakage_mw * 1e-3 * 10e-6 * 1e12, 1e-9);
  EXPECT_NEAR(e.leakage_realtime_pj, e.leakage_mw * 1e-3 * 2e-3 * 1e12, 1e-6);
  EXPECT_NEAR(e.total_realtime_pj, e.dynamic_pj + e.leakage_realtime_pj, 1e-6);
  EXPECT_NEAR(e.realtime_power_uw, e.total_realtime_pj * 1e-12 / 2e-3 * 1e6, 1e-9);
  const Band bd = band(t, "dynamic"), bl = band(t, "leakage");
  EXPECT_NEAR(e.total_band.low, e.dynamic_pj * bd.low + e.leakage_pj * bl.low, 1e-9);
  EXPECT_NEAR(e.total_band.high, e.dynamic_pj * bd.high + e.leakage_pj * bl.high, 1e-9);
  EXPECT_NEAR(e.realtime_power_band.high, (e.dynamic_pj * bd.high + e.leakage_realtime_pj * bl.high) * 1e-12 / 2e-3 * 1e6, 1e-9);
  for (const Band& b : {e.total_band, e.realtime_power_band, e.per_sop_band, e.per_timestep_band}) {
    EXPECT_LT(b.low, b.high);
  }
  EXPECT_LE(e.per_sop_band.low, e.pj_per_sop);
  EXPECT_GE(e.per_sop_band.high, e.pj_per_sop);
}

// Area by hand: SRAM bits x bitcell x (1 + k / sqrt(bits)); logic cells x NAND2 equivalents x the
// NAND2 area (an unlisted type takes default_ge).
TEST(Energy, AreaOfMemoriesAndLogicByHand) {
  const Table t = cacti();
  const auto& a = t.j["area"];
  const double cell = a["sram"]["bitcell_um2"].get<double>(), k = a["sram"]["periphery_k"].get<double>();
  EXPECT_NEAR(sram_area_mm2(t, 8192, 32), 262144 * cell * (1 + k / 512.0) * 1e-6, 1e-15);
  // Per bit, a small macro pays more than a large one.
  EXPECT_GT(sram_area_mm2(t, 128, 128) / (128 * 128), sram_area_mm2(t, 4096, 128) / (4096 * 128));
  const double nand2 = a["logic"]["nand2_um2"].get<double>();
  const double ge_xor = a["logic"]["ge"]["$_XOR_"].get<double>(), ge_other = a["logic"]["default_ge"].get<double>();
  EXPECT_NEAR(logic_area_mm2(t, {{"$_XOR_", 10}, {"$_NOT_KNOWN_", 3}}), (10 * ge_xor + 3 * ge_other) * nand2 * 1e-6, 1e-15);
  Counts c;
  const Estimate e = estimate(t, tiny(), c);
  double sum = 0.0;
  for (const auto& [m, mm2] : e.area_by_memory_mm2) sum += mm2;
  EXPECT_NEAR(e.memory_area_mm2, sum, 1e-15);
  EXPECT_GT(e.memory_area_mm2, 0.0);
}

TEST(Energy, NamedProfiles) {
  // The default is the calibrated profile (docs/energy.md); the CACTI one stays selectable.
  EXPECT_EQ(default_table().source, named_table("lp28nt").source);
  EXPECT_EQ(std::string(kDefaultProfile), "lp28nt");
  const Table lp = named_table("lp28nt");
  EXPECT_EQ(lp.supply_v, 0.5);
  EXPECT_EQ(lp.node_nm, 28);
  EXPECT_EQ(lp.j, eligo::testing::read_json(std::string(ELIGO_SOURCE_DIR) + "/data/energy/lp28nt.json"));
  EXPECT_EQ(named_table("28nm").j, eligo::testing::read_json(std::string(ELIGO_SOURCE_DIR) + "/data/energy/28nm.json"));
  EXPECT_EQ(select_table("", "", "x").source, lp.source);
  EXPECT_EQ(select_table("28nm", "", "x").supply_v, 0.9);
  eligo::testing::expect_one_line_error<std::runtime_error>([] { select_table("28nm", "t.json", "--profile and --table"); },
                                                            {"--profile and --table exclude each other"});
  eligo::testing::expect_one_line_error<std::runtime_error>([] { named_table("7nm"); },
                                                            {"energy profile 7nm: unknown (allowed: 28nm, lp28nt)"});
}

// Energy per training sample and per inference: the counters at the end of training and the rest,
// each estimated on its own; the whole is their sum (leakage over busy cycles splits with the cycles).
TEST(Energy, SplitsTrainingSamplesFromInferences) {
  const Table t = cacti();
  Counts train, all;
  train.counters = {{"sops", 100}, {"trace_updates", 400}, {"weight_updates", 20}, {"samples", 2}, {"timesteps", 20},
                    {"cycles_TRC", 4000}};
  train.memory["W_IN"] = {50, 20};
  all = train;
  all.counters["sops"] += 60;
  all.counters["samples"] += 3;
  all.counters["timesteps"] += 30;
  all.counters["cycles_TRC"] += 0;
  all.counters["cycles_IN"] = 300;
  all.memory["W_IN"].first += 30;
  const Estimate e = estimate_split(t, tiny(), all, &train);
  const Estimate tr = estimate(t, tiny(), train), te = estimate(t, tiny(), minus(all, train));
  EXPECT_NEAR(e.pj_per_training_sample, tr.total_pj / 2, 1e-9);
  EXPECT_NEAR(e.pj_per_inference, te.total_pj / 3, 1e-9);
  EXPECT_NEAR(tr.total_pj + te.total_pj, e.total_pj, 1e-9 * e.total_pj);
  EXPECT_GT(e.pj_per_training_sample, e.pj_per_inference);  // traces and updates
  EXPECT_LE(e.per_inference_band.low, e.pj_per_inference);
  EXPECT_GE(e.per_training_sample_band.high, e.pj_per_training_sample);
  // An inference run: every sample an inference; a training run without the split: unknown.
  Counts inf = minus(all, train);
  const Estimate ei = estimate_split(t, tiny(), inf, nullptr);
  EXPECT_DOUBLE_EQ(ei.pj_per_inference, ei.pj_per_sample);
  EXPECT_EQ(ei.pj_per_training_sample, 0.0);
  EXPECT_EQ(estimate_split(t, tiny(), all, nullptr).pj_per_inference, 0.0);
  eligo::testing::expect_one_line_error<std::runtime_error>([&] { minus(train, all); },
                                                            {"counter cycles_IN: the training part exceeds the whole run"});
}

}  // namespace
}  // namespace eligo::energy
