// The "model": "mlp" config parser (examples/deepr_fashion_mnist.json and bad input).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "golden_model/io/config.hpp"
#include "harness/commands/image_commands.hpp"

namespace eligo::harness {
namespace {

TEST(MlpConfig, ExampleParses) {
  const MlpRun r = parse_mlp_config(std::string(ELIGO_SOURCE_DIR) + "/examples/deepr_fashion_mnist.json");
  EXPECT_EQ(r.sizes, (std::vector<int>{784, 300, 100, 10}));
  ASSERT_TRUE(r.deepr.has_value());
  EXPECT_EQ(r.deepr->connectivity, 0.02);
  EXPECT_TRUE(r.deepr->global_k);
  EXPECT_EQ(r.train.optimizer.kind, fl::OptimizerKind::Adam);
}

std::string write(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::path(ELIGO_BINARY_DIR) / "test_tmp" / "mlp_config" / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
  return p.string();
}

void expect_error(const std::string& text, const std::string& phrase) {
  const std::string path = write("c.json", text);
  try {
    parse_mlp_config(path);
    ADD_FAILURE() << "no error for " << text;
  } catch (const io::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(phrase), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("c.json"), std::string::npos) << e.what();
  }
}

TEST(MlpConfig, BadInputNamesKeyAndRange) {
  expect_error(R"({"model": "mlp", "mlp": {"epochs": 0}})", "mlp.epochs: 0 is out of range (allowed: integer in [1, 10000])");
  expect_error(R"({"model": "mlp", "mlp": {"lr": "fast"}})", "mlp.lr: expected number, got string");
  expect_error(R"({"model": "mlp", "deepr": {"connectivity": 1.5}})", "deepr.connectivity: 1.5 is out of range");
  expect_error(R"({"model": "mlp", "deepr": {"allocation": "random"}})", "deepr.allocation");
  expect_error(R"({"model": "mlp", "extra": 1})", "extra: unknown key");
  expect_error(R"({"model": "mlp", "mlp": {"sizes": [784, 10, 3]}})", "mlp.sizes");
}

TEST(MlpConfig, DenseWhenNoDeepRSection) {
  const MlpRun r = parse_mlp_config(write("dense.json", R"({"model": "mlp", "data": {"train_images": 100}})"));
  EXPECT_FALSE(r.deepr.has_value());
  EXPECT_EQ(r.train_images, 100);
}

}  // namespace
}  // namespace eligo::harness
