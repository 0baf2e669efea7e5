// The bit-exact model of the eligo core (twin of rtl/eligo_core.sv): integer arithmetic, LFSRs,
// memories and the order of memory writes exactly as the RTL does them, and the cycles of every
// phase from the schedule of spec/chip.toml (docs/architecture.md explains it all).
//
// Sizes: NI inputs, NR recurrent neurons (neurons NR-NA .. NR-1 are ALIF, the others LIF), NO
// readouts, NP = NI + NR presynaptic sources (inputs first), L lanes (parallel synapses).
//
// Use, per sample:  start_sample();  step(events, target, valid) for every timestep;
//                   end_sample(update).
// Memory writes go to the write hook in order; within one cycle they are ordered by memory id,
// then by lane. Each unit of the RTL has its twin here, in the file of the same name:
//   synapse_acc.cpp (IN, REC), neuron_unit.cpp (NEU), readout_unit.cpp (OUT),
//   learn_unit.cpp (LRN, OGR, UPD), trace_unit.cpp (TRC), rewire_unit.cpp (DEEP R, RWR),
//   core.cpp (schedule, RST, counters, overrun), apb_regs.cpp (APB register and memory map).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "golden_model/chip/fixed.hpp"
#include "golden_model/chip/lfsr.hpp"
#include "golden_model/chip/perf_counters.hpp"
#include "golden_model/chip/spec.hpp"
#include "golden_model/chip/sram.hpp"

namespace eligo::chip {

struct Sizes {
  int n_in = 40, n_rec = 100, n_out = 2, n_alif = 50, lanes = 4;
  // The per-synapse trace memories EPSA and EBAR are built (RTL parameter SynTraces, SIZES.ST);
  // false: a factored-only core, whose CTRL.TRC_FACT is set for good.
  bool synapse_traces = true;
  Sizes() = default;  // the sizes above
  // Checked: 1 <= ni <= MAX_IN, 1 <= nr <= MAX_REC, 1 <= no <= MAX_OUT (spec/chip.toml),
  // 0 <= na <= nr, 1 <= l <= 32; else std::invalid_argument as check() throws it.
  Sizes(int ni, int nr, int no, int na, int l, bool st = true);
  // Depth (words) of memory m in a core of these sizes.
  int64_t depth(spec::Mem m) const {
    return spec::mem_depth(m, n_in, n_rec, n_out, n_alif, synapse_traces ? 1 : 0);
  }
  int n_pre() const { return n_in + n_rec; }
  int n_lif() const { return n_rec - n_alif; }
  void check() const;  // std::invalid_argument naming the size and its legal range
  bool operator==(const Sizes& o) const;
  bool operator!=(const Sizes& o) const { return !(*this == o); }
};

// The STATE word of a neuron: {z[52], r[51:48], a[47:24], v[23:0]} (raw V, A, REF values).
struct NeuronState {
  int64_t v = 0, a = 0, r = 0;
  bool z = false;
  static NeuronState unpack(uint64_t w) {
    NeuronState s;
    s.v = from_word(spec::V, w);
    s.a = from_word(spec::A, w >> spec::V.bits);
    s.r = from_word(spec::REF, w >> (spec::V.bits + spec::A.bits));
    s.z = (w >> (spec::V.bits + spec::A.bits + spec::REF.bits)) & 1u;
    return s;
  }
  uint64_t pack() const {
    return to_word(spec::V, v) | to_word(spec::A, a) << spec::V.bits |
           to_word(spec::REF, r) << (spec::V.bits + spec::A.bits) |
           uint64_t{z} << (spec::V.bits + spec::A.bits + spec::REF.bits);
  }
};
static_assert(spec::V.bits + spec::A.bits + spec::REF.bits + 1 ==
                  spec::kMems[static_cast<int>(spec::Mem::STATE)].bits,
              "STATE word = {z, r, a, v}");

// Per-population neuron registers (raw values of their spec formats).
struct PopulationRegs {
  int64_t alpha = 0, zeta = 0, thr = 0, inv_thr = 0, psi_scale = 0, n_ref = 0;
  int64_t rho = 0, beta = 0;  // ALIF only
};

// rho^K in format COEF as the host computes ALIF_RHO_BLK (adaptation blocks of K steps): K
// roundings r = rnd(r rho, COEF.frac) from r = 1.0.
inline int64_t block_decay(int64_t rho, int k) {
  int64_t r = int64_t{1} << spec::COEF.frac;
  for (int n = 0; n < k; ++n) r = rnd(r * rho, spec::COEF.frac);
  return r;
}

// The configuration registers (raw values; see spec/chip.toml [[registers]]). The defaults are
// the registers' reset values (the non-zero ones from spec.hpp; apb_regs_test checks them all).
// A learning rate: MANT 2^-SHIFT 2^(G.frac - W_MAG.frac) weight units per unit of gradient.
struct LearningRate {
  int64_t mant = 0, shift = spec::REG_LR_IN_SHIFT_RESET;
  bool operator==(const LearningRate& o) const { return mant == o.mant && shift == o.shift; }
};

struct Regs {
  bool learn = false, online = false, deepr = false, fb_symmetric = false,
       spike_ge = (spec::REG_CTRL_RESET & spec::CTRL_SPIKE_GE_MASK) != 0, irq_en = false, err_clamp = false,
       upd_sign = false,
       trc_hold = false,  // CTRL.TRC_HOLD: TRC updates eps_v only (windowed traces, docs/architecture.md)
       trc_fact = false,  // CTRL.TRC_FACT: factored traces, G += L_j psi_j eps_v_i (no EPSA, no EBAR)
       trc_acc = false,   // CTRL.TRC_ACC: NEU adds psi_j to the PSI word (an adaptation block's sum)
       trc_block = false; // CTRL.TRC_BLOCK: with TRC_HOLD, TRC runs an adaptation block (EPSA only)
  uint32_t ts_budget = 0;
  LearningRate lr_in, lr_rec, lr_out;  // per matrix: W_IN, W_REC, W_OUT
  int64_t err_lo = 0, err_hi = 0;      // readout bounds in the error (Y raw; CTRL.ERR_CLAMP)
  int64_t l1 = 0, noise = 0;
  int64_t k_in = 0, k_rec = 0;
  uint32_t seed_upd = spec::REG_SEED_UPD_RESET, seed_rwr = spec::REG_SEED_RWR_RESET;
  PopulationRegs lif, alif;
  int64_t kappa = 0, c_out = 0;
  int64_t alif_rho_blk = 0;  // ALIF_RHO_BLK: rho^K, eps_a's decay over an adaptation block

  uint32_t ctrl() const;  // the CTRL register's value (fields CTRL_*)
  // The learning rate of weight memory m (W_IN, W_REC or W_OUT).
  const LearningRate& rate(spec::Mem m) const { return m == spec::Mem::W_IN ? lr_in : m == spec::Mem::W_REC ? lr_rec : lr_out; }
  void set_ctrl(uint32_t v);
};

struct Status {
  bool done = false, overrun = false, k_error = false;
};

// The architectural state at a timestep boundary (for the scoreboard and tests): every memory
// word, the registers that change, and the status.
struct Snapshot {
  std::array<std::vector<uint64_t>, spec::NUM_MEMS> mems;
  std::vector<int> prev_spikes;
  std::array<uint32_t, 2> lfsr_upd0{};  // lane-0 update LFSR state and the rewiring LFSR state
  Status status;
  bool operator==(const Snapshot& o) const;
};

class Core {
 public:
  Core(const Sizes& sizes, const Regs& regs);

  const Sizes& sizes() const { return sizes_; }
  // Factored traces (CTRL.TRC_FACT, always in a core without per-synapse trace memories).
  bool factored() const { return regs_.trc_fact || !sizes_.synapse_traces; }
  Regs& regs() { return regs_; }
  const Regs& regs() const { return regs_; }
  Sram& mem(spec::Mem m) { return *mems_[static_cast<size_t>(m)]; }
  const Sram& mem(spec::Mem m) const { return *mems_[static_cast<size_t>(m)]; }
  void set_write_hook(WriteHook hook) { *hook_ = std::move(hook); }

  // Commands (CMD register). Seeds are loaded into the LFSRs by reseed() (also called by the
  // constructor and by a write to SEED_UPD / SEED_RWR).
  void start_sample();
  // One timestep: input events (AER addresses, in arrival order, each < NI), the targets of the
  // readouts (Y raw, NO values; read only when target_valid).
  void step(const std::vector<int>& input_events, const std::vector<int64_t>& target,
            bool target_valid);
  void end_sample(bool update);
  void reseed();
  void clear_counters();

  // APB (apb_regs.cpp): 32-bit register and memory-window access; *slverr set on an illegal
  // address. The model is never busy between calls: the RTL's memory access while busy
  // (PSLVERR in a timestep's input phase, else it waits for the command's end and then sees what
  // the model has after it; docs/architecture.md) is checked by the co-simulation's host.
  // TARGET / TARGET_VALID as last written over APB (the harness passes targets to step()).
  uint32_t apb_read(uint32_t addr, bool* slverr);
  void apb_write(uint32_t addr, uint32_t data, bool* slverr);

  // Observation.
  const PerfCounters& counters() const { return counters_; }
  uint64_t mem_reads(spec::Mem m) const { return mem(m).reads(); }
  uint64_t mem_writes(spec::Mem m) const { return mem(m).writes(); }
  const std::vector<int>& spikes() const { return prev_spikes_; }  // of the last timestep
  // Cycles of every phase in the last command (start_sample, step or end_sample).
  const std::array<int64_t, spec::NUM_PHASES>& last_cycles() const { return last_cycles_; }
  const Status& status() const { return status_; }
  Status& status() { return status_; }
  int64_t active_count(spec::Mem weight_mem) const;  // W_IN, W_REC or W_OUT
  Snapshot snapshot() const;
  // The whole state between two commands (memories with their access counts, registers,
  // counters, status, LFSRs, datapath registers) as bytes, and back (core_state.cpp): a core of
  // the same sizes restored from save_state() continues with the same bits (checkpoints,
  // docs/runs.md). restore_state throws std::invalid_argument, changing nothing, for the state
  // of other sizes or malformed bytes.
  std::string save_state() const;
  void restore_state(const std::string& bytes);
  bool is_alif(int j) const { return j >= sizes_.n_lif(); }
  const PopulationRegs& pop(int j) const { return is_alif(j) ? regs_.alif : regs_.lif; }
  // Number of allowed (potentially active) synapses of W_IN or W_REC (W_REC: no diagonal).
  int64_t allowed_count(spec::Mem weight_mem) const;
  static bool allowed(const Sizes& s, spec::Mem weight_mem, int64_t addr);

 private:
  // Units (one file each).
  void synapse_acc_input(const std::vector<int>& events);  // IN
  void synapse_acc_recurrent();                             // REC
  void neuron_unit();                                       // NEU
  void readout_unit();                                      // OUT
  void learn_signal(const std::vector<int64_t>& target);    // LRN
  void learn_readout_grad(bool valid);                      // OGR
  void trace_unit(bool valid, const std::vector<int>& pre_spikes);  // TRC
  void learn_update();                                      // UPD
  void rewire_pass();                                       // RWR
  void reset_phase();                                       // RST
  // DEEP R arithmetic of one active synapse in UPD (rewire_unit.cpp): the new word.
  WeightWord deepr_update(WeightWord w, int64_t delta_ext, uint32_t draw, bool* pruned) const;
  // Plain stochastic-rounded update (learn_unit.cpp).
  WeightWord plain_update(WeightWord w, int64_t delta_ext, uint32_t draw) const;

  // Calls f(x) with x the model's storage of RW register r (int64_t, uint32_t or bool; CTRL as
  // its uint32_t value); false when r is not an RW register. apb_regs.cpp.
  template <class F>
  bool rw_register(spec::Reg r, F&& f);

  void account(spec::Phase p, const spec::CycleVars& v);
  spec::CycleVars cycle_vars() const;

  Sizes sizes_;
  Regs regs_;
  std::unique_ptr<WriteHook> hook_ = std::make_unique<WriteHook>();  // stable address (Sram)
  std::array<std::unique_ptr<Sram>, spec::NUM_MEMS> mems_;
  PerfCounters counters_;
  Status status_;
  std::array<int64_t, spec::NUM_PHASES> last_cycles_{};
  std::vector<Lfsr> lfsr_upd_;  // one per lane
  Lfsr lfsr_rwr_;
  // Registers of the datapath (not memories).
  std::vector<int64_t> acc_;       // ACC, per neuron
  std::vector<int> in_count_;      // input events per input this timestep
  std::vector<int> prev_spikes_;   // spikes of the previous timestep (ascending)
  std::vector<int64_t> err_;       // ERR, per readout
  // Scratch of the units (kept to avoid allocations every timestep).
  std::vector<int> spikes_scratch_;
  std::vector<uint64_t> lane_words_a_, lane_words_b_;
  std::vector<int64_t> readout_sums_;
  int64_t active_in_ = 0, active_rec_ = 0;  // after the last UPD (for RWR)
  std::array<int64_t, spec::MAX_OUT> apb_target_{};  // TARGET registers (host view)
  bool apb_target_valid_ = false;
};

}  // namespace eligo::chip
