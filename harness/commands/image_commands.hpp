// `eligo train` for the image models (configs with a top-level "model" other than "lsnn"):
//   "mlp":   feedforward classifier on Fashion-MNIST, dense or DEEP R (examples/deepr_fashion_mnist.json)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace eligo::harness {

// The "model" key of a config file: "lsnn" when absent or when the file does not parse (the LSNN
// loader then reports the parse error).
std::string config_model(const std::string& path);

int train_mlp_config(const std::string& path, const std::string& out,
                     std::optional<uint64_t> seed);

}  // namespace eligo::harness
