// The chip config of eligo chip / quantize / cosim (JSON, read with io::JsonFields; the table is
// in docs/architecture.md "Chip config"):
//   network_config  a float run config (network, task, init, train.learning_window; path
//                   relative to the chip config), whose initial weights are quantised
//   mode            "inference" | "train"
//   iterations      training updates (default: the float config's train.iterations)
//   batch_size      samples per update (default: the float config's train.batch_size)
//   test_batches    held-out batches for the accuracy (default: task.test_batches)
//   chip            lanes, lr (a number, or {w_in, w_rec, w_out}), feedback (symmetric|random),
//                   update (per_batch|online), step (gradient|sign), lr_schedule
//                   {milestones, gamma}, trace (exact|windowed|factored), trace_pre_steps, seed,
//                   ts_budget, error {clamp {lo, hi},
//                   targets {off, on}} or absent, deepr {connectivity, l1, temperature} or absent
//   task            absent (the float config's task), or {"type": "reckon_cue_accumulation",
//                   data_dir, epochs, weight_scale}: ReckOn's cue-accumulation benchmark
//                   (docs/config.md "Chip config: ReckOn cue accumulation"); the network is then
//                   given inline as `network` (the float config's network object) instead of
//                   network_config, and iterations/batch_size/test_batches do not apply
//   energy          {"profile": "lp28nt" | "28nm"} or {"table": FILE} (relative to the chip
//                   config): the energy profile of report.json's energy (default lp28nt,
//                   docs/energy.md)
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "golden_model/energy/energy.hpp"
#include "golden_model/quantize/quantize.hpp"
#include "golden_model/experiment/run_setup.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/io/config.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::experiment {

// ReckOn's cue-accumulation benchmark (golden_model/tasks/reckon_cue.hpp).
struct ReckonTask {
  bool enabled = false;
  std::string data_dir;       // absolute: the folder with dataset_cueAcc_*.dat and the weights
  int epochs = 10;            // each: the training samples with e-prop, then the test samples
  double weight_scale = 0.0;  // w = q * weight_scale for the files' int8 weights q
};

struct ChipRun {
  io::RunConfig cfg;
  ReckonTask reckon;
  chip::ChipOptions opt;
  bool train = false;
  int iterations = 0, batch_size = 0, test_batches = 0;
  double target_off = 0.0, target_on = 1.0;  // chip.error.targets: the host's target encoding
  // chip.lr_schedule: before each training batch of lr_milestones the host multiplies every
  // matrix's rate by 2^-lr_shift_step (gamma), writing LR_*_SHIFT (docs/architecture.md).
  std::vector<int> lr_milestones;
  int lr_shift_step = 0;
  // chip.trace "windowed": steps traced before the learning window (CTRL.TRC_HOLD before);
  // "factored": 0 (and opt.trc_fact); -1 for "exact".
  // (chip.adapt_block, windowed only: ALIF eps_a in adaptation blocks of K steps, opt.adapt_block.)
  int trace_pre_steps = -1;
  // The config's "energy" profile or table (validated when the config is read), the default
  // profile when absent.
  energy::Table energy = energy::default_table();
};

// The train/test schedule of a batch-task run: mode, iterations, batch size, test batches, the
// float config's learning window, the rate schedule and the trace window.
Schedule chip_schedule(const ChipRun& r);

// Throws io::ConfigError naming the file, the key and the allowed range. weights_override, if
// not empty, replaces the float config's init.weights (an .npz of W_in, W_rec, W_out, B).
ChipRun load_chip_config(const std::string& path, const std::string& weights_override = "");
// The same from a parsed document (the Python module's dict configs): `path` names it in
// messages, relative paths in it (network_config, task.data_dir) resolve against base_dir.
ChipRun parse_chip_config(const nlohmann::json& j, const std::string& path, const std::string& base_dir,
                          const std::string& weights_override = "");

// The ReckOn data directory when the config gives no data_dir: $ELIGO_SHARED_DATA/
// reckon-cue-accumulation if ELIGO_SHARED_DATA is set, else ../shared/data/reckon-cue-accumulation
// beside the repository this binary was built from.
std::string default_reckon_data_dir();

// What a chip run needs, built once from its config: the float run (task batches, initial
// weights, seeds) and the chip image of its quantised weights.
struct ChipSetup {
  Run run;
  chip::ChipImage image;
};
ChipSetup make_chip_setup(const ChipRun& r);

// ReckOn's benchmark (r.reckon.enabled): its training and test samples, read from
// r.reckon.data_dir, and the chip image of its initial weights (w = q * weight_scale; B, for
// random feedback only, drawn from the chip seed). tasks::ReckonDataError naming config_path when
// the folder does not exist.
struct ReckonSetup {
  tasks::Batch train, test;
  chip::ChipImage image;
  int learning_window = 0;
};
ReckonSetup make_reckon_setup(const ChipRun& r, const std::string& config_path);

}  // namespace eligo::experiment
