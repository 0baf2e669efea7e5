// The APB view of the core: registers read back what was written (within their width), illegal
// addresses answer PSLVERR, memory windows reach every word, counters are readable.
#include <gtest/gtest.h>

#include "tests/golden_model/chip/chip_unit_util.hpp"

namespace eligo::chip {
namespace {

using namespace spec;

TEST(ApbRegs, RegistersReadBackWhatWasWritten) {
  Core c(testing::unit_sizes(), testing::unit_regs());
  struct R {
    uint32_t addr, bits;
  };
  const R regs[] = {{REG_CTRL, 6},          {REG_TS_BUDGET, 32},     {REG_TARGET_VALID, 1},
                    {REG_LR_MANT, 16},       {REG_LR_SHIFT, 6},       {REG_L1, 16},
                    {REG_NOISE, 16},         {REG_K_IN, 32},          {REG_K_REC, 32},
                    {REG_SEED_UPD, 32},      {REG_SEED_RWR, 32},      {REG_LIF_ALPHA, 24},
                    {REG_LIF_ZETA, 24},      {REG_LIF_THR, 24},       {REG_LIF_INV_THR, 24},
                    {REG_LIF_PSI_SCALE, 24}, {REG_LIF_NREF, 4},       {REG_ALIF_ALPHA, 24},
                    {REG_ALIF_ZETA, 24},     {REG_ALIF_THR, 24},      {REG_ALIF_INV_THR, 24},
                    {REG_ALIF_PSI_SCALE, 24}, {REG_ALIF_NREF, 4},     {REG_ALIF_RHO, 24},
                    {REG_ALIF_BETA, 24},     {REG_KAPPA, 24},         {REG_C_OUT, 24},
                    {REG_TARGET, 24}};
  for (const R& r : regs) {
    for (uint32_t v : {0x00000000u, 0xFFFFFFFFu, 0xA5A5A5A5u, 0x12345678u}) {
      bool err = true;
      c.apb_write(r.addr, v, &err);
      EXPECT_FALSE(err) << std::hex << r.addr;
      const uint32_t got = c.apb_read(r.addr, &err);
      EXPECT_FALSE(err);
      const uint32_t mask = r.bits >= 32 ? 0xFFFFFFFFu : (1u << r.bits) - 1u;
      EXPECT_EQ(got, v & mask) << "register " << std::hex << r.addr << " value " << v;
    }
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
  // A word beyond a memory's depth, and a memory id beyond the last.
  c.apb_read(MEM_BASE * (1 + static_cast<uint32_t>(Mem::Y)) + 8u * 1u, &err);  // Y has 1 word
  EXPECT_TRUE(err);
  c.apb_read(MEM_BASE * (1 + NUM_MEMS), &err);
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
  EXPECT_EQ(c.apb_read(REG_SIZES, &err), 2u | 3u << 9 | 1u << 18 | 1u << 23);
}

TEST(ApbRegs, CommandsRunPhasesAndCountersAreReadable) {
  Core c(testing::unit_sizes(), testing::unit_regs());
  bool err = false;
  c.apb_write(REG_CMD, 1, &err);  // START_SAMPLE
  EXPECT_FALSE(err);
  const uint32_t rst = CNT_BASE + 8u * static_cast<uint32_t>(Counter::cycles_RST);
  EXPECT_EQ(c.apb_read(rst, &err), static_cast<uint32_t>(c.counters()[Counter::cycles_RST]));
  EXPECT_GT(c.apb_read(rst, &err), 0u);
  const uint32_t state_writes = CNT_BASE + 8u * (NUM_COUNTERS + 2u * static_cast<uint32_t>(Mem::STATE)) + 8u;
  EXPECT_EQ(c.apb_read(state_writes, &err), 3u);
  c.apb_write(REG_CMD, 8, &err);  // CLEAR_COUNTERS
  EXPECT_EQ(c.apb_read(rst, &err), 0u);
}

}  // namespace
}  // namespace eligo::chip
