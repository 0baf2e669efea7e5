// Optimisers, batch reduction, online e-prop and adaptive feedback of the float reference.
#include <gtest/gtest.h>

#include <cmath>

#include "golden_model/float/eprop.hpp"
#include "golden_model/float/optim.hpp"
#include "golden_model/float/trainer.hpp"
#include "test_util.hpp"

namespace eligo::fl {
namespace {

using testing::random_batch;
using testing::rel_err;
using testing::small_net;

Weights tiny_weights() {
  Weights w;
  w.w_in = MatrixXd::Constant(2, 3, 0.5);
  w.w_rec = MatrixXd::Zero(2, 2);
  w.w_rec(0, 1) = -0.25;
  w.w_rec(1, 0) = 0.75;
  w.w_out = MatrixXd::Constant(1, 2, 1.0);
  w.b_fb = MatrixXd::Constant(2, 1, 0.3);
  return w;
}

Gradients tiny_grads(double scale) {
  Gradients g;
  g.w_in = MatrixXd::Constant(2, 3, 0.1 * scale);
  g.w_rec = MatrixXd::Constant(2, 2, -0.2 * scale);
  g.w_out = MatrixXd::Constant(1, 2, 0.4 * scale);
  return g;
}

TEST(Optimizer, AdamMatchesHandComputedSteps) {
  TrainParams tp;
  tp.optimizer = {OptimizerKind::Adam, 0.01, 0.9, 0.999, 1e-8};
  Weights w = tiny_weights();
  Optimizer opt(tp, w);
  // Two steps with gradients g1 = 0.1 and g2 = 0.3 on W_in(0,0), by hand.
  opt.apply(w, tiny_grads(1.0));
  opt.apply(w, tiny_grads(3.0));
  double m = 0, v = 0, x = 0.5, b1p = 1, b2p = 1;
  for (double g : {0.1, 0.3}) {
    b1p *= 0.9;
    b2p *= 0.999;
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    x -= 0.01 * std::sqrt(1 - b2p) / (1 - b1p) * m / (std::sqrt(v) + 1e-8);
  }
  EXPECT_DOUBLE_EQ(w.w_in(0, 0), x);
  EXPECT_EQ(w.w_rec(0, 0), 0.0) << "no autapses after an update";
  EXPECT_EQ(opt.steps(), 2);
}

TEST(Optimizer, SgdWithL2AndClipping) {
  TrainParams tp;
  tp.optimizer.kind = OptimizerKind::SGD;
  tp.optimizer.lr = 0.5;
  tp.l2 = 0.1;
  tp.w_min = -0.3;
  tp.w_max = 0.6;
  Weights w = tiny_weights();
  Optimizer opt(tp, w);
  opt.apply(w, tiny_grads(1.0));
  // W_in: 0.5 - 0.5 * (0.1 + 0.1 * 0.5) = 0.425
  EXPECT_DOUBLE_EQ(w.w_in(0, 0), 0.425);
  // W_rec(1,0): 0.75 - 0.5 * (-0.2 + 0.075) = 0.8125, clipped to 0.6
  EXPECT_DOUBLE_EQ(w.w_rec(1, 0), 0.6);
  // W_rec(0,1): -0.25 - 0.5 * (-0.2 - 0.025) = -0.1375
  EXPECT_DOUBLE_EQ(w.w_rec(0, 1), -0.1375);
  // W_out: 1 - 0.5 * (0.4 + 0.1) = 0.75, clipped to 0.6
  EXPECT_DOUBLE_EQ(w.w_out(0, 0), 0.6);
  EXPECT_EQ(w.w_rec(0, 0), 0.0);
}

TEST(Optimizer, UntrainedMatricesStayFixed) {
  TrainParams tp;
  tp.optimizer.kind = OptimizerKind::SGD;
  tp.train_in = false;
  tp.train_out = false;
  Weights w = tiny_weights();
  const Weights before = w;
  Optimizer opt(tp, w);
  opt.apply(w, tiny_grads(1.0));
  EXPECT_EQ(w.w_in, before.w_in);
  EXPECT_EQ(w.w_out, before.w_out);
  EXPECT_NE(w.w_rec, before.w_rec);
}

TEST(Optimizer, AdaptiveFeedbackFollowsReadoutUpdate) {
  TrainParams tp;
  tp.optimizer.kind = OptimizerKind::SGD;
  tp.optimizer.lr = 0.5;
  tp.feedback = Feedback::Adaptive;
  tp.feedback_decay = 0.1;
  Weights w = tiny_weights();
  Optimizer opt(tp, w);
  opt.apply(w, tiny_grads(1.0));
  // W_out: (1 - 0.5 * 0.4) * 0.9 = 0.72;  B: (0.3 - 0.5 * 0.4) * 0.9 = 0.09
  EXPECT_DOUBLE_EQ(w.w_out(0, 1), 0.72);
  EXPECT_DOUBLE_EQ(w.b_fb(1, 0), 0.09);
}

TEST(Gradients, BatchSumIsBatchSizeTimesMean) {
  const Neurons n = Neurons::from(small_net(6, 4, 4, 2));
  const Weights w = init_weights(n, 5, 3.0, 1.0, 1.0, 1.0);
  const auto batch = random_batch(6, 2, 40, 4, 0.2, true, 6);
  TrainParams tp;
  tp.learning_window = 10;
  for (Algo algo : {Algo::BPTT, Algo::EProp}) {
    tp.algo = algo;
    tp.batch_mean = true;
    const Gradients mean = compute_gradients(n, w, tp, batch);
    tp.batch_mean = false;
    const Gradients sum = compute_gradients(n, w, tp, batch);
    ASSERT_GT(mean.w_rec.norm(), 0.0);
    EXPECT_LT(rel_err(sum.w_rec, 4.0 * mean.w_rec), 1e-12);
    EXPECT_LT(rel_err(sum.w_in, 4.0 * mean.w_in), 1e-12);
    EXPECT_LT(rel_err(sum.w_out, 4.0 * mean.w_out), 1e-12);
    // average_over_window divides by the window length.
    tp.batch_mean = true;
    tp.average_over_window = true;
    const Gradients avg = compute_gradients(n, w, tp, batch);
    EXPECT_LT(rel_err(10.0 * avg.w_rec, mean.w_rec), 1e-12);
    tp.average_over_window = false;
  }
}

// Online e-prop applies L(t) ebar(t) every step. With a tiny SGD step the weights barely change
// within the sequence, so the total change is -lr times the per-batch gradient (to O(lr^2)); with
// a large step the online run differs from the per-batch run (the updates really happen online).
TEST(Gradients, OnlineEpropAccumulatesToTheBatchGradient) {
  const Neurons n = Neurons::from(small_net(6, 4, 4, 2));
  const Weights w0 = init_weights(n, 8, 3.0, 1.0, 1.0, 1.0);
  const auto batch = random_batch(6, 2, 50, 2, 0.2, true, 9);
  TrainParams tp;
  tp.algo = Algo::EProp;
  tp.learning_window = 20;
  tp.c_reg = 0.5;
  tp.optimizer.kind = OptimizerKind::SGD;
  tp.update = UpdateMode::Online;
  tp.iterations = 1;
  const Gradients g = eprop_gradients(n, w0, tp, batch);
  ASSERT_GT(g.w_rec.norm(), 0.0);

  tp.optimizer.lr = 1e-9;
  Weights w = w0;
  train(n, w, tp, [&](int) { return batch; });
  EXPECT_LT(rel_err((w0.w_rec - w.w_rec) / 1e-9, g.w_rec), 1e-4);
  EXPECT_LT(rel_err((w0.w_in - w.w_in) / 1e-9, g.w_in), 1e-4);
  EXPECT_LT(rel_err((w0.w_out - w.w_out) / 1e-9, g.w_out), 1e-4);

  tp.optimizer.lr = 0.5;
  Weights online = w0, offline = w0;
  train(n, online, tp, [&](int) { return batch; });
  tp.update = UpdateMode::PerBatch;
  train(n, offline, tp, [&](int) { return batch; });
  EXPECT_GT(rel_err(online.w_rec, offline.w_rec), 1e-3);
}

TEST(Gradients, OnlineUpdatesNeedEprop) {
  const Neurons n = Neurons::from(small_net(6, 4, 4, 2));
  Weights w = init_weights(n, 8);
  TrainParams tp;
  tp.algo = Algo::BPTT;
  tp.update = UpdateMode::Online;
  EXPECT_THROW(train(n, w, tp, [&](int) { return random_batch(6, 2, 5, 1, 0.2, true, 1); }),
               std::invalid_argument);
}

// adam.hpp, the one Adam of the float reference (Optimizer, DeepR, MLP and CLAPP use it).
TEST(Adam, BiasCorrectionFoldsIntoTheStepSize) {
  AdamBiasCorrection c;
  const OptimizerParams o{OptimizerKind::Adam, 0.02, 0.8, 0.99, 1e-8};
  EXPECT_EQ(c.next(o), 0.02 * std::sqrt(1.0 - 0.99) / (1.0 - 0.8));
  const double b1p = 0.8 * 0.8, b2p = 0.99 * 0.99;
  EXPECT_EQ(c.next(o), 0.02 * std::sqrt(1.0 - b2p) / (1.0 - b1p));
  EXPECT_EQ(c.next(0.5, 0.8, 0.99), 0.5 * std::sqrt(1.0 - b2p * 0.99) / (1.0 - b1p * 0.8));
  c.reset();
  EXPECT_EQ(c.next(o), 0.02 * std::sqrt(1.0 - 0.99) / (1.0 - 0.8));
}

TEST(Adam, BlockStepEqualsTheScalarStepAndAscendsWithANegativeRate) {
  const OptimizerParams o{OptimizerKind::Adam, 0.0, 0.9, 0.999, 1e-8};
  Eigen::MatrixXd x(2, 2), g(2, 2), m = Eigen::MatrixXd::Zero(2, 2), v = m;
  x << 0.5, -0.25, 1.0, 0.0;
  g << 0.1, -0.3, 2.0, 1e-9;
  Eigen::MatrixXd up = x, mu = m, vu = v;  // ascent with -lr_t
  Eigen::MatrixXd xa = x;                   // ascent written out: x += lr_t m / (sqrt(v) + eps)
  Eigen::MatrixXd xs = x, ms = m, vs = v;   // adam_delta per entry
  AdamBiasCorrection c;
  for (int step = 0; step < 3; ++step) {
    const double lr_t = c.next(0.01, o.beta1, o.beta2);
    adam_step(x, g, m, v, o, lr_t);
    adam_step(up, g, mu, vu, o, -lr_t);
    xa.array() += lr_t * mu.array() / (vu.array().sqrt() + o.eps);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      xs(i) -= adam_delta(g(i), ms(i), vs(i), o, lr_t);
    }
    g *= -0.5;
  }
  EXPECT_EQ(x, xs) << "the block step and the scalar step are the same arithmetic";
  EXPECT_EQ(m, ms);
  EXPECT_EQ(v, vs);
  EXPECT_EQ(up, xa) << "a negative rate ascends, bit for bit";
  EXPECT_EQ(mu, m);
}

}  // namespace
}  // namespace eligo::fl
