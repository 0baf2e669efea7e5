// Turns a RunConfig into what a run needs: neuron constants, initial weights (random or from a
// .npz), and the batch sources of the task (generated from the seed, or sliced from .npy files).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "golden_model/float/lsnn.hpp"
#include "golden_model/float/trainer.hpp"
#include "golden_model/io/config.hpp"
#include "golden_model/io/npy.hpp"

namespace eligo::experiment {

struct Run {
  io::RunConfig cfg;
  fl::Neurons neurons;
  fl::Weights weights;
  fl::BatchSource train_batch;  // batch of iteration i
  fl::BatchSource test_batch;   // test batch k (k < cfg.task.test_batches), independent of training
};

// Seed of stream `stream`, index `i`, derived from the run seed (splitmix64 mixing).
uint64_t derive_seed(uint64_t seed, uint64_t stream, uint64_t i);

Run make_run(const io::RunConfig& cfg);

// A batch from arrays with the shapes of task.type "files": inputs x (B, T, n_in) of 0/1 spikes
// and targets y (B, T, n_out), finite (labels from the last step's targets for cross entropy).
// Throws io::IoError naming x_what / y_what (the .npy files, or the Python module's arguments).
tasks::Batch batch_from_arrays(const io::RunConfig& cfg, const io::NdArray& x, const io::NdArray& y,
                               const std::string& x_what, const std::string& y_what);

// Weights <-> .npz with keys W_in, W_rec, W_out, B (B optional on input: random if missing).
fl::Weights load_weights(const std::string& path, const fl::Neurons& n, uint64_t seed,
                         const io::InitConfig& init);
void save_weights(const std::string& path, const fl::Weights& w);

// Held-out evaluation over cfg.task.test_batches batches; eval(batch) evaluates one batch (the
// float reference, or a hardware model). Loss, accuracy and rate are means over the batches.
struct TestMetrics {
  double loss = 0.0, accuracy = 0.0, rate_hz = 0.0;
};
TestMetrics evaluate_test(const Run& run,
                          const std::function<fl::Gradients(const tasks::Batch&)>& eval);

// metrics.json members of a training log: loss, reg_loss, accuracy (classification) and
// firing_rate_hz per iteration.
void add_training_log(nlohmann::json& m, const std::vector<fl::IterationLog>& log,
                      bool classification);
// metrics.json of a float training run without its wall times and config path (eligo train; the
// Python module's Network.train): algo, iterations, seed, the training log (accuracy when
// test.accuracy >= 0, a classification) and test {loss, firing_rate_hz, batches, accuracy}.
nlohmann::json training_metrics(const io::RunConfig& cfg, const std::vector<fl::IterationLog>& log,
                                const TestMetrics& test);

}  // namespace eligo::experiment
