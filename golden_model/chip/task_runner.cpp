#include "golden_model/chip/task_runner.hpp"

#include <cmath>
#include <stdexcept>

namespace eligo::chip {

std::vector<int> input_events(const tasks::Batch& batch, int t, int b) {
  std::vector<int> ev;
  input_events(batch, t, b, ev);
  return ev;
}

void input_events(const tasks::Batch& batch, int t, int b, std::vector<int>& ev) {
  ev.clear();
  const auto x = batch.x_at(t);
  for (int i = 0; i < x.rows(); ++i) {
    const double c = x(i, b);
    if (c < 0 || c != std::floor(c)) {
      throw std::invalid_argument("chip input: step " + std::to_string(t) + ", input " + std::to_string(i) +
                                  ": spike count " + std::to_string(c) + " (allowed: 0, 1, 2, ...)");
    }
    for (int n = 0; n < static_cast<int>(c); ++n) ev.push_back(i);
  }
}

SampleResult run_sample(Core& core, const tasks::Batch& batch, int b, int learning_window, bool update,
                        SampleTrace* trace) {
  if (batch.streamed()) throw std::invalid_argument("run_sample: materialize the batch first");
  const int T = batch.T, NO = core.sizes().n_out;
  const int lw = learning_window <= 0 || learning_window > T ? T : learning_window;
  SampleResult res;
  core.start_sample();
  res.cycles = 0;
  auto add_cycles = [&core, &res] {
    for (int64_t c : core.last_cycles()) res.cycles += c;
  };
  add_cycles();
  std::vector<double> y_sum(static_cast<size_t>(NO), 0.0);
  std::vector<int64_t> target(static_cast<size_t>(NO));
  std::vector<int> events;
  if (trace) {
    trace->spikes.clear();
    trace->y.clear();
  }
  for (int t = 0; t < T; ++t) {
    const bool valid = t >= T - lw;
    const auto tg = batch.target_at(t);
    for (int k = 0; k < NO; ++k) target[static_cast<size_t>(k)] = from_real(spec::Y, tg(k, b));
    input_events(batch, t, b, events);
    core.step(events, target, valid);
    add_cycles();
    std::vector<double> y(static_cast<size_t>(NO));
    for (int k = 0; k < NO; ++k) {
      y[static_cast<size_t>(k)] = to_real(spec::Y, from_word(spec::Y, core.mem(spec::Mem::Y).peek(k)));
      if (valid) {
        const double e = y[static_cast<size_t>(k)] - tg(k, b);
        res.loss += 0.5 * e * e;
        y_sum[static_cast<size_t>(k)] += y[static_cast<size_t>(k)];
      }
    }
    if (trace) {
      trace->spikes.push_back(core.spikes());
      trace->y.push_back(std::move(y));
    }
  }
  core.end_sample(update);
  add_cycles();
  res.predicted = 0;
  for (int k = 1; k < NO; ++k) {
    if (y_sum[static_cast<size_t>(k)] > y_sum[static_cast<size_t>(res.predicted)]) res.predicted = k;
  }
  res.label = batch.labels.empty() ? -1 : batch.labels[static_cast<size_t>(b)];
  return res;
}

}  // namespace eligo::chip
