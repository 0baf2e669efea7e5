// DEEP R (deepr.hpp): exact-K invariant (per matrix and global), fixed signs, dormant weights
// exactly zero, Adam cannot revive a dormant connection, W_rec diagonal never active,
// determinism, and the gradient part equals plain SGD / fl::Optimizer's Adam on active connections.
#include "golden_model/float/deepr.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <stdexcept>

#include "golden_model/float/deepr_lsnn.hpp"
#include "golden_model/float/mlp.hpp"
#include "golden_model/float/optim.hpp"
#include "test_util.hpp"

namespace eligo::fl {
namespace {

using Eigen::MatrixXd;
using testing::random_batch;
using testing::small_net;

MatrixXd random_matrix(int rows, int cols, double scale, uint64_t seed) {
  tasks::Rng rng(seed);
  MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < m.size(); ++j) m.data()[j] = scale * rng.normal();
  return m;
}

using BoolMatrix = Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>;

BoolMatrix no_diagonal(int n) {
  BoolMatrix a = BoolMatrix::Constant(n, n, true);
  a.matrix().diagonal().setConstant(false);
  return a;
}

OptimizerParams adam(double lr) { return {OptimizerKind::Adam, lr, 0.9, 0.999, 1e-8}; }
OptimizerParams sgd(double lr) { return {OptimizerKind::SGD, lr, 0.9, 0.999, 1e-8}; }

// Three matrices (one with an excluded diagonal), trained with random gradients under noise and
// L1 so that connections die and are re-activated. Checks the invariants after every step.
struct Fixture {
  MatrixXd a, r, o;
  Fixture() : a(random_matrix(12, 9, 0.3, 1)), r(random_matrix(10, 10, 0.3, 2)), o(random_matrix(3, 10, 0.3, 3)) {}
  std::vector<DeepRMatrix> mats() {
    return {{"a", &a, {}}, {"r", &r, no_diagonal(10)}, {"o", &o, {}}};
  }
};

void run_random_steps(DeepR& dr, Fixture& f, int steps, uint64_t seed,
                      const std::function<void(int)>& after_step) {
  for (int s = 0; s < steps; ++s) {
    const MatrixXd ga = random_matrix(12, 9, 1.0, seed + 3 * s);
    const MatrixXd gr = random_matrix(10, 10, 1.0, seed + 3 * s + 1);
    const MatrixXd go = random_matrix(3, 10, 1.0, seed + 3 * s + 2);
    dr.apply({&ga, &gr, &go});
    after_step(s);
  }
  (void)f;
}

TEST(DeepR, InitialisationPicksKConnectionsWithSignsAndMagnitudesOfTheWeights) {
  Fixture f;
  const Fixture orig;
  DeepRParams p;
  p.connectivity = 0.25;
  p.connectivity_of["o"] = 0.5;
  DeepR dr(f.mats(), p, adam(0.01));
  EXPECT_EQ(dr.n_allowed(0), 108);
  EXPECT_EQ(dr.n_allowed(1), 90);
  EXPECT_EQ(dr.k(0), 27);  // round(0.25 * 108)
  EXPECT_EQ(dr.k(1), 23);  // round(0.25 * 90) = round(22.5)
  EXPECT_EQ(dr.k(2), 15);
  EXPECT_EQ(dr.k_total(), 65);
  dr.check_invariants();
  const MatrixXd* now[] = {&f.a, &f.r, &f.o};
  const MatrixXd* was[] = {&orig.a, &orig.r, &orig.o};
  for (int i = 0; i < 3; ++i) {
    long nnz = 0;
    for (Eigen::Index c = 0; c < now[i]->cols(); ++c) {
      for (Eigen::Index r = 0; r < now[i]->rows(); ++r) {
        if (!dr.allowed(i, r, c)) continue;
        EXPECT_EQ(dr.sign(i, r, c), (*was[i])(r, c) > 0 ? 1 : -1);
        if (dr.active(i, r, c)) {
          ++nnz;
          EXPECT_EQ((*now[i])(r, c), (*was[i])(r, c));  // theta = |w|, w = s theta
        } else {
          EXPECT_EQ((*now[i])(r, c), 0.0);
        }
      }
    }
    EXPECT_EQ(nnz, dr.k(i));
  }
}

TEST(DeepR, ErdosRenyiAllocationFavoursSmallMatricesAndSumsToK) {
  MatrixXd a = random_matrix(40, 30, 0.3, 1), b = random_matrix(30, 10, 0.3, 2),
           c = random_matrix(10, 2, 0.3, 3);
  const long total = 1200 + 300 + 20;
  for (bool global : {false, true}) {
    for (double p : {0.05, 0.3}) {
      MatrixXd x = a, y = b, z = c;
      DeepRParams dp;
      dp.connectivity = p;
      dp.global_k = global;
      dp.allocation = Allocation::ErdosRenyi;
      DeepR dr({{"a", &x, {}}, {"b", &y, {}}, {"c", &z, {}}}, dp, sgd(0.1));
      EXPECT_EQ(dr.k_total(), std::lround(p * total));
      EXPECT_EQ(dr.n_active_total(), dr.k_total());
      const double da = double(dr.n_active(0)) / 1200, db = double(dr.n_active(1)) / 300,
                   dc = double(dr.n_active(2)) / 20;
      EXPECT_LT(da, db);
      EXPECT_LE(db, dc);
      // Densities follow (rows + cols) / (rows * cols) unless capped at 1:
      // a: 70/1200, b: 40/300, c: 12/20 -> c is capped at p = 0.3.
      if (p == 0.3) {
        EXPECT_EQ(dr.n_active(2), 20);
      } else {
        EXPECT_NEAR(db / da, (40.0 / 300) / (70.0 / 1200), 0.3);
      }
      if (!global) {
        EXPECT_EQ(dr.k(0) + dr.k(1) + dr.k(2), dr.k_total());
      }
      dr.check_invariants();
    }
  }
}

TEST(DeepR, ScaleByDensityKeepsTheInputVariance) {
  MatrixXd w = MatrixXd::Constant(10, 10, -0.2);
  DeepRParams p;
  p.connectivity = 0.25;
  p.scale_by_density = true;
  p.init_gain = 1.5;
  DeepR dr({{"w", &w, {}}}, p, sgd(0.1));
  for (Eigen::Index j = 0; j < 100; ++j) {
    if (dr.active(0, j % 10, j / 10)) {
      EXPECT_DOUBLE_EQ(w(j % 10, j / 10), -0.2 * 1.5 / std::sqrt(0.25));
    }
  }
}

TEST(DeepR, ExactKPerMatrixSignsFixedDormantZeroAfterEveryStep) {
  Fixture f;
  DeepRParams p;
  p.connectivity = 0.3;
  p.l1 = 0.5;
  p.temperature = 1e-4;
  p.seed = 7;
  DeepR dr(f.mats(), p, adam(0.02));
  // Signs of every allowed entry at the start.
  std::vector<std::vector<int>> signs(3);
  const MatrixXd* ms[] = {&f.a, &f.r, &f.o};
  for (int i = 0; i < 3; ++i) {
    for (Eigen::Index c = 0; c < ms[i]->cols(); ++c)
      for (Eigen::Index r = 0; r < ms[i]->rows(); ++r)
        signs[i].push_back(dr.allowed(i, r, c) ? dr.sign(i, r, c) : 0);
  }
  run_random_steps(dr, f, 300, 100, [&](int s) {
    dr.check_invariants();
    for (int i = 0; i < 3; ++i) {
      ASSERT_EQ(dr.n_active(i), dr.k(i)) << "step " << s << " matrix " << i;
      size_t k = 0;
      for (Eigen::Index c = 0; c < ms[i]->cols(); ++c) {
        for (Eigen::Index r = 0; r < ms[i]->rows(); ++r, ++k) {
          const double w = (*ms[i])(r, c);
          if (!dr.allowed(i, r, c)) {
            ASSERT_EQ(w, 0.0);
            continue;
          }
          ASSERT_EQ(dr.sign(i, r, c), signs[i][k]) << "sign changed at step " << s;
          if (!dr.active(i, r, c)) {
            ASSERT_EQ(w, 0.0) << "dormant weight not exactly zero";
          }
          if (w != 0.0) {
            ASSERT_EQ(w > 0 ? 1 : -1, signs[i][k]) << "weight has the wrong sign";
          }
        }
      }
    }
  });
  EXPECT_GT(dr.rewired_total(), 100) << "the run must actually rewire";
  EXPECT_EQ(dr.steps(), 300);
}

TEST(DeepR, ExactKGlobalLetsMatricesTradeConnections) {
  Fixture f;
  DeepRParams p;
  p.connectivity = 0.2;
  p.global_k = true;
  p.l1 = 0.5;
  p.temperature = 1e-4;
  DeepR dr(f.mats(), p, sgd(0.02));
  EXPECT_EQ(dr.k_total(), std::lround(0.2 * (108 + 90 + 30)));
  EXPECT_EQ(dr.k(0), -1);
  std::vector<long> first = {dr.n_active(0), dr.n_active(1), dr.n_active(2)};
  bool moved = false;
  run_random_steps(dr, f, 300, 200, [&](int) {
    dr.check_invariants();
    ASSERT_EQ(dr.n_active_total(), dr.k_total());
    moved = moved || dr.n_active(0) != first[0] || dr.n_active(2) != first[2];
  });
  EXPECT_TRUE(moved) << "with a global K the per-matrix counts drift";
  EXPECT_GT(dr.rewired_total(), 100);
}

TEST(DeepR, RecurrentDiagonalNeverActive) {
  MatrixXd r = random_matrix(8, 8, 0.5, 4);
  DeepRParams p;
  p.connectivity = 1.0;  // every allowed entry active: K = 56, the diagonal stays out
  p.l1 = 1.0;
  p.temperature = 1e-3;
  DeepR dr({{"w_rec", &r, no_diagonal(8)}}, p, adam(0.05));
  EXPECT_EQ(dr.k(0), 56);
  for (int s = 0; s < 200; ++s) {
    const MatrixXd g = random_matrix(8, 8, 10.0, 50 + s);  // large gradients on the diagonal too
    dr.apply({&g});
    for (int j = 0; j < 8; ++j) {
      ASSERT_FALSE(dr.active(0, j, j));
      ASSERT_EQ(r(j, j), 0.0);
    }
    ASSERT_EQ(dr.n_active(0), 56);
  }
  EXPECT_GT(dr.rewired_total(), 0);
}

TEST(DeepR, SameSeedSameResultsDifferentSeedDifferent) {
  auto run = [](uint64_t seed) {
    Fixture f;
    DeepRParams p;
    p.connectivity = 0.3;
    p.l1 = 0.3;
    p.temperature = 1e-3;
    p.sign_init = SignInit::Random;
    p.seed = seed;
    DeepR dr(f.mats(), p, adam(0.02));
    run_random_steps(dr, f, 50, 300, [](int) {});
    return std::vector<MatrixXd>{f.a, f.r, f.o};
  };
  const auto x = run(5), y = run(5), z = run(6);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(x[i], y[i]) << "matrix " << i;
  EXPECT_NE(x[0], z[0]);
}

TEST(DeepR, GradientPartEqualsPlainSgdOnActiveConnections) {
  // T = 0, alpha = 0, weights far from zero: no connection dies, so DEEP R must be exactly
  // W <- W - lr g on the active entries (and 0 elsewhere).
  MatrixXd w = random_matrix(6, 7, 1.0, 9);
  for (Eigen::Index j = 0; j < w.size(); ++j) w.data()[j] += w.data()[j] > 0 ? 2.0 : -2.0;
  DeepRParams p;
  p.connectivity = 0.5;
  DeepR dr({{"w", &w, {}}}, p, sgd(0.01));
  const MatrixXd mask = dr.active_mask(0);
  MatrixXd ref = w;
  for (int s = 0; s < 50; ++s) {
    const MatrixXd g = random_matrix(6, 7, 1.0, 70 + s);
    dr.apply({&g});
    ref -= 0.01 * g;
    ref = ref.cwiseProduct(mask);
    ASSERT_EQ(w, ref) << "step " << s;
  }
  EXPECT_EQ(dr.rewired_total(), 0);
  EXPECT_EQ(dr.active_mask(0), mask);
}

TEST(DeepR, AdamEqualsOptimizerOnConnectionsActiveFromTheStart) {
  TrainParams tp;
  tp.optimizer = adam(0.003);
  tp.train_rec = tp.train_out = false;
  Weights ref;
  ref.w_in = random_matrix(5, 4, 1.0, 10);
  for (Eigen::Index j = 0; j < ref.w_in.size(); ++j) ref.w_in.data()[j] += ref.w_in.data()[j] > 0 ? 1.0 : -1.0;
  ref.w_rec = MatrixXd::Zero(5, 5);
  ref.w_out = MatrixXd::Zero(1, 5);
  ref.b_fb = MatrixXd::Zero(5, 1);
  MatrixXd w = ref.w_in;
  DeepRParams p;
  p.connectivity = 1.0;
  DeepR dr({{"w_in", &w, {}}}, p, tp.optimizer);
  Optimizer opt(tp, ref);
  Gradients g;
  g.w_rec = MatrixXd::Zero(5, 5);
  g.w_out = MatrixXd::Zero(1, 5);
  for (int s = 0; s < 40; ++s) {
    g.w_in = random_matrix(5, 4, 1.0, 500 + s);
    opt.apply(ref, g);
    dr.apply({&g.w_in});
    ASSERT_EQ(w, ref.w_in) << "step " << s;
  }
}

TEST(DeepR, L1ShrinksThetaByLrAlphaPerStepUntilDormant) {
  MatrixXd w(1, 3);
  w << 0.1, -0.035, 0.5;
  DeepRParams p;
  p.connectivity = 1.0;
  p.l1 = 0.5;
  DeepR dr({{"w", &w, {}}}, p, sgd(0.02));  // theta -= 0.01 per step with zero gradient
  const MatrixXd zero = MatrixXd::Zero(1, 3);
  for (int s = 0; s < 3; ++s) dr.apply({&zero});
  EXPECT_NEAR(w(0, 0), 0.07, 1e-15);
  EXPECT_NEAR(w(0, 1), -0.005, 1e-15);
  EXPECT_NEAR(w(0, 2), 0.47, 1e-15);
  dr.apply({&zero});  // theta(1) = 0.005 - 0.01 < 0: dormant, and re-activated at theta = 0 (K = 3)
  EXPECT_EQ(dr.rewired_last(), 1);
  EXPECT_EQ(w(0, 1), 0.0);
  EXPECT_TRUE(dr.active(0, 0, 1));
  EXPECT_EQ(dr.theta(0, 0, 1), 0.0);
  EXPECT_EQ(dr.sign(0, 0, 1), -1);
}

TEST(DeepR, TemperatureGivesNoiseOfVarianceTwoLrT) {
  MatrixXd w = MatrixXd::Constant(100, 100, 10.0);
  DeepRParams p;
  p.connectivity = 1.0;
  p.temperature = 0.5;
  DeepR dr({{"w", &w, {}}}, p, sgd(0.01));  // std sqrt(2 * 0.01 * 0.5) = 0.1
  const MatrixXd zero = MatrixXd::Zero(100, 100);
  dr.apply({&zero});
  const double mean = (w.array() - 10.0).mean();
  const double var = (w.array() - 10.0).square().mean();
  EXPECT_NEAR(mean, 0.0, 0.005);  // 5 sigma of the mean of 10^4 draws: 5 * 0.1 / 100
  EXPECT_NEAR(var, 0.01, 0.0008);
}

TEST(DeepR, AdamMomentumCannotReviveADormantConnection) {
  // One active connection (K = 1 of 10). Its gradient says "grow" (dE/dtheta = -1), so Adam's
  // first moment is negative (pushes theta up), but a strong L1 term pulls theta below zero.
  // Plain Adam on theta (moments kept, gradient of a dormant connection 0, L1 only on active
  // connections, as in the reference TF implementation) would then revive it with its stale
  // momentum; DEEP R must not.
  const double lr = 0.01, alpha = 2.0;
  MatrixXd w = MatrixXd::Constant(1, 10, 0.05);
  DeepRParams p;
  p.connectivity = 0.1;
  p.l1 = alpha;
  p.seed = 4;
  DeepR dr({{"w", &w, {}}}, p, adam(lr));
  Eigen::Index j0 = -1;
  for (Eigen::Index j = 0; j < 10; ++j)
    if (dr.active(0, 0, j)) j0 = j;
  ASSERT_GE(j0, 0);
  const MatrixXd grow = MatrixXd::Constant(1, 10, -1.0);  // every entry "wants" to grow

  // The naive reference, by hand, to show the scenario is real.
  double th = 0.05, m = 0, v = 0, b1p = 1, b2p = 1;
  int died = -1;
  bool revived = false;
  for (int s = 0; s < 30; ++s) {
    const bool act = th > 0;
    const double g = act ? -1.0 : 0.0;
    b1p *= 0.9;
    b2p *= 0.999;
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    th -= lr * std::sqrt(1 - b2p) / (1 - b1p) * m / (std::sqrt(v) + 1e-8);
    if (act) th -= lr * alpha;
    if (act && th <= 0 && died < 0) died = s;
    if (died >= 0 && s > died && th > 0) revived = true;
  }
  ASSERT_GE(died, 0);
  ASSERT_TRUE(revived) << "naive Adam revives the connection (otherwise the test proves nothing)";

  // DEEP R: step until j0 turns dormant, then it must stay at w = 0 unless rewiring re-activates
  // it, and then only with theta = 0 and fresh Adam moments.
  int s = 0;
  for (; s < 30; ++s) {
    dr.apply({&grow});
    if (dr.rewired_last() == 1) break;  // the (only) active connection died at this step
    ASSERT_LT(dr.adam_m(0, 0, j0), 0.0) << "momentum points up (theta grows)";
  }
  ASSERT_LT(s, 30);
  ASSERT_FALSE(dr.active(0, 0, j0)) << "choose another seed: j0 was re-drawn when it died";
  EXPECT_EQ(w(0, j0), 0.0);
  EXPECT_EQ(dr.theta(0, 0, j0), 0.0);
  EXPECT_EQ(dr.adam_m(0, 0, j0), 0.0);
  EXPECT_EQ(dr.adam_v(0, 0, j0), 0.0);
  for (int t = 0; t < 50; ++t) {
    const bool was_active = dr.active(0, 0, j0);
    dr.apply({&grow});
    dr.check_invariants();
    if (!was_active && dr.active(0, 0, j0)) {
      // Re-activated by rewiring this step: theta = 0, w = 0, fresh moments.
      EXPECT_EQ(w(0, j0), 0.0);
      EXPECT_EQ(dr.adam_m(0, 0, j0), 0.0);
    }
    if (!dr.active(0, 0, j0)) {
      ASSERT_EQ(w(0, j0), 0.0) << "dormant connection revived at step " << t;
    }
    // With this L1 every newly activated connection dies at its first update (fresh Adam moves
    // theta up by at most ~lr, L1 pulls it down by 2 lr): no weight is ever nonzero again.
    ASSERT_EQ(w.cwiseAbs().maxCoeff(), 0.0);
  }
}

TEST(DeepR, ReactivatedConnectionStartsAFreshAdam) {
  // One allowed entry, K = 1: when it dies it is re-drawn at once (theta = 0). Step 1: g = +1
  // kills it (theta 0.12 - lr - lr alpha < 0). Step 2: g = -1. A fresh Adam's first step is
  // about lr sign(g), so theta ~ lr - lr alpha = 0.05; with the stale moments of step 1
  // (m = 0.1) the step would be about -0.005 and the connection would die again.
  const double lr = 0.1, alpha = 0.5;
  MatrixXd w = MatrixXd::Constant(1, 1, 0.12);
  DeepRParams p;
  p.connectivity = 1.0;
  p.l1 = alpha;
  DeepR dr({{"w", &w, {}}}, p, adam(lr));
  const MatrixXd up = MatrixXd::Constant(1, 1, 1.0), down = MatrixXd::Constant(1, 1, -1.0);
  dr.apply({&up});
  EXPECT_EQ(dr.deactivated_last(), 1);
  EXPECT_EQ(dr.rewired_last(), 1);
  EXPECT_TRUE(dr.active(0, 0, 0));
  EXPECT_EQ(dr.theta(0, 0, 0), 0.0);
  EXPECT_EQ(dr.adam_m(0, 0, 0), 0.0);
  EXPECT_EQ(dr.adam_v(0, 0, 0), 0.0);
  dr.apply({&down});
  EXPECT_EQ(dr.deactivated_last(), 0);
  // Fresh Adam, n = 1: m = 0.1 g, v = 0.001 g^2, lr_t = lr sqrt(0.001) / 0.1.
  const double m = (1.0 - 0.9) * -1.0, v = 1.0 - 0.999;
  const double lr_t = lr * std::sqrt(1.0 - 0.999) / (1.0 - 0.9);
  EXPECT_NEAR(dr.theta(0, 0, 0), -lr_t * m / (std::sqrt(v) + 1e-8) - lr * alpha, 1e-15);
  EXPECT_NEAR(dr.theta(0, 0, 0), lr - lr * alpha, 1e-6);
  EXPECT_DOUBLE_EQ(w(0, 0), dr.theta(0, 0, 0));
}

TEST(DeepR, ReactivationIsUniformOverDormantConnections) {
  // K = 1 of 10 and an L1 that kills the active connection at every step: each step re-draws one
  // of the 10 uniformly (including the one that just died).
  MatrixXd w = MatrixXd::Constant(1, 10, 0.01);
  DeepRParams p;
  p.connectivity = 0.1;
  p.l1 = 10.0;
  DeepR dr({{"w", &w, {}}}, p, sgd(0.1));
  const MatrixXd zero = MatrixXd::Zero(1, 10);
  std::vector<int> count(10, 0);
  const int n = 5000;
  for (int s = 0; s < n; ++s) {
    dr.apply({&zero});
    ASSERT_EQ(dr.rewired_last(), 1);
    for (int j = 0; j < 10; ++j) count[size_t(j)] += dr.active(0, 0, j);
  }
  for (int j = 0; j < 10; ++j) EXPECT_NEAR(count[size_t(j)], n / 10, 5 * std::sqrt(n * 0.09)) << j;
}

TEST(DeepR, RejectsBadParameters) {
  MatrixXd w = MatrixXd::Ones(2, 2), g3 = MatrixXd::Zero(3, 2);
  DeepRParams p;
  p.connectivity = 0.0;
  EXPECT_THROW(DeepR({{"w", &w, {}}}, p, sgd(0.1)), std::invalid_argument);
  p.connectivity = 1.5;
  EXPECT_THROW(DeepR({{"w", &w, {}}}, p, sgd(0.1)), std::invalid_argument);
  p.connectivity = 0.5;
  EXPECT_THROW(DeepR({{"w", &w, {}}}, p, sgd(0.0)), std::invalid_argument);
  EXPECT_THROW(DeepR({{"w", &w, BoolMatrix::Constant(3, 2, true)}}, p, sgd(0.1)), std::invalid_argument);
  EXPECT_THROW(DeepR({{"w", &w, BoolMatrix::Constant(2, 2, false)}}, p, sgd(0.1)), std::invalid_argument);
  EXPECT_THROW(DeepR({{"w", nullptr, {}}}, p, sgd(0.1)), std::invalid_argument);
  p.connectivity_of["nope"] = 0.5;
  EXPECT_THROW(DeepR({{"w", &w, {}}}, p, sgd(0.1)), std::invalid_argument);
  p.connectivity_of.clear();
  p.l1 = -1;
  EXPECT_THROW(DeepR({{"w", &w, {}}}, p, sgd(0.1)), std::invalid_argument);
  p.l1 = 0;
  DeepR dr({{"w", &w, {}}}, p, sgd(0.1));
  EXPECT_THROW(dr.apply({&g3}), std::invalid_argument);
  EXPECT_THROW(dr.apply({}), std::invalid_argument);
}

TEST(DeepR, InvariantCheckCatchesAnExternallyWrittenDormantWeight) {
  MatrixXd w = MatrixXd::Ones(3, 3);
  DeepRParams p;
  p.connectivity = 0.5;
  DeepR dr({{"w", &w, {}}}, p, sgd(0.1));
  dr.check_invariants();
  for (Eigen::Index j = 0; j < 9; ++j) {
    if (!dr.active(0, j % 3, j / 3)) {
      w(j % 3, j / 3) = 0.25;
      break;
    }
  }
  EXPECT_THROW(dr.check_invariants(), std::logic_error);
}

// ------------------------------------------------------------------------------------------
// Integration: LSNN (BPTT, e-prop) and the MLP.

TEST(DeepRLsnn, BothAlgorithmsKeepTheInvariantsAndExcludeTheDiagonal) {
  const Neurons n = Neurons::from(small_net(6, 5, 5, 2));
  for (Algo algo : {Algo::BPTT, Algo::EProp}) {
    for (bool global : {false, true}) {
      Weights w = init_weights(n, 3, 3.0, 1.0, 1.0, 1.0);
      const Weights w0 = w;
      TrainParams tp;
      tp.algo = algo;
      tp.learning_window = 10;
      tp.iterations = 15;
      tp.optimizer = adam(0.05);
      DeepRParams dp;
      dp.connectivity = 0.4;
      dp.global_k = global;
      dp.l1 = 0.05;
      dp.temperature = 1e-5;
      auto dr = make_lsnn_deepr(n, w, tp, dp);
      ASSERT_EQ(dr->n_matrices(), 3);
      EXPECT_EQ(dr->n_allowed(1), 90);
      int calls = 0;
      const auto log = train_deepr(n, w, tp, *dr, [&](int i) {
        ++calls;
        return random_batch(6, 2, 30, 3, 0.2, true, 40 + i);
      });
      EXPECT_EQ(calls, 15);
      ASSERT_EQ(log.size(), 15u);
      dr->check_invariants();
      EXPECT_EQ(dr->n_active_total(), dr->k_total());
      for (int j = 0; j < 10; ++j) EXPECT_EQ(w.w_rec(j, j), 0.0);
      EXPECT_EQ(w.b_fb, w0.b_fb);
      EXPECT_GT((w.w_rec.array() != 0.0).count(), 0);
      EXPECT_LT((w.w_rec.array() != 0.0).count(), 90);
    }
  }
}

TEST(DeepRLsnn, RejectsUnsupportedOptions) {
  const Neurons n = Neurons::from(small_net(4, 2, 2, 1));
  Weights w = init_weights(n, 1);
  DeepRParams dp;
  TrainParams tp;
  tp.update = UpdateMode::Online;
  EXPECT_THROW(make_lsnn_deepr(n, w, tp, dp), std::invalid_argument);
  tp.update = UpdateMode::PerBatch;
  tp.feedback = Feedback::Adaptive;
  EXPECT_THROW(make_lsnn_deepr(n, w, tp, dp), std::invalid_argument);
  tp.feedback = Feedback::Random;
  tp.w_max = 1.0;
  EXPECT_THROW(make_lsnn_deepr(n, w, tp, dp), std::invalid_argument);
}

TEST(DeepRLsnn, UntrainedMatricesAreNotManaged) {
  const Neurons n = Neurons::from(small_net(4, 3, 3, 2));
  Weights w = init_weights(n, 2);
  const Weights w0 = w;
  TrainParams tp;
  tp.train_in = false;
  DeepRParams dp;
  dp.connectivity = 0.5;
  auto dr = make_lsnn_deepr(n, w, tp, dp);
  ASSERT_EQ(dr->n_matrices(), 2);
  EXPECT_EQ(dr->name(0), "w_rec");
  EXPECT_EQ(w.w_in, w0.w_in);
}

TEST(DeepRMlp, GradientsMatchFiniteDifferences) {
  Mlp net = init_mlp({5, 4, 3}, 1);
  tasks::Rng rng(2);
  MatrixXd x(5, 6);
  for (Eigen::Index j = 0; j < x.size(); ++j) x.data()[j] = rng.uniform();
  const std::vector<int> labels = {0, 1, 2, 2, 1, 0};
  MlpGradients g;
  MlpWorkspace ws;
  mlp_gradients(net, x, labels, g, ws);
  auto loss = [&](const Mlp& m) {
    MlpGradients gg;
    MlpWorkspace w2;
    mlp_gradients(m, x, labels, gg, w2);
    return gg.loss;
  };
  const double h = 1e-6;
  for (int l = 0; l < 2; ++l) {
    for (Eigen::Index j = 0; j < net.w[l].size(); ++j) {
      Mlp p = net, q = net;
      p.w[l].data()[j] += h;
      q.w[l].data()[j] -= h;
      EXPECT_NEAR(g.w[l].data()[j], (loss(p) - loss(q)) / (2 * h), 1e-7) << "w" << l << " " << j;
    }
    for (Eigen::Index j = 0; j < net.b[l].size(); ++j) {
      Mlp p = net, q = net;
      p.b[l](j) += h;
      q.b[l](j) -= h;
      EXPECT_NEAR(g.b[l](j), (loss(p) - loss(q)) / (2 * h), 1e-7) << "b" << l << " " << j;
    }
  }
}

TEST(DeepRMlp, TrainingKeepsKAndIsDeterministic) {
  // Tiny synthetic data: 2 classes of random 16-pixel images.
  ImageData d;
  d.x.resize(16, 200);
  tasks::Rng rng(4);
  for (int i = 0; i < 200; ++i) {
    d.labels.push_back(i % 2);
    for (int k = 0; k < 16; ++k) d.x(k, i) = uint8_t(rng.uniform_int(0, 127) + (k < 8) * (i % 2) * 128);
  }
  auto run = [&](const DeepRParams* dp) {
    Mlp net = init_mlp({16, 12, 2}, 5);
    MlpTrainParams tp;
    tp.epochs = 3;
    tp.batch_size = 32;
    tp.optimizer.lr = 0.01;
    const auto log = train_mlp(net, d, tp, dp, &d);
    return std::make_pair(net, log);
  };
  DeepRParams dp;
  dp.connectivity = 0.25;
  dp.global_k = true;
  dp.l1 = 1e-3;
  dp.temperature = 1e-8;
  const auto [a, la] = run(&dp);
  const auto [b, lb] = run(&dp);
  EXPECT_EQ(a.w[0], b.w[0]);
  EXPECT_EQ(a.b[1], b.b[1]);
  const long k = std::lround(0.25 * (16 * 12 + 12 * 2));
  for (const auto& e : la) EXPECT_EQ(e.active[0] + e.active[1], k);
  EXPECT_EQ((a.w[0].array() != 0).count() + (a.w[1].array() != 0).count() <= k, true);
  EXPECT_GT(la.back().test_accuracy, 0.9);  // trivially separable
  const auto [dense, ld] = run(nullptr);
  EXPECT_EQ(ld.back().active[0], 16 * 12);
  EXPECT_GT(ld.back().test_accuracy, 0.9);
}

}  // namespace
}  // namespace eligo::fl
