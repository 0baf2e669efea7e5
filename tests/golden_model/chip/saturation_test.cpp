// Saturation, not wrap, at the chip's adders: each test drives one adder past its format's
// limit and checks that the stored value sits at the limit (a wrap would flip its sign or
// drop it near zero).
#include <gtest/gtest.h>

#include "golden_model/chip/core.hpp"
#include "tests/golden_model/chip/chip_unit_util.hpp"

namespace eligo::chip {
namespace {

using namespace testing;
using spec::Mem;

NeuronState state_of(const Core& c, int j) { return NeuronState::unpack(c.mem(Mem::STATE).peek(j)); }

TEST(Saturation, SynapticAccumulatorAndMembraneSaturateUpwards) {
  Regs r = unit_regs();
  r.lif.thr = r.alif.thr = spec::V.max_raw();  // never spike
  Core c(unit_sizes(), r);
  for (int j = 0; j < 3; ++j) c.mem(Mem::W_IN).poke(j, weight(false, spec::W_MAG.max_raw()));
  c.start_sample();
  // 3000 events x 16 = 48000 > ACC max (32768) and > V max (128).
  c.step(std::vector<int>(3000, 0), {}, false);
  EXPECT_EQ(state_of(c, 0).v, spec::V.max_raw());
  c.step(std::vector<int>(3000, 0), {}, false);  // and it stays there (alpha = 1)
  EXPECT_EQ(state_of(c, 0).v, spec::V.max_raw());
}

TEST(Saturation, MembraneSaturatesDownwards) {
  Core c(unit_sizes(), unit_regs());
  for (int j = 0; j < 3; ++j) c.mem(Mem::W_IN).poke(j, weight(true, spec::W_MAG.max_raw()));
  c.start_sample();
  c.step(std::vector<int>(3000, 0), {}, false);
  EXPECT_EQ(state_of(c, 0).v, spec::V.min_raw());
}

TEST(Saturation, AdaptationSaturates) {
  Regs r = unit_regs();
  r.alif.beta = 0;  // threshold stays at thr: the ALIF neuron spikes every step
  Core c(unit_sizes(), r);
  c.mem(Mem::W_IN).poke(2, weight(false, spec::W_MAG.max_raw()));
  c.start_sample();
  const int64_t a_max_spikes = spec::A.max_raw() >> spec::A.frac;  // a jumps by 1 per spike
  for (int t = 0; t < a_max_spikes + 20; ++t) c.step({0, 0, 0, 0}, {}, false);
  EXPECT_EQ(state_of(c, 2).a, spec::A.max_raw());
}

TEST(Saturation, ReadoutSaturatesBothWays) {
  for (bool negative : {false, true}) {
    Core c(unit_sizes(), unit_regs());
    for (int j = 0; j < 3; ++j) {
      c.mem(Mem::W_IN).poke(j, weight(false, spec::W_MAG.max_raw()));
      c.mem(Mem::W_OUT).poke(j, weight(negative, spec::W_MAG.max_raw()));
    }
    c.start_sample();
    for (int t = 0; t < 20; ++t) c.step({0, 0, 0, 0}, {}, false);  // y grows by 48 per step
    EXPECT_EQ(from_word(spec::Y, c.mem(Mem::Y).peek(0)), negative ? spec::Y.min_raw() : spec::Y.max_raw());
  }
}

TEST(Saturation, PresynapticTraceSaturates) {
  Regs r = unit_regs();
  r.learn = true;
  Core c(unit_sizes(), r);
  c.start_sample();
  c.step(std::vector<int>(200, 1), {}, false);  // 200 events of input 1 > EPSV max (64)
  EXPECT_EQ(from_word(spec::EPSV, c.mem(Mem::EPSV).peek(1)), spec::EPSV.max_raw());                   // LIF
  EXPECT_EQ(from_word(spec::EPSV, c.mem(Mem::EPSV).peek(1) >> spec::EPSV.bits), spec::EPSV.max_raw());  // ALIF
}

TEST(Saturation, GradientAccumulatorSaturates) {
  Regs r = unit_regs();
  r.learn = true;
  Core c(unit_sizes(), r);
  c.mem(Mem::W_OUT).poke(0, weight(false, 1));
  c.mem(Mem::W_IN).poke(0, weight(false, spec::W_MAG.max_raw()));
  const int64_t out_base = static_cast<int64_t>(c.sizes().n_pre()) * c.sizes().n_rec;
  c.mem(Mem::GRAD).poke(out_base, to_word(spec::G, spec::G.max_raw() - 1));
  c.start_sample();
  // Neuron 0 spikes (zbar_0 > 0), y ~ 0 and target -100: err > 0, so G_out(0) += err zbar > 1 LSB.
  c.step({0, 0}, {-(int64_t{100} << spec::Y.frac)}, true);
  EXPECT_EQ(from_word(spec::G, c.mem(Mem::GRAD).peek(out_base)), spec::G.max_raw());
}

TEST(Saturation, WeightUpdateSaturatesTheMagnitude) {
  for (bool negative : {false, true}) {
    Regs r = unit_regs();
    r.learn = true;
    r.lr_in = r.lr_rec = r.lr_out = {spec::LR_MANT.max_raw(), spec::UPD.frac};  // delta = G * 65535 weight LSBs
    Core c(unit_sizes(), r);
    c.mem(Mem::W_IN).poke(0, weight(negative, spec::W_MAG.max_raw() - 1));
    // A gradient that pushes |w| up: dE/dw < 0 for a positive weight, > 0 for a negative one.
    c.mem(Mem::GRAD).poke(0, to_word(spec::G, negative ? 1000 : -1000));
    c.end_sample(true);
    const WeightWord w = WeightWord::unpack(c.mem(Mem::W_IN).peek(0));
    EXPECT_TRUE(w.active);
    EXPECT_EQ(w.negative, negative);
    EXPECT_EQ(w.mag, spec::W_MAG.max_raw());
  }
}

TEST(Saturation, FixedPointHelpersClampAndRound) {
  EXPECT_EQ(sat(spec::V, spec::V.max_raw() + 1), spec::V.max_raw());
  EXPECT_EQ(sat(spec::V, spec::V.min_raw() - 1), spec::V.min_raw());
  EXPECT_EQ(sat(spec::A, -5), 0);
  EXPECT_EQ(rnd(3, 1), 2);    // 1.5 -> 2 (ties up)
  EXPECT_EQ(rnd(-3, 1), -1);  // -1.5 -> -1 (ties up)
  EXPECT_EQ(rnd(-5, 2), -1);  // -1.25 -> -1
  EXPECT_EQ(from_word(spec::V, to_word(spec::V, -7)), -7);
  EXPECT_EQ(from_real(spec::W_MAG, 1e9), spec::W_MAG.max_raw());
}

TEST(Saturation, InputEventCountSaturates) {
  Regs r = unit_regs();
  r.learn = true;
  r.lif.zeta = int64_t{1} << (spec::COEF.frac - spec::EPSV.frac);  // eps_v grows by one raw LSB per event
  Core c(unit_sizes(), r);
  c.start_sample();
  c.step(std::vector<int>(300, 1), {}, false);
  EXPECT_EQ(from_word(spec::EPSV, c.mem(Mem::EPSV).peek(1)), static_cast<int64_t>(spec::IN_COUNT_MAX));
}

}  // namespace
}  // namespace eligo::chip
