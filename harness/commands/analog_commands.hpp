// `eligo train --backend analog` and `eligo compare` (harness/commands/analog_commands.cpp).
#pragma once

#include <string>

#include "golden_model/io/config.hpp"

namespace eligo::harness {

// Chip-in-the-loop e-prop on the analog-core model (cfg.analog) from the run's initial weights
// (random, or init.weights: e.g. float-trained weights to fine-tune). Writes DIR/metrics.json
// (with "backend": "analog" and the energy report), DIR/energy.json and DIR/weights.npz.
int train_analog(const io::RunConfig& cfg, const std::string& out_dir);

}  // namespace eligo::harness
