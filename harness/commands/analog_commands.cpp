// `eligo train --backend analog` and `eligo compare`: thin drivers of golden_model/analog.
#include "harness/commands/analog_commands.hpp"

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "golden_model/analog/compare.hpp"
#include "golden_model/analog/energy.hpp"
#include "golden_model/analog/in_the_loop.hpp"
#include "golden_model/quantize/quantize.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "golden_model/energy/energy.hpp"
#include "golden_model/experiment/analog_run.hpp"
#include "golden_model/experiment/report.hpp"
#include "golden_model/experiment/run_setup.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/float/objective.hpp"
#include "golden_model/io/files.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/progress.hpp"

namespace po = boost::program_options;

namespace eligo::harness {

using experiment::Run;
using experiment::sequence_length;
using experiment::TestMetrics;
using experiment::evaluate_test;
using experiment::make_run;
using experiment::save_weights;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---- eligo compare: one entry per backend ---------------------------------------------------

struct CompareContext {
  const io::RunConfig& cfg;
  Run& run;
  fl::Weights float_weights;  // trained by the float backend (runs first)
};

std::vector<analog::BackendRow> run_float(CompareContext& ctx) {
  Progress progress("compare: float", ctx.cfg.train.iterations);
  fl::Weights w = ctx.run.weights;
  fl::train(ctx.run.neurons, w, ctx.cfg.train, ctx.run.train_batch,
            training_progress(progress, ctx.cfg.log_every, ctx.cfg.train.iterations));
  progress.finish();
  ctx.float_weights = w;
  const TestMetrics m = evaluate_test(
      ctx.run, [&](const tasks::Batch& b) { return fl::evaluate(ctx.run.neurons, w, ctx.cfg.train, b); });
  analog::BackendRow row;
  row.backend = "float";
  row.mode = "reference, trained in float (" + std::to_string(ctx.cfg.train.iterations) + " it.)";
  row.accuracy = m.accuracy;
  row.note = "double-precision reference: no energy or latency model";
  row.report = nullptr;
  return {row};
}

std::vector<analog::BackendRow> run_analog(CompareContext& ctx) {
  const analog::EnergyTable table = analog::table_for(ctx.cfg.analog);
  const double latency =
      analog::latency_s(sequence_length(ctx.run), ctx.cfg.net.dt_ms, ctx.cfg.analog.time_scale);
  analog::Core core = experiment::make_analog_core(ctx.cfg);
  std::vector<analog::BackendRow> rows;
  auto make_row = [&](const std::string& mode, const TestMetrics& m, const analog::Counters& inf,
                      const analog::Counters& training, long updates) {
    const analog::EnergyReport r =
        analog::make_report("analog", inf, training, updates, table, latency);
    analog::BackendRow row;
    row.backend = "analog";
    row.mode = mode;
    row.accuracy = m.accuracy;
    row.energy_per_inference_j = r.energy_per_inference_j;
    row.energy_per_update_j = r.energy_per_update_j;
    row.latency_s = r.latency_s;
    row.report = analog::to_json(r, table);
    return row;
  };
  // Deploy: program the float-trained weights once, run the test set.
  core.program(ctx.float_weights);
  analog::Counters inf;
  const TestMetrics deployed = experiment::evaluate_on_analog_core(ctx.run, core, inf);
  rows.push_back(make_row("deployed float weights", deployed, inf, {}, 0));
  rows.back().note = "no on-chip learning: energy per update n/a";
  // Chip-in-the-loop fine-tuning from the deployed weights.
  const int iters = ctx.cfg.analog.fine_tune_iterations;
  if (iters > 0) {
    fl::TrainParams tp = ctx.cfg.train;
    tp.iterations = iters;
    fl::Weights w = ctx.float_weights;
    core.reset_counters();
    Progress progress("compare: analog in the loop", iters);
    analog::train_in_the_loop(core, w, tp, ctx.run.train_batch,
                              training_progress(progress, ctx.cfg.log_every, iters));
    progress.finish();
    const analog::Counters training = core.counters();
    const TestMetrics tuned = experiment::evaluate_on_analog_core(ctx.run, core, inf);
    rows.push_back(make_row("chip-in-the-loop (" + std::to_string(iters) + " it. after deploy)",
                            tuned, inf, training, iters));
    rows.back().note = "energy per update: on-core forward passes with membrane readout + "
                       "reprogramming, per update; the host's e-prop arithmetic is not counted";
  }
  return rows;
}

// The bit-exact digital chip model with the float-trained weights (quantised, 4 lanes): test
// accuracy, and energy and latency from its counters (golden_model/energy, the default profile). The chip
// computes a mean-squared-error readout; the prediction (argmax of the summed readouts over the
// learning window) is the same as the float reference's.
std::vector<analog::BackendRow> run_digital(CompareContext& ctx) {
  analog::BackendRow row;
  row.backend = "digital";
  row.mode = "deployed float weights (bit-exact model)";
  chip::ChipOptions o;
  o.lanes = 4;
  chip::ChipImage im;
  try {
    im = chip::quantize(ctx.run.neurons, ctx.float_weights, o);
  } catch (const std::invalid_argument& e) {
    row.present = false;
    row.note = std::string("the network does not map to the chip: ") + e.what();
    return {row};
  }
  chip::Core core = chip::make_core(im);
  chip::ModelPort port(core);
  experiment::Schedule sc;
  sc.test_batches = ctx.cfg.task.test_batches;
  sc.learning_window = ctx.cfg.train.learning_window;
  const experiment::TrainTestResult res =
      experiment::train_test(port, ctx.run.train_batch, ctx.run.test_batch, sc, loop_progress("compare: digital", sc));
  const energy::Table table = energy::default_table();
  const energy::Estimate e = energy::estimate(table, im.sizes, energy::counts_of(core));
  if (ctx.cfg.train.loss == fl::LossKind::CrossEntropy && res.test.n > 0) row.accuracy = res.test.accuracy();
  row.energy_per_inference_j = e.pj_per_sample * 1e-12;
  row.latency_s = e.latency_us_per_timestep * 1e-6 * sequence_length(ctx.run);
  row.note = "digital: energy from the bit-exact model's counters with " + table.source +
             " (SRAM leakage over busy cycles included); latency at " +
             std::to_string(static_cast<int>(table.clock_mhz)) +
             " MHz; on-chip learning energy per update: eligo chip / eligo report";
  row.report = experiment::energy_json(core, table);
  return {row};
}

struct Backend {
  const char* name;
  // nullptr: the backend does not exist yet; `absent` says why (reported as a row).
  std::vector<analog::BackendRow> (*run)(CompareContext&);
  const char* absent;
};

// The backends of `eligo compare`, in table order (float first: the others use its weights).
const std::vector<Backend>& backends() {
  static const std::vector<Backend> list = {
      {"float", run_float, ""},
      {"digital", run_digital, ""},
      {"analog", run_analog, ""},
  };
  return list;
}

}  // namespace

int train_analog(const io::RunConfig& cfg, const std::string& out_dir) {
  Run run = make_run(cfg);
  fs::create_directories(out_dir);
  Progress progress("train eprop (analog in the loop)", cfg.train.iterations);
  const experiment::AnalogTrainResult r = experiment::train_analog(
      run, fs::absolute(cfg.source).string(), training_progress(progress, cfg.log_every, cfg.train.iterations));
  progress.finish();
  const json& m = r.metrics;
  const fs::path out(out_dir);
  io::write_file_atomically((out / "energy.json").string(), m["energy"].dump(2) + "\n");
  io::write_file_atomically((out / "metrics.json").string(), m.dump(2) + "\n");
  // Last before the manifest: weights.npz alone (which --weights reads) is never left by a killed
  // run without the other files that mark its directory as a run (io::check_run_input).
  save_weights((out / "weights.npz").string(), run.weights);
  io::write_manifest(out_dir, "train", {"weights.npz", "energy.json", "metrics.json"});
  std::printf("train eprop on the analog core (in the loop): %d iterations", cfg.train.iterations);
  if (!r.log.empty()) std::printf(", loss %.4g -> %.4g", r.log.front().loss, r.log.back().loss);
  if (cfg.train.loss == fl::LossKind::CrossEntropy) std::printf(", test accuracy %.3f", r.test.accuracy);
  std::printf(", %.3g nJ/inference, %.3g uJ/update, %.1f s\n", r.report.energy_per_inference_j.value_or(0) * 1e9,
              r.report.energy_per_update_j.value_or(0) * 1e6, m["wall_s"].get<double>());
  std::cout << "wrote " << (out / "metrics.json").string() << ", energy.json and weights.npz\n";
  return 0;
}

int cmd_compare(const std::vector<std::string>& args) {
  po::options_description desc("eligo compare --config FILE [--out DIR] [--seed N]");
  std::string config, out;
  uint64_t seed = 0;
  desc.add_options()("help,h", "show this help")(
      "config,c", po::value<std::string>(&config)->required(), "run configuration (JSON)")(
      "out,o", po::value<std::string>(&out), "output directory (default: out/<config name>_compare)")(
      "seed,s", po::value<uint64_t>(&seed), "seed (default: the config's seed)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  po::notify(vm);
  io::RunConfig cfg = io::load_config(config);
  if (vm.count("seed")) cfg.seed = seed;
  if (cfg.train.algo != fl::Algo::EProp || cfg.train.update != fl::UpdateMode::PerBatch) {
    throw UsageError(cfg.source + ": train.algo: compare trains on chip with e-prop "
                     "(allowed: train.algo \"eprop\" with train.update \"per_batch\")");
  }
  if (out.empty()) out = "out/" + fs::path(config).stem().string() + "_compare";
  io::prepare_output_dir(out);  // before any work
  Run run = make_run(cfg);

  CompareContext ctx{cfg, run, run.weights};
  std::vector<analog::BackendRow> rows;
  for (const Backend& b : backends()) {
    if (!b.run) {
      analog::BackendRow row;
      row.backend = b.name;
      row.mode = "-";
      row.present = false;
      row.note = b.absent;
      rows.push_back(row);
      continue;
    }
    for (auto& r : b.run(ctx)) rows.push_back(std::move(r));
  }
  const json meta = {{"config", fs::absolute(config).string()},
                     {"seed", cfg.seed},
                     {"mismatch_seed", cfg.analog.mismatch_seed},
                     {"task_T", sequence_length(run)},
                     {"test_batches", cfg.task.test_batches},
                     {"iterations", cfg.train.iterations}};
  const std::string md = analog::compare_markdown(rows, "eligo compare: " + fs::path(config).filename().string());
  const fs::path dir(out);
  io::write_file_atomically((dir / "compare.json").string(), analog::compare_json(rows, meta).dump(2) + "\n");
  io::write_file_atomically((dir / "compare.md").string(), md);
  io::write_manifest(out, "compare", {"compare.json", "compare.md"});
  std::cout << md << "\nwrote " << (dir / "compare.json").string() << " and compare.md\n";
  return 0;
}

}  // namespace eligo::harness
