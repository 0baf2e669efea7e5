// eligo chip with task.type "reckon_cue_accumulation": ReckOn's cue-accumulation benchmark on the
// bit-exact chip model (data: golden_model/tasks/reckon_cue.hpp; keys: docs/config.md).
//
// Per epoch: the training samples in file order, each with on-chip e-prop and END_SAMPLE UPDATE
// (one weight update per sample), then the test samples without learning (mode "inference":
// only the test samples). A sample is correct when the readout with the larger mean output over
// the label window (the last T - 2100 = 150 steps) is the label.
#pragma once

#include <string>

#include "harness/commands/chip_config.hpp"

namespace eligo::harness {

// epochs_override > 0 replaces task.epochs. Prints a line per epoch and writes out/report.json.
int run_reckon_cue(const ChipRun& r, const std::string& config_path, const std::string& out_dir,
                   int epochs_override);

}  // namespace eligo::harness
