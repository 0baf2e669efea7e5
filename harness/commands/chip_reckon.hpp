// eligo chip with task.type "reckon_cue_accumulation": ReckOn's cue-accumulation benchmark on the
// bit-exact chip model (data: golden_model/tasks/reckon_cue.hpp; keys: docs/config.md).
//
// Per epoch: the training samples in file order, each with on-chip e-prop and END_SAMPLE UPDATE
// (one weight update per sample), then the test samples without learning (mode "inference":
// only the test samples). A sample is correct when the readout with the larger mean output over
// the label window (the last T - 2100 = 150 steps) is the label.
#pragma once

#include <functional>
#include <string>

#include "golden_model/quantize/quantize.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "golden_model/experiment/chip_config.hpp"

namespace eligo::harness {

// Where the samples run: builds a chip port for the benchmark's chip image and calls body with it
// (for its lifetime): the bit-exact model alone (eligo chip) or the RTL in lock-step with it
// (eligo cosim, which throws on a mismatch).
using PortScope = std::function<void(const chip::ChipImage&, const std::function<void(chip::ChipPort&)>&)>;
PortScope model_port();

// Checkpoints between epochs (eligo chip --checkpoint-every N, --resume DIR; docs/runs.md):
// out_dir/checkpoint.bin after every `every` epochs (0: none; never after the last), holding the
// epochs' tallies and the core's state (experiment::write_epochs_checkpoint); `resume` continues
// from it (the port restores its chip: the model port, and the co-simulation's on the cc engine).
// A complete run removes it.
struct EpochCheckpoints {
  int every = 0;
  bool resume = false;
};

// epochs_override > 0 replaces task.epochs. Prints a line per epoch and writes out/report.json
// (with `engine`: "model", or the RTL engine's name).
int run_reckon_cue(const experiment::ChipRun& r, const std::string& config_path, const std::string& out_dir,
                   int epochs_override, const PortScope& scope = model_port(), const std::string& engine = "model",
                   const EpochCheckpoints& checkpoints = {});

}  // namespace eligo::harness
