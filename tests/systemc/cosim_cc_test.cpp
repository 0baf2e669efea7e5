// Lock-step co-simulation with the direct (--cc) engine: inference on evidence-accumulation input
// with trained weights, zero mismatches over 1220 timesteps (2 samples) with LIF and ALIF
// neurons, for every verilated size configuration (100 neurons and 3 lanes: not powers of two).
#include <gtest/gtest.h>

#include "tests/systemc/cosim_test_util.hpp"

namespace eligo::cosim {
namespace {

class CosimCc : public ::testing::TestWithParam<int> {};

TEST_P(CosimCc, InferenceHasNoMismatch) {
  const chip::Sizes s = rtl_configurations()[static_cast<size_t>(GetParam())];
  const testing::Setup st = testing::trained_setup(s, 10, 3);
  chip::Core model = chip::make_core(st.image);
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  ASSERT_TRUE(c.configure()) << testing::describe(c);
  for (int b = 0; b < 2; ++b) ASSERT_TRUE(testing::run(c, st.batch, b, st.learning_window, false)) << testing::describe(c);
  EXPECT_TRUE(c.check_counters()) << testing::describe(c);
  EXPECT_EQ(c.stats().timesteps, 1220);
  // The network spiked (at least 2 Hz on average): the comparison covered real activity.
  const uint64_t rec_cycles = model.counters()[chip::spec::Counter::cycles_REC];
  const uint64_t spikes = (rec_cycles - 1220u) / static_cast<uint64_t>((s.n_rec + s.lanes - 1) / s.lanes);
  EXPECT_GE(spikes, static_cast<uint64_t>(0.002 * s.n_rec * 1220)) << "too few recurrent spikes";
  RecordProperty("spikes", std::to_string(spikes));
  EXPECT_GT(c.stats().writes_compared, 1220u * static_cast<uint64_t>(s.n_rec));
  RecordProperty("writes_compared", std::to_string(c.stats().writes_compared));
  testing::record_write_hash(c);
  RecordProperty("rtl_cycles", std::to_string(rtl->cycles()));
}

INSTANTIATE_TEST_SUITE_P(Configurations, CosimCc, ::testing::Values(0, 1, 2));

}  // namespace
}  // namespace eligo::cosim

namespace eligo::cosim {
namespace {

// A timestep budget below the busiest timesteps: the RTL's overrun flag and counter follow the
// model's (the counters are compared at the end).
TEST(CosimCcOverrun, OverrunsMatchTheModel) {
  const chip::Sizes s = rtl_configurations()[0];
  testing::Setup st = testing::trained_setup(s, 10, 3);
  st.image.regs.ts_budget = 60;
  chip::Core model = chip::make_core(st.image);
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  ASSERT_TRUE(c.configure()) << testing::describe(c);
  ASSERT_TRUE(testing::run(c, st.batch, 0, st.learning_window, false)) << testing::describe(c);
  EXPECT_TRUE(c.check_counters()) << testing::describe(c);
  const uint64_t overruns = model.counters()[chip::spec::Counter::overruns];
  EXPECT_GT(overruns, 0u);
  EXPECT_LT(overruns, 610u);
  bool err = false;
  EXPECT_NE(c.bfm().apb_read(chip::spec::REG_STATUS, &err) & chip::spec::STATUS_OVERRUN_MASK, 0u) << "STATUS.OVERRUN (sticky)";
  RecordProperty("overruns", std::to_string(overruns));
}

}  // namespace
}  // namespace eligo::cosim

namespace eligo::cosim {
namespace {

// A full build (the tests') verilates every configuration; sizes without a model are refused with
// one line naming them and the configurations there are (make demo's build lists its one).
TEST(RtlModels, SizesWithoutAModelNameTheAvailableOnes) {
  EXPECT_EQ(built_rtl_configurations(), rtl_configurations());
  const chip::Sizes other(20, 12, 2, 5, 2);
  try {
    make_cc_engine(other);
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "cosim: no verilated RTL for 20-12-2 (5 ALIF), 2 lanes (available: 40-40-2 (20 ALIF), 4 lanes; "
              "40-100-2 (50 ALIF), 3 lanes; 20-10-2 (5 ALIF), 2 lanes; 40-100-2 (0 ALIF), 16 lanes; "
              "20-10-2 (5 ALIF), 2 lanes, factored traces only; 37-23-5 (23 ALIF), 4 lanes; "
              "256-256-16 (128 ALIF), 16 lanes)");
  }
  const std::string partial = not_built("verilated RTL", rtl_configurations()[2], {rtl_configurations()[0]},
                                        rtl_configurations());
  EXPECT_EQ(partial,
            "cosim: no verilated RTL for 20-10-2 (5 ALIF), 2 lanes (available: 40-40-2 (20 ALIF), 4 lanes); this "
            "build verilates only some configurations (CMake ELIGO_RTL_MODELS, make demo's build): build with "
            "-DELIGO_RTL_MODELS=all (make build) for it");
}

}  // namespace
}  // namespace eligo::cosim
