#include "harness/commands/chip_reckon.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "golden_model/experiment/report.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/io/files.hpp"
#include "harness/commands/progress.hpp"

namespace eligo::harness {

using nlohmann::json;

namespace {

// ReckOn's own figures on this data (its RTL under Verilator, epoch 1; the data set's README).
constexpr double kReckonTrainAcc = 0.64, kReckonTestAcc = 0.90, kReckonSecPerTrain = 7.1;

}  // namespace

PortScope model_port() {
  return [](const chip::ChipImage& im, const std::function<void(chip::ChipPort&)>& body) {
    chip::Core core = chip::make_core(im);
    chip::ModelPort port(core);
    body(port);
  };
}

int run_reckon_cue(const experiment::ChipRun& r, const std::string& config_path, const std::string& out_dir,
                   int epochs_override, const PortScope& scope, const std::string& engine) {
  namespace fs = std::filesystem;
  const experiment::ReckonSetup setup = experiment::make_reckon_setup(r, config_path);
  const int epochs = epochs_override > 0 ? epochs_override : r.reckon.epochs;
  const auto t0 = std::chrono::steady_clock::now();

  // One epoch: the training set as one batch with UPDATE after every sample, then the test set.
  experiment::Schedule sc;
  sc.train = r.train;
  sc.iterations = 1;
  sc.batch_size = setup.train.B;
  sc.update_every_sample = true;
  sc.learning_on = true;
  sc.test_batches = 1;
  sc.learning_window = setup.learning_window;
  sc.trace_pre_steps = r.trace_pre_steps;
  const long per_epoch = (r.train ? setup.train.B : 0) + setup.test.B;
  Progress progress("reckon", static_cast<long>(epochs) * per_epoch);
  long done = 0;
  int epoch = 0;
  experiment::Observer obs;
  obs.on_sample = [&](bool train, int s, int n, const experiment::Tally& t) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "epoch %d %s %d/%d acc %.2f", epoch, train ? "train" : "test", s + 1, n,
                  t.accuracy());
    progress.update(++done, buf);
  };

  json log = json::array();
  int64_t timesteps = 0;
  double last_test = 0.0;
  // The fields of one pass ("train" or "test") in the epoch's entry and its printed line.
  auto record = [](const experiment::Tally& p, const std::string& what, json& entry, std::string& line) {
    entry[what + "_accuracy"] = p.accuracy();
    entry[what + "_loss"] = p.loss / p.n;
    entry["wall_s_per_" + what + "_sample"] = p.wall_s / p.n;
    entry["cycles_per_timestep_" + what] = static_cast<double>(p.cycles) / static_cast<double>(p.timesteps);
    char buf[96];
    std::snprintf(buf, sizeof buf, " %s %5.1f%% (%.3f s/sample)", what.c_str(), 100.0 * p.accuracy(), p.wall_s / p.n);
    line += buf;
  };
  json cycles, counters;
  scope(setup.image, [&](chip::ChipPort& port) {
    for (epoch = 1; epoch <= epochs; ++epoch) {
      const experiment::TrainTestResult res = experiment::train_test(
          port, [&](int) { return setup.train; }, [&](int) { return setup.test; }, sc, obs);
      if (!res.ok) throw std::runtime_error(port.failure());
      json entry = {{"epoch", epoch}, {"train_accuracy", nullptr}, {"wall_s_per_train_sample", nullptr}};
      std::string line = "epoch " + std::to_string(epoch) + ":";
      if (r.train) {
        timesteps += res.train.timesteps;
        record(res.train, "train", entry, line);
      }
      timesteps += res.test.timesteps;
      last_test = res.test.accuracy();
      record(res.test, "test", entry, line);
      log.push_back(entry);
      progress.finish();
      std::cout << line << std::endl;
    }
    cycles = experiment::cycles_json(port.model());
    counters = experiment::counters_json(port.model());
  });
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("ReckOn (its RTL, same data, epoch 1): train %.0f%% test %.0f%%, %.1f s per training sample\n",
              100.0 * kReckonTrainAcc, 100.0 * kReckonTestAcc, kReckonSecPerTrain);

  json report = {{"config", config_path},
                 {"task", "reckon_cue_accumulation"},
                 {"data_dir", r.reckon.data_dir},
                 {"mode", r.train ? "train" : "inference"},
                 {"weight_scale", r.reckon.weight_scale},
                 {"samples", {{"train", setup.train.B}, {"test", setup.test.B}}},
                 {"learning_window", setup.learning_window},
                 {"epochs", log},
                 {"accuracy", last_test},
                 {"timesteps", timesteps},
                 {"engine", engine},
                 {"cycles", cycles},
                 {"counters", counters},
                 {"quantization_error", experiment::quant_errors_json(setup.image.errors)},
                 {"sizes", experiment::sizes_json(setup.image.sizes)},
                 {"reckon_reference", {{"epoch", 1}, {"train_accuracy", kReckonTrainAcc},
                                       {"test_accuracy", kReckonTestAcc},
                                       {"wall_s_per_train_sample", kReckonSecPerTrain}}},
                 {"wall_s", wall}};
  fs::create_directories(out_dir);
  const std::string path = (fs::path(out_dir) / "report.json").string();
  io::write_file_atomically(path, report.dump(2) + "\n");
  io::write_manifest(out_dir, "chip", {"report.json"});
  std::cout << "wrote " << path << "\n";
  return 0;
}

}  // namespace eligo::harness
