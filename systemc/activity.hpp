// Activity-based energy (eligo cosim --activity): the core's --cc model verilated with toggle
// coverage (systemc/activity.cmake) counts every change of every signal bit of every RTL
// instance; the counts are read from Verilator's coverage database, attributed to units by
// hierarchy, written as SAIF (saif.hpp) for standard power tools, and priced per toggle
// (data/energy/28nm.json ops.toggle) beside the event-based estimate of golden_model/energy.
//
// What a toggle count is: Verilator compares every covered signal bit with its previous value
// at each evaluation of the model (two per clock cycle in the direct engine, plus the host's
// input evaluations); zero-delay, so combinational glitches are not counted. Signals wider than
// 256 bits (Verilator's --coverage-max-width: the flat memory buses m_rdata/m_wdata, the
// counter array) and the SRAM arrays (left out on purpose: their energy is per access) are not
// covered.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden_model/energy/energy.hpp"
#include "systemc/engine.hpp"

namespace eligo::cosim {

// One toggle-coverage point: one bit of one signal of one RTL instance.
struct TogglePoint {
  std::string instance;  // hierarchical path, "TOP.eligo_core.g_mem[3].g_sram.u_sram"
  std::string module;    // RTL module, "sram" (Verilator's parameter suffix removed)
  std::string signal;    // signal and bit, "raddr_i[2]" (a 1-bit signal has no index)
  uint64_t count = 0;    // toggles (changes 0->1 and 1->0)
};

// The toggle points of a Verilator coverage database (coverage.dat, "SystemC::Coverage-3",
// written per instance), in file order; std::runtime_error naming the file and line if it is not
// one. Points of other coverage types are skipped.
std::vector<TogglePoint> read_coverage(const std::string& path);

// Adds the counts of `window` to the points of `into` with the same instance and signal
// (appending points not yet there).
void accumulate(std::vector<TogglePoint>& into, const std::vector<TogglePoint>& window);

// The toggles of a run.
struct Toggles {
  chip::Sizes sizes;
  uint64_t cycles = 0;  // clock cycles simulated (the engine's count, reset included)
  std::vector<TogglePoint> points;
  uint64_t total() const;
};

// An engine that counts toggles: the direct engine on a toggle-coverage model.
class ActivityEngine : public Engine {
 public:
  // The toggles since construction (64-bit: the model's 32-bit counters are moved into them
  // every `window_cycles` cycles and here).
  virtual Toggles toggles() = 0;
  // Verilator's own coverage database of the counts since the last move (for the tests).
  virtual void write_coverage(const std::string& path) = 0;
};

inline constexpr const char* kActivityEngine = "cc-activity";  // with_engine() name

// Sizes with a toggle-coverage model (systemc/activity.cmake); empty when built with
// -DELIGO_ACTIVITY=OFF.
std::vector<chip::Sizes> activity_configurations();

// A toggle-counting engine for these sizes; std::invalid_argument listing the available ones.
// The model's counters are 32-bit: they are read out and zeroed every window_cycles cycles
// (Verilator counts at most one toggle per bit per evaluation, a few evaluations per cycle).
std::unique_ptr<ActivityEngine> make_activity_engine(const chip::Sizes& sizes, uint64_t window_cycles = 1ull << 26);

// The engine as an ActivityEngine (std::logic_error if it is not one).
ActivityEngine& activity_engine(Engine& e);

// Attribution. The unit of a point is its instance's RTL module (eligo_core: sequencer, AER,
// register glue), except that the SRAM instances (module sram) are the unit "memory". A point is
// priced unless it is an input port (name ending in _i or _ni, the RTL's convention) of an
// instance below eligo_core: such a net is driven, and counted, in the parent; counting both would
// count one wire twice. (Outputs of an instance that the parent names again still count twice;
// input ports connected to an expression rather than a named signal are not counted.)
std::string unit_of(const TogglePoint& p);
std::string memory_of(const TogglePoint& p);  // memory name of an SRAM instance ("W_REC"), else ""
bool priced(const TogglePoint& p);

// activity.json: cycles, toggles and covered bits per unit, per memory and per instance; the
// activity-based dynamic energy (priced toggles x pj_per_toggle of the table) per unit; the
// event-based estimate of the same run (golden_model/energy from the model's counters, which
// equal the RTL's) beside it; per unit, how the two compare (energy::compare_units, "agreement");
// the run's sizes and counters (so that eligo report can redo both with another table).
nlohmann::json activity_json(const Toggles& t, const energy::Counts& counts, const energy::Table& table);

// Writes DIR/activity.saif (saif.hpp, clock period from the table's clock) and DIR/activity.json;
// returns the JSON.
nlohmann::json write_activity(const std::string& dir, const Toggles& t, const energy::Counts& counts,
                              const energy::Table& table);

}  // namespace eligo::cosim
