#include "systemc/scoreboard.hpp"

#include "golden_model/chip/bytes.hpp"

#include "systemc/host_bfm.hpp"

namespace eligo::cosim {

using chip::spec::Mem;

namespace {

const char* mem_name(Mem m) { return chip::spec::kMems[static_cast<size_t>(m)].name; }

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

}  // namespace

const char* to_string(MismatchKind k) {
  switch (k) {
    case MismatchKind::write: return "write";
    case MismatchKind::missing_write: return "missing write";
    case MismatchKind::state: return "state";
    case MismatchKind::cycles: return "cycles";
    case MismatchKind::counter: return "counter";
    case MismatchKind::apb: return "apb";
  }
  return "?";
}

std::string describe(const Mismatch& m) {
  return std::string(to_string(m.kind)) + " mismatch at timestep " + std::to_string(m.timestep) + ", phase " +
         m.phase + ", memory " + m.memory + "[" + std::to_string(m.address) + "]: " + m.detail;
}

Scoreboard::Scoreboard(Engine& rtl, chip::Core& model) : rtl_(rtl), model_(model) {
  model_.set_write_hook([this](const chip::WriteEvent& e) { expected_.push_back(e); });
}

bool Scoreboard::fail(Mismatch m) {
  if (!mismatch_) {
    if (m.unit.empty()) m.unit = unit_of_phase(m.phase);
    m.timestep = timestep_;
    if (m.cycle == 0) m.cycle = rtl_.cycles();
    mismatch_ = std::move(m);
  }
  return false;
}

// The writes of this cycle against the expected ones, and the cycle counted in its phase.
void Scoreboard::on_cycle(Engine& rtl, const PinsIn& in, const PinsOut& o, const std::vector<chip::WriteEvent>& writes) {
  // Idle cycles: the counter clears at the edge of a CLEAR_COUNTERS write taken while not busy.
  idle_now_ = idle_;
  if (in.psel && in.penable && in.pwrite && in.paddr == chip::spec::REG_CMD &&
      (in.pwdata & chip::spec::CMD_CLEAR_COUNTERS_MASK) && o.pready && !o.pslverr && !o.busy) {
    idle_ = 0;
  } else if (!o.phase_valid) {
    ++idle_;
  }
  for (const auto& w : writes) {
    ++stats_.writes_compared;
    stats_.write_hash(w);
    const char* phase = chip::spec::kPhaseNames[static_cast<size_t>(o.phase) % chip::spec::NUM_PHASES];
    if (expected_.empty()) {
      fail({MismatchKind::write, -1, rtl.cycles(), phase, mem_name(w.mem), w.addr, 0, w.data, "unexpected write", ""});
      break;
    }
    const auto& e = expected_.front();
    if (e.mem != w.mem || e.addr != w.addr || e.data != w.data) {
      fail({MismatchKind::write, -1, rtl.cycles(), phase, mem_name(w.mem), w.addr, e.data, w.data,
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
}

void Scoreboard::expect(const std::function<void()>& run_model) {
  expected_.clear();
  cmd_cycles_.fill(0);
  run_model();
}

// After a command or timestep: no write may be missing, and the phase cycles must match.
bool Scoreboard::finish_command() {
  if (mismatch_) return false;
  if (!expected_.empty()) {
    const auto& e = expected_.front();
    return fail({MismatchKind::missing_write, -1, 0, "", mem_name(e.mem), e.addr, e.data, 0,
                 std::to_string(expected_.size()) + " expected writes did not happen", ""});
  }
  const auto& want = model_.last_cycles();
  for (int p = 0; p < chip::spec::NUM_PHASES; ++p) {
    if (want[static_cast<size_t>(p)] != cmd_cycles_[static_cast<size_t>(p)]) {
      return fail({MismatchKind::cycles, -1, 0, chip::spec::kPhaseNames[static_cast<size_t>(p)], "", -1,
                   static_cast<uint64_t>(want[static_cast<size_t>(p)]),
                   static_cast<uint64_t>(cmd_cycles_[static_cast<size_t>(p)]), "cycles of the phase differ", ""});
    }
  }
  return true;
}

bool Scoreboard::compare_state() {
  if (!state_checks_) return true;
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const Mem id = static_cast<Mem>(m);
    const MemoryBackdoor bd = rtl_.memory(id);
    const auto& words = model_.mem(id).words();
    const uint64_t mask = chip::mask(chip::spec::kMems[static_cast<size_t>(m)].bits);
    if (bd.depth != static_cast<int64_t>(words.size())) {
      return fail({MismatchKind::state, -1, 0, "boundary", mem_name(id), -1, words.size(),
                   static_cast<uint64_t>(bd.depth), "memory depth differs", ""});
    }
    stats_.words_compared += words.size();
    if (bd.equal_masked(words, mask)) continue;  // fast path; find the first differing word below
    for (size_t a = 0; a < words.size(); ++a) {
      const uint64_t got = bd.read(static_cast<int64_t>(a)) & mask;
      if (got != words[a]) {
        return fail({MismatchKind::state, -1, 0, "boundary", mem_name(id), static_cast<int64_t>(a), words[a], got,
                     "memory word differs at the timestep boundary", ""});
      }
    }
  }
  return true;
}

bool Scoreboard::compare_counter(const std::string& name, uint64_t want, uint64_t got) {
  if (want == got) return true;
  return fail({MismatchKind::counter, -1, 0, "", "", -1, want, got, "counter " + name + " differs", ""});
}

std::string Scoreboard::save_state() const {
  if (!expected_.empty() || mismatch_) throw std::logic_error("scoreboard: a state is saved between commands, without a mismatch");
  chip::ByteWriter w;
  w.put(stats_.timesteps);
  w.put(stats_.writes_compared);
  w.put(stats_.words_compared);
  w.put(stats_.write_hash.h);
  w.put(stats_.write_hash.n);
  w.put(stats_.phase_cycles);
  w.put(timestep_);
  w.put(idle_);
  w.put(idle_now_);
  return w.bytes();
}

void Scoreboard::restore_state(const std::string& bytes) {
  chip::ByteReader r(bytes);
  CosimStats s;
  s.timesteps = r.get<int64_t>();
  s.writes_compared = r.get<uint64_t>();
  s.words_compared = r.get<uint64_t>();
  s.write_hash.h = r.get<uint64_t>();
  s.write_hash.n = r.get<uint64_t>();
  s.phase_cycles = r.get<decltype(s.phase_cycles)>();
  const int64_t timestep = r.get<int64_t>();
  const uint64_t idle = r.get<uint64_t>(), idle_now = r.get<uint64_t>();
  if (r.left() != 0) throw std::invalid_argument("scoreboard state: " + std::to_string(r.left()) + " bytes past its end");
  stats_ = s;
  timestep_ = timestep;
  idle_ = idle;
  idle_now_ = idle_now;
  expected_.clear();
  cmd_cycles_.fill(0);
}

}  // namespace eligo::cosim
