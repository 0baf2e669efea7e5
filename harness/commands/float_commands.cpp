// `eligo train` and `eligo grad`: the float reference driven from a config file.
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "golden_model/experiment/checkpoint.hpp"
#include "golden_model/experiment/neurobench.hpp"
#include "golden_model/experiment/run_setup.hpp"
#include "golden_model/float/objective.hpp"
#include "golden_model/float/trainer.hpp"
#include "golden_model/io/npy.hpp"
#include "harness/commands/analog_commands.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/image_commands.hpp"
#include "harness/commands/progress.hpp"

namespace po = boost::program_options;

namespace eligo::harness {

using experiment::Run;
using experiment::TestMetrics;
using experiment::evaluate_test;
using experiment::make_run;
using experiment::save_weights;

namespace {

struct CommonOptions {
  std::string config, out, algo, backend = "float", resume;
  std::optional<uint64_t> seed;
  std::optional<int> iterations;
  int checkpoint_every = 0;  // 0: no checkpoints
};

// Parses the options shared by train and grad; returns false if --help was printed.
bool parse_common(const std::vector<std::string>& args, const char* usage, bool algo_required,
                  bool allow_iterations, CommonOptions& o) {
  po::options_description desc(usage);
  uint64_t seed = 0;
  int iterations = 0;
  desc.add_options()("help,h", "show this help")(
      "config,c", po::value<std::string>(&o.config)->required(), "run configuration (JSON)")(
      "algo,a", po::value<std::string>(&o.algo),
      algo_required ? "bptt or eprop (required)" : "bptt or eprop (default: train.algo)")(
      "out,o", po::value<std::string>(&o.out), "output directory (default: out/<config name>)")(
      "seed,s", po::value<uint64_t>(&seed), "seed (default: the config's seed)");
  if (allow_iterations) {
    desc.add_options()("iterations,n", po::value<int>(&iterations),
                       "iterations (default: train.iterations)")(
        "backend,b", po::value<std::string>(&o.backend),
        "float (default) or analog: chip-in-the-loop e-prop on the analog-core model "
        "(config section `analog`, docs/analog.md)")(
        "checkpoint-every", po::value<int>(&o.checkpoint_every),
        "write OUT/checkpoint.npz every N iterations (float backend; docs/runs.md)")(
        "resume", po::value<std::string>(&o.resume),
        "continue the run of DIR from DIR/checkpoint.npz (same config and options; --out is DIR)");
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return false;
  }
  po::notify(vm);
  if (algo_required && o.algo.empty()) throw UsageError("the option '--algo' is required");
  if (!o.algo.empty() && o.algo != "bptt" && o.algo != "eprop") {
    throw UsageError("--algo: '" + o.algo + "' is not allowed (allowed: bptt, eprop)");
  }
  if (o.backend != "float" && o.backend != "analog") {
    throw UsageError("--backend: '" + o.backend + "' is not allowed (allowed: float, analog)");
  }
  if (vm.count("seed")) o.seed = seed;
  if (vm.count("iterations")) {
    if (iterations < 1) throw UsageError("--iterations: must be >= 1");
    o.iterations = iterations;
  }
  o.out = checkpoint_output(o.checkpoint_every, o.resume, o.out, !o.out.empty());
  if ((o.checkpoint_every > 0 || !o.resume.empty()) && o.backend != "float") {
    throw UsageError("--checkpoint-every and --resume apply to the float backend only");
  }
  if (o.out.empty()) o.out = "out/" + std::filesystem::path(o.config).stem().string();
  return true;
}

io::RunConfig load(const CommonOptions& o) {
  io::RunConfig cfg = io::load_config(o.config);
  if (o.algo == "bptt") cfg.train.algo = fl::Algo::BPTT;
  if (o.algo == "eprop") cfg.train.algo = fl::Algo::EProp;
  if (o.seed) cfg.seed = *o.seed;
  if (o.iterations) cfg.train.iterations = *o.iterations;
  return cfg;
}

const char* algo_name(fl::Algo a) { return a == fl::Algo::BPTT ? "bptt" : "eprop"; }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

int cmd_train(const std::vector<std::string>& args) {
  CommonOptions o;
  if (!parse_common(args,
                    "eligo train --config FILE [--algo bptt|eprop] [--backend float|analog] "
                    "[--out DIR] [--seed N] [--checkpoint-every N] [--resume DIR]",
                    false, true, o)) {
    return 0;
  }
  const std::string model = config_model(o.config);
  if (model == "mlp" || model == "clapp") {
    if (!o.algo.empty() || o.iterations || o.backend != "float" || o.checkpoint_every || !o.resume.empty()) {
      throw UsageError("--algo, --iterations, --backend, --checkpoint-every and --resume apply to LSNN configs only");
    }
    return model == "mlp" ? train_mlp_config(o.config, o.out, o.seed)
                          : train_clapp_config(o.config, o.out, o.seed);
  }
  const io::RunConfig cfg = load(o);
  if (!o.resume.empty()) io::check_resumable(o.resume, experiment::kCheckpointFile);
  io::prepare_output_dir(o.out);  // before any work
  if (o.backend == "analog") return train_analog(cfg, o.out);
  Run run = make_run(cfg);
  const auto t0 = std::chrono::steady_clock::now();
  // Checkpoints: the run's identity, the state after `done` iterations every --checkpoint-every.
  const std::string checkpoint = (std::filesystem::path(o.out) / experiment::kCheckpointFile).string();
  const experiment::RunIdentity id{io::crc32_of(io::read_file(o.config)), cfg.seed, static_cast<int>(cfg.train.algo),
                                   cfg.train.iterations};
  std::optional<fl::TrainResume> resume;
  if (!o.resume.empty()) {
    resume = experiment::read_float_checkpoint(checkpoint, id, run.neurons, run.weights);
    std::cout << "resumed from " << checkpoint << " after " << resume->done << " iterations\n";
  }
  fl::CheckpointFn after_iteration;
  if (o.checkpoint_every > 0) {
    after_iteration = [&](const fl::Weights& w, const fl::TrainResume& s) {
      if (s.done % o.checkpoint_every == 0 && s.done < cfg.train.iterations) {
        experiment::write_float_checkpoint(checkpoint, id, w, s);
      }
    };
  }
  Progress progress(std::string("train ") + algo_name(cfg.train.algo), cfg.train.iterations);
  const auto log = fl::train(run.neurons, run.weights, cfg.train, run.train_batch,
                             training_progress(progress, cfg.log_every, cfg.train.iterations), nullptr,
                             resume ? &*resume : nullptr, after_iteration);
  progress.finish();
  // Held-out evaluation with the trained weights.
  // (counting the spikes' synaptic operations for the NeuroBench metrics; the same steps)
  experiment::FloatWorkload workload;
  const fl::ForwardStep counting = experiment::float_counting_step(run.neurons, run.weights, workload);
  const TestMetrics test = evaluate_test(
      run, [&](const tasks::Batch& b) { return fl::evaluate(run.neurons, run.weights, cfg.train, b, counting); });
  const double test_acc = test.accuracy;
  const bool classification = test_acc >= 0;  // cross entropy, or MSE on a labelled task
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  nlohmann::json m = experiment::training_metrics(cfg, log, test);
  m["config"] = std::filesystem::absolute(o.config).string();
  m["neurobench"] = experiment::float_neurobench_json(run.neurons, run.weights, test.rate_hz, &workload);
  m["wall_s"] = wall;
  if (cfg.train.iterations > 0) m["wall_s_per_iteration"] = wall / cfg.train.iterations;

  const std::string weights_path = (std::filesystem::path(o.out) / "weights.npz").string();
  const std::string metrics_path = (std::filesystem::path(o.out) / "metrics.json").string();
  {
    // Time courses of the first test sequence with the trained weights, for plots.
    const fl::Recording rec = fl::record_sequence(run.neurons, run.weights, run.test_batch(0), 0);
    io::write_npz((std::filesystem::path(o.out) / "recording.npz").string(),
                  {{"x", io::from_matrix(rec.x)},
                   {"z", io::from_matrix(rec.z)},
                   {"v", io::from_matrix(rec.v)},
                   {"y", io::from_matrix(rec.y)},
                   {"target", io::from_matrix(rec.target)}});
  }
  io::write_file_atomically(metrics_path, m.dump(2) + "\n");
  // Last before the manifest: weights.npz alone (which init.weights and --weights read) is never
  // left by a killed run without the other files that mark its directory as a run
  // (io::check_run_input).
  save_weights(weights_path, run.weights);
  io::write_manifest(o.out, "train", {"weights.npz", "recording.npz", "metrics.json"});
  std::error_code ignored;  // the run is complete: its checkpoint is not needed any more
  std::filesystem::remove(checkpoint, ignored);

  std::cout << "train " << algo_name(cfg.train.algo) << ": " << cfg.train.iterations << " iterations";
  if (!log.empty()) {  // train.iterations 0: evaluate only
    std::cout << ", loss " << fmt("%.4g", log.front().loss) << " -> " << fmt("%.4g", log.back().loss);
  }
  if (classification) std::cout << ", test accuracy " << fmt("%.3f", test_acc);
  std::cout << ", " << fmt("%.1f", wall) << " s\n"
            << "wrote " << metrics_path << ", " << weights_path << " and recording.npz\n";
  return 0;
}

int cmd_grad(const std::vector<std::string>& args) {
  CommonOptions o;
  if (!parse_common(args, "eligo grad --config FILE --algo bptt|eprop --out DIR [--seed N]", true,
                    false, o)) {
    return 0;
  }
  const io::RunConfig cfg = load(o);
  io::prepare_output_dir(o.out);  // before any work
  const Run run = make_run(cfg);
  const fl::Gradients g =
      fl::compute_gradients(run.neurons, run.weights, cfg.train, run.train_batch(0));
  const std::string path = (std::filesystem::path(o.out) / "grads.npz").string();
  io::write_npz(path, {{"dW_in", io::from_matrix(g.w_in)},
                       {"dW_rec", io::from_matrix(g.w_rec)},
                       {"dW_out", io::from_matrix(g.w_out)}});
  io::write_manifest(o.out, "grad", {"grads.npz"});
  std::cout << "grad " << algo_name(cfg.train.algo) << ": loss " << fmt("%.6g", g.loss)
            << ", |dW_in| " << fmt("%.4g", g.w_in.norm()) << ", |dW_rec| "
            << fmt("%.4g", g.w_rec.norm()) << ", |dW_out| " << fmt("%.4g", g.w_out.norm())
            << "\nwrote " << path << "\n";
  return 0;
}

}  // namespace eligo::harness
