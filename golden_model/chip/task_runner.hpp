// Runs task samples on the bit-exact core: sample b of a stored batch, step by step (input
// events from the spike counts, targets as Y raw values, target valid inside the learning
// window), with the loss (MSE on the readouts, the chip's objective) and the prediction
// (argmax_k of sum over the window of y_k) computed by the host from the Y memory.
#pragma once

#include <cstdint>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::chip {

struct SampleTrace {
  std::vector<std::vector<int>> spikes;  // per timestep, ascending neuron indices
  std::vector<std::vector<double>> y;    // per timestep, readouts (real values)
};

struct SampleResult {
  double loss = 0.0;   // 1/2 sum_{t in window} sum_k (y - y*)^2
  int predicted = -1;  // argmax_k sum_{t in window} y_k
  int label = -1;      // batch.labels[b], or -1
  int64_t cycles = 0;  // all phases of the sample (RST .. RWR)
};

// learning_window: the last LW steps carry the target (0 = all T). update: END_SAMPLE with
// UPDATE (weight update and rewiring when the core learns).
SampleResult run_sample(Core& core, const tasks::Batch& stored_batch, int b, int learning_window,
                        bool update, SampleTrace* trace = nullptr);

// Input events of step t of sample b: input i repeated x(i) times, inputs in order.
std::vector<int> input_events(const tasks::Batch& stored_batch, int t, int b);
void input_events(const tasks::Batch& stored_batch, int t, int b, std::vector<int>& out);  // reuses out

}  // namespace eligo::chip
