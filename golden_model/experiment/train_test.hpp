// The train/test loop of every chip command (eligo chip, cosim, the ReckOn benchmark, compare),
// over a chip::ChipPort: the bit-exact model alone or the RTL in lock-step with it.
//
// Training (a training run): `iterations` batches; of batch i the first min(B, batch_size) samples, with
// END_SAMPLE UPDATE after the last one (or after every sample). Then CTRL.LEARN off and the test:
// `test_batches` batches (all samples, or the first test_samples) without UPDATE. The loop stops
// at the first sample after which the port is not ok() (a co-simulation mismatch).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "golden_model/chip/task_runner.hpp"
#include "golden_model/energy/energy.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::experiment {

// Accuracy, loss, cycles and time of a set of samples, on the port's chip and, when the port has
// a reference (the RTL), on the model.
struct Tally {
  int n = 0, correct = 0, ref_correct = 0;
  double loss = 0.0, ref_loss = 0.0;
  int64_t cycles = 0, timesteps = 0;
  int64_t spikes = 0;   // of the recurrent neurons (SampleResult::spikes)
  double wall_s = 0.0;  // time spent running the samples (task generation excluded)
  void add(const chip::SampleResult& r, const chip::SampleResult& ref, int timesteps, double seconds);
  double accuracy() const { return static_cast<double>(correct) / (n ? n : 1); }
  double mean_loss() const { return loss / (n ? n : 1); }
  double ref_accuracy() const { return static_cast<double>(ref_correct) / (n ? n : 1); }
  double ref_mean_loss() const { return ref_loss / (n ? n : 1); }
};

struct Schedule {
  bool train = false;                // a training run: the training batches, then CTRL.LEARN off
  int iterations = 0;                // training batches
  int batch_size = 1;                // samples per training batch (at most the batch's B)
  bool update_every_sample = false;  // UPDATE after every training sample (ReckOn), not per batch
  bool learning_on = false;          // set CTRL.LEARN before training (else the port's setting)
  int test_batches = 0;
  int test_samples = -1;             // samples per test batch (-1: all)
  int learning_window = 0;           // 0: the whole sample
  bool trace_first_test = false;     // record the first test sample (TrainTestResult::first_test)
  // The host's learning-rate schedule: before training batch m of lr_milestones (ascending), it
  // adds lr_shift_step to every LR_*_SHIFT (each rate times 2^-lr_shift_step, exactly; at the
  // largest shift the mantissa shifts instead).
  std::vector<int> lr_milestones;
  int lr_shift_step = 0;
  // Windowed traces (>= 0): in training samples the per-synapse trace pass runs only from
  // trace_pre_steps before the learning window (CTRL.TRC_HOLD before it); -1: every step.
  int trace_pre_steps = -1;
  // With windowed traces: ALIF's eps_a kept in adaptation blocks of this many steps before the
  // traced span (chip::run_sample's adapt_block; ALIF_RHO_BLK set at configure); 0: none.
  int adapt_block = 0;
};

using BatchSource = std::function<tasks::Batch(int)>;  // batch i (may be streamed)

struct TrainTestResult;

// Progress callbacks (all optional): after every sample, and after every batch; after_train_batch
// with the result so far (the curve and train tally of the training batches done), for checkpoints.
struct Observer {
  std::function<void(bool train, int sample, int samples, const Tally& batch)> on_sample;
  std::function<void(bool train, int batch, const Tally& tally)> on_batch;
  std::function<void(const TrainTestResult& so_far)> after_train_batch;
};

struct TrainTestResult {
  std::vector<Tally> curve;  // per training batch
  Tally train, test;
  // The performance counters of the test phase alone (the model's, at its end minus at its start).
  chip::PerfCounters test_counters;
  chip::SampleTrace first_test;
  bool ok = true;  // false: the port stopped (port.failure() says why)
  // A training run: the model's counters when training ended (energy per training sample
  // against per inference, energy::estimate_split).
  std::optional<energy::Counts> train_counts;
};

// Every matrix's rate times 2^-k (1 <= k <= 16), written to the port as the host would:
// LR_*_SHIFT, and LR_*_MANT once the shift is at its largest.
void scale_rates(chip::ChipPort& port, int k);

// resumed (a checkpoint): the result after resumed->curve.size() training batches, the port's chip
// holding the state after them; training goes on from the next batch.
TrainTestResult train_test(chip::ChipPort& port, const BatchSource& train_batch, const BatchSource& test_batch,
                           const Schedule& schedule, const Observer& observer = {},
                           const TrainTestResult* resumed = nullptr);

}  // namespace eligo::experiment
