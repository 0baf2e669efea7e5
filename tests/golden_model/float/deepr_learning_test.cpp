// DEEP R learning regressions at CI size (labelled "learning": not run under the sanitizers).
// Full-size comparisons (all of Fashion-MNIST, longer LSNN runs) are in
// deepr_full_regress_test.cpp (ELIGO_REGRESS=1).
#include <gtest/gtest.h>

#include "golden_model/io/fashion_mnist.hpp"

#include "test_util.hpp"

#include <cmath>
#include <cstdio>

#include "golden_model/float/deepr_lsnn.hpp"
#include "golden_model/float/mlp.hpp"
#include "golden_model/float/objective.hpp"
#include "golden_model/io/idx.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "tests/support/fashion_mnist.hpp"

namespace eligo::fl {
namespace {

// 784-300-100-10 on 5000 Fashion-MNIST training images, 3 epochs, tested on 2000 test images:
// DEEP R at 2% global connectivity (Erdos-Renyi initial split, global K) must learn far above
// chance (10%) and stay within 8 points of the dense network trained the same way (measured:
// dense 80.8%, DEEP R 79.5%; about 4 s).
TEST(DeepRLearning, FashionMnistMlpAtTwoPercent) {
  ELIGO_SKIP_WITHOUT_FASHION_MNIST();
  const io::FashionMnist data = io::load_fashion_mnist(5000, 2000);
  const ImageData& train = data.train;
  const ImageData& test = data.test;

  MlpTrainParams tp;
  tp.epochs = 3;
  tp.batch_size = 100;
  tp.optimizer.lr = 1e-3;
  Mlp dense = init_mlp({784, 300, 100, 10}, 1);
  const double dense_acc = train_mlp(dense, train, tp, nullptr, &test).back().test_accuracy;

  DeepRParams dp;
  dp.connectivity = 0.02;
  dp.global_k = true;
  dp.allocation = Allocation::ErdosRenyi;
  dp.scale_by_density = true;
  dp.l1 = 1e-4;
  dp.temperature = 1e-10;
  tp.optimizer.lr = 1e-2;
  Mlp sparse = init_mlp({784, 300, 100, 10}, 1);
  const auto log = train_mlp(sparse, train, tp, &dp, &test);
  const double sparse_acc = log.back().test_accuracy;
  long nnz = 0;
  for (const auto& w : sparse.w) nnz += (w.array() != 0.0).count();

  RecordProperty("dense_test_accuracy", std::to_string(dense_acc));
  RecordProperty("deepr_test_accuracy", std::to_string(sparse_acc));
  std::printf("Fashion-MNIST (5000 train, 2000 test, 3 epochs): dense %.4f, DEEP R 2%% %.4f\n",
              dense_acc, sparse_acc);
  EXPECT_LE(nnz, std::lround(0.02 * (784 * 300 + 300 * 100 + 100 * 10)));
  EXPECT_GE(sparse_acc, 0.70);
  EXPECT_GE(sparse_acc, dense_acc - 0.08);
}

// Evidence accumulation, reduced as in learning_test.cpp (20 LIF + 20 ALIF, T = 610), e-prop
// with DEEP R at 20% connectivity in every matrix (per-matrix K, W_rec diagonal excluded), 150
// iterations: >= 85% on 256 held-out trials (measured: 94.1%, about 30 s; dense e-prop reaches
// about 94% in 200 iterations, learning_test.cpp).
TEST(DeepRLearning, EvidenceAccumulationEpropAtTwentyPercent) {
  // (named members, not a structured binding: lambdas below capture them)
  const testing::ReducedEvidenceAccumulation setup =
      testing::reduced_evidence_accumulation(Algo::EProp, 150);
  const NetworkParams& np = setup.net;
  const tasks::EvidenceAccumulationParams& p = setup.task;
  const TrainParams& tp = setup.train;
  const Neurons n = Neurons::from(np);
  Weights w = init_weights(n, 1);
  DeepRParams dp;
  dp.connectivity = 0.2;
  dp.scale_by_density = true;
  auto dr = make_lsnn_deepr(n, w, tp, dp);
  train_deepr(n, w, tp, *dr, [&](int i) { return tasks::make_evidence_accumulation(p, 64, 1000 + i); });
  dr->check_invariants();
  double acc = 0.0;
  for (int k = 0; k < 4; ++k) {
    acc += evaluate(n, w, tp, tasks::make_evidence_accumulation(p, 64, 900000 + k)).accuracy / 4;
  }
  RecordProperty("test_accuracy", std::to_string(acc));
  std::printf("evidence accumulation, e-prop + DEEP R 20%%: test accuracy %.4f\n", acc);
  EXPECT_EQ((w.w_rec.array() != 0.0).count() <= dr->k(1), true);
  EXPECT_GE(acc, 0.85);
}

}  // namespace
}  // namespace eligo::fl
