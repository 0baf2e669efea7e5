// eligo chip's report.json, built from a finished train/test run of a chip config (the command
// writes it; the Python module's Chip.run returns it as a dict).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "golden_model/chip/core.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/experiment/train_test.hpp"

namespace eligo::harness {

// The report of `res` (run with experiment::chip_schedule(r) and trace_first_test) on `core`:
// timesteps, cycles per phase, counters, loss, accuracy, active connections, quantisation errors,
// learning curve, speed, energy, the first test sample; `config` and `wall` (seconds) as given.
nlohmann::json chip_report(const std::string& config, const experiment::ChipRun& r,
                           const experiment::ChipSetup& setup, const chip::Core& core,
                           const experiment::TrainTestResult& res, double wall);

}  // namespace eligo::harness
