#include "harness/commands/chip_reckon.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "golden_model/quantize/quantize.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/tasks/reckon_cue.hpp"
#include "harness/commands/chip_report.hpp"
#include "harness/commands/progress.hpp"

namespace eligo::harness {

using nlohmann::json;

namespace {

// ReckOn's own figures on this data (its RTL under Verilator, epoch 1; the data set's README).
constexpr double kReckonTrainAcc = 0.64, kReckonTestAcc = 0.90, kReckonSecPerTrain = 7.1;

struct PassResult {
  int correct = 0, n = 0;
  double loss = 0.0, wall_s = 0.0;
  int64_t cycles = 0, timesteps = 0;
  double accuracy() const { return n ? static_cast<double>(correct) / n : 0.0; }
};

class ModelRunner : public SampleRunner {
 public:
  explicit ModelRunner(const chip::ChipImage& im) : core_(chip::make_core(im)) {}
  void set_learning(bool learn) override { core_.regs().learn = learn; }
  chip::SampleResult run(const tasks::Batch& b, int s, int lw, bool update) override {
    return chip::run_sample(core_, b, s, lw, update);
  }
  const chip::Core& core() const override { return core_; }

 private:
  chip::Core core_;
};

}  // namespace

RunnerScope model_runner() {
  return [](const chip::ChipImage& im, const std::function<void(SampleRunner&)>& body) {
    ModelRunner runner(im);
    body(runner);
  };
}

int run_reckon_cue(const ChipRun& r, const std::string& config_path, const std::string& out_dir,
                   int epochs_override, const RunnerScope& scope, const std::string& engine) {
  namespace fs = std::filesystem;
  const std::string& dir = r.reckon.data_dir;
  if (!fs::is_directory(dir)) {
    throw tasks::ReckonDataError(dir + ": no such directory (the ReckOn data: set task.data_dir in " + config_path +
                                 " or ELIGO_SHARED_DATA to the folder that holds reckon-cue-accumulation)");
  }
  const int epochs = epochs_override > 0 ? epochs_override : r.reckon.epochs;
  const tasks::ReckonFormat format;
  tasks::Batch train = tasks::read_reckon_dataset((fs::path(dir) / tasks::kReckonTrainFile).string(), format);
  tasks::Batch test = tasks::read_reckon_dataset((fs::path(dir) / tasks::kReckonTestFile).string(), format);
  tasks::encode_targets(train, r.target_off, r.target_on);
  tasks::encode_targets(test, r.target_off, r.target_on);
  const tasks::ReckonWeights q = tasks::read_reckon_weights(dir, format);

  // Initial weights w = q * weight_scale; B (random feedback only) drawn from the chip seed.
  const fl::Neurons neurons = fl::Neurons::from(r.cfg.net);
  fl::Weights w = fl::init_weights(neurons, r.opt.seed);
  w.w_in = q.w_in * r.reckon.weight_scale;
  w.w_rec = q.w_rec * r.reckon.weight_scale;
  w.w_out = q.w_out * r.reckon.weight_scale;
  const chip::ChipImage im = chip::quantize(neurons, w, r.opt);
  const int lw = tasks::reckon_learning_window(format);

  const auto t0 = std::chrono::steady_clock::now();
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  const long per_epoch = (r.train ? train.B : 0) + test.B;
  Progress progress("reckon", static_cast<long>(epochs) * per_epoch);
  long done = 0;
  auto pass = [&](SampleRunner& runner, const tasks::Batch& b, bool learn, int epoch, const char* what) {
    PassResult p;
    runner.set_learning(learn);
    for (int s = 0; s < b.B; ++s) {
      const auto ts = std::chrono::steady_clock::now();
      const chip::SampleResult res = runner.run(b, s, lw, learn);
      p.wall_s += seconds_since(ts);
      p.correct += res.predicted == res.label ? 1 : 0;
      p.loss += res.loss;
      p.cycles += res.cycles;
      p.timesteps += b.T;
      ++p.n;
      char buf[96];
      std::snprintf(buf, sizeof buf, "epoch %d %s %d/%d acc %.2f", epoch, what, s + 1, b.B, p.accuracy());
      progress.update(++done, buf);
    }
    return p;
  };

  json log = json::array();
  int64_t timesteps = 0;
  double last_test = 0.0;
  // The fields of one pass ("train" or "test") in the epoch's entry and its printed line.
  auto record = [](const PassResult& p, const std::string& what, json& entry, std::string& line) {
    entry[what + "_accuracy"] = p.accuracy();
    entry[what + "_loss"] = p.loss / p.n;
    entry["wall_s_per_" + what + "_sample"] = p.wall_s / p.n;
    entry["cycles_per_timestep_" + what] = static_cast<double>(p.cycles) / static_cast<double>(p.timesteps);
    char buf[96];
    std::snprintf(buf, sizeof buf, " %s %5.1f%% (%.3f s/sample)", what.c_str(), 100.0 * p.accuracy(), p.wall_s / p.n);
    line += buf;
  };
  json cycles, counters;
  scope(im, [&](SampleRunner& runner) {
  for (int e = 1; e <= epochs; ++e) {
    json entry = {{"epoch", e}, {"train_accuracy", nullptr}, {"wall_s_per_train_sample", nullptr}};
    std::string line = "epoch " + std::to_string(e) + ":";
    if (r.train) {
      const PassResult p = pass(runner, train, true, e, "train");
      timesteps += p.timesteps;
      record(p, "train", entry, line);
    }
    const PassResult p = pass(runner, test, false, e, "test");
    timesteps += p.timesteps;
    last_test = p.accuracy();
    record(p, "test", entry, line);
    log.push_back(entry);
    progress.finish();
    std::cout << line << std::endl;
  }
  cycles = cycles_json(runner.core());
  counters = counters_json(runner.core());
  });
  progress.finish();
  const double wall = seconds_since(t0);
  std::printf("ReckOn (its RTL, same data, epoch 1): train %.0f%% test %.0f%%, %.1f s per training sample\n",
              100.0 * kReckonTrainAcc, 100.0 * kReckonTestAcc, kReckonSecPerTrain);

  json report = {{"config", config_path},
                 {"task", "reckon_cue_accumulation"},
                 {"data_dir", dir},
                 {"mode", r.train ? "train" : "inference"},
                 {"weight_scale", r.reckon.weight_scale},
                 {"samples", {{"train", train.B}, {"test", test.B}}},
                 {"learning_window", lw},
                 {"epochs", log},
                 {"accuracy", last_test},
                 {"timesteps", timesteps},
                 {"engine", engine},
                 {"cycles", cycles},
                 {"counters", counters},
                 {"quantization_error", quant_errors_json(im.errors)},
                 {"sizes", {{"n_in", im.sizes.n_in}, {"n_rec", im.sizes.n_rec}, {"n_out", im.sizes.n_out},
                            {"n_alif", im.sizes.n_alif}, {"lanes", im.sizes.lanes}}},
                 {"reckon_reference", {{"epoch", 1}, {"train_accuracy", kReckonTrainAcc},
                                       {"test_accuracy", kReckonTestAcc},
                                       {"wall_s_per_train_sample", kReckonSecPerTrain}}},
                 {"wall_s", wall}};
  fs::create_directories(out_dir);
  const std::string path = (fs::path(out_dir) / "report.json").string();
  io::write_file_atomically(path, report.dump(2) + "\n");
  std::cout << "wrote " << path << "\n";
  return 0;
}

}  // namespace eligo::harness
