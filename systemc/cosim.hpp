// Lock-step co-simulation of the RTL (an Engine) against the bit-exact model (chip::Core):
// the host (APB master and AER driver bus-functional models), the write monitor and the
// scoreboard, the same for the --cc and --sc engines.
//
// For every command and timestep the model runs first and records its memory writes; the RTL
// then runs cycle by cycle and each of its writes is compared, as it happens, with the next
// expected one (memory, address, data, order). At the end of every command the cycles of every
// phase are compared with the model's, and at every timestep boundary every word of every
// memory (through the backdoor). The first divergence stops the run and is reported.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "golden_model/chip/write_hash.hpp"
#include "golden_model/tasks/batch.hpp"
#include "systemc/engine.hpp"

namespace eligo::cosim {

struct Mismatch {
  std::string kind;      // "write", "missing write", "state", "cycles", "counter", "apb"
  int64_t timestep = -1; // global timestep index (-1: during configuration or a command)
  uint64_t cycle = 0;    // RTL cycle
  std::string phase;
  std::string memory;
  int64_t address = -1;
  uint64_t expected = 0, actual = 0;
  std::string detail;
  std::string unit;      // the RTL unit that owns the phase (rtl/<unit>.sv), or "" at a boundary
};

// A bit flip in an RTL memory (not in the model) at the start of a timestep.
struct Fault {
  chip::spec::Mem mem = chip::spec::Mem::STATE;
  int64_t address = 0;
  int bit = 0;
  int64_t timestep = 0;
};
// "MEMORY:ADDRESS:BIT@TIMESTEP", e.g. "STATE:3:5@120"; std::invalid_argument on a bad string.
Fault parse_fault(const std::string& text);

struct CosimStats {
  int64_t timesteps = 0;
  uint64_t writes_compared = 0;
  uint64_t words_compared = 0;
  chip::WriteHash write_hash;  // FNV-1a of the RTL's writes (equal to the model's while no mismatch)
  std::array<uint64_t, chip::spec::NUM_PHASES> phase_cycles{};
};

class Cosim {
 public:
  Cosim(Engine& rtl, chip::Core& model);

  void set_faults(std::vector<Fault> faults) { faults_ = std::move(faults); }
  // Start tracing (FST to `path`) at the start of global timestep `from` (0: from the start).
  void set_trace(const std::string& path, int64_t from) { trace_path_ = path; trace_from_ = from; }
  // Record every cycle's inputs (after reset) and the spikes of the RTL (stimulus.hpp).
  void set_recorder(std::vector<PinsIn>* inputs, std::vector<std::pair<uint64_t, int>>* spikes) {
    rec_inputs_ = inputs;
    rec_spikes_ = spikes;
  }
  // Check the whole memory state at every timestep boundary (on by default).
  void set_state_checks(bool on) { state_checks_ = on; }

  // Reset the RTL and load the model's registers and weight memories over APB.
  bool configure();
  // One sample of a stored batch, as chip::run_sample does on the model alone. false = mismatch.
  // With update, END_SAMPLE carries UPDATE (weight update and rewiring when learning).
  bool run_sample(const tasks::Batch& batch, int b, int learning_window, bool update);
  // Loss and prediction of the last sample, from the RTL's Y memory (read through the
  // backdoor after every timestep), as chip::run_sample computes them from the model's.
  const chip::SampleResult& last_sample() const { return last_sample_; }
  // The same from the model's Y memory (equal to last_sample() when there is no mismatch).
  const chip::SampleResult& last_model_sample() const { return last_model_sample_; }
  // CTRL.LEARN on both sides (model register, RTL over APB), e.g. off for a test phase.
  void set_learning(bool learn);
  // Reads every RTL counter over APB and compares it with the model's (idle cycles excepted).
  bool check_counters();

  const std::optional<Mismatch>& first_mismatch() const { return mismatch_; }
  const CosimStats& stats() const { return stats_; }
  Engine& rtl() { return rtl_; }

  // Host bus functional model (also used by tests).
  uint32_t apb_read(uint32_t addr, bool* slverr = nullptr);
  void apb_write(uint32_t addr, uint32_t data, bool* slverr = nullptr);

 private:
  PinsOut cycle(const PinsIn& in);
  bool fail(Mismatch m);
  void expect_model(const std::function<void()>& run_model);
  bool finish_command();
  bool wait_idle();
  bool compare_state();
  void apply_faults();

  Engine& rtl_;
  chip::Core& model_;
  std::deque<chip::WriteEvent> expected_;
  std::vector<chip::WriteEvent> seen_;
  std::array<int64_t, chip::spec::NUM_PHASES> cmd_cycles_{};
  std::optional<Mismatch> mismatch_;
  std::vector<Fault> faults_;
  std::string trace_path_;
  int64_t trace_from_ = -1;
  bool tracing_ = false;
  bool state_checks_ = true;
  std::vector<PinsIn>* rec_inputs_ = nullptr;
  std::vector<std::pair<uint64_t, int>>* rec_spikes_ = nullptr;
  int64_t timestep_ = -1;  // global index of the timestep being run
  CosimStats stats_;
  chip::SampleResult last_sample_, last_model_sample_;
};

}  // namespace eligo::cosim
