#include "golden_model/experiment/report.hpp"

#include "golden_model/energy/energy.hpp"
#include "golden_model/experiment/neurobench.hpp"

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

json energy_json(const chip::Core& core, const energy::Table& table, const energy::Counts* train) {
  return energy::to_json(energy::estimate_split(table, core.sizes(), energy::counts_of(core), train), table);
}

json neurobench_json(const chip::Core& core, const TrainTestResult& res) {
  ChipWorkload load;
  load.samples = res.test.n;
  load.timesteps = res.test.timesteps;
  load.spikes = res.test.spikes;
  load.sops = static_cast<int64_t>(res.test_counters[chip::spec::Counter::sops]);
  load.neuron_updates = static_cast<int64_t>(res.test_counters[chip::spec::Counter::neuron_updates]);
  return chip_neurobench_json(core.sizes(), chip_weight_counts(core), load);
}

json chip_report(const std::string& config, const ChipRun& r, const ChipSetup& setup, const chip::Core& core,
                 const TrainTestResult& res, double wall) {
  const chip::ChipImage& im = setup.image;
  // Model time: the samples only (task generation excluded), for the speed figures.
  auto phase_json = [](const Tally& t) {
    return json{{"timesteps", t.timesteps}, {"wall_s", t.wall_s},
                {"timesteps_per_s", t.wall_s > 0 ? static_cast<double>(t.timesteps) / t.wall_s : 0.0},
                {"cycles_per_timestep", t.timesteps > 0 ? static_cast<double>(t.cycles) / static_cast<double>(t.timesteps) : 0.0}};
  };
  json curve = json::array(), phases = json::object();
  for (size_t it = 0; it < res.curve.size(); ++it) {
    curve.push_back({{"iteration", it}, {"loss", res.curve[it].mean_loss()}, {"accuracy", res.curve[it].accuracy()}});
  }
  if (r.train) phases["train"] = phase_json(res.train);
  phases["test"] = phase_json(res.test);
  const int64_t timesteps = res.train.timesteps + res.test.timesteps;
  const int total = res.test.n;
  const json cycles = cycles_json(core);
  const uint64_t total_cycles = cycles["total"].get<uint64_t>();
  const bool classification =
      !setup.run.test_batch(0).labels.empty() || r.cfg.task.kind == io::TaskKind::EvidenceAccumulation;
  json report = {{"config", config},
                 {"mode", r.train ? "train" : "inference"},
                 {"timesteps", timesteps},
                 {"cycles", cycles},
                 {"cycles_per_timestep", timesteps ? static_cast<double>(total_cycles) / static_cast<double>(timesteps) : 0.0},
                 {"counters", counters_json(core)},
                 {"loss", total ? res.test.loss / total : 0.0},
                 {"active_connections", {{"w_in", core.active_count(chip::spec::Mem::W_IN)},
                                         {"w_rec", core.active_count(chip::spec::Mem::W_REC)},
                                         {"w_out", core.active_count(chip::spec::Mem::W_OUT)}}},
                 {"overrun", core.status().overrun},
                 {"k_error", core.status().k_error},
                 {"quantization_error", quant_errors_json(im.errors)},
                 {"sizes", sizes_json(im.sizes)},
                 {"learning_curve", curve},
                 {"speed", phases},
                 {"wall_s", wall},
                 {"timesteps_per_s", wall > 0 ? static_cast<double>(timesteps) / wall : 0.0}};
  if (res.train_counts) {  // the counters when training ended: energy per training sample and per inference
    const energy::Counts& tc = *res.train_counts;
    json c = json::object();
    for (const auto& [k, v] : tc.counters) c[k] = v;
    json mem = json::object();
    for (const auto& [k, v] : tc.memory) mem[k] = {{"reads", v.first}, {"writes", v.second}};
    c["memory"] = mem;
    report["counters_train"] = c;
  }
  report["energy"] = energy_json(core, r.energy, res.train_counts ? &*res.train_counts : nullptr);
  report["neurobench"] = neurobench_json(core, res);
  {
    json spikes = json::array(), ys = json::array();
    for (size_t t = 0; t < res.first_test.spikes.size(); ++t) {
      spikes.push_back(res.first_test.spikes[t]);
      ys.push_back(res.first_test.y[t]);
    }
    report["first_test_sample"] = {{"spikes", spikes}, {"y", ys}};
  }
  report["accuracy"] = classification && total ? json(res.test.accuracy()) : json(nullptr);
  return report;
}

}  // namespace eligo::experiment
