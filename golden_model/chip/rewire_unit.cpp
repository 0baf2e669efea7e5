// Rewiring unit (twin of rtl/rewire_unit.sv): DEEP R on W_IN and W_REC.
//
// In UPD, for an active synapse with sign s (+1, or -1 when the sign bit is set) and magnitude
// theta (W_MAG), with delta from learn_unit.cpp and one LFSR draw d:
//   noise     = rnd((2 d[31:16] - 65535) NOISE, 16)            (uniform in [-NOISE, NOISE])
//   theta_ext = theta 2^UPD.frac - s delta - L1 + noise         (UPD.frac fraction bits)
//   theta'    = sr(theta_ext) (stochastic rounding with d[7:0], as in learn_unit.cpp)
//   theta' < 0: the synapse turns dormant {active 0, sign kept, magnitude 0} (a prune);
//   otherwise {active 1, sign kept, min(theta', W_MAG max)}. The sign never changes.
// RWR (END_SAMPLE with UPDATE, after UPD): for W_IN then W_REC, with A active words after UPD
// and the matrix's K: if K > allowed words or A > K, STATUS.K_ERROR is set and the matrix is
// left alone. Otherwise K - A dormant words are re-activated, one at a time: up to MAX_PROBES
// probes at a = (r * depth) >> 32 (r = a draw of the rewiring LFSR, one per probe), each a
// read; the first allowed dormant word is re-activated with magnitude 0 (weight 0, sign kept).
// If all probes hit active (or excluded: W_REC diagonal) words, a linear scan a+1, a+2, ...
// (wrapping, one read each) takes the next allowed dormant word; it exists because A < K <=
// allowed. One write per re-activation. Cycles: PROBES (all reads) + ACT (writes) + 2.
#include <algorithm>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Counter;
using spec::Mem;

WeightWord Core::deepr_update(WeightWord w, int64_t delta_ext, uint32_t draw, bool* pruned) const {
  const int64_t u = static_cast<int64_t>(draw >> 16);
  const int64_t noise = rnd((2 * u - 65535) * regs_.noise, 16);
  const int64_t s = w.negative ? -1 : 1;
  const int64_t theta_ext = w.mag * (int64_t{1} << spec::UPD.frac) - s * delta_ext - regs_.l1 + noise;
  const int64_t theta = stochastic_round(theta_ext, draw);
  WeightWord out = w;
  if (theta < 0) {
    *pruned = true;
    out.active = false;
    out.mag = 0;
  } else {
    out.mag = std::min(theta, spec::W_MAG.max_raw());
  }
  return out;
}

void Core::rewire_pass() {
  int64_t probes = 0, acts = 0;
  for (const Mem m : {Mem::W_IN, Mem::W_REC}) {
    const int64_t k = m == Mem::W_IN ? regs_.k_in : regs_.k_rec;
    const int64_t active = m == Mem::W_IN ? active_in_ : active_rec_;
    const int64_t allowed_n = allowed_count(m);
    if (k > allowed_n || active > k) {
      status_.k_error = true;
      continue;
    }
    Sram& mm = mem(m);
    const uint64_t depth = static_cast<uint64_t>(mm.depth());
    auto dormant = [&](int64_t a) {
      ++probes;
      return !WeightWord::unpack(mm.read(a)).active && allowed(sizes_, m, a);
    };
    for (int64_t need = k - active; need > 0; --need) {
      int64_t a = 0;
      bool found = false;
      for (uint32_t p = 0; p < spec::MAX_PROBES && !found; ++p) {
        a = static_cast<int64_t>((static_cast<uint64_t>(lfsr_rwr_.next()) * depth) >> 32);
        found = dormant(a);
      }
      while (!found) {
        a = (a + 1) % static_cast<int64_t>(depth);
        found = dormant(a);
      }
      WeightWord w = WeightWord::unpack(mm.peek(a));
      w.active = true;
      w.mag = 0;
      mm.write(a, w.pack());
      ++acts;
    }
    (m == Mem::W_IN ? active_in_ : active_rec_) = k;
  }
  counters_.add(Counter::reactivations, static_cast<uint64_t>(acts));
  counters_.add(Counter::probes, static_cast<uint64_t>(probes));
  spec::CycleVars v = cycle_vars();
  v.PROBES = probes;
  v.ACT = acts;
  account(spec::Phase::RWR, v);
}

}  // namespace eligo::chip
