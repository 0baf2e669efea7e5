// Icarus Verilog and Verilator run the same RTL on the same recorded pin stream (a lock-step
// co-simulated sample on the small configuration) and must print identical spike streams.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "systemc/hooks.hpp"
#include "systemc/stimulus.hpp"
#include "tests/support/run_command.hpp"
#include "tests/systemc/cosim_test_util.hpp"

namespace eligo::cosim {
namespace {

namespace fs = std::filesystem;

std::string run(const std::string& cmd, int* status) {
  const eligo::testing::CommandResult r = eligo::testing::run_command(cmd);
  *status = r.status;
  return r.output;
}

// Replays the pins `recorder` captured on Icarus (rtl/tb/eligo_tb.sv) and expects Verilator's
// spike stream; `name` keeps each test's files apart.
void expect_icarus_equals_verilator(const chip::Sizes& s, const StimulusRecorder& recorder, const std::string& name) {
  const std::vector<PinsIn>& inputs = recorder.inputs();
  const SpikeStream& verilator = recorder.spikes();
  ASSERT_GT(verilator.size(), 50u) << "the run must spike";

  const fs::path dir = fs::path(ELIGO_BINARY_DIR) / "test_tmp" / ("icarus_" + name);
  fs::create_directories(dir);
  const std::string stim = (dir / "stim.hex").string(), sim = (dir / "sim").string();
  write_stimulus(stim, inputs);
  const std::string rtl_dir = std::string(ELIGO_SOURCE_DIR) + "/rtl/";
  std::string srcs;
  std::ifstream list(rtl_dir + "files.f");
  for (std::string f; std::getline(list, f);) {
    if (!f.empty() && f[0] != '#') srcs += " " + rtl_dir + f;
  }
  ASSERT_FALSE(srcs.empty()) << "rtl/files.f is missing or empty";
  srcs += " " + rtl_dir + "tb/eligo_tb.sv";
  int status = 0;
  const std::string params = " -P eligo_tb.NumIn=" + std::to_string(s.n_in) + " -P eligo_tb.NumRec=" +
                             std::to_string(s.n_rec) + " -P eligo_tb.NumOut=" + std::to_string(s.n_out) +
                             " -P eligo_tb.NumAlif=" + std::to_string(s.n_alif) +
                             " -P eligo_tb.Lanes=" + std::to_string(s.lanes);
  const std::string compile = run("iverilog -g2012 -o " + sim + params + srcs, &status);
  ASSERT_EQ(status, 0) << compile;
  const std::string out = run("vvp -n " + sim + " +stim=" + stim + " +n=" + std::to_string(inputs.size()), &status);
  ASSERT_EQ(status, 0) << out;
  SpikeStream icarus;
  std::istringstream lines(out);
  std::string word;
  bool finished = false;
  while (lines >> word) {
    if (word == "spike") {
      uint64_t cyc = 0;
      int j = 0;
      lines >> cyc >> j;
      icarus.push_back({cyc, j});
    } else if (word == "cycles") {
      finished = true;
    }
  }
  EXPECT_TRUE(finished) << out.substr(0, 2000);
  EXPECT_EQ(icarus.size(), verilator.size());
  EXPECT_TRUE(icarus == verilator) << "first spikes differ";
  ::testing::Test::RecordProperty("spikes", std::to_string(verilator.size()));
  ::testing::Test::RecordProperty("cycles", std::to_string(inputs.size()));
}

// The small configuration's RTL in lock-step with a model of `image`, its pins and spikes recorded.
struct RecordedCosim {
  RecordedCosim(const chip::Sizes& s, const chip::ChipImage& image)
      : model(chip::make_core(image)), rtl(make_cc_engine(s)), c(*rtl, model), recorder(/*spikes=*/true) {
    c.add_hook(recorder);
  }
  chip::Core model;
  std::unique_ptr<Engine> rtl;
  Cosim c;
  StimulusRecorder recorder;
};

TEST(Icarus, SameSpikeStreamAsVerilator) {
  const chip::Sizes s = rtl_configurations()[2];
  const testing::Setup st = testing::trained_setup(s, 5, 11);
  RecordedCosim r(s, st.image);
  ASSERT_TRUE(r.c.configure());
  ASSERT_TRUE(testing::run(r.c, st.batch, 0, st.learning_window, false)) << testing::describe(r.c);
  expect_icarus_equals_verilator(s, r.recorder, "inference");
}

// Training runs with the approximate trace architectures: windowed traces (CTRL.TRC_HOLD until
// 20 steps before the learning window) and factored traces (CTRL.TRC_FACT, the pass held until
// the learning window), the same windowed traces with adaptation blocks of 4 steps before it, and
// factored traces (CTRL.TRC_FACT, the pass held until the learning window). Sample 0 learns and
// updates, sample 1 runs on the learned weights; both spike streams equal.
void expect_same_learning_run(bool factored, const char* name, int adapt_block = 0) {
  const chip::Sizes s = rtl_configurations()[2];
  chip::ChipOptions o;
  o.learn = true;
  o.lr = 0.05;
  o.fb_symmetric = true;
  o.trc_fact = factored;
  o.adapt_block = adapt_block;
  const testing::Setup st = testing::trained_setup(s, 5, 11, o);
  RecordedCosim r(s, st.image);
  ASSERT_TRUE(r.c.configure());
  const int trace_from = st.batch.T - st.learning_window - (factored ? 0 : 20);
  for (int b = 0; b < 2; ++b) {
    ASSERT_TRUE(testing::run(r.c, st.batch, b, st.learning_window, true, trace_from, adapt_block)) << testing::describe(r.c);
  }
  EXPECT_GT(r.model.counters()[chip::spec::Counter::weight_updates], 0u);
  EXPECT_EQ(r.model.regs().trc_fact, factored);
  expect_icarus_equals_verilator(s, r.recorder, name);
}

TEST(Icarus, SameSpikeStreamAsVerilatorWhileLearningWithWindowedTraces) {
  expect_same_learning_run(false, "windowed_training");
}

TEST(Icarus, SameSpikeStreamAsVerilatorWhileLearningWithAdaptationBlocks) {
  expect_same_learning_run(false, "adapt_block_training", 4);
}

TEST(Icarus, SameSpikeStreamAsVerilatorWhileLearningWithFactoredTraces) {
  expect_same_learning_run(true, "factored_training");
}

}  // namespace
}  // namespace eligo::cosim
