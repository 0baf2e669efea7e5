// Energy of one toggle of one RTL signal bit (table entry ops.toggle, scaled from its node and
// supply to the table's like every other entry; a calibrated profile's dynamic_overhead is not
// applied: the toggles are their own view of the logic's switching): the activity-based estimate
// of `eligo cosim --activity` (systemc/activity.hpp) and `eligo report`.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "golden_model/energy/energy.hpp"

namespace eligo::energy {

inline double pj_per_toggle(const Table& t) {
  const nlohmann::json& ops = t.j["ops"];
  if (!ops.contains("toggle") || !ops["toggle"].contains("pj") || !ops["toggle"].contains("node_nm") ||
      !ops["toggle"]["pj"].is_number() || !ops["toggle"]["node_nm"].is_number()) {
    throw std::runtime_error(t.source + ": ops.toggle: missing (pj, node_nm and source of the energy of one "
                                        "RTL signal-bit toggle, needed by the activity-based estimate)");
  }
  // Scaled to the table's supply with V^2 (a toggle entry without supply_v is taken at the table's).
  const double v = ops["toggle"].contains("supply_v") && ops["toggle"]["supply_v"].is_number()
                       ? ops["toggle"]["supply_v"].get<double>()
                       : t.supply_v;
  return ops["toggle"]["pj"].get<double>() * node_factor(t, ops["toggle"]["node_nm"].get<double>(), t.node_nm) *
         dynamic_voltage_factor(t, v);
}

// Toggles against events, per unit (docs/energy.md "Toggles against events, per unit"): the
// toggle-based energy of a unit (its priced toggles x pj_per_toggle) beside its event-based
// dynamic energy before the profile's dynamic_overhead (the datapath and SRAM accesses the tables
// price; the overhead stands for what neither view itemises: clock tree, wiring, low-voltage
// periphery), and the relation the two must satisfy given what each counts:
// - kWithin: synapse_acc, whose events are additions into named accumulator registers: both
//   views count the same switching; they agree within kAddFactor.
// - kEventBound: neuron_unit, trace_unit, readout_unit, learn_unit compute their multiplies and
//   adds inside automatic functions, whose temporaries Verilator's toggle coverage does not see:
//   toggles cover the units' ports and registers only, a subset of the switching the event view
//   prices, so event >= toggle (a unit without events is not checked).
// - kUnisolated: rewire_unit, whose DEEP R datapath (rewire_unit.sv deepr()) is combinational on
//   learn_unit's delta and the weight bus without operand isolation: its outputs follow every GRAD
//   access of the trace pass, switching the event view has no term for (it prices the DEEP R
//   arithmetic of a weight update under learn_unit's weight_update, and the unit's probes): not
//   compared (measured: toggles about 20x the probes' event energy, docs/energy.md).
// - kPerAccess: memory, whose energy is per access (bitlines, sense amplifiers, decoders inside
//   the SRAM array, which the toggle view leaves out): its priced toggles are the read-data
//   registers, which change only on a read, so each memory's priced toggles <= reads x word bits.
// - kTogglesOnly: eligo_core, sequencer, apb_regs, perf_counters, lfsr: control without an event
//   kind in the event view (part of what dynamic_overhead stands for).
inline constexpr double kAddFactor = 3.0;
inline constexpr const char* kWithin = "within 3x";
inline constexpr const char* kEventBound = "event >= toggle";
inline constexpr const char* kPerAccess = "toggles <= reads x word bits, per memory";
inline constexpr const char* kTogglesOnly = "toggles only";
inline constexpr const char* kUnisolated = "not compared: switching without events (no operand isolation)";

struct UnitAgreement {
  std::string unit, relation;
  double toggle_pj = 0.0, event_pj = 0.0;  // event: before dynamic_overhead
  double ratio = 0.0;                      // event / toggle (0 when either is 0)
  bool holds = true;
  std::string detail;  // why it does not hold
};

// by_unit / by_memory: activity.json's {unit or memory: {priced_toggles, ...}}; e and counts: the
// event-based estimate and the counters of the same run, priced with t.
std::vector<UnitAgreement> compare_units(const nlohmann::json& by_unit, const nlohmann::json& by_memory,
                                         const Estimate& e, const Counts& counts, const Table& t);
nlohmann::json to_json(const std::vector<UnitAgreement>& a);

}  // namespace eligo::energy
