// The train/test loop (golden_model/experiment/train_test.hpp) over a chip port that logs the
// host's commands: the schedule of START/END_SAMPLE, UPDATE and CTRL.LEARN, the sample counts and
// the stop on a failing port; and the sample protocol's loss, prediction and cycles.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "golden_model/experiment/train_test.hpp"
#include "tests/golden_model/chip/chip_unit_util.hpp"

namespace eligo::experiment {
namespace {

// The model port of the tiny unit core, logging "S" (start), "E" / "EU" (end, with UPDATE),
// "L1" / "L0" (CTRL.LEARN) and one "t" per timestep; fails after `fail_after` samples.
class LoggingPort : public chip::ModelPort {
 public:
  explicit LoggingPort(chip::Core& core) : ModelPort(core) {}
  void start_sample() override {
    log += "S";
    ModelPort::start_sample();
  }
  void step(const std::vector<int>& events, const std::vector<int64_t>& target, bool valid) override {
    log += "t";
    ModelPort::step(events, target, valid);
  }
  void end_sample(bool update) override {
    log += update ? "EU " : "E ";
    ModelPort::end_sample(update);
    ++samples;
  }
  void set_learning(bool learn) override {
    log += learn ? "L1 " : "L0 ";
    ModelPort::set_learning(learn);
  }
  void write_reg(uint32_t addr, uint32_t data) override {
    log += "W" + std::to_string(addr) + " ";
    ModelPort::write_reg(addr, data);
  }
  bool ok() const override { return samples < fail_after; }
  std::string failure() const override { return ok() ? "" : "stopped"; }

  std::string log;
  int samples = 0, fail_after = 1000;
};

// B samples of T = 2 steps, one input event per step, labels 0.
tasks::Batch batch(int B) {
  tasks::Batch b;
  b.T = 2;
  b.B = B;
  b.x = Eigen::MatrixXd::Ones(2, 2 * B);
  b.target = Eigen::MatrixXd::Zero(1, 2 * B);
  b.labels.assign(static_cast<size_t>(B), 0);
  return b;
}

// A training run of `iterations` batches of `batch_size` samples, then `test_batches` batches.
Schedule training(int iterations, int batch_size, int test_batches) {
  Schedule sc;
  sc.train = true;
  sc.iterations = iterations;
  sc.batch_size = batch_size;
  sc.test_batches = test_batches;
  return sc;
}

TEST(TrainTest, ScheduleOfCommands) {
  chip::Core core(chip::testing::unit_sizes(), chip::testing::unit_regs());
  LoggingPort port(core);
  Schedule sc = training(2, 2, 2);  // 2 of the 3 samples of each training batch
  sc.test_samples = 1;
  const TrainTestResult r = train_test(port, [](int) { return batch(3); }, [](int) { return batch(3); }, sc);
  EXPECT_EQ(port.log, "SttE SttEU SttE SttEU L0 SttE SttE ");
  ASSERT_EQ(r.curve.size(), 2u);
  EXPECT_EQ(r.curve[0].n, 2);
  EXPECT_EQ(r.train.n, 4);
  EXPECT_EQ(r.train.timesteps, 8);
  EXPECT_EQ(r.test.n, 2);
  EXPECT_TRUE(r.ok);
  // One readout: the prediction is always 0, the label.
  EXPECT_EQ(r.test.accuracy(), 1.0);
  EXPECT_GT(r.test.cycles, 0);
}

TEST(TrainTest, UpdateEverySampleWithLearningOn) {
  chip::Core core(chip::testing::unit_sizes(), chip::testing::unit_regs());
  LoggingPort port(core);
  Schedule sc = training(1, 2, 1);
  sc.update_every_sample = true;
  sc.learning_on = true;
  train_test(port, [](int) { return batch(2); }, [](int) { return batch(1); }, sc);
  EXPECT_EQ(port.log, "L1 SttEU SttEU L0 SttE ");
}

TEST(TrainTest, InferenceDoesNotTouchLearning) {
  chip::Core core(chip::testing::unit_sizes(), chip::testing::unit_regs());
  LoggingPort port(core);
  Schedule sc;
  sc.test_batches = 1;
  sc.trace_first_test = true;
  const TrainTestResult r = train_test(port, nullptr, [](int) { return batch(2); }, sc);
  EXPECT_EQ(port.log, "SttE SttE ");
  EXPECT_EQ(r.first_test.spikes.size(), 2u);
  EXPECT_EQ(r.first_test.y.size(), 2u);
}

TEST(TrainTest, StopsAtTheFirstFailingSample) {
  chip::Core core(chip::testing::unit_sizes(), chip::testing::unit_regs());
  LoggingPort port(core);
  port.fail_after = 3;
  const Schedule sc = training(5, 2, 1);
  const TrainTestResult r = train_test(port, [](int) { return batch(2); }, [](int) { return batch(2); }, sc);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(port.log, "SttE SttEU SttE ");  // no CTRL.LEARN write and no test after the failure
  EXPECT_EQ(r.curve.size(), 2u);
  EXPECT_EQ(r.test.n, 0);
}

// The host's learning-rate schedule: before training batches 1 and 2 every LR_*_SHIFT grows by
// the step (rates times 2^-2 each time); a rate already at the largest shift halves its mantissa.
TEST(TrainTest, RateScheduleShiftsEveryRateAtItsMilestones) {
  namespace spec = chip::spec;
  chip::Regs regs = chip::testing::unit_regs();
  regs.lr_in = {300, 10};
  regs.lr_rec = {5, 20};
  regs.lr_out = {12, spec::LR_SHIFT.max_raw() - 3};
  chip::Core core(chip::testing::unit_sizes(), regs);
  LoggingPort port(core);
  Schedule sc = training(3, 1, 0);
  sc.lr_milestones = {1, 2};
  sc.lr_shift_step = 2;
  train_test(port, [](int) { return batch(1); }, nullptr, sc);
  const std::string shifts = "W" + std::to_string(spec::REG_LR_IN_SHIFT) + " W" + std::to_string(spec::REG_LR_REC_SHIFT) +
                             " W" + std::to_string(spec::REG_LR_OUT_SHIFT) + " ";
  // The second time, LR_OUT_SHIFT reaches 63 after one step: its mantissa shifts by the other.
  EXPECT_EQ(port.log, "SttEU " + shifts + "SttEU " + shifts + "W" + std::to_string(spec::REG_LR_OUT_MANT) + " SttEU L0 ");
  EXPECT_EQ(core.regs().lr_in, (chip::LearningRate{300, 14}));
  EXPECT_EQ(core.regs().lr_rec, (chip::LearningRate{5, 24}));
  EXPECT_EQ(core.regs().lr_out, (chip::LearningRate{6, spec::LR_SHIFT.max_raw()}));
}

}  // namespace
}  // namespace eligo::experiment
