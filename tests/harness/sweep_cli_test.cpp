// eligo sweep end to end with the local executor on a small chip-learning config: points run as
// eligo processes in directories named by their hash, results are gathered and deterministic, a
// partial sweep resumes to the same results, failures are reported and do not stop the others.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class SweepCli : public eligo::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    eligo::testing::write_small_chip_network(dir_, 2);
    write("chip.json", R"({"network_config": "net.json", "mode": "train", "iterations": 2, "batch_size": 2,
                           "test_batches": 1, "chip": {"lanes": 2, "seed": 1}})");
  }
  // A spec of lanes x chip.seed.
  std::string spec(const std::string& lanes, const std::string& name = "sweep.json") {
    return write(name, R"({"base_config": "chip.json", "command": "chip",
        "axes": [{"name": "chip.lanes", "values": )" + lanes + R"(}, {"name": "chip.seed", "range": {"from": 1, "to": 2}}],
        "seed_axis": "chip.seed",
        "metrics": {"accuracy": "report.json:accuracy", "cycles_per_timestep": "report.json:cycles_per_timestep",
                    "energy_pj": "report.json:energy.total_pj"},
        "resources": {"cpus": 1, "mem": "1G", "time": "00:05:00"}})");
  }
  // --jobs 2 unless extra sets it.
  eligo::testing::CommandResult sweep(const std::string& spec_path, const std::string& out, const std::string& extra = "") {
    const std::string jobs = extra.find("--jobs") == std::string::npos ? " --jobs 2 " : " ";
    return eligo::testing::run_eligo("sweep --spec " + spec_path + " --out " + out + jobs + extra);
  }
  // sweep.json without wall times.
  static json without_wall(json res) {
    for (json& p : res["points"]) p.erase("wall_s");
    res.erase("spec");
    return res;
  }
};

TEST_F(SweepCli, RunsEveryPointAndGathers) {
  const auto r = sweep(spec("[2, 4]"), file("out"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 points (4 run, 0 from earlier runs), 0 failed"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\r'), std::string::npos) << "no progress line when piped";
  const json res = eligo::testing::read_json(dir_ / "out" / "sweep.json");
  ASSERT_EQ(res["points"].size(), 4u);
  for (const json& p : res["points"]) {
    EXPECT_EQ(p["status"], "ok");
    EXPECT_TRUE(p["metrics"]["accuracy"].is_number()) << p.dump();
    EXPECT_GT(p["metrics"]["cycles_per_timestep"].get<double>(), 0);
    EXPECT_GT(p["wall_s"].get<double>(), 0);
    const fs::path d = dir_ / "out" / "points" / p["point"].get<std::string>();
    EXPECT_TRUE(fs::exists(d / "manifest.json"));
    // The resolved config beside the results, with the axis values and an absolute network path.
    const json c = eligo::testing::read_json(d / "config.json");
    EXPECT_EQ(c["chip"]["lanes"], p["axes"]["chip.lanes"]);
    EXPECT_EQ(c["chip"]["seed"], p["axes"]["chip.seed"]);
    EXPECT_TRUE(fs::path(c["network_config"].get<std::string>()).is_absolute());
    // The point's report is the one the same command line gives directly.
    EXPECT_EQ(eligo::testing::read_json(d / "report.json")["accuracy"], p["metrics"]["accuracy"]);
  }
  // Four lanes take fewer cycles per timestep than two (same seed).
  EXPECT_LT(res["points"][2]["metrics"]["cycles_per_timestep"].get<double>(),
            res["points"][0]["metrics"]["cycles_per_timestep"].get<double>());
  ASSERT_EQ(res["designs"].size(), 2u);
  EXPECT_EQ(res["designs"][0]["metrics"]["accuracy"]["count"], 2);
  const std::string csv = eligo::testing::read_text(dir_ / "out" / "sweep.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 4 + 2) << csv;
  // Determinism: the same spec into another directory gives the same results apart from wall times.
  const auto again = sweep(spec("[2, 4]"), file("out2"), "--jobs 1");
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_EQ(without_wall(res), without_wall(eligo::testing::read_json(dir_ / "out2" / "sweep.json")));
}

// --plot: the sweep's plotting step (scripts/plot_sweep.py, started from an argument vector)
// draws the Pareto fronts and one learning-curve PNG per design point; each point's report
// carries the NeuroBench-named metrics, consistent with its sizes and counters.
TEST_F(SweepCli, PlotsAndNeuroBenchMetrics) {
  const auto r = sweep(spec("[2, 4]"), file("out"), "--plot");
  ASSERT_EQ(r.status, 0) << r.output;
  const fs::path out = dir_ / "out";
  for (const char* png : {"pareto.png", "curves/design_0.png", "curves/design_1.png"}) {
    EXPECT_EQ(eligo::testing::read_text(out / png).substr(0, 4), "\x89PNG") << png;
  }
  const std::string log = eligo::testing::read_text(out / "plots.txt");
  EXPECT_NE(log.find("curves of design point 0 (lanes=2, 2 seeds)"), std::string::npos) << log;
  const json res = eligo::testing::read_json(out / "sweep.json");
  const json rep = eligo::testing::read_json(out / "points" / res["points"][0]["point"].get<std::string>() / "report.json");
  const json& nb = rep["neurobench"];
  const json& sz = rep["sizes"];
  const int ni = sz["n_in"], nr = sz["n_rec"], no = sz["n_out"];
  EXPECT_EQ(nb["parameter_count"], ni * nr + nr * nr + nr * no);
  EXPECT_GT(nb["footprint"]["weights"].get<int>(), 2 * nb["parameter_count"].get<int>() - 1);  // 16-bit words + B_FB
  const double samples = nb["samples"].get<double>(), steps = static_cast<double>(rep["speed"]["test"]["timesteps"]);
  EXPECT_DOUBLE_EQ(nb["synaptic_operations"]["dense"].get<double>(), (ni * nr + nr * nr + nr * no) * steps / samples);
  EXPECT_DOUBLE_EQ(nb["membrane_updates"].get<double>(), nr * steps / samples);
  const double acs = nb["synaptic_operations"]["effective_acs"];
  EXPECT_GT(acs, 0);
  EXPECT_LT(acs, nb["synaptic_operations"]["dense"].get<double>());
  const double as = nb["activation_sparsity"], cs = nb["connection_sparsity"];
  EXPECT_TRUE(as > 0 && as < 1) << as;
  EXPECT_TRUE(cs >= 0 && cs < 1) << cs;
}

TEST_F(SweepCli, PartialSweepResumesToTheSameResults) {
  ASSERT_EQ(sweep(spec("[2, 4]"), file("out")).status, 0);
  const json first = eligo::testing::read_json(dir_ / "out" / "sweep.json");
  const fs::path points = dir_ / "out" / "points";
  // As a killed sweep leaves it: one point without its manifest (killed mid-run), one never
  // started, the results files not written yet.
  fs::remove(points / first["points"][1]["point"].get<std::string>() / "manifest.json");
  fs::remove(points / first["points"][1]["point"].get<std::string>() / "point.json");
  fs::remove_all(points / first["points"][3]["point"].get<std::string>());
  fs::remove(dir_ / "out" / "sweep.json");
  const auto r = sweep(spec("[2, 4]"), file("out"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 points (2 run, 2 from earlier runs), 0 failed"), std::string::npos) << r.output;
  EXPECT_EQ(without_wall(first), without_wall(eligo::testing::read_json(dir_ / "out" / "sweep.json")));
  // Nothing left to run.
  const auto done = sweep(spec("[2, 4]"), file("out"));
  EXPECT_NE(done.output.find("(0 run, 4 from earlier runs)"), std::string::npos) << done.output;
  // A point whose files changed after its run is not complete (manifest check) and runs again.
  eligo::testing::write_text(points / first["points"][0]["point"].get<std::string>(), "report.json", "{}");
  const auto changed = sweep(spec("[2, 4]"), file("out"));
  EXPECT_NE(changed.output.find("(1 run, 3 from earlier runs)"), std::string::npos) << changed.output;
  EXPECT_EQ(without_wall(first), without_wall(eligo::testing::read_json(dir_ / "out" / "sweep.json")));
}

// A real kill: the sweep and its running point killed together (SIGKILL to its process group, as
// a lost machine) after its first point ended; the same command again finishes the rest and ends
// with the results of an uninterrupted sweep.
TEST_F(SweepCli, KilledSweepResumesToTheSameResults) {
  const std::string s = spec("[1, 2, 3, 4]");  // 8 points, one at a time
  const std::string out = file("killed");
  const auto k = eligo::testing::run_command(
      "setsid " + std::string(ELIGO_BINARY_DIR) + "/eligo sweep --jobs 1 --spec " + s + " --out " + out +
      " >/dev/null 2>&1 & p=$!; n=0; until ls " + out + "/points/*/point.json >/dev/null 2>&1 || [ $n -ge 600 ]; do"
      " sleep 0.05; n=$((n+1)); done; kill -9 -$p; wait $p; echo killed $?");
  ASSERT_NE(k.output.find("killed 137"), std::string::npos) << k.output;  // 128 + SIGKILL
  ASSERT_FALSE(fs::exists(fs::path(out) / "sweep.json")) << "the sweep ended before the kill";
  int complete = 0;
  for (const auto& d : fs::directory_iterator(fs::path(out) / "points")) complete += fs::exists(d.path() / "manifest.json");
  EXPECT_GE(complete, 1);
  EXPECT_LT(complete, 8);
  const auto r = sweep(s, out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("(" + std::to_string(8 - complete) + " run, " + std::to_string(complete) + " from earlier runs)"),
            std::string::npos) << r.output;
  ASSERT_EQ(sweep(s, file("whole")).status, 0);
  EXPECT_EQ(without_wall(eligo::testing::read_json(dir_ / "whole" / "sweep.json")),
            without_wall(eligo::testing::read_json(fs::path(out) / "sweep.json")));
}

TEST_F(SweepCli, FailuresAreListedAndDoNotStopTheOthers) {
  // lanes 0 is rejected by eligo chip: both of its points fail, the others finish.
  const auto r = sweep(spec("[0, 2]"), file("out"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("4 points (4 run, 0 from earlier runs), 2 failed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("failed (exit status 1)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("chip.lanes: 0 is out of range"), std::string::npos) << r.output;  // the stderr tail
  const json res = eligo::testing::read_json(dir_ / "out" / "sweep.json");
  for (int i = 0; i < 4; ++i) {
    const json& p = res["points"][i];
    EXPECT_EQ(p["status"], i < 2 ? "failed" : "ok") << p.dump();
    EXPECT_EQ(p["exit_status"], i < 2 ? 1 : 0);
    if (i < 2) {
      EXPECT_NE(p["stderr_tail"].get<std::string>().find("out of range"), std::string::npos);
    }
  }
  EXPECT_EQ(res["designs"][0]["ok"], 0);
  EXPECT_TRUE(res["designs"][0]["metrics"]["accuracy"]["mean"].is_null());
  // Re-running reports the failures again without running them; --retry runs them.
  const auto again = sweep(spec("[0, 2]"), file("out"));
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.output.find("(0 run, 4 from earlier runs), 2 failed"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("in an earlier run"), std::string::npos) << again.output;
  const auto retry = sweep(spec("[0, 2]"), file("out"), "--retry");
  EXPECT_NE(retry.output.find("(2 run, 2 from earlier runs), 2 failed"), std::string::npos) << retry.output;
}

// The Slurm executor against stand-ins for sbatch and squeue (not a real Slurm: the stand-in
// sbatch runs the script's array tasks one after another, as a one-node cluster would, and
// squeue lists nothing): the job script, the array of unfinished points only, and results equal
// to the local executor's.
TEST_F(SweepCli, SlurmExecutorWithStandInSbatch) {
  write("bin/sbatch", R"(#!/bin/bash
[[ $1 == --parsable ]] || exit 3
script=$2
dir=$(dirname "$script")
array=$(sed -n 's/^#SBATCH --array=//p' "$script")
echo "${array}" >> "$dir/arrays"
indices=${array%%\%*}  # without the throttle
for i in ${indices//,/ }; do SLURM_ARRAY_TASK_ID=$i bash "$script" > "$dir/4242_$i.out" 2>&1; done
echo 4242
)");
  write("bin/squeue", "#!/bin/bash\n[[ $* == '-h -j 4242 -o %i %T' ]] || exit 3\n");
  fs::permissions(dir_ / "bin" / "sbatch", fs::perms::owner_all);
  fs::permissions(dir_ / "bin" / "squeue", fs::perms::owner_all);
  const std::string path = "PATH=" + (dir_ / "bin").string() + ":$PATH ";
  const std::string s = spec("[2, 4]");
  auto r = eligo::testing::run_command(path + ELIGO_BINARY_DIR + "/eligo sweep --executor slurm --poll 0.05 --spec " + s +
                                       " --out " + file("slurm"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("submitted Slurm job 4242 (4 array tasks)"), std::string::npos) << r.output;
  const std::string script = eligo::testing::read_text(dir_ / "slurm" / "slurm" / "sweep.sbatch");
  for (const char* line : {"#SBATCH --array=0,1,2,3\n", "#SBATCH --cpus-per-task=1\n", "#SBATCH --mem=1G\n",
                           "#SBATCH --time=00:05:00\n", "--point-index \"$SLURM_ARRAY_TASK_ID\"\n"}) {
    EXPECT_NE(script.find(line), std::string::npos) << line << " missing in:\n" << script;
  }
  ASSERT_EQ(sweep(s, file("local")).status, 0);
  const json slurm = eligo::testing::read_json(dir_ / "slurm" / "sweep.json");
  EXPECT_EQ(without_wall(slurm), without_wall(eligo::testing::read_json(dir_ / "local" / "sweep.json")));
  // A lost point is the only array task of the next submission; --jobs is the array throttle.
  fs::remove(dir_ / "slurm" / "points" / slurm["points"][2]["point"].get<std::string>() / "manifest.json");
  r = eligo::testing::run_command(path + ELIGO_BINARY_DIR + "/eligo sweep --executor slurm --poll 0.05 --jobs 1 --spec " +
                                  s + " --out " + file("slurm"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(eligo::testing::read_text(dir_ / "slurm" / "slurm" / "arrays"), "0,1,2,3\n2%1\n");
  EXPECT_EQ(without_wall(slurm), without_wall(eligo::testing::read_json(dir_ / "slurm" / "sweep.json")));
  // sbatch failing is one line naming the script.
  write("bin/sbatch", "#!/bin/bash\necho 'sbatch: error: invalid partition' >&2\nexit 1\n");
  fs::remove(dir_ / "slurm" / "points" / slurm["points"][0]["point"].get<std::string>() / "manifest.json");
  r = eligo::testing::run_command(path + ELIGO_BINARY_DIR + "/eligo sweep --executor slurm --spec " + s + " --out " +
                                  file("slurm"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("sweep.sbatch: sbatch failed (exit status 1): sbatch: error: invalid partition"),
            std::string::npos) << r.output;
}

// --dry-run lists every point (index, hash, axis values, command line) and neither runs nor writes.
TEST_F(SweepCli, DryRunListsThePointsOnly) {
  const std::string s = spec("[2, 4]");
  const auto r = sweep(s, file("out"), "--dry-run");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("sweep: 4 points (dry run: nothing run or written)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\n3 "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" chip.lanes=4 chip.seed=2\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" chip --config " + file("out") + "/points/"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  // The hashes listed are the directories of the real run.
  ASSERT_EQ(sweep(s, file("out")).status, 0);
  for (const json& p : eligo::testing::read_json(dir_ / "out" / "sweep.json")["points"]) {
    EXPECT_NE(r.output.find(" " + p["point"].get<std::string>() + " "), std::string::npos) << p["point"];
  }
}

TEST_F(SweepCli, BadSpecAndOptions) {
  const std::string bad = write("bad.json", R"({"base_config": "chip.json", "command": "chip", "axes": [{"name": "chip.lanes"}]})");
  auto r = sweep(bad, file("out"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("bad.json: axes[0].values: give exactly one of"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  r = eligo::testing::run_eligo("sweep --help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("--retry"), std::string::npos) << r.output;
  r = eligo::testing::run_eligo("sweep --spec " + spec("[2]") + " --executor pbs");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--executor"), std::string::npos) << r.output;
}

}  // namespace
