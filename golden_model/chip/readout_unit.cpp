// Readout update (twin of rtl/readout_unit.sv), phase OUT: for each spike j of this timestep the
// W_OUT row j (NO words, L per cycle) is added to the readout sums S_k (ACC); then, L readouts
// per cycle, y_k = sat_Y(rnd(kappa y_k, COEF.frac) + rnd(c S_k, COEF.frac)) is written to Y.
#include <algorithm>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Counter;
using spec::Mem;

void Core::readout_unit() {
  const int NO = sizes_.n_out;
  constexpr int kWeightToAcc = spec::ACC.frac - spec::W_MAG.frac;
  static_assert(spec::Y.frac == spec::ACC.frac, "readout sums and y share their fraction bits");
  std::vector<int64_t>& S = readout_sums_;
  S.assign(static_cast<size_t>(NO), 0);
  for (int j : prev_spikes_) {
    for (int k = 0; k < NO; ++k) {
      const WeightWord w = WeightWord::unpack(mem(Mem::W_OUT).read(static_cast<int64_t>(j) * NO + k));
      counters_.add(Counter::sops, w.active ? 1 : 0);
      S[static_cast<size_t>(k)] = sat(spec::ACC, S[static_cast<size_t>(k)] + w.value() * (int64_t{1} << kWeightToAcc));
    }
  }
  for (int k = 0; k < NO; ++k) {
    const int64_t y = from_word(spec::Y, mem(Mem::Y).read(k));
    const int64_t y_new = sat(spec::Y, rnd(regs_.kappa * y, spec::COEF.frac) +
                                           rnd(regs_.c_out * S[static_cast<size_t>(k)], spec::COEF.frac));
    mem(Mem::Y).write(k, to_word(spec::Y, y_new));
  }
}

}  // namespace eligo::chip
