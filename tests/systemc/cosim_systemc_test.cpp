// Lock-step co-simulation with the SystemC engine (the --sc model in a SystemC top): inference
// with trained weights, zero mismatches over 1220 timesteps, on the 40-40-2 / 4-lane and the
// 40-100-2 / 3-lane configurations. SystemC elaborates once per process; CTest runs every test
// in its own process.
#include <gtest/gtest.h>

#include "tests/systemc/cosim_test_util.hpp"

namespace eligo::cosim {
namespace {

class CosimSystemC : public ::testing::TestWithParam<int> {};

TEST_P(CosimSystemC, InferenceHasNoMismatch) {
  const chip::Sizes s = rtl_configurations()[static_cast<size_t>(GetParam())];
  const testing::Setup st = testing::trained_setup(s, 10, 3);
  chip::Core model = chip::make_core(st.image);
  std::string failure;
  int64_t timesteps = 0;
  with_engine("systemc", s, [&](Engine& rtl) {
    Cosim c(rtl, model);
    bool ok = c.configure();
    for (int b = 0; ok && b < 2; ++b) ok = testing::run(c, st.batch, b, st.learning_window, false);
    if (ok) ok = c.check_counters();
    if (!ok) failure = testing::describe(c);
    timesteps = c.stats().timesteps;
    testing::record_write_hash(c);
  });
  EXPECT_EQ(failure, "");
  EXPECT_EQ(timesteps, 1220);
}

INSTANTIATE_TEST_SUITE_P(Configurations, CosimSystemC, ::testing::Values(0, 1));

}  // namespace
}  // namespace eligo::cosim
