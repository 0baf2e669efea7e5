// eligo chip / eligo quantize: the bit-exact chip model (golden_model/chip) on a task. The chip
// config is described in chip_config.hpp and docs/architecture.md.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "golden_model/quantize/quantize.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "golden_model/energy/energy.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_fields.hpp"
#include "golden_model/io/npy.hpp"
#include "harness/commands/chip_config.hpp"
#include "harness/commands/chip_reckon.hpp"
#include "harness/commands/chip_report.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/progress.hpp"
#include "harness/commands/run_setup.hpp"

namespace eligo::harness {

namespace po = boost::program_options;
using nlohmann::json;

json quant_errors_json(const std::vector<chip::QuantError>& errs) {
  json out = json::object();
  for (const auto& e : errs) {
    out[e.quantity] = {{"format", e.format},   {"n", e.n},       {"saturated", e.saturated},
                       {"max_abs", e.max_abs}, {"rms", e.rms},   {"rel_rms", e.rel_rms}};
  }
  return out;
}

json counters_json(const chip::Core& core) {
  json c = json::object();
  for (int i = 0; i < chip::spec::NUM_COUNTERS; ++i) {
    c[chip::spec::kCounterNames[static_cast<size_t>(i)]] = core.counters().value[static_cast<size_t>(i)];
  }
  json mem = json::object();
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const auto id = static_cast<chip::spec::Mem>(m);
    mem[chip::spec::kMems[static_cast<size_t>(m)].name] = {{"reads", core.mem_reads(id)}, {"writes", core.mem_writes(id)}};
  }
  c["memory"] = mem;
  return c;
}

json cycles_json(const chip::Core& core) {
  json cycles = json::object();
  uint64_t total = 0;
  for (int ph = 0; ph < chip::spec::NUM_PHASES; ++ph) {
    const uint64_t c = core.counters()[chip::cycles_counter(static_cast<chip::spec::Phase>(ph))];
    cycles[chip::spec::kPhaseNames[static_cast<size_t>(ph)]] = c;
    total += c;
  }
  cycles["total"] = total;
  return cycles;
}

namespace {

// printf-style formatting.
template <typename... A>
std::string fmt(const char* f, A... a) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a...);
  return buf;
}

struct Parsed {
  std::string config, out, weights;
  int epochs = 0;
  bool help = false;
};

// with_epochs: eligo chip's --epochs (the ReckOn task).
Parsed parse(const std::vector<std::string>& args, const char* usage, const char* default_out,
             bool with_epochs = false) {
  po::options_description d(std::string("usage: ") + usage);
  Parsed p;
  d.add_options()("help,h", "show this help")("config", po::value(&p.config)->required(), "chip config (JSON)")(
      "out", po::value(&p.out)->default_value(default_out), "output directory")(
      "weights", po::value(&p.weights), "weights .npz (W_in, W_rec, W_out, B; replaces the float config's init.weights)");
  if (with_epochs) {
    d.add_options()("epochs", po::value(&p.epochs), "epochs of a task \"reckon_cue_accumulation\" (replaces task.epochs)");
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(d).run(), vm);
  if (vm.count("help")) {
    std::cout << d;
    p.help = true;
    return p;
  }
  po::notify(vm);
  return p;
}

}  // namespace

int cmd_quantize(const std::vector<std::string>& args) {
  const Parsed p = parse(args, "eligo quantize --config CHIP.json [--weights W.npz] [--out DIR]", "out/quantize");
  if (p.help) return 0;
  const ChipRun r = load_chip_config(p.config, p.weights);
  const Run run = make_run(r.cfg);
  const chip::ChipImage im = chip::quantize(run.neurons, run.weights, r.opt);
  std::filesystem::create_directories(p.out);
  chip::Core core = chip::make_core(im);
  json regs = json::object();
  for (const chip::spec::RegInfo& r : chip::spec::kRegs) {
    for (uint32_t a = r.addr; a < r.addr + 4u * static_cast<uint32_t>(r.count); a += 4) {
      bool err = false;
      const uint32_t v = core.apb_read(a, &err);
      if (!err) regs[fmt("0x%03x", a)] = v;
    }
  }
  const json out = {{"config", p.config}, {"quantization_error", quant_errors_json(im.errors)}, {"registers", regs}};
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
  const Parsed p = parse(args, "eligo chip --config CHIP.json [--weights W.npz] [--out DIR] [--epochs N]", "out/chip", true);
  if (p.help) return 0;
  const ChipRun r = load_chip_config(p.config, p.weights);
  if (p.epochs < 0) throw UsageError("--epochs: " + std::to_string(p.epochs) + " (allowed: >= 1)");
  if (r.reckon.enabled) return run_reckon_cue(r, p.config, p.out, p.epochs);
  if (p.epochs != 0) throw UsageError("--epochs: only with a chip config whose task is \"reckon_cue_accumulation\"");
  const Run run = make_run(r.cfg);
  const chip::ChipImage im = chip::quantize(run.neurons, run.weights, r.opt);
  chip::Core core = chip::make_core(im);
  const int lw = r.cfg.train.learning_window;
  const auto t0 = std::chrono::steady_clock::now();
  json curve = json::array();
  int64_t timesteps = 0;
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  auto phase_json = [](int64_t steps, double wall) {
    return json{{"timesteps", steps}, {"wall_s", wall}, {"timesteps_per_s", wall > 0 ? static_cast<double>(steps) / wall : 0.0}};
  };
  json phases = json::object();
  // Model time: run_sample only (task generation excluded), for the speed figures.
  double model_s = 0.0;
  auto timed_sample = [&](const tasks::Batch& b, int s, bool update, chip::SampleTrace* trace = nullptr) {
    const auto ts = std::chrono::steady_clock::now();
    chip::SampleResult res = chip::run_sample(core, b, s, lw, update, trace);
    model_s += seconds_since(ts);
    return res;
  };
  if (r.train) {
    Progress progress("chip train", r.iterations);
    for (int it = 0; it < r.iterations; ++it) {
      tasks::Batch b = tasks::materialize(run.train_batch(it));
      tasks::encode_targets(b, r.target_off, r.target_on);
      const int n = std::min(b.B, r.batch_size);
      double loss = 0.0;
      int correct = 0;
      for (int s = 0; s < n; ++s) {
        const chip::SampleResult res = timed_sample(b, s, s == n - 1);
        loss += res.loss;
        correct += res.predicted == res.label ? 1 : 0;
        timesteps += b.T;
      }
      curve.push_back({{"iteration", it}, {"loss", loss / n}, {"accuracy", static_cast<double>(correct) / n}});
      progress.update(it + 1, fmt("loss %.3f acc %.3f", loss / n, static_cast<double>(correct) / n));
    }
    progress.finish();
    phases["train"] = phase_json(timesteps, model_s);
  }
  const int64_t train_steps = timesteps;
  model_s = 0.0;
  core.regs().learn = false;
  double test_loss = 0.0;
  int correct = 0, total = 0;
  Progress progress("chip test", r.test_batches);
  chip::SampleTrace first;
  for (int k = 0; k < r.test_batches; ++k) {
    tasks::Batch b = tasks::materialize(run.test_batch(k));
    tasks::encode_targets(b, r.target_off, r.target_on);
    for (int s = 0; s < b.B; ++s) {
      // The first test sample is recorded (spike raster and readouts of the report).
      const chip::SampleResult res = timed_sample(b, s, false, k == 0 && s == 0 ? &first : nullptr);
      test_loss += res.loss;
      correct += res.predicted == res.label ? 1 : 0;
      ++total;
      timesteps += b.T;
    }
    progress.update(k + 1, "");
  }
  progress.finish();
  phases["test"] = phase_json(timesteps - train_steps, model_s);
  const double wall = seconds_since(t0);
  const json cycles = cycles_json(core);
  const uint64_t total_cycles = cycles["total"].get<uint64_t>();
  const bool classification = !run.test_batch(0).labels.empty() || r.cfg.task.kind == io::TaskKind::EvidenceAccumulation;
  json report = {{"config", p.config},
                 {"mode", r.train ? "train" : "inference"},
                 {"timesteps", timesteps},
                 {"cycles", cycles},
                 {"cycles_per_timestep", timesteps ? static_cast<double>(total_cycles) / static_cast<double>(timesteps) : 0.0},
                 {"counters", counters_json(core)},
                 {"loss", total ? test_loss / total : 0.0},
                 {"active_connections", {{"w_in", core.active_count(chip::spec::Mem::W_IN)},
                                         {"w_rec", core.active_count(chip::spec::Mem::W_REC)},
                                         {"w_out", core.active_count(chip::spec::Mem::W_OUT)}}},
                 {"overrun", core.status().overrun},
                 {"k_error", core.status().k_error},
                 {"quantization_error", quant_errors_json(im.errors)},
                 {"sizes", {{"n_in", im.sizes.n_in}, {"n_rec", im.sizes.n_rec}, {"n_out", im.sizes.n_out},
                            {"n_alif", im.sizes.n_alif}, {"lanes", im.sizes.lanes}}},
                 {"learning_curve", curve},
                 {"speed", phases},
                 {"wall_s", wall},
                 {"timesteps_per_s", wall > 0 ? static_cast<double>(timesteps) / wall : 0.0}};
  {
    const energy::Table table = energy::default_table();
    report["energy"] = energy::to_json(energy::estimate(table, im.sizes, energy::counts_of(core)), table);
  }
  {
    json spikes = json::array(), ys = json::array();
    for (size_t t = 0; t < first.spikes.size(); ++t) {
      spikes.push_back(first.spikes[t]);
      ys.push_back(first.y[t]);
    }
    report["first_test_sample"] = {{"spikes", spikes}, {"y", ys}};
  }
  report["accuracy"] = classification && total ? json(static_cast<double>(correct) / total) : json(nullptr);
  std::filesystem::create_directories(p.out);
  const std::string path = (std::filesystem::path(p.out) / "report.json").string();
  io::write_file_atomically(path, report.dump(2) + "\n");
  std::cout << "chip " << (r.train ? "train" : "inference") << ": " << timesteps << " timesteps, "
            << total_cycles << " cycles (" << fmt("%.0f", report["cycles_per_timestep"].get<double>())
            << " per timestep), test accuracy " << fmt("%.3f", total ? static_cast<double>(correct) / total : 0.0)
            << ", " << fmt("%.0f", report["timesteps_per_s"].get<double>()) << " timesteps/s\nwrote " << path << "\n";
  return 0;
}

}  // namespace eligo::harness
