// A tiny core for unit tests at the limits: 2 inputs, 3 neurons (the last ALIF), 1 readout,
// 2 lanes, with plain register values (decays 1.0, scales 1.0, thr 1.0).
#pragma once

#include "golden_model/chip/core.hpp"

namespace eligo::chip::testing {

inline Regs unit_regs() {
  Regs r;
  const int64_t one = int64_t{1} << spec::COEF.frac;
  for (PopulationRegs* p : {&r.lif, &r.alif}) {
    p->alpha = one;
    p->zeta = one;
    p->thr = int64_t{1} << spec::V.frac;
    p->inv_thr = int64_t{1} << spec::INV_THR.frac;
    p->psi_scale = one / 4;
    p->n_ref = 0;
  }
  r.alif.rho = one;
  r.alif.beta = one / 64;
  r.kappa = one;
  r.c_out = one;
  return r;
}

inline Sizes unit_sizes() { return Sizes(2, 3, 1, 1, 2); }

inline uint64_t weight(bool negative, int64_t mag, bool active = true) {
  WeightWord w;
  w.active = active;
  w.negative = negative;
  w.mag = mag;
  return w.pack();
}

}  // namespace eligo::chip::testing
