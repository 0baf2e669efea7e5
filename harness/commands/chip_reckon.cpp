#include "harness/commands/chip_reckon.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "golden_model/experiment/checkpoint.hpp"
#include "golden_model/experiment/report.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/io/files.hpp"
#include "harness/commands/progress.hpp"

namespace eligo::harness {

using nlohmann::json;

namespace {

// ReckOn's own figures on this data (its RTL under Verilator, epoch 1; the data set's README).
constexpr double kReckonTrainAcc = 0.64, kReckonTestAcc = 0.90, kReckonSecPerTrain = 7.1;

// The identity of a run of the benchmark for its checkpoints: the CRC-32 of the config file, the
// samples and the chip image (weights from the data files, registers), the engine ("model" or the
// RTL engine's) and the epoch count.
experiment::ChipIdentity reckon_identity(const std::string& config_path, const experiment::ReckonSetup& setup,
                                         const std::string& engine, int epochs) {
  std::string bytes = io::read_file(config_path) + chip::make_core(setup.image).save_state() + engine;
  for (const tasks::Batch* b : {&setup.train, &setup.test}) {
    for (const Eigen::MatrixXd* m : {&b->x, &b->target}) {
      bytes.append(reinterpret_cast<const char*>(m->data()), static_cast<size_t>(m->size()) * sizeof(double));
    }
  }
  return {io::crc32_of(bytes), epochs};
}

}  // namespace

PortScope model_port() {
  return [](const chip::ChipImage& im, const std::function<void(chip::ChipPort&)>& body) {
    chip::Core core = chip::make_core(im);
    chip::ModelPort port(core);
    body(port);
  };
}

int run_reckon_cue(const experiment::ChipRun& r, const std::string& config_path, const std::string& out_dir,
                   int epochs_override, const PortScope& scope, const std::string& engine,
                   const EpochCheckpoints& checkpoints) {
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
  sc.adapt_block = r.opt.adapt_block;

  // Checkpoints between epochs: the tallies of the epochs done and the core's state.
  const std::string checkpoint = (fs::path(out_dir) / experiment::kChipCheckpointFile).string();
  std::vector<experiment::EpochTally> done_epochs;
  std::string resumed_state;
  experiment::ChipIdentity id;
  if (checkpoints.every > 0 || checkpoints.resume) id = reckon_identity(config_path, setup, engine, epochs);
  if (checkpoints.resume) {
    done_epochs = experiment::read_epochs_checkpoint(checkpoint, id, resumed_state);
    std::cout << "resumed from " << checkpoint << " after " << done_epochs.size() << " epochs" << std::endl;
  }

  const long per_epoch = (r.train ? setup.train.B : 0) + setup.test.B;
  Progress progress("reckon", static_cast<long>(epochs) * per_epoch);
  long done = static_cast<long>(done_epochs.size()) * per_epoch;
  int epoch = 0;
  experiment::Observer obs;
  obs.on_sample = [&](bool train, int s, int n, const experiment::Tally& t) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "epoch %d %s %d/%d acc %.2f", epoch, train ? "train" : "test", s + 1, n,
                  t.accuracy());
    progress.update(++done, buf);
  };

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
  json log = json::array();
  int64_t timesteps = 0;
  double last_test = 0.0;
  // The epoch's entry of the report (and its line, printed when it has just run).
  auto add_epoch = [&](int e, const experiment::EpochTally& t, bool print) {
    json entry = {{"epoch", e}, {"train_accuracy", nullptr}, {"wall_s_per_train_sample", nullptr}};
    std::string line = "epoch " + std::to_string(e) + ":";
    if (r.train) {
      timesteps += t.train.timesteps;
      record(t.train, "train", entry, line);
    }
    timesteps += t.test.timesteps;
    last_test = t.test.accuracy();
    record(t.test, "test", entry, line);
    log.push_back(entry);
    if (print) {
      progress.finish();
      std::cout << line << std::endl;
    }
  };
  for (size_t e = 0; e < done_epochs.size(); ++e) add_epoch(static_cast<int>(e) + 1, done_epochs[e], false);
  json cycles, counters, neurobench;
  scope(setup.image, [&](chip::ChipPort& port) {
    if (!resumed_state.empty()) {
      try {
        port.restore_state(resumed_state);
      } catch (const std::invalid_argument& e) {
        throw io::IoError(checkpoint + ": " + e.what());
      }
    }
    for (epoch = static_cast<int>(done_epochs.size()) + 1; epoch <= epochs; ++epoch) {
      const experiment::TrainTestResult res = experiment::train_test(
          port, [&](int) { return setup.train; }, [&](int) { return setup.test; }, sc, obs);
      if (!res.ok) throw std::runtime_error(port.failure());
      done_epochs.push_back({res.train, res.test});
      neurobench = experiment::neurobench_json(port.model(), res);  // of the last epoch's test
      add_epoch(epoch, done_epochs.back(), true);
      if (checkpoints.every > 0 && epoch % checkpoints.every == 0 && epoch < epochs) {
        experiment::write_epochs_checkpoint(checkpoint, id, done_epochs, port.save_state());
      }
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
                 {"neurobench", neurobench},
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
  std::error_code ignored;  // the run is complete: its checkpoint is not needed any more
  fs::remove(checkpoint, ignored);
  std::cout << "wrote " << path << "\n";
  return 0;
}

}  // namespace eligo::harness
