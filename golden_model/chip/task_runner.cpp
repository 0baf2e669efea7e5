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

void ModelPort::read_y(const Core& core, std::vector<double>& y) {
  y.resize(static_cast<size_t>(core.sizes().n_out));
  for (size_t k = 0; k < y.size(); ++k) {
    y[k] = to_real(spec::Y, from_word(spec::Y, core.mem(spec::Mem::Y).peek(static_cast<int64_t>(k))));
  }
}

void ModelPort::write_reg(uint32_t addr, uint32_t data) {
  bool err = false;
  core_.apb_write(addr, data, &err);
  if (err) throw std::logic_error("ModelPort::write_reg: no register at address " + std::to_string(addr));
}

void ModelPort::add_cycles() {
  for (int64_t c : core_.last_cycles()) cycles_ += c;
}

void ModelPort::start_sample() {
  core_.start_sample();
  add_cycles();
}

void ModelPort::step(const std::vector<int>& events, const std::vector<int64_t>& target, bool valid) {
  core_.step(events, target, valid);
  add_cycles();
}

void ModelPort::end_sample(bool update) {
  core_.end_sample(update);
  add_cycles();
}

namespace {

// Loss and prediction of one sample from the readouts of every timestep in the window.
class Score {
 public:
  Score(int n_out, int label) : y_sum_(static_cast<size_t>(n_out), 0.0) { res_.label = label; }
  void add(const std::vector<double>& y, const tasks::Batch& batch, int t, int b) {
    const auto tg = batch.target_at(t);
    for (size_t k = 0; k < y.size(); ++k) {
      const double e = y[k] - tg(static_cast<Eigen::Index>(k), b);
      res_.loss += 0.5 * e * e;
      y_sum_[k] += y[k];
    }
  }
  void predict() {
    res_.predicted = 0;
    for (size_t k = 1; k < y_sum_.size(); ++k) {
      if (y_sum_[k] > y_sum_[static_cast<size_t>(res_.predicted)]) res_.predicted = static_cast<int>(k);
    }
  }
  SampleResult& result() { return res_; }

 private:
  std::vector<double> y_sum_;
  SampleResult res_;
};

}  // namespace

SampleResult run_sample(ChipPort& port, const tasks::Batch& batch, int b, int learning_window, bool update,
                        SampleTrace* trace, SampleResult* reference, int trace_from, int adapt_block) {
  if (batch.streamed()) throw std::invalid_argument("run_sample: materialize the batch first");
  const int T = batch.T, NO = port.model().sizes().n_out;
  const int lw = learning_window <= 0 || learning_window > T ? T : learning_window;
  const int label = batch.labels.empty() ? -1 : batch.labels[static_cast<size_t>(b)];
  const bool with_ref = reference && port.has_reference();
  Score score(NO, label), ref(NO, label);
  auto result = [&]() -> SampleResult {
    if (with_ref) *reference = ref.result();
    return score.result();
  };
  const int64_t cycles_before = port.cycles();
  if (trace) {
    trace->spikes.clear();
    trace->y.clear();
  }
  if (trace_from < 0 || trace_from >= T) {
    throw std::invalid_argument("run_sample: trace_from " + std::to_string(trace_from) + " outside 0 .. T - 1 = " + std::to_string(T - 1));
  }
  if (adapt_block < 0) throw std::invalid_argument("run_sample: adapt_block " + std::to_string(adapt_block) + " < 0");
  const bool windowed = trace_from > 0 && port.model().regs().learn;
  const int blk = windowed && port.model().sizes().n_alif > 0 ? adapt_block : 0;  // no ALIF: nothing to keep
  // CTRL's trace bits; written only when they change.
  auto trace_bits = [&port](bool hold, bool acc, bool block) {
    Regs r = port.model().regs();
    if (r.trc_hold == hold && r.trc_acc == acc && r.trc_block == block) return;
    r.trc_hold = hold;
    r.trc_acc = acc;
    r.trc_block = block;
    port.write_reg(spec::REG_CTRL, r.ctrl());
  };
  if (windowed) trace_bits(true, false, false);
  port.start_sample();
  if (!port.ok()) return result();
  std::vector<int64_t> target(static_cast<size_t>(NO));
  std::vector<int> events;
  std::vector<double> y, y_ref;
  for (int t = 0; t < T; ++t) {
    if (blk > 0 && t < trace_from) {  // adaptation blocks, the last one ending at trace_from - 1
      trace_bits(true, t > 0 && (trace_from - t) % blk != 0, (trace_from - 1 - t) % blk == 0);
      if (!port.ok()) return result();
    }
    if (windowed && t == trace_from) trace_bits(false, false, false);
    const bool valid = t >= T - lw;
    const auto tg = batch.target_at(t);
    for (int k = 0; k < NO; ++k) target[static_cast<size_t>(k)] = from_real(spec::Y, tg(k, b));
    input_events(batch, t, b, events);
    port.step(events, target, valid);
    if (!port.ok()) return result();
    score.result().spikes += static_cast<int64_t>(port.model().spikes().size());
    if (valid || trace) port.readouts(y);
    if (valid) {
      score.add(y, batch, t, b);
      if (with_ref) {
        ModelPort::read_y(port.model(), y_ref);
        ref.add(y_ref, batch, t, b);
      }
    }
    if (trace) {
      trace->spikes.push_back(port.model().spikes());
      trace->y.push_back(y);
    }
  }
  score.predict();
  ref.predict();
  port.end_sample(update);
  if (!port.ok()) return result();
  score.result().cycles = ref.result().cycles = port.cycles() - cycles_before;
  ref.result().spikes = score.result().spikes;
  return result();
}

SampleResult run_sample(Core& core, const tasks::Batch& batch, int b, int learning_window, bool update,
                        SampleTrace* trace) {
  ModelPort port(core);
  return run_sample(port, batch, b, learning_window, update, trace);
}

}  // namespace eligo::chip
