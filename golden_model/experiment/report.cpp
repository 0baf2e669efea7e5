#include "golden_model/experiment/report.hpp"

#include "golden_model/energy/energy.hpp"

namespace eligo::experiment {

using nlohmann::json;

json quant_errors_json(const std::vector<chip::QuantError>& errs) {
  json out = json::object();
  for (const auto& e : errs) {
    out[e.quantity] = {{"format", e.format},   {"n", e.n},       {"saturated", e.saturated},
                       {"max_abs", e.max_abs}, {"rms", e.rms},   {"rel_rms", e.rel_rms}};
  }
  return out;
}

json counters_json(const chip::Core& core, bool per_memory) {
  json c = json::object();
  for (int i = 0; i < chip::spec::NUM_COUNTERS; ++i) {
    c[chip::spec::kCounterNames[static_cast<size_t>(i)]] = core.counters().value[static_cast<size_t>(i)];
  }
  if (!per_memory) return c;
  json mem = json::object();
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const auto id = static_cast<chip::spec::Mem>(m);
    mem[chip::spec::kMems[static_cast<size_t>(m)].name] = {{"reads", core.mem_reads(id)}, {"writes", core.mem_writes(id)}};
  }
  c["memory"] = mem;
  return c;
}

json cycles_json(const std::array<uint64_t, chip::spec::NUM_PHASES>& phase_cycles) {
  json cycles = json::object();
  uint64_t total = 0;
  for (int ph = 0; ph < chip::spec::NUM_PHASES; ++ph) {
    cycles[chip::spec::kPhaseNames[static_cast<size_t>(ph)]] = phase_cycles[static_cast<size_t>(ph)];
    total += phase_cycles[static_cast<size_t>(ph)];
  }
  cycles["total"] = total;
  return cycles;
}

json cycles_json(const chip::Core& core) {
  std::array<uint64_t, chip::spec::NUM_PHASES> c{};
  for (int ph = 0; ph < chip::spec::NUM_PHASES; ++ph) {
    c[static_cast<size_t>(ph)] = core.counters()[chip::cycles_counter(static_cast<chip::spec::Phase>(ph))];
  }
  return cycles_json(c);
}

json sizes_json(const chip::Sizes& s) {
  return {{"n_in", s.n_in},   {"n_rec", s.n_rec}, {"n_out", s.n_out},
          {"n_alif", s.n_alif}, {"lanes", s.lanes}, {"synapse_traces", s.synapse_traces}};
}

json energy_json(const chip::Core& core) {
  const energy::Table table = energy::default_table();
  return energy::to_json(energy::estimate(table, core.sizes(), energy::counts_of(core)), table);
}

}  // namespace eligo::experiment
