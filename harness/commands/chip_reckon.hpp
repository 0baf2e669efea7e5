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
#include "harness/commands/chip_config.hpp"

namespace eligo::harness {

// Where the samples run: the bit-exact model alone (eligo chip) or the RTL in lock-step with it
// (eligo cosim, which throws on a mismatch).
class SampleRunner {
 public:
  virtual ~SampleRunner() = default;
  virtual void set_learning(bool learn) = 0;
  virtual chip::SampleResult run(const tasks::Batch& b, int s, int learning_window, bool update) = 0;
  virtual const chip::Core& core() const = 0;  // counters and cycles of the run
};
// Builds the runner for the benchmark's chip image and calls body with it (for its lifetime).
using RunnerScope = std::function<void(const chip::ChipImage&, const std::function<void(SampleRunner&)>&)>;
RunnerScope model_runner();

// epochs_override > 0 replaces task.epochs. Prints a line per epoch and writes out/report.json
// (with `engine`: "model", or the RTL engine's name).
int run_reckon_cue(const ChipRun& r, const std::string& config_path, const std::string& out_dir,
                   int epochs_override, const RunnerScope& scope = model_runner(),
                   const std::string& engine = "model");

}  // namespace eligo::harness
