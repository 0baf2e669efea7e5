// One lock-step co-simulation of a chip config on its task, and its report: what `eligo cosim`
// runs (harness/commands/cosim_commands.cpp) and the Python module's eligo.cosim
// (python/eligo_module.cpp), one implementation for both. Training configs learn on chip as
// `eligo chip` does (iterations of batch_size samples, UPDATE at the end of each batch), then are
// tested with learning off; inference configs run `samples` samples of the first test batch.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "golden_model/energy/energy.hpp"
#include "golden_model/experiment/checkpoint.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "systemc/activity.hpp"
#include "systemc/hooks.hpp"
#include "systemc/scoreboard.hpp"

namespace eligo::cosim {

struct RunOptions {
  std::string engine = "cc";  // with_engine's: "systemc", "cc", kActivityEngine
  int samples = 1;            // inference: samples of test batch 0
  int iterations = -1;        // training: override of the config's iterations (-1: the config's)
  int test_samples = -1;      // training: test samples per test batch (-1: the whole batch)
  std::vector<Fault> faults;  // bit flips in RTL memories (FaultInjector)
  std::string record;         // the input pins of every cycle to this file (stimulus.hpp), "" for none
  std::string trace;          // FST file traced from timestep trace_from on (trace_from >= 0)
  int64_t trace_from = -1;
  // Checkpoints of a training run on the cc engine (docs/runs.md): the chip's state (the model's,
  // the RTL's and the scoreboard's: Cosim::save_state) and the result so far written to
  // `checkpoint` after every `checkpoint_every` training batches (0: none; never after the last);
  // `resume`: the run first continues from `checkpoint` (printing "resumed from FILE after K
  // batches" when announce_resume).
  std::string checkpoint;
  experiment::ChipIdentity checkpoint_id;
  int checkpoint_every = 0;
  bool resume = false;
  bool announce_resume = true;
};

struct RunResult {
  std::optional<Mismatch> mismatch;
  CosimStats stats;
  uint64_t rtl_cycles = 0;
  double wall_s = 0.0;
  double wall_s_per_train_sample = 0.0;
  nlohmann::json counters;
  nlohmann::json neurobench;  // the NeuroBench-named metrics of the model (experiment::neurobench_json)
  nlohmann::json learning_curve = nlohmann::json::array();
  nlohmann::json test = nullptr;
  std::optional<Toggles> toggles;  // engine kActivityEngine
  energy::Counts counts;           // the model's, for the event-based estimate beside the toggles
};

// The run's train/test schedule: the config's, with the options' iterations and test samples
// (inference: one test batch of `samples` samples).
experiment::Schedule cosim_schedule(const experiment::ChipRun& r, const RunOptions& o);

// The co-simulation of the run (the RTL of setup.image's sizes: std::invalid_argument naming the
// built ones when this build has no model for them). `observer` sees every sample (progress; an
// exception thrown from it stops the run).
RunResult run_cosim(const experiment::ChipRun& r, const experiment::ChipSetup& setup, const RunOptions& o,
                    const experiment::Observer& observer = {});

// The first divergence's fields, as report.json's first_mismatch.
nlohmann::json mismatch_json(const Mismatch& m);

// report.json of a run without --activity (cosim_commands.cpp adds "activity"): `config` names the
// config, `engine` the engine, `faults` their strings, `waveform` the FST file written (or null).
nlohmann::json report_json(const std::string& config, const std::string& engine, const experiment::ChipRun& r,
                           const RunResult& res, const std::vector<std::string>& faults,
                           const nlohmann::json& waveform);

}  // namespace eligo::cosim
