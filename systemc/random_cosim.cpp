#include "systemc/random_cosim.hpp"

#include <algorithm>
#include <iterator>

#include "golden_model/tasks/rng.hpp"
#include "systemc/cosim.hpp"
#include "systemc/rtl_models.hpp"

namespace eligo::cosim {

using chip::spec::Mem;
namespace spec = chip::spec;

namespace {

// Draws of one configuration or run.
struct Draw {
  tasks::Rng rng;
  explicit Draw(uint64_t seed) : rng(seed) {}
  bool p(double q) { return rng.bernoulli(q); }
  int64_t in(int64_t lo, int64_t hi) {  // uniform in [lo, hi]
    return lo + static_cast<int64_t>(rng.next_u64() % static_cast<uint64_t>(hi - lo + 1));
  }
  uint32_t u32() { return static_cast<uint32_t>(rng.next_u64()); }
  // A value at a format's limits (min, min + 1, 0, 1, max - 1, max).
  int64_t edge(const spec::Format& f) {
    const int64_t v[] = {f.min_raw(), f.min_raw() + 1, 0, 1, f.max_raw() - 1, f.max_raw()};
    return std::clamp(v[in(0, 5)], f.min_raw(), f.max_raw());
  }
  // A decay (COEF): mostly in [0.5, 1), sometimes 0 or the format's maximum (above 1).
  int64_t decay() { return p(0.1) ? edge(spec::COEF) : in(int64_t{1} << (spec::COEF.frac - 1), (int64_t{1} << spec::COEF.frac) - 1); }
};

void draw_population(Draw& d, chip::PopulationRegs& q) {
  q.alpha = d.decay();
  q.zeta = d.p(0.1) ? d.edge(spec::COEF) : d.in(0, int64_t{1} << spec::COEF.frac);
  q.thr = d.p(0.1) ? (d.p(0.5) ? 1 : spec::V.max_raw()) : d.in(int64_t{1} << (spec::V.frac - 2), 3 * (int64_t{1} << spec::V.frac));
  q.inv_thr = d.p(0.1) ? d.edge(spec::INV_THR) : d.in(int64_t{1} << (spec::INV_THR.frac - 2), 8 * (int64_t{1} << spec::INV_THR.frac));
  q.psi_scale = d.p(0.1) ? d.edge(spec::COEF) : d.in(0, int64_t{1} << spec::COEF.frac);
  q.n_ref = d.p(0.1) ? spec::REF.max_raw() : d.in(0, 3);
  q.rho = d.decay();
  q.beta = d.p(0.1) ? d.edge(spec::COEF) : d.in(0, int64_t{2} << spec::COEF.frac);
}

void draw_rate(Draw& d, chip::LearningRate& r) {
  r.mant = d.p(0.1) ? (d.p(0.5) ? 0 : spec::LR_MANT.max_raw()) : d.in(0, spec::LR_MANT.max_raw());
  r.shift = d.p(0.1) ? (d.p(0.5) ? spec::UPD.frac : spec::LR_SHIFT.max_raw()) : d.in(spec::UPD.frac, 24);
}

// K of a DEEP R matrix: at its limits (0, all allowed, one more: K_ERROR) or near the active count.
int64_t draw_k(Draw& d, int64_t active, int64_t allowed) {
  const double u = d.rng.uniform();
  if (u < 0.15) return allowed;
  if (u < 0.3) return allowed + 1;
  if (u < 0.35) return 0;
  return std::clamp<int64_t>(active + d.in(-3, 8), 0, allowed);
}

std::vector<int> draw_events(Draw& d, int n_in) {
  std::vector<int> ev;
  const double u = d.rng.uniform();
  if (u < 0.25) return ev;  // no input
  if (u < 0.75) {           // sparse
    const double rate = d.rng.uniform() * 0.3;
    for (int i = 0; i < n_in; ++i) {
      if (d.p(rate)) ev.push_back(i);
    }
  } else if (u < 0.96) {    // dense, repeats
    for (int i = 0; i < n_in; ++i) {
      for (int64_t r = d.in(0, 3); r > 0; --r) ev.push_back(i);
    }
  } else {                  // a burst: one input beyond its event count's saturation (IN_COUNT_MAX)
    const int i = static_cast<int>(d.in(0, n_in - 1));
    for (int64_t r = d.in(spec::IN_COUNT_MAX - 2, spec::IN_COUNT_MAX + 40); r > 0; --r) ev.push_back(i);
  }
  for (size_t k = ev.size(); k > 1; --k) std::swap(ev[k - 1], ev[static_cast<size_t>(d.in(0, static_cast<int64_t>(k) - 1))]);
  return ev;
}

// The address of a random word of memory m (a legal one unless `wild`), LO or HI half.
uint32_t mem_address(Draw& d, const chip::Core& c, int m, bool wild) {
  const int64_t depth = m < spec::NUM_MEMS ? c.mem(static_cast<Mem>(m)).depth() : 1;
  // A memory of depth 0 (EPSA without ALIF neurons): only beyond its depth (PSLVERR).
  const int64_t w = (wild || depth == 0) ? d.in(0, depth + 1) : d.in(0, depth - 1);
  // m == NUM_MEMS: an unmapped slot (GRAD's 1 MiB slot; GRAD has its own window since spec version 3).
  const uint32_t base = m < spec::NUM_MEMS ? spec::mem_window_base(static_cast<Mem>(m))
                                           : spec::MEM_BASE * (1u + static_cast<uint32_t>(Mem::GRAD));
  uint32_t a = base + 8u * static_cast<uint32_t>(w);
  if (d.p(0.5)) a += 4;
  if (wild && d.p(0.05)) a += static_cast<uint32_t>(d.in(1, 3));  // misaligned
  return a;
}

// Online DEEP R (END_SAMPLE with UPDATE, ONLINE and DEEP R: RWR right after the last
// timestep's UPD) in a third of the DEEP R configurations. Drawn after everything else, so the
// other draws of a seed stay as they were. Such a configuration's host never writes W_IN or
// W_REC (weights_frozen): RWR counts on the active counts of the last UPD.
void draw_online_deepr(Draw& d, chip::Regs& r) {
  if (r.deepr && d.p(1.0 / 3.0)) r.online = true;
}

// Whether the host leaves W_IN and W_REC alone in this configuration (see draw_online_deepr).
bool weights_frozen(const chip::Core& c) { return c.regs().deepr && c.regs().online; }

// The memory m a host write goes to: m, or W_OUT instead of W_IN / W_REC when the weights are
// frozen.
int writable_mem(const chip::Core& c, int m) {
  const bool dw = m == static_cast<int>(Mem::W_IN) || m == static_cast<int>(Mem::W_REC);
  return dw && weights_frozen(c) ? static_cast<int>(Mem::W_OUT) : m;
}

// Watches the pins: whether the last cycle was busy, and irq while busy after DONE was cleared.
class PinWatch : public CycleHook {
 public:
  void on_cycle(Engine&, const PinsIn&, const PinsOut& o, const std::vector<chip::WriteEvent>&) override {
    busy = o.busy;
    if (armed && o.busy && o.irq) irq_while_busy = true;
  }
  bool busy = false, armed = false, irq_while_busy = false;
};

// One random configuration in lock-step until `timesteps` timesteps have run.
class RandomConfig {
 public:
  RandomConfig(Engine& rtl, chip::Core& model, uint64_t seed, RandomCosimResult& res, const std::vector<CycleHook*>& hooks)
      : model_(model), c_(rtl, model), d_(seed ^ 0x5EEDull), x_(seed ^ 0xC0DEull), res_(res) {
    c_.add_hook(watch_);
    for (CycleHook* h : hooks) c_.add_hook(*h);
    c_.set_busy_host([this](Cosim::BusyPoint at, size_t) { busy_access(at); });
    c_.set_check_reset(true);
  }

  bool run(int64_t timesteps) {
    if (!c_.configure()) return false;
    sweep();
    int64_t t = 0;
    while (t < timesteps && c_.ok()) {
      if (d_.p(0.1)) c_.set_learning(!model_.regs().learn);
      traffic();
      command([&] { c_.start_sample(); });
      const int64_t len = d_.p(0.1) ? d_.in(60, 150) : d_.in(3, 40);
      for (int64_t k = 0; k < len && c_.ok(); ++k, ++t) {
        traffic();
        std::vector<int64_t> target(static_cast<size_t>(model_.sizes().n_out));
        for (auto& y : target) y = d_.p(0.7) ? d_.edge(spec::Y) : d_.in(-(int64_t{2} << spec::Y.frac), int64_t{2} << spec::Y.frac);
        const bool valid = d_.p(0.7);
        std::vector<int> events = draw_events(d_, model_.sizes().n_in);
        flood(events);
        const uint64_t overruns = model_.counters()[spec::Counter::overruns];
        // TS_BUDGET at this timestep's length (run first on a copy of the model), one below or
        // one above: the overrun's boundary.
        if (d_.p(0.3)) {
          chip::Core probe(model_.sizes(), model_.regs());
          probe.restore_state(model_.save_state());
          probe.step(events, target, valid);
          int64_t len = 0;
          for (const int64_t c : probe.last_cycles()) len += c;
          check(c_.check_write(spec::REG_TS_BUDGET, static_cast<uint32_t>(std::max<int64_t>(1, len + d_.in(-1, 1)))));
        }
        command([&] { c_.step(events, target, valid); });
        if (c_.ok()) ++res_.timesteps;
        res_.overruns += static_cast<int64_t>(model_.counters()[spec::Counter::overruns] - overruns);
      }
      const bool update = d_.p(model_.regs().learn ? 0.7 : 0.2);
      const bool k_error = model_.status().k_error;
      command([&] { c_.end_sample(update); });
      if (!k_error && model_.status().k_error) ++res_.k_errors;
      ++res_.samples;
    }
    traffic();
    return c_.check_counters() && c_.ok();
  }

  const Cosim& cosim() const { return c_; }

 private:
  // A command or timestep; before it DONE is sometimes cleared (then irq must stay low while
  // busy), after it STATUS, busy and irq are checked.
  template <class F>
  void command(F&& run) {
    if (!c_.ok()) return;
    const bool clear = d_.p(0.4);
    if (clear) check(c_.check_write(spec::REG_STATUS, spec::STATUS_DONE_MASK));
    watch_.armed = clear && model_.regs().irq_en;
    watch_.irq_while_busy = false;
    run();
    watch_.armed = false;
    if (!c_.ok()) return;
    if (watch_.irq_while_busy) {
      c_.scoreboard().fail({MismatchKind::apb, -1, 0, "", "", spec::REG_STATUS, 0, 1,
                            "irq high while busy after DONE was cleared (DONE set before the end)", ""});
      return;
    }
    check(c_.check_status());
    ++res_.status_checks;
    if (d_.p(0.2)) check(c_.check_write(spec::REG_STATUS, d_.u32() & 0xFu));  // W1C of random bits
  }

  void check(bool) { ++res_.apb_checked; }

  // After configure: every bit of every RW register word and of one word of every memory (LO and
  // HI half) is written with ones and read back, then the configuration's value is restored, so a
  // field or memory narrower or wider than the map shows in the read data.
  // The words of memories other than W_IN and W_REC keep their last random value (state, traces
  // and accumulators anywhere in their range).
  void sweep() {
    for_each_rw_word([&](uint32_t a, uint32_t v) {
      for (const uint32_t x : {0xFFFFFFFFu, d_.u32(), v}) {
        check(c_.check_write(a, x));
        check(c_.check_read(a));
      }
      check(c_.check_read(a + static_cast<uint32_t>(d_.in(1, 3))));  // misaligned: PSLVERR
    });
    for (int m = 0; m < spec::NUM_MEMS; ++m) {
      if (model_.mem(static_cast<Mem>(m)).depth() == 0) continue;
      const uint32_t a = mem_address(d_, model_, m, false) & ~4u;
      bool err = false;
      const uint32_t lo = model_.apb_read(a, &err), hi = model_.apb_read(a + 4, &err);
      for (const uint32_t x : {0xFFFFFFFFu, d_.u32()}) {
        for (const uint32_t h : {0u, 4u}) {
          check(c_.check_write(a + h, x));
          check(c_.check_read(a + h));
        }
      }
      if (m != static_cast<int>(Mem::W_IN) && m != static_cast<int>(Mem::W_REC)) continue;  // keep the random word
      check(c_.check_write(a, lo));  // DEEP R's active counts: the weights as drawn
      check(c_.check_write(a + 4, hi));
      check(c_.check_read(a));
      check(c_.check_read(a + 4));
    }
  }

  // Random APB traffic between timesteps (the core idle).
  void traffic() {
    while (c_.ok() && d_.p(0.35)) {
      const double u = d_.rng.uniform();
      if (u < 0.25) {  // a register of the map (array words beyond the core's too) or any low address
        uint32_t a;
        if (d_.p(0.8)) {
          const auto& r = spec::kRegs[static_cast<size_t>(d_.in(0, static_cast<int64_t>(spec::kRegs.size()) - 1))];
          a = r.addr + 4u * static_cast<uint32_t>(d_.in(0, r.count - 1));
          if (d_.p(0.1)) a += static_cast<uint32_t>(d_.in(1, 3));  // misaligned: PSLVERR
        } else {
          a = static_cast<uint32_t>(d_.in(0, spec::CNT_BASE - 1));
        }
        check(c_.check_read(a));
      } else if (u < 0.4) {  // a register write: the scratch-like ones, read-only ones, STATUS
        static const uint32_t regs[] = {spec::REG_TARGET,   spec::REG_TARGET_VALID, spec::REG_TS_BUDGET, spec::REG_SEED_UPD,
                                        spec::REG_SEED_RWR, spec::REG_ERR_LO,       spec::REG_ERR_HI,    spec::REG_L1,
                                        spec::REG_NOISE,    spec::REG_ID,           spec::REG_VERSION,   spec::REG_SIZES,
                                        spec::REG_N_ALIF,   spec::REG_STATUS,       spec::REG_LR_OUT_MANT};
        uint32_t a = regs[static_cast<size_t>(d_.in(0, static_cast<int64_t>(std::size(regs)) - 1))];
        if (a == spec::REG_TARGET) a += 4u * static_cast<uint32_t>(d_.in(0, spec::MAX_OUT - 1));
        uint32_t v = d_.u32();
        if (a == spec::REG_TS_BUDGET && d_.p(0.7)) v = static_cast<uint32_t>(d_.in(0, 400));
        check(c_.check_write(a, v));
        check(c_.check_read(a));
      } else if (u < 0.55) {  // a counter (LO or HI), or one past the window's end
        const int64_t n = spec::NUM_COUNTERS + 2 * spec::NUM_MEMS;
        check(c_.check_read(spec::CNT_BASE + 8u * static_cast<uint32_t>(d_.in(0, n)) + (d_.p(0.5) ? 4u : 0u)));
      } else if (u < 0.85) {  // a memory word (beyond the depth, misaligned, a 14th memory)
        check(c_.check_read(mem_address(d_, model_, static_cast<int>(d_.in(0, spec::NUM_MEMS)), true)));
      } else if (u < 0.93) {  // a memory write, read back
        const uint32_t a = mem_address(d_, model_, writable_mem(model_, static_cast<int>(d_.in(0, spec::NUM_MEMS))), true);
        check(c_.check_write(a, d_.u32()));
        check(c_.check_read(a));
      } else if (u < 0.97) {  // anywhere in the 24-bit address space, or a register's address plus 4 KiB multiples
        uint32_t a = d_.u32() & 0xFFFFFFu;
        if (d_.p(0.5)) {
          a = spec::kRegs[static_cast<size_t>(d_.in(0, static_cast<int64_t>(spec::kRegs.size()) - 1))].addr +
              0x1000u * static_cast<uint32_t>(d_.in(1, (spec::MEM_BASE >> 12) - 1));
        }
        if (d_.p(0.5)) check(c_.check_read(a));
        else check(c_.check_write(a, d_.u32()));
      } else {  // CLEAR_COUNTERS (the host's idle count restarts with the RTL's)
        check(c_.check_write(spec::REG_CMD, spec::CMD_CLEAR_COUNTERS_MASK));
      }
    }
    if (c_.ok() && x_.p(0.03)) scramble_registers();
  }

  // Sometimes (x_) every input beyond its event count's saturation (IN_COUNT_MAX + 1 events
  // each): enough at the sizes up to 40-100 for same-sign weights to saturate the synaptic
  // accumulators (their low ACC_FRAC - W_MAG_FRAC bits are 0 otherwise). Left out above 40-100:
  // a flood costs NI (IN_COUNT_MAX + 1) row passes.
  void flood(std::vector<int>& events) {
    const chip::Sizes& s = model_.sizes();
    if (s.n_in * s.n_rec > 40 * 100 || !x_.p(0.004)) return;
    events.clear();
    for (int r = 0; r <= static_cast<int>(spec::IN_COUNT_MAX); ++r) {
      for (int i = 0; i < s.n_in; ++i) events.push_back(i);
    }
  }

  // Every word of every RW register: a random value written and read back, then the value it
  // held written again (both sides), so that every bit of every field toggles while the core
  // is idle and the configuration goes on unchanged.
  void scramble_registers() {
    for_each_rw_word([&](uint32_t a, uint32_t held) {
      if (!c_.ok()) return;
      check(c_.check_write(a, x_.u32()));
      check(c_.check_read(a));
      check(c_.check_write(a, held));
    });
  }

  // fn(address, value the model holds) for every word of every RW register the core has (an
  // array word beyond its size, such as a TARGET beyond the readouts, answers PSLVERR: skipped).
  template <class Fn>
  void for_each_rw_word(Fn fn) {
    for_each_rw_register_word([&](uint32_t a) {
      bool err = false;
      const uint32_t held = model_.apb_read(a, &err);
      if (!err) fn(a, held);
    });
  }

  // Accesses while the core is busy. In the input phase (after the first beat) a memory access
  // answers PSLVERR at once and changes nothing; registers answer (STATUS.BUSY set). After a
  // command's CMD write or the end-of-timestep beat, a memory access waits until the core is idle
  // and then sees (or changes) the memory as the model has it after the command.
  void busy_access(Cosim::BusyPoint at) {
    if (at == Cosim::BusyPoint::input) {
      if (!d_.p(0.04)) return;
      HostBfm& bfm = c_.bfm();
      const int m = static_cast<int>(d_.in(0, spec::NUM_MEMS - 1));
      const uint32_t a = mem_address(d_, model_, m, false);
      bool err = false;
      if (d_.p(0.5)) bfm.apb_read(a, &err);
      else bfm.apb_write(a, d_.u32(), &err);  // the state check at the timestep's end: nothing changed
      ++res_.busy_input;
      ++res_.apb_checked;
      if (!err) {
        c_.scoreboard().fail({MismatchKind::apb, -1, 0, "IN", "", a, 1, 0, "memory access in the input phase: no PSLVERR", ""});
        return;
      }
      const uint32_t st = bfm.apb_read(spec::REG_STATUS, &err);
      ++res_.apb_checked;
      if (err || !(st & spec::STATUS_BUSY_MASK)) {
        c_.scoreboard().fail({MismatchKind::apb, -1, 0, "IN", "", spec::REG_STATUS, 1, 0, "STATUS.BUSY low in the input phase", ""});
      }
      return;
    }
    if (!d_.p(0.25)) return;
    const bool waited = watch_.busy;
    c_.bfm().set_max_wait(int64_t{1} << 40);  // the rest of the command (RST, UPD, RWR: thousands of cycles)
    const uint32_t a = mem_address(d_, model_, writable_mem(model_, static_cast<int>(d_.in(0, spec::NUM_MEMS - 1))), false);
    if (d_.p(0.5)) check(c_.check_read(a));
    else check(c_.check_write(a, d_.u32()));
    c_.bfm().set_max_wait(16);
    if (waited) ++res_.busy_waited;
  }

  chip::Core& model_;
  Cosim c_;
  Draw d_;
  Draw x_;  // the coverage stimuli's draws (scramble_registers), apart from d_'s sequence
  RandomCosimResult& res_;
  PinWatch watch_;
};

}  // namespace

chip::Core random_core(const chip::Sizes& s, uint64_t seed) {
  Draw d(seed);
  chip::Regs r;
  r.learn = d.p(0.75);
  r.deepr = d.p(0.6);
  // DEEP R in batch mode only: with ONLINE, END_SAMPLE's RWR uses the active count of the last
  // timestep's UPD, and a host write to W_IN / W_REC since (this driver's random memory writes)
  // can leave fewer dormant words than K - A: the linear scan never ends, in the model and the RTL.
  // (Online DEEP R is drawn last, draw_online_deepr: the host then leaves W_IN and W_REC alone.)
  r.online = !r.deepr && d.p(0.5);
  r.fb_symmetric = d.p(0.5);
  r.spike_ge = d.p(0.5);
  r.irq_en = d.p(0.5);
  r.err_clamp = d.p(0.35);
  r.upd_sign = d.p(0.3);
  r.trc_hold = d.p(0.25);
  r.trc_fact = d.p(0.3);
  r.ts_budget = d.p(0.3) ? static_cast<uint32_t>(d.in(1, 300)) : 0u;
  draw_rate(d, r.lr_in);
  draw_rate(d, r.lr_rec);
  draw_rate(d, r.lr_out);
  r.err_lo = d.p(0.2) ? spec::Y.min_raw() : d.in(-(int64_t{4} << spec::Y.frac), 0);
  r.err_hi = d.p(0.2) ? spec::Y.max_raw() : d.in(0, int64_t{4} << spec::Y.frac);
  r.l1 = d.p(0.1) ? spec::UPD.max_raw() : d.in(0, 512);
  r.noise = d.p(0.1) ? spec::UPD.max_raw() : d.in(0, 512);
  r.seed_upd = d.u32();
  r.seed_rwr = d.u32();
  draw_population(d, r.lif);
  draw_population(d, r.alif);
  // kappa or c at the top of COEF (up to 16) drive ZBAR to its saturation within a sample.
  r.kappa = d.p(0.1) ? spec::COEF.max_raw() : d.decay();
  r.c_out = d.p(0.25) ? d.edge(spec::COEF) : d.in(0, int64_t{1} << spec::COEF.frac);

  chip::Core c(s, r);
  // Weights: connectivity from 0.3 to 1 (DEEP R's scan and probe limits need it near 1),
  // magnitudes up to a drawn scale, some at W_MAG's maximum (saturation in IN, REC, UPD).
  const double conns[] = {1.0, 0.97, 0.3, d.rng.uniform()};
  const double conn = conns[d.in(0, 3)];
  for (Mem m : {Mem::W_IN, Mem::W_REC, Mem::W_OUT}) {
    chip::Sram& mem = c.mem(m);
    const int64_t scale = d.p(0.3) ? spec::W_MAG.max_raw() : d.in(64, 2048);
    for (int64_t a = 0; a < mem.depth(); ++a) {
      chip::WeightWord w;
      w.negative = d.p(0.5);
      w.active = chip::Core::allowed(s, m, a) && (m == Mem::W_OUT ? d.p(0.95) : d.p(conn));
      if (w.active) w.mag = d.p(0.08) ? spec::W_MAG.max_raw() - d.in(0, 3) : d.in(0, scale);
      mem.poke(a, w.pack());
    }
  }
  chip::Sram& b = c.mem(Mem::B_FB);
  for (int64_t a = 0; a < b.depth(); ++a) {
    b.poke(a, chip::to_word(spec::B, d.p(0.15) ? d.edge(spec::B) : d.in(-(int64_t{1} << spec::B.frac), int64_t{1} << spec::B.frac)));
  }
  c.regs().k_in = draw_k(d, c.active_count(Mem::W_IN), c.allowed_count(Mem::W_IN));
  c.regs().k_rec = draw_k(d, c.active_count(Mem::W_REC), c.allowed_count(Mem::W_REC));
  draw_online_deepr(d, c.regs());
  // Adaptation blocks (drawn last: the draws above are those of the driver before them).
  c.regs().trc_acc = d.p(0.3);
  c.regs().trc_block = d.p(0.4);
  c.regs().alif_rho_blk = d.p(0.5) ? d.decay() : chip::block_decay(c.regs().alif.rho, static_cast<int>(d.in(1, 64)));
  return c;
}

RandomCosimResult run_random_cosim(const chip::Sizes& s, const RandomCosimOptions& o) {
  RandomCosimResult res;
  tasks::Rng seeds(o.seed);  // the configurations' seeds
  for (uint64_t i = 0; res.timesteps < o.timesteps; ++i) {
    const uint64_t seed = seeds.next_u64();
    chip::Core model = random_core(s, seed);
    // A fresh engine (power-up) per configuration: memories the host does not load (STATE, the
    // traces) start as the model's, and a configuration replays alone from its seed.
    auto rtl = make_cc_engine(s);
    RandomConfig cfg(*rtl, model, seed, res, o.hooks);
    const bool ok = cfg.run(std::min(o.config_timesteps, o.timesteps - res.timesteps));
    ++res.configs;
    const CosimStats& st = cfg.cosim().stats();
    res.writes_compared += st.writes_compared;
    res.write_hash.add(st.write_hash.h);
    res.write_hash.n += st.write_hash.n;
    res.rtl_cycles += rtl->cycles();
    if (o.on_configuration) o.on_configuration(res);
    if (!ok) {
      res.ok = false;
      res.failure = "random cosim seed " + std::to_string(o.seed) + ", " + describe(s) + ", configuration " +
                    std::to_string(i) + " (seed " + std::to_string(seed) + "): " + cfg.cosim().failure();
      break;
    }
  }
  return res;
}

}  // namespace eligo::cosim
