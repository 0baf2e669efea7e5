#include "systemc/cosim.hpp"

#include <stdexcept>
#include <string>

#include "golden_model/chip/bytes.hpp"

namespace eligo::cosim {

using chip::spec::Mem;

Cosim::Cosim(Engine& rtl, chip::Core& model) : rtl_(rtl), model_(model), bfm_(rtl), scoreboard_(rtl, model) {
  bfm_.add_hook(scoreboard_);
  bfm_.on_bus_error([this](uint32_t addr, bool write) {
    scoreboard_.fail({MismatchKind::apb, -1, 0, "", "", addr, 0, 0,
                      std::string("PSLVERR on ") + (write ? "write to " : "read of ") + hex(addr), ""});
  });
}

std::string Cosim::failure() const {
  return first_mismatch() ? "cosim: " + describe(*first_mismatch()) : "";
}

namespace {
constexpr const char* kStateMagic = "eligo cosim state 1";
}

std::string Cosim::save_state() const {
  if (!ok()) throw std::logic_error("Cosim::save_state after a mismatch");
  chip::ByteWriter w;
  w.put_bytes(kStateMagic);
  w.put(timestep_);
  w.put_bytes(model_.save_state());
  w.put_bytes(rtl_.save_state());
  w.put_bytes(scoreboard_.save_state());
  return w.bytes();
}

void Cosim::restore_state(const std::string& state) {
  chip::ByteReader r(state);
  std::string magic;
  try {
    magic = r.get_bytes();
  } catch (const std::invalid_argument&) {
  }
  if (magic != kStateMagic) {
    throw std::invalid_argument("not a co-simulation's state (a checkpoint of eligo chip? resume it with eligo chip)");
  }
  const int64_t timestep = r.get<int64_t>();
  const std::string model = r.get_bytes(), rtl = r.get_bytes(), board = r.get_bytes();
  if (r.left() != 0) throw std::invalid_argument("cosim state: " + std::to_string(r.left()) + " bytes past its end");
  // Each part checks its identity (the model its sizes, the engine its name and sizes) before it
  // changes anything; after a throw from the second or third the port is not used again (the
  // command stops).
  model_.restore_state(model);
  rtl_.restore_state(rtl);
  scoreboard_.restore_state(board);
  timestep_ = timestep;
}

bool Cosim::configure() {
  rtl_.reset();
  if (check_reset_) {
    chip::Core at_reset(model_.sizes(), chip::Regs{});
    for_each_rw_register_word([&](uint32_t a) {
      if (!ok()) return;  // the first difference stops the check
      bool want_err = false, got_err = false;
      const uint32_t want = at_reset.apb_read(a, &want_err), got = bfm_.apb_read(a, &got_err);
      if (want_err != got_err) apb_mismatch(a, false, want_err, got_err, "PSLVERR after reset");
      else if (want != got) apb_mismatch(a, false, want, got, "value after reset");
    });
    if (!ok()) return false;
  }
  // Registers: every RW register (every word of an array the core has), with the model's value,
  // in address order; the model gets the same writes.
  for_each_rw_register_word([&](uint32_t a) {
    bool err = false;
    const uint32_t v = model_.apb_read(a, &err);
    if (err) return;  // an array word beyond the core's size
    model_.apb_write(a, v, &err);
    bfm_.apb_write(a, v);
  });
  // Weight and feedback memories, word by word over the memory window, and the gradient
  // accumulators: GRAD has no reset (an SRAM powers up anywhere; Verilator's zeros hid it, Icarus's
  // X showed it) and UPD clears it only after an update, so the host loads it (the model's zeros).
  for (Mem m : {Mem::W_IN, Mem::W_REC, Mem::W_OUT, Mem::B_FB, Mem::GRAD}) {
    const uint32_t base = chip::spec::mem_window_base(m);
    const auto& words = model_.mem(m).words();
    for (size_t w = 0; w < words.size(); ++w) {
      bfm_.apb_write(base + 8 * static_cast<uint32_t>(w), static_cast<uint32_t>(words[w]));
      if (chip::spec::kMems[static_cast<size_t>(m)].bits > 32) {
        bfm_.apb_write(base + 8 * static_cast<uint32_t>(w) + 4, static_cast<uint32_t>(words[w] >> 32));
      }
    }
  }
  // Clear the counters on both sides.
  bfm_.apb_write(chip::spec::REG_CMD, chip::spec::CMD_CLEAR_COUNTERS_MASK);
  model_.clear_counters();
  return ok() && scoreboard_.compare_state();
}

void Cosim::set_learning(bool learn) {
  chip::Regs r = model_.regs();
  r.learn = learn;
  write_reg(chip::spec::REG_CTRL, r.ctrl());
}

void Cosim::write_reg(uint32_t addr, uint32_t data) {
  bool err = false;
  model_.apb_write(addr, data, &err);
  if (err) throw std::logic_error("Cosim::write_reg: no register at address " + std::to_string(addr));
  bfm_.apb_write(addr, data);
}

int64_t Cosim::cycles() const {
  int64_t n = 0;
  for (uint64_t c : stats().phase_cycles) n += static_cast<int64_t>(c);
  return n;
}

void Cosim::readouts(std::vector<double>& y) const {
  const MemoryBackdoor mem = rtl_.memory(Mem::Y);
  y.resize(static_cast<size_t>(model_.sizes().n_out));
  for (size_t k = 0; k < y.size(); ++k) {
    y[k] = chip::to_real(chip::spec::Y, chip::from_word(chip::spec::Y, mem.read(static_cast<int64_t>(k))));
  }
}

// A command: the CMD write, the host's accesses while busy, then idle.
bool Cosim::command(uint32_t cmd) {
  bfm_.apb_write(chip::spec::REG_CMD, cmd);
  if (busy_host_ && !bfm_.stopped()) busy_host_(BusyPoint::command, 0);
  return !bfm_.stopped() && bfm_.wait_idle();
}

// START_SAMPLE
void Cosim::start_sample() {
  if (!ok()) return;
  scoreboard_.expect([&] { model_.start_sample(); });
  if (command(chip::spec::CMD_START_SAMPLE_MASK)) scoreboard_.finish_command();
}

void Cosim::step(const std::vector<int>& events, const std::vector<int64_t>& target, bool valid) {
  if (!ok()) return;
  bfm_.begin_timestep(++timestep_);
  const int NO = model_.sizes().n_out;
  // Targets over APB when learning (the inference datapath does not read them); the model's
  // TARGET registers too (its step takes them as arguments), so that they read back alike.
  if (model_.regs().learn) {
    bool err = false;
    for (int k = 0; k < NO; ++k) {
      const uint32_t a = chip::spec::REG_TARGET + 4 * static_cast<uint32_t>(k);
      const auto v = static_cast<uint32_t>(chip::to_word(chip::spec::Y, target[static_cast<size_t>(k)]));
      model_.apb_write(a, v, &err);
      bfm_.apb_write(a, v);
    }
    model_.apb_write(chip::spec::REG_TARGET_VALID, valid ? 1u : 0u, &err);
    bfm_.apb_write(chip::spec::REG_TARGET_VALID, valid ? 1u : 0u);
  }
  scoreboard_.expect([&] { model_.step(events, target, valid); });
  // AER: every event, then the end-of-timestep marker.
  std::function<void(size_t)> between;
  if (busy_host_) between = [this](size_t beat) { busy_host_(BusyPoint::input, beat); };
  if (!bfm_.aer_timestep(events, between)) return;
  if (busy_host_ && !bfm_.stopped()) busy_host_(BusyPoint::command, 0);
  if (bfm_.stopped() || !bfm_.wait_idle() || !scoreboard_.finish_command() || !scoreboard_.compare_state()) return;
  scoreboard_.timestep_done();
}

void Cosim::end_sample(bool update) {
  if (!ok()) return;
  scoreboard_.expect([&] { model_.end_sample(update); });
  if (command(chip::spec::CMD_END_SAMPLE_MASK | (update ? chip::spec::CMD_UPDATE_MASK : 0u)) &&
      scoreboard_.finish_command()) {
    scoreboard_.compare_state();
  }
}

bool Cosim::apb_mismatch(uint32_t addr, bool write, uint64_t want, uint64_t got, const std::string& what) {
  return scoreboard_.fail({MismatchKind::apb, -1, 0, "", "", addr, want, got,
                           std::string(write ? "write to " : "read of ") + hex(addr) + ": " + what + " expected " +
                               hex(want) + ", got " + hex(got), ""});
}

bool Cosim::check_read(uint32_t addr) {
  if (!ok()) return false;
  bool want_err = false, got_err = false;
  uint32_t want = model_.apb_read(addr, &want_err);
  const uint32_t got = bfm_.apb_read(addr, &got_err);
  const uint32_t idle_lo = chip::spec::CNT_BASE + 8u * static_cast<uint32_t>(chip::spec::Counter::cycles_idle);
  if (addr == idle_lo || addr == idle_lo + 4) {
    const uint64_t n = scoreboard_.idle_cycles();  // in the read's access cycle
    want = static_cast<uint32_t>(addr == idle_lo ? n : n >> 32);
  }
  if (want_err != got_err) return apb_mismatch(addr, false, want_err, got_err, "PSLVERR");
  if (want != got) return apb_mismatch(addr, false, want, got, "data");
  return true;
}

bool Cosim::check_write(uint32_t addr, uint32_t data) {
  if (!ok()) return false;
  bool want_err = false, got_err = false;
  model_.apb_write(addr, data, &want_err);
  bfm_.apb_write(addr, data, &got_err);
  if (want_err != got_err) return apb_mismatch(addr, true, want_err, got_err, "PSLVERR");
  return true;
}

bool Cosim::check_status() {
  if (!check_read(chip::spec::REG_STATUS)) return false;
  const PinsOut o = bfm_.cycle(PinsIn{});
  if (o.busy) return apb_mismatch(chip::spec::REG_STATUS, false, 0, 1, "busy pin after the command:");
  const bool irq = model_.status().done && model_.regs().irq_en;
  if (o.irq != irq) return apb_mismatch(chip::spec::REG_STATUS, false, irq, o.irq, "irq pin (DONE & IRQ_EN):");
  return ok();
}

bool Cosim::check_counters() {
  if (!ok()) return false;
  const int idle = static_cast<int>(chip::spec::Counter::cycles_idle);
  for (int c = 0; c < chip::spec::NUM_COUNTERS + 2 * chip::spec::NUM_MEMS; ++c) {
    const uint32_t a = chip::spec::CNT_BASE + 8u * static_cast<uint32_t>(c);
    bool err = false;
    uint64_t want = static_cast<uint64_t>(model_.apb_read(a, &err)) |
                    static_cast<uint64_t>(model_.apb_read(a + 4, &err)) << 32;
    const uint64_t lo = bfm_.apb_read(a);
    if (c == idle) want = scoreboard_.idle_cycles();  // the host's count when LO is read
    const uint64_t got = lo | static_cast<uint64_t>(bfm_.apb_read(a + 4)) << 32;
    const std::string name =
        c < chip::spec::NUM_COUNTERS
            ? chip::spec::kCounterNames[static_cast<size_t>(c)]
            : std::string(chip::spec::kMems[static_cast<size_t>((c - chip::spec::NUM_COUNTERS) / 2)].name) +
                  ((c - chip::spec::NUM_COUNTERS) % 2 ? " writes" : " reads");
    if (!scoreboard_.compare_counter(name, want, got)) return false;
  }
  return true;
}

}  // namespace eligo::cosim
