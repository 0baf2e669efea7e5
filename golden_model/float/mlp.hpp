// A small feedforward classifier (float reference, double precision) to run DEEP R against the
// dense network on image data (Fashion-MNIST: 784-300-100-10).
//
// Shapes: sizes = {n_0, n_1, ..., n_L}; w[l] is n_{l+1} x n_l, b[l] has n_{l+1} entries.
// A batch x is n_0 x B (one column per sample).
//   h_0 = x;  a_l = w[l] h_l + b[l];  h_{l+1} = max(a_l, 0) for l < L-1;  logits = a_{L-1}
//   loss  = (1/B) sum_b -log softmax(logits_b)[label_b]            (nats)
//   d_{L-1} = (softmax(logits) - onehot(labels)) / B
//   dW[l] = d_l h_l^T,  db[l] = sum_b d_l,  d_{l-1} = (w[l]^T d_l) .* (a_{l-1} > 0)
// Initialisation (He): w[l] = sqrt(2 / n_l) N(0, 1) (Rng(seed), matrix order, column-major), b = 0.
// Training: every epoch a Fisher-Yates shuffle of the training set (Rng(seed) stream, one per
// run), then minibatches of batch_size (the last, shorter batch is kept). Biases are always
// trained densely; weights densely (SGD/Adam as optim.hpp, global bias correction) or by DEEP R
// (deepr.hpp, one DeepR over w[0..L-1], matrices named "w0", "w1", ...). All single-threaded
// and deterministic: same seed, same data -> bit-identical results.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <vector>

#include "golden_model/float/deepr.hpp"
#include "golden_model/float/params.hpp"

namespace eligo::fl {

struct Mlp {
  std::vector<Eigen::MatrixXd> w;
  std::vector<Eigen::VectorXd> b;
  int n_layers() const { return static_cast<int>(w.size()); }
};

// Throws std::invalid_argument if fewer than two sizes or a size < 1.
Mlp init_mlp(const std::vector<int>& sizes, uint64_t seed);

// Labelled images, one column per sample, pixels 0..255 (scaled by 1/255 when batched).
struct ImageData {
  Eigen::Matrix<uint8_t, Eigen::Dynamic, Eigen::Dynamic> x;  // dim x n
  std::vector<int> labels;                                    // n, in 0 .. n_classes-1
  int n() const { return static_cast<int>(labels.size()); }
};

// The first `n` samples (n <= 0: all) of image-major pixels (n_total x dim) and labels.
ImageData make_image_data(const std::vector<uint8_t>& pixels, const std::vector<uint8_t>& labels,
                          int dim, int n = 0);

// Columns `idx` of data as doubles in [0, 1] (dim x idx.size()).
Eigen::MatrixXd batch_inputs(const ImageData& data, const std::vector<int>& idx);

struct MlpGradients {
  std::vector<Eigen::MatrixXd> w;
  std::vector<Eigen::VectorXd> b;
  double loss = 0.0;      // mean cross-entropy (nats)
  double accuracy = 0.0;  // fraction of argmax(logits) == label
};

// Reusable buffers (pass the same workspace to successive calls).
struct MlpWorkspace {
  std::vector<Eigen::MatrixXd> h, a;
  Eigen::MatrixXd d, d_prev;
};

// Gradient of the mean cross-entropy over the batch (x: n_0 x B, labels: B entries).
void mlp_gradients(const Mlp& net, const Eigen::MatrixXd& x, const std::vector<int>& labels,
                   MlpGradients& g, MlpWorkspace& ws);

struct MlpScore {
  double loss = 0.0, accuracy = 0.0;
};

// Forward pass over the whole data set in chunks.
MlpScore mlp_evaluate(const Mlp& net, const ImageData& data, int chunk = 1000);

struct MlpTrainParams {
  OptimizerParams optimizer{OptimizerKind::Adam, 1e-3, 0.9, 0.999, 1e-8};
  int epochs = 1;
  int batch_size = 100;
  double lr_decay = 1.0;  // lr multiplied by this after every epoch
  uint64_t seed = 1;      // shuffling
};

struct MlpEpochLog {
  int epoch = 0;
  double train_loss = 0.0, train_accuracy = 0.0;  // running mean over the epoch's batches
  double test_loss = -1.0, test_accuracy = -1.0;  // if a test set was given
  std::vector<long> active;  // active connections per weight matrix (dense: all entries)
  long rewired = 0;          // DEEP R re-activations during the epoch
  double wall_s = 0.0;
};

// Trains net in place. deepr == nullptr: dense; otherwise DEEP R with those parameters (its
// optimiser is tp.optimizer). Returns one log entry per epoch.
std::vector<MlpEpochLog> train_mlp(Mlp& net, const ImageData& train, const MlpTrainParams& tp,
                                   const DeepRParams* deepr = nullptr,
                                   const ImageData* test = nullptr,
                                   const std::function<void(const MlpEpochLog&)>& progress = {});

}  // namespace eligo::fl
