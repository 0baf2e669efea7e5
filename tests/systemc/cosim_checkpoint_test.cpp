// Checkpoints of the co-simulation (issue 16, docs/runs.md): the cc engine saves the verilated
// model's whole state (Verilator --savable), the co-simulation port adds the model's state and
// the scoreboard's counts, and a new engine and model restored from it go on in lock-step with
// the same bits as a run that never stopped. On the command line: `eligo cosim --engine cc
// --checkpoint-every N` of a training run and of ReckOn's epochs, killed and resumed, ends with
// the bytes of an uninterrupted run.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "tests/support/files.hpp"
#include "tests/support/kill_resume.hpp"
#include "tests/support/reckon_data.hpp"
#include "tests/support/run_command.hpp"
#include "tests/systemc/cosim_test_util.hpp"

namespace eligo::cosim {
namespace {

// Online learning with DEEP R (per-lane update LFSRs, the rewiring LFSR, active counts) on the
// small configuration.
testing::Setup learning_setup(const chip::Sizes& s) {
  return testing::trained_setup(s, 10, 3, testing::deepr_learning_options(true));
}

struct RunEnd {
  chip::WriteHash hash;
  CosimStats stats;
  uint64_t rtl_cycles = 0;
  std::vector<uint64_t> w_rec;
};

// Samples [from, to) of the batch in lock-step on a new engine and model; restored from `state`
// first if it is not empty; `saved` receives the state after sample `save_after` (if >= 0).
RunEnd run_samples(const chip::Sizes& s, const testing::Setup& st, const tasks::Batch& batch, int from, int to,
                   const std::string& state, int save_after, std::string* saved) {
  chip::Core model = chip::make_core(st.image);
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  EXPECT_TRUE(c.configure()) << testing::describe(c);
  if (!state.empty()) c.restore_state(state);
  for (int b = from; b < to; ++b) {
    EXPECT_TRUE(testing::run(c, batch, b, st.learning_window, true)) << "sample " << b << ": " << testing::describe(c);
    if (b == save_after) *saved = c.save_state();
  }
  EXPECT_TRUE(c.check_counters()) << testing::describe(c);
  RunEnd e;
  e.hash = c.stats().write_hash;
  e.stats = c.stats();
  e.rtl_cycles = rtl->cycles();
  const MemoryBackdoor bd = rtl->memory(chip::spec::Mem::W_REC);
  for (int64_t a = 0; a < bd.depth; ++a) e.w_rec.push_back(bd.read(a));
  EXPECT_EQ(e.w_rec, model.mem(chip::spec::Mem::W_REC).words());
  return e;
}

// A run of 3 samples, and the same run stopped after sample 0 and continued from its saved state
// on a new engine and model: the same writes (hash and count), cycles, counters and weights. A
// restore that leaves out the RTL's state fails in the first timestep after it (checked: the
// first online update writes other weights).
TEST(CosimCheckpoint, RestoredRunContinuesWithTheSameBits) {
  const chip::Sizes s = rtl_configurations()[2];
  const testing::Setup st = learning_setup(s);
  const tasks::Batch batch = tasks::make_evidence_accumulation(testing::reduced_task(s.n_in), 3, 21);
  std::string state;
  const RunEnd whole = run_samples(s, st, batch, 0, 3, "", 0, &state);
  ASSERT_FALSE(state.empty());
  const RunEnd resumed = run_samples(s, st, batch, 1, 3, state, -1, nullptr);
  EXPECT_EQ(resumed.hash.h, whole.hash.h);
  EXPECT_EQ(resumed.hash.n, whole.hash.n);
  EXPECT_EQ(resumed.stats.timesteps, 3 * batch.T);
  EXPECT_EQ(resumed.stats.writes_compared, whole.stats.writes_compared);
  EXPECT_EQ(resumed.stats.phase_cycles, whole.stats.phase_cycles);
  EXPECT_EQ(resumed.rtl_cycles, whole.rtl_cycles);
  EXPECT_EQ(resumed.w_rec, whole.w_rec);
}

// A state is restored only into what saved it: another size configuration's engine and a
// model-only state are refused with std::invalid_argument (Verilator's own check would abort).
TEST(CosimCheckpoint, AnotherConfigurationsStateIsRefused) {
  const auto configs = rtl_configurations();
  auto small = make_cc_engine(configs[2]);
  const std::string state = small->save_state();
  auto other = make_cc_engine(configs[4]);  // 20-10-2 without synapse traces: another design
  try {
    other->restore_state(state);
    FAIL() << "restored another configuration's state";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not of the cc 20-10-2-5-2-0"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(make_cc_engine(configs[2])->restore_state(state));
}

}  // namespace
}  // namespace eligo::cosim

namespace {

namespace fs = std::filesystem;

class CosimCheckpointCli : public eligo::testing::ScratchDirTest {};

// Online chip training on the 20-10-2 core (5 ALIF, 2 lanes) with DEEP R, killed after its first
// checkpoints and resumed: report.json equal to the uninterrupted run's (learning curve, test
// accuracy on RTL and model, write hash, writes and words compared, cycles, counters).
TEST_F(CosimCheckpointCli, TrainingKilledAndResumedEndsWithTheSameBytes) {
  write("net.json", R"({
    "seed": 2,
    "network": {"n_in": 20, "n_out": 2, "lif": {"n": 5}, "alif": {"n": 5}},
    "task": {"type": "evidence_accumulation", "n_cues": 3, "t_cue": 20, "t_cue_spacing": 30,
             "t_delay": 40, "t_recall": 20, "test_batches": 1},
    "train": {"iterations": 2, "batch_size": 2, "loss": "mse"}
  })");
  const std::string config = write("chip.json", R"({"network_config": "net.json", "mode": "train",
    "iterations": 16, "chip": {"lanes": 2, "deepr": {"connectivity": 0.5}}})");
  eligo::testing::expect_kill_resume_same_bytes({"cosim", "--engine", "cc", "--config", config}, dir_ / "ref",
                                                dir_ / "run", "checkpoint.bin", 2, 16, "batches", 1);
}

// ReckOn's epochs (synthetic data: 2 training and 2 test samples of 2250 steps; 40-100-2 with 16
// lanes, factored traces to keep it short, about 1 s of CPU per sample) on the RTL: a checkpoint
// after epoch 1 holds the co-simulation's state.
TEST_F(CosimCheckpointCli, ReckonEpochsKilledAndResumedEndWithTheSameBytes) {
  eligo::testing::write_reckon_data(dir_ / "data");
  const std::string config =
      eligo::testing::write_reckon_chip_config(dir_, R"(, "data_dir": "data")", "", R"(, "trace": "factored")");
  eligo::testing::expect_kill_resume_same_bytes({"cosim", "--engine", "cc", "--config", config, "--epochs", "2"},
                                                dir_ / "ref", dir_ / "run", "checkpoint.bin", 1, 2, "epochs", 1);
}

// Options that cannot go with checkpoints are refused before any work, in one line.
TEST_F(CosimCheckpointCli, CheckpointsNeedTheCcEngineAndATrainingRun) {
  const auto sc = eligo::testing::run_eligo("cosim --config " + file("none.json") + " --checkpoint-every 1");
  EXPECT_EQ(sc.status, 2) << sc.output;
  EXPECT_NE(sc.output.find("--checkpoint-every and --resume: with --engine cc"), std::string::npos) << sc.output;
  const auto tr = eligo::testing::run_eligo("cosim --engine cc --config " + file("none.json") +
                                            " --checkpoint-every 1 --trace");
  EXPECT_EQ(tr.status, 2) << tr.output;
  EXPECT_NE(tr.output.find("--trace: not with --checkpoint-every or --resume"), std::string::npos) << tr.output;
}

}  // namespace
