// Tests of the analog-core behavioural model (golden_model/analog/core.*): with every
// non-ideality off it is the float reference; the fixed pattern has the configured spread and
// is fixed by one seed; converters, quantisation and drift do what docs/analog.md says.
#include "golden_model/analog/core.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "golden_model/analog/in_the_loop.hpp"
#include "golden_model/float/eprop.hpp"
#include "golden_model/float/objective.hpp"
#include "../float/test_util.hpp"

namespace eligo::analog {
namespace {

using fl::testing::random_batch;
using fl::testing::small_net;

double max_abs_diff(const MatrixXd& a, const MatrixXd& b) {
  return a.size() == 0 ? 0.0 : (a - b).cwiseAbs().maxCoeff();
}

// A network with both populations, refractoriness, and the readout scaling 1 - kappa.
fl::NetworkParams test_net() {
  fl::NetworkParams p = small_net(12, 10, 8, 3);
  p.alif.beta = 0.3;  // strong adaptation, so that a reaches the threshold
  return p;
}

TEST(AnalogCore, IdealCoreEqualsFloatReferenceStepByStep) {
  for (const bool discard : {false, true}) {
    fl::NetworkParams np = test_net();
    np.discard_input_at_step0 = discard;
    np.input_scaling = discard ? fl::Scaling::OneMinusDecay : fl::Scaling::One;
    np.readout_scaling = discard ? fl::Scaling::One : fl::Scaling::OneMinusDecay;
    const fl::Neurons n = fl::Neurons::from(np);
    // (1 - alpha) input scaling needs larger input weights for the same activity)
    const fl::Weights w = fl::init_weights(n, 5, discard ? 30.0 : 3.0, 1.5, 1.0, 1.0);
    Core core(np, AnalogParams::ideal(), 9);
    core.program(w);
    const tasks::Batch batch = random_batch(12, 3, 120, 4, 0.15, true, 3);
    fl::State ref, obs;
    ref.reset(n, batch.B);
    tasks::StepReader in(batch);
    double dv = 0, dz = 0, dy = 0, dpsi = 0, da = 0, spikes = 0;
    for (int t = 0; t < batch.T; ++t) {
      in.read(t);
      fl::step(n, w, in.x(), t, ref);
      core.step(in.x(), t, obs);
      dv = std::max(dv, max_abs_diff(ref.v, obs.v));
      dz = std::max(dz, max_abs_diff(ref.z, obs.z));
      dy = std::max(dy, max_abs_diff(ref.y, obs.y));
      da = std::max(da, max_abs_diff(ref.a, obs.a));
      dpsi = std::max(dpsi, max_abs_diff(ref.psi, obs.psi));
      EXPECT_EQ(ref.r, obs.r) << "t = " << t;
      spikes += ref.z.sum();
    }
    RecordProperty(discard ? "max_dv_discard" : "max_dv", std::to_string(dv));
    RecordProperty(discard ? "spikes_discard" : "spikes", std::to_string(spikes));
    EXPECT_GT(spikes, 200) << "the comparison needs spiking activity";
    EXPECT_EQ(dz, 0.0);
    EXPECT_LE(dv, 1e-12);
    EXPECT_LE(dy, 1e-12);
    EXPECT_LE(da, 1e-12);
    EXPECT_LE(dpsi, 1e-12);
  }
}

TEST(AnalogCore, IdealCoreGivesTheFloatEpropGradients) {
  const fl::NetworkParams np = test_net();
  const fl::Neurons n = fl::Neurons::from(np);
  const fl::Weights w = fl::init_weights(n, 7, 2.0, 1.5, 1.0, 1.0);
  const tasks::Batch batch = random_batch(12, 3, 100, 3, 0.15, true, 4);
  fl::TrainParams tp;
  tp.c_reg = 0.5;
  for (const fl::Feedback fb : {fl::Feedback::Symmetric, fl::Feedback::Random}) {
    tp.feedback = fb;
    Core core(np, AnalogParams::ideal(), 1);
    core.program(w);
    core.set_observe_membrane(true);
    const fl::Gradients ref = fl::eprop_gradients(n, w, tp, batch);
    const fl::Gradients got = fl::eprop_gradients(n, w, tp, batch, core.forward());
    ASSERT_GT(ref.w_rec.norm(), 0.0);
    EXPECT_LE(max_abs_diff(ref.w_in, got.w_in), 1e-12);
    EXPECT_LE(max_abs_diff(ref.w_rec, got.w_rec), 1e-12);
    EXPECT_LE(max_abs_diff(ref.w_out, got.w_out), 1e-12);
    EXPECT_NEAR(ref.loss, got.loss, 1e-12);
    EXPECT_EQ(ref.accuracy, got.accuracy);
    EXPECT_EQ(ref.rate_hz, got.rate_hz);
  }
}

// 10,000 neurons: the measured relative spread of each time constant, threshold and gain is
// within 5 % of the configured sigma (the standard error of a sample sigma over 10,000 draws is
// 0.7 %).
TEST(AnalogCore, MismatchSpreadOverTenThousandDrawsMatchesSigma) {
  fl::NetworkParams np = small_net(4, 5000, 5000, 2);
  for (const double sigma : {0.1, 0.2}) {
    AnalogParams ap;
    ap.set_mismatch(sigma);
    ap.mismatch_seed = 42;
    const Core core(np, ap, 1);
    auto rel_sd = [](const VectorXd& v, double nominal) {
      const Eigen::ArrayXd r = v.array() / nominal - 1.0;
      const double mean = r.mean();
      return std::sqrt((r - mean).square().sum() / double(r.size() - 1));
    };
    VectorXd tau_nominal(np.n_rec());
    tau_nominal.head(5000).setConstant(np.lif.tau_m_ms);
    tau_nominal.tail(5000).setConstant(np.alif.tau_m_ms);
    const VectorXd tau_m_rel = core.tau_m_ms().cwiseQuotient(tau_nominal);
    const double sd_tau_m = rel_sd(tau_m_rel, 1.0);
    const double sd_tau_a = rel_sd(core.tau_a_ms().tail(5000), np.alif.tau_a_ms);
    VectorXd thr_nominal(np.n_rec());
    thr_nominal.head(5000).setConstant(np.lif.thr);
    thr_nominal.tail(5000).setConstant(np.alif.thr);
    const double sd_thr = rel_sd(core.thr().cwiseQuotient(thr_nominal), 1.0);
    const double sd_gain = rel_sd(core.gain(), 1.0);
    RecordProperty("sigma_" + std::to_string(sigma) + "_tau_m", std::to_string(sd_tau_m));
    RecordProperty("sigma_" + std::to_string(sigma) + "_tau_a", std::to_string(sd_tau_a));
    for (const double sd : {sd_tau_m, sd_tau_a, sd_thr, sd_gain}) {
      EXPECT_NEAR(sd / sigma, 1.0, 0.05) << "sigma " << sigma << ": measured " << sd;
    }
  }
}

TEST(AnalogCore, OneSeedFixesTheFixedPatternAndRunsAreBitIdentical) {
  const fl::NetworkParams np = test_net();
  const fl::Neurons n = fl::Neurons::from(np);
  const fl::Weights w = fl::init_weights(n, 5, 2.0, 1.5, 1.0, 1.0);
  const tasks::Batch batch = random_batch(12, 3, 80, 3, 0.15, true, 3);
  const AnalogParams ap;  // all defaults
  auto run = [&](uint64_t mismatch_seed, uint64_t noise_seed) {
    AnalogParams p = ap;
    p.mismatch_seed = mismatch_seed;
    Core core(np, p, noise_seed);
    core.program(w);
    fl::State st;
    MatrixXd ys(3, batch.T);
    tasks::StepReader in(batch);
    for (int t = 0; t < batch.T; ++t) {
      in.read(t);
      core.step(in.x(), t, st);
      ys.col(t) = st.y.col(1);
    }
    return std::make_pair(core.effective_weights().w_rec, ys);
  };
  const auto a = run(1, 2), b = run(1, 2);
  EXPECT_TRUE(a.first == b.first);
  EXPECT_TRUE(a.second == b.second) << "same seeds must give bit-identical readouts";
  // Same chip (mismatch seed), other temporal noise: the same time constants.
  AnalogParams p = ap;
  const Core c1(np, p, 1), c2(np, p, 99);
  EXPECT_TRUE(c1.tau_m_ms() == c2.tau_m_ms());
  EXPECT_TRUE(c1.thr() == c2.thr());
  p.mismatch_seed = 2;
  const Core c3(np, p, 1);
  EXPECT_FALSE(c1.tau_m_ms() == c3.tau_m_ms());
  EXPECT_FALSE(run(1, 2).second == run(1, 3).second) << "the temporal noise seed must matter";
}

TEST(AnalogCore, ConverterQuantisesAndSaturates) {
  // 7 bits, bound 1: 63 steps of 1/63 per side.
  EXPECT_EQ(Core::convert(1.0, 7, 1.0), 1.0);
  EXPECT_EQ(Core::convert(0.0, 7, 1.0), 0.0);
  EXPECT_EQ(Core::convert(5.0, 7, 1.0), 1.0);
  EXPECT_EQ(Core::convert(-5.0, 7, 1.0), -1.0);
  EXPECT_DOUBLE_EQ(Core::convert(0.5, 7, 1.0), 32.0 / 63.0);
  EXPECT_DOUBLE_EQ(Core::convert(0.1, 3, 1.0), 0.0);  // 3 steps of 1/3
  EXPECT_DOUBLE_EQ(Core::convert(0.2, 3, 1.0), 1.0 / 3.0);
  EXPECT_EQ(Core::convert(0.123456, 0, 1.0), 0.123456);  // ideal
  EXPECT_EQ(Core::convert(123.0, 0, 1.0), 123.0);
}

// Only quantisation on: every effective weight is w_max k/(L-1) for an integer k.
TEST(AnalogCore, WeightsAreQuantisedToTheConductanceLevels) {
  const fl::NetworkParams np = test_net();
  const fl::Neurons n = fl::Neurons::from(np);
  const fl::Weights w = fl::init_weights(n, 5);
  AnalogParams ap = AnalogParams::ideal();
  ap.synapse.levels = 8;
  Core core(np, ap, 1);
  core.program(w);
  const MatrixXd& e = core.effective_weights().w_in;
  const double wmax = w.w_in.cwiseAbs().maxCoeff();
  for (Eigen::Index i = 0; i < e.size(); ++i) {
    const double k = e(i) / wmax * 7.0;
    EXPECT_NEAR(k, std::round(k), 1e-9);
    EXPECT_LE(std::abs(e(i) - w.w_in(i)), wmax / 14.0 + 1e-12);
  }
  EXPECT_EQ(core.effective_weights().w_rec.diagonal().cwiseAbs().maxCoeff(), 0.0);
}

// Only drift on (no compensation): every device decays by (t/t0)^-nu.
TEST(AnalogCore, DriftFollowsThePowerLaw) {
  const fl::NetworkParams np = test_net();
  const fl::Neurons n = fl::Neurons::from(np);
  const fl::Weights w = fl::init_weights(n, 5);
  AnalogParams ap = AnalogParams::ideal();
  ap.synapse.drift_nu = 0.1;
  ap.synapse.drift_t_s = 2000.0;  // 100 t0
  ap.synapse.drift_compensation = false;
  Core core(np, ap, 1);
  core.program(w);
  const double f = std::pow(100.0, -0.1);
  EXPECT_LE(max_abs_diff(core.effective_weights().w_in, f * w.w_in), 1e-12);
  ap.synapse.drift_compensation = true;  // uniform nu: compensation restores the weights
  Core comp(np, ap, 1);
  comp.program(w);
  EXPECT_LE(max_abs_diff(comp.effective_weights().w_out, w.w_out), 1e-12);
}

TEST(AnalogCore, DefaultNonIdealitiesPerturbButKeepTheWeights) {
  const fl::NetworkParams np = test_net();
  const fl::Neurons n = fl::Neurons::from(np);
  const fl::Weights w = fl::init_weights(n, 5);
  Core core(np, AnalogParams{}, 1);
  core.program(w);
  const double rel = fl::testing::rel_err(core.effective_weights().w_in, w.w_in);
  RecordProperty("default_w_in_rel_err", std::to_string(rel));
  EXPECT_GT(rel, 0.01);
  EXPECT_LT(rel, 0.5);
}

TEST(AnalogCore, CountsEvents) {
  const fl::NetworkParams np = test_net();
  const fl::Neurons n = fl::Neurons::from(np);
  const fl::Weights w = fl::init_weights(n, 5, 2.0, 1.5, 1.0, 1.0);
  Core core(np, AnalogParams::ideal(), 1);
  core.program(w);
  EXPECT_EQ(core.counters().device_writes, 2.0 * (18 * 12 + 18 * 17 + 3 * 18));
  const tasks::Batch batch = random_batch(12, 3, 50, 2, 0.2, true, 3);
  fl::State st;
  tasks::StepReader in(batch);
  double inputs = 0, spikes_prev = 0, spikes_now = 0;
  for (int t = 0; t < batch.T; ++t) {
    in.read(t);
    inputs += (in.x().array() != 0.0).count();
    spikes_prev += st.z.size() ? st.z.sum() : 0.0;
    core.step(in.x(), t, st);
    spikes_now += st.z.sum();
  }
  const Counters& c = core.counters();
  EXPECT_EQ(c.sequences, 2);
  EXPECT_EQ(c.steps, 100);
  EXPECT_EQ(c.input_events, inputs);
  EXPECT_EQ(c.synaptic_events, (inputs + spikes_prev) * 18 + spikes_now * 3);
  EXPECT_EQ(c.neuron_updates, 100 * 18);
  EXPECT_EQ(c.readout_conversions, 100 * 3);
  EXPECT_EQ(c.membrane_conversions, 0);
}

TEST(AnalogCore, RejectsBadParameters) {
  const fl::NetworkParams np = test_net();
  AnalogParams ap;
  ap.synapse.levels = 1;
  EXPECT_THROW(Core(np, ap, 1), std::invalid_argument);
  ap = AnalogParams{};
  ap.synapse.drift_t_s = 1.0;
  EXPECT_THROW(Core(np, ap, 1), std::invalid_argument);
  fl::NetworkParams sig = np;
  sig.spike_fn = fl::SpikeFn::Sigmoid;
  EXPECT_THROW(Core(sig, AnalogParams{}, 1), std::invalid_argument);
  Core core(np, AnalogParams{}, 1);
  fl::State st;
  EXPECT_THROW(core.step(MatrixXd::Zero(12, 1), 0, st), std::logic_error);
}

}  // namespace
}  // namespace eligo::analog
