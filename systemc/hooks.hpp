// The co-simulation's per-cycle hooks besides the scoreboard (cycle_hook.hpp), each registered
// on a Cosim with add_hook():
//   FaultInjector     flips bits of RTL memories (not the model's) at the start of timesteps
//   TraceWindow       FST tracing from the start of a timestep on
//   StimulusRecorder  the input pins of every cycle and the RTL's spikes (stimulus.hpp)
//   ActivityCounter   the toggles of the activity engine at the end of the run (activity.hpp)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "systemc/activity.hpp"
#include "systemc/cycle_hook.hpp"
#include "systemc/stimulus.hpp"

namespace eligo::cosim {

// A bit flip in an RTL memory (not in the model) at the start of a timestep.
struct Fault {
  chip::spec::Mem mem = chip::spec::Mem::STATE;
  int64_t address = 0;
  int bit = 0;
  int64_t timestep = 0;
};
// "MEMORY:ADDRESS:BIT@TIMESTEP", e.g. "STATE:3:5@120"; std::invalid_argument on a bad string or
// an address outside the memory at `sizes` (such a fault was skipped yet reported as applied).
Fault parse_fault(const std::string& text, const chip::Sizes& sizes);

class FaultInjector : public CycleHook {
 public:
  explicit FaultInjector(std::vector<Fault> faults) : faults_(std::move(faults)) {}
  void on_timestep(Engine& rtl, int64_t timestep) override;

 private:
  std::vector<Fault> faults_;
};

// Traces (FST to `path`) from the start of global timestep `from` (0: from the start).
class TraceWindow : public CycleHook {
 public:
  TraceWindow(std::string path, int64_t from) : path_(std::move(path)), from_(from) {}
  void on_timestep(Engine& rtl, int64_t timestep) override;

 private:
  std::string path_;
  int64_t from_;
  bool tracing_ = false;
};

// Every cycle's inputs (after reset) and, with spikes on, the RTL's spikes.
class StimulusRecorder : public CycleHook {
 public:
  explicit StimulusRecorder(bool spikes = false) : with_spikes_(spikes) {}
  void on_cycle(Engine& rtl, const PinsIn& in, const PinsOut& out, const std::vector<chip::WriteEvent>& writes) override;
  const std::vector<PinsIn>& inputs() const { return inputs_; }
  const SpikeStream& spikes() const { return spikes_; }

 private:
  bool with_spikes_;
  std::vector<PinsIn> inputs_;
  SpikeStream spikes_;
};

// The toggles counted by the activity engine (kActivityEngine) over the run.
class ActivityCounter : public CycleHook {
 public:
  void on_finish(Engine& rtl) override { toggles_ = activity_engine(rtl).toggles(); }
  const std::optional<Toggles>& toggles() const { return toggles_; }

 private:
  std::optional<Toggles> toggles_;
};

}  // namespace eligo::cosim
