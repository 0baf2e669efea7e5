// e-prop == BPTT with stopped z(t-1) gradients (exact), and BPTT == finite differences; the
// objective's classification accuracy.
#include <gtest/gtest.h>

#include <cmath>

#include "golden_model/float/bptt.hpp"
#include "golden_model/float/eprop.hpp"
#include "golden_model/float/objective.hpp"
#include "test_util.hpp"

namespace eligo::fl {
namespace {

using testing::random_batch;
using testing::rel_err;
using testing::small_net;

struct EpropCase {
  uint64_t seed;
  LossKind loss;
  bool reg;
  bool discard;
  RateReg rate_reg;
};

class EpropEqualsBptt : public ::testing::TestWithParam<EpropCase> {};

TEST_P(EpropEqualsBptt, SymmetricFeedbackGradientMatchesStoppedBptt) {
  const EpropCase c = GetParam();
  NetworkParams np = small_net(12, 7, 6, c.loss == LossKind::MSE ? 1 : 3);
  np.discard_input_at_step0 = c.discard;
  np.input_scaling = c.seed % 2 ? Scaling::One : Scaling::OneMinusDecay;
  np.readout_scaling = c.seed % 3 ? Scaling::OneMinusDecay : Scaling::One;
  const Neurons n = Neurons::from(np);
  Weights w = init_weights(n, c.seed, 3.0, 1.5, 1.0, 1.0);
  const int T = 60, B = 3;
  const auto batch = random_batch(np.n_in, np.n_out, T, B, 0.2, c.loss == LossKind::CrossEntropy,
                                  c.seed + 100);
  TrainParams tp;
  tp.loss = c.loss;
  tp.learning_window = c.loss == LossKind::CrossEntropy ? 20 : 0;
  tp.feedback = Feedback::Symmetric;
  tp.c_reg = c.reg ? 5.0 : 0.0;
  tp.rate_reg = c.rate_reg;
  tp.stop_z_gradient = true;

  const Gradients ge = eprop_gradients(n, w, tp, batch);
  const Gradients gb = bptt_gradients(n, w, tp, batch);
  ASSERT_GT(ge.rate_hz, 5.0) << "the network must spike for the test to mean anything";
  ASSERT_GT(gb.w_rec.norm(), 0.0);
  ASSERT_GT(gb.w_in.norm(), 0.0);
  EXPECT_LT(rel_err(ge.w_in, gb.w_in), 1e-10);
  EXPECT_LT(rel_err(ge.w_rec, gb.w_rec), 1e-10);
  EXPECT_LT(rel_err(ge.w_out, gb.w_out), 1e-10);
  EXPECT_EQ(ge.loss, gb.loss);

  // Without the stop, BPTT's gradient is a different one (the option really stops something).
  tp.stop_z_gradient = false;
  const Gradients full = bptt_gradients(n, w, tp, batch);
  EXPECT_GT(rel_err(full.w_rec, gb.w_rec), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(
    Seeds, EpropEqualsBptt,
    ::testing::Values(EpropCase{1, LossKind::CrossEntropy, false, false, RateReg::PerBatch},
                      EpropCase{2, LossKind::MSE, false, false, RateReg::PerBatch},
                      EpropCase{3, LossKind::CrossEntropy, true, true, RateReg::PerSequence},
                      EpropCase{4, LossKind::MSE, true, false, RateReg::PerBatch},
                      EpropCase{5, LossKind::CrossEntropy, true, false, RateReg::PerBatch},
                      EpropCase{6, LossKind::MSE, false, true, RateReg::PerSequence}),
    [](const ::testing::TestParamInfo<EpropCase>& info) {
      return "seed" + std::to_string(info.param.seed);
    });

// In sigmoid mode the network is differentiable and psi is dz/dv, so full BPTT must equal
// central finite differences of the objective E = loss + reg_loss (batch_mean = true).
class BpttFiniteDifferences : public ::testing::TestWithParam<LossKind> {};

TEST_P(BpttFiniteDifferences, MatchesCentralDifferences) {
  const LossKind loss = GetParam();
  NetworkParams np = small_net(4, 3, 3, loss == LossKind::MSE ? 2 : 3);
  np.spike_fn = SpikeFn::Sigmoid;
  np.sigmoid_width = 0.3;
  const Neurons n = Neurons::from(np);
  const Weights w0 = init_weights(n, 7, 2.0, 1.5, 1.0, 1.0);
  const auto batch = random_batch(np.n_in, np.n_out, 25, 2, 0.3, loss == LossKind::CrossEntropy, 9);
  TrainParams tp;
  tp.loss = loss;
  tp.learning_window = 10;
  tp.c_reg = 0.5;
  tp.rate_reg = RateReg::PerBatch;
  tp.stop_z_gradient = false;
  const Gradients g = bptt_gradients(n, w0, tp, batch);

  const double h = 1e-5;
  auto objective = [&](const Weights& w) {
    const Gradients e = evaluate(n, w, tp, batch);
    return e.loss + e.reg_loss;
  };
  auto check = [&](MatrixXd Weights::*field, const MatrixXd& analytic, const char* name) {
    MatrixXd fd = MatrixXd::Zero(analytic.rows(), analytic.cols());
    for (Eigen::Index r = 0; r < fd.rows(); ++r) {
      for (Eigen::Index c = 0; c < fd.cols(); ++c) {
        if (field == &Weights::w_rec && r == c) continue;  // no autapses
        Weights wp = w0, wm = w0;
        (wp.*field)(r, c) += h;
        (wm.*field)(r, c) -= h;
        fd(r, c) = (objective(wp) - objective(wm)) / (2 * h);
      }
    }
    ASSERT_GT(fd.norm(), 1e-6) << name;
    EXPECT_LT(rel_err(analytic, fd), 1e-5) << name << "\nanalytic:\n" << analytic << "\nfd:\n" << fd;
  };
  check(&Weights::w_in, g.w_in, "W_in");
  check(&Weights::w_rec, g.w_rec, "W_rec");
  check(&Weights::w_out, g.w_out, "W_out");
}

INSTANTIATE_TEST_SUITE_P(Losses, BpttFiniteDifferences,
                         ::testing::Values(LossKind::MSE, LossKind::CrossEntropy),
                         [](const ::testing::TestParamInfo<LossKind>& info) {
                           return info.param == LossKind::MSE ? "mse" : "cross_entropy";
                         });

}  // namespace
}  // namespace eligo::fl

#include "golden_model/tasks/evidence_accumulation.hpp"

namespace eligo::fl {
namespace {

// Streamed and stored batches give bit-identical gradients (both learners read StepReader).
TEST(StreamedBatch, GradientsEqualStoredBatch) {
  NetworkParams np = testing::small_net(8, 5, 5, 2);
  const Neurons n = Neurons::from(np);
  const Weights w = init_weights(n, 3, 3.0, 1.5, 1.0, 1.0);
  tasks::EvidenceAccumulationParams p;
  p.n_in = 8;
  p.t_cue = 10;
  p.t_cue_spacing = 15;
  p.t_delay = 20;
  p.t_recall = 10;
  p.f_cue_hz = 200;
  p.f_background_hz = 50;
  const auto stored = tasks::make_evidence_accumulation(p, 3, 5);
  const auto streamed = tasks::stream_evidence_accumulation(p, 3, 5);
  TrainParams tp;
  tp.learning_window = 10;
  tp.c_reg = 1.0;
  for (bool stop : {false, true}) {
    tp.stop_z_gradient = stop;
    const Gradients a = bptt_gradients(n, w, tp, stored), b = bptt_gradients(n, w, tp, streamed);
    EXPECT_EQ(a.w_in, b.w_in);
    EXPECT_EQ(a.w_rec, b.w_rec);
    EXPECT_EQ(a.loss, b.loss);
  }
  const Gradients a = eprop_gradients(n, w, tp, stored), b = eprop_gradients(n, w, tp, streamed);
  ASSERT_GT(a.w_in.norm(), 0.0);
  EXPECT_EQ(a.w_in, b.w_in);
  EXPECT_EQ(a.w_rec, b.w_rec);
  EXPECT_EQ(a.w_out, b.w_out);
  EXPECT_EQ(a.accuracy, b.accuracy);
}

// Accuracy (argmax of the readouts summed over the window) is reported for cross entropy and
// for MSE on a labelled task, the same value for both (it depends on the forward pass only);
// MSE on a regression task (no labels) has none (-1).
TEST(Objective, AccuracyForLabelledTasksWithEitherLoss) {
  const NetworkParams np = small_net(12, 7, 6, 3);
  const Neurons n = Neurons::from(np);
  const Weights w = init_weights(n, 5, 3.0, 1.5, 1.0, 1.0);
  const auto labelled = random_batch(np.n_in, np.n_out, 60, 16, 0.2, true, 9);
  TrainParams tp;
  tp.learning_window = 20;
  tp.loss = LossKind::CrossEntropy;
  const double ce = evaluate(n, w, tp, labelled).accuracy;
  tp.loss = LossKind::MSE;
  const double mse = evaluate(n, w, tp, labelled).accuracy;
  EXPECT_GE(ce, 0.0);
  EXPECT_LE(ce, 1.0);
  EXPECT_EQ(mse, ce);
  EXPECT_EQ(std::round(ce * 16), ce * 16);  // a count of the 16 samples
  tp.learning_window = 0;
  EXPECT_EQ(evaluate(n, w, tp, random_batch(np.n_in, np.n_out, 60, 4, 0.2, false, 9)).accuracy, -1.0);
}

}  // namespace
}  // namespace eligo::fl
