// Synaptic accumulation (twin of rtl/synapse_acc.sv), phases IN and REC: for each event, the
// weight row of its source is read L words per cycle and added to the neurons' input
// accumulators: acc_j = sat_ACC(acc_j + w_ij * 2^(ACC.frac - W_MAG.frac)). Dormant words read as 0.
#include <stdexcept>
#include <string>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Counter;
using spec::Mem;

namespace {

constexpr int kWeightToAcc = spec::ACC.frac - spec::W_MAG.frac;
static_assert(kWeightToAcc >= 0, "ACC must have at least W_MAG's fraction bits");

// Adds weight row `row` of `m` (NR words from row * NR) to acc; returns the active words.
uint64_t accumulate_row(Sram& m, int64_t row, std::vector<int64_t>& acc) {
  const int64_t n = static_cast<int64_t>(acc.size());
  uint64_t active = 0;
  for (int64_t j = 0; j < n; ++j) {
    const WeightWord w = WeightWord::unpack(m.read(row * n + j));
    active += w.active ? 1 : 0;
    acc[static_cast<size_t>(j)] = sat(spec::ACC, acc[static_cast<size_t>(j)] + w.value() * (int64_t{1} << kWeightToAcc));
  }
  return active;
}

}  // namespace

void Core::synapse_acc_input(const std::vector<int>& events) {
  for (int i : events) {
    if (i < 0 || i >= sizes_.n_in) {
      throw std::invalid_argument("chip step: input event address " + std::to_string(i) +
                                  " (allowed: 0 .. " + std::to_string(sizes_.n_in - 1) + ")");
    }
    int& n = in_count_[static_cast<size_t>(i)];
    if (n < static_cast<int>(spec::IN_COUNT_MAX)) ++n;  // the trace unit's event count saturates
    counters_.add(Counter::sops, accumulate_row(mem(Mem::W_IN), i, acc_));
  }
}

void Core::synapse_acc_recurrent() {
  for (int i : prev_spikes_) counters_.add(Counter::sops, accumulate_row(mem(Mem::W_REC), i, acc_));
}

}  // namespace eligo::chip
