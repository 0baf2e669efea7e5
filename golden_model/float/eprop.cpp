#include "golden_model/float/eprop.hpp"

#include "golden_model/float/objective.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace eligo::fl {

namespace {

// Trace storage for one batch. Synapse matrices are n_rec x n_pre (n_pre = n_in + n_rec: input
// synapses first, then recurrent), one block of columns per sequence b.
class EpropRun {
 public:
  EpropRun(const Neurons& n, const TrainParams& tp, const tasks::Batch& batch,
           const ForwardStep& forward = {})
      : n_(n), tp_(tp), forward_(forward), B_(batch.B), T_(batch.T), n_pre_(n.n_in + n.n_rec),
        n_alif_(n.n_rec - n.n_lif), obj_(n, tp, batch), in_(batch) {
    ebar_.setZero(n.n_rec, Eigen::Index(n_pre_) * B_);
    eps_a_.setZero(n_alif_, Eigen::Index(n_pre_) * B_);
    if (tp.c_reg != 0.0) S_.setZero(n.n_rec, Eigen::Index(n_pre_) * B_);
    eps_v_lif_.setZero(n_pre_, B_);
    eps_v_alif_.setZero(n_pre_, B_);
    if (tp.trace == TraceMode::FactoredAdapt) {
      P_.setZero(n_alif_, B_);
      V_.setZero(n_pre_, B_);
    }
    if (tp.trace == TraceMode::FactoredBins) {
      if (tp.adapt_bins < 1) {
        throw std::invalid_argument("eprop: adapt_bins " + std::to_string(tp.adapt_bins) + " < 1");
      }
      // Equal: bins of L = ceil(T / R) steps, bin k holds steps [k L, (k + 1) L), the last one
      // shorter (and, when R does not divide T, bins past ceil(T / L) are empty: their P and V
      // stay 0). Exponential: params.hpp (empty bins where the rounding makes them so).
      R_ = tp.adapt_bins;
      bin_start_.resize(R_ + 1);
      if (tp.adapt_bin_spacing == BinSpacing::Equal) {
        const int len = (T_ + R_ - 1) / R_;
        for (int k = 0; k <= R_; ++k) bin_start_[k] = std::min(k * len, T_);
      } else {
        const int tw = obj_.window_start();
        const double unit = R_ > 1 ? double(tw) / (std::ldexp(1.0, R_ - 1) - 1.0) : 0.0;
        for (int k = 0; k < R_ - 1; ++k) {
          bin_start_[k] = tw - int(std::lround(unit * (std::ldexp(1.0, R_ - 1 - k) - 1.0)));
        }
        bin_start_[R_ - 1] = R_ == 1 ? 0 : tw;
        bin_start_[R_] = T_;
      }
      bin_of_.resize(T_);
      for (int k = 0; k < R_; ++k) {
        for (int t = bin_start_[k]; t < bin_start_[k + 1]; ++t) bin_of_[t] = k;
      }
      Pb_.setZero(n_alif_, Eigen::Index(R_) * B_);
      Vb_.setZero(n_pre_, Eigen::Index(R_) * B_);
    }
    if (tp.trace == TraceMode::Windowed && tp.adapt_block > 0) {
      psum_.setZero(n_alif_, B_);
      rho_k_ = n.rho.tail(n_alif_).array().pow(double(tp.adapt_block)).matrix();
    }
    pre_.setZero(n_pre_, B_);
    zbar_.setZero(n.n_rec, B_);
    G_.setZero(n.n_rec, n_pre_);
    G_out_.setZero(n.n_out, n.n_rec);
    e_.setZero(n.n_rec, n_pre_);
    x_.setZero(n_alif_, n_pre_);
    if (tp.readout_filter == ReadoutFilter::Neuron) psibar_.setZero(n.n_rec, B_);
    st_.reset(n, B_);
  }

  // One time step: forward, traces, gradient accumulation into G_ / G_out_.
  void advance(const Weights& w, int t) {
    // Presynaptic inputs of this step: x(t) and z(t-1) (st_.z before the step).
    in_.read(t);
    if (n_.discard_input_at_step0 && t == 0) {
      pre_.topRows(n_.n_in).setZero();
    } else {
      pre_.topRows(n_.n_in) = in_.x();
    }
    pre_.bottomRows(n_.n_rec) = st_.z;
    if (forward_) {
      forward_(in_.x(), t, st_);
    } else {
      step(n_, w, in_.x(), t, st_);
    }
    obj_.count_spikes(st_.z);
    obj_.at_step(t, st_.y, in_.target(), err_);
    const bool learn = obj_.in_window(t);
    if (learn) {
      L_.noalias() = (tp_.feedback == Feedback::Symmetric ? w.w_out.transpose() : w.b_fb) * err_;
    }
    if (n_.n_lif > 0) {
      const double a = n_.alpha(0), z = n_.zeta(0);
      eps_v_lif_ = a * eps_v_lif_ + z * pre_;
    }
    if (n_alif_ > 0) {
      const double a = n_.alpha(n_.n_lif), z = n_.zeta(n_.n_lif);
      eps_v_alif_ = a * eps_v_alif_ + z * pre_;
    }
    if (tp_.trace == TraceMode::Factored || tp_.trace == TraceMode::FactoredAdapt ||
        tp_.trace == TraceMode::FactoredBins) {
      factored_step(learn, t);
    } else if (tp_.trace == TraceMode::Exact || t >= obj_.window_start() - tp_.trace_pre_steps) {
      exact_step(learn);
    } else if (tp_.adapt_block > 0 && n_alif_ > 0) {
      adapt_block_step(obj_.window_start() - tp_.trace_pre_steps, t);
    }
    zbar_ = n_.kappa * zbar_ + n_.c * st_.z;
    if (learn) G_out_.noalias() += err_ * zbar_.transpose();
  }

  // The per-synapse traces of this step (Exact, and Windowed inside its span), and G += L ebar.
  void exact_step(bool learn) {
    const double kappa = n_.kappa, c = n_.c;
    const int nl = n_.n_lif;
    for (int b = 0; b < B_; ++b) {
      const Eigen::Index col0 = Eigen::Index(b) * n_pre_;
      auto ebar = ebar_.middleCols(col0, n_pre_);
      if (nl > 0) {
        // e = psi_j eps_v_i (outer product), LIF rows
        auto e = e_.topRows(nl);
        e.noalias() = st_.psi.col(b).head(nl) * eps_v_lif_.col(b).transpose();
        ebar.topRows(nl) = kappa * ebar.topRows(nl) + c * e;
        if (S_.size()) S_.middleCols(col0, n_pre_).topRows(nl) += e;
      }
      if (n_alif_ > 0) {
        // e = psi_j (eps_v_i - beta_j eps_a_ji); eps_a = rho_j eps_a + e, ALIF rows
        auto eps_a = eps_a_.middleCols(col0, n_pre_);
        auto e = e_.bottomRows(n_alif_);
        e = (-(n_.beta.tail(n_alif_).asDiagonal() * eps_a)).rowwise() +
            eps_v_alif_.col(b).transpose();
        e = st_.psi.col(b).tail(n_alif_).asDiagonal() * e;
        eps_a = n_.rho.tail(n_alif_).asDiagonal() * eps_a + e;
        ebar.bottomRows(n_alif_) = kappa * ebar.bottomRows(n_alif_) + c * e;
        if (S_.size()) S_.middleCols(col0, n_pre_).bottomRows(n_alif_) += e;
      }
      if (learn) G_.noalias() += L_.col(b).asDiagonal() * ebar;
    }
  }

  // Windowed with adapt_block K, a held step t < t0 (t0 = the first traced step): ALIF rows
  // only, no ebar, G or S. P_j += psi_j; at a block end ((t0 - 1 - t) % K == 0, eps_v of this
  // step) e = P_j (eps_v_i - beta_j eps_a_ji), eps_a = rho_j^K eps_a + e, then P_j = 0.
  void adapt_block_step(int t0, int t) {
    psum_ += st_.psi.bottomRows(n_alif_);
    if ((t0 - 1 - t) % tp_.adapt_block != 0) return;
    for (int b = 0; b < B_; ++b) {
      auto eps_a = eps_a_.middleCols(Eigen::Index(b) * n_pre_, n_pre_);
      auto e = e_.bottomRows(n_alif_);
      e = (-(n_.beta.tail(n_alif_).asDiagonal() * eps_a)).rowwise() +
          eps_v_alif_.col(b).transpose();
      e = psum_.col(b).asDiagonal() * e;
      eps_a = rho_k_.asDiagonal() * eps_a + e;
    }
    psum_.setZero();
  }

  // Factored: e_ji = psi_j eps_v_i (eps_v of j's population), unfiltered; G += L_j e_ji in the
  // learning window. FactoredAdapt (factored_adapt_step): ALIF rows e_ji = psi_j (eps_v_i -
  // beta_j P_j V_i), then P_j = (rho_j - beta_j psi_j) P_j + psi_j and V_i = rho V_i + (1 - rho)
  // eps_v_i (rho of the first ALIF neuron): the per-synapse eps_a_ji = (rho_j - beta_j psi_j)
  // eps_a_ji + psi_j eps_v_i in the mean, when psi_j and eps_v_i are uncorrelated. The
  // regulariser's S sums the same e at every step. FactoredBins (factored_bins_step): the same
  // with R per-neuron traces P_jk and R per-source traces V_ik. A readout_filter other than None
  // takes every mode through factored_rows (Factored: with nothing subtracted).
  void factored_step(bool learn, int t) {
    if (tp_.trace == TraceMode::FactoredAdapt && n_alif_ > 0) {
      factored_adapt_step(learn);
      return;
    }
    if (tp_.trace == TraceMode::FactoredBins && n_alif_ > 0) {
      factored_bins_step(learn, t);
      return;
    }
    if (tp_.readout_filter != ReadoutFilter::None) {
      for (int b = 0; b < B_; ++b) factored_rows(b, learn, [](auto&) {});
      return;
    }
    const int nl = n_.n_lif;
    for (int b = 0; b < B_; ++b) {
      const Eigen::Index col0 = Eigen::Index(b) * n_pre_;
      const auto psi = st_.psi.col(b);
      if (learn) {
        if (nl > 0) {
          G_.topRows(nl).noalias() += (L_.col(b).head(nl).array() * psi.head(nl).array()).matrix() *
                                      eps_v_lif_.col(b).transpose();
        }
        if (n_alif_ > 0) {
          G_.bottomRows(n_alif_).noalias() += (L_.col(b).tail(n_alif_).array() * psi.tail(n_alif_).array()).matrix() *
                                              eps_v_alif_.col(b).transpose();
        }
      }
      if (S_.size()) {
        if (nl > 0) S_.middleCols(col0, n_pre_).topRows(nl).noalias() += psi.head(nl) * eps_v_lif_.col(b).transpose();
        if (n_alif_ > 0) {
          S_.middleCols(col0, n_pre_).bottomRows(n_alif_).noalias() += psi.tail(n_alif_) * eps_v_alif_.col(b).transpose();
        }
      }
    }
  }

  // FactoredAdapt and FactoredBins (and Factored with a readout filter), sequence b: e of the
  // LIF rows (psi_j eps_v_i) and of the ALIF rows (psi_j X_ji, X_ji = eps_v_i with
  // subtract_adapt(X) taking the adaptation term off), S += e. G takes, in the learning window,
  // L_j times what readout_filter says (params.hpp): e; ebar = kappa ebar + c e (Synapse: every
  // step; SynapseWindow: in the window only, from 0); or psibar_j X_ji (Neuron, psibar_j =
  // kappa psibar_j + c psi_j every step). Nothing when none of it is needed.
  template <class SubtractAdapt>
  void factored_rows(int b, bool learn, const SubtractAdapt& subtract_adapt) {
    const int nl = n_.n_lif;
    const Eigen::Index col0 = Eigen::Index(b) * n_pre_;
    const auto psi = st_.psi.col(b);
    const ReadoutFilter f = tp_.readout_filter;
    if (f == ReadoutFilter::Neuron) psibar_.col(b) = n_.kappa * psibar_.col(b) + n_.c * psi;
    const bool filter_e = f == ReadoutFilter::Synapse || (f == ReadoutFilter::SynapseWindow && learn);
    if (!learn && !S_.size() && !filter_e) return;
    // G += L_j (the filtered) e of rows [r0, r0 + nr), e = psi X
    auto take = [&](Eigen::Index r0, Eigen::Index nr, const auto& X, const auto& e) {
      if (filter_e) {
        auto eb = ebar_.middleCols(col0, n_pre_).middleRows(r0, nr);
        eb = n_.kappa * eb + n_.c * e;
        if (learn) G_.middleRows(r0, nr).noalias() += L_.col(b).segment(r0, nr).asDiagonal() * eb;
      } else if (learn && f == ReadoutFilter::Neuron) {
        G_.middleRows(r0, nr).noalias() +=
            (L_.col(b).segment(r0, nr).array() * psibar_.col(b).segment(r0, nr).array()).matrix().asDiagonal() * X;
      } else if (learn) {
        G_.middleRows(r0, nr).noalias() += L_.col(b).segment(r0, nr).asDiagonal() * e;
      }
      if (S_.size()) S_.middleCols(col0, n_pre_).middleRows(r0, nr) += e;
    };
    if (nl > 0) {
      // X = eps_v_i on every LIF row: left an expression, formed only by the Neuron filter
      const auto X = VectorXd::Ones(nl) * eps_v_lif_.col(b).transpose();
      auto e = e_.topRows(nl);
      e.noalias() = psi.head(nl) * eps_v_lif_.col(b).transpose();
      take(0, nl, X, e);
    }
    if (n_alif_ > 0) {
      MatrixXd& X = x_;
      X = VectorXd::Ones(n_alif_) * eps_v_alif_.col(b).transpose();
      subtract_adapt(X);
      auto e = e_.bottomRows(n_alif_);
      e.noalias() = psi.tail(n_alif_).asDiagonal() * X;
      take(nl, n_alif_, X, e);
    }
  }

  void factored_adapt_step(bool learn) {
    const auto rho = n_.rho.tail(n_alif_).array(), beta = n_.beta.tail(n_alif_).array();
    const double r = n_.rho(n_.n_lif);
    for (int b = 0; b < B_; ++b) {
      const auto psi_a = st_.psi.col(b).tail(n_alif_).array();
      factored_rows(b, learn, [&](auto& X) {
        X.noalias() -= (beta * P_.col(b).array()).matrix() * V_.col(b).transpose();
      });
      P_.col(b) = ((rho - beta * psi_a) * P_.col(b).array() + psi_a).matrix();
      V_.col(b) = r * V_.col(b) + (1.0 - r) * eps_v_alif_.col(b);
    }
  }

  // FactoredBins, step t in bin k = bin_of_[t]: as factored_adapt_step, ALIF rows e_ji =
  // psi_j (eps_v_i - beta_j sum_k' P_jk' V_ik') with P and V from before this step, then for
  // every k' P_jk' = (rho_j - beta_j psi_j) P_jk' (+ psi_j for k' = k) and V_ik = the running
  // mean of eps_v_i over bin k's steps so far (V_ik += (eps_v_i - V_ik) / n, n = t - start_k + 1).
  void factored_bins_step(bool learn, int t) {
    const auto rho = n_.rho.tail(n_alif_).array(), beta = n_.beta.tail(n_alif_).array();
    const int k = bin_of_[t];
    const double inv_n = 1.0 / double(t - bin_start_[k] + 1);
    for (int b = 0; b < B_; ++b) {
      const auto psi_a = st_.psi.col(b).tail(n_alif_).array();
      auto P = Pb_.middleCols(Eigen::Index(b) * R_, R_);
      auto V = Vb_.middleCols(Eigen::Index(b) * R_, R_);
      factored_rows(b, learn, [&](auto& X) {
        X.noalias() -= (beta.matrix().asDiagonal() * P) * V.transpose();
      });
      P = (rho - beta * psi_a).matrix().asDiagonal() * P;
      P.col(k) += psi_a.matrix();
      V.col(k) += inv_n * (eps_v_alif_.col(b) - V.col(k));
    }
  }

  // Move the accumulated gradient into g (split into W_in / W_rec) and zero the accumulators.
  void take(Gradients& g) {
    g.w_in = G_.leftCols(n_.n_in);
    g.w_rec = G_.rightCols(n_.n_rec);
    g.w_rec.diagonal().setZero();
    g.w_out = G_out_;
    G_.setZero();
    G_out_.setZero();
  }

  // Regulariser term sum_b reg_coef_jb S_b, into g (call once at the end of the sequence).
  void take_regulariser(Gradients& g) {
    g.w_in.setZero(n_.n_rec, n_.n_in);
    g.w_rec.setZero(n_.n_rec, n_.n_rec);
    g.w_out.setZero(n_.n_out, n_.n_rec);
    if (!S_.size()) return;
    const MatrixXd coef = obj_.reg_coef();
    MatrixXd R = MatrixXd::Zero(n_.n_rec, n_pre_);
    for (int b = 0; b < B_; ++b) {
      R += (S_.middleCols(Eigen::Index(b) * n_pre_, n_pre_).array().colwise() *
            coef.col(b).array()).matrix();
    }
    g.w_in = R.leftCols(n_.n_in);
    g.w_rec = R.rightCols(n_.n_rec);
    g.w_rec.diagonal().setZero();
  }

  void finish(Gradients& g) const { obj_.finish(g); }

 private:
  const Neurons& n_;
  const TrainParams& tp_;
  ForwardStep forward_;  // empty: fl::step
  int B_, T_, n_pre_, n_alif_;
  int R_ = 1;                  // FactoredBins: number of bins,
  std::vector<int> bin_start_;  // the first step of bin k (bin_start_[R] = T),
  std::vector<int> bin_of_;     // and the bin of step t
  Objective obj_;
  tasks::StepReader in_;
  State st_;
  MatrixXd ebar_, eps_a_, P_, V_, S_, eps_v_lif_, eps_v_alif_, pre_, zbar_, G_, G_out_, err_, L_;
  MatrixXd e_;  // scratch: e(t) of one sequence, n_rec x n_pre
  MatrixXd x_;  // scratch, factored_rows: X (e = psi_j X_ji) of one sequence's ALIF rows
  MatrixXd psibar_;  // readout_filter Neuron: kappa-filtered psi_j, n_rec x B
  MatrixXd psum_;   // Windowed, adapt_block: sum of psi over the current block, n_alif x B
  VectorXd rho_k_;  // Windowed, adapt_block K: rho_j^K of the ALIF neurons
  // FactoredBins: P_jk (n_alif x R per sequence) and V_ik (n_pre x R per sequence), sequence b's
  // bins in columns b R .. b R + R - 1
  MatrixXd Pb_, Vb_;
};

}  // namespace

Gradients eprop_gradients(const Neurons& n, const Weights& w, const TrainParams& tp,
                          const tasks::Batch& batch, const ForwardStep& forward) {
  EpropRun run(n, tp, batch, forward);
  for (int t = 0; t < batch.T; ++t) run.advance(w, t);
  Gradients g, reg;
  run.take(g);
  run.take_regulariser(reg);
  g.w_in += reg.w_in;
  g.w_rec += reg.w_rec;
  run.finish(g);
  return g;
}

Gradients eprop_online(const Neurons& n, Weights& w, const TrainParams& tp,
                       const tasks::Batch& batch, const std::function<void(const Gradients&)>& apply) {
  EpropRun run(n, tp, batch);
  Gradients g;
  for (int t = 0; t < batch.T; ++t) {
    run.advance(w, t);
    run.take(g);
    apply(g);
  }
  run.take_regulariser(g);
  if (tp.c_reg != 0.0) apply(g);
  Gradients result;
  run.finish(result);
  return result;
}

}  // namespace eligo::fl
