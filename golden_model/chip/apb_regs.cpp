// APB register and memory map (twin of rtl/apb_regs.sv; addresses in spec/chip.toml). Every
// register reads back what was written (within its width); an address that maps to nothing, a
// write to a read-only register, or a memory word beyond the memory's depth answers PSLVERR
// and changes nothing. Wide memory words are two 32-bit halves (LO at 8w, HI at 8w + 4).
#include <algorithm>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Mem;

namespace {

constexpr uint32_t lo_mask(int bits) { return bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1u; }

uint32_t field(int64_t raw, const spec::Format& f) {
  return static_cast<uint32_t>(to_word(f, raw) & lo_mask(f.bits));
}
int64_t unfield(uint32_t data, const spec::Format& f) { return from_word(f, data & lo_mask(f.bits)); }

}  // namespace

uint32_t Core::apb_read(uint32_t addr, bool* slverr) {
  *slverr = false;
  using namespace spec;
  if (addr >= MEM_BASE) {
    const uint32_t m = addr / MEM_BASE - 1, off = addr % MEM_BASE;
    if (m >= static_cast<uint32_t>(NUM_MEMS) || (addr & 3u) || off / 8 >= mem(static_cast<Mem>(m)).depth()) {
      *slverr = true;
      return 0;
    }
    const uint64_t w = mem(static_cast<Mem>(m)).peek(off / 8);
    return static_cast<uint32_t>((off & 4u) ? (w >> 32) : w);
  }
  const uint32_t cnt_end = CNT_BASE + 8u * (NUM_COUNTERS + 2u * NUM_MEMS);
  if (addr >= CNT_BASE && addr < cnt_end && !(addr & 3u)) {
    const uint32_t idx = (addr - CNT_BASE) / 8;
    uint64_t v;
    if (idx < static_cast<uint32_t>(NUM_COUNTERS)) {
      v = counters_.value[idx];
    } else {
      const uint32_t r = idx - NUM_COUNTERS;
      const Mem m = static_cast<Mem>(r / 2);
      v = (r % 2) ? mem(m).writes() : mem(m).reads();
    }
    return static_cast<uint32_t>((addr & 4u) ? (v >> 32) : v);
  }
  if (addr >= REG_TARGET && addr < REG_TARGET + 4u * static_cast<uint32_t>(sizes_.n_out) && !(addr & 3u)) {
    return field(apb_target_[(addr - REG_TARGET) / 4], Y);
  }
  switch (addr) {
    case REG_ID: return CHIP_ID;
    case REG_VERSION: return 1;
    case REG_CTRL: return regs_.ctrl();
    case REG_CMD: return 0;
    case REG_STATUS:
      return uint32_t{status_.done} << 1 | uint32_t{status_.overrun} << 2 | uint32_t{status_.k_error} << 3;
    case REG_SIZES:
      return static_cast<uint32_t>(sizes_.n_in) | static_cast<uint32_t>(sizes_.n_rec) << 9 |
             static_cast<uint32_t>(sizes_.n_out) << 18 | static_cast<uint32_t>(sizes_.lanes - 1) << 23;
    case REG_N_ALIF: return static_cast<uint32_t>(sizes_.n_alif);
    case REG_TS_BUDGET: return regs_.ts_budget;
    case REG_TARGET_VALID: return apb_target_valid_ ? 1u : 0u;
    case REG_LR_MANT: return field(regs_.lr_mant, LR_MANT);
    case REG_LR_SHIFT: return field(regs_.lr_shift, LR_SHIFT);
    case REG_L1: return field(regs_.l1, UPD);
    case REG_NOISE: return field(regs_.noise, UPD);
    case REG_K_IN: return static_cast<uint32_t>(regs_.k_in);
    case REG_K_REC: return static_cast<uint32_t>(regs_.k_rec);
    case REG_SEED_UPD: return regs_.seed_upd;
    case REG_SEED_RWR: return regs_.seed_rwr;
    case REG_LIF_ALPHA: return field(regs_.lif.alpha, COEF);
    case REG_LIF_ZETA: return field(regs_.lif.zeta, COEF);
    case REG_LIF_THR: return field(regs_.lif.thr, V);
    case REG_LIF_INV_THR: return field(regs_.lif.inv_thr, INV_THR);
    case REG_LIF_PSI_SCALE: return field(regs_.lif.psi_scale, COEF);
    case REG_LIF_NREF: return field(regs_.lif.n_ref, REF);
    case REG_ALIF_ALPHA: return field(regs_.alif.alpha, COEF);
    case REG_ALIF_ZETA: return field(regs_.alif.zeta, COEF);
    case REG_ALIF_THR: return field(regs_.alif.thr, V);
    case REG_ALIF_INV_THR: return field(regs_.alif.inv_thr, INV_THR);
    case REG_ALIF_PSI_SCALE: return field(regs_.alif.psi_scale, COEF);
    case REG_ALIF_NREF: return field(regs_.alif.n_ref, REF);
    case REG_ALIF_RHO: return field(regs_.alif.rho, COEF);
    case REG_ALIF_BETA: return field(regs_.alif.beta, COEF);
    case REG_KAPPA: return field(regs_.kappa, COEF);
    case REG_C_OUT: return field(regs_.c_out, COEF);
    default: *slverr = true; return 0;
  }
}

void Core::apb_write(uint32_t addr, uint32_t data, bool* slverr) {
  *slverr = false;
  using namespace spec;
  if (addr >= MEM_BASE) {
    const uint32_t m = addr / MEM_BASE - 1, off = addr % MEM_BASE;
    if (m >= static_cast<uint32_t>(NUM_MEMS) || (addr & 3u) || off / 8 >= mem(static_cast<Mem>(m)).depth()) {
      *slverr = true;
      return;
    }
    Sram& s = mem(static_cast<Mem>(m));
    const uint64_t w = s.peek(off / 8);
    s.poke(off / 8, (off & 4u) ? ((w & 0xFFFFFFFFull) | uint64_t{data} << 32) : ((w & ~0xFFFFFFFFull) | data));
    return;
  }
  if (addr >= REG_TARGET && addr < REG_TARGET + 4u * static_cast<uint32_t>(sizes_.n_out) && !(addr & 3u)) {
    apb_target_[(addr - REG_TARGET) / 4] = unfield(data, Y);
    return;
  }
  switch (addr) {
    case REG_CTRL: regs_.set_ctrl(data); return;
    case REG_CMD:
      if (data & 8u) clear_counters();
      if (data & 1u) start_sample();
      if (data & 2u) end_sample((data & 4u) != 0);
      return;
    case REG_STATUS:  // write 1 to clear
      if (data & 2u) status_.done = false;
      if (data & 4u) status_.overrun = false;
      if (data & 8u) status_.k_error = false;
      return;
    case REG_TS_BUDGET: regs_.ts_budget = data; return;
    case REG_TARGET_VALID: apb_target_valid_ = data & 1u; return;
    case REG_LR_MANT: regs_.lr_mant = unfield(data, LR_MANT); return;
    case REG_LR_SHIFT: regs_.lr_shift = unfield(data, LR_SHIFT); return;
    case REG_L1: regs_.l1 = unfield(data, UPD); return;
    case REG_NOISE: regs_.noise = unfield(data, UPD); return;
    case REG_K_IN: regs_.k_in = data; return;
    case REG_K_REC: regs_.k_rec = data; return;
    case REG_SEED_UPD: regs_.seed_upd = data; reseed(); return;
    case REG_SEED_RWR: regs_.seed_rwr = data; reseed(); return;
    case REG_LIF_ALPHA: regs_.lif.alpha = unfield(data, COEF); return;
    case REG_LIF_ZETA: regs_.lif.zeta = unfield(data, COEF); return;
    case REG_LIF_THR: regs_.lif.thr = unfield(data, V); return;
    case REG_LIF_INV_THR: regs_.lif.inv_thr = unfield(data, INV_THR); return;
    case REG_LIF_PSI_SCALE: regs_.lif.psi_scale = unfield(data, COEF); return;
    case REG_LIF_NREF: regs_.lif.n_ref = unfield(data, REF); return;
    case REG_ALIF_ALPHA: regs_.alif.alpha = unfield(data, COEF); return;
    case REG_ALIF_ZETA: regs_.alif.zeta = unfield(data, COEF); return;
    case REG_ALIF_THR: regs_.alif.thr = unfield(data, V); return;
    case REG_ALIF_INV_THR: regs_.alif.inv_thr = unfield(data, INV_THR); return;
    case REG_ALIF_PSI_SCALE: regs_.alif.psi_scale = unfield(data, COEF); return;
    case REG_ALIF_NREF: regs_.alif.n_ref = unfield(data, REF); return;
    case REG_ALIF_RHO: regs_.alif.rho = unfield(data, COEF); return;
    case REG_ALIF_BETA: regs_.alif.beta = unfield(data, COEF); return;
    case REG_KAPPA: regs_.kappa = unfield(data, COEF); return;
    case REG_C_OUT: regs_.c_out = unfield(data, COEF); return;
    default: *slverr = true; return;  // read-only or unmapped
  }
}

}  // namespace eligo::chip
