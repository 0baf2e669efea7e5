// NeuroBench-named metrics (golden_model/experiment/neurobench.hpp, docs/sweep.md): every value
// checked against a number worked out by hand on a tiny network.
#include "golden_model/experiment/neurobench.hpp"

#include <gtest/gtest.h>

#include "golden_model/experiment/report.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/float/objective.hpp"
#include "tests/golden_model/chip/chip_unit_util.hpp"
#include "tests/golden_model/float/test_util.hpp"

namespace eligo::experiment {
namespace {

using chip::spec::Mem;
using chip::testing::weight;

// 2 inputs, 3 neurons (the last ALIF), 1 readout, per-synapse traces. Bytes per memory, depth x
// bits / 8 rounded up (NP = 5):
//   STATE 3 x 53 = 159 bits -> 20; Y 1 x 24 -> 3                       neuron state 23
//   W_IN 6 x 16 -> 12; W_REC 9 x 16 -> 18; W_OUT 3 x 16 -> 6;
//   B_FB 3 x 18 = 54 bits -> 7                                          weights 43
//   EPSV 5 x 40 -> 25; EPSA 5 x 1 x 24 -> 15; EBAR 5 x 3 x 24 -> 45;
//   ZBAR 3 x 24 -> 9                                                    traces 94
//   GRAD (5 x 3 + 3) x 32 -> 72; LSIG 3 x 24 -> 9; PSI 3 x 16 -> 6      buffers 87
TEST(NeuroBench, ChipFootprintByHand) {
  const chip::Sizes s(2, 3, 1, 1, 2);
  EXPECT_EQ(memory_bytes(s, Mem::STATE), 20);
  EXPECT_EQ(memory_bytes(s, Mem::B_FB), 7);
  EXPECT_EQ(memory_bytes(s, Mem::GRAD), 72);
  const Footprint f = chip_footprint(s);
  EXPECT_EQ(f.neuron_state, 23);
  EXPECT_EQ(f.weights, 43);
  EXPECT_EQ(f.traces, 94);
  EXPECT_EQ(f.buffers, 87);
  EXPECT_EQ(f.total(), 247);
  // A factored-only core has no EPSA (15) and EBAR (45).
  const Footprint g = chip_footprint(chip::Sizes(2, 3, 1, 1, 2, false));
  EXPECT_EQ(g.traces, 34);
  EXPECT_EQ(g.total(), 187);
  EXPECT_STREQ(memory_kind_name(memory_kind(Mem::PSI)), "buffers");
  EXPECT_STREQ(memory_kind_name(memory_kind(Mem::ZBAR)), "traces");
}

// The tiny core of chip_unit_util.hpp (decays 1, thr 1.0, spikes when v > thr), weights (W_MAG
// has 10 fraction bits):
//   W_IN  input 0 -> neuron 0: +1.5; input 0 -> neuron 1: active, magnitude 0; the rest dormant
//   W_REC neuron 0 -> neuron 2: +0.1 (102 / 1024); the rest dormant
//   W_OUT neuron 0 -> readout 0: +1.0; the rest dormant
// One test sample of 2 timesteps, input 0 firing at step 0:
//   step 0: input 0 reaches 2 active synapses (2 SOPs); v0 = 1.5 > 1: neuron 0 spikes; its
//           W_OUT row has 1 active synapse (1 SOP)
//   step 1: the spike of neuron 0 reaches 1 active W_REC synapse (1 SOP); v0 = 1.5 - 1 = 0.5,
//           v2 = 0.1: no spike; no readout SOP.
// So per sample: 4 effective ACs, 1 spike of 3 x 2 neuron-timesteps (activation sparsity 5/6),
// 3 x 2 = 6 membrane updates; dense: the 6 + 9 + 3 = 18 forward synapses at each of 2 steps = 36;
// 3 non-zero weights of 18 (connection sparsity 5/6).
TEST(NeuroBench, ChipRunByHand) {
  chip::Core core(chip::testing::unit_sizes(), chip::testing::unit_regs());
  core.mem(Mem::W_IN).poke(0 * 3 + 0, weight(false, 1536));
  core.mem(Mem::W_IN).poke(0 * 3 + 1, weight(false, 0));
  core.mem(Mem::W_REC).poke(0 * 3 + 2, weight(false, 102));
  core.mem(Mem::W_OUT).poke(0, weight(false, 1024));
  const WeightCounts w = chip_weight_counts(core);
  EXPECT_EQ(w.total, 18);
  EXPECT_EQ(w.nonzero, 3);

  tasks::Batch b;
  b.T = 2;
  b.B = 1;
  b.x = Eigen::MatrixXd::Zero(2, 2);
  b.x(0, 0) = 1;
  b.target = Eigen::MatrixXd::Zero(1, 2);
  Schedule sc;
  sc.test_batches = 1;
  chip::ModelPort port(core);
  const TrainTestResult res = train_test(port, [&](int) { return b; }, [&](int) { return b; }, sc);
  EXPECT_EQ(res.test.n, 1);
  EXPECT_EQ(res.test.spikes, 1);
  EXPECT_EQ(res.test_counters[chip::spec::Counter::sops], 4u);

  const nlohmann::json j = neurobench_json(core, res);
  EXPECT_EQ(j["parameter_count"], 18);
  EXPECT_EQ(j["footprint"]["bytes"], 247);
  EXPECT_DOUBLE_EQ(j["connection_sparsity"].get<double>(), 1.0 - 3.0 / 18.0);
  EXPECT_DOUBLE_EQ(j["activation_sparsity"].get<double>(), 1.0 - 1.0 / 6.0);
  EXPECT_DOUBLE_EQ(j["synaptic_operations"]["effective_acs"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(j["synaptic_operations"]["effective_macs"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j["synaptic_operations"]["dense"].get<double>(), 36.0);
  EXPECT_DOUBLE_EQ(j["membrane_updates"].get<double>(), 6.0);

  // The test counters cover the test phase only: a second run on the same core counts its own
  // sample (6 membrane updates), not the 12 the counters hold by then.
  const TrainTestResult again = train_test(port, [&](int) { return b; }, [&](int) { return b; }, sc);
  EXPECT_EQ(again.test_counters[chip::spec::Counter::neuron_updates], 6u);
}

TEST(NeuroBench, NoTestSampleGivesNulls) {
  const nlohmann::json j = chip_neurobench_json(chip::Sizes(2, 3, 1, 1, 2), {18, 3}, {});
  EXPECT_TRUE(j["activation_sparsity"].is_null());
  EXPECT_TRUE(j["synaptic_operations"]["effective_acs"].is_null());
  EXPECT_TRUE(j["membrane_updates"].is_null());
  EXPECT_EQ(j["parameter_count"], 18);
}

// The hand-counted float network's weights (2 inputs, 3 recurrent, 1 readout): W_in(0, 0) = in0,
// W_in(1, 1) = in1, W_rec(2, 0) = 0.1, W_out all 0.3; B (the feedback) is not a parameter.
fl::Weights hand_weights(double in0, double in1) {
  fl::Weights w;
  w.w_in = Eigen::MatrixXd::Zero(3, 2);
  w.w_in(0, 0) = in0;
  w.w_in(1, 1) = in1;
  w.w_rec = Eigen::MatrixXd::Zero(3, 3);
  w.w_rec(2, 0) = 0.1;
  w.w_out = Eigen::MatrixXd::Constant(1, 3, 0.3);
  w.b_fb = Eigen::MatrixXd::Constant(3, 1, 1.0);
  return w;
}

// Float reference: 2 inputs, 3 neurons (1 ALIF), 1 readout; W_in has 2 non-zero entries of 6,
// W_rec 1 of 9, W_out 3 of 3: 6 non-zero of 18 parameters. Footprint in float32: 18 x 4 = 72
// bytes of weights, (v, z of 3 neurons, a of 1, y of 1) = 8 x 4 = 32 bytes of state. A test rate
// of 50 Hz at dt = 1 ms is a spike in 5% of the neuron-timesteps: activation sparsity 0.95.
TEST(NeuroBench, FloatByHand) {
  const fl::Neurons n = fl::Neurons::from(fl::testing::small_net(2, 2, 1, 1));
  ASSERT_EQ(n.n_rec, 3);
  ASSERT_DOUBLE_EQ(n.dt_ms, 1.0);
  const fl::Weights w = hand_weights(0.5, -0.25);
  const nlohmann::json j = float_neurobench_json(n, w, 50.0);
  EXPECT_EQ(j["parameter_count"], 18);
  EXPECT_EQ(j["footprint"]["weights"], 72);
  EXPECT_EQ(j["footprint"]["neuron_state"], 32);
  EXPECT_EQ(j["footprint"]["bytes"], 104);
  EXPECT_DOUBLE_EQ(j["connection_sparsity"].get<double>(), 1.0 - 6.0 / 18.0);
  EXPECT_DOUBLE_EQ(j["activation_sparsity"].get<double>(), 0.95);
}

// The float test pass counted by float_counting_step, by hand: inputs 0 and 1 each reach one
// non-zero weight of W_in; weights too small for a spike, so only the input spikes count: 3
// spikes over T = 2 steps of one sequence -> 3 effective ACs; dense 18 parameters x 2 steps;
// membrane updates 3 neurons x 2 steps. The counted evaluation equals the plain one.
TEST(NeuroBench, FloatTestPassCountedByHand) {
  const fl::Neurons n = fl::Neurons::from(fl::testing::small_net(2, 2, 1, 1));
  const fl::Weights w = hand_weights(0.001, -0.001);
  tasks::Batch b;
  b.T = 2;
  b.B = 1;
  b.x = Eigen::MatrixXd::Zero(2, 2);
  b.x(0, 0) = 1.0;  // step 0: input 0
  b.x(0, 1) = 1.0;  // step 1: inputs 0 and 1
  b.x(1, 1) = 1.0;
  b.target = Eigen::MatrixXd::Zero(1, 2);
  fl::TrainParams tp;
  FloatWorkload load;
  const fl::Gradients counted = fl::evaluate(n, w, tp, b, float_counting_step(n, w, load));
  const fl::Gradients plain = fl::evaluate(n, w, tp, b);
  ASSERT_EQ(counted.rate_hz, 0.0);  // no recurrent spike
  EXPECT_EQ(counted.loss, plain.loss);
  EXPECT_EQ(load.samples, 1);
  EXPECT_EQ(load.timesteps, 2);
  EXPECT_DOUBLE_EQ(load.effective_acs, 3.0);
  const nlohmann::json j = float_neurobench_json(n, w, counted.rate_hz, &load);
  EXPECT_DOUBLE_EQ(j["synaptic_operations"]["effective_acs"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j["synaptic_operations"]["effective_macs"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j["synaptic_operations"]["dense"].get<double>(), 36.0);
  EXPECT_DOUBLE_EQ(j["membrane_updates"].get<double>(), 6.0);
  EXPECT_TRUE(float_neurobench_json(n, w, 0.0)["membrane_updates"].is_null());
}

// With recurrent spikes: the counted effective ACs equal those recomputed from each sequence's
// recorded spikes (fl::record_sequence): input spikes x W_in fan-out, recurrent spikes x W_out
// fan-out, and those of step t-1 x W_rec fan-out at step t.
TEST(NeuroBench, FloatCountedAcsEqualTheRecordedSpikes) {
  const fl::Neurons n = fl::Neurons::from(fl::testing::small_net(6, 5, 3, 2));
  fl::Weights w = fl::init_weights(n, 5, 3.0, 1.0);
  w.w_in(0, 0) = 0.0;  // a zero weight is not an effective AC
  const tasks::Batch b = fl::testing::random_batch(6, 2, 40, 3, 0.3, true, 9);
  fl::TrainParams tp;
  FloatWorkload load;
  const fl::Gradients g = fl::evaluate(n, w, tp, b, float_counting_step(n, w, load));
  ASSERT_GT(g.rate_hz, 0.0) << "make the network spike";
  auto fan_out = [](const Eigen::MatrixXd& m) -> Eigen::RowVectorXd {
    return (m.array() != 0.0).cast<double>().colwise().sum();
  };
  double want = 0.0;
  for (int s = 0; s < b.B; ++s) {
    const fl::Recording r = fl::record_sequence(n, w, b, s);
    want += (fan_out(w.w_in) * r.x).sum() + (fan_out(w.w_out) * r.z).sum() +
            (fan_out(w.w_rec) * r.z.leftCols(b.T - 1)).sum();
  }
  EXPECT_EQ(load.samples, 3);
  EXPECT_EQ(load.timesteps, 3 * 40);
  EXPECT_DOUBLE_EQ(load.effective_acs, want);
}

}  // namespace
}  // namespace eligo::experiment
