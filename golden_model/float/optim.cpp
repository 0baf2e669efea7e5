#include "golden_model/float/optim.hpp"

#include <stdexcept>
#include <tuple>

namespace eligo::fl {

Optimizer::Optimizer(const TrainParams& tp, const Weights& w) : tp_(tp) {
  for (auto [slot, W] : {std::pair{&in_, &w.w_in}, {&rec_, &w.w_rec}, {&out_, &w.w_out}}) {
    slot->m.setZero(W->rows(), W->cols());
    slot->v.setZero(W->rows(), W->cols());
  }
}

Optimizer::State Optimizer::state() const {
  return {in_.m, in_.v, rec_.m, rec_.v, out_.m, out_.v, correction_.b1p, correction_.b2p, steps_};
}

void Optimizer::restore(const State& s) {
  for (auto [slot, m, v] : {std::tuple{&in_, &s.m_in, &s.v_in}, {&rec_, &s.m_rec, &s.v_rec}, {&out_, &s.m_out, &s.v_out}}) {
    if (m->rows() != slot->m.rows() || m->cols() != slot->m.cols() || v->rows() != slot->v.rows() ||
        v->cols() != slot->v.cols()) {
      throw std::invalid_argument("optimizer state: moments of another shape than the weights'");
    }
    slot->m = *m;
    slot->v = *v;
  }
  correction_.b1p = s.b1p;
  correction_.b2p = s.b2p;
  steps_ = s.steps;
}

void Optimizer::update(MatrixXd& W, const MatrixXd& grad, Slot& slot, double lr_t) {
  MatrixXd g = grad;
  if (tp_.l2 != 0.0) g += tp_.l2 * W;
  if (tp_.optimizer.kind == OptimizerKind::SGD) {
    W -= tp_.optimizer.lr * g;
  } else {
    adam_step(W, g, slot.m, slot.v, tp_.optimizer, lr_t);
  }
  if (tp_.w_min) W = W.cwiseMax(*tp_.w_min);
  if (tp_.w_max) W = W.cwiseMin(*tp_.w_max);
}

void Optimizer::apply(Weights& w, const Gradients& g) {
  ++steps_;
  const double lr_t =
      tp_.optimizer.kind == OptimizerKind::Adam ? correction_.next(tp_.optimizer) : tp_.optimizer.lr;
  if (tp_.train_in) update(w.w_in, g.w_in, in_, lr_t);
  if (tp_.train_rec) {
    update(w.w_rec, g.w_rec, rec_, lr_t);
    w.w_rec.diagonal().setZero();
  }
  if (tp_.train_out) {
    const MatrixXd old = w.w_out;
    update(w.w_out, g.w_out, out_, lr_t);
    if (tp_.feedback == Feedback::Adaptive) {
      w.b_fb += (w.w_out - old).transpose();
      w.w_out *= 1.0 - tp_.feedback_decay;
      w.b_fb *= 1.0 - tp_.feedback_decay;
    }
  }
}

}  // namespace eligo::fl
