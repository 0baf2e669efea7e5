// Constrained-random lock-step co-simulation (issue 21): random chip configurations on one
// verilated size configuration, each run in lock-step with the bit-exact model (cosim.hpp), from
// one seed. Per configuration (its own seed, drawn from the run's): register settings (decays,
// thresholds, beta, learning rates, feedback mode, online or batch, DEEP R with K at and around
// its limits, a TS_BUDGET small enough to overrun), weights near the W_MAG limits, feedback
// entries at the B limits, then samples of random length with input bursts that saturate the
// event counts, targets at the Y limits, random APB traffic between timesteps (registers,
// counters, every memory window, out-of-range and misaligned addresses, STATUS clears) and
// accesses while BUSY (in the input phase: PSLVERR; in the other phases: the access waits until
// the core is idle). After every command: STATUS and the busy and irq pins; at the end of every
// configuration every counter (cycles_idle against the host's count). At the start of every
// configuration: every RW register read after reset (against the spec's reset values), then
// written with ones, a random value and its configured value, each read back, and read at a
// misaligned address; one word of every memory written with ones and a random value in both
// halves and read back (W_IN and W_REC then restored, the other memories keep the random word).
// Before some timesteps TS_BUDGET is set to the timestep's own length (the model run ahead on a
// copy), one below or one above: the overrun boundary. scripts/mutate_rtl.py measures what
// these stimuli catch (rtl/README.md, "Mutation check").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/chip/write_hash.hpp"
#include "systemc/cycle_hook.hpp"

namespace eligo::cosim {

struct RandomCosimResult;

struct RandomCosimOptions {
  uint64_t seed = 1;
  int64_t timesteps = 1000;        // at least this many timesteps (whole samples)
  int64_t config_timesteps = 300;  // about this many timesteps per random configuration
  std::vector<CycleHook*> hooks;   // added to every configuration's co-simulation (e.g. a fault)
  // Called after every configuration with the totals so far (a progress line); reads only.
  std::function<void(const RandomCosimResult&)> on_configuration;
};

struct RandomCosimResult {
  int64_t configs = 0, samples = 0, timesteps = 0;
  int64_t apb_checked = 0;  // APB accesses compared with the model (or the busy rule)
  int64_t busy_input = 0;   // memory accesses in the input phase (PSLVERR)
  int64_t busy_waited = 0;  // memory accesses that waited for the end of a phase
  int64_t status_checks = 0;
  int64_t overruns = 0;  // timesteps over TS_BUDGET (the model's counter)
  int64_t k_errors = 0;  // END_SAMPLEs that set STATUS.K_ERROR
  uint64_t writes_compared = 0, rtl_cycles = 0;
  chip::WriteHash write_hash;  // over every configuration's writes, in order
  bool ok = true;
  // On a mismatch: "random cosim seed S, SIZES, configuration C (seed X): MISMATCH", which
  // names what reproduces it (the same seed and sizes; the configuration's timesteps).
  std::string failure;
};

// The configuration's registers and memories (its weights, B, zero GRAD) drawn from `seed`.
chip::Core random_core(const chip::Sizes& s, uint64_t seed);

// Runs random configurations on the --cc engine of sizes s until o.timesteps have run or a
// mismatch; deterministic from o.seed.
RandomCosimResult run_random_cosim(const chip::Sizes& s, const RandomCosimOptions& o);

}  // namespace eligo::cosim
