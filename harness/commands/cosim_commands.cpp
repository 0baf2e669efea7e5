// eligo cosim: the RTL in lock-step with the bit-exact model (systemc/cosim.hpp) on samples of
// the config's task. Inference configs run --samples samples of the first test batch; training
// configs (mode train) learn on chip as `eligo chip` does (iterations of batch_size samples,
// UPDATE at the end of each batch), then are tested on test_batches batches with learning off.
// Writes DIR/report.json; on the first divergence the run stops, the report names it, the window
// around it is replayed with tracing into DIR/mismatch.fst, and the exit status is 1.
#include <boost/program_options.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "golden_model/quantize/quantize.hpp"
#include "golden_model/energy/energy.hpp"
#include "golden_model/experiment/checkpoint.hpp"
#include "golden_model/energy/toggle.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/experiment/report.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/io/files.hpp"
#include "harness/commands/chip_reckon.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/progress.hpp"
#include "systemc/activity.hpp"
#include "systemc/cosim.hpp"
#include "systemc/cosim_run.hpp"
#include "systemc/hooks.hpp"
#include "systemc/random_cosim.hpp"
#include "systemc/rtl_models.hpp"
#include "systemc/stimulus.hpp"

namespace eligo::harness {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

struct CosimArgs {
  std::string config, out, engine, weights, record, replay;
  bool trace = false;
  int samples = 1;
  int iterations = -1;    // training: override of the config's iterations
  int test_samples = -1;  // training: test samples per test batch (-1: the whole batch)
  int epochs = 0;         // ReckOn benchmark: override of task.epochs
  std::vector<std::string> faults;
  bool activity = false;  // --activity: toggle counting (systemc/activity.hpp)
  int64_t random = 0;     // --random N: constrained-random timesteps per size (random_cosim.hpp)
  int64_t config_timesteps = 300;  // --random: timesteps per random configuration
  uint64_t seed = 1;
  std::string sizes;      // --random: one size configuration, NI-NR-NO-NA-LANES
  int checkpoint_every = 0;  // training: DIR/checkpoint.bin every N batches (ReckOn: epochs)
  std::string resume;        // training: continue the run of this directory from its checkpoint
};

// The run's options for the co-simulation library (systemc/cosim_run.hpp).
cosim::RunOptions run_options(const CosimArgs& a, const std::vector<cosim::Fault>& faults, const std::string& engine,
                              const std::string& fst, int64_t trace_from) {
  cosim::RunOptions o;
  o.engine = engine;
  o.samples = a.samples;
  o.iterations = a.iterations;
  o.test_samples = a.test_samples;
  o.faults = faults;
  o.record = a.record;
  o.trace = fst;
  o.trace_from = trace_from;
  return o;
}

// The RTL in lock-step with the model as the place where ReckOn's samples run; a mismatch
// (configuration, samples, counters) aborts the run with its description.
PortScope cosim_port(const std::string& engine) {
  return [engine](const chip::ChipImage& im, const std::function<void(chip::ChipPort&)>& body) {
    chip::Core model = chip::make_core(im);
    cosim::with_engine(engine, im.sizes, [&](cosim::Engine& rtl) {
      cosim::Cosim c(rtl, model);
      if (!c.configure()) throw std::runtime_error(c.failure());
      body(c);
      if (!c.check_counters()) throw std::runtime_error(c.failure());
    });
  };
}

// --replay: the recorded pins on the RTL alone; prints the simulation speed.
int replay_only(const experiment::ChipSetup& setup, const CosimArgs& a) {
  const chip::ChipImage& im = setup.image;
  const std::vector<cosim::PinsIn> pins = cosim::read_stimulus(a.replay);
  cosim::SpikeStream spikes;
  double wall = 0.0;
  cosim::with_engine(a.engine, im.sizes, [&](cosim::Engine& rtl) {
    const auto t0 = std::chrono::steady_clock::now();
    spikes = cosim::replay(rtl, pins);
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  });
  const json report = {{"engine", a.engine}, {"replay", a.replay}, {"cycles", pins.size()}, {"spikes", spikes.size()},
                       {"wall_s", wall}, {"sim_cycles_per_s", wall > 0 ? static_cast<double>(pins.size()) / wall : 0.0}};
  const std::string path = (std::filesystem::path(a.out) / "report.json").string();
  io::write_file_atomically(path, report.dump(2) + "\n");
  io::write_manifest(a.out, "cosim", {"report.json"});
  std::cout << "replay " << a.engine << ": " << pins.size() << " cycles, " << spikes.size() << " spikes, "
            << report["sim_cycles_per_s"].get<double>() << " cycles/s\nwrote " << path << "\n";
  return 0;
}

// --random N: constrained-random lock-step on every verilated size (or the config's), N
// timesteps each from --seed; DIR/report.json, one line per size, status 1 on a mismatch.
int run_random(const CosimArgs& a, const std::vector<chip::Sizes>& sizes) {
  json runs = json::array();
  int status = 0;
  for (size_t k = 0; k < sizes.size(); ++k) {
    cosim::RandomCosimOptions o;
    o.seed = a.seed + k;
    o.timesteps = a.random;
    o.config_timesteps = a.config_timesteps;
    // --record: one configuration (one reset, at the start), its pins for a replay.
    cosim::StimulusRecorder recorder;
    if (!a.record.empty()) {
      o.config_timesteps = a.random;
      o.hooks = {&recorder};
    }
    harness::Progress progress("random cosim " + cosim::describe(sizes[k]), static_cast<long>(o.timesteps));
    o.on_configuration = random_cosim_progress<cosim::RandomCosimResult>(progress, static_cast<long>(o.timesteps));
    const auto t0 = std::chrono::steady_clock::now();
    const cosim::RandomCosimResult r = cosim::run_random_cosim(sizes[k], o);
    progress.finish();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "random cosim " << cosim::describe(sizes[k]) << ", seed " << o.seed << ": " << r.configs
              << " configurations, " << r.timesteps << " timesteps, " << r.apb_checked << " APB accesses checked, "
              << (r.ok ? "0 mismatches" : "MISMATCH") << " (" << wall << " s)" << std::endl;
    if (!r.ok) {
      std::cout << r.failure << std::endl;
      status = 1;
    }
    runs.push_back({{"sizes", cosim::describe(sizes[k])}, {"seed", o.seed}, {"configs", r.configs},
                    {"samples", r.samples}, {"timesteps", r.timesteps}, {"rtl_cycles", r.rtl_cycles},
                    {"writes_compared", r.writes_compared}, {"apb_checked", r.apb_checked},
                    {"busy_input", r.busy_input}, {"busy_waited", r.busy_waited}, {"overruns", r.overruns},
                    {"k_errors", r.k_errors}, {"write_hash", r.write_hash.hex()}, {"mismatches", r.ok ? 0 : 1},
                    {"failure", r.ok ? json(nullptr) : json(r.failure)}, {"wall_s", wall}});
    if (!a.record.empty()) cosim::write_stimulus(a.record, recorder.inputs());
    if (!r.ok) break;
  }
  const std::string path = (std::filesystem::path(a.out) / "report.json").string();
  io::write_file_atomically(path, json({{"random", runs}}).dump(2) + "\n");
  io::write_manifest(a.out, "cosim", {"report.json"});
  std::cout << "wrote " << path << "\n";
  return status;
}

}  // namespace

int cmd_cosim(const std::vector<std::string>& args) {
  CosimArgs a;
  po::options_description d(
      "usage: eligo cosim --config CHIP.json [--engine systemc|cc] [--out DIR] [--trace] [--samples N]\n"
      "                   | --random N [--seed S] [--config-timesteps T] [--config CHIP.json | --sizes NI-NR-NO-NA-L[-f]]\n"
      "                     [--record F] [--out DIR]\n"
      "                   [--iterations N] [--test-samples N] [--weights W.npz] [--inject-fault MEMORY:ADDRESS:BIT@TIMESTEP ...]\n"
      "                   [--checkpoint-every N] [--resume DIR]   (training, --engine cc)");
  d.add_options()("help,h", "show this help")("config", po::value(&a.config), "chip config (JSON)")(
      "engine", po::value(&a.engine)->default_value("systemc"), "systemc (Verilator --sc) or cc (--cc)")(
      "out", po::value(&a.out)->default_value("out/cosim"), "output directory")(
      "trace", po::bool_switch(&a.trace), "write DIR/trace.fst of the whole run")(
      "samples", po::value(&a.samples)->default_value(1), "inference: samples of the task's first test batch")(
      "iterations", po::value(&a.iterations), "training: iterations (overrides the config's)")(
      "test-samples", po::value(&a.test_samples), "training: test samples per test batch (default: all)")(
      "epochs", po::value(&a.epochs), "ReckOn cue-accumulation task: epochs (overrides task.epochs)")(
      "weights", po::value(&a.weights), "weights .npz (replaces the float config's init.weights)")(
      "inject-fault", po::value(&a.faults)->composing(), "flip a bit of an RTL memory at a timestep")(
      "record", po::value(&a.record), "write the run's input pins, cycle by cycle, to FILE (stimulus.hpp)")(
      "replay", po::value(&a.replay), "replay a recorded FILE on the RTL alone (no model, no checks)")(
      "activity", po::bool_switch(&a.activity),
      "count toggles on the --cc model: DIR/activity.saif and DIR/activity.json (energy from toggles)")(
      "random", po::value(&a.random),
      "constrained-random lock-step (cc engine): N timesteps of random configurations on every verilated size "
      "(only the config's sizes with --config)")(
      "seed", po::value(&a.seed)->default_value(1), "--random: seed (size k of the run uses seed + k)")(
      "config-timesteps", po::value(&a.config_timesteps)->default_value(300),
      "--random: about this many timesteps per random configuration (a fresh draw of registers and memories)")(
      "sizes", po::value(&a.sizes), "--random: only this verilated size, NI-NR-NO-NA-LANES[-f] (e.g. 20-10-2-5-2; -f: factored traces only)")(
      "checkpoint-every", po::value(&a.checkpoint_every),
      "training with --engine cc: write OUT/checkpoint.bin (the model's and the RTL's state) every N training "
      "batches (ReckOn's task: every N epochs; docs/runs.md)")(
      "resume", po::value(&a.resume), "continue the run of DIR from DIR/checkpoint.bin (same config; --out is DIR)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(d).run(), vm);
  if (vm.count("help")) {
    std::cout << d;
    return 0;
  }
  po::notify(vm);
  if (vm.count("random")) {
    if (a.random < 1) throw UsageError("--random must be >= 1 (timesteps per size)");
    if (a.config_timesteps < 1) throw UsageError("--config-timesteps must be >= 1 (timesteps per random configuration)");
    if (!a.record.empty() && !vm["config-timesteps"].defaulted()) {
      throw UsageError("--config-timesteps: not with --record (a recording is one configuration)");
    }
    for (const char* opt : {"engine", "trace", "samples", "iterations", "test-samples", "epochs", "weights",
                            "inject-fault", "replay", "activity", "checkpoint-every", "resume"}) {
      if (vm.count(opt) && !vm[opt].defaulted()) throw UsageError(std::string("--") + opt + ": not with --random");
    }
    if (!a.config.empty() && !a.sizes.empty()) throw UsageError("--random: --config or --sizes, not both");
    std::vector<chip::Sizes> sizes = cosim::built_rtl_configurations();
    if (!a.config.empty()) sizes = {experiment::make_chip_setup(experiment::load_chip_config(a.config, "")).image.sizes};
    if (!a.sizes.empty()) {
      int v[5];
      int end = 0;
      // NI-NR-NO-NA-LANES, "-f" appended for the factored-only core (no per-synapse traces).
      const bool ok = std::sscanf(a.sizes.c_str(), "%d-%d-%d-%d-%d%n", &v[0], &v[1], &v[2], &v[3], &v[4], &end) == 5;
      const std::string tail = ok ? a.sizes.substr(static_cast<size_t>(end)) : "";
      if (!ok || (!tail.empty() && tail != "-f")) {
        throw UsageError("--sizes " + a.sizes + ": expected NI-NR-NO-NA-LANES[-f], e.g. 20-10-2-5-2 or 20-10-2-5-2-f");
      }
      sizes = {chip::Sizes(v[0], v[1], v[2], v[3], v[4], tail.empty())};
    }
    if (!a.record.empty() && sizes.size() != 1) throw UsageError("--record with --random: one size (--config or --sizes)");
    io::prepare_output_dir(a.out);
    return run_random(a, sizes);
  }
  if (!vm["seed"].defaulted() || vm.count("sizes") || !vm["config-timesteps"].defaulted()) {
    throw UsageError("--seed, --sizes, --config-timesteps: only with --random");
  }
  if (a.config.empty()) throw UsageError("--config is required (or --random N)");
  if (a.samples < 1) throw UsageError("--samples must be >= 1");
  if (a.activity) {
    if (!a.replay.empty() || a.trace || (!vm["engine"].defaulted() && a.engine != "cc")) {
      throw UsageError("--activity counts toggles on the --cc model (verilated without tracing) in a co-simulation: "
                       "not with --replay, --trace or --engine " + a.engine);
    }
    a.engine = "cc";
  }
  const bool checkpoints = vm.count("checkpoint-every") || vm.count("resume");
  if (checkpoints) {
    a.out = checkpoint_output(a.checkpoint_every, a.resume, a.out, !vm["out"].defaulted());
    if (a.engine != "cc") {
      throw UsageError("--checkpoint-every and --resume: with --engine cc (the cc engine saves the RTL's state; "
                       "the SystemC kernel's cannot be)");
    }
    for (const char* opt : {"trace", "record", "replay", "activity", "inject-fault"}) {
      if (vm.count(opt) && !vm[opt].defaulted()) {
        throw UsageError(std::string("--") + opt + ": not with --checkpoint-every or --resume");
      }
    }
  }
  const experiment::ChipRun r = experiment::load_chip_config(a.config, a.weights);
  for (const char* opt : {"iterations", "test-samples"}) {
    if (vm.count(opt) && (!r.train || vm[opt].as<int>() < 0)) {
      throw UsageError(std::string("--") + opt + ": only with a training config (mode train), and >= 0");
    }
  }
  if (checkpoints && !r.train) {
    throw UsageError("--checkpoint-every and --resume: for a training run (mode \"train\") only");
  }
  if (!a.resume.empty()) io::check_resumable(a.resume, experiment::kChipCheckpointFile);
  io::prepare_output_dir(a.out);  // before any work
  if (!a.replay.empty()) return replay_only(experiment::make_chip_setup(r), a);
  if (r.reckon.enabled) {
    if (a.engine != "systemc" && a.engine != "cc") throw UsageError("--engine " + a.engine + " (allowed: systemc, cc)");
    return run_reckon_cue(r, a.config, a.out, a.epochs, cosim_port(a.engine), a.engine,
                          {a.checkpoint_every, !a.resume.empty()});
  }
  const experiment::ChipSetup setup = experiment::make_chip_setup(r);
  const std::string trace = (std::filesystem::path(a.out) / "trace.fst").string();
  if (a.engine != "systemc" && a.engine != "cc") throw UsageError("--engine " + a.engine + " (allowed: systemc, cc)");
  std::vector<cosim::Fault> faults;
  for (const auto& f : a.faults) faults.push_back(cosim::parse_fault(f, setup.image.sizes));
  if (a.samples > setup.run.test_batch(0).B) {
    throw UsageError("--samples " + std::to_string(a.samples) + " (allowed: 1 .. " +
                     std::to_string(setup.run.test_batch(0).B) + ", the task's batch size)");
  }
  cosim::RunOptions o = run_options(a, faults, a.activity ? cosim::kActivityEngine : a.engine, trace, a.trace ? 0 : -1);
  if (checkpoints) {
    o.checkpoint = (std::filesystem::path(a.out) / experiment::kChipCheckpointFile).string();
    o.checkpoint_id = experiment::chip_run_identity(a.config, r, cosim::cosim_schedule(r, o).iterations,
                                                    "cosim " + a.engine + " test-samples " + std::to_string(a.test_samples));
    o.checkpoint_every = a.checkpoint_every;
    o.resume = !a.resume.empty();
  }
  const experiment::Observer progress = Progress::on_terminal()
                                            ? loop_progress("cosim " + o.engine, cosim::cosim_schedule(r, o))
                                            : experiment::Observer{};
  const cosim::RunResult res = cosim::run_cosim(r, setup, o, progress);
  std::string window;
  if (res.mismatch && !a.trace) {
    // Deterministic replay with tracing from two timesteps before the divergence, on the --cc
    // engine (a process elaborates SystemC once; both engines run the same RTL cycle by cycle).
    // A resumed run replays from its checkpoint (the last one written before the divergence).
    window = (std::filesystem::path(a.out) / "mismatch.fst").string();
    cosim::RunOptions from = run_options(a, faults, "cc", window, std::max<int64_t>(0, res.mismatch->timestep - 2));
    from.checkpoint = o.checkpoint;
    from.checkpoint_id = o.checkpoint_id;
    from.resume = o.resume;
    from.announce_resume = false;
    cosim::run_cosim(r, setup, from);
  }
  json report = cosim::report_json(a.config, a.engine, r, res, a.faults,
                                   a.trace ? json(trace) : (window.empty() ? json(nullptr) : json(window)));
  std::string activity_lines;
  if (res.toggles) {
    const json act = cosim::write_activity(a.out, *res.toggles, res.counts, r.energy);
    report["activity"] = {{"json", (std::filesystem::path(a.out) / "activity.json").string()}, {"saif", act["saif"]},
                          {"toggles", act["toggles"]}, {"dynamic_pj", act["dynamic_pj"]}};
    const json& ev = act["event_based"];
    const double ev_mem = ev["by_unit"].value("memory", 0.0);
    char b[512];
    std::snprintf(b, sizeof b,
                  "activity: %llu toggles (%.1f per cycle); dynamic energy from toggles %.4g nJ, event-based "
                  "%.4g nJ (datapath %.4g nJ + SRAM accesses %.4g nJ)\ntoggles per unit:",
                  static_cast<unsigned long long>(act["toggles"].get<uint64_t>()), act["toggles_per_cycle"].get<double>(),
                  act["dynamic_pj"].get<double>() * 1e-3, ev["dynamic_pj"].get<double>() * 1e-3,
                  (ev["dynamic_pj"].get<double>() - ev_mem) * 1e-3, ev_mem * 1e-3);
    activity_lines = b;
    for (auto it = act["by_unit"].begin(); it != act["by_unit"].end(); ++it) {
      activity_lines += " " + it.key() + " " + std::to_string(it.value()["toggles"].get<uint64_t>());
    }
    activity_lines += "\ntoggles against events per unit (event-based before dynamic_overhead / toggle-based):";
    for (auto it = act["agreement"].begin(); it != act["agreement"].end(); ++it) {
      const json& u = it.value();
      if (u["relation"] == energy::kTogglesOnly) continue;
      char c[160];
      std::snprintf(c, sizeof c, " %s %.3g (%s%s)", it.key().c_str(), u["ratio"].get<double>(),
                    u["relation"].get<std::string>().c_str(), u["holds"].get<bool>() ? "" : ": DOES NOT HOLD");
      activity_lines += c;
    }
    activity_lines += "\nwrote " + act["saif"].get<std::string>() + " and " + report["activity"]["json"].get<std::string>() + "\n";
  }
  const std::string path = (std::filesystem::path(a.out) / "report.json").string();
  io::write_file_atomically(path, report.dump(2) + "\n");
  std::vector<std::string> files = {"report.json"};
  if (a.trace) files.push_back("trace.fst");
  if (!window.empty()) files.push_back("mismatch.fst");
  if (res.toggles) files.insert(files.end(), {"activity.json", "activity.saif"});
  io::write_manifest(a.out, "cosim", files);
  if (checkpoints) {
    std::error_code ignored;  // the run is complete: its checkpoint is not needed any more
    std::filesystem::remove(o.checkpoint, ignored);
  }
  char line[256];
  std::snprintf(line, sizeof line, "cosim %s: %lld timesteps, %llu RTL cycles, %.0f cycles/s, %d mismatches\n",
                a.engine.c_str(), static_cast<long long>(res.stats.timesteps),
                static_cast<unsigned long long>(res.rtl_cycles), report["sim_cycles_per_s"].get<double>(),
                res.mismatch ? 1 : 0);
  std::cout << line;
  std::cout << "cycles per phase:";
  for (int p = 0; p < chip::spec::NUM_PHASES; ++p) {
    if (res.stats.phase_cycles[static_cast<size_t>(p)]) {
      std::cout << " " << chip::spec::kPhaseNames[static_cast<size_t>(p)] << " "
                << res.stats.phase_cycles[static_cast<size_t>(p)];
    }
  }
  std::cout << "\n";
  if (r.train && !res.test.is_null()) {
    std::snprintf(line, sizeof line,
                  "on-chip learning: %d iterations, %.2f s per training sample; test accuracy RTL %.3f, model %.3f "
                  "(%d samples)\n",
                  static_cast<int>(res.learning_curve.size()), res.wall_s_per_train_sample,
                  res.test["rtl"]["accuracy"].get<double>(), res.test["model"]["accuracy"].get<double>(),
                  res.test["samples"].get<int>());
    std::cout << line;
  }
  if (res.mismatch) {
    const auto& m = *res.mismatch;
    std::cout << "FIRST MISMATCH (" << cosim::to_string(m.kind) << ") at timestep " << m.timestep << ", cycle " << m.cycle << ", phase "
              << m.phase << (m.unit.empty() ? "" : " (" + m.unit + ")") << ", memory " << m.memory << ", address " << m.address << ": expected " << m.expected
              << ", actual " << m.actual << " (" << m.detail << ")\nwaveform: " << window << "\n";
  }
  std::cout << activity_lines << "wrote " << path << "\n";
  return res.mismatch ? 1 : 0;
}

}  // namespace eligo::harness
