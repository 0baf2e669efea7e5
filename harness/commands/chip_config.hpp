// The chip config of eligo chip / quantize / cosim (JSON, read with io::JsonFields; the table is
// in docs/architecture.md "Chip config"):
//   network_config  a float run config (network, task, init, train.learning_window; path
//                   relative to the chip config), whose initial weights are quantised
//   mode            "inference" | "train"
//   iterations      training updates (default: the float config's train.iterations)
//   batch_size      samples per update (default: the float config's train.batch_size)
//   test_batches    held-out batches for the accuracy (default: task.test_batches)
//   chip            lanes, lr, feedback (symmetric|random), update (per_batch|online),
//                   seed, ts_budget, deepr {connectivity, l1, temperature} or absent
#pragma once

#include <string>

#include "golden_model/chip/quantize.hpp"
#include "golden_model/io/config.hpp"

namespace eligo::harness {

struct ChipRun {
  io::RunConfig cfg;
  chip::ChipOptions opt;
  bool train = false;
  int iterations = 0, batch_size = 0, test_batches = 0;
};

// Throws io::ConfigError naming the file, the key and the allowed range. weights_override, if
// not empty, replaces the float config's init.weights (an .npz of W_in, W_rec, W_out, B).
ChipRun load_chip_config(const std::string& path, const std::string& weights_override = "");

}  // namespace eligo::harness
