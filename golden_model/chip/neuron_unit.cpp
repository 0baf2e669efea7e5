// Neuron update (twin of rtl/neuron_unit.sv), phase NEU, neurons j = 0 .. NR-1, L per cycle.
// With the population's registers (alpha, zeta, thr, inv_thr, psi_scale, n_ref; rho, beta for
// ALIF) and the STATE word {z, r, a, v} of the previous timestep:
//   v   = sat_V(rnd(alpha v, 20) + rnd(zeta acc_j, 20) - thr z)   (reset by subtraction)
//   a   = sat_A(rnd(rho a, 20) + z * 2^A.frac)                     (ALIF; LIF keeps a = 0)
//   A   = sat_V(thr + rnd(beta a, COEF.frac + A.frac - V.frac))    (LIF: A = thr)
//   r   = max(r - 1, 0); refractory iff r > 0
//   z'  = !refractory && (SPIKE_GE ? v >= A : v > A);  if z': r = n_ref
//   psi = refractory ? 0 : sat_PSI(rnd(h psi_scale, V.frac + COEF.frac - PSI.frac)),
//         h = max(0, 2^V.frac - rnd(|v - A| inv_thr, INV_THR.frac))
// then acc_j = 0. Writes per cycle: STATE (lanes), then PSI (lanes, learning only): psi, or under
// CTRL.TRC_ACC (an adaptation block, trace_unit.cpp) sat_PSI(PSI_j + psi), the word read with STATE.
#include <algorithm>
#include <cstdlib>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Counter;
using spec::Mem;

void Core::neuron_unit() {
  const int NR = sizes_.n_rec, L = sizes_.lanes;
  constexpr int kAtoV = spec::COEF.frac + spec::A.frac - spec::V.frac;
  constexpr int kPsi = spec::V.frac + spec::COEF.frac - spec::PSI.frac;
  std::vector<int>& spikes = spikes_scratch_;
  spikes.clear();
  std::vector<uint64_t>& state_w = lane_words_a_;
  std::vector<uint64_t>& psi_w = lane_words_b_;
  state_w.resize(static_cast<size_t>(L));
  psi_w.resize(static_cast<size_t>(L));
  for (int j0 = 0; j0 < NR; j0 += L) {
    const int n = std::min(L, NR - j0);
    for (int l = 0; l < n; ++l) {
      const int j = j0 + l;
      const PopulationRegs& p = pop(j);
      NeuronState s = NeuronState::unpack(mem(Mem::STATE).read(j));
      const bool z_prev = s.z;
      s.v = sat(spec::V, rnd(p.alpha * s.v, spec::COEF.frac) +
                             rnd(p.zeta * acc_[static_cast<size_t>(j)], spec::COEF.frac) -
                             (z_prev ? p.thr : 0));
      int64_t A = p.thr;
      if (is_alif(j)) {
        s.a = sat(spec::A, rnd(p.rho * s.a, spec::COEF.frac) + (z_prev ? (int64_t{1} << spec::A.frac) : 0));
        A = sat(spec::V, p.thr + rnd(p.beta * s.a, kAtoV));
      }
      if (s.r > 0) --s.r;
      const bool refractory = s.r > 0;
      s.z = !refractory && (regs_.spike_ge ? s.v >= A : s.v > A);
      if (s.z) {
        s.r = p.n_ref;
        spikes.push_back(j);
      }
      int64_t psi = 0;
      if (!refractory && regs_.learn) {  // psi is only stored when learning
        const int64_t d = std::llabs(s.v - A);
        const int64_t h = std::max<int64_t>(0, (int64_t{1} << spec::V.frac) - rnd(d * p.inv_thr, spec::INV_THR.frac));
        psi = sat(spec::PSI, rnd(h * p.psi_scale, kPsi));
      }
      if (regs_.learn && regs_.trc_acc) psi = sat(spec::PSI, from_word(spec::PSI, mem(Mem::PSI).read(j)) + psi);
      state_w[static_cast<size_t>(l)] = s.pack();
      psi_w[static_cast<size_t>(l)] = to_word(spec::PSI, psi);
      acc_[static_cast<size_t>(j)] = 0;
    }
    for (int l = 0; l < n; ++l) mem(Mem::STATE).write(j0 + l, state_w[static_cast<size_t>(l)]);
    if (regs_.learn) {
      for (int l = 0; l < n; ++l) mem(Mem::PSI).write(j0 + l, psi_w[static_cast<size_t>(l)]);
    }
  }
  counters_.add(Counter::neuron_updates, static_cast<uint64_t>(NR));
  std::swap(prev_spikes_, spikes_scratch_);
}

}  // namespace eligo::chip
