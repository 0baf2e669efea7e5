// ReckOn's cue-accumulation benchmark on the bit-exact chip model with ReckOn's own data and
// initial weights (read from the shared data folder, never copied into the repository):
// examples/reckon_cue_accumulation.json learns the task in one epoch (ReckOn's own RTL: 90% test
// after epoch 1; this config: 96% on chip.seed 1, 2, 3 and 7).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "golden_model/experiment/chip_config.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;

namespace {

TEST(ChipReckonLearning, TheExampleReaches85PercentAfterOneEpoch) {
  const std::string data = eligo::experiment::default_reckon_data_dir();
  if (!fs::is_directory(data)) GTEST_SKIP() << data << " is missing (the shared ReckOn data)";
  const fs::path out = eligo::testing::scratch_dir("chip_reckon_learning");
  const auto r = eligo::testing::run_eligo("chip --config " + std::string(ELIGO_SOURCE_DIR) +
                                           "/examples/reckon_cue_accumulation.json --epochs 1 --out " + out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json j = eligo::testing::read_json(out / "report.json");
  ASSERT_EQ(j["epochs"].size(), 1u);
  const double test = j["epochs"][0]["test_accuracy"].get<double>();
  RecordProperty("test_accuracy", std::to_string(test));
  EXPECT_GE(test, 0.85) << "ReckOn's benchmark after one epoch";
}

}  // namespace
