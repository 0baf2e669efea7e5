// Eligibility-trace unit (twin of rtl/trace_unit.sv), phase TRC (learning).
// 1. Presynaptic traces, L sources per cycle over i' (one EPSV word holds both populations'
//    traces of source i': {eps_v ALIF, eps_v LIF}), for p = LIF and ALIF:
//      eps_v = sat_EPSV(rnd(alpha_p eps_v, COEF.frac) + rnd(zeta_p n_i', COEF.frac - EPSV.frac))
//    with n_i' = input events of input i' this timestep (saturated at IN_COUNT_MAX), or z of
//    neuron i' - NI at the previous timestep (the presynaptic spikes that REC accumulated).
//    One idle cycle follows (the last words are written while nothing is read).
// 2. Per synapse s = i' NR + j, sources i' in order, L neurons per cycle (EPSV[i'] is read with
//    the row's first chunk), with x = eps_v(pop(j), i') 2^(E.frac - EPSV.frac):
//      LIF:  e = sat_E(rnd(psi_j x, PSI.frac))
//      ALIF: e = sat_E(rnd(psi_j sat_E(x - rnd(beta eps_a, COEF.frac + EPSA.frac - E.frac)), PSI.frac))
//            eps_a = sat_EPSA(rnd(rho eps_a, COEF.frac) + rnd(e, E.frac - EPSA.frac))
//      ebar = sat_EBAR(rnd(kappa ebar, COEF.frac) + rnd(c e, COEF.frac))
//      target valid: G_s = sat_G(G_s + rnd(L_j ebar, LSIG.frac + EBAR.frac - G.frac))
//    Writes per cycle: EPSA (ALIF lanes), EBAR (lanes), GRAD (lanes, target valid).
//    Under CTRL.TRC_FACT (factored traces, ReckOn's family) every lane is formed as LIF's and
//    goes to G unfiltered; EPSA and EBAR are neither read nor written:
//      e = sat_E(rnd(psi_j x, PSI.frac)),  target valid: G_s = sat_G(G_s + rnd(L_j e, LSIG.frac + E.frac - G.frac))
// 3. An adaptation block (CTRL.TRC_HOLD with CTRL.TRC_BLOCK; docs/architecture.md "Adaptation
//    blocks"): the pass of 2. over every chunk, but only ALIF synapses' eps_a is kept, with the
//    block's decay rho^K (ALIF_RHO_BLK) and psi_j the PSI word, which NEU summed over the block
//    under CTRL.TRC_ACC:
//      e = sat_E(rnd(psi_j sat_E(x - rnd(beta eps_a, ...)), PSI.frac)),
//      eps_a = sat_EPSA(rnd(ALIF_RHO_BLK eps_a, COEF.frac) + rnd(e, E.frac - EPSA.frac))
//    Writes per cycle: EPSA (ALIF lanes; not under CTRL.TRC_FACT). EBAR, LSIG and GRAD are
//    neither read nor written, whether the target is valid or not.
#include <algorithm>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Counter;
using spec::Mem;

void Core::trace_unit(bool valid, const std::vector<int>& pre_spikes) {
  const int NI = sizes_.n_in, NR = sizes_.n_rec, NP = sizes_.n_pre(), NA = sizes_.n_alif;
  const int L = sizes_.lanes, first_alif = sizes_.n_lif();
  static_assert(spec::E.frac >= spec::EPSV.frac && spec::E.frac >= spec::EPSA.frac, "E is the finest trace format");

  // 1. Presynaptic traces.
  std::vector<int> pre(static_cast<size_t>(NP), 0);
  for (int i = 0; i < NI; ++i) pre[static_cast<size_t>(i)] = in_count_[static_cast<size_t>(i)];
  for (int j : pre_spikes) pre[static_cast<size_t>(NI + j)] = 1;
  auto next_epsv = [](const PopulationRegs& p, int64_t ev, int n) {
    return sat(spec::EPSV, rnd(p.alpha * ev, spec::COEF.frac) + rnd(p.zeta * n, spec::COEF.frac - spec::EPSV.frac));
  };
  for (int i = 0; i < NP; ++i) {
    const uint64_t w = mem(Mem::EPSV).read(i);
    const int n = pre[static_cast<size_t>(i)];
    const int64_t lif = next_epsv(regs_.lif, from_word(spec::EPSV, w), n);
    const int64_t alif = next_epsv(regs_.alif, from_word(spec::EPSV, w >> spec::EPSV.bits), n);
    mem(Mem::EPSV).write(i, to_word(spec::EPSV, lif) | to_word(spec::EPSV, alif) << spec::EPSV.bits);
  }

  // 2. Synapse traces (not under CTRL.TRC_HOLD: EBAR, EPSA and GRAD keep their words), or 3. an
  // adaptation block (CTRL.TRC_HOLD with CTRL.TRC_BLOCK: EPSA only).
  const bool block = regs_.trc_hold;
  if (block && !regs_.trc_block) {
    counters_.add(Counter::trace_updates, 2u * static_cast<uint64_t>(NP));
    return;
  }
  constexpr int kEpsvToE = spec::E.frac - spec::EPSV.frac;
  constexpr int kBetaEpsa = spec::COEF.frac + spec::EPSA.frac - spec::E.frac;
  constexpr int kEtoEpsa = spec::E.frac - spec::EPSA.frac;
  constexpr int kGrad = spec::LSIG.frac + spec::EBAR.frac - spec::G.frac;
  static_assert(spec::EBAR.frac == spec::E.frac, "ebar and e share their fraction bits (kGrad serves both)");
  const bool fact = factored();
  const bool learn_g = valid && !block;  // G accumulates (not in an adaptation block)
  const int64_t rho_a = block ? regs_.alif_rho_blk : regs_.alif.rho;
  std::vector<int64_t> epsa(static_cast<size_t>(L)), ebar(static_cast<size_t>(L)), grad(static_cast<size_t>(L));
  for (int i = 0; i < NP; ++i) {
    const uint64_t ev = mem(Mem::EPSV).read(i);
    const int64_t x_lif = from_word(spec::EPSV, ev) * (int64_t{1} << kEpsvToE);
    const int64_t x_alif = from_word(spec::EPSV, ev >> spec::EPSV.bits) * (int64_t{1} << kEpsvToE);
    for (int j0 = 0; j0 < NR; j0 += L) {
      const int n = std::min(L, NR - j0);
      for (int l = 0; l < n; ++l) {
        const int j = j0 + l;
        const int64_t s = static_cast<int64_t>(i) * NR + j;
        const PopulationRegs& p = pop(j);
        const int64_t psi = from_word(spec::PSI, mem(Mem::PSI).read(j));
        int64_t e, acc = 0;  // acc: what G accumulates, ebar' (or e under CTRL.TRC_FACT)
        if (fact) {
          e = sat(spec::E, rnd(psi * (is_alif(j) ? x_alif : x_lif), spec::PSI.frac));
          acc = e;
        } else if (is_alif(j)) {
          const int64_t a_addr = static_cast<int64_t>(i) * NA + (j - first_alif);
          const int64_t ea = from_word(spec::EPSA, mem(Mem::EPSA).read(a_addr));
          const int64_t x = sat(spec::E, x_alif - rnd(p.beta * ea, kBetaEpsa));
          e = sat(spec::E, rnd(psi * x, spec::PSI.frac));
          epsa[static_cast<size_t>(l)] = sat(spec::EPSA, rnd(rho_a * ea, spec::COEF.frac) + rnd(e, kEtoEpsa));
        } else {
          e = sat(spec::E, rnd(psi * x_lif, spec::PSI.frac));
        }
        if (!fact && !block) {
          const int64_t eb = from_word(spec::EBAR, mem(Mem::EBAR).read(s));
          acc = sat(spec::EBAR, rnd(regs_.kappa * eb, spec::COEF.frac) + rnd(regs_.c_out * e, spec::COEF.frac));
          ebar[static_cast<size_t>(l)] = acc;
        }
        if (learn_g) {
          const int64_t lj = from_word(spec::LSIG, mem(Mem::LSIG).read(j));
          const int64_t g = from_word(spec::G, mem(Mem::GRAD).read(s));
          grad[static_cast<size_t>(l)] = sat(spec::G, g + rnd(lj * acc, kGrad));
        }
      }
      for (int l = 0; l < n && !fact; ++l) {
        const int j = j0 + l;
        if (is_alif(j)) {
          mem(Mem::EPSA).write(static_cast<int64_t>(i) * NA + (j - first_alif), to_word(spec::EPSA, epsa[static_cast<size_t>(l)]));
        }
      }
      for (int l = 0; l < n && !fact && !block; ++l) {
        mem(Mem::EBAR).write(static_cast<int64_t>(i) * NR + j0 + l, to_word(spec::EBAR, ebar[static_cast<size_t>(l)]));
      }
      if (learn_g) {
        for (int l = 0; l < n; ++l) {
          mem(Mem::GRAD).write(static_cast<int64_t>(i) * NR + j0 + l, to_word(spec::G, grad[static_cast<size_t>(l)]));
        }
      }
    }
  }
  const uint64_t syn = static_cast<uint64_t>(NP) * static_cast<uint64_t>(NR);
  counters_.add(Counter::trace_updates, syn + 2u * static_cast<uint64_t>(NP));
  if (learn_g) counters_.add(Counter::learn_macs, syn);
}

}  // namespace eligo::chip
