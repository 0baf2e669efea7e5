// Single-neuron dynamics of the float LSNN against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "golden_model/float/lsnn.hpp"

namespace eligo::fl {
namespace {

// One input, one recurrent neuron (LIF or ALIF), one readout; W_in = w.
struct OneNeuron {
  Neurons n;
  Weights w;
  State st;
  OneNeuron(bool alif, int n_ref, double w_in, bool at_threshold = true) {
    NetworkParams p;
    p.n_in = 1;
    p.n_out = 1;
    p.lif = PopulationParams{alif ? 0 : 1, 20.0, 1.0, n_ref, 1.0, 0.0};
    p.alif = PopulationParams{alif ? 1 : 0, 20.0, 1.0, n_ref, 100.0, 0.5};
    p.spike_at_threshold = at_threshold;
    n = Neurons::from(p);
    w.w_in = MatrixXd::Constant(1, 1, w_in);
    w.w_rec = MatrixXd::Zero(1, 1);
    w.w_out = MatrixXd::Constant(1, 1, 2.0);
    w.b_fb = MatrixXd::Zero(1, 1);
    st.reset(n, 1);
  }
  void run(double x, int s = 1) { step(n, w, MatrixXd::Constant(1, 1, x), s, st); }
};

TEST(Lsnn, LeakResetBySubtractionAndReadout) {
  OneNeuron u(false, 0, 0.6);
  const double alpha = std::exp(-1.0 / 20.0), kappa = std::exp(-1.0 / 20.0);
  u.run(1.0);  // v = 0.6
  EXPECT_DOUBLE_EQ(u.st.v(0, 0), 0.6);
  EXPECT_EQ(u.st.z(0, 0), 0.0);
  // psi = gamma/thr * max(0, 1 - |0.6 - 1|/1) = 0.3 * 0.6
  EXPECT_DOUBLE_EQ(u.st.psi(0, 0), 0.3 * 0.6);
  u.run(1.0);  // v = alpha*0.6 + 0.6 >= 1: spike
  const double v2 = alpha * 0.6 + 0.6;
  EXPECT_DOUBLE_EQ(u.st.v(0, 0), v2);
  EXPECT_EQ(u.st.z(0, 0), 1.0);
  // readout: y = kappa*0 + (1-kappa) * 2 * z
  EXPECT_DOUBLE_EQ(u.st.y(0, 0), (1 - kappa) * 2.0);
  u.run(0.0);  // reset by subtraction of thr = 1
  EXPECT_DOUBLE_EQ(u.st.v(0, 0), alpha * v2 - 1.0);
  EXPECT_DOUBLE_EQ(u.st.y(0, 0), kappa * (1 - kappa) * 2.0);
}

TEST(Lsnn, RefractoryBlocksNrefMinusOneSteps) {
  OneNeuron u(false, 5, 10.0);  // drive far above threshold every step
  std::vector<int> spikes;
  for (int t = 0; t < 13; ++t) {
    u.run(1.0);
    spikes.push_back(int(u.st.z(0, 0)));
    if (u.st.r(0, 0) > 0 && !spikes.back()) {
      EXPECT_EQ(u.st.psi(0, 0), 0.0) << "t=" << t;
    }
  }
  // spike at 0, blocked 1..4, spike at 5, blocked 6..9, spike at 10
  EXPECT_EQ(spikes, (std::vector<int>{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0}));
}

TEST(Lsnn, SpikeConditionAtThreshold) {
  OneNeuron ge(false, 0, 1.0, true), gt(false, 0, 1.0, false);
  ge.run(1.0);
  gt.run(1.0);
  EXPECT_EQ(ge.st.z(0, 0), 1.0);  // v = 1 = thr: spikes with >=
  EXPECT_EQ(gt.st.z(0, 0), 0.0);  // not with >
}

TEST(Lsnn, AdaptationRaisesThresholdAfterSpike) {
  OneNeuron u(true, 0, 1.2);
  const double rho = std::exp(-1.0 / 100.0), alpha = std::exp(-1.0 / 20.0);
  u.run(1.0);  // v = 1.2 >= 1: spike, a was 0
  EXPECT_EQ(u.st.z(0, 0), 1.0);
  EXPECT_EQ(u.st.a(0, 0), 0.0);
  u.run(1.0);  // a = rho*0 + 1 = 1, A = 1 + 0.5 = 1.5; v = alpha*1.2 + 1.2 - 1
  EXPECT_DOUBLE_EQ(u.st.a(0, 0), 1.0);
  const double v = alpha * 1.2 + 1.2 - 1.0;
  EXPECT_DOUBLE_EQ(u.st.v(0, 0), v);
  EXPECT_EQ(u.st.z(0, 0), v >= 1.5 ? 1.0 : 0.0);
  // psi measured against the adaptive threshold
  EXPECT_DOUBLE_EQ(u.st.psi(0, 0), 0.3 * std::max(0.0, 1.0 - std::abs(v - 1.5)));
  const double z2 = u.st.z(0, 0);
  u.run(0.0);  // a = rho * a + z(t-1)
  EXPECT_DOUBLE_EQ(u.st.a(0, 0), rho * 1.0 + z2);
}

TEST(Lsnn, DiscardInputAtStepZero) {
  NetworkParams p;
  p.n_in = 1;
  p.n_out = 1;
  p.lif.n = 1;
  p.alif.n = 0;
  p.discard_input_at_step0 = true;
  const Neurons n = Neurons::from(p);
  Weights w{MatrixXd::Constant(1, 1, 0.5), MatrixXd::Zero(1, 1), MatrixXd::Ones(1, 1),
            MatrixXd::Zero(1, 1)};
  State st;
  st.reset(n, 1);
  step(n, w, MatrixXd::Ones(1, 1), 0, st);
  EXPECT_EQ(st.v(0, 0), 0.0);
  step(n, w, MatrixXd::Ones(1, 1), 1, st);
  EXPECT_EQ(st.v(0, 0), 0.5);
}

TEST(Lsnn, InvalidParametersAreRejected) {
  NetworkParams p;
  p.lif.tau_m_ms = -1;
  EXPECT_THROW(Neurons::from(p), std::invalid_argument);
  p = NetworkParams{};
  p.lif.n = 0;
  p.alif.n = 0;
  EXPECT_THROW(Neurons::from(p), std::invalid_argument);
  const Neurons n = Neurons::from(NetworkParams{});
  Weights w = init_weights(n, 1);
  w.w_rec(3, 3) = 0.1;
  EXPECT_THROW(check_shapes(n, w), std::invalid_argument);  // autapse
  w = init_weights(n, 1);
  w.w_in.resize(3, 3);
  EXPECT_THROW(check_shapes(n, w), std::invalid_argument);
}

}  // namespace
}  // namespace eligo::fl
