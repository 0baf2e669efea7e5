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
  spikes += r.spikes;
  timesteps += steps;
  wall_s += seconds;
}

namespace {

// Samples [0, n) of batch b, tallied per batch and into `total` (sample by sample, so that sums
// over several batches add in sample order); update(s): END_SAMPLE with UPDATE after sample s;
// trace_from, adapt_block: run_sample's (windowed traces).
Tally run_batch(chip::ChipPort& port, const tasks::Batch& b, int n, int lw, const std::function<bool(int)>& update,
                bool train, const Observer& obs, chip::SampleTrace* first, Tally& total, int trace_from = 0,
                int adapt_block = 0) {
  Tally t;
  for (int s = 0; s < n && port.ok(); ++s) {
    const auto t0 = std::chrono::steady_clock::now();
    chip::SampleResult ref;
    const chip::SampleResult r = chip::run_sample(port, b, s, lw, update(s), s == 0 ? first : nullptr, &ref, trace_from,
                                                  adapt_block);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.add(r, ref, b.T, seconds);
    total.add(r, ref, b.T, seconds);
    if (obs.on_sample) obs.on_sample(train, s, n, t);
  }
  return t;
}

}  // namespace

void scale_rates(chip::ChipPort& port, int k) {
  namespace spec = chip::spec;
  const chip::Regs& r = port.model().regs();
  const struct {
    chip::LearningRate lr;
    uint32_t mant, shift;
  } rates[] = {{r.lr_in, spec::REG_LR_IN_MANT, spec::REG_LR_IN_SHIFT},
               {r.lr_rec, spec::REG_LR_REC_MANT, spec::REG_LR_REC_SHIFT},
               {r.lr_out, spec::REG_LR_OUT_MANT, spec::REG_LR_OUT_SHIFT}};
  for (const auto& x : rates) {
    const int64_t shift = std::min<int64_t>(x.lr.shift + k, spec::LR_SHIFT.max_raw());
    const int64_t mant = x.lr.mant >> (x.lr.shift + k - shift);
    port.write_reg(x.shift, static_cast<uint32_t>(shift));
    if (mant != x.lr.mant) port.write_reg(x.mant, static_cast<uint32_t>(mant));
  }
}

TrainTestResult train_test(chip::ChipPort& port, const BatchSource& train_batch, const BatchSource& test_batch,
                           const Schedule& sc, const Observer& obs, const TrainTestResult* resumed) {
  TrainTestResult res;
  if (resumed) res = *resumed;
  if (sc.train) {
    if (sc.learning_on) port.set_learning(true);
    for (int it = static_cast<int>(res.curve.size()); it < sc.iterations && port.ok(); ++it) {
      // A resumed run's registers already hold the milestones before `it` (the checkpoint has them).
      if (std::binary_search(sc.lr_milestones.begin(), sc.lr_milestones.end(), it)) scale_rates(port, sc.lr_shift_step);
      const tasks::Batch b = tasks::materialize(train_batch(it));
      const int n = std::min(b.B, sc.batch_size);
      const int lw = sc.learning_window <= 0 || sc.learning_window > b.T ? b.T : sc.learning_window;
      const int trace_from = sc.trace_pre_steps >= 0 ? std::max(0, b.T - lw - sc.trace_pre_steps) : 0;
      const Tally t = run_batch(port, b, n, sc.learning_window,
                                [&](int s) { return sc.update_every_sample || s == n - 1; }, true, obs, nullptr, res.train,
                                trace_from, sc.adapt_block);
      res.curve.push_back(t);
      if (obs.on_batch) obs.on_batch(true, it, t);
      if (obs.after_train_batch && port.ok()) obs.after_train_batch(res);
    }
    if (port.ok()) port.set_learning(false);
    res.train_counts = energy::counts_of(port.model());
  }
  const chip::PerfCounters before_test = port.model().counters();
  for (int k = 0; k < sc.test_batches && port.ok(); ++k) {
    const tasks::Batch b = tasks::materialize(test_batch(k));
    const int n = sc.test_samples >= 0 ? std::min(sc.test_samples, b.B) : b.B;
    const Tally t = run_batch(port, b, n, sc.learning_window, [](int) { return false; }, false, obs,
                              k == 0 && sc.trace_first_test ? &res.first_test : nullptr, res.test);
    if (obs.on_batch) obs.on_batch(false, k, t);
  }
  for (size_t i = 0; i < res.test_counters.value.size(); ++i) {
    res.test_counters.value[i] = port.model().counters().value[i] - before_test.value[i];
  }
  res.ok = port.ok();
  return res;
}

}  // namespace eligo::experiment
