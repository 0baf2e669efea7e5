// The training objective, computed step by step during a forward pass (shared by BPTT, e-prop
// and evaluation).
//
// Task loss per sequence b, over the learning window W = the last LW steps of the sequence:
//   MSE:           L_b = 1/2 sum_{t in W} sum_k (y_k(t) - y*_k(t))^2
//   cross-entropy: L_b = -sum_{t in W} sum_k y*_k(t) log softmax(y(t))_k
// Objective:  E = s * sum_b L_b + E_reg,  s = (1/B if batch_mean) * (1/LW if average_over_window).
// Error signal err_k(t) = dE/dy_k(t) (n_out x B), zero outside W.
// Firing-rate regulariser, f0 = f_target_hz * dt / 1000 spikes per step:
//   PerSequence (NEST): E_reg = s * sum_b c_reg/2 sum_j (f_jb - f0)^2, f_jb = mean_t z_jb(t)
//   PerBatch (TF):      E_reg = c_reg/2 sum_j (f_j - f0)^2,            f_j  = mean_{t,b} z_jb(t)
// reg_coef() returns dE_reg/dz_jb(t) (the same for every t), n_rec x B.
// Reported loss = (1/B) sum_b L_b (times 1/LW if average_over_window), whatever batch_mean is.
// Accuracy (cross-entropy): argmax_k of sum_{t in W} y_k(t) against the label.
#pragma once

#include <Eigen/Dense>

#include "golden_model/float/lsnn.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::fl {

class Objective {
 public:
  Objective(const Neurons& n, const TrainParams& tp, const tasks::Batch& batch);

  int window_start() const { return T_ - lw_; }
  bool in_window(int t) const { return t >= T_ - lw_; }
  // Loss and error at step t given y(t) and the targets of step t; err is n_out x B (zero
  // outside the window).
  void at_step(int t, const Eigen::Ref<const MatrixXd>& y, const Eigen::Ref<const MatrixXd>& target,
               MatrixXd& err);
  // Adds z(t) to the spike counts (call once per step).
  void count_spikes(const Eigen::Ref<const MatrixXd>& z) { spikes_ += z; }
  MatrixXd reg_coef() const;
  // Fills loss, reg_loss, accuracy and rate_hz of g.
  void finish(Gradients& g) const;

 private:
  const Neurons& n_;
  const TrainParams& tp_;
  const tasks::Batch& batch_;
  int T_, B_, lw_;
  double scale_;
  double loss_sum_ = 0.0;
  MatrixXd spikes_;   // n_rec x B spike counts
  MatrixXd y_sum_;    // n_out x B, sum of y over the window
  MatrixXd last_target_;  // targets of the last step (labels when batch.labels is empty)
};

// Learning-window length actually used (LW = T when learning_window is 0).
int window_length(const TrainParams& tp, int T);

// Forward pass only: loss, accuracy, rate (no gradients). With `forward` set, the forward pass
// is that of a hardware model (see ForwardStep in lsnn.hpp).
Gradients evaluate(const Neurons& n, const Weights& w, const TrainParams& tp,
                   const tasks::Batch& batch, const ForwardStep& forward = {});

}  // namespace eligo::fl
