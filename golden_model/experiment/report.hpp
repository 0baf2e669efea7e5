// The report builder: the parts of report.json that every chip command writes the same way
// (eligo chip, its ReckOn benchmark, eligo cosim, eligo compare's digital row).
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/quantize/quantize.hpp"

namespace eligo::experiment {

// {quantity: {format, n, saturated, max_abs, rms, rel_rms}}
nlohmann::json quant_errors_json(const std::vector<chip::QuantError>& errs);
// Every performance counter by name; with per_memory also "memory": {name: {reads, writes}}.
nlohmann::json counters_json(const chip::Core& core, bool per_memory = true);
// Cycles per phase (RST .. RWR) and their "total": of the core's counters, or counted elsewhere
// (the RTL's, in the co-simulation).
nlohmann::json cycles_json(const std::array<uint64_t, chip::spec::NUM_PHASES>& phase_cycles);
nlohmann::json cycles_json(const chip::Core& core);
// {n_in, n_rec, n_out, n_alif, lanes}
nlohmann::json sizes_json(const chip::Sizes& s);
// Energy and latency from the core's counters with `table` (energy::to_json); with `train`, the
// counters when training ended, energy per training sample and per inference too.
nlohmann::json energy_json(const chip::Core& core, const energy::Table& table = energy::default_table(),
                           const energy::Counts* train = nullptr);
// The NeuroBench-named metrics (neurobench.hpp) of a run on `core`: its sizes and final weights,
// the test phase of `res` (tally and counters).
nlohmann::json neurobench_json(const chip::Core& core, const TrainTestResult& res);

// eligo chip's report.json of a finished train/test run of a chip config (run with
// chip_schedule(r) and trace_first_test) on `core`: timesteps, cycles per phase, counters, loss,
// accuracy, active connections, quantisation errors, sizes, learning curve, speed, energy, the
// first test sample; `config` and `wall` (seconds) as given. The Python module's Chip.run too.
nlohmann::json chip_report(const std::string& config, const ChipRun& r, const ChipSetup& setup, const chip::Core& core,
                           const TrainTestResult& res, double wall);

}  // namespace eligo::experiment
