// `eligo train --backend analog` below the command line: chip-in-the-loop e-prop on the
// analog-core behavioural model (golden_model/analog), its held-out test and energy, as
// metrics.json's content. Shared by harness/commands/analog_commands.cpp (which also runs
// `eligo compare` with the helpers below) and the Python module's Network.train(backend="analog").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "golden_model/analog/energy.hpp"
#include "golden_model/analog/in_the_loop.hpp"
#include "golden_model/experiment/run_setup.hpp"

namespace eligo::experiment {

// The analog core of a run config (its temporal noise from the run's seed, its own stream).
analog::Core make_analog_core(const io::RunConfig& cfg);

// Held-out evaluation on the core as programmed, with its inference event counts.
TestMetrics evaluate_on_analog_core(const Run& run, analog::Core& core, analog::Counters& counts);

// Timesteps of a sequence of the run's task.
int sequence_length(const Run& run);

struct AnalogTrainResult {
  nlohmann::json metrics;  // metrics.json's content (its "energy" is energy.json's)
  analog::EnergyReport report;
  std::vector<fl::IterationLog> log;
  TestMetrics test;
};

// Trains run.weights in place on the analog core in the loop (run.cfg's iterations), then tests
// them on the core; `config` names the config in the metrics. progress after every iteration.
AnalogTrainResult train_analog(Run& run, const std::string& config, const fl::ProgressFn& progress = {});

}  // namespace eligo::experiment
