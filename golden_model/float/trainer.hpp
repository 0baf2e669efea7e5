// The training loop of the float reference: one batch per iteration from a BatchSource,
// gradients by BPTT or e-prop, one optimiser step per batch (or per step, online e-prop).
#pragma once

#include <functional>
#include <vector>

#include "golden_model/float/bptt.hpp"
#include "golden_model/float/lsnn.hpp"
#include "golden_model/float/optim.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::fl {

struct IterationLog {
  int iteration = 0;
  double loss = 0.0, reg_loss = 0.0, accuracy = -1.0, rate_hz = 0.0;
};

using BatchSource = std::function<tasks::Batch(int iteration)>;
using ProgressFn = std::function<void(const IterationLog&)>;

// Gradients of one batch by tp.algo (no update).
Gradients compute_gradients(const Neurons& n, const Weights& w, const TrainParams& tp,
                            const tasks::Batch& batch, BpttWorkspace* workspace = nullptr);

// Hardware in the loop (golden_model/analog): the forward pass of every batch is `forward`
// (e-prop with per-batch updates only: the gradient is computed from the observed activity), and
// after_update(w) runs after every optimiser step (e.g. to reprogram a crossbar with the new w).
struct HardwareLoop {
  ForwardStep forward;
  std::function<void(const Weights&)> after_update;
};

// Checkpoints (eligo train --checkpoint-every, --resume): a training run continued after
// `done` iterations from the optimiser's state and the log of those iterations, w holding the
// weights after them. Batches are a function of the iteration (BatchSource), so nothing else is
// needed for the same bits as a run that never stopped.
struct TrainResume {
  int done = 0;
  Optimizer::State optimizer;
  std::vector<IterationLog> log;
};
// Called after every iteration with the state a TrainResume needs.
using CheckpointFn = std::function<void(const Weights& w, const TrainResume& state)>;

// Trains w in place for tp.iterations iterations (from resume->done on, if given); returns one
// log entry per iteration (resume->log first).
std::vector<IterationLog> train(const Neurons& n, Weights& w, const TrainParams& tp,
                                const BatchSource& source, const ProgressFn& progress = {},
                                const HardwareLoop* hardware = nullptr, const TrainResume* resume = nullptr,
                                const CheckpointFn& after_iteration = {});

}  // namespace eligo::fl
