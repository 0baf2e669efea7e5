#include "golden_model/experiment/analog_run.hpp"

#include <chrono>

namespace eligo::experiment {

namespace {

// Seed stream of the analog core's temporal noise (run_setup.cpp uses streams 1-4).
constexpr uint64_t kAnalogNoise = 5;

}  // namespace

analog::Core make_analog_core(const io::RunConfig& cfg) {
  return analog::Core(cfg.net, cfg.analog, derive_seed(cfg.seed, kAnalogNoise, 0));
}

TestMetrics evaluate_on_analog_core(const Run& run, analog::Core& core, analog::Counters& counts) {
  core.reset_counters();
  const TestMetrics m = evaluate_test(
      run, [&](const tasks::Batch& b) { return analog::evaluate_on_core(core, run.cfg.train, b); });
  counts = core.counters();
  return m;
}

int sequence_length(const Run& run) { return run.test_batch(0).T; }

AnalogTrainResult train_analog(Run& run, const std::string& config, const fl::ProgressFn& progress) {
  const io::RunConfig& cfg = run.cfg;
  const bool classification = cfg.train.loss == fl::LossKind::CrossEntropy;
  const analog::EnergyTable table = analog::table_for(cfg.analog);
  const auto t0 = std::chrono::steady_clock::now();
  analog::Core core = make_analog_core(cfg);
  AnalogTrainResult r;
  r.log = analog::train_in_the_loop(core, run.weights, cfg.train, run.train_batch, progress);
  const analog::Counters training = core.counters();
  analog::Counters inf;
  r.test = evaluate_on_analog_core(run, core, inf);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.report = analog::make_report("analog", inf, training, cfg.train.iterations, table,
                                 analog::latency_s(sequence_length(run), cfg.net.dt_ms, cfg.analog.time_scale));
  nlohmann::json& m = r.metrics;
  m["backend"] = "analog";
  m["algo"] = "eprop";
  m["iterations"] = cfg.train.iterations;
  m["seed"] = cfg.seed;
  m["mismatch_seed"] = cfg.analog.mismatch_seed;
  m["config"] = config;
  add_training_log(m, r.log, classification);
  m["test"] = {{"loss", r.test.loss}, {"firing_rate_hz", r.test.rate_hz}, {"batches", cfg.task.test_batches}};
  if (classification) m["test"]["accuracy"] = r.test.accuracy;
  m["energy"] = analog::to_json(r.report, table);
  m["wall_s"] = wall;
  return r;
}

}  // namespace eligo::experiment
