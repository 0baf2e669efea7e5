// eligo chip / eligo quantize: the bit-exact chip model (golden_model/chip) on a task. The chip
// config is described in golden_model/experiment/chip_config.hpp and docs/architecture.md.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "golden_model/quantize/quantize.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "golden_model/experiment/checkpoint.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/experiment/report.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_fields.hpp"
#include "golden_model/io/npy.hpp"
#include "harness/commands/chip_reckon.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/progress.hpp"

namespace eligo::harness {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

// printf-style formatting.
template <typename... A>
std::string fmt(const char* f, A... a) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a...);
  return buf;
}

struct Parsed {
  std::string config, out, weights, resume;
  int epochs = 0, checkpoint_every = 0;
  bool help = false;
};

// with_epochs: eligo chip's --epochs (the ReckOn task), --checkpoint-every and --resume.
Parsed parse(const std::vector<std::string>& args, const char* usage, const char* default_out,
             bool with_epochs = false) {
  po::options_description d(std::string("usage: ") + usage);
  Parsed p;
  d.add_options()("help,h", "show this help")("config", po::value(&p.config)->required(), "chip config (JSON)")(
      "out", po::value(&p.out)->default_value(default_out), "output directory")(
      "weights", po::value(&p.weights), "weights .npz (W_in, W_rec, W_out, B; replaces the float config's init.weights)");
  if (with_epochs) {
    d.add_options()("epochs", po::value(&p.epochs), "epochs of a task \"reckon_cue_accumulation\" (replaces task.epochs)")(
        "checkpoint-every", po::value(&p.checkpoint_every),
        "write OUT/checkpoint.bin every N training batches (ReckOn's task: every N epochs; docs/runs.md)")(
        "resume", po::value(&p.resume), "continue the run of DIR from DIR/checkpoint.bin (same config; --out is DIR)");
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(d).run(), vm);
  if (vm.count("help")) {
    std::cout << d;
    p.help = true;
    return p;
  }
  po::notify(vm);
  p.out = checkpoint_output(p.checkpoint_every, p.resume, p.out, !vm["out"].defaulted());
  return p;
}

}  // namespace

int cmd_quantize(const std::vector<std::string>& args) {
  const Parsed p = parse(args, "eligo quantize --config CHIP.json [--weights W.npz] [--out DIR]", "out/quantize");
  if (p.help) return 0;
  const experiment::ChipRun r = experiment::load_chip_config(p.config, p.weights);
  io::prepare_output_dir(p.out);  // before any work
  const chip::ChipImage im = experiment::make_chip_setup(r).image;
  chip::Core core = chip::make_core(im);
  json regs = json::object();
  for (const chip::spec::RegInfo& r : chip::spec::kRegs) {
    for (uint32_t a = r.addr; a < r.addr + 4u * static_cast<uint32_t>(r.count); a += 4) {
      bool err = false;
      const uint32_t v = core.apb_read(a, &err);
      if (!err) regs[fmt("0x%03x", a)] = v;
    }
  }
  const json out = {{"config", p.config}, {"quantization_error", experiment::quant_errors_json(im.errors)}, {"registers", regs}};
  io::write_file_atomically((std::filesystem::path(p.out) / "quantization.json").string(), out.dump(2) + "\n");
  auto words = [&core](chip::spec::Mem m) {
    const auto& w = core.mem(m).words();
    Eigen::MatrixXd x(static_cast<Eigen::Index>(w.size()), 1);
    for (size_t i = 0; i < w.size(); ++i) x(static_cast<Eigen::Index>(i), 0) = static_cast<double>(w[i]);
    return io::from_matrix(x);
  };
  io::write_npz((std::filesystem::path(p.out) / "memories.npz").string(),
                {{"W_IN", words(chip::spec::Mem::W_IN)}, {"W_REC", words(chip::spec::Mem::W_REC)},
                 {"W_OUT", words(chip::spec::Mem::W_OUT)}, {"B_FB", words(chip::spec::Mem::B_FB)}});
  io::write_manifest(p.out, "quantize", {"quantization.json", "memories.npz"});
  std::cout << "quantize: " << im.errors.size() << " quantities\n";
  for (const auto& e : im.errors) {
    std::cout << fmt("  %-16s %-8s rel rms %.3g  max abs %.3g  saturated %lld/%lld\n", e.quantity.c_str(),
                     e.format.c_str(), e.rel_rms, e.max_abs, static_cast<long long>(e.saturated),
                     static_cast<long long>(e.n));
  }
  std::cout << "wrote " << p.out << "/quantization.json and memories.npz\n";
  return 0;
}

int cmd_chip(const std::vector<std::string>& args) {
  const Parsed p = parse(args, "eligo chip --config CHIP.json [--weights W.npz] [--out DIR] [--epochs N] [--checkpoint-every N] [--resume DIR]", "out/chip", true);
  if (p.help) return 0;
  const experiment::ChipRun r = experiment::load_chip_config(p.config, p.weights);
  if (!p.resume.empty()) io::check_resumable(p.resume, experiment::kChipCheckpointFile);
  io::prepare_output_dir(p.out);  // before any work
  if (p.epochs < 0) throw UsageError("--epochs: " + std::to_string(p.epochs) + " (allowed: >= 1)");
  if (r.reckon.enabled) {
    return run_reckon_cue(r, p.config, p.out, p.epochs, model_port(), "model", {p.checkpoint_every, !p.resume.empty()});
  }
  if (p.epochs != 0) throw UsageError("--epochs: only with a chip config whose task is \"reckon_cue_accumulation\"");
  if ((p.checkpoint_every || !p.resume.empty()) && !r.train) {
    throw UsageError("--checkpoint-every and --resume: for a training run (mode \"train\") only");
  }
  const experiment::ChipSetup setup = experiment::make_chip_setup(r);
  const chip::ChipImage& im = setup.image;
  chip::Core core = chip::make_core(im);
  chip::ModelPort port(core);
  const auto t0 = std::chrono::steady_clock::now();
  experiment::Schedule sc = experiment::chip_schedule(r);
  sc.trace_first_test = true;  // the spike raster and readouts of the report
  // Checkpoints: the core and the result so far after every --checkpoint-every training batches.
  const std::string checkpoint = (std::filesystem::path(p.out) / experiment::kChipCheckpointFile).string();
  const experiment::ChipIdentity id = r.train ? experiment::chip_run_identity(p.config, r, r.iterations) : experiment::ChipIdentity{};
  std::optional<experiment::TrainTestResult> resumed;
  if (!p.resume.empty()) {
    resumed = experiment::read_chip_checkpoint(checkpoint, id, port);
    std::cout << "resumed from " << checkpoint << " after " << resumed->curve.size() << " batches\n";
  }
  experiment::Observer observer = loop_progress("chip", sc);
  if (p.checkpoint_every > 0) {
    observer.after_train_batch = [&](const experiment::TrainTestResult& so_far) {
      const int done = static_cast<int>(so_far.curve.size());
      if (done % p.checkpoint_every == 0 && done < sc.iterations) {
        experiment::write_chip_checkpoint(checkpoint, id, so_far, port.save_state());
      }
    };
  }
  const experiment::TrainTestResult res = experiment::train_test(port, setup.run.train_batch, setup.run.test_batch, sc,
                                                                 observer, resumed ? &*resumed : nullptr);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const json report = experiment::chip_report(p.config, r, setup, core, res, wall);
  const int64_t timesteps = report["timesteps"].get<int64_t>();
  const uint64_t total_cycles = report["cycles"]["total"].get<uint64_t>();
  const int total = res.test.n;
  std::filesystem::create_directories(p.out);
  const std::string path = (std::filesystem::path(p.out) / "report.json").string();
  io::write_file_atomically(path, report.dump(2) + "\n");
  io::write_manifest(p.out, "chip", {"report.json"});
  std::error_code ignored;  // the run is complete: its checkpoint is not needed any more
  std::filesystem::remove(checkpoint, ignored);
  std::cout << "chip " << (r.train ? "train" : "inference") << ": " << timesteps << " timesteps, "
            << total_cycles << " cycles (" << fmt("%.0f", report["cycles_per_timestep"].get<double>())
            << " per timestep), test accuracy " << fmt("%.3f", total ? res.test.accuracy() : 0.0)
            << ", " << fmt("%.0f", report["timesteps_per_s"].get<double>()) << " timesteps/s\nwrote " << path << "\n";
  return 0;
}

}  // namespace eligo::harness
