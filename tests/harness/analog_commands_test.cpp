// `eligo train --backend analog` and `eligo compare` end to end (harness/commands/analog_commands.cpp):
// the files the contract promises, the digital backend reported as absent, determinism.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "golden_model/io/npy.hpp"
#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;

namespace {

int run(const std::string& args, std::string* out = nullptr) {
  const eligo::testing::CommandResult r = eligo::testing::run_eligo(args);
  if (out) *out = r.output;
  return r.status;
}

using eligo::testing::read_text;

// The arrays of an .npz (the zip container carries file times, so bytes differ between runs).
std::map<std::string, std::vector<double>> arrays(const fs::path& p) {
  std::map<std::string, std::vector<double>> out;
  for (const auto& [k, a] : eligo::io::read_npz(p.string())) out[k] = a.data;
  return out;
}

fs::path scratch() { return eligo::testing::scratch_dir("analog_commands"); }

// A small, fast evidence-accumulation config (T = 75).
fs::path write_config(const fs::path& dir) {
  const fs::path p = dir / "c.json";
  std::ofstream(p) << R"({"seed": 3,
    "network": {"n_in": 8, "n_out": 2, "lif": {"n": 6}, "alif": {"n": 6}},
    "task": {"type": "evidence_accumulation", "n_cues": 3, "t_cue": 10, "t_cue_spacing": 15,
             "t_delay": 20, "t_recall": 10, "test_batches": 2},
    "train": {"iterations": 3, "batch_size": 4, "learning_window": 10},
    "analog": {"fine_tune_iterations": 2, "neuron": {"tau_sigma": 0.2}}})";
  return p;
}

TEST(AnalogCommands, CompareWritesOneTableWithEveryBackend) {
  const fs::path d = scratch();
  const fs::path cfg = write_config(d);
  std::string out;
  ASSERT_EQ(run("compare --config " + cfg.string() + " --out " + (d / "a").string(), &out), 0) << out;
  ASSERT_EQ(run("compare --config " + cfg.string() + " --out " + (d / "b").string()), 0);
  const std::string ja = read_text(d / "a" / "compare.json");
  EXPECT_EQ(ja, read_text(d / "b" / "compare.json")) << "same config and seed: identical results";
  const auto j = nlohmann::json::parse(ja);
  ASSERT_EQ(j["rows"].size(), 4u);
  EXPECT_EQ(j["rows"][0]["backend"], "float");
  EXPECT_EQ(j["rows"][1]["backend"], "digital");
  EXPECT_EQ(j["rows"][1]["present"], true);
  EXPECT_GT(j["rows"][1]["energy_per_inference_j"].get<double>(), 0.0);
  EXPECT_GT(j["rows"][1]["latency_s"].get<double>(), 0.0);
  EXPECT_EQ(j["rows"][2]["backend"], "analog");
  EXPECT_GT(j["rows"][2]["energy_per_inference_j"].get<double>(), 0.0);
  EXPECT_TRUE(j["rows"][2]["energy_per_update_j"].is_null());
  EXPECT_GT(j["rows"][3]["energy_per_update_j"].get<double>(), 0.0);
  EXPECT_GT(j["rows"][3]["latency_s"].get<double>(), 0.0);
  const std::string md = read_text(d / "a" / "compare.md");
  EXPECT_NE(md.find("| digital | deployed float weights (bit-exact model) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| analog | deployed float weights |"), std::string::npos) << md;
  EXPECT_FALSE(fs::exists(d / "a" / "compare.json.tmp"));
}

TEST(AnalogCommands, TrainBackendAnalogWritesMetricsEnergyAndWeights) {
  const fs::path d = scratch();
  const fs::path cfg = write_config(d);
  std::string out;
  ASSERT_EQ(run("train --backend analog --config " + cfg.string() + " --out " + (d / "a").string(), &out), 0) << out;
  ASSERT_EQ(run("train --backend analog --config " + cfg.string() + " --out " + (d / "b").string()), 0);
  EXPECT_EQ(arrays(d / "a" / "weights.npz"), arrays(d / "b" / "weights.npz"));
  EXPECT_EQ(read_text(d / "a" / "energy.json"), read_text(d / "b" / "energy.json"));
  const auto m = nlohmann::json::parse(read_text(d / "a" / "metrics.json"));
  EXPECT_EQ(m["backend"], "analog");
  EXPECT_EQ(m["loss"].size(), 3u);
  EXPECT_TRUE(m["test"].contains("accuracy"));
  EXPECT_GT(m["energy"]["energy_per_update_j"].get<double>(), 0.0);
  // Another run seed: other weights.
  ASSERT_EQ(run("train --backend analog --config " + cfg.string() + " --seed 4 --out " + (d / "c").string()), 0);
  EXPECT_NE(arrays(d / "a" / "weights.npz"), arrays(d / "c" / "weights.npz"));
}

TEST(AnalogCommands, BadBackendAndAlgo) {
  const fs::path d = scratch();
  const fs::path cfg = write_config(d);
  std::string out;
  EXPECT_EQ(run("train --backend digital --config " + cfg.string(), &out), 2);
  EXPECT_NE(out.find("--backend: 'digital' is not allowed (allowed: float, analog)"), std::string::npos) << out;
  EXPECT_NE(run("train --backend analog --algo bptt --config " + cfg.string() + " --out " + (d / "x").string(), &out), 0);
  EXPECT_NE(out.find("eprop"), std::string::npos) << out;
}

}  // namespace
