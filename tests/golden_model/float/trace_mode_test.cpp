// e-prop's trace modes (params.hpp TraceMode): Windowed is Exact once its span covers the
// sequence and converges to it as the span grows (LIF: the dropped history decays with kappa);
// Factored is Exact where its approximations vanish (LIF only, no readout filter) and differs
// where they do not (ALIF's adaptation term); FactoredAdapt is Factored when beta = 0 and keeps
// part of the adaptation term Factored drops. Windowed's adapt_block (ALIF eps_a over the held
// steps in blocks of K) is checked against a plain-loop e-prop written here, and so is
// FactoredBins (R time bins of adaptation traces; R = T is the exact eps_a recursion).
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

// ---- Windowed with adapt_block ----------------------------------------------------------

// How the reference keeps ALIF eps_a on the held steps t < t0 (before the traced span).
enum class Held {
  None,    // not at all: eps_a = 0 at t0 (Windowed without adapt_block)
  Exact,   // every step: eps_a = rho eps_a + psi (eps_v - beta eps_a)
  Blocks,  // params.hpp's adapt_block rule with K
};

// The forward pass of a batch (fl::step), per step: the presynaptic inputs [x(t); z(t-1)]
// (n_pre x B), psi(t) (n_rec x B) and the MSE error (y - y*) / B (n_out x B).
struct Recorded {
  std::vector<MatrixXd> pres, psis, errs;
};

Recorded record(const Net& s) {
  const Neurons& n = s.n;
  const int B = s.batch.B;
  Recorded r;
  State st;
  st.reset(n, B);
  for (int t = 0; t < s.batch.T; ++t) {
    MatrixXd p(n.n_in + n.n_rec, B);
    p << s.batch.x_at(t), st.z;
    step(n, s.w, s.batch.x_at(t), t, st);
    r.pres.push_back(p);
    r.psis.push_back(st.psi);
    r.errs.push_back((st.y - s.batch.target_at(t)) / B);
  }
  return r;
}

// Windowed e-prop of one batch with plain loops, independent of eprop.cpp: MSE, symmetric
// feedback, batch mean, no regulariser. The forward pass is fl::step; then per sequence b and
// synapse j <- i (pre_i = x_i(t), or z_i(t-1) for the recurrent synapses):
//   eps_v_ji = alpha_j eps_v_ji + zeta_j pre_i                        every step
//   held steps t < t0 = T - LW - pre, ALIF j only, as `held` says (Blocks: P_j += psi_j; where
//   (t0 - 1 - t) % K == 0: e = P_j (eps_v - beta_j eps_a), eps_a = rho_j^K eps_a + e, P_j = 0)
//   t >= t0: e = psi_j (eps_v - beta_j eps_a), eps_a = rho_j eps_a + e, ebar = kappa ebar + c e,
//            G_ji += L_j ebar in the window, L_j = sum_k W_out_kj (y_k - y*_k) / B
// Returns G = [dE/dW_in dE/dW_rec] (n_rec x (n_in + n_rec), the W_rec diagonal zeroed).
MatrixXd windowed_reference(const Net& s, int pre, Held held, int K = 1) {
  const Neurons& n = s.n;
  const int T = s.batch.T, B = s.batch.B, n_pre = n.n_in + n.n_rec;
  const int lw = s.tp.learning_window, t0 = T - lw - pre;
  const Recorded rec = record(s);
  const auto &pres = rec.pres, &psis = rec.psis, &errs = rec.errs;
  MatrixXd G = MatrixXd::Zero(n.n_rec, n_pre);
  for (int b = 0; b < B; ++b) {
    for (int j = 0; j < n.n_rec; ++j) {
      const bool alif = j >= n.n_lif;
      const double rho_k = std::pow(n.rho(j), K);
      for (int i = 0; i < n_pre; ++i) {
        double eps_v = 0.0, eps_a = 0.0, ebar = 0.0, P = 0.0;
        for (int t = 0; t < T; ++t) {
          const double psi = psis[t](j, b);
          eps_v = n.alpha(j) * eps_v + n.zeta(j) * pres[t](i, b);
          if (t < t0) {
            if (!alif || held == Held::None) continue;
            if (held == Held::Exact) {
              eps_a = n.rho(j) * eps_a + psi * (eps_v - n.beta(j) * eps_a);
            } else {
              P += psi;
              if ((t0 - 1 - t) % K == 0) {
                eps_a = rho_k * eps_a + P * (eps_v - n.beta(j) * eps_a);
                P = 0.0;
              }
            }
            continue;
          }
          const double e = psi * (eps_v - n.beta(j) * eps_a);
          eps_a = n.rho(j) * eps_a + e;
          ebar = n.kappa * ebar + n.c * e;
          if (t >= T - lw) {
            double L = 0.0;
            for (int k = 0; k < n.n_out; ++k) L += s.w.w_out(k, j) * errs[t](k, b);
            G(j, i) += L * ebar;
          }
        }
      }
    }
  }
  for (int j = 0; j < n.n_rec; ++j) G(j, n.n_in + j) = 0.0;
  return G;
}

// A short sequence for the loop reference: 12 inputs, 3 LIF and 5 ALIF neurons, 2 readouts,
// T = 30, MSE over the last 5 steps, 3 steps traced before them (t0 = 22: 22 held steps).
constexpr int kShortT = 30, kShortWindow = 5, kShortPre = 3;

Net short_setup(uint64_t seed) {
  const NetworkParams np = small_net(12, 3, 5, 2);
  Net s{Neurons::from(np), {}, random_batch(np.n_in, np.n_out, kShortT, 2, 0.3, false, seed + 100), {}};
  s.w = init_weights(s.n, seed, 3.0, 1.5, 1.0, 1.0);
  s.tp.loss = LossKind::MSE;
  s.tp.learning_window = kShortWindow;
  s.tp.trace = TraceMode::Windowed;
  s.tp.trace_pre_steps = kShortPre;
  return s;
}

MatrixXd with_adapt_block(const Net& s, int K) {
  TrainParams tp = s.tp;
  tp.adapt_block = K;
  const Gradients g = eprop_gradients(s.n, s.w, tp, s.batch);
  MatrixXd G(g.w_in.rows(), g.w_in.cols() + g.w_rec.cols());
  G << g.w_in, g.w_rec;
  return G;
}

double rel_err_g(const MatrixXd& a, const MatrixXd& b) { return (a - b).norm() / b.norm(); }

TEST(TraceMode, WindowedAdaptBlockZeroIsWindowed) {
  // adapt_block 0: the loop reference without held eps_a, which differs from the one with it.
  for (uint64_t seed : {11, 13, 14}) {
    const Net s = short_setup(seed);
    const MatrixXd none = windowed_reference(s, kShortPre, Held::None);
    ASSERT_GT(rel_err_g(windowed_reference(s, kShortPre, Held::Exact), none), 1e-3)
        << "seed " << seed << ": the held steps must matter for the test to mean anything";
    EXPECT_LT(rel_err_g(with_adapt_block(s, 0), none), 1e-12) << "seed " << seed;
    // 0 is the default: setting it is the run without the field, bit for bit.
    const Gradients unset = eprop_gradients(s.n, s.w, s.tp, s.batch);
    MatrixXd G(unset.w_in.rows(), unset.w_in.cols() + unset.w_rec.cols());
    G << unset.w_in, unset.w_rec;
    EXPECT_EQ(with_adapt_block(s, 0), G);
  }
}

TEST(TraceMode, WindowedAdaptBlockOneIsTheExactEpsARecursion) {
  for (uint64_t seed : {11, 13, 14}) {
    const Net s = short_setup(seed);
    const MatrixXd exact = windowed_reference(s, kShortPre, Held::Exact);
    ASSERT_GT(rel_err_g(windowed_reference(s, kShortPre, Held::None), exact), 1e-3) << "seed " << seed;
    EXPECT_LT(rel_err_g(with_adapt_block(s, 1), exact), 1e-12) << "seed " << seed;
  }
}

TEST(TraceMode, WindowedAdaptBlockFollowsTheBlockRule) {
  // K = 4 over 22 held steps: blocks end at 21, 17, ..., 1; the first block is step 0 alone.
  // K = 5: ends at 21, 16, ..., 1; K = 30 (> t0): one short block ending at 21.
  for (uint64_t seed : {11, 13, 14}) {
    const Net s = short_setup(seed);
    const MatrixXd exact = windowed_reference(s, kShortPre, Held::Exact);
    for (int K : {4, 5, 30}) {
      const MatrixXd blocks = windowed_reference(s, kShortPre, Held::Blocks, K);
      ASSERT_GT(rel_err_g(blocks, exact), 1e-6) << "seed " << seed << " K " << K << ": blocks approximate";
      EXPECT_LT(rel_err_g(with_adapt_block(s, K), blocks), 1e-12) << "seed " << seed << " K " << K;
    }
  }
}

TEST(TraceMode, WindowedAdaptBlockWithoutHeldStepsIsWindowed) {
  // The traced span covers the sequence (t0 <= 0): nothing is held, adapt_block changes nothing.
  const Net s = setup(4, 6, 9);
  TrainParams tp = s.tp;
  tp.trace = TraceMode::Windowed;
  tp.trace_pre_steps = kT - kWindow;
  const Gradients off = eprop_gradients(s.n, s.w, tp, s.batch);
  tp.adapt_block = 8;
  const Gradients on = eprop_gradients(s.n, s.w, tp, s.batch);
  EXPECT_EQ(on.w_in, off.w_in);
  EXPECT_EQ(on.w_rec, off.w_rec);
}

// ---- FactoredBins ------------------------------------------------------------------------

// How the loop reference keeps ALIF's eps_a_ji for the unfiltered e_ji = psi_j (eps_v_i -
// beta_j eps_a_ji) (LIF rows: e_ji = psi_j eps_v_ji).
enum class Adapt {
  None,   // dropped: A = 0 (Factored)
  Exact,  // per synapse: eps_a = (rho_j - beta_j psi_j) eps_a + psi_j eps_v (after e)
  Bins,   // params.hpp's FactoredBins rule with the bins given by their first steps
};

// First steps of R equal bins of ceil(T / R) steps, and T: R + 1 entries.
std::vector<int> equal_bins(int T, int R) {
  std::vector<int> starts;
  for (int k = 0; k <= R; ++k) starts.push_back(std::min(k * ((T + R - 1) / R), T));
  return starts;
}

// Factored e-prop of one batch with plain loops, independent of eprop.cpp: MSE, symmetric
// feedback, batch mean, no regulariser. Per sequence b and synapse j <- i:
//   eps_v = alpha_j eps_v + zeta_j pre_i
//   e = psi_j (eps_v - beta_j A), A = 0 (None), eps_a (Exact) or sum_k P_k V_k (Bins), state
//       before step t
//   G_ji += L_j f in the window, L_j = sum_k W_out_kj (y_k - y*_k) / B, f as `filter` says:
//       None: e; Synapse: ebar = kappa ebar + c e every step; SynapseWindow: the same in the
//       window only, from 0; Neuron: psibar_j (eps_v - beta_j A), psibar = kappa psibar + c psi
//   Exact: eps_a = (rho_j - beta_j psi_j) eps_a + psi_j eps_v
//   Bins:  bin c of t: starts[c] <= t < starts[c + 1]; P_k = (rho_j - beta_j psi_j) P_k +
//          (k == c) psi_j for every k; V_c = the mean of eps_v over bin c's steps up to t
// Returns G = [dE/dW_in dE/dW_rec] (the W_rec diagonal zeroed).
MatrixXd factored_reference(const Net& s, Adapt adapt, const std::vector<int>& starts = {0, 1 << 30},
                            ReadoutFilter filter = ReadoutFilter::None) {
  const Neurons& n = s.n;
  const int T = s.batch.T, B = s.batch.B, n_pre = n.n_in + n.n_rec, lw = s.tp.learning_window;
  const int R = int(starts.size()) - 1;
  const Recorded rec = record(s);
  const auto &pres = rec.pres, &psis = rec.psis, &errs = rec.errs;
  MatrixXd G = MatrixXd::Zero(n.n_rec, n_pre);
  for (int b = 0; b < B; ++b) {
    for (int j = 0; j < n.n_rec; ++j) {
      const double beta = j >= n.n_lif ? n.beta(j) : 0.0;
      for (int i = 0; i < n_pre; ++i) {
        double eps_v = 0.0, eps_a = 0.0, ebar = 0.0, psibar = 0.0;
        std::vector<double> P(R, 0.0), V(R, 0.0);
        for (int t = 0; t < T; ++t) {
          const double psi = psis[t](j, b);
          const bool window = t >= T - lw;
          eps_v = n.alpha(j) * eps_v + n.zeta(j) * pres[t](i, b);
          double A = adapt == Adapt::Exact ? eps_a : 0.0;
          if (adapt == Adapt::Bins) {
            for (int k = 0; k < R; ++k) A += P[k] * V[k];
          }
          const double e = psi * (eps_v - beta * A);
          psibar = n.kappa * psibar + n.c * psi;
          if (filter == ReadoutFilter::Synapse || (filter == ReadoutFilter::SynapseWindow && window)) {
            ebar = n.kappa * ebar + n.c * e;
          }
          const double f = filter == ReadoutFilter::None     ? e
                           : filter == ReadoutFilter::Neuron ? psibar * (eps_v - beta * A)
                                                             : ebar;
          if (window) {
            double L = 0.0;
            for (int k = 0; k < n.n_out; ++k) L += s.w.w_out(k, j) * errs[t](k, b);
            G(j, i) += L * f;
          }
          const double d = n.rho(j) - beta * psi;
          eps_a = d * eps_a + psi * eps_v;
          int c = 0;
          while (t >= starts[c + 1]) ++c;
          for (int k = 0; k < R; ++k) P[k] = d * P[k] + (k == c ? psi : 0.0);
          const int steps_in_bin = t - starts[c] + 1;
          V[c] += (eps_v - V[c]) / steps_in_bin;
        }
      }
    }
  }
  for (int j = 0; j < n.n_rec; ++j) G(j, n.n_in + j) = 0.0;
  return G;
}

// short_setup's seeds whose LIF and ALIF rows have psi > 0 in the learning window (factored's e
// is unfiltered: on many seeds no ALIF neuron is near threshold in the last 5 steps).
constexpr uint64_t kBinSeeds[] = {2, 5, 10, 25};

MatrixXd with_bins(const Net& s, int R, BinSpacing spacing = BinSpacing::Equal,
                   ReadoutFilter filter = ReadoutFilter::None, TraceMode mode = TraceMode::FactoredBins) {
  TrainParams tp = s.tp;
  tp.trace = mode;
  tp.adapt_bins = R;
  tp.adapt_bin_spacing = spacing;
  tp.readout_filter = filter;
  const Gradients g = eprop_gradients(s.n, s.w, tp, s.batch);
  MatrixXd G(g.w_in.rows(), g.w_in.cols() + g.w_rec.cols());
  G << g.w_in, g.w_rec;
  return G;
}

TEST(TraceMode, FactoredBinsFollowsTheBinRule) {
  // T = 30: R = 4 is bins of 8 steps (the last 6), R = 7 bins of 5 (the seventh empty), R = 29
  // bins of 2 (15 used), R = 30 one step each.
  for (uint64_t seed : kBinSeeds) {
    const Net s = short_setup(seed);
    const MatrixXd exact = factored_reference(s, Adapt::Exact);
    ASSERT_GT(exact.norm(), 0.0) << "seed " << seed << ": no psi in the window";
    for (int R : {1, 2, 4, 7, 29, 30}) {
      const MatrixXd bins = factored_reference(s, Adapt::Bins, equal_bins(kShortT, R));
      if (R < kShortT) {
        ASSERT_GT(rel_err_g(bins, exact), 1e-6) << "seed " << seed << " R " << R << ": bins approximate";
      }
      EXPECT_LT(rel_err_g(with_bins(s, R), bins), 1e-12) << "seed " << seed << " R " << R;
    }
  }
}

TEST(TraceMode, FactoredBinsOneStepPerBinIsTheExactEpsARecursion) {
  // R = T: every bin holds one step, V_ik = eps_v_i(s), P_jk = D_j(t, s) psi_j(s): the sum over
  // bins is the per-synapse eps_a_ji (unfiltered e, computed here with eps_a per synapse).
  for (uint64_t seed : kBinSeeds) {
    const Net s = short_setup(seed);
    const MatrixXd exact = factored_reference(s, Adapt::Exact);
    ASSERT_GT(exact.norm(), 0.0) << "seed " << seed << ": no psi in the window";
    ASSERT_GT(rel_err_g(with_bins(s, 1), exact), 1e-3)
        << "seed " << seed << ": the adaptation term must matter for the test to mean anything";
    EXPECT_LT(rel_err_g(with_bins(s, kShortT), exact), 1e-12) << "seed " << seed;
  }
}

TEST(TraceMode, FactoredBinsExponentialSpacing) {
  // T = 30, window 5 (t_w = 25): R = 3 is [0, 17) [17, 25) [25, 30) (unit 25/3: 25 - round(8.33));
  // R = 4 is [0, 14) [14, 21) [21, 25) [25, 30) (unit 25/7: 25 - round(10.71), 25 - round(3.57));
  // R = 2 is [0, 25) [25, 30); R = 1 one bin, as equal spacing.
  const std::vector<std::vector<int>> starts = {{0, 30}, {0, 25, 30}, {0, 17, 25, 30}, {0, 14, 21, 25, 30}};
  for (uint64_t seed : kBinSeeds) {
    const Net s = short_setup(seed);
    for (const auto& st : starts) {
      const int R = int(st.size()) - 1;
      const MatrixXd bins = factored_reference(s, Adapt::Bins, st);
      EXPECT_LT(rel_err_g(with_bins(s, R, BinSpacing::Exponential), bins), 1e-12) << "seed " << seed << " R " << R;
      if (R > 1) {
        ASSERT_GT(rel_err_g(with_bins(s, R), bins), 1e-6) << "seed " << seed << " R " << R << ": not the equal bins";
      }
    }
  }
}

TEST(TraceMode, FactoredBinsIsFactoredWithoutAdaptation) {
  Net s = setup(5, 8, 5);
  s.n.beta.setZero();  // the sum over bins is multiplied by beta_j = 0
  TrainParams tp = s.tp;
  tp.trace = TraceMode::FactoredBins;
  tp.adapt_bins = 3;
  const Gradients fac = with_trace(s, TraceMode::Factored), fb = eprop_gradients(s.n, s.w, tp, s.batch);
  ASSERT_GT(fac.w_in.norm(), 0.0);
  EXPECT_LT(rel_err_all(fb, fac), 1e-12);  // the regulariser's S included (c_reg 2)
}

// ---- readout_filter ----------------------------------------------------------------------

constexpr ReadoutFilter kFilters[] = {ReadoutFilter::Synapse, ReadoutFilter::SynapseWindow, ReadoutFilter::Neuron};

TEST(TraceMode, FactoredReadoutFilterFollowsItsRule) {
  // Factored (adaptation dropped) and FactoredBins (R = 4) with each filter, against the loop
  // reference; every filter changes the gradient (the window's 5 steps see older e through it).
  for (uint64_t seed : kBinSeeds) {
    const Net s = short_setup(seed);
    for (int f = 0; f < 3; ++f) {
      const ReadoutFilter filter = kFilters[f];
      const MatrixXd fac = factored_reference(s, Adapt::None, {0, 1 << 30}, filter);
      const MatrixXd bins = factored_reference(s, Adapt::Bins, equal_bins(kShortT, 4), filter);
      ASSERT_GT(rel_err_g(fac, factored_reference(s, Adapt::None)), 1e-6) << "seed " << seed << " filter " << f;
      ASSERT_GT(rel_err_g(bins, factored_reference(s, Adapt::Bins, equal_bins(kShortT, 4))), 1e-6)
          << "seed " << seed << " filter " << f;
      EXPECT_LT(rel_err_g(with_bins(s, 1, BinSpacing::Equal, filter, TraceMode::Factored), fac), 1e-12)
          << "seed " << seed << " filter " << f;
      EXPECT_LT(rel_err_g(with_bins(s, 4, BinSpacing::Equal, filter), bins), 1e-12) << "seed " << seed << " filter " << f;
    }
  }
}

TEST(TraceMode, FactoredBinsWithSynapseFilterAndOneStepPerBinIsExact) {
  // R = T gives the exact eps_a, the synapse filter the exact ebar: Exact's gradients, the
  // regulariser's S and the readout's included.
  for (uint64_t seed : kBinSeeds) {
    Net s = short_setup(seed);
    s.tp.c_reg = 2.0;
    s.tp.trace = TraceMode::Exact;
    const Gradients exact = eprop_gradients(s.n, s.w, s.tp, s.batch);
    ASSERT_GT(exact.w_in.norm(), 0.0);
    TrainParams tp = s.tp;
    tp.trace = TraceMode::FactoredBins;
    tp.adapt_bins = kShortT;
    tp.readout_filter = ReadoutFilter::Synapse;
    EXPECT_LT(rel_err_all(eprop_gradients(s.n, s.w, tp, s.batch), exact), 1e-12) << "seed " << seed;
    tp.readout_filter = ReadoutFilter::None;
    EXPECT_GT(rel_err_all(eprop_gradients(s.n, s.w, tp, s.batch), exact), 1e-6) << "seed " << seed;
  }
}

TEST(TraceMode, FactoredModesWithSynapseFilterAreExactWithoutAdaptation) {
  // beta = 0: no adaptation term to approximate, so the synapse filter leaves nothing between
  // each factored mode and Exact.
  Net s = setup(5, 8, 5);
  s.n.beta.setZero();
  const Gradients exact = with_trace(s, TraceMode::Exact);
  ASSERT_GT(exact.w_in.norm(), 0.0);
  for (TraceMode mode : {TraceMode::Factored, TraceMode::FactoredAdapt, TraceMode::FactoredBins}) {
    TrainParams tp = s.tp;
    tp.trace = mode;
    tp.readout_filter = ReadoutFilter::Synapse;
    EXPECT_LT(rel_err_all(eprop_gradients(s.n, s.w, tp, s.batch), exact), 1e-12) << int(mode);
  }
}

}  // namespace
}  // namespace eligo::fl
