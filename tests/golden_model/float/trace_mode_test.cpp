// e-prop's trace modes (params.hpp TraceMode): Windowed is Exact once its span covers the
// sequence and converges to it as the span grows (LIF: the dropped history decays with kappa);
// Factored is Exact where its approximations vanish (LIF only, no readout filter) and differs
// where they do not (ALIF's adaptation term); FactoredAdapt is Factored when beta = 0 and keeps
// part of the adaptation term Factored drops.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "golden_model/float/eprop.hpp"
#include "test_util.hpp"

namespace eligo::fl {
namespace {

using testing::random_batch;
using testing::rel_err;
using testing::small_net;

constexpr int kT = 200, kB = 3, kWindow = 20;

struct Net {
  Neurons n;
  Weights w;
  tasks::Batch batch;
  TrainParams tp;
};

// 12 inputs, n_lif LIF and n_alif ALIF neurons, 2 readouts, MSE over the last 20 of 200 steps,
// the firing-rate regulariser on (its S sums the mode's e as well).
Net setup(int n_lif, int n_alif, uint64_t seed) {
  const NetworkParams np = small_net(12, n_lif, n_alif, 2);
  Net s{Neurons::from(np), {}, random_batch(np.n_in, np.n_out, kT, kB, 0.2, false, seed + 100), {}};
  s.w = init_weights(s.n, seed, 3.0, 1.5, 1.0, 1.0);
  s.tp.loss = LossKind::MSE;
  s.tp.learning_window = kWindow;
  s.tp.c_reg = 2.0;
  return s;
}

Gradients with_trace(const Net& s, TraceMode mode, int pre_steps = 0) {
  TrainParams tp = s.tp;
  tp.trace = mode;
  tp.trace_pre_steps = pre_steps;
  return eprop_gradients(s.n, s.w, tp, s.batch);
}

double rel_err_all(const Gradients& a, const Gradients& b) {
  return std::max({rel_err(a.w_in, b.w_in), rel_err(a.w_rec, b.w_rec), rel_err(a.w_out, b.w_out)});
}

TEST(TraceMode, WindowedCoveringTheSequenceIsExact) {
  const Net s = setup(7, 6, 1);
  const Gradients exact = with_trace(s, TraceMode::Exact);
  ASSERT_GT(exact.w_rec.norm(), 0.0);
  const Gradients win = with_trace(s, TraceMode::Windowed, kT - kWindow);
  EXPECT_EQ(win.w_in, exact.w_in);
  EXPECT_EQ(win.w_rec, exact.w_rec);
  EXPECT_EQ(win.w_out, exact.w_out);
}

TEST(TraceMode, WindowedConvergesToExactOnLif) {
  Net s = setup(10, 0, 2);
  s.tp.c_reg = 0.0;  // the regulariser's S sums e over the traced span only: it does not converge
  const Gradients exact = with_trace(s, TraceMode::Exact);
  ASSERT_GT(exact.rate_hz, 5.0) << "the network must spike for the test to mean anything";
  std::vector<double> err;
  for (int pre : {0, 20, 60, 150}) err.push_back(rel_err_all(with_trace(s, TraceMode::Windowed, pre), exact));
  EXPECT_GT(err[0], 1e-3) << "starting the traces at the window must lose something";
  for (size_t i = 1; i < err.size(); ++i) EXPECT_LT(err[i], err[i - 1]) << "pre steps index " << i;
  // The dropped part of ebar at the window has decayed by kappa^150 (5.5e-4 at tau_out 20 ms).
  EXPECT_LT(err.back(), std::pow(s.n.kappa, 150)) << err[0] << " " << err[1] << " " << err[2];
  // The readout's gradient uses per-neuron traces only: every mode gives the same.
  EXPECT_EQ(with_trace(s, TraceMode::Windowed, 0).w_out, exact.w_out);
}

TEST(TraceMode, FactoredIsExactForLifWithoutReadoutFilter) {
  Net s = setup(10, 0, 3);
  s.n.kappa = 0.0;  // ebar = c e: no filter ...
  s.n.c = 1.0;      // ... and no scale
  const Gradients exact = with_trace(s, TraceMode::Exact), fac = with_trace(s, TraceMode::Factored);
  ASSERT_GT(exact.w_in.norm(), 0.0);
  EXPECT_LT(rel_err_all(fac, exact), 1e-12);
}

TEST(TraceMode, FactoredDropsTheReadoutFilterAndTheAdaptationTerm) {
  Net lif = setup(10, 0, 4);
  EXPECT_GT(rel_err(with_trace(lif, TraceMode::Factored).w_rec, with_trace(lif, TraceMode::Exact).w_rec), 1e-3);
  Net alif = setup(0, 10, 4);
  alif.n.kappa = 0.0;
  alif.n.c = 1.0;
  EXPECT_GT(rel_err(with_trace(alif, TraceMode::Factored).w_in, with_trace(alif, TraceMode::Exact).w_in), 1e-3);
}

TEST(TraceMode, FactoredAdaptIsFactoredWithoutAdaptation) {
  Net s = setup(5, 8, 5);
  s.n.beta.setZero();  // ALIF rows without adaptation: the P_j V_i term is multiplied by 0
  const Gradients fac = with_trace(s, TraceMode::Factored), fa = with_trace(s, TraceMode::FactoredAdapt);
  ASSERT_GT(fac.w_in.norm(), 0.0);
  EXPECT_LT(rel_err_all(fa, fac), 1e-12);
}

TEST(TraceMode, FactoredAdaptKeepsPartOfTheAdaptationTerm) {
  // Without the readout filter, Factored's only error on ALIF rows is the dropped eps_a term;
  // FactoredAdapt's per-neuron P_j V_i must bring the gradient closer to Exact, on every seed.
  for (uint64_t seed : {6, 7, 8}) {
    Net s = setup(0, 10, seed);
    s.n.kappa = 0.0;
    s.n.c = 1.0;
    s.tp.c_reg = 0.0;
    const Gradients exact = with_trace(s, TraceMode::Exact);
    ASSERT_GT(exact.rate_hz, 5.0) << "the network must spike for the test to mean anything";
    const double e_fac = rel_err(with_trace(s, TraceMode::Factored).w_in, exact.w_in);
    const double e_fa = rel_err(with_trace(s, TraceMode::FactoredAdapt).w_in, exact.w_in);
    EXPECT_LT(e_fa, e_fac) << "seed " << seed;
    EXPECT_GT(e_fa, 1e-6) << "seed " << seed << ": the per-neuron product is an approximation";
  }
}

}  // namespace
}  // namespace eligo::fl
