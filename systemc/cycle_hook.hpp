// Per-cycle extensions of the co-simulation, in the spirit of Ibex's simulation-control
// extensions (SimCtrlExtension: PreExec, OnClock, PostExec): objects registered on the host BFM
// (host_bfm.hpp) that see every RTL cycle and the start of every timestep, without the BFM, the
// scoreboard or the sample protocol knowing them. The scoreboard is one (scoreboard.hpp); the
// others are in hooks.hpp: fault injection, the FST trace window, the stimulus recorder and the
// activity counter.
#pragma once

#include <cstdint>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "systemc/engine.hpp"

namespace eligo::cosim {

class CycleHook {
 public:
  virtual ~CycleHook() = default;
  // The host begins global timestep `timestep` (before its targets and input events).
  virtual void on_timestep(Engine& /*rtl*/, int64_t /*timestep*/) {}
  // One cycle, settled before its rising edge: the inputs driven, the outputs, and the memory
  // writes the edge commits.
  virtual void on_cycle(Engine& /*rtl*/, const PinsIn& /*in*/, const PinsOut& /*out*/,
                        const std::vector<chip::WriteEvent>& /*writes*/) {}
  // The run is over (HostBfm::finish).
  virtual void on_finish(Engine& /*rtl*/) {}
  // True when the run must stop (the scoreboard found a mismatch).
  virtual bool stop() const { return false; }
};

}  // namespace eligo::cosim
