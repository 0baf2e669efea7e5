// Learning unit (twin of rtl/learn_unit.sv): learning signals (LRN), readout gradients (OGR)
// and the weight update (UPD).
//
// LRN (learning, target valid): err_k = sat_ERR(y_k - y*_k), L readouts per cycle; then per
//   neuron j, L readouts per cycle: L_j = sat_LSIG(L_j + rnd(B_jk err_k, B.frac + ERR.frac -
//   LSIG.frac)) for k = 0 .. NO-1 in order (saturating after every add), written to LSIG. B_jk
//   is B_FB[j NO + k], or with FB_SYMMETRIC the W_OUT word of j -> k scaled to B
//   (sat_B(w 2^(B.frac - W_MAG.frac))).
// OGR (learning): L neurons per cycle: zbar_j = sat_ZBAR(rnd(kappa zbar_j, COEF.frac) +
//   z_j rnd(c, COEF.frac - ZBAR.frac)) -> ZBAR; one idle cycle; then, target valid, per neuron j
//   (ZBAR[j] read again with the first chunk), L readouts per cycle:
//   G[NP NR + j NO + k] = sat_G(G + rnd(err_k zbar_j, ERR.frac + ZBAR.frac - G.frac)).
// UPD: every synapse, sources i' in order, L neurons per cycle (then W_OUT rows j, L readouts
//   per cycle). For an active word: delta = rnd(G LR_MANT, LR_SHIFT - UPD.frac) (weight LSBs
//   with UPD.frac fraction bits; with CTRL.UPD_SIGN, G is replaced by sign(G) 2^G.frac, so that
//   the step is the rate itself), one draw of the lane's LFSR, and
//     W_IN / W_REC under DEEP R: rewire_unit.cpp (deepr_update);
//     otherwise: w' = sr(w 2^UPD.frac - delta) saturated to +-W_MAG max; sign = (w' < 0).
//   sr(x) = floor(x 2^-UPD.frac) + (frac(x) > draw[7:0]): stochastic rounding, unbiased.
//   Dormant words are not written and draw nothing. GRAD is written 0 for every synapse.
//   Writes per cycle: the weight memory (lanes), then GRAD (lanes).
#include <algorithm>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Counter;
using spec::Mem;

namespace {

constexpr int64_t kUpdOne = int64_t{1} << spec::UPD.frac;
constexpr int64_t kGOne = int64_t{1} << spec::G.frac;  // 1.0 in G

}  // namespace

WeightWord Core::plain_update(WeightWord w, int64_t delta_ext, uint32_t draw) const {
  int64_t v = stochastic_round(w.value() * kUpdOne - delta_ext, draw);
  v = std::clamp(v, -spec::W_MAG.max_raw(), spec::W_MAG.max_raw());
  WeightWord out;
  out.active = true;
  out.negative = v < 0;
  out.mag = v < 0 ? -v : v;
  return out;
}

void Core::learn_signal(const std::vector<int64_t>& target) {
  const int NO = sizes_.n_out, NR = sizes_.n_rec;
  for (int k = 0; k < NO; ++k) {
    int64_t y = from_word(spec::Y, mem(Mem::Y).read(k));
    if (regs_.err_clamp) y = std::min(std::max(y, regs_.err_lo), regs_.err_hi);
    err_[static_cast<size_t>(k)] = sat(spec::ERR, y - target[static_cast<size_t>(k)]);
  }
  constexpr int kShift = spec::B.frac + spec::ERR.frac - spec::LSIG.frac;
  constexpr int kWtoB = spec::B.frac - spec::W_MAG.frac;
  static_assert(kWtoB >= 0, "B has at least W_MAG's fraction bits");
  for (int j = 0; j < NR; ++j) {
    int64_t l = 0;
    for (int k = 0; k < NO; ++k) {
      const int64_t a = static_cast<int64_t>(j) * NO + k;
      const int64_t b = regs_.fb_symmetric
                            ? sat(spec::B, WeightWord::unpack(mem(Mem::W_OUT).read(a)).value() * (int64_t{1} << kWtoB))
                            : from_word(spec::B, mem(Mem::B_FB).read(a));
      l = sat(spec::LSIG, l + rnd(b * err_[static_cast<size_t>(k)], kShift));
    }
    mem(Mem::LSIG).write(j, to_word(spec::LSIG, l));
  }
  counters_.add(Counter::learn_macs, static_cast<uint64_t>(NR) * static_cast<uint64_t>(NO));
}

void Core::learn_readout_grad(bool valid) {
  const int NO = sizes_.n_out, NR = sizes_.n_rec, L = sizes_.lanes;
  const int64_t out_base = static_cast<int64_t>(sizes_.n_pre()) * NR;
  std::vector<bool> spiked(static_cast<size_t>(NR), false);
  for (int j : prev_spikes_) spiked[static_cast<size_t>(j)] = true;
  const int64_t c_zbar = rnd(regs_.c_out, spec::COEF.frac - spec::ZBAR.frac);
  constexpr int kShift = spec::ERR.frac + spec::ZBAR.frac - spec::G.frac;
  for (int j = 0; j < NR; ++j) {  // L per cycle; every lane reads before any writes, no overlap
    const int64_t zb = from_word(spec::ZBAR, mem(Mem::ZBAR).read(j));
    mem(Mem::ZBAR).write(j, to_word(spec::ZBAR, sat(spec::ZBAR, rnd(regs_.kappa * zb, spec::COEF.frac) +
                                                                    (spiked[static_cast<size_t>(j)] ? c_zbar : 0))));
  }
  if (!valid) return;
  for (int j = 0; j < NR; ++j) {
    const int64_t zb = from_word(spec::ZBAR, mem(Mem::ZBAR).read(j));
    for (int k0 = 0; k0 < NO; k0 += L) {
      const int n = std::min(L, NO - k0);
      for (int l = 0; l < n; ++l) {
        const int k = k0 + l;
        const int64_t a = out_base + static_cast<int64_t>(j) * NO + k;
        const int64_t g = from_word(spec::G, mem(Mem::GRAD).read(a));
        mem(Mem::GRAD).write(a, to_word(spec::G, sat(spec::G, g + rnd(err_[static_cast<size_t>(k)] * zb, kShift))));
      }
    }
  }
  counters_.add(Counter::learn_macs, static_cast<uint64_t>(NR) * static_cast<uint64_t>(NO));
}

void Core::learn_update() {
  const int NR = sizes_.n_rec, NO = sizes_.n_out, NI = sizes_.n_in, L = sizes_.lanes;
  // delta = rnd(G MANT, max(SHIFT, UPD.frac) - UPD.frac) with the matrix's rate; with
  // CTRL.UPD_SIGN, G is replaced by sign(G) 2^G.frac (a step of the rate itself).
  const bool sign = regs_.upd_sign;
  auto delta_of = [sign](int64_t g, const LearningRate& r) {
    if (sign) g = kGOne * (int64_t{g > 0} - int64_t{g < 0});
    return rnd(g * r.mant, static_cast<int>(std::max<int64_t>(r.shift, spec::UPD.frac)) - spec::UPD.frac);
  };
  struct Lane {
    bool write = false;
    uint64_t word = 0;
  };
  std::vector<Lane> lanes(static_cast<size_t>(L));
  uint64_t updates = 0, prunes = 0;
  int64_t active_in = 0, active_rec = 0;

  // One cycle: L words of weight memory `m` at waddr0.., gradients at gaddr0..
  auto cycle = [&](Mem m, int64_t waddr0, int64_t gaddr0, int n, bool deepr) {
    for (int l = 0; l < n; ++l) {
      Lane& lane = lanes[static_cast<size_t>(l)];
      const WeightWord w = WeightWord::unpack(mem(m).read(waddr0 + l));
      const int64_t g = from_word(spec::G, mem(Mem::GRAD).read(gaddr0 + l));
      lane.write = w.active;
      if (!w.active) continue;
      const uint32_t draw = lfsr_upd_[static_cast<size_t>(l)].next();
      const int64_t delta = delta_of(g, regs_.rate(m));
      bool pruned = false;
      const WeightWord nw = deepr ? deepr_update(w, delta, draw, &pruned) : plain_update(w, delta, draw);
      lane.word = nw.pack();
      ++updates;
      prunes += pruned ? 1 : 0;
      if (nw.active && m == Mem::W_IN) ++active_in;
      if (nw.active && m == Mem::W_REC) ++active_rec;
    }
    for (int l = 0; l < n; ++l) {
      if (lanes[static_cast<size_t>(l)].write) mem(m).write(waddr0 + l, lanes[static_cast<size_t>(l)].word);
    }
    for (int l = 0; l < n; ++l) mem(Mem::GRAD).write(gaddr0 + l, 0);
  };

  for (int i = 0; i < sizes_.n_pre(); ++i) {
    const Mem m = i < NI ? Mem::W_IN : Mem::W_REC;
    const int64_t row = i < NI ? i : i - NI;
    for (int j0 = 0; j0 < NR; j0 += L) {
      cycle(m, row * NR + j0, static_cast<int64_t>(i) * NR + j0, std::min(L, NR - j0), regs_.deepr);
    }
  }
  const int64_t out_base = static_cast<int64_t>(sizes_.n_pre()) * NR;
  for (int j = 0; j < NR; ++j) {
    for (int k0 = 0; k0 < NO; k0 += L) {
      const int64_t a = static_cast<int64_t>(j) * NO + k0;
      cycle(Mem::W_OUT, a, out_base + a, std::min(L, NO - k0), false);
    }
  }
  active_in_ = active_in;
  active_rec_ = active_rec;
  counters_.add(Counter::weight_updates, updates);
  counters_.add(Counter::prunes, prunes);
}

}  // namespace eligo::chip
