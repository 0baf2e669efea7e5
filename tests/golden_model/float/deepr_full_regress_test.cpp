// DEEP R full-size comparisons against the dense networks (long: only with ELIGO_REGRESS set,
// e.g. `ELIGO_REGRESS=1 build/tests/golden_model_float_deepr_full_regress_test`):
//  - Fashion-MNIST, 784-300-100-10, all 60000 training images, tested on all 10000 test images:
//    DEEP R at 2% connectivity (global K and per-matrix K) vs dense. Target: within 3 points.
//  - Evidence accumulation (the reduced task of learning_test.cpp, 20 LIF + 20 ALIF, T = 610,
//    200 iterations, mean over 3 seeds): e-prop + DEEP R at 20% vs dense e-prop, and BPTT + DEEP R
//    at 20%. Target: within 5 points of dense.
//  - Evidence accumulation at full size (examples/evidence_accumulation.json: 50 LIF + 50 ALIF,
//    7 cues, T = 2250; the harness's run setup, so the same batches as `eligo train`): dense
//    e-prop vs e-prop + DEEP R at 20%, ELIGO_DEEPR_EA_FULL_SEEDS seeds (default 1) from
//    ELIGO_DEEPR_EA_FULL_FIRST_SEED (default 1) on,
//    ELIGO_DEEPR_EA_FULL_ITERATIONS iterations (default 300; 3 to 5 s of one core per iteration,
//    30 to 50 min for the two runs), test accuracy on the config's 8 test batches (512 trials).
//    Target: the mean over seeds within 5 points of dense.
// Accuracies are printed and recorded with RecordProperty (in the gtest XML output).
// ELIGO_DEEPR_MLP_EPOCHS and ELIGO_DEEPR_EA_ITERATIONS override the run lengths.
#include <gtest/gtest.h>

#include "golden_model/io/fashion_mnist.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "golden_model/experiment/run_setup.hpp"
#include "golden_model/float/deepr_lsnn.hpp"
#include "golden_model/float/mlp.hpp"
#include "golden_model/float/objective.hpp"
#include "golden_model/io/config.hpp"
#include "golden_model/io/idx.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "test_util.hpp"
#include "tests/support/fashion_mnist.hpp"

namespace eligo::fl {
namespace {

int env_int(const char* name, int fallback) {
  const char* e = std::getenv(name);
  return e != nullptr && *e != '\0' ? std::atoi(e) : fallback;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(DeepRRegress, FashionMnistTwoPercentVsDense) {
  if (!testing::regress_enabled()) GTEST_SKIP() << "long run: set ELIGO_REGRESS=1 (make regress)";
  ELIGO_SKIP_WITHOUT_FASHION_MNIST();
  const io::FashionMnist data = io::load_fashion_mnist();
  const ImageData& train = data.train;
  const ImageData& test = data.test;
  const int epochs = env_int("ELIGO_DEEPR_MLP_EPOCHS", 15);
  auto report = [](const char* what) {
    return [what](const MlpEpochLog& e) {
      std::printf("  %s epoch %2d: train loss %.4f acc %.4f, test acc %.4f, active", what, e.epoch,
                  e.train_loss, e.train_accuracy, e.test_accuracy);
      for (long a : e.active) std::printf(" %ld", a);
      std::printf(", rewired %ld, %.1f s\n", e.rewired, e.wall_s);
      std::fflush(stdout);
    };
  };

  MlpTrainParams tp;
  tp.epochs = epochs;
  tp.batch_size = 100;
  tp.optimizer.lr = 1e-3;
  tp.lr_decay = 0.85;
  auto t0 = std::chrono::steady_clock::now();
  Mlp dense = init_mlp({784, 300, 100, 10}, 1);
  const double dense_acc = train_mlp(dense, train, tp, nullptr, &test, report("dense")).back().test_accuracy;
  const double dense_s = seconds_since(t0);

  DeepRParams dp;
  dp.connectivity = 0.02;
  dp.allocation = Allocation::ErdosRenyi;
  dp.scale_by_density = true;
  dp.l1 = 1e-4;
  dp.temperature = 1e-10;
  tp.optimizer.lr = 1e-2;
  tp.lr_decay = 0.9;
  double acc[2] = {0, 0}, secs[2] = {0, 0};
  for (int global = 1; global >= 0; --global) {
    dp.global_k = global == 1;
    t0 = std::chrono::steady_clock::now();
    Mlp sparse = init_mlp({784, 300, 100, 10}, 1);
    acc[global] = train_mlp(sparse, train, tp, &dp, &test,
                            report(global ? "DEEP R global K" : "DEEP R per-matrix K"))
                      .back()
                      .test_accuracy;
    secs[global] = seconds_since(t0);
    long nnz = 0;
    for (const auto& w : sparse.w) nnz += (w.array() != 0.0).count();
    EXPECT_LE(nnz, std::lround(0.02 * 266200));
  }
  std::printf("Fashion-MNIST 784-300-100-10, %d epochs, 10000 test images:\n"
              "  dense                 %.4f  (%.0f s)\n"
              "  DEEP R 2%%, global K   %.4f  (%.0f s)\n"
              "  DEEP R 2%%, per-matrix %.4f  (%.0f s)\n",
              epochs, dense_acc, dense_s, acc[1], secs[1], acc[0], secs[0]);
  RecordProperty("mlp_dense_test_accuracy", std::to_string(dense_acc));
  RecordProperty("mlp_deepr_global_test_accuracy", std::to_string(acc[1]));
  RecordProperty("mlp_deepr_per_matrix_test_accuracy", std::to_string(acc[0]));
  EXPECT_GE(acc[1], dense_acc - 0.03);
  EXPECT_GE(acc[0], dense_acc - 0.03);
}

double evidence_accumulation(Algo algo, double connectivity, int iterations, uint64_t seed,
                             double* secs) {
  const auto t0 = std::chrono::steady_clock::now();
  const double acc = testing::train_reduced_evidence_accumulation(algo, iterations, seed, 8, connectivity);
  *secs = seconds_since(t0);
  return acc;
}

TEST(DeepRRegress, EvidenceAccumulationTwentyPercentVsDense) {
  if (!testing::regress_enabled()) GTEST_SKIP() << "long run: set ELIGO_REGRESS=1 (make regress)";
  // Single runs vary by +-10 points with the initial weights at this size, so the comparison is
  // the mean over three seeds (weights and DEEP R draws; same training batches).
  const int iterations = env_int("ELIGO_DEEPR_EA_ITERATIONS", 200);
  const char* names[3] = {"dense e-prop        ", "e-prop + DEEP R 20%", "BPTT + DEEP R 20%  "};
  double mean[3] = {0, 0, 0};
  std::printf("Evidence accumulation (reduced, 512 test trials), %d iterations:\n", iterations);
  for (int run = 0; run < 3; ++run) {
    std::printf("  %s", names[run]);
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      double secs = 0;
      const double acc = evidence_accumulation(run == 2 ? Algo::BPTT : Algo::EProp,
                                               run == 0 ? 1.0 : 0.2, iterations, seed, &secs);
      mean[run] += acc / 3;
      std::printf("  seed %d: %.4f (%.0f s)", int(seed), acc, secs);
      std::fflush(stdout);
    }
    std::printf("  mean %.4f\n", mean[run]);
  }
  RecordProperty("ea_dense_eprop_mean_test_accuracy", std::to_string(mean[0]));
  RecordProperty("ea_deepr_eprop_mean_test_accuracy", std::to_string(mean[1]));
  RecordProperty("ea_deepr_bptt_mean_test_accuracy", std::to_string(mean[2]));
  EXPECT_GE(mean[1], mean[0] - 0.05);
  EXPECT_GE(mean[2], mean[0] - 0.05);
}

TEST(DeepRRegress, EvidenceAccumulationFullSizeTwentyPercentVsDense) {
  if (!testing::regress_enabled()) GTEST_SKIP() << "long run: set ELIGO_REGRESS=1 (make regress)";
  io::RunConfig cfg = io::load_config(std::string(ELIGO_SOURCE_DIR) + "/examples/evidence_accumulation.json");
  cfg.train.algo = Algo::EProp;
  cfg.train.iterations = env_int("ELIGO_DEEPR_EA_FULL_ITERATIONS", 300);
  const int seeds = env_int("ELIGO_DEEPR_EA_FULL_SEEDS", 1);
  const int first_seed = env_int("ELIGO_DEEPR_EA_FULL_FIRST_SEED", 1);
  const int every = std::max(1, cfg.train.iterations / 10);
  std::printf("Evidence accumulation, full size (%d LIF + %d ALIF, T = %d), e-prop, %d iterations, "
              "%d test trials:\n", cfg.net.lif.n, cfg.net.alif.n,
              cfg.task.ea_n_cues * cfg.task.ea_t_cue_spacing + cfg.task.ea_t_delay +
                  cfg.task.ea_t_recall,
              cfg.train.iterations, cfg.task.test_batches * cfg.train.batch_size);
  double mean[2] = {0, 0};
  for (int seed = first_seed; seed < first_seed + seeds; ++seed) {
    cfg.seed = uint64_t(seed);
    for (int sparse = 0; sparse <= 1; ++sparse) {
      const char* name = sparse ? "e-prop + DEEP R 20%" : "dense e-prop";
      experiment::Run run = experiment::make_run(cfg);
      const auto t0 = std::chrono::steady_clock::now();
      const ProgressFn progress = [&](const IterationLog& e) {
        if ((e.iteration + 1) % every != 0) return;
        std::printf("  seed %d %s it %4d: loss %.4f acc %.3f rate %.1f Hz (%.0f s)\n", seed, name,
                    e.iteration + 1, e.loss, e.accuracy, e.rate_hz, seconds_since(t0));
        std::fflush(stdout);
      };
      if (sparse) {
        DeepRParams dp;
        dp.connectivity = 0.2;
        dp.scale_by_density = true;
        dp.seed = uint64_t(seed);
        train_deepr(run.neurons, run.weights, cfg.train, dp, run.train_batch, progress);
        long nnz = 0, total = 0;
        for (const Eigen::MatrixXd* m : {&run.weights.w_in, &run.weights.w_rec, &run.weights.w_out}) {
          nnz += (m->array() != 0.0).count();
          total += m->size();
        }
        std::printf("  seed %d %s: %ld of %ld weights non-zero (%.3f)\n", seed, name, nnz, total,
                    double(nnz) / double(total));
      } else {
        train(run.neurons, run.weights, cfg.train, run.train_batch, progress);
      }
      const double acc = experiment::evaluate_test(run, [&](const tasks::Batch& b) {
                           return evaluate(run.neurons, run.weights, cfg.train, b);
                         }).accuracy;
      mean[sparse] += acc / seeds;
      std::printf("  seed %d %-20s test accuracy %.4f (%.0f s)\n", seed, name, acc, seconds_since(t0));
      std::fflush(stdout);
      RecordProperty(std::string("ea_full_seed") + std::to_string(seed) + (sparse ? "_deepr" : "_dense") +
                         "_test_accuracy",
                     std::to_string(acc));
    }
  }
  std::printf("  mean over %d seed(s): dense e-prop %.4f, e-prop + DEEP R 20%% %.4f\n", seeds, mean[0], mean[1]);
  RecordProperty("ea_full_dense_eprop_mean_test_accuracy", std::to_string(mean[0]));
  RecordProperty("ea_full_deepr_eprop_mean_test_accuracy", std::to_string(mean[1]));
  EXPECT_GE(mean[1], mean[0] - 0.05);
}

}  // namespace
}  // namespace eligo::fl
