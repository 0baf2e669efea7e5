#include "golden_model/float/objective.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace eligo::fl {

int window_length(const TrainParams& tp, int T) {
  if (tp.learning_window < 0 || tp.learning_window > T) {
    throw std::invalid_argument("train.learning_window: " + std::to_string(tp.learning_window) +
                                " is out of range (allowed: 0 .. T = " + std::to_string(T) + ")");
  }
  return tp.learning_window == 0 ? T : tp.learning_window;
}

Objective::Objective(const Neurons& n, const TrainParams& tp, const tasks::Batch& batch)
    : n_(n), tp_(tp), batch_(batch), T_(batch.T), B_(batch.B), lw_(window_length(tp, batch.T)) {
  if (batch.n_in() != n.n_in || batch.n_out() != n.n_out) {
    throw std::invalid_argument("batch: expected " + std::to_string(n.n_in) + " inputs and " +
                                std::to_string(n.n_out) + " targets, got " +
                                std::to_string(batch.n_in()) + " and " +
                                std::to_string(batch.n_out()));
  }
  scale_ = (tp.batch_mean ? 1.0 / B_ : 1.0) * (tp.average_over_window ? 1.0 / lw_ : 1.0);
  spikes_.setZero(n.n_rec, B_);
  y_sum_.setZero(n.n_out, B_);
}

void Objective::at_step(int t, const Eigen::Ref<const MatrixXd>& y,
                        const Eigen::Ref<const MatrixXd>& target, MatrixXd& err) {
  err.setZero(n_.n_out, B_);
  if (!in_window(t)) return;
  if (t == T_ - 1) last_target_ = target;
  y_sum_ += y;
  if (tp_.loss == LossKind::MSE) {
    err = y - target;
    loss_sum_ += 0.5 * err.squaredNorm();
  } else {
    for (int b = 0; b < B_; ++b) {
      const double m = y.col(b).maxCoeff();
      const Eigen::VectorXd e = (y.col(b).array() - m).exp().matrix();
      const double sum = e.sum();
      const double log_sum = std::log(sum) + m;
      for (int k = 0; k < n_.n_out; ++k) {
        loss_sum_ -= target(k, b) * (y(k, b) - log_sum);
      }
      // d/dy of -sum_k y*_k log p_k = p * sum_k y*_k - y*  (= p - y* for one-hot targets)
      err.col(b) = (e / sum) * target.col(b).sum() - target.col(b);
    }
  }
  err *= scale_;
}

MatrixXd Objective::reg_coef() const {
  MatrixXd coef = MatrixXd::Zero(n_.n_rec, B_);
  if (tp_.c_reg == 0.0) return coef;
  const double f0 = tp_.f_target_hz * n_.dt_ms / 1000.0;
  if (tp_.rate_reg == RateReg::PerSequence) {
    coef = (scale_ * tp_.c_reg / T_) * (spikes_.array() / T_ - f0).matrix();
  } else {
    const Eigen::VectorXd f = spikes_.rowwise().sum() / (double(T_) * B_);
    const Eigen::VectorXd c = (tp_.c_reg / (double(T_) * B_)) * (f.array() - f0).matrix();
    coef = c.replicate(1, B_);
  }
  return coef;
}

void Objective::finish(Gradients& g) const {
  g.loss = loss_sum_ / B_ * (tp_.average_over_window ? 1.0 / lw_ : 1.0);
  g.reg_loss = 0.0;
  if (tp_.c_reg != 0.0) {
    const double f0 = tp_.f_target_hz * n_.dt_ms / 1000.0;
    if (tp_.rate_reg == RateReg::PerSequence) {
      g.reg_loss = scale_ * 0.5 * tp_.c_reg * (spikes_.array() / T_ - f0).square().sum();
    } else {
      const Eigen::ArrayXd f = spikes_.rowwise().sum().array() / (double(T_) * B_);
      g.reg_loss = 0.5 * tp_.c_reg * (f - f0).square().sum();
    }
  }
  g.rate_hz = spikes_.sum() / (double(T_) * B_ * n_.n_rec) * 1000.0 / n_.dt_ms;
  // Classification accuracy (argmax of the readouts summed over the window): with cross entropy,
  // and with MSE on a task that has labels (e.g. evidence accumulation); -1 otherwise.
  g.accuracy = -1.0;
  if (tp_.loss == LossKind::CrossEntropy || !batch_.labels.empty()) {
    int correct = 0;
    for (int b = 0; b < B_; ++b) {
      Eigen::Index pred = 0, truth = 0;
      y_sum_.col(b).maxCoeff(&pred);
      if (!batch_.labels.empty()) {
        truth = batch_.labels[b];
      } else {
        last_target_.col(b).maxCoeff(&truth);
      }
      correct += pred == truth ? 1 : 0;
    }
    g.accuracy = double(correct) / B_;
  }
}

Gradients evaluate(const Neurons& n, const Weights& w, const TrainParams& tp,
                   const tasks::Batch& batch, const ForwardStep& forward) {
  Objective obj(n, tp, batch);
  State st;
  st.reset(n, batch.B);
  MatrixXd err;
  tasks::StepReader in(batch);
  for (int t = 0; t < batch.T; ++t) {
    in.read(t);
    if (forward) {
      forward(in.x(), t, st);
    } else {
      step(n, w, in.x(), t, st);
    }
    obj.count_spikes(st.z);
    obj.at_step(t, st.y, in.target(), err);
  }
  Gradients g;
  obj.finish(g);
  return g;
}

}  // namespace eligo::fl
