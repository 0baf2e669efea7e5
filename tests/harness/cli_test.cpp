// The eligo program end to end: bad input gives one clear line and a non-zero exit; runs are
// deterministic; train/grad write what the command-line contract promises.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "golden_model/io/npy.hpp"
#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;

namespace {

using Result = eligo::testing::CommandResult;
Result run(const std::string& args) { return eligo::testing::run_eligo(args); }

class Cli : public eligo::testing::ScratchDirTest {
 protected:
  // A small, fast config (pattern generation, 10 inputs, 8 LIF, T = 50).
  nlohmann::json small_config() {
    return nlohmann::json::parse(R"({
      "seed": 3,
      "network": {"n_in": 10, "n_out": 1, "lif": {"n": 8, "thr": 0.03, "n_ref": 0},
                  "alif": {"n": 4, "beta": 0.0174}, "input_scaling": "one_minus_alpha"},
      "task": {"type": "pattern_generation", "n_in": 10, "T": 50},
      "train": {"algo": "eprop", "iterations": 3, "batch_size": 2, "loss": "mse",
                "feedback": "random"}
    })");
  }
  std::string write_config(const nlohmann::json& j, const std::string& name = "c.json") {
    return write(name, j.dump(2));
  }
};

// One line of error, naming what is wrong, and a non-zero exit.
void expect_one_line_error(const Result& r, const std::string& phrase) {
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(phrase), std::string::npos) << "missing '" << phrase << "' in: " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST_F(Cli, HelpForEveryCommand) {
  const Result top = run("--help");
  EXPECT_EQ(top.status, 0);
  for (const char* cmd : {"train", "grad"}) {
    EXPECT_NE(top.output.find(cmd), std::string::npos);
    const Result r = run(std::string(cmd) + " --help");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("--config"), std::string::npos) << r.output;
  }
  EXPECT_EQ(run("nosuchcommand").status, 2);
}

TEST_F(Cli, MalformedJson) {
  const std::string cfg = write("bad.json", "{ \"seed\": 1, \"network\": { ");
  expect_one_line_error(run("train --config " + cfg), "bad.json");
}

TEST_F(Cli, UnknownKey) {
  auto j = small_config();
  j["train"]["learning_rate"] = 0.1;
  const Result r = run("train --config " + write_config(j));
  expect_one_line_error(r, "train.learning_rate");
  EXPECT_NE(r.output.find("c.json"), std::string::npos);
}

TEST_F(Cli, NegativeTimeConstant) {
  auto j = small_config();
  j["network"]["lif"]["tau_m_ms"] = -5;
  const Result r = run("train --config " + write_config(j));
  expect_one_line_error(r, "network.lif.tau_m_ms");
  EXPECT_NE(r.output.find("allowed"), std::string::npos) << r.output;
}

TEST_F(Cli, WeightsOfWrongShape) {
  auto j = small_config();
  const std::string w = (dir_ / "w.npz").string();
  eligo::io::write_npz(w, {{"W_in", eligo::io::from_matrix(Eigen::MatrixXd::Zero(10, 12))},
                           {"W_rec", eligo::io::from_matrix(Eigen::MatrixXd::Zero(12, 12))},
                           {"W_out", eligo::io::from_matrix(Eigen::MatrixXd::Zero(1, 12))}});
  j["init"]["weights"] = w;
  const Result r = run("train --config " + write_config(j));
  expect_one_line_error(r, "W_in");
  EXPECT_NE(r.output.find("(12, 10)"), std::string::npos) << r.output;
}

TEST_F(Cli, InputRasterOfWrongDtype) {
  auto j = small_config();
  // A .npy of complex numbers: header by hand.
  std::string header = "{'descr': '<c16', 'fortran_order': False, 'shape': (1, 5, 10), }";
  header.append(118 - header.size(), ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += char(header.size() & 0xff);
  bytes += char(header.size() >> 8);
  bytes += header + std::string(16 * 50, '\0');
  const std::string x = write("x.npy", bytes);
  eligo::io::NdArray y;
  y.shape = {1, 5, 1};
  y.data.assign(5, 0.0);
  eligo::io::write_npy((dir_ / "y.npy").string(), y);
  j["task"] = {{"type", "files"}, {"inputs", x}, {"targets", (dir_ / "y.npy").string()}};
  expect_one_line_error(run("train --config " + write_config(j)), "<c16");
}

TEST_F(Cli, TargetsOfWrongShape) {
  auto j = small_config();
  eligo::io::NdArray x, y;
  x.shape = {2, 5, 10};
  x.data.assign(100, 0.0);
  y.shape = {2, 5, 3};
  y.data.assign(30, 0.0);
  eligo::io::write_npy((dir_ / "x.npy").string(), x);
  eligo::io::write_npy((dir_ / "y.npy").string(), y);
  j["task"] = {{"type", "files"}, {"inputs", (dir_ / "x.npy").string()},
               {"targets", (dir_ / "y.npy").string()}};
  expect_one_line_error(run("train --config " + write_config(j)), "task.targets");
}

// Boundary values the schema allows work or are refused (issue 16): train.iterations 0 evaluates
// only (it segfaulted), a files task with no sequences (divided by zero) or with T = 0 (segfaulted)
// is refused naming the key.
TEST_F(Cli, ZeroIterationsEvaluatesOnly) {
  auto j = small_config();
  j["train"]["iterations"] = 0;
  const std::string cfg = write_config(j);
  for (const std::string backend : {"float", "analog"}) {
    SCOPED_TRACE(backend);
    const std::string out = (dir_ / backend).string();
    const Result r = run("train --config " + cfg + " --backend " + backend + " --out " + out);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("0 iterations"), std::string::npos) << r.output;
    const auto m = eligo::testing::read_json(out + "/metrics.json");
    EXPECT_EQ(m["loss"].size(), 0u);
    ASSERT_TRUE(m["test"]["loss"].is_number()) << m.dump();
    EXPECT_GT(m["test"]["loss"].get<double>(), 0.0);
  }
}

TEST_F(Cli, FilesTaskWithoutSequencesOrSteps) {
  for (const std::vector<size_t>& shape : {std::vector<size_t>{0, 5, 10}, std::vector<size_t>{2, 0, 10}}) {
    eligo::io::NdArray x, y;
    x.shape = shape;
    y.shape = {shape[0], shape[1], 1};
    eligo::io::write_npy((dir_ / "x.npy").string(), x);
    eligo::io::write_npy((dir_ / "y.npy").string(), y);
    auto j = small_config();
    j["task"] = {{"type", "files"}, {"inputs", (dir_ / "x.npy").string()}, {"targets", (dir_ / "y.npy").string()}};
    expect_one_line_error(run("train --config " + write_config(j)),
                          shape[0] == 0 ? "task.inputs: array shape (0, 5, 10) holds no sequences"
                                        : "task.inputs: array shape (2, 0, 10) holds sequences of length 0");
  }
}

// NaN/Inf in weights, input rasters or targets, and non-0/1 spikes were taken silently (NaN
// weights, null losses; issue 16): each is an error naming the file and the element.
TEST_F(Cli, NonFiniteValuesAndNonSpikesAreRefused) {
  const std::string x = (dir_ / "x.npy").string(), y = (dir_ / "y.npy").string();
  auto files_task = [&](double x_value, double y_value) {
    eligo::io::NdArray xa, ya;
    xa.shape = {2, 5, 10};
    xa.data.assign(100, 0.0);
    xa.data[17] = x_value;  // element (0, 1, 7)
    ya.shape = {2, 5, 1};
    ya.data.assign(10, 0.0);
    ya.data[6] = y_value;  // element (1, 1, 0)
    eligo::io::write_npy(x, xa);
    eligo::io::write_npy(y, ya);
    auto j = small_config();
    j["task"] = {{"type", "files"}, {"inputs", x}, {"targets", y}};
    return write_config(j);
  };
  expect_one_line_error(run("train --config " + files_task(0.5, 0.0)),
                        x + ": element (0, 1, 7) is 0.5 (allowed: spikes, 0 or 1)");
  expect_one_line_error(run("train --config " + files_task(std::nan(""), 0.0)), x + ": element (0, 1, 7) is nan");
  expect_one_line_error(run("train --config " + files_task(1.0, INFINITY)),
                        y + ": element (1, 1, 0) is inf (allowed: finite numbers, no NaN or infinity)");
  // A NaN weight.
  const std::string w = (dir_ / "w.npz").string();
  Eigen::MatrixXd w_rec = Eigen::MatrixXd::Zero(12, 12);
  w_rec(2, 3) = std::nan("");
  eligo::io::write_npz(w, {{"W_in", eligo::io::from_matrix(Eigen::MatrixXd::Zero(12, 10))},
                           {"W_rec", eligo::io::from_matrix(w_rec)},
                           {"W_out", eligo::io::from_matrix(Eigen::MatrixXd::Zero(1, 12))}});
  auto j = small_config();
  j["init"]["weights"] = w;
  expect_one_line_error(run("train --config " + write_config(j)), w + ": W_rec: element (2, 3) is nan");
}

TEST_F(Cli, TruncatedNpz) {
  auto j = small_config();
  const std::string w = (dir_ / "w.npz").string();
  eligo::io::write_npz(w, {{"W_in", eligo::io::from_matrix(Eigen::MatrixXd::Zero(12, 10))}});
  fs::resize_file(w, fs::file_size(w) / 2);
  j["init"]["weights"] = w;
  expect_one_line_error(run("train --config " + write_config(j)), "w.npz");
}

TEST_F(Cli, TrainWritesMetricsAndWeightsDeterministically) {
  const std::string cfg = write_config(small_config());
  const std::string a = (dir_ / "a").string(), b = (dir_ / "b").string();
  ASSERT_EQ(run("train --config " + cfg + " --out " + a).status, 0);
  ASSERT_EQ(run("train --config " + cfg + " --out " + b).status, 0);
  const auto m = eligo::testing::read_json(a + "/metrics.json");
  for (const char* key : {"algo", "iterations", "loss", "firing_rate_hz", "wall_s"}) {
    EXPECT_TRUE(m.contains(key)) << key;
  }
  EXPECT_EQ(m["algo"], "eprop");
  EXPECT_EQ(m["loss"].size(), 3u);
  const auto wa = eligo::io::read_npz(a + "/weights.npz");
  const auto wb = eligo::io::read_npz(b + "/weights.npz");
  ASSERT_EQ(wa.size(), 4u);
  for (const auto& [k, v] : wa) EXPECT_EQ(v.data, wb.at(k).data) << k;
  // A different seed gives different weights.
  const std::string c = (dir_ / "c").string();
  ASSERT_EQ(run("train --config " + cfg + " --out " + c + " --seed 4").status, 0);
  EXPECT_NE(eligo::io::read_npz(c + "/weights.npz").at("W_rec").data, wa.at("W_rec").data);
}

TEST_F(Cli, TrainedWeightsReloadAsInitialWeights) {
  const std::string cfg = write_config(small_config());
  const std::string a = (dir_ / "a").string();
  ASSERT_EQ(run("train --config " + cfg + " --out " + a).status, 0);
  auto j = small_config();
  j["init"]["weights"] = a + "/weights.npz";
  const Result r = run("grad --config " + write_config(j, "g.json") + " --algo bptt --out " +
                       (dir_ / "g").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto g = eligo::io::read_npz((dir_ / "g" / "grads.npz").string());
  EXPECT_EQ(g.at("dW_in").shape, (std::vector<size_t>{12, 10}));
  EXPECT_EQ(g.at("dW_rec").shape, (std::vector<size_t>{12, 12}));
  EXPECT_EQ(g.at("dW_out").shape, (std::vector<size_t>{1, 12}));
}

// model = "mlp": Fashion-MNIST (Debian's dataset-fashion-mnist, installed by install-deps.sh).
TEST_F(Cli, MlpDeepRConfigWritesConnectivityAndTestAccuracy) {
  auto j = nlohmann::json::parse(R"({
    "model": "mlp", "seed": 2,
    "data": {"train_images": 600, "test_images": 300},
    "mlp": {"sizes": [784, 50, 10], "epochs": 1, "batch_size": 50, "lr": 0.01},
    "deepr": {"connectivity": 0.1}
  })");
  const std::string out = (dir_ / "mlp").string();
  const Result r = run("train --config " + write_config(j) + " --out " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto m = eligo::testing::read_json(out + "/metrics.json");
  EXPECT_NEAR(m["connectivity"].get<double>(), 0.1, 0.005);
  EXPECT_GT(m["test_accuracy"].get<double>(), 0.3);  // 10 classes: chance is 0.1
  EXPECT_EQ(m["test_images"], 300);

  j["deepr"]["conectivity"] = 0.1;
  expect_one_line_error(run("train --config " + write_config(j, "bad.json")), "deepr.conectivity");
  j["deepr"].erase("conectivity");
  j["mlp"]["sizes"] = {784, 10, 3};
  expect_one_line_error(run("train --config " + write_config(j, "bad2.json")), "mlp.sizes");
}

TEST_F(Cli, ClappConfigWritesProbeAccuracies) {
  auto j = nlohmann::json::parse(R"({
    "model": "clapp",
    "clapp": {"n_train": 300, "n_test": 100, "hidden": [32, 32, 32], "epochs": 1,
              "probe_epochs": 1, "probe_repeats": 2, "supervised_epochs": 1}
  })");
  const std::string out = (dir_ / "clapp").string();
  const Result r = run("train --config " + write_config(j) + " --out " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto m = eligo::testing::read_json(out + "/metrics.json");
  const auto& p = m["probe_accuracy"];
  for (const char* key : {"clapp", "random", "supervised"}) {
    EXPECT_EQ(p[key].size(), 3u) << key;
    EXPECT_EQ(p["spread"][key].size(), 3u) << key;
    for (const auto& s : p["spread"][key]) EXPECT_GE(s.get<double>(), 0.0) << key;
  }
  EXPECT_GT(p["pixels"].get<double>(), 0.1);
  EXPECT_EQ(p["probe_repeats"], 2);
  EXPECT_NE(r.output.find("the mean of 2 probes"), std::string::npos) << r.output;
  j["clapp"]["hiden"] = {8};
  expect_one_line_error(run("train --config " + write_config(j, "bad.json")), "clapp.hiden");
}

TEST_F(Cli, GradRequiresAlgo) {
  const Result r = run("grad --config " + write_config(small_config()) + " --out " + dir_.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--algo"), std::string::npos) << r.output;
}

}  // namespace
