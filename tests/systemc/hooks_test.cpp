// --inject-fault strings (systemc/hooks.hpp): a fault at an address outside its memory is refused
// naming the allowed range (issue 16: it was skipped, yet listed in the report as applied).
#include "systemc/hooks.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/support/files.hpp"

namespace eligo::cosim {
namespace {

TEST(Hooks, FaultInsideTheMemoryIsParsed) {
  const chip::Sizes s(4, 6, 2, 3, 2);
  const Fault f = parse_fault("W_IN:23:5@7", s);  // W_IN holds 4 x 6 = 24 words
  EXPECT_EQ(f.mem, chip::spec::Mem::W_IN);
  EXPECT_EQ(f.address, 23);
  EXPECT_EQ(f.bit, 5);
  EXPECT_EQ(f.timestep, 7);
}

TEST(Hooks, FaultOutsideTheMemoryIsRefused) {
  const chip::Sizes s(4, 6, 2, 3, 2);
  eligo::testing::expect_one_line_error<std::invalid_argument>(
      [&] { parse_fault("W_IN:24:5@7", s); },
      {"--inject-fault W_IN:24:5@7: ADDRESS 24 is outside W_IN (allowed: 0 .. 23 at these sizes)"});
  eligo::testing::expect_one_line_error<std::invalid_argument>(
      [&] { parse_fault("STATE:99999:1@3", s); }, {"ADDRESS 99999 is outside STATE (allowed: 0 .. 5"});
}

}  // namespace
}  // namespace eligo::cosim
