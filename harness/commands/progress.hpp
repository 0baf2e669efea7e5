// Progress line for long runs: shown on a terminal (stderr is a TTY and $CI is unset),
// silent when output is piped or in CI.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>

#include "golden_model/experiment/train_test.hpp"
#include "golden_model/float/trainer.hpp"

namespace eligo::harness {

class Progress {
 public:
  Progress(std::string label, long total);
  ~Progress();
  // Redraws at most a few times per second; `what` is appended (e.g. "loss 0.52 acc 0.81").
  void update(long done, const std::string& what);
  void finish();
  bool enabled() const { return enabled_; }
  // True when progress is shown: stderr is a terminal and $CI is unset.
  static bool on_terminal();

 private:
  std::string label_;
  long total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

std::string format_duration(double seconds);

// A training-loop callback that shows "loss .. acc .. rate .. Hz" every log_every iterations
// (and at the last one) on `progress`.
std::function<void(const fl::IterationLog&)> training_progress(Progress& progress, int log_every,
                                                               int iterations);

// Progress of a chip train/test loop: "LABEL train" per training batch (its loss and accuracy),
// "LABEL test" per test batch.
experiment::Observer loop_progress(const std::string& label, const experiment::Schedule& schedule);

// A constrained-random co-simulation callback (cosim::RandomCosimOptions::on_configuration, called
// with the totals so far after each configuration): "N configurations" and the timesteps, capped
// at `total` (the last sample may run past it). A template so that this header needs no cosim.
template <class RandomCosimResult>
std::function<void(const RandomCosimResult&)> random_cosim_progress(Progress& progress, long total) {
  return [&progress, total](const RandomCosimResult& r) {
    progress.update(std::min(static_cast<long>(r.timesteps), total), std::to_string(r.configs) + " configurations");
  };
}

}  // namespace eligo::harness
