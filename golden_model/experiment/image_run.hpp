// The image models of `eligo train` (configs with a top-level "model" of "mlp" or "clapp"), below
// the command line: their configs and runs, returning metrics.json's content. Shared by
// harness/commands/image_commands.cpp (which writes the files and prints) and the Python module.
//   "mlp":   feedforward classifier on Fashion-MNIST, dense or DEEP R (examples/deepr_fashion_mnist.json)
//   "clapp": CLAPP layer-local learning and linear probes (examples/clapp_fashion_mnist.json)
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "golden_model/float/clapp.hpp"
#include "golden_model/float/mlp.hpp"

namespace eligo::experiment {

// The "model" key of a config document: "lsnn" when absent or not a string.
std::string config_model(const nlohmann::json& doc);

// A "model": "mlp" config, validated (io::ConfigError naming the source, key and allowed range).
struct MlpRun {
  uint64_t seed = 1;
  std::string data_dir;              // Fashion-MNIST IDX files
  long train_images = 0, test_images = 0;  // 0 = all
  std::vector<int> sizes;
  fl::MlpTrainParams train;
  std::optional<fl::DeepRParams> deepr;  // absent = dense
  void set_seed(uint64_t s);             // eligo train --seed: the run's, training's and DEEP R's
};
// `source` names the document in errors; a relative data.dir resolves against base_dir.
MlpRun parse_mlp_config(const nlohmann::json& doc, const std::string& source, const std::string& base_dir);
MlpRun load_mlp_config(const std::string& path);  // relative to the file's folder

// Loads Fashion-MNIST, trains and tests; metrics.json's content (`config` names the config).
// on_epoch after every epoch (progress; an exception stops the run).
nlohmann::json train_mlp(const MlpRun& r, const std::string& config,
                         const std::function<void(const fl::MlpEpochLog&)>& on_epoch = {});

// The CLAPP experiment: metrics.json's content and the report's table (printed by eligo train).
struct ClappResult {
  nlohmann::json metrics;
  std::string table;
};
ClappResult run_clapp(const fl::ClappParams& params, const std::string& config,
                      const std::function<void(const std::string&)>& progress = {});

}  // namespace eligo::experiment
