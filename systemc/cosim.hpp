// Lock-step co-simulation of the RTL (an Engine) against the bit-exact model (chip::Core): the
// host's side of the sample protocol (chip::ChipPort, golden_model/chip/task_runner.hpp) on the
// RTL, built from three parts:
//   HostBfm     (host_bfm.hpp)    APB master and AER driver, one cycle at a time
//   Scoreboard  (scoreboard.hpp)  writes, phase cycles, state and counters against the model
//   CycleHooks  (hooks.hpp)       faults, trace window, stimulus recorder, activity: add_hook()
//
// For every command and timestep the model runs first and records its memory writes; the RTL
// then runs cycle by cycle and each of its writes is compared, as it happens, with the next
// expected one. At the end of every command the cycles of every phase are compared with the
// model's, and at every timestep boundary every word of every memory (through the backdoor).
// The first divergence stops the run and is reported (first_mismatch(); ok() is then false).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "systemc/engine.hpp"
#include "systemc/host_bfm.hpp"
#include "systemc/scoreboard.hpp"

namespace eligo::cosim {

// fn(address) for every word of every RW register of the map, in address order (array words
// beyond a core's size included: the model answers PSLVERR there).
template <class Fn>
void for_each_rw_register_word(Fn fn) {
  for (const chip::spec::RegInfo& r : chip::spec::kRegs) {
    if (r.access != chip::spec::Access::RW) continue;
    for (uint32_t k = 0; k < static_cast<uint32_t>(r.count); ++k) fn(r.addr + 4 * k);
  }
}

class Cosim : public chip::ChipPort {
 public:
  Cosim(Engine& rtl, chip::Core& model);

  // Registers a per-cycle hook after the scoreboard (it must outlive the run).
  void add_hook(CycleHook& hook) { bfm_.add_hook(hook); }

  // Reset the RTL and load the model's registers and weight memories over APB. With
  // set_check_reset(true) it first reads every RW register of the RTL after reset and compares it
  // with a model at its reset values (Regs{}).
  bool configure();
  void set_check_reset(bool on) { check_reset_ = on; }

  // The sample protocol's commands (chip::run_sample(cosim, ...) runs a sample).
  void start_sample() override;
  void step(const std::vector<int>& events, const std::vector<int64_t>& target, bool valid) override;
  void end_sample(bool update) override;
  // CTRL.LEARN on both sides (model register, RTL over APB), e.g. off for a test phase.
  void set_learning(bool learn) override;
  void write_reg(uint32_t addr, uint32_t data) override;
  // The RTL's readouts (its Y memory, through the backdoor).
  void readouts(std::vector<double>& y) const override;
  int64_t cycles() const override;  // the RTL's cycles of every phase so far
  const chip::Core& model() const override { return model_; }
  bool has_reference() const override { return true; }
  bool ok() const override { return !scoreboard_.first_mismatch(); }
  std::string failure() const override;  // "cosim: <kind> mismatch at timestep ..."
  // Checkpoints between two samples (docs/runs.md): the model's state (Core::save_state), the
  // RTL's (Engine::save_state: the cc engine) and the scoreboard's counts, so that a new Cosim
  // over a new engine and model, restored, continues with the same bits as one that never
  // stopped. restore_state: std::invalid_argument for a state of another port, chip or size
  // (after which the port is not used again).
  std::string save_state() const override;
  void restore_state(const std::string& state) override;

  // Reads every RTL counter over APB and compares it with the model's; cycles_idle (the model has
  // no idle cycles) with the host's own count of idle cycles (Scoreboard::idle_cycles()).
  bool check_counters();

  // One APB access on both sides, between commands (the RTL not busy): PSLVERR, and for a read
  // the data, must be the model's (a counter read: see check_counters); false on a mismatch.
  bool check_read(uint32_t addr);
  bool check_write(uint32_t addr, uint32_t data);
  // After a command or timestep: STATUS (BUSY 0; DONE, OVERRUN, K_ERROR the model's) read over
  // APB, and in the next cycle the pins busy low and irq = DONE & CTRL.IRQ_EN.
  bool check_status();

  // The host's side while the RTL is busy: called in the input phase before every AER beat after
  // the first (BusyPoint::input, the beat's index) and right after a command's CMD write or a
  // timestep's end-of-timestep beat (BusyPoint::command, 0), before waiting for idle. The model
  // has already run the command.
  enum class BusyPoint { input, command };
  void set_busy_host(std::function<void(BusyPoint, size_t)> f) { busy_host_ = std::move(f); }
  // The end of the run: the hooks' on_finish.
  void finish() { bfm_.finish(); }

  const std::optional<Mismatch>& first_mismatch() const { return scoreboard_.first_mismatch(); }
  const CosimStats& stats() const { return scoreboard_.stats(); }
  Scoreboard& scoreboard() { return scoreboard_; }
  HostBfm& bfm() { return bfm_; }
  Engine& rtl() { return rtl_; }

 private:
  Engine& rtl_;
  chip::Core& model_;
  HostBfm bfm_;
  Scoreboard scoreboard_;
  int64_t timestep_ = -1;  // global index of the timestep being run
  std::function<void(BusyPoint, size_t)> busy_host_;
  bool check_reset_ = false;
  bool apb_mismatch(uint32_t addr, bool write, uint64_t want, uint64_t got, const std::string& what);
  bool command(uint32_t cmd);  // CMD write, the busy host, wait for idle
};

}  // namespace eligo::cosim
