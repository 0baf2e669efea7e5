// The learn unit's registers at their limits: a learning rate per matrix (W_IN, W_REC, W_OUT;
// zero and maximal rates), the sign step (CTRL.UPD_SIGN) and the readout clamp in the error
// (CTRL.ERR_CLAMP; both bounds).
#include <gtest/gtest.h>

#include "golden_model/chip/core.hpp"
#include "tests/golden_model/chip/chip_unit_util.hpp"

namespace eligo::chip {
namespace {

using namespace testing;
using spec::Mem;

int64_t mag_of(const Core& c, Mem m, int64_t a) { return WeightWord::unpack(c.mem(m).peek(a)).mag; }

// One weight of each matrix with the same gradient; UPD with one rate per matrix. A rate of
// MANT 2^-8 (the smallest shift) turns G = 256 into delta = MANT weight LSBs, exactly (no
// stochastic rounding).
TEST(LearnUnit, EachMatrixUpdatesWithItsOwnRate) {
  Regs r = unit_regs();
  r.learn = true;
  r.lr_in = {1, spec::UPD.frac};   // 1 LSB
  r.lr_rec = {0, spec::UPD.frac};  // zero rate: unchanged
  r.lr_out = {3, spec::UPD.frac};  // 3 LSBs
  Core c(unit_sizes(), r);
  const Sizes s = c.sizes();
  const int64_t rec = 1;                                  // W_REC[0 -> 1] (not the diagonal)
  const int64_t g_rec = int64_t{s.n_in} * s.n_rec + rec;  // its gradient: source row NI + 0
  const int64_t g_out = static_cast<int64_t>(s.n_pre()) * s.n_rec;  // W_OUT[0 -> 0]
  c.mem(Mem::W_IN).poke(0, weight(false, 100));
  c.mem(Mem::W_REC).poke(rec, weight(false, 100));
  c.mem(Mem::W_OUT).poke(0, weight(false, 100));
  for (int64_t a : {int64_t{0}, g_rec, g_out}) c.mem(Mem::GRAD).poke(a, to_word(spec::G, 256));
  c.end_sample(true);
  EXPECT_EQ(mag_of(c, Mem::W_IN, 0), 99);
  EXPECT_EQ(mag_of(c, Mem::W_REC, rec), 100);
  EXPECT_EQ(mag_of(c, Mem::W_OUT, 0), 97);
  for (int64_t a : {int64_t{0}, g_rec, g_out}) EXPECT_EQ(c.mem(Mem::GRAD).peek(a), 0u) << "G is cleared by UPD";
}

TEST(LearnUnit, MaximalRateOfOneMatrixSaturatesOnlyThatMatrix) {
  Regs r = unit_regs();
  r.learn = true;
  r.lr_out = {spec::LR_MANT.max_raw(), spec::UPD.frac};  // delta = G * 65535 weight LSBs
  r.lr_in = {0, spec::UPD.frac};
  Core c(unit_sizes(), r);
  const int64_t g_out = static_cast<int64_t>(c.sizes().n_pre()) * c.sizes().n_rec;
  c.mem(Mem::W_IN).poke(0, weight(false, 5));
  c.mem(Mem::W_OUT).poke(0, weight(false, 5));
  c.mem(Mem::GRAD).poke(0, to_word(spec::G, -1000));
  c.mem(Mem::GRAD).poke(g_out, to_word(spec::G, -1000));
  c.end_sample(true);
  EXPECT_EQ(mag_of(c, Mem::W_IN, 0), 5);
  EXPECT_EQ(mag_of(c, Mem::W_OUT, 0), spec::W_MAG.max_raw());
}

// CTRL.UPD_SIGN: the step is the rate times sign(G) whatever |G| is (G = 0: no step). A rate of
// MANT 2^-16 is MANT weight LSBs per step, exactly. Without the bit, the same rate moves the
// weight by G MANT 2^-16 LSBs (rounded stochastically).
TEST(LearnUnit, SignStepIsTheRateWhateverTheGradient) {
  for (bool sign : {true, false}) {
    Regs r = unit_regs();
    r.learn = true;
    r.upd_sign = sign;
    r.lr_in = {2, 16};
    r.lr_out = {5, 16};
    Core c(unit_sizes(), r);
    const int64_t g_out = static_cast<int64_t>(c.sizes().n_pre()) * c.sizes().n_rec;
    const int64_t grads[] = {1, spec::G.max_raw(), 0, -3};  // W_IN[0 -> 0 .. 3]
    for (int64_t a = 0; a < 4; ++a) {
      c.mem(Mem::W_IN).poke(a, weight(false, 100));
      c.mem(Mem::GRAD).poke(a, to_word(spec::G, grads[a]));
    }
    c.mem(Mem::W_OUT).poke(0, weight(true, 100));
    c.mem(Mem::GRAD).poke(g_out, to_word(spec::G, -(int64_t{1} << 20)));
    c.end_sample(true);
    if (sign) {
      EXPECT_EQ(mag_of(c, Mem::W_IN, 0), 98) << "G = 1 LSB of G: a full step";
      EXPECT_EQ(mag_of(c, Mem::W_IN, 1), 98) << "G at its maximum: the same step";
      EXPECT_EQ(mag_of(c, Mem::W_IN, 2), 100) << "G = 0: no step";
      EXPECT_EQ(mag_of(c, Mem::W_IN, 3), 102);
      EXPECT_EQ(mag_of(c, Mem::W_OUT, 0), 95) << "-100 - 5 (-1) = -95";
    } else {  // delta = rnd(G MANT, 8) in weight LSBs 2^-8
      EXPECT_EQ(mag_of(c, Mem::W_IN, 0), 100) << "G = 1: 2 2^-16 LSBs, rounded to no step";
      EXPECT_EQ(c.mem(Mem::W_IN).peek(1), weight(true, spec::W_MAG.max_raw())) << "G max: 2^16 LSBs, saturated";
      EXPECT_EQ(mag_of(c, Mem::W_IN, 2), 100);
      EXPECT_EQ(mag_of(c, Mem::W_OUT, 0), 20) << "-100 + 2^20 5 2^-16 = -20";
    }
  }
}

// The readout gradient of W_OUT[0 -> 0] after one learning step in which neuron 0 spikes and
// y = 0 (no active readout weight), target 0: G = err zbar_0, err = clamp(0, lo, hi) - 0 when
// clamping, else 0.
int64_t readout_gradient(bool clamp, double lo, double hi) {
  Regs r = unit_regs();
  r.learn = true;
  r.err_clamp = clamp;
  r.err_lo = from_real(spec::Y, lo);
  r.err_hi = from_real(spec::Y, hi);
  Core c(unit_sizes(), r);
  c.mem(Mem::W_IN).poke(0, weight(false, spec::W_MAG.max_raw()));  // input 0 makes neuron 0 spike
  c.mem(Mem::W_OUT).poke(0, weight(false, 0, false));
  c.start_sample();
  c.step({0}, {0}, true);
  c.step({0}, {0}, true);
  EXPECT_EQ(c.mem(Mem::Y).peek(0), 0u);
  return from_word(spec::G, c.mem(Mem::GRAD).peek(static_cast<int64_t>(c.sizes().n_pre()) * c.sizes().n_rec));
}

TEST(LearnUnit, ErrorClampBoundsTheReadoutInTheError) {
  EXPECT_EQ(readout_gradient(false, 0.25, 0.5), 0) << "no clamp: err = y - y* = 0";
  EXPECT_EQ(readout_gradient(true, -0.5, 0.5), 0) << "y inside the bounds: unchanged";
  const int64_t up = readout_gradient(true, 0.25, 0.5);     // y below lo: err = lo
  const int64_t down = readout_gradient(true, -0.5, -0.25);  // y above hi: err = hi
  EXPECT_GT(up, 0);
  EXPECT_EQ(down, -up);
  EXPECT_EQ(readout_gradient(true, 0.5, 0.5), 2 * up) << "lo = hi: the readout is that constant";
}

}  // namespace
}  // namespace eligo::chip
