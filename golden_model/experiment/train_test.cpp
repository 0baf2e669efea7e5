#include "golden_model/experiment/train_test.hpp"

#include <algorithm>
#include <chrono>

namespace eligo::experiment {

void Tally::add(const chip::SampleResult& r, const chip::SampleResult& ref, int steps, double seconds) {
  ++n;
  correct += r.predicted == r.label ? 1 : 0;
  ref_correct += ref.predicted == ref.label ? 1 : 0;
  loss += r.loss;
  ref_loss += ref.loss;
  cycles += r.cycles;
  timesteps += steps;
  wall_s += seconds;
}

namespace {

// Samples [0, n) of batch b, tallied per batch and into `total` (sample by sample, so that sums
// over several batches add in sample order); update(s): END_SAMPLE with UPDATE after sample s.
Tally run_batch(chip::ChipPort& port, const tasks::Batch& b, int n, int lw, const std::function<bool(int)>& update,
                bool train, const Observer& obs, chip::SampleTrace* first, Tally& total) {
  Tally t;
  for (int s = 0; s < n && port.ok(); ++s) {
    const auto t0 = std::chrono::steady_clock::now();
    chip::SampleResult ref;
    const chip::SampleResult r = chip::run_sample(port, b, s, lw, update(s), s == 0 ? first : nullptr, &ref);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.add(r, ref, b.T, seconds);
    total.add(r, ref, b.T, seconds);
    if (obs.on_sample) obs.on_sample(train, s, n, t);
  }
  return t;
}

}  // namespace

TrainTestResult train_test(chip::ChipPort& port, const BatchSource& train_batch, const BatchSource& test_batch,
                           const Schedule& sc, const Observer& obs, const TrainTestResult* resumed) {
  TrainTestResult res;
  if (resumed) res = *resumed;
  if (sc.train) {
    if (sc.learning_on) port.set_learning(true);
    for (int it = static_cast<int>(res.curve.size()); it < sc.iterations && port.ok(); ++it) {
      const tasks::Batch b = tasks::materialize(train_batch(it));
      const int n = std::min(b.B, sc.batch_size);
      const Tally t = run_batch(port, b, n, sc.learning_window,
                                [&](int s) { return sc.update_every_sample || s == n - 1; }, true, obs, nullptr, res.train);
      res.curve.push_back(t);
      if (obs.on_batch) obs.on_batch(true, it, t);
      if (obs.after_train_batch && port.ok()) obs.after_train_batch(res);
    }
    if (port.ok()) port.set_learning(false);
  }
  for (int k = 0; k < sc.test_batches && port.ok(); ++k) {
    const tasks::Batch b = tasks::materialize(test_batch(k));
    const int n = sc.test_samples >= 0 ? std::min(sc.test_samples, b.B) : b.B;
    const Tally t = run_batch(port, b, n, sc.learning_window, [](int) { return false; }, false, obs,
                              k == 0 && sc.trace_first_test ? &res.first_test : nullptr, res.test);
    if (obs.on_batch) obs.on_batch(false, k, t);
  }
  res.ok = port.ok();
  return res;
}

}  // namespace eligo::experiment
