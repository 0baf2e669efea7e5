// DEEP R on the chip (rewire_unit): after every rewiring pass exactly K synapses are active in
// W_IN and in W_REC, signs never change, dormant words hold weight 0, the W_REC diagonal is
// never active, and K errors are flagged instead of silently mis-counted.
#include <gtest/gtest.h>

#include "tests/golden_model/chip/chip_test_util.hpp"

namespace eligo::chip {
namespace {

using spec::Mem;

std::vector<bool> signs(const Core& c, Mem m) {
  std::vector<bool> s;
  for (uint64_t w : c.mem(m).words()) s.push_back(WeightWord::unpack(w).negative);
  return s;
}

TEST(RewireUnit, KeepsKActiveSignsFixedDormantZeroOverManyPasses) {
  ChipOptions o;
  o.learn = true;
  o.deepr = true;
  o.connectivity = 0.3;
  o.lr = 0.05;        // large steps, so that many synapses cross zero
  o.l1 = 0.5;
  o.temperature = 1e-4;
  o.seed = 3;
  auto s = testing::reduced_setup(o, 6, 5);
  Core core = make_core(s.image);
  const auto sign_in = signs(core, Mem::W_IN), sign_rec = signs(core, Mem::W_REC);
  ASSERT_EQ(core.active_count(Mem::W_IN), core.regs().k_in);
  ASSERT_EQ(core.active_count(Mem::W_REC), core.regs().k_rec);
  for (int b = 0; b < 6; ++b) {
    run_sample(core, s.batch, b, s.learning_window, /*update=*/true);
    EXPECT_EQ(core.active_count(Mem::W_IN), core.regs().k_in) << "sample " << b;
    EXPECT_EQ(core.active_count(Mem::W_REC), core.regs().k_rec) << "sample " << b;
    EXPECT_EQ(signs(core, Mem::W_IN), sign_in);
    EXPECT_EQ(signs(core, Mem::W_REC), sign_rec);
    for (Mem m : {Mem::W_IN, Mem::W_REC}) {
      for (int64_t a = 0; a < core.mem(m).depth(); ++a) {
        const WeightWord w = WeightWord::unpack(core.mem(m).peek(a));
        if (!w.active) {
          EXPECT_EQ(w.value(), 0);
        }
        if (!Core::allowed(core.sizes(), m, a)) {
          EXPECT_FALSE(w.active) << "autapse " << a;
        }
      }
    }
  }
  EXPECT_GT(core.counters()[spec::Counter::prunes], 0u) << "the test must exercise pruning";
  EXPECT_EQ(core.counters()[spec::Counter::prunes], core.counters()[spec::Counter::reactivations]);
  EXPECT_FALSE(core.status().k_error);
}

TEST(RewireUnit, ReactivatesWhenFewDormantAreLeft) {
  // K = allowed - 1: after pruning, the probes mostly hit active words and the linear scan
  // must find the few dormant ones.
  ChipOptions o;
  o.learn = true;
  o.deepr = true;
  o.connectivity = 1.0;
  o.lr = 0.05;
  o.l1 = 2.0;
  o.seed = 9;
  auto s = testing::reduced_setup(o, 2, 8);
  Core core = make_core(s.image);
  core.regs().k_in -= 1;
  core.regs().k_rec -= 1;
  // Make one word dormant in each matrix so that the counts start at K.
  for (Mem m : {Mem::W_IN, Mem::W_REC}) {
    for (int64_t a = 0; a < core.mem(m).depth(); ++a) {
      WeightWord w = WeightWord::unpack(core.mem(m).peek(a));
      if (w.active) {
        w.active = false;
        w.mag = 0;
        core.mem(m).poke(a, w.pack());
        break;
      }
    }
  }
  for (int b = 0; b < 2; ++b) {
    run_sample(core, s.batch, b, s.learning_window, true);
    EXPECT_EQ(core.active_count(Mem::W_IN), core.regs().k_in);
    EXPECT_EQ(core.active_count(Mem::W_REC), core.regs().k_rec);
  }
  EXPECT_GT(core.counters()[spec::Counter::probes], core.counters()[spec::Counter::reactivations]);
}

TEST(RewireUnit, FlagsKLargerThanTheAllowedSynapses) {
  ChipOptions o;
  o.learn = true;
  o.deepr = true;
  o.connectivity = 0.5;
  o.lr = 0.001;
  auto s = testing::reduced_setup(o, 1, 2);
  Core core = make_core(s.image);
  core.regs().k_rec = core.allowed_count(Mem::W_REC) + 1;
  const int64_t before = core.active_count(Mem::W_REC);
  run_sample(core, s.batch, 0, s.learning_window, true);
  EXPECT_TRUE(core.status().k_error);
  EXPECT_LE(core.active_count(Mem::W_REC), before);  // nothing re-activated in W_REC
}

}  // namespace
}  // namespace eligo::chip
