// DEEP R on the LSNN of lsnn.hpp, trained by BPTT or e-prop (fl::compute_gradients): the
// trained matrices W_in, W_rec, W_out (those with tp.train_in / train_rec / train_out) become
// sign-constrained sparse matrices managed by one DeepR (deepr.hpp), named "w_in", "w_rec",
// "w_out"; the W_rec diagonal is excluded (no autapses, never active). Untrained matrices and
// the feedback matrix B are left as they are.
//
// Per iteration: batch = source(it); g = compute_gradients(n, w, tp, batch) (BPTT or e-prop by
// tp.algo, per-batch update); g_X += tp.l2 * W_X; deepr.apply({g_in, g_rec, g_out}) with
// tp.optimizer (SGD or Adam, lr = eta). Per-matrix K from dp.connectivity / dp.connectivity_of,
// or one global K (dp.global_k).
//
// Not supported (std::invalid_argument): online updates (tp.update == Online), adaptive
// feedback (it would move B with W_out and decay both, breaking w = s theta), weight clipping
// (tp.w_min / tp.w_max).
#pragma once

#include <memory>
#include <vector>

#include "golden_model/float/deepr.hpp"
#include "golden_model/float/lsnn.hpp"
#include "golden_model/float/trainer.hpp"

namespace eligo::fl {

// Checks tp for the unsupported options above (throws std::invalid_argument).
void check_deepr_train_params(const TrainParams& tp);

// A DeepR over the trained matrices of w (order: w_in, w_rec, w_out, skipping untrained ones),
// optimiser tp.optimizer. Rewrites w's trained matrices (sparse initial state).
std::unique_ptr<DeepR> make_lsnn_deepr(const Neurons& n, Weights& w, const TrainParams& tp,
                                       const DeepRParams& dp);

// Trains with an existing DeepR made by make_lsnn_deepr on the same w (so its state can be
// inspected afterwards). Returns one log entry per iteration.
std::vector<IterationLog> train_deepr(const Neurons& n, Weights& w, const TrainParams& tp,
                                      DeepR& deepr, const BatchSource& source,
                                      const ProgressFn& progress = {});

// make_lsnn_deepr + train_deepr.
std::vector<IterationLog> train_deepr(const Neurons& n, Weights& w, const TrainParams& tp,
                                      const DeepRParams& dp, const BatchSource& source,
                                      const ProgressFn& progress = {});

}  // namespace eligo::fl
