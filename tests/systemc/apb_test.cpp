// The RTL's APB slave against the model's (golden_model/chip/apb_regs.cpp): every register reads
// back what was written, on both; an illegal address answers PSLVERR on both; memory words are
// reachable through both halves.
#include <gtest/gtest.h>

#include "tests/systemc/cosim_test_util.hpp"

namespace eligo::cosim {
namespace {

using namespace chip::spec;

TEST(Apb, RegistersReadBackLikeTheModel) {
  const chip::Sizes s = rtl_configurations()[2];
  chip::Core model(s, chip::Regs{});
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  rtl->reset();
  int checked = 0;
  for (uint32_t a = 0; a < 0x100; a += 4) {
    if (a == REG_CMD || a == REG_STATUS) continue;  // commands and write-1-to-clear: below
    for (uint32_t v : {0xFFFFFFFFu, 0xA5A5A5A5u, 0x12345678u, 0u}) {
      bool me = false, re = false;
      model.apb_write(a, v, &me);
      c.bfm().apb_write(a, v, &re);
      ASSERT_EQ(re, me) << std::hex << "write PSLVERR differs at 0x" << a;
      const uint32_t mv = model.apb_read(a, &me);
      const uint32_t rv = c.bfm().apb_read(a, &re);
      ASSERT_EQ(re, me) << std::hex << "read PSLVERR differs at 0x" << a;
      EXPECT_EQ(rv, mv) << std::hex << "register 0x" << a << " after writing 0x" << v;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(Apb, IllegalAddressesAnswerSlverr) {
  const chip::Sizes s = rtl_configurations()[2];
  chip::Core model(s, chip::Regs{});
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  rtl->reset();
  const uint32_t y_beyond = MEM_BASE * (1 + static_cast<uint32_t>(Mem::Y)) + 8u * static_cast<uint32_t>(s.n_out);
  for (uint32_t a : {0x044u, 0x0FCu, 0x1FCu, 0x002u, REG_TARGET + 4u * static_cast<uint32_t>(s.n_out), y_beyond,
                     MEM_BASE * (1 + static_cast<uint32_t>(Mem::GRAD)),  // GRAD's slot: unmapped
                     mem_window_base(Mem::GRAD) + 8u * static_cast<uint32_t>(model.mem(Mem::GRAD).depth())}) {
    bool err = false;
    c.bfm().apb_read(a, &err);
    EXPECT_TRUE(err) << std::hex << "read 0x" << a;
    c.bfm().apb_write(a, 1, &err);
    EXPECT_TRUE(err) << std::hex << "write 0x" << a;
  }
  for (uint32_t ro : {REG_ID, REG_VERSION, REG_SIZES, REG_N_ALIF}) {
    bool err = false;
    c.bfm().apb_write(ro, 0, &err);
    EXPECT_TRUE(err) << std::hex << "write to read-only 0x" << ro;
  }
  bool err = true;
  EXPECT_EQ(c.bfm().apb_read(REG_ID, &err), CHIP_ID);
  EXPECT_FALSE(err);
}

TEST(Apb, MemoryWordsThroughBothHalves) {
  const chip::Sizes s = rtl_configurations()[2];
  chip::Core model(s, chip::Regs{});
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  rtl->reset();
  const uint32_t base = MEM_BASE * (1 + static_cast<uint32_t>(Mem::STATE));
  c.bfm().apb_write(base + 8 * 3, 0xDEADBEEFu);
  c.bfm().apb_write(base + 8 * 3 + 4, 0x001ABCDEu);
  EXPECT_EQ(c.bfm().apb_read(base + 8 * 3), 0xDEADBEEFu);
  EXPECT_EQ(c.bfm().apb_read(base + 8 * 3 + 4), 0x001ABCDEu);
  EXPECT_EQ(rtl->memory(Mem::STATE).read(3), 0x001ABCDEDEADBEEFull);
}

}  // namespace
}  // namespace eligo::cosim
