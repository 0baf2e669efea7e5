// Helpers for the chip-model tests: the reduced evidence-accumulation network quantised to the
// chip, and samples of its task.
#pragma once

#include "golden_model/quantize/quantize.hpp"
#include "golden_model/chip/task_runner.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "tests/golden_model/float/test_util.hpp"

namespace eligo::chip::testing {

struct ChipSetup {
  fl::Neurons neurons;
  fl::Weights weights;  // float weights
  ChipImage image;
  tasks::Batch batch;   // stored
  int learning_window = 0;
};

// Reduced evidence accumulation (40 inputs, 20 LIF + 20 ALIF, 2 readouts, T = 610), random
// weights (seed), a stored batch of B samples (seed + 1), quantised with options o.
inline ChipSetup reduced_setup(const ChipOptions& o, int B, uint64_t seed) {
  const auto r = fl::testing::reduced_evidence_accumulation(fl::Algo::EProp, 1);
  ChipSetup s;
  s.neurons = fl::Neurons::from(r.net);
  s.weights = fl::init_weights(s.neurons, seed);
  s.batch = tasks::make_evidence_accumulation(r.task, B, seed + 1);
  s.learning_window = r.train.learning_window;
  s.image = quantize(s.neurons, s.weights, o);
  return s;
}


}  // namespace eligo::chip::testing
