#include "golden_model/float/deepr_lsnn.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "golden_model/float/bptt.hpp"

namespace eligo::fl {

void check_deepr_train_params(const TrainParams& tp) {
  if (tp.update == UpdateMode::Online) {
    throw std::invalid_argument("train_deepr: online updates are not supported (use update per batch)");
  }
  if (tp.feedback == Feedback::Adaptive) {
    throw std::invalid_argument("train_deepr: adaptive feedback is not supported (use symmetric or random)");
  }
  if (tp.w_min || tp.w_max) {
    throw std::invalid_argument("train_deepr: weight clipping (w_min/w_max) is not supported");
  }
  if (!tp.train_in && !tp.train_rec && !tp.train_out) {
    throw std::invalid_argument("train_deepr: no trained matrix (train_in/train_rec/train_out all false)");
  }
}

std::unique_ptr<DeepR> make_lsnn_deepr(const Neurons& n, Weights& w, const TrainParams& tp,
                                       const DeepRParams& dp) {
  check_deepr_train_params(tp);
  check_shapes(n, w);
  std::vector<DeepRMatrix> mats;
  if (tp.train_in) mats.push_back({"w_in", &w.w_in, {}});
  if (tp.train_rec) {
    DeepRMatrix m{"w_rec", &w.w_rec, {}};
    m.allowed.setConstant(n.n_rec, n.n_rec, true);
    m.allowed.matrix().diagonal().setConstant(false);
    mats.push_back(std::move(m));
  }
  if (tp.train_out) mats.push_back({"w_out", &w.w_out, {}});
  return std::make_unique<DeepR>(std::move(mats), dp, tp.optimizer);
}

std::vector<IterationLog> train_deepr(const Neurons& n, Weights& w, const TrainParams& tp,
                                      DeepR& deepr, const BatchSource& source,
                                      const ProgressFn& progress) {
  check_deepr_train_params(tp);
  check_shapes(n, w);
  const int expected = int(tp.train_in) + int(tp.train_rec) + int(tp.train_out);
  if (deepr.n_matrices() != expected) {
    throw std::invalid_argument("train_deepr: the DeepR manages " + std::to_string(deepr.n_matrices()) +
                                " matrices, the trained ones are " + std::to_string(expected) +
                                " (make it with make_lsnn_deepr)");
  }
  BpttWorkspace workspace;
  std::vector<IterationLog> log;
  log.reserve(size_t(std::max(0, tp.iterations)));
  for (int it = 0; it < tp.iterations; ++it) {
    const tasks::Batch batch = source(it);
    Gradients g = compute_gradients(n, w, tp, batch, &workspace);
    std::vector<const MatrixXd*> grads;
    if (tp.train_in) {
      if (tp.l2 != 0.0) g.w_in += tp.l2 * w.w_in;
      grads.push_back(&g.w_in);
    }
    if (tp.train_rec) {
      if (tp.l2 != 0.0) g.w_rec += tp.l2 * w.w_rec;
      grads.push_back(&g.w_rec);
    }
    if (tp.train_out) {
      if (tp.l2 != 0.0) g.w_out += tp.l2 * w.w_out;
      grads.push_back(&g.w_out);
    }
    deepr.apply(grads);
    IterationLog entry{it, g.loss, g.reg_loss, g.accuracy, g.rate_hz};
    log.push_back(entry);
    if (progress) progress(entry);
  }
  return log;
}

std::vector<IterationLog> train_deepr(const Neurons& n, Weights& w, const TrainParams& tp,
                                      const DeepRParams& dp, const BatchSource& source,
                                      const ProgressFn& progress) {
  std::unique_ptr<DeepR> deepr = make_lsnn_deepr(n, w, tp, dp);
  return train_deepr(n, w, tp, *deepr, source, progress);
}

}  // namespace eligo::fl
