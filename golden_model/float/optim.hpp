// Optimisers for the float reference: SGD and Adam (the NEST/TF form: bias correction folded into
// the step size, eps outside the square root), with L2, weight clipping and adaptive feedback.
// Adam itself (bias correction and step) is adam.hpp, shared with DeepR, the MLP and CLAPP.
//
// One apply() per update:
//   g   <- g + l2 * W                               (trained matrices only)
//   SGD:  W <- W - lr g
//   Adam: b1p *= beta1; b2p *= beta2; lr_t = lr sqrt(1 - b2p) / (1 - b1p)
//         m <- beta1 m + (1 - beta1) g; v <- beta2 v + (1 - beta2) g^2; W <- W - lr_t m / (sqrt(v) + eps)
//   W   <- clamp(W, w_min, w_max); diag(W_rec) stays 0
//   Adaptive feedback (Kolen-Pollack): B <- B + (W_out_new - W_out_old)^T, then W_out and B both
//   decay: X <- (1 - feedback_decay) X.
#pragma once

#include "golden_model/float/adam.hpp"
#include "golden_model/float/lsnn.hpp"

namespace eligo::fl {

class Optimizer {
 public:
  Optimizer(const TrainParams& tp, const Weights& w);
  void apply(Weights& w, const Gradients& g);
  long steps() const { return steps_; }

  // The whole state after some apply() calls (moments, Adam's bias-correction powers, steps), for
  // checkpoints: restore(state()) on a new optimiser continues with the same bits.
  struct State {
    MatrixXd m_in, v_in, m_rec, v_rec, m_out, v_out;
    double b1p = 1.0, b2p = 1.0;
    long steps = 0;
  };
  State state() const;
  void restore(const State& s);  // throws std::invalid_argument if a moment's shape differs

 private:
  struct Slot {
    MatrixXd m, v;
  };
  void update(MatrixXd& W, const MatrixXd& grad, Slot& slot, double lr_t);

  const TrainParams& tp_;
  Slot in_, rec_, out_;
  AdamBiasCorrection correction_;
  long steps_ = 0;
};

}  // namespace eligo::fl
