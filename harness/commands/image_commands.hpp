// `eligo train` for the image models (configs with a top-level "model" other than "lsnn"), over
// golden_model/experiment/image_run.hpp (the runs and their metrics; the Python module's too):
//   "mlp":   feedforward classifier on Fashion-MNIST, dense or DEEP R (examples/deepr_fashion_mnist.json)
//   "clapp": CLAPP layer-local learning and linear probes (examples/clapp_fashion_mnist.json)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "golden_model/experiment/image_run.hpp"

namespace eligo::harness {

// The "model" key of a config file: "lsnn" when absent or when the file does not parse (the LSNN
// loader then reports the parse error).
std::string config_model(const std::string& path);

// A "model": "mlp" config file, validated (golden_model/experiment/image_run.hpp).
using MlpRun = experiment::MlpRun;
MlpRun parse_mlp_config(const std::string& path);

int train_mlp_config(const std::string& path, const std::string& out,
                     std::optional<uint64_t> seed);
int train_clapp_config(const std::string& path, const std::string& out,
                       std::optional<uint64_t> seed);

}  // namespace eligo::harness
