// The APB view of the core: registers read back what was written (within their width), illegal
// addresses answer PSLVERR, memory windows reach every word, counters are readable.
#include <gtest/gtest.h>

#include "tests/golden_model/chip/chip_unit_util.hpp"

namespace eligo::chip {
namespace {

using namespace spec;

// Every RW register of spec/chip.toml (an unbound one would read 0 after writing ones).
TEST(ApbRegs, RegistersReadBackWhatWasWritten) {
  Core c(testing::unit_sizes(), testing::unit_regs());
  for (const RegInfo& r : kRegs) {
    if (r.access != Access::RW) continue;
    for (uint32_t v : {0x00000000u, 0xFFFFFFFFu, 0xA5A5A5A5u, 0x12345678u}) {
      bool err = true;
      c.apb_write(r.addr, v, &err);
      EXPECT_FALSE(err) << r.name;
      const uint32_t got = c.apb_read(r.addr, &err);
      EXPECT_FALSE(err);
      const uint32_t mask = r.fmt.bits >= 32 ? 0xFFFFFFFFu : (1u << r.fmt.bits) - 1u;
      EXPECT_EQ(got, v & mask) << "register " << r.name << " value " << std::hex << v;
    }
  }
}

// Regs' defaults are the reset values of spec/chip.toml (the RTL resets to them).
TEST(ApbRegs, DefaultRegsHoldTheResetValues) {
  Core c(testing::unit_sizes(), Regs{});
  for (const RegInfo& r : kRegs) {
    if (r.access != Access::RW) continue;
    bool err = true;
    EXPECT_EQ(c.apb_read(r.addr, &err), r.reset) << r.name;
    EXPECT_FALSE(err);
  }
}

// Every register of the map answers on the model (RO and W1C read, WO reads 0), except the words
// of an array beyond the core's size.
TEST(ApbRegs, EveryRegisterOfTheMapIsImplemented) {
  Core c(testing::unit_sizes(), Regs{});
  for (const RegInfo& r : kRegs) {
    bool err = true;
    const uint32_t v = c.apb_read(r.addr, &err);
    EXPECT_FALSE(err) << r.name;
    if (r.access == Access::WO) {
      EXPECT_EQ(v, 0u) << r.name;
    }
    c.apb_write(r.addr, r.access == Access::W1C ? 0u : v, &err);
    EXPECT_EQ(err, r.access == Access::RO) << r.name;
  }
}

TEST(ApbRegs, IllegalAddressesAnswerSlverr) {
  Core c(testing::unit_sizes(), testing::unit_regs());
  bool err = false;
  for (uint32_t addr : {0x044u, 0x0FCu, 0x1FCu, 0x002u, REG_TARGET + 4u /* NO = 1 */}) {
    c.apb_read(addr, &err);
    EXPECT_TRUE(err) << std::hex << addr;
    c.apb_write(addr, 1, &err);
    EXPECT_TRUE(err) << std::hex << addr;
  }
  for (uint32_t ro : {REG_ID, REG_VERSION, REG_SIZES, REG_N_ALIF}) {
    c.apb_write(ro, 0, &err);
    EXPECT_TRUE(err) << "write to read-only " << std::hex << ro;
  }
  // A word beyond a memory's depth, and the slots no memory maps (GRAD's 1 MiB slot: GRAD has its
  // own window at GRAD_BASE, past the last memory's slot).
  c.apb_read(MEM_BASE * (1 + static_cast<uint32_t>(Mem::Y)) + 8u * 1u, &err);  // Y has 1 word
  EXPECT_TRUE(err);
  c.apb_read(MEM_BASE * (1 + static_cast<uint32_t>(Mem::GRAD)), &err);
  EXPECT_TRUE(err);
  c.apb_read(MEM_BASE * (1 + NUM_MEMS) - 8u, &err);  // the last word of LSIG's slot (depth NR)
  EXPECT_TRUE(err);
}

TEST(ApbRegs, MemoryWindowsReachEveryWordAndBothHalves) {
  Core c(testing::unit_sizes(), testing::unit_regs());
  bool err = false;
  const uint32_t base = MEM_BASE * (1 + static_cast<uint32_t>(Mem::STATE));
  c.apb_write(base + 8 * 2, 0xDEADBEEFu, &err);
  c.apb_write(base + 8 * 2 + 4, 0x001FFFFFu, &err);  // STATE is 53 bits wide
  EXPECT_EQ(c.mem(Mem::STATE).peek(2), 0x001FFFFFDEADBEEFull);
  EXPECT_EQ(c.apb_read(base + 8 * 2 + 4, &err), 0x001FFFFFu);
  EXPECT_EQ(c.apb_read(REG_ID, &err), CHIP_ID);
  EXPECT_EQ(c.apb_read(REG_SIZES, &err), 2u | 3u << 9 | 1u << 18 | 1u << 23 | 1u << 28);  // NI, NR, NO, LANES - 1, ST
}

// GRAD has 135,168 words at the largest sizes, more than a 1 MiB window holds: it has its own
// 2 MiB window (spec version 3), and its old 1 MiB slot answers PSLVERR.
TEST(ApbRegs, GradWindowHoldsEveryWordAtTheLargestSizes) {
  Core c(Sizes(256, 256, 16, 128, 16), testing::unit_regs());
  const uint32_t last = static_cast<uint32_t>(c.mem(Mem::GRAD).depth()) - 1;
  ASSERT_EQ(last, 135167u);
  ASSERT_GT(8u * last, MEM_BASE);
  bool err = true;
  c.apb_write(mem_window_base(Mem::GRAD) + 8u * last, 0x12345678u, &err);
  EXPECT_FALSE(err);
  EXPECT_EQ(c.mem(Mem::GRAD).peek(last), 0x12345678u);
  EXPECT_EQ(c.apb_read(GRAD_BASE + 8u * last, &err), 0x12345678u);
  EXPECT_FALSE(err);
  c.apb_read(GRAD_BASE + 8u * (last + 1), &err);  // beyond the depth
  EXPECT_TRUE(err);
  c.apb_read(MEM_BASE * (1 + static_cast<uint32_t>(Mem::GRAD)), &err);  // the old slot
  EXPECT_TRUE(err);
  // The memory after GRAD keeps its slot: ZBAR's first word, not GRAD's 131,072nd.
  c.apb_write(mem_window_base(Mem::ZBAR), 7u, &err);
  EXPECT_FALSE(err);
  EXPECT_EQ(c.mem(Mem::ZBAR).peek(0), 7u);
  EXPECT_EQ(c.mem(Mem::GRAD).peek(131072), 0u);
}

TEST(ApbRegs, CommandsRunPhasesAndCountersAreReadable) {
  Core c(testing::unit_sizes(), testing::unit_regs());
  bool err = false;
  c.apb_write(REG_CMD, CMD_START_SAMPLE_MASK, &err);
  EXPECT_FALSE(err);
  const uint32_t rst = CNT_BASE + 8u * static_cast<uint32_t>(Counter::cycles_RST);
  EXPECT_EQ(c.apb_read(rst, &err), static_cast<uint32_t>(c.counters()[Counter::cycles_RST]));
  EXPECT_GT(c.apb_read(rst, &err), 0u);
  const uint32_t state_writes = CNT_BASE + 8u * (NUM_COUNTERS + 2u * static_cast<uint32_t>(Mem::STATE)) + 8u;
  EXPECT_EQ(c.apb_read(state_writes, &err), 3u);
  c.apb_write(REG_CMD, CMD_CLEAR_COUNTERS_MASK, &err);
  EXPECT_EQ(c.apb_read(rst, &err), 0u);
}

}  // namespace
}  // namespace eligo::chip
