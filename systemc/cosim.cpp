#include "systemc/cosim.hpp"

#include <stdexcept>
#include <string>

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
      bfm_.apb_write(a, v);
    }
  }
  // Weight and feedback memories, word by word over the memory window, and the gradient
  // accumulators: GRAD has no reset (an SRAM powers up anywhere; Verilator's zeros hid it, Icarus's
  // X showed it) and UPD clears it only after an update, so the host loads it (the model's zeros).
  for (Mem m : {Mem::W_IN, Mem::W_REC, Mem::W_OUT, Mem::B_FB, Mem::GRAD}) {
    const uint32_t base = chip::spec::MEM_BASE * (1 + static_cast<uint32_t>(m));
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

// START_SAMPLE
void Cosim::start_sample() {
  if (!ok()) return;
  scoreboard_.expect([&] { model_.start_sample(); });
  bfm_.apb_write(chip::spec::REG_CMD, chip::spec::CMD_START_SAMPLE_MASK);
  if (bfm_.wait_idle()) scoreboard_.finish_command();
}

void Cosim::step(const std::vector<int>& events, const std::vector<int64_t>& target, bool valid) {
  if (!ok()) return;
  bfm_.begin_timestep(++timestep_);
  const int NO = model_.sizes().n_out;
  // Targets over APB when learning (the inference datapath does not read them).
  if (model_.regs().learn) {
    for (int k = 0; k < NO; ++k) {
      bfm_.apb_write(chip::spec::REG_TARGET + 4 * static_cast<uint32_t>(k),
                     static_cast<uint32_t>(chip::to_word(chip::spec::Y, target[static_cast<size_t>(k)])));
    }
    bfm_.apb_write(chip::spec::REG_TARGET_VALID, valid ? 1u : 0u);
  }
  scoreboard_.expect([&] { model_.step(events, target, valid); });
  // AER: every event, then the end-of-timestep marker.
  if (!bfm_.aer_timestep(events)) return;
  if (!bfm_.wait_idle() || !scoreboard_.finish_command() || !scoreboard_.compare_state()) return;
  scoreboard_.timestep_done();
}

void Cosim::end_sample(bool update) {
  if (!ok()) return;
  scoreboard_.expect([&] { model_.end_sample(update); });
  bfm_.apb_write(chip::spec::REG_CMD, chip::spec::CMD_END_SAMPLE_MASK | (update ? chip::spec::CMD_UPDATE_MASK : 0u));
  if (bfm_.wait_idle() && scoreboard_.finish_command()) scoreboard_.compare_state();
}

bool Cosim::check_counters() {
  if (!ok()) return false;
  for (int c = 0; c < chip::spec::NUM_COUNTERS + 2 * chip::spec::NUM_MEMS; ++c) {
    if (c == static_cast<int>(chip::spec::Counter::cycles_idle)) continue;
    const uint32_t a = chip::spec::CNT_BASE + 8u * static_cast<uint32_t>(c);
    bool err = false;
    const uint64_t want = static_cast<uint64_t>(model_.apb_read(a, &err)) |
                          static_cast<uint64_t>(model_.apb_read(a + 4, &err)) << 32;
    const uint64_t got = static_cast<uint64_t>(bfm_.apb_read(a)) | static_cast<uint64_t>(bfm_.apb_read(a + 4)) << 32;
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
