// The scoreboard of the lock-step co-simulation: the model's writes of a command or timestep are
// expected (expect()), and every RTL write is compared with the next expected one as it happens
// (memory, address, data, order; a per-cycle hook on the host BFM). At the end of every command
// finish_command() checks that no write is missing and that the RTL's cycles of every phase
// equal the model's; compare_state() compares every word of every memory (through the backdoor)
// at timestep boundaries; compare_counter() the counters. The first divergence is kept and stops
// the run.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/chip/write_hash.hpp"
#include "systemc/cycle_hook.hpp"
#include "systemc/engine.hpp"

namespace eligo::cosim {

enum class MismatchKind { write, missing_write, state, cycles, counter, apb };
const char* to_string(MismatchKind k);  // "write", "missing write", "state", "cycles", "counter", "apb"

struct Mismatch {
  MismatchKind kind = MismatchKind::write;
  int64_t timestep = -1; // global timestep index (-1: during configuration or a command)
  uint64_t cycle = 0;    // RTL cycle
  std::string phase;
  std::string memory;
  int64_t address = -1;
  uint64_t expected = 0, actual = 0;
  std::string detail;
  std::string unit;      // the RTL unit that owns the phase (rtl/<unit>.sv), or "" at a boundary
};
// "write mismatch at timestep T, phase P, memory M[A]: DETAIL"
std::string describe(const Mismatch& m);

struct CosimStats {
  int64_t timesteps = 0;
  uint64_t writes_compared = 0;
  uint64_t words_compared = 0;
  chip::WriteHash write_hash;  // FNV-1a of the RTL's writes (equal to the model's while no mismatch)
  std::array<uint64_t, chip::spec::NUM_PHASES> phase_cycles{};
};

class Scoreboard : public CycleHook {
 public:
  // Takes the model's write hook.
  Scoreboard(Engine& rtl, chip::Core& model);

  void on_timestep(Engine& /*rtl*/, int64_t timestep) override { timestep_ = timestep; }
  void on_cycle(Engine& rtl, const PinsIn& in, const PinsOut& out, const std::vector<chip::WriteEvent>& writes) override;
  bool stop() const override { return mismatch_.has_value(); }

  // Runs the model's part of a command or timestep; its writes become the expected ones.
  void expect(const std::function<void()>& run_model);
  bool finish_command();
  bool compare_state();
  bool compare_counter(const std::string& name, uint64_t want, uint64_t got);
  void timestep_done() { ++stats_.timesteps; }
  // The host's own count of idle cycles (phase_valid low) since the last CLEAR_COUNTERS the RTL
  // took (written while not busy): what its cycles_idle counter holds in the current cycle (the
  // model has no idle cycles; check_counters compares the RTL's counter with this).
  uint64_t idle_cycles() const { return idle_now_; }
  // Keeps the first mismatch (stamped with the timestep, cycle and unit); returns false.
  bool fail(Mismatch m);

  // The counts a checkpoint carries between two commands (no write expected, no mismatch):
  // stats(), the timestep and the idle-cycle counts. restore_state throws std::invalid_argument
  // for malformed bytes, changing nothing.
  std::string save_state() const;
  void restore_state(const std::string& bytes);

  // Check the whole memory state at every timestep boundary (on by default).
  void set_state_checks(bool on) { state_checks_ = on; }
  const std::optional<Mismatch>& first_mismatch() const { return mismatch_; }
  const CosimStats& stats() const { return stats_; }

 private:
  Engine& rtl_;
  chip::Core& model_;
  std::deque<chip::WriteEvent> expected_;
  std::array<int64_t, chip::spec::NUM_PHASES> cmd_cycles_{};
  std::optional<Mismatch> mismatch_;
  bool state_checks_ = true;
  int64_t timestep_ = -1;
  uint64_t idle_ = 0, idle_now_ = 0;
  CosimStats stats_;
};

}  // namespace eligo::cosim
