// Float network -> chip: registers and memory images from a float LSNN (fl::Neurons,
// fl::Weights) and the chip options, with the quantisation error of every quantity; and back
// (the weights the chip holds, as doubles). `eligo quantize` and `eligo chip` use this.
//
// Weights: w -> {active = (w != 0), sign = (w < 0), magnitude = round(|w| 2^W_MAG.frac)}
// (saturated); the W_REC diagonal is never active. B -> B format. Registers from the neuron
// constants (alpha = exp(-dt/tau_m) etc., thr, 1/thr, gamma/thr, n_ref, kappa, c). The
// learning rate lr (SGD, weight units per unit of gradient) -> LR_MANT 2^-LR_SHIFT with the
// largest mantissa below 2^16. DEEP R: K = round(connectivity * allowed) per matrix, a random
// active set (seeded), signs from the float weights (random for a zero weight), magnitudes
// |w| / sqrt(connectivity) when scale_by_density; L1 = lr * l1 and the noise std
// sqrt(2 lr T) as a uniform amplitude sqrt(3) std, both in weight LSBs with UPD.frac fraction bits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/float/lsnn.hpp"

namespace eligo::chip {

struct ChipOptions {
  // The learning rate of weight memory m: lr_in / lr_rec / lr_out where set, else lr.
  double rate(spec::Mem m) const {
    const double r = m == spec::Mem::W_IN ? lr_in : m == spec::Mem::W_REC ? lr_rec : lr_out;
    return r > 0.0 ? r : lr;
  }
  int lanes = 4;
  bool synapse_traces = true;  // the core has EPSA and EBAR (false: a factored-only core, Sizes)
  bool learn = false;
  bool online = false;
  bool fb_symmetric = false;  // B = W_OUT^T instead of the B_FB memory
  double lr = 0.0;            // SGD learning rate of every matrix ...
  double lr_in = 0.0, lr_rec = 0.0, lr_out = 0.0;  // ... unless set here (> 0) for W_IN, W_REC, W_OUT
  bool err_clamp = false;     // LRN: err = clamp(y, err_lo, err_hi) - y* (CTRL.ERR_CLAMP)
  bool upd_sign = false;      // UPD: a step of the rate times sign(G) (CTRL.UPD_SIGN)
  bool trc_fact = false;      // TRC: factored traces, G += L_j psi_j eps_v_i (CTRL.TRC_FACT)
  int adapt_block = 0;        // windowed traces: ALIF eps_a kept in adaptation blocks of K steps
                              // before the window (ALIF_RHO_BLK = rho^K; the host's schedule)
  double err_lo = 0.0, err_hi = 0.0;
  bool deepr = false;
  double connectivity = 1.0;  // DEEP R: fraction of allowed synapses active, per matrix
  double l1 = 0.0;            // DEEP R: alpha (theta -= lr alpha per update)
  double temperature = 0.0;   // DEEP R: T (noise std sqrt(2 lr T) per update)
  bool scale_by_density = true;
  uint32_t seed = 1;          // LFSR seeds and the DEEP R initial active set
  uint32_t ts_budget = 0;
};

// Error of one quantised quantity (a matrix or a register): n values, `saturated` of them
// clipped to the format's range; errors in the quantity's own units.
struct QuantError {
  std::string quantity;
  std::string format;
  int64_t n = 0;
  int64_t saturated = 0;
  double max_abs = 0.0;
  double rms = 0.0;
  double rel_rms = 0.0;  // ||q - x|| / ||x|| (0 when x = 0)
};

struct ChipImage {
  Sizes sizes;
  Regs regs;
  std::vector<uint64_t> w_in, w_rec, w_out, b_fb;  // memory words, in memory address order
  std::vector<QuantError> errors;
};

// Throws std::invalid_argument naming the quantity when the network cannot map to the chip
// (sizes out of range, populations with unequal constants, sigmoid spikes, input discarded at
// step 0, a learning rate outside the LR range).
ChipImage quantize(const fl::Neurons& n, const fl::Weights& w, const ChipOptions& o);

// Puts the image's weights and B into the core's memories (host writes: not counted).
void load_image(Core& core, const ChipImage& image);

// A core with the image's sizes and registers, its memories loaded.
Core make_core(const ChipImage& image);

// The weights the chip holds, as doubles (dormant = 0), and its B (or W_OUT^T when symmetric).
fl::Weights chip_weights(const Core& core);

}  // namespace eligo::chip
