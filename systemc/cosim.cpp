#include "systemc/cosim.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <stdexcept>

#include "golden_model/chip/task_runner.hpp"
#include "systemc/stimulus.hpp"

namespace eligo::cosim {

using chip::spec::Mem;

namespace {

const char* mem_name(Mem m) { return chip::spec::kMems[static_cast<size_t>(m)].name; }

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

}  // namespace

Fault parse_fault(const std::string& t) {
  const auto c1 = t.find(':'), c2 = t.find(':', c1 == std::string::npos ? 0 : c1 + 1), at = t.find('@');
  if (c1 == std::string::npos || c2 == std::string::npos || at == std::string::npos || !(c1 < c2 && c2 < at)) {
    throw std::invalid_argument("--inject-fault " + t + ": expected MEMORY:ADDRESS:BIT@TIMESTEP");
  }
  Fault f;
  const std::string mem = t.substr(0, c1);
  bool found = false;
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    if (mem == chip::spec::kMems[static_cast<size_t>(m)].name) {
      f.mem = static_cast<Mem>(m);
      found = true;
    }
  }
  if (!found) throw std::invalid_argument("--inject-fault " + t + ": unknown memory " + mem);
  try {
    f.address = std::stoll(t.substr(c1 + 1, c2 - c1 - 1));
    f.bit = std::stoi(t.substr(c2 + 1, at - c2 - 1));
    f.timestep = std::stoll(t.substr(at + 1));
  } catch (const std::exception&) {
    throw std::invalid_argument("--inject-fault " + t + ": ADDRESS, BIT and TIMESTEP must be integers");
  }
  const int bits = chip::spec::kMems[static_cast<size_t>(f.mem)].bits;
  if (f.bit < 0 || f.bit >= bits || f.address < 0 || f.timestep < 0) {
    throw std::invalid_argument("--inject-fault " + t + ": BIT must be in 0 .. " + std::to_string(bits - 1) +
                                ", ADDRESS and TIMESTEP >= 0");
  }
  return f;
}

Cosim::Cosim(Engine& rtl, chip::Core& model) : rtl_(rtl), model_(model) {
  model_.set_write_hook([this](const chip::WriteEvent& e) { expected_.push_back(e); });
}

// The unit whose phase it is (docs/architecture.md, "Per-timestep schedule").
std::string unit_of_phase(const std::string& phase) {
  if (phase == "IN" || phase == "REC") return "synapse_acc";
  if (phase == "NEU") return "neuron_unit";
  if (phase == "OUT") return "readout_unit";
  if (phase == "LRN" || phase == "OGR" || phase == "UPD") return "learn_unit";
  if (phase == "TRC") return "trace_unit";
  if (phase == "RWR") return "rewire_unit";
  if (phase == "RST") return "eligo_core";
  return "";
}

bool Cosim::fail(Mismatch m) {
  if (!mismatch_) {
    if (m.unit.empty()) m.unit = unit_of_phase(m.phase);
    m.timestep = timestep_;
    if (m.cycle == 0) m.cycle = rtl_.cycles();
    mismatch_ = std::move(m);
  }
  return false;
}

// One RTL cycle: drive, settle, compare the writes of this cycle, count the phase, clock.
PinsOut Cosim::cycle(const PinsIn& in) {
  const PinsOut o = rtl_.eval(in);
  rtl_.writes(seen_);
  if (rec_inputs_) {
    if (rec_spikes_) collect_spikes(seen_, rec_inputs_->size(), *rec_spikes_);
    rec_inputs_->push_back(in);
  }
  for (const auto& w : seen_) {
    ++stats_.writes_compared;
    stats_.write_hash(w);
    const char* phase = chip::spec::kPhaseNames[static_cast<size_t>(o.phase) % chip::spec::NUM_PHASES];
    if (expected_.empty()) {
      fail({"write", -1, rtl_.cycles(), phase, mem_name(w.mem), w.addr, 0, w.data, "unexpected write", ""});
      break;
    }
    const auto& e = expected_.front();
    if (e.mem != w.mem || e.addr != w.addr || e.data != w.data) {
      fail({"write", -1, rtl_.cycles(), phase, mem_name(w.mem), w.addr, e.data, w.data,
            std::string("expected ") + mem_name(e.mem) + "[" + std::to_string(e.addr) + "] = " + hex(e.data) +
                ", got " + mem_name(w.mem) + "[" + std::to_string(w.addr) + "] = " + hex(w.data), ""});
      break;
    }
    expected_.pop_front();
  }
  if (o.phase_valid && o.phase >= 0 && o.phase < chip::spec::NUM_PHASES) {
    ++cmd_cycles_[static_cast<size_t>(o.phase)];
    ++stats_.phase_cycles[static_cast<size_t>(o.phase)];
  }
  rtl_.clock();
  return o;
}

void Cosim::apb_write(uint32_t addr, uint32_t data, bool* slverr) {
  PinsIn in;
  in.psel = true;
  in.pwrite = true;
  in.paddr = addr;
  in.pwdata = data;
  cycle(in);  // setup
  in.penable = true;
  for (int wait = 0;; ++wait) {
    const PinsOut o = cycle(in);
    if (o.pready) {
      if (slverr) *slverr = o.pslverr;
      else if (o.pslverr) fail({"apb", -1, 0, "", "", addr, 0, 0, "PSLVERR on write to " + hex(addr), ""});
      return;
    }
    if (wait > 16) throw std::runtime_error("cosim: APB write to " + hex(addr) + " never completed");
  }
}

uint32_t Cosim::apb_read(uint32_t addr, bool* slverr) {
  PinsIn in;
  in.psel = true;
  in.paddr = addr;
  cycle(in);
  in.penable = true;
  for (int wait = 0;; ++wait) {
    const PinsOut o = cycle(in);
    if (o.pready) {
      if (slverr) *slverr = o.pslverr;
      else if (o.pslverr) fail({"apb", -1, 0, "", "", addr, 0, 0, "PSLVERR on read of " + hex(addr), ""});
      return o.prdata;
    }
    if (wait > 16) throw std::runtime_error("cosim: APB read of " + hex(addr) + " never completed");
  }
}

bool Cosim::configure() {
  rtl_.reset();
  // Registers: every RW register (every word of an array the core has), with the model's value,
  // in address order; the model gets the same writes.
  for (const chip::spec::RegInfo& r : chip::spec::kRegs) {
    if (r.access != chip::spec::Access::RW) continue;
    for (uint32_t k = 0; k < static_cast<uint32_t>(r.count); ++k) {
      const uint32_t a = r.addr + 4 * k;
      bool err = false;
      const uint32_t v = model_.apb_read(a, &err);
      if (err) continue;  // an array word beyond the core's size
      model_.apb_write(a, v, &err);
      apb_write(a, v);
    }
  }
  // Weight and feedback memories, word by word over the memory window.
  for (Mem m : {Mem::W_IN, Mem::W_REC, Mem::W_OUT, Mem::B_FB}) {
    const uint32_t base = chip::spec::MEM_BASE * (1 + static_cast<uint32_t>(m));
    const auto& words = model_.mem(m).words();
    for (size_t w = 0; w < words.size(); ++w) {
      apb_write(base + 8 * static_cast<uint32_t>(w), static_cast<uint32_t>(words[w]));
      if (chip::spec::kMems[static_cast<size_t>(m)].bits > 32) {
        apb_write(base + 8 * static_cast<uint32_t>(w) + 4, static_cast<uint32_t>(words[w] >> 32));
      }
    }
  }
  // Clear the counters on both sides.
  apb_write(chip::spec::REG_CMD, chip::spec::CMD_CLEAR_COUNTERS_MASK);
  model_.clear_counters();
  return !mismatch_ && compare_state();
}

void Cosim::expect_model(const std::function<void()>& run_model) {
  expected_.clear();
  cmd_cycles_.fill(0);
  run_model();
}

bool Cosim::wait_idle() {
  for (int64_t n = 0;; ++n) {
    const PinsOut o = cycle(PinsIn{});
    if (mismatch_) return false;
    if (!o.busy) return true;
    if (n > 100000000) throw std::runtime_error("cosim: the RTL never went idle");
  }
}

// After a command or timestep: no write may be missing, and the phase cycles must match.
bool Cosim::finish_command() {
  if (mismatch_) return false;
  if (!expected_.empty()) {
    const auto& e = expected_.front();
    return fail({"missing write", -1, 0, "", mem_name(e.mem), e.addr, e.data, 0,
                 std::to_string(expected_.size()) + " expected writes did not happen", ""});
  }
  const auto& want = model_.last_cycles();
  for (int p = 0; p < chip::spec::NUM_PHASES; ++p) {
    if (want[static_cast<size_t>(p)] != cmd_cycles_[static_cast<size_t>(p)]) {
      return fail({"cycles", -1, 0, chip::spec::kPhaseNames[static_cast<size_t>(p)], "", -1,
                   static_cast<uint64_t>(want[static_cast<size_t>(p)]),
                   static_cast<uint64_t>(cmd_cycles_[static_cast<size_t>(p)]), "cycles of the phase differ", ""});
    }
  }
  return true;
}

bool Cosim::compare_state() {
  if (!state_checks_) return true;
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const Mem id = static_cast<Mem>(m);
    const MemoryBackdoor bd = rtl_.memory(id);
    const auto& words = model_.mem(id).words();
    const uint64_t mask = chip::mask(chip::spec::kMems[static_cast<size_t>(m)].bits);
    if (bd.depth != static_cast<int64_t>(words.size())) {
      return fail({"state", -1, 0, "boundary", mem_name(id), -1, words.size(), static_cast<uint64_t>(bd.depth),
                   "memory depth differs", ""});
    }
    stats_.words_compared += words.size();
    if (bd.equal_masked(words, mask)) continue;  // fast path; find the first differing word below
    for (size_t a = 0; a < words.size(); ++a) {
      const uint64_t got = bd.read(static_cast<int64_t>(a)) & mask;
      if (got != words[a]) {
        return fail({"state", -1, 0, "boundary", mem_name(id), static_cast<int64_t>(a), words[a], got,
                     "memory word differs at the timestep boundary", ""});
      }
    }
  }
  return true;
}

void Cosim::apply_faults() {
  for (const Fault& f : faults_) {
    if (f.timestep != timestep_) continue;
    const MemoryBackdoor bd = rtl_.memory(f.mem);
    if (f.address >= bd.depth) continue;
    bd.write(f.address, bd.read(f.address) ^ (uint64_t{1} << f.bit));
  }
}

void Cosim::set_learning(bool learn) {
  chip::Regs r = model_.regs();
  r.learn = learn;
  bool err = false;
  model_.apb_write(chip::spec::REG_CTRL, r.ctrl(), &err);
  apb_write(chip::spec::REG_CTRL, r.ctrl());
}

bool Cosim::run_sample(const tasks::Batch& batch, int b, int learning_window, bool update) {
  if (mismatch_) return false;
  const int T = batch.T, NO = model_.sizes().n_out;
  const int lw = learning_window <= 0 || learning_window > T ? T : learning_window;
  auto phase_cycles = [this] {
    int64_t n = 0;
    for (uint64_t c : stats_.phase_cycles) n += static_cast<int64_t>(c);
    return n;
  };
  const int64_t cycles_before = phase_cycles();
  last_sample_ = chip::SampleResult{};
  last_sample_.label = batch.labels.empty() ? -1 : batch.labels[static_cast<size_t>(b)];
  last_model_sample_ = last_sample_;
  std::vector<double> y_sum(static_cast<size_t>(NO), 0.0), y_sum_model = y_sum;
  // START_SAMPLE
  expect_model([&] { model_.start_sample(); });
  apb_write(chip::spec::REG_CMD, chip::spec::CMD_START_SAMPLE_MASK);
  if (!wait_idle() || !finish_command()) return false;
  std::vector<int64_t> target(static_cast<size_t>(NO));
  for (int t = 0; t < T; ++t) {
    ++timestep_;
    if (!trace_path_.empty() && !tracing_ && timestep_ >= trace_from_) {
      rtl_.trace_open(trace_path_);
      tracing_ = true;
    }
    apply_faults();
    const bool valid = t >= T - lw;
    const auto tg = batch.target_at(t);
    for (int k = 0; k < NO; ++k) target[static_cast<size_t>(k)] = chip::from_real(chip::spec::Y, tg(k, b));
    const std::vector<int> events = chip::input_events(batch, t, b);
    // Targets over APB when learning (the inference datapath does not read them).
    if (model_.regs().learn) {
      for (int k = 0; k < NO; ++k) {
        apb_write(chip::spec::REG_TARGET + 4 * static_cast<uint32_t>(k),
                  static_cast<uint32_t>(chip::to_word(chip::spec::Y, target[static_cast<size_t>(k)])));
      }
      apb_write(chip::spec::REG_TARGET_VALID, valid ? 1u : 0u);
    }
    expect_model([&] { model_.step(events, target, valid); });
    // AER: every event, then the end-of-timestep marker.
    for (size_t i = 0; i <= events.size(); ++i) {
      PinsIn in;
      in.aer_valid = true;
      in.aer_eot = i == events.size();
      in.aer_addr = in.aer_eot ? 0u : static_cast<uint32_t>(events[i]);
      for (int n = 0;; ++n) {
        const PinsOut o = cycle(in);
        if (mismatch_) return false;
        if (o.aer_ready) break;
        if (n > 1000000) throw std::runtime_error("cosim: AER event never accepted");
      }
    }
    if (!wait_idle() || !finish_command() || !compare_state()) return false;
    ++stats_.timesteps;
    if (valid) {  // the readouts of the RTL and of the model
      const MemoryBackdoor y = rtl_.memory(Mem::Y);
      for (int k = 0; k < NO; ++k) {
        const double yk = chip::to_real(chip::spec::Y, chip::from_word(chip::spec::Y, y.read(k)));
        last_sample_.loss += 0.5 * (yk - tg(k, b)) * (yk - tg(k, b));
        y_sum[static_cast<size_t>(k)] += yk;
        const double ym = chip::to_real(chip::spec::Y, chip::from_word(chip::spec::Y, model_.mem(Mem::Y).peek(k)));
        last_model_sample_.loss += 0.5 * (ym - tg(k, b)) * (ym - tg(k, b));
        y_sum_model[static_cast<size_t>(k)] += ym;
      }
    }
  }
  last_sample_.predicted = static_cast<int>(std::max_element(y_sum.begin(), y_sum.end()) - y_sum.begin());
  last_model_sample_.predicted =
      static_cast<int>(std::max_element(y_sum_model.begin(), y_sum_model.end()) - y_sum_model.begin());
  expect_model([&] { model_.end_sample(update); });
  apb_write(chip::spec::REG_CMD, chip::spec::CMD_END_SAMPLE_MASK | (update ? chip::spec::CMD_UPDATE_MASK : 0u));
  if (!wait_idle() || !finish_command()) return false;
  // The RTL's cycles of every phase of the sample (equal to the model's: finish_command checks).
  last_sample_.cycles = last_model_sample_.cycles = phase_cycles() - cycles_before;
  return compare_state();
}

bool Cosim::check_counters() {
  if (mismatch_) return false;
  for (int c = 0; c < chip::spec::NUM_COUNTERS + 2 * chip::spec::NUM_MEMS; ++c) {
    if (c == static_cast<int>(chip::spec::Counter::cycles_idle)) continue;
    const uint32_t a = chip::spec::CNT_BASE + 8u * static_cast<uint32_t>(c);
    bool err = false;
    const uint64_t want = static_cast<uint64_t>(model_.apb_read(a, &err)) |
                          static_cast<uint64_t>(model_.apb_read(a + 4, &err)) << 32;
    const uint64_t got = static_cast<uint64_t>(apb_read(a)) | static_cast<uint64_t>(apb_read(a + 4)) << 32;
    if (want != got) {
      std::string name = c < chip::spec::NUM_COUNTERS
                             ? chip::spec::kCounterNames[static_cast<size_t>(c)]
                             : std::string(mem_name(static_cast<Mem>((c - chip::spec::NUM_COUNTERS) / 2))) +
                                   ((c - chip::spec::NUM_COUNTERS) % 2 ? " writes" : " reads");
      return fail({"counter", -1, 0, "", "", -1, want, got, "counter " + name + " differs", ""});
    }
  }
  return true;
}

}  // namespace eligo::cosim
