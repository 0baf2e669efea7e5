// A run's output directory as a whole (issue 16, docs/runs.md): the same config and seed give the
// same bytes in every output file apart from wall-time fields; a killed run leaves no
// manifest.json; a run (float training, chip training, ReckOn's epochs) killed and resumed from its
// checkpoint ends with the bytes of a run that never stopped; commands that read a previous run
// refuse an incomplete one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "golden_model/io/files.hpp"
#include "tests/support/kill_resume.hpp"
#include "tests/support/reckon_data.hpp"
#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;

namespace {

using eligo::testing::expect_kill_resume_same_bytes;
using eligo::testing::outputs_without_wall_times;
using eligo::testing::spawn_eligo;
using eligo::testing::wait_for_file;
using eligo::testing::without_wall_times;

class RunOutputs : public eligo::testing::ScratchDirTest {
 protected:
  // A small float run (pattern generation, 10 inputs, 12 neurons, T = 50).
  std::string float_config() {
    return write("float.json", R"({
      "seed": 3,
      "network": {"n_in": 10, "n_out": 1, "lif": {"n": 8, "thr": 0.03, "n_ref": 0},
                  "alif": {"n": 4, "beta": 0.0174}, "input_scaling": "one_minus_alpha"},
      "task": {"type": "pattern_generation", "n_in": 10, "T": 50},
      "train": {"algo": "eprop", "iterations": 6, "batch_size": 2, "loss": "mse", "feedback": "random"}
    })");
  }
  // A small chip training run (evidence accumulation, DEEP R on).
  std::string chip_config() {
    eligo::testing::write_small_chip_network(dir_, 4);
    return write("chip.json", R"({"network_config": "net.json", "mode": "train",
      "chip": {"lanes": 2, "deepr": {"connectivity": 0.5}}})");
  }
};

TEST(RunOutputMasking, WallTimeFieldsAreMaskedAndNothingElse) {
  EXPECT_EQ(without_wall_times(R"({"wall_s": 1.5e-3, "wall_s_per_train_sample": 2, "timesteps_per_s": 10.25,
    "sim_cycles_per_s": 7, "wall_sX": 3, "loss": 0.5, "x": "wall_s"})"),
            R"({"wall_s": WALL, "wall_s_per_train_sample": WALL, "timesteps_per_s": WALL,
    "sim_cycles_per_s": WALL, "wall_sX": 3, "loss": 0.5, "x": "wall_s"})");
}

// Runs `command DIR` into a and b at least 2.2 s apart (a zip time has a 2 s resolution, so a
// wall-clock timestamp would differ) and expects the same files with the same bytes.
void expect_same_bytes(const std::string& command, const fs::path& a, const fs::path& b) {
  const auto start = std::chrono::steady_clock::now();
  const auto ra = eligo::testing::run_eligo(command + " --out " + a.string());
  ASSERT_EQ(ra.status, 0) << ra.output;
  std::this_thread::sleep_until(start + std::chrono::milliseconds(2200));
  const auto rb = eligo::testing::run_eligo(command + " --out " + b.string());
  ASSERT_EQ(rb.status, 0) << rb.output;
  const auto fa = outputs_without_wall_times(a), fb = outputs_without_wall_times(b);
  ASSERT_FALSE(fa.empty());
  ASSERT_EQ(fa.size(), fb.size());
  for (const auto& [name, bytes] : fa) {
    ASSERT_TRUE(fb.count(name)) << name;
    EXPECT_TRUE(bytes == fb.at(name)) << name << " differs between two runs of " << command;
  }
}

TEST_F(RunOutputs, FloatTrainingGivesTheSameBytes) {
  expect_same_bytes("train --config " + float_config(), dir_ / "a", dir_ / "b");
  eligo::io::check_manifest((dir_ / "a").string());
  eligo::io::check_manifest((dir_ / "b").string());
  // The zip headers hold the fixed time: MS-DOS date 1980-01-01 (0x0021) at byte 12 of the first
  // local header.
  const std::string npz = eligo::testing::read_text(dir_ / "a" / "weights.npz");
  ASSERT_GT(npz.size(), 14u);
  EXPECT_EQ(npz.substr(10, 4), std::string("\0\0\x21\0", 4));
}

TEST_F(RunOutputs, GradGivesTheSameBytes) {
  expect_same_bytes("grad --algo bptt --config " + float_config(), dir_ / "a", dir_ / "b");
}

TEST_F(RunOutputs, ChipTrainingGivesTheSameBytes) {
  expect_same_bytes("chip --config " + chip_config(), dir_ / "a", dir_ / "b");
}

// Float training (Adam: the test fails if the optimiser's state is not restored).
TEST_F(RunOutputs, FloatTrainingKilledAndResumedEndsWithTheSameBytes) {
  const std::string config = write("long.json", R"({
    "seed": 5,
    "network": {"n_in": 20, "n_out": 2, "lif": {"n": 30, "thr": 0.03, "n_ref": 0},
                "alif": {"n": 30, "beta": 0.0174}, "input_scaling": "one_minus_alpha"},
    "task": {"type": "pattern_generation", "n_in": 20, "T": 300},
    "train": {"algo": "eprop", "iterations": 60, "batch_size": 4, "loss": "mse", "feedback": "random",
              "optimizer": {"type": "adam", "lr": 0.003}}
  })");
  // weights.npz, recording.npz, metrics.json
  expect_kill_resume_same_bytes({"train", "--config", config}, dir_ / "ref", dir_ / "run", "checkpoint.npz", 3, 60,
                                "iterations", 3);
}

// Chip training with DEEP R: the core's whole state restored, the report (cycles, counters, active
// connections, accuracy) is that of a run that never stopped.
TEST_F(RunOutputs, ChipTrainingKilledAndResumedEndsWithTheSameBytes) {
  chip_config();
  const std::string config = write("long_chip.json", R"({"network_config": "net.json", "mode": "train",
    "iterations": 40, "chip": {"lanes": 2, "deepr": {"connectivity": 0.5}}})");
  expect_kill_resume_same_bytes({"chip", "--config", config}, dir_ / "ref", dir_ / "run", "checkpoint.bin", 2, 40,
                                "batches", 1);  // report.json
}

// ReckOn's benchmark (epochs of 2 training samples with an update after each, then 2 test samples,
// on synthetic data): checkpoints between epochs, the core's state and the epochs' tallies
// restored; the report (per-epoch accuracy and loss, cycles, counters) is that of a run that never
// stopped.
TEST_F(RunOutputs, ReckonEpochsKilledAndResumedEndWithTheSameBytes) {
  eligo::testing::write_reckon_data(dir_ / "data");
  const std::string config = eligo::testing::write_reckon_chip_config(dir_, R"(, "data_dir": "data")");
  expect_kill_resume_same_bytes({"chip", "--config", config, "--epochs", "8"}, dir_ / "ref", dir_ / "run",
                                "checkpoint.bin", 2, 8, "epochs", 1);  // report.json
}

// Before any work, an output directory loses its manifest and the FILE.tmp a killed run left of
// the files commands write; other files stay.
TEST_F(RunOutputs, PrepareRemovesTheManifestAndLeftoverTemporaries) {
  for (const char* f : {"manifest.json", "metrics.json", "metrics.json.tmp", "checkpoint.npz.tmp", "mine.tmp"}) {
    write(std::string("out/") + f, "x");
  }
  eligo::io::prepare_output_dir((dir_ / "out").string());
  for (const char* gone : {"manifest.json", "metrics.json.tmp", "checkpoint.npz.tmp"}) {
    EXPECT_FALSE(fs::exists(dir_ / "out" / gone)) << gone;
  }
  for (const char* kept : {"metrics.json", "mine.tmp"}) EXPECT_TRUE(fs::exists(dir_ / "out" / kept)) << kept;
}

// A checkpoint is resumed only by the run that made it.
TEST_F(RunOutputs, ResumeRefusesAnotherRunsCheckpoint) {
  const std::string config = float_config();
  const fs::path run = dir_ / "run";
  const pid_t pid = spawn_eligo({"train", "--config", config, "--out", run.string(), "--checkpoint-every", "1",
                                 "--iterations", "100000"});
  ASSERT_GT(pid, 0);
  const bool checkpointed = wait_for_file(run / "checkpoint.npz", pid);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  ASSERT_TRUE(checkpointed);
  const auto r = eligo::testing::run_eligo("train --config " + config + " --resume " + run.string() + " --seed 4");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find((run / "checkpoint.npz").string() + ": run: made with another seed"), std::string::npos)
      << r.output;
}

// check_manifest: one line naming the directory and what is missing or differs.
TEST_F(RunOutputs, CheckManifestSaysWhatIsMissing) {
  using eligo::io::IoError;
  using eligo::testing::expect_one_line_error;
  const fs::path run = dir_ / "run";
  const std::string d = run.string();
  write("run/report.json", "{}");
  write("run/activity.json", "[1]");
  auto check = [&] { eligo::io::check_manifest(d); };
  expect_one_line_error<IoError>(check, {d + ": incomplete run: no manifest.json (the run was killed, failed or is still running)"});
  eligo::io::write_manifest(d, "cosim", {"report.json", "activity.json"});
  EXPECT_EQ(eligo::io::check_manifest(d), (std::vector<std::string>{"activity.json", "report.json"}));
  fs::remove(run / "activity.json");
  expect_one_line_error<IoError>(check, {d + ": incomplete run: activity.json missing (listed in manifest.json)"});
  write("run/activity.json", "[12]");
  expect_one_line_error<IoError>(check, {d + ": incomplete run: activity.json has 4 bytes, manifest.json lists 3"});
  write("run/activity.json", "[2]");  // the same size, other bytes
  expect_one_line_error<IoError>(check, {d + ": incomplete run: activity.json: its CRC-32 is not the one manifest.json lists"});
  // Malformed manifests name the manifest and the key; none points outside the directory.
  const std::string m = (run / "manifest.json").string();
  write("run/manifest.json", R"({"command": "x", "complete": true, "files": {"../report.json": {"bytes": 2, "crc32": "0"}}})");
  expect_one_line_error<IoError>(check, {m + ": files.../report.json: not a file name in the run directory"});
  write("run/manifest.json", R"({"command": "x", "files": {}})");
  expect_one_line_error<IoError>(check, {m + ": complete: missing or not true"});
  write("run/manifest.json", R"({"complete": true, "files": {"report.json": {"bytes": "2"}}})");
  expect_one_line_error<IoError>(check, {m + ": files.report.json: expected {\"bytes\": N"});
  write("run/manifest.json", R"({"complete": true, "complete": true, "files": {}})");
  expect_one_line_error<IoError>(check, {m + ": complete: duplicate key"});
  expect_one_line_error<IoError>([&] { eligo::io::check_manifest((dir_ / "nothing").string()); },
                                 {(dir_ / "nothing").string() + ": no such run directory"});
}

// A file that may come from a previous run (--weights, init.weights) is read only from a complete
// run that lists it; a file among files that are not a run's is read as it is.
TEST_F(RunOutputs, RunInputsComeFromCompleteRuns) {
  using eligo::io::IoError;
  using eligo::testing::expect_one_line_error;
  const std::string own = write("own/weights.npz", "x");
  write("own/notes.txt", "y");
  EXPECT_NO_THROW(eligo::io::check_run_input(own, "--weights"));
  EXPECT_NO_THROW(eligo::io::check_run_input(write("alone/weights.npz", "x"), "--weights"));
  const std::string run = (dir_ / "run").string(), w = write("run/weights.npz", "x");
  write("run/metrics.json", "{}");  // a run's file beside it, no manifest: a killed run
  auto check = [&] { eligo::io::check_run_input(w, "--weights"); };
  expect_one_line_error<IoError>(check, {"--weights " + w + ": " + run + ": incomplete run: no manifest.json"});
  eligo::io::write_manifest(run, "train", {"metrics.json"});
  expect_one_line_error<IoError>(check, {"--weights " + w + ": " + run + ": a complete run, but its manifest.json does not list weights.npz"});
  eligo::io::write_manifest(run, "train", {"metrics.json", "weights.npz"});
  EXPECT_NO_THROW(check());
  write("run/weights.npz", "xy");
  expect_one_line_error<IoError>(check, {"--weights " + w + ": " + run + ": incomplete run: weights.npz has 2 bytes, manifest.json lists 1"});
}

// The commands that read a previous run's directory refuse an incomplete one with one line
// naming the directory and what is missing: eligo report DIR, --weights, init.weights, --resume.
TEST_F(RunOutputs, CommandsRefuseAnIncompleteRun) {
  const std::string chip = chip_config();  // net.json: the float network of the chip run
  const std::string tr = (dir_ / "tr").string(), ch = (dir_ / "ch").string();
  auto eligo = [](const std::string& args) { return eligo::testing::run_eligo(args); };
  ASSERT_EQ(eligo("train --config " + file("net.json") + " --out " + tr).status, 0);
  ASSERT_EQ(eligo("chip --config " + chip + " --out " + ch).status, 0);
  const std::string tr_manifest = eligo::testing::read_text(fs::path(tr) / "manifest.json");
  const std::string ch_manifest = eligo::testing::read_text(fs::path(ch) / "manifest.json");
  std::string net_w = eligo::testing::read_text(dir_ / "net.json");
  net_w.insert(net_w.find('{') + 1, "\"init\": {\"weights\": \"tr/weights.npz\"},");
  const std::string net_w_path = write("net_w.json", net_w);
  // expect(args, line): exit status 1 and exactly one line, the command's error with `line` in it.
  auto expect_refused = [&](const std::string& args, const std::string& line) {
    const auto r = eligo(args);
    EXPECT_EQ(r.status, 1) << args << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_EQ(r.output.rfind("eligo ", 0), 0u) << r.output;
    EXPECT_NE(r.output.find(line), std::string::npos) << args << ": " << r.output;
  };
  const std::string quantize = "quantize --config " + chip + " --out " + (dir_ / "q").string() + " --weights " + tr + "/weights.npz";
  const std::string grad = "grad --algo eprop --config " + net_w_path + " --out " + (dir_ / "g").string();
  // Complete runs are read.
  ASSERT_EQ(eligo(quantize).status, 0);
  ASSERT_EQ(eligo(grad).status, 0);
  ASSERT_EQ(eligo("report " + ch).status, 0);

  // No manifest.json (a killed run).
  fs::remove(fs::path(tr) / "manifest.json");
  fs::remove(fs::path(ch) / "manifest.json");
  const std::string none = ": incomplete run: no manifest.json (the run was killed, failed or is still running)";
  fs::remove(fs::path(ch) / "report.md");
  expect_refused("report " + ch, "eligo report: error: " + ch + none);
  EXPECT_FALSE(fs::exists(fs::path(ch) / "report.md"));
  expect_refused(quantize, "eligo quantize: error: --weights " + tr + "/weights.npz: " + tr + none);
  expect_refused(grad, net_w_path + ": init.weights " + tr + "/weights.npz: " + tr + none);
  // The plotting scripts make the same check (scripts/run_dir.py).
  const auto plot = eligo::testing::run_command("/usr/bin/python3 " + std::string(ELIGO_SOURCE_DIR) + "/scripts/plot_run.py " + tr);
  EXPECT_EQ(plot.status, 1) << plot.output;
  EXPECT_EQ(plot.output, "plot_run.py: " + tr + none + "\n");

  // A manifest that lists a missing file.
  write("tr/manifest.json", tr_manifest);
  write("ch/manifest.json", ch_manifest);
  fs::remove(fs::path(tr) / "recording.npz");
  fs::remove(fs::path(ch) / "report.json");
  expect_refused("report " + ch, "eligo report: error: " + ch + ": incomplete run: report.json missing (listed in manifest.json)");
  expect_refused(quantize, "--weights " + tr + "/weights.npz: " + tr + ": incomplete run: recording.npz missing (listed in manifest.json)");
  expect_refused(grad, tr + ": incomplete run: recording.npz missing (listed in manifest.json)");

  // --resume: a complete run has nothing to resume; an incomplete one needs its checkpoint.
  ASSERT_EQ(eligo("chip --config " + chip + " --out " + ch).status, 0);
  expect_refused("chip --config " + chip + " --resume " + ch,
                 "eligo chip: error: " + ch + ": cannot resume: the run is complete (manifest.json); nothing to resume");
  const std::string fresh = (dir_ / "fresh").string();
  fs::create_directories(fresh);
  expect_refused("train --config " + file("net.json") + " --resume " + fresh,
                 "eligo train: error: " + fresh +
                     ": cannot resume: no checkpoint.npz (the run was not started with "
                     "--checkpoint-every, or was killed before its first checkpoint)");
}

}  // namespace
