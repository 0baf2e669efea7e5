// Learning regressions at reduced size (CI): the float reference must actually learn.
// Labelled "learning" (see tests/CMakeLists.txt): excluded from the sanitizer run, which is slow.
#include <gtest/gtest.h>

#include <cmath>

#include "golden_model/float/objective.hpp"
#include "golden_model/float/trainer.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "golden_model/tasks/pattern_generation.hpp"
#include "test_util.hpp"

namespace eligo::fl {
namespace {

// Pattern generation (e-paper sizes: 100 inputs at 50 Hz, 100 LIF, 1 readout, T = 1000 ms):
// e-prop with random feedback must lower the MSE at least 5x within 200 iterations.
TEST(Learning, PatternGenerationEpropLowersLossFiveFold) {
  NetworkParams np;
  np.n_in = 100;
  np.n_out = 1;
  np.lif = PopulationParams{100, 20.0, 0.03, 0, 2000.0, 0.0};
  np.alif.n = 0;
  np.input_scaling = Scaling::OneMinusDecay;
  np.spike_at_threshold = false;
  const Neurons n = Neurons::from(np);
  Weights w = init_weights(n, 11);
  tasks::PatternGenerationParams pp;
  const tasks::Batch batch = tasks::make_pattern_generation(pp, 1, 12);
  TrainParams tp;
  tp.algo = Algo::EProp;
  tp.loss = LossKind::MSE;
  tp.feedback = Feedback::Random;
  tp.optimizer.lr = 0.003;
  tp.c_reg = 300.0;
  tp.f_target_hz = 10.0;
  tp.iterations = 200;
  tp.batch_size = 1;
  const auto log = train(n, w, tp, [&](int) { return batch; });
  const double first = log.front().loss, last = log.back().loss;
  RecordProperty("loss_first", std::to_string(first));
  RecordProperty("loss_last", std::to_string(last));
  EXPECT_LT(last, first / 5.0) << "loss " << first << " -> " << last;
}

// Evidence accumulation, reduced (20 LIF + 20 ALIF, 7 cues of 40 steps every 60, delay 150,
// recall 40: T = 610): >= 85% accuracy on 256 held-out trials, with e-prop and with BPTT.
double train_evidence_accumulation(Algo algo, int iterations) {
  return testing::train_reduced_evidence_accumulation(algo, iterations, 1, 4);
}

TEST(Learning, EvidenceAccumulationEprop) {
  const double acc = train_evidence_accumulation(Algo::EProp, 200);
  RecordProperty("test_accuracy", std::to_string(acc));
  EXPECT_GE(acc, 0.85);
}

TEST(Learning, EvidenceAccumulationBptt) {
  const double acc = train_evidence_accumulation(Algo::BPTT, 150);
  RecordProperty("test_accuracy", std::to_string(acc));
  EXPECT_GE(acc, 0.85);
}

}  // namespace
}  // namespace eligo::fl
