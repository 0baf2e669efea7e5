// The two modes of the analog core (docs/analog.md):
// - deploy: weights trained in float are programmed into the core, which then runs inference;
// - chip-in-the-loop: the forward pass runs on the core, the host reconstructs the e-prop
//   eligibility traces and learning signals from the *observed* activity (spikes, readout ADC,
//   membrane ADC; nominal constants, see core.hpp), updates its copy of the weights with the
//   float optimiser and reprograms the crossbar after every update. Learning then adapts the
//   weights to this chip's fixed pattern.
// Both reuse the float reference: fl::evaluate / fl::train with the core as fl::ForwardStep.
#pragma once

#include <vector>

#include "golden_model/analog/core.hpp"
#include "golden_model/float/trainer.hpp"

namespace eligo::analog {

// Evaluates one batch on the core as programmed (deploy: core.program(w) once, then this per
// batch): loss, accuracy, rate; the event counts go to the core's counters.
fl::Gradients evaluate_on_core(Core& core, const fl::TrainParams& tp, const tasks::Batch& batch);

// Chip-in-the-loop e-prop (tp.algo must be eprop, per_batch updates) for tp.iterations
// iterations; w (the host's weights) is trained in place and left programmed in the core.
std::vector<fl::IterationLog> train_in_the_loop(Core& core, fl::Weights& w,
                                                const fl::TrainParams& tp,
                                                const fl::BatchSource& source,
                                                const fl::ProgressFn& progress = {});

}  // namespace eligo::analog
