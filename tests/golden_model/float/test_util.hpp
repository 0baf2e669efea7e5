// Helpers for the float-reference tests: small random networks and batches.
#pragma once

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "golden_model/float/clapp.hpp"
#include "golden_model/float/deepr_lsnn.hpp"
#include "golden_model/float/lsnn.hpp"
#include "golden_model/float/objective.hpp"
#include "golden_model/float/trainer.hpp"
#include "golden_model/tasks/batch.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "golden_model/tasks/rng.hpp"

namespace eligo::fl::testing {

inline NetworkParams small_net(int n_in, int n_lif, int n_alif, int n_out) {
  NetworkParams p;
  p.n_in = n_in;
  p.n_out = n_out;
  p.lif = PopulationParams{n_lif, 20.0, 0.6, 3, 2000.0, 0.0};
  p.alif = PopulationParams{n_alif, 25.0, 0.5, 4, 200.0, 1.8};
  p.tau_out_ms = 20.0;
  return p;
}

// Random input spikes with probability p per step, and a target of the requested kind.
inline tasks::Batch random_batch(int n_in, int n_out, int T, int B, double p, bool one_hot,
                                 uint64_t seed) {
  tasks::Rng rng(seed);
  tasks::Batch batch;
  batch.T = T;
  batch.B = B;
  batch.x.resize(n_in, Eigen::Index(T) * B);
  for (Eigen::Index c = 0; c < batch.x.cols(); ++c)
    for (int i = 0; i < n_in; ++i) batch.x(i, c) = rng.bernoulli(p) ? 1.0 : 0.0;
  batch.target.setZero(n_out, Eigen::Index(T) * B);
  for (int b = 0; b < B; ++b) {
    const int label = rng.uniform_int(0, n_out - 1);
    if (one_hot) batch.labels.push_back(label);
    for (int t = 0; t < T; ++t) {
      for (int k = 0; k < n_out; ++k) {
        batch.target(k, Eigen::Index(t) * B + b) =
            one_hot ? (k == label ? 1.0 : 0.0) : std::sin(0.1 * t + k + b);
      }
    }
  }
  return batch;
}

// The reduced evidence-accumulation setup of the learning tests: 40 inputs, 20 LIF + 20 ALIF
// (tau_m 20 ms, thr 0.6, n_ref 5, tau_a 2000 ms, default beta), 2 readouts; 7 cues of 40 steps
// every 60, delay 150, recall 40 (T = 610); e-prop/BPTT with symmetric feedback, Adam lr 0.01,
// c_reg 1 towards 10 Hz, batch 64.
struct ReducedEvidenceAccumulation {
  NetworkParams net;
  tasks::EvidenceAccumulationParams task;
  TrainParams train;
};

inline ReducedEvidenceAccumulation reduced_evidence_accumulation(Algo algo, int iterations) {
  ReducedEvidenceAccumulation r;
  r.net.n_in = 40;
  r.net.n_out = 2;
  r.net.lif = PopulationParams{20, 20.0, 0.6, 5, 2000.0, 0.0};
  r.net.alif = PopulationParams{20, 20.0, 0.6, 5, 2000.0, PopulationParams{}.beta};
  r.task.t_cue = 40;
  r.task.t_cue_spacing = 60;
  r.task.t_delay = 150;
  r.task.t_recall = 40;
  r.train.algo = algo;
  r.train.loss = LossKind::CrossEntropy;
  r.train.learning_window = r.task.t_recall;
  r.train.feedback = Feedback::Symmetric;
  r.train.optimizer.lr = 0.01;
  r.train.c_reg = 1.0;
  r.train.f_target_hz = 10.0;
  r.train.iterations = iterations;
  r.train.batch_size = 64;
  return r;
}

// Trains the reduced evidence accumulation from init_weights(seed) on batches of 64 (task seeds
// 1000 + i), densely or (connectivity < 1) with DEEP R (scale_by_density, DEEP R seed = seed), and
// returns the mean accuracy over test_batches held-out batches of 64 (task seeds 900000 + k).
inline double train_reduced_evidence_accumulation(Algo algo, int iterations, uint64_t seed, int test_batches,
                                                  double connectivity = 1.0) {
  // (named members, not a structured binding: lambdas below capture them)
  const ReducedEvidenceAccumulation setup = reduced_evidence_accumulation(algo, iterations);
  const tasks::EvidenceAccumulationParams& p = setup.task;
  const TrainParams& tp = setup.train;
  const Neurons n = Neurons::from(setup.net);
  Weights w = init_weights(n, seed);
  const BatchSource source = [&](int i) { return tasks::make_evidence_accumulation(p, 64, 1000 + i); };
  if (connectivity < 1.0) {
    DeepRParams dp;
    dp.connectivity = connectivity;
    dp.scale_by_density = true;
    dp.seed = seed;
    train_deepr(n, w, tp, dp, source);
  } else {
    train(n, w, tp, source);
  }
  double acc = 0.0;
  for (int k = 0; k < test_batches; ++k) {
    acc += evaluate(n, w, tp, tasks::make_evidence_accumulation(p, 64, 900000 + k)).accuracy / test_batches;
  }
  return acc;
}

// Long regressions run only with ELIGO_REGRESS set (make regress).
inline bool regress_enabled() {
  const char* e = std::getenv("ELIGO_REGRESS");
  return e != nullptr && *e != '\0' && std::string(e) != "0";
}

// Per-layer probe accuracies of a CLAPP run as test properties (gtest XML output).
inline void record_clapp_report(const ClappReport& r) {
  for (size_t l = 0; l < r.clapp.size(); ++l) {
    const std::string k = "layer" + std::to_string(l + 1);
    ::testing::Test::RecordProperty(k + "_clapp", std::to_string(r.clapp[l]));
    ::testing::Test::RecordProperty(k + "_random", std::to_string(r.random[l]));
    ::testing::Test::RecordProperty(k + "_supervised", std::to_string(r.supervised[l]));
  }
  ::testing::Test::RecordProperty("pixels", std::to_string(r.pixels));
  ::testing::Test::RecordProperty("supervised_readout", std::to_string(r.supervised_readout));
}

inline double rel_err(const MatrixXd& a, const MatrixXd& b) {
  const double denom = std::max(a.norm(), b.norm());
  return denom == 0.0 ? 0.0 : (a - b).norm() / denom;
}

}  // namespace eligo::fl::testing
