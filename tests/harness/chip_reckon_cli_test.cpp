// eligo chip with task.type "reckon_cue_accumulation", end to end on a small synthetic data
// directory in the ReckOn format (2 training and 2 test samples; never the shared data): the
// report's per-epoch fields, --epochs, data_dir relative to the config, ELIGO_SHARED_DATA, and
// one-line errors for a malformed data file and a bad config.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/reckon_data.hpp"
#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;

namespace {

using eligo::testing::run_eligo;
using eligo::testing::write_text;

class ChipReckonCli : public eligo::testing::ScratchDirTest {
 protected:
  ChipReckonCli() : ScratchDirTest("chip_reckon") {}
  void SetUp() override {
    ScratchDirTest::SetUp();
    data_ = dir_ / "shared" / "reckon-cue-accumulation";
    eligo::testing::write_reckon_data(data_);
  }
  // The chip config; data_dir_json is the task's data_dir member ("" = none).
  std::string config(const std::string& data_dir_json, const std::string& extra = "") {
    return eligo::testing::write_reckon_chip_config(dir_, data_dir_json, extra);
  }
  nlohmann::json report(const fs::path& out) { return eligo::testing::read_json(out / "report.json"); }
  fs::path data_;
};

TEST_F(ChipReckonCli, EpochsOverrideAndReportFields) {
  const std::string cfg = config(R"(, "data_dir": "shared/reckon-cue-accumulation")");
  const fs::path out = dir_ / "out";
  const auto r = run_eligo("chip --config " + cfg + " --epochs 1 --out " + out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("epoch 1: train"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("epoch 2"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\033[K"), std::string::npos) << "progress shown while piped";
  const auto j = report(out);
  ASSERT_EQ(j["epochs"].size(), 1u);
  const auto& e = j["epochs"][0];
  EXPECT_EQ(e["epoch"].get<int>(), 1);
  for (const char* k : {"train_accuracy", "test_accuracy", "wall_s_per_train_sample"}) {
    ASSERT_TRUE(e.contains(k)) << k;
    EXPECT_GE(e[k].get<double>(), 0.0) << k;
  }
  EXPECT_LE(e["train_accuracy"].get<double>(), 1.0);
  EXPECT_EQ(j["timesteps"].get<int64_t>(), 4 * 2250);
  EXPECT_EQ(j["learning_window"].get<int>(), 150);
  EXPECT_EQ(j["data_dir"].get<std::string>(), data_.string());
  // The int8 weights map exactly (w = q / 64 by default).
  EXPECT_EQ(j["quantization_error"]["w_in"]["max_abs"].get<double>(), 0.0);
  EXPECT_GT(j["cycles"]["UPD"].get<uint64_t>(), 0u);
}

TEST_F(ChipReckonCli, SharedDataFromTheEnvironment) {
  const std::string cfg = config("");
  const fs::path out = dir_ / "out";
  const auto r = eligo::testing::run_command("ELIGO_SHARED_DATA=" + (dir_ / "shared").string() + " " +
                                             std::string(ELIGO_BINARY_DIR) + "/eligo chip --config " + cfg +
                                             " --epochs 1 --out " + out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(report(out)["data_dir"].get<std::string>(), data_.string());
  // Without the variable the default is beside the repository; pointing it elsewhere fails with
  // the directory named.
  const auto bad = eligo::testing::run_command("ELIGO_SHARED_DATA=" + (dir_ / "nowhere").string() + " " +
                                               std::string(ELIGO_BINARY_DIR) + "/eligo chip --config " + cfg +
                                               " --out " + out.string());
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find((dir_ / "nowhere" / "reckon-cue-accumulation").string() + ": no such directory"),
            std::string::npos)
      << bad.output;
}

TEST_F(ChipReckonCli, TheExampleRunsOnSyntheticData) {
  const fs::path out = dir_ / "out";
  const auto r = eligo::testing::run_command("ELIGO_SHARED_DATA=" + (dir_ / "shared").string() + " " +
                                             std::string(ELIGO_BINARY_DIR) + "/eligo chip --config " +
                                             std::string(ELIGO_SOURCE_DIR) + "/examples/reckon_cue_accumulation.json" +
                                             " --epochs 1 --out " + out.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = report(out);
  EXPECT_EQ(j["epochs"].size(), 1u);
  EXPECT_EQ(j["sizes"]["lanes"].get<int>(), 16);
  EXPECT_EQ(j["weight_scale"].get<double>(), 1.0 / 64.0);
}

TEST_F(ChipReckonCli, MalformedDataFileIsNamedWithItsLine) {
  write_text(data_, "dataset_cueAcc_test.dat", "2\r\n" + eligo::testing::reckon_sample(1, 1) + "12, 5\r\n40, 6\r\n");
  const std::string cfg = config(R"(, "data_dir": "shared/reckon-cue-accumulation")");
  const auto r = run_eligo("chip --config " + cfg + " --out " + (dir_ / "out").string());
  EXPECT_NE(r.status, 0);
  const std::string file = (data_ / "dataset_cueAcc_test.dat").string();
  EXPECT_NE(r.output.find(file + ": line "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(": channel 40 outside 0..39"), std::string::npos) << r.output;
}

TEST_F(ChipReckonCli, ConfigErrorsAreOneLine) {
  const std::string cfg = config("", R"( "network_config": "net.json",)");
  auto r = run_eligo("chip --config " + cfg);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("network_config: not used with task.type \"reckon_cue_accumulation\""), std::string::npos)
      << r.output;
  write_text(dir_, "chip2.json", R"({"mode": "train", "task": {"type": "reckon_cue_accumulation"},
      "network": {"n_in": 40, "n_out": 2, "lif": {"n": 50}, "alif": {"n": 0}}})");
  r = run_eligo("chip --config " + (dir_ / "chip2.json").string());
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("network: 40-50-2 does not match the data set's network"), std::string::npos) << r.output;
}

}  // namespace
