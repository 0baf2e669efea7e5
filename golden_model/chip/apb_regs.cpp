// APB register and memory map (twin of rtl/apb_regs.sv). The map (addresses, widths, access,
// reset values, fields) is spec::kRegs, generated from spec/chip.toml; this file binds each RW
// register to the model's storage (rw_register) and implements the others (RO values, CMD,
// STATUS). Every register reads back what was written (within its width); an address that maps
// to nothing, a write to a read-only register, or a memory word beyond the memory's depth
// answers PSLVERR and changes nothing. Wide memory words are two 32-bit halves (LO at 8w, HI at
// 8w + 4).
#include <algorithm>

#include "golden_model/chip/core.hpp"

namespace eligo::chip {

using spec::Mem;

namespace {

// An RW register's raw value as read (zero-extended) and as written (its format's sign extension).
uint32_t to_reg(const spec::RegInfo& r, int64_t x) { return static_cast<uint32_t>(to_word(r.fmt, x)); }
uint32_t to_reg(const spec::RegInfo&, uint32_t x) { return x; }
uint32_t to_reg(const spec::RegInfo&, bool x) { return x ? 1u : 0u; }
void from_reg(const spec::RegInfo& r, uint32_t data, int64_t& x) { x = from_word(r.fmt, data); }
void from_reg(const spec::RegInfo& r, uint32_t data, uint32_t& x) {
  x = static_cast<uint32_t>(to_word(r.fmt, data));
}
void from_reg(const spec::RegInfo& r, uint32_t data, bool& x) { x = to_word(r.fmt, data) != 0; }

// The memory and byte offset of address addr (>= MEM_BASE) in the memory windows
// (spec::mem_window_base / mem_window_bytes); false when no window holds it.
bool mem_window(uint32_t addr, uint32_t* m, uint32_t* off) {
  for (int k = 0; k < spec::NUM_MEMS; ++k) {
    const uint32_t base = spec::mem_window_base(static_cast<Mem>(k));
    if (addr >= base && addr - base < spec::mem_window_bytes(static_cast<Mem>(k))) {
      *m = static_cast<uint32_t>(k);
      *off = addr - base;
      return true;
    }
  }
  return false;
}

}  // namespace

// Where the model keeps each RW register; spec::kRegs says its address, width, format and reset.
template <class F>
bool Core::rw_register(spec::Reg r, F&& f) {
  using spec::Reg;
  switch (r) {
    case Reg::CTRL: {
      uint32_t v = regs_.ctrl();
      f(v);
      regs_.set_ctrl(v);
      if (!sizes_.synapse_traces) regs_.trc_fact = true;  // set for good in a factored-only core
      return true;
    }
    case Reg::TS_BUDGET: f(regs_.ts_budget); return true;
    case Reg::TARGET_VALID: f(apb_target_valid_); return true;
    case Reg::LR_IN_MANT: f(regs_.lr_in.mant); return true;
    case Reg::LR_IN_SHIFT: f(regs_.lr_in.shift); return true;
    case Reg::LR_REC_MANT: f(regs_.lr_rec.mant); return true;
    case Reg::LR_REC_SHIFT: f(regs_.lr_rec.shift); return true;
    case Reg::LR_OUT_MANT: f(regs_.lr_out.mant); return true;
    case Reg::LR_OUT_SHIFT: f(regs_.lr_out.shift); return true;
    case Reg::ERR_LO: f(regs_.err_lo); return true;
    case Reg::ERR_HI: f(regs_.err_hi); return true;
    case Reg::L1: f(regs_.l1); return true;
    case Reg::NOISE: f(regs_.noise); return true;
    case Reg::K_IN: f(regs_.k_in); return true;
    case Reg::K_REC: f(regs_.k_rec); return true;
    case Reg::SEED_UPD: f(regs_.seed_upd); return true;
    case Reg::SEED_RWR: f(regs_.seed_rwr); return true;
    case Reg::LIF_ALPHA: f(regs_.lif.alpha); return true;
    case Reg::LIF_ZETA: f(regs_.lif.zeta); return true;
    case Reg::LIF_THR: f(regs_.lif.thr); return true;
    case Reg::LIF_INV_THR: f(regs_.lif.inv_thr); return true;
    case Reg::LIF_PSI_SCALE: f(regs_.lif.psi_scale); return true;
    case Reg::LIF_NREF: f(regs_.lif.n_ref); return true;
    case Reg::ALIF_ALPHA: f(regs_.alif.alpha); return true;
    case Reg::ALIF_ZETA: f(regs_.alif.zeta); return true;
    case Reg::ALIF_THR: f(regs_.alif.thr); return true;
    case Reg::ALIF_INV_THR: f(regs_.alif.inv_thr); return true;
    case Reg::ALIF_PSI_SCALE: f(regs_.alif.psi_scale); return true;
    case Reg::ALIF_NREF: f(regs_.alif.n_ref); return true;
    case Reg::ALIF_RHO: f(regs_.alif.rho); return true;
    case Reg::ALIF_RHO_BLK: f(regs_.alif_rho_blk); return true;
    case Reg::ALIF_BETA: f(regs_.alif.beta); return true;
    case Reg::KAPPA: f(regs_.kappa); return true;
    case Reg::C_OUT: f(regs_.c_out); return true;
    default: return false;  // not an RW register (TARGET: an array, below)
  }
}

uint32_t Core::apb_read(uint32_t addr, bool* slverr) {
  *slverr = false;
  using namespace spec;
  if (addr >= MEM_BASE) {
    uint32_t m = 0, off = 0;
    if (!mem_window(addr, &m, &off) || (addr & 3u) || off / 8 >= mem(static_cast<Mem>(m)).depth()) {
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
  const RegInfo* r = find_reg(addr);
  if (r == &kRegs[static_cast<size_t>(Reg::TARGET)] && addr < REG_TARGET + 4u * static_cast<uint32_t>(sizes_.n_out)) {
    return to_reg(*r, apb_target_[(addr - REG_TARGET) / 4]);
  }
  if (r == nullptr || r->count != 1) {
    *slverr = true;
    return 0;
  }
  uint32_t v = 0;
  if (rw_register(static_cast<Reg>(r - kRegs.data()), [&](const auto& x) { v = to_reg(*r, x); })) return v;
  switch (addr) {  // the registers that are not storage
    case REG_ID: return CHIP_ID;
    case REG_VERSION: return SPEC_VERSION;
    case REG_CMD: return 0;
    case REG_STATUS: {
      const bool busy = false;  // the model is never busy between APB calls
      return uint32_t{busy} << STATUS_BUSY_LSB | uint32_t{status_.done} << STATUS_DONE_LSB |
             uint32_t{status_.overrun} << STATUS_OVERRUN_LSB | uint32_t{status_.k_error} << STATUS_K_ERROR_LSB;
    }
    case REG_SIZES:
      return static_cast<uint32_t>(sizes_.n_in) << SIZES_NI_LSB | static_cast<uint32_t>(sizes_.n_rec) << SIZES_NR_LSB |
             static_cast<uint32_t>(sizes_.n_out) << SIZES_NO_LSB |
             static_cast<uint32_t>(sizes_.lanes - 1) << SIZES_LANES_M1_LSB |
             uint32_t{sizes_.synapse_traces} << SIZES_ST_LSB;
    case REG_N_ALIF: return static_cast<uint32_t>(sizes_.n_alif);
    default: *slverr = true; return 0;  // a register of the map this model does not implement
  }
}

void Core::apb_write(uint32_t addr, uint32_t data, bool* slverr) {
  *slverr = false;
  using namespace spec;
  if (addr >= MEM_BASE) {
    uint32_t m = 0, off = 0;
    if (!mem_window(addr, &m, &off) || (addr & 3u) || off / 8 >= mem(static_cast<Mem>(m)).depth()) {
      *slverr = true;
      return;
    }
    Sram& s = mem(static_cast<Mem>(m));
    const uint64_t w = s.peek(off / 8);
    s.poke(off / 8, (off & 4u) ? ((w & 0xFFFFFFFFull) | uint64_t{data} << 32) : ((w & ~0xFFFFFFFFull) | data));
    return;
  }
  const RegInfo* r = find_reg(addr);
  if (r == &kRegs[static_cast<size_t>(Reg::TARGET)] && addr < REG_TARGET + 4u * static_cast<uint32_t>(sizes_.n_out)) {
    from_reg(*r, data, apb_target_[(addr - REG_TARGET) / 4]);
    return;
  }
  if (r == nullptr || r->count != 1 || r->access == Access::RO) {
    *slverr = true;  // unmapped or read-only
    return;
  }
  const Reg id = static_cast<Reg>(r - kRegs.data());
  if (rw_register(id, [&](auto& x) { from_reg(*r, data, x); })) {
    if (id == Reg::SEED_UPD || id == Reg::SEED_RWR) reseed();
    return;
  }
  switch (addr) {  // the registers that are not storage
    case REG_CMD:
      if (data & CMD_CLEAR_COUNTERS_MASK) clear_counters();
      if (data & CMD_START_SAMPLE_MASK) start_sample();
      if (data & CMD_END_SAMPLE_MASK) end_sample((data & CMD_UPDATE_MASK) != 0);
      return;
    case REG_STATUS:  // write 1 to clear
      if (data & STATUS_DONE_MASK) status_.done = false;
      if (data & STATUS_OVERRUN_MASK) status_.overrun = false;
      if (data & STATUS_K_ERROR_MASK) status_.k_error = false;
      return;
    default: *slverr = true; return;  // a register of the map this model does not implement
  }
}

}  // namespace eligo::chip
