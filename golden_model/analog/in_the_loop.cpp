#include "golden_model/analog/in_the_loop.hpp"

#include "golden_model/float/objective.hpp"

namespace eligo::analog {

fl::Gradients evaluate_on_core(Core& core, const fl::TrainParams& tp, const tasks::Batch& batch) {
  core.set_observe_membrane(false);
  return fl::evaluate(core.nominal(), core.effective_weights(), tp, batch, core.forward());
}

std::vector<fl::IterationLog> train_in_the_loop(Core& core, fl::Weights& w,
                                                const fl::TrainParams& tp,
                                                const fl::BatchSource& source,
                                                const fl::ProgressFn& progress) {
  core.program(w);
  core.set_observe_membrane(true);
  const fl::HardwareLoop loop{core.forward(), [&core](const fl::Weights& updated) {
                                core.program(updated);
                              }};
  auto log = fl::train(core.nominal(), w, tp, source, progress, &loop);
  core.set_observe_membrane(false);
  return log;
}

}  // namespace eligo::analog
