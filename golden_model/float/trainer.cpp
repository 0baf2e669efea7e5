#include "golden_model/float/trainer.hpp"

#include <stdexcept>

#include "golden_model/float/bptt.hpp"
#include "golden_model/float/eprop.hpp"
#include "golden_model/float/optim.hpp"

namespace eligo::fl {

Gradients compute_gradients(const Neurons& n, const Weights& w, const TrainParams& tp,
                            const tasks::Batch& batch, BpttWorkspace* workspace) {
  check_shapes(n, w);
  return tp.algo == Algo::BPTT ? bptt_gradients(n, w, tp, batch, workspace)
                               : eprop_gradients(n, w, tp, batch);
}

std::vector<IterationLog> train(const Neurons& n, Weights& w, const TrainParams& tp,
                                const BatchSource& source, const ProgressFn& progress,
                                const HardwareLoop* hardware, const TrainResume* resume,
                                const CheckpointFn& after_iteration) {
  if (tp.update == UpdateMode::Online && tp.algo != Algo::EProp) {
    throw std::invalid_argument("train.update: online updates need algo eprop (BPTT is offline)");
  }
  if (hardware && (tp.algo != Algo::EProp || tp.update != UpdateMode::PerBatch)) {
    throw std::invalid_argument(
        "train: hardware-in-the-loop training needs algo eprop with per_batch updates");
  }
  check_shapes(n, w);
  Optimizer opt(tp, w);
  BpttWorkspace workspace;
  std::vector<IterationLog> log;
  log.reserve(tp.iterations);
  int first = 0;
  if (resume) {
    if (resume->done < 0 || resume->done > tp.iterations || resume->log.size() != static_cast<size_t>(resume->done)) {
      throw std::invalid_argument("train: a resume after " + std::to_string(resume->done) + " of " +
                                  std::to_string(tp.iterations) + " iterations with " +
                                  std::to_string(resume->log.size()) + " log entries");
    }
    opt.restore(resume->optimizer);
    log = resume->log;
    first = resume->done;
  }
  for (int it = first; it < tp.iterations; ++it) {
    const tasks::Batch batch = source(it);
    Gradients g;
    if (hardware) {
      g = eprop_gradients(n, w, tp, batch, hardware->forward);
      opt.apply(w, g);
      if (hardware->after_update) hardware->after_update(w);
    } else if (tp.update == UpdateMode::Online) {
      g = eprop_online(n, w, tp, batch, [&](const Gradients& step) { opt.apply(w, step); });
    } else {
      g = compute_gradients(n, w, tp, batch, &workspace);
      opt.apply(w, g);
    }
    IterationLog entry{it, g.loss, g.reg_loss, g.accuracy, g.rate_hz};
    log.push_back(entry);
    if (progress) progress(entry);
    if (after_iteration) after_iteration(w, TrainResume{it + 1, opt.state(), log});
  }
  return log;
}

}  // namespace eligo::fl
