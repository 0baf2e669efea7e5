#include "golden_model/chip/core.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace eligo::chip {

using spec::Counter;
using spec::Mem;
using spec::Phase;

namespace {

void require_range(const char* what, int v, int lo, int hi) {
  if (v < lo || v > hi) {
    throw std::invalid_argument(std::string("chip sizes: ") + what + " = " + std::to_string(v) +
                                " (allowed: " + std::to_string(lo) + " .. " + std::to_string(hi) + ")");
  }
}

}  // namespace

Sizes::Sizes(int ni, int nr, int no, int na, int l, bool st)
    : n_in(ni), n_rec(nr), n_out(no), n_alif(na), lanes(l), synapse_traces(st) {
  check();
}

bool Sizes::operator==(const Sizes& o) const {
  return n_in == o.n_in && n_rec == o.n_rec && n_out == o.n_out && n_alif == o.n_alif && lanes == o.lanes &&
         synapse_traces == o.synapse_traces;
}

void Sizes::check() const {
  require_range("n_in", n_in, 1, static_cast<int>(spec::MAX_IN));
  require_range("n_rec", n_rec, 1, static_cast<int>(spec::MAX_REC));
  require_range("n_out", n_out, 1, static_cast<int>(spec::MAX_OUT));
  require_range("n_alif", n_alif, 0, n_rec);
  require_range("lanes", lanes, 1, 32);
}

uint32_t Regs::ctrl() const {
  using namespace spec;
  return uint32_t{learn} << CTRL_LEARN_LSB | uint32_t{online} << CTRL_ONLINE_LSB | uint32_t{deepr} << CTRL_DEEPR_LSB |
         uint32_t{fb_symmetric} << CTRL_FB_SYMMETRIC_LSB | uint32_t{spike_ge} << CTRL_SPIKE_GE_LSB |
         uint32_t{irq_en} << CTRL_IRQ_EN_LSB | uint32_t{err_clamp} << CTRL_ERR_CLAMP_LSB |
         uint32_t{upd_sign} << CTRL_UPD_SIGN_LSB | uint32_t{trc_hold} << CTRL_TRC_HOLD_LSB |
         uint32_t{trc_fact} << CTRL_TRC_FACT_LSB | uint32_t{trc_acc} << CTRL_TRC_ACC_LSB |
         uint32_t{trc_block} << CTRL_TRC_BLOCK_LSB;
}

void Regs::set_ctrl(uint32_t v) {
  using namespace spec;
  learn = v & CTRL_LEARN_MASK;
  online = v & CTRL_ONLINE_MASK;
  deepr = v & CTRL_DEEPR_MASK;
  fb_symmetric = v & CTRL_FB_SYMMETRIC_MASK;
  spike_ge = v & CTRL_SPIKE_GE_MASK;
  irq_en = v & CTRL_IRQ_EN_MASK;
  err_clamp = v & CTRL_ERR_CLAMP_MASK;
  upd_sign = v & CTRL_UPD_SIGN_MASK;
  trc_hold = v & CTRL_TRC_HOLD_MASK;
  trc_fact = v & CTRL_TRC_FACT_MASK;
  trc_acc = v & CTRL_TRC_ACC_MASK;
  trc_block = v & CTRL_TRC_BLOCK_MASK;
}

bool Snapshot::operator==(const Snapshot& o) const {
  return mems == o.mems && prev_spikes == o.prev_spikes && lfsr_upd0 == o.lfsr_upd0 &&
         status.done == o.status.done && status.overrun == o.status.overrun &&
         status.k_error == o.status.k_error;
}

Core::Core(const Sizes& sizes, const Regs& regs) : sizes_(sizes), regs_(regs) {
  sizes_.check();
  if (!sizes_.synapse_traces) regs_.trc_fact = true;  // CTRL.TRC_FACT reads 1 in such a core
  for (int m = 0; m < spec::NUM_MEMS; ++m) {
    const auto id = static_cast<Mem>(m);
    mems_[static_cast<size_t>(m)] = std::make_unique<Sram>(
        id, sizes_.depth(id), hook_.get());
  }
  acc_.assign(static_cast<size_t>(sizes_.n_rec), 0);
  in_count_.assign(static_cast<size_t>(sizes_.n_in), 0);
  err_.assign(static_cast<size_t>(sizes_.n_out), 0);
  reseed();
}

void Core::reseed() {
  lfsr_upd_.clear();
  for (int l = 0; l < sizes_.lanes; ++l) lfsr_upd_.emplace_back(regs_.seed_upd ^ Lfsr::lane_salt(l));
  lfsr_rwr_ = Lfsr(regs_.seed_rwr);
}

void Core::clear_counters() {
  counters_.clear();
  for (auto& m : mems_) m->clear_counts();
}

spec::CycleVars Core::cycle_vars() const {
  spec::CycleVars v;
  v.NI = sizes_.n_in;
  v.NR = sizes_.n_rec;
  v.NO = sizes_.n_out;
  v.NA = sizes_.n_alif;
  v.NP = sizes_.n_pre();
  v.L = sizes_.lanes;
  v.LEARN = regs_.learn ? 1 : 0;
  v.TRACE = regs_.trc_hold ? 0 : 1;
  v.FACT = factored() ? 1 : 0;
  v.BLOCK = regs_.trc_hold && regs_.trc_block ? 1 : 0;
  return v;
}

void Core::account(Phase p, const spec::CycleVars& v) {
  const int64_t c = spec::phase_cycles(p, v);
  last_cycles_[static_cast<size_t>(p)] += c;
  counters_.add(cycles_counter(p), static_cast<uint64_t>(c));
}

bool Core::allowed(const Sizes& s, Mem weight_mem, int64_t addr) {
  if (weight_mem != Mem::W_REC) return true;
  return addr / s.n_rec != addr % s.n_rec;  // no autapses
}

int64_t Core::allowed_count(Mem weight_mem) const {
  const int64_t depth = mem(weight_mem).depth();
  return weight_mem == Mem::W_REC ? depth - sizes_.n_rec : depth;
}

int64_t Core::active_count(Mem weight_mem) const {
  int64_t n = 0;
  for (uint64_t w : mem(weight_mem).words()) n += WeightWord::unpack(w).active ? 1 : 0;
  return n;
}

Snapshot Core::snapshot() const {
  Snapshot s;
  for (int m = 0; m < spec::NUM_MEMS; ++m) s.mems[static_cast<size_t>(m)] = mems_[static_cast<size_t>(m)]->words();
  s.prev_spikes = prev_spikes_;
  s.lfsr_upd0 = {lfsr_upd_.front().state(), lfsr_rwr_.state()};
  s.status = status_;
  return s;
}

// RST: clear the neuron state and readouts; when learning also the traces (EPSA and EBAR only
// when they are used: not under CTRL.TRC_FACT). Cycle c of a memory's pass clears words
// c*L .. c*L+L-1.
void Core::reset_phase() {
  const int L = sizes_.lanes;
  auto clear_all = [](Sram& m) {
    for (int64_t a = 0; a < m.depth(); ++a) m.write(a, 0);
  };
  clear_all(mem(Mem::STATE));
  clear_all(mem(Mem::Y));
  if (regs_.learn) {
    clear_all(mem(Mem::ZBAR));
    clear_all(mem(Mem::EPSV));
  }
  if (regs_.learn && !factored()) {
    // Per source row i': the EPSA words of the ALIF neurons, then the EBAR words (memory order
    // within each cycle: EPSA before EBAR; lanes ascending).
    const int NR = sizes_.n_rec, NA = sizes_.n_alif, first_alif = sizes_.n_lif();
    for (int i = 0; i < sizes_.n_pre(); ++i) {
      for (int j0 = 0; j0 < NR; j0 += L) {
        const int j1 = std::min(NR, j0 + L);
        for (int j = std::max(j0, first_alif); j < j1; ++j)
          mem(Mem::EPSA).write(static_cast<int64_t>(i) * NA + (j - first_alif), 0);
        for (int j = j0; j < j1; ++j) mem(Mem::EBAR).write(static_cast<int64_t>(i) * NR + j, 0);
      }
    }
  }
  std::fill(acc_.begin(), acc_.end(), 0);
  prev_spikes_.clear();
}

void Core::start_sample() {
  last_cycles_.fill(0);
  reset_phase();
  account(Phase::RST, cycle_vars());
  status_.done = true;
}

void Core::step(const std::vector<int>& input_events, const std::vector<int64_t>& target,
                bool target_valid) {
  if (target_valid && static_cast<int>(target.size()) != sizes_.n_out) {
    throw std::invalid_argument("chip step: " + std::to_string(target.size()) + " targets for " +
                                std::to_string(sizes_.n_out) + " readouts");
  }
  last_cycles_.fill(0);
  spec::CycleVars v = cycle_vars();
  v.E_IN = static_cast<int64_t>(input_events.size());
  v.E_REC = static_cast<int64_t>(prev_spikes_.size());
  v.VALID = target_valid ? 1 : 0;

  synapse_acc_input(input_events);
  account(Phase::IN, v);
  synapse_acc_recurrent();
  account(Phase::REC, v);
  std::vector<int> spikes_before;  // the previous timestep's spikes, for the trace unit
  if (regs_.learn) spikes_before = prev_spikes_;
  neuron_unit();  // prev_spikes_ now holds this timestep's spikes
  account(Phase::NEU, v);
  v.E_SPK = static_cast<int64_t>(prev_spikes_.size());
  readout_unit();
  account(Phase::OUT, v);
  if (regs_.learn) {
    if (target_valid) learn_signal(target);
    account(Phase::LRN, v);
    learn_readout_grad(target_valid);
    account(Phase::OGR, v);
    trace_unit(target_valid, spikes_before);  // presynaptic: the previous timestep's spikes
    account(Phase::TRC, v);
    if (regs_.online) {
      learn_update();
      account(Phase::UPD, v);
    }
  }
  std::fill(in_count_.begin(), in_count_.end(), 0);

  int64_t total = 0;
  for (int64_t c : last_cycles_) total += c;
  if (regs_.ts_budget != 0 && total > static_cast<int64_t>(regs_.ts_budget)) {
    status_.overrun = true;
    counters_.add(Counter::overruns, 1);
  }
  counters_.add(Counter::timesteps, 1);
  status_.done = true;
}

void Core::end_sample(bool update) {
  last_cycles_.fill(0);
  if (update && regs_.learn) {
    if (!regs_.online) {
      learn_update();
      account(Phase::UPD, cycle_vars());
    }  // online mode: UPD already ran every timestep (and counted the active synapses)
    if (regs_.deepr) rewire_pass();  // accounts RWR itself (its cycles depend on the probes)
  }
  counters_.add(Counter::samples, 1);
  status_.done = true;
}

}  // namespace eligo::chip
