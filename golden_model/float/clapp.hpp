// CLAPP: Contrastive, Local And Predictive Plasticity (Illing, Ventura, Bellec, Gerstner,
// NeurIPS 2021) in the float reference (double precision), on Fashion-MNIST.
//
// Layer-local, label-free learning. Every layer l of a dense ReLU network has feedforward weights
// W (n_l x n_{l-1}), a bias b and a prediction matrix W_pred (n_l x n_l):
//   a = W x + b,   z = relu(a),   x = the previous layer's output (pixels for layer 0), DETACHED:
//   no gradient, no error signal and no weight ever crosses from one layer to another.
// Context (as in the paper): c(t) = z(t), the layer's own activity at the previous view.
// Score of a transition t -> t+1:  u = z(t+1)^T W_pred c(t).
// Hinge loss of the transition:    L = max(0, 1 - y u),
//   y = +1 for a "fixation" (view t+1 is another view of the same image),
//   y = -1 for a "saccade"  (view t+1 comes from another image).
// The explicit CLAPP update (closed form, = -dL/dtheta; zero when the hinge is inactive, i.e.
// when y u >= 1), with f' = relu' = (a > 0):
//   dW_pred = y z(t+1) c(t)^T
//   dW      = y [ (W_pred c(t)) .* f'(a(t+1)) ] x(t+1)^T  +  y [ (W_pred^T z(t+1)) .* f'(a(t)) ] x(t)^T
//   db      = y [ (W_pred c(t)) .* f'(a(t+1)) ]           +  y [ (W_pred^T z(t+1)) .* f'(a(t)) ]
// The first term of dW is the dendritic prediction W_pred c gating the plasticity of the
// current (t+1) inputs, the second the retrograde prediction W_pred^T z gating the (remembered)
// previous inputs; y and the hinge gate are the only broadcast factors. Over a set of N
// transitions the loss and the update are means (sum / N). The updates are applied with Adam
// (per layer, per matrix, optim.hpp's form: bias correction folded into the step size), which
// keeps every layer's learning independent of the others.
//
// Views (the paper's patch sequences). The 28x28 image is covered by a grid x grid set of
// patch x patch patches (default 3 x 3 patches of 14 x 14 at rows/columns 0, 7, 14: 50%
// overlap, as in the paper's STL-10 setting). A fixation is a sequence of views_per_image
// patches of one image moving down one grid column (row grid[v % grid]) like the paper's "predict
// the patch below"; every view is jittered by (dy, dx), each uniform in [-max_shift, max_shift]
// (zero padding outside the image), and mirrored left-right with probability 1/2 if `flip`.
// patch = 28 (grid 1) gives whole-image views with random shifts. A training batch takes
// batch_size images (seeded per-epoch shuffle); the sequence fixates image b, then saccades to
// image b+1 (cyclically in the batch). Transitions (pairs), for every image b and view
// v < views_per_image-1:
//   fixation: context = view v of image b, next = view v+1 of image b,       y = +1
//   saccade:  context = view v of image b, next = view v+1 of image b+1,     y = -1
// so half the transitions are positive and half negative, as with saccade probability 1/2.
// All views of a batch go through the network once; layer l+1 learns on layer l's outputs
// computed before layer l's update of that step.
//
// Hierarchical encoder (kernel > 1; the full run uses it). Layer 1 is the dense layer above,
// shared over the grid x grid patch positions (a convolution of kernel `patch`, stride = the grid
// spacing); every further layer l is a dense layer shared over the positions of a grid kernel - 1
// smaller, taking the kernel x kernel block of adjacent positions of layer l-1 (its input is the
// concatenation, kernel^2 * hidden[l-1] wide; clapp_gather). So the receptive field grows with
// depth (patch 8 on a 6 x 6 grid with stride 4, kernel 2: 8, 12, 16 pixels on 6x6, 5x5, 4x4
// grids), as in the paper's convolutional encoders. Training takes whole images: every layer's
// map over its grid is a sequence of views down each grid column, and the CLAPP transitions of
// layer l are (image b, row i, column j) -> (b, i+s, j) (fixation, y = +1) and -> (b+1, i+s, j)
// (saccade, y = -1) on its own grid (clapp_grid_pairs), s = offsets[l] (default 1): "predict the
// patch below" at every level. The offset sets how much of the target the context already
// sees: receptive field R_l = patch + l (kernel - 1) stride overlaps its target by R_l - s stride
// rows. With offset 1 everywhere the top layer's context shares 12 of its 16 rows with its
// target and its hinge loss goes nearly to zero (little left to learn); offsets {1, 2, 2} keep
// every layer's overlap at half its receptive field or less, the paper's setting (its patches
// overlap by half, at every layer). The update of each layer is the same clapp_layer_update on
// its (detached) input columns; layer l+1 gathers layer l's map computed before layer l's
// update of that step. Each image is shifted as a whole by (dy, dx), uniform in
// [-max_shift, max_shift]; no flips.
// (kernel 1 is the flat encoder: every layer on the same patch, trained by the view sequences
// above.)
//
// Features for the probes: the layer's map over its grid (patches without jitter or flip),
// concatenated over the grid (concat_features, width * G_l^2 features, G_l the layer's grid
// side) or averaged over it (width features). The pixel baseline uses the 784 raw pixels (/255).
// Linear probe: softmax regression (10 classes) on the frozen features, standardised with the
// training features' mean and standard deviation (std + 1e-6), zero initial weights, Adam,
// per-epoch seeded shuffle, minibatches; reports train and test accuracy. The probe does not
// converge fully in its epochs, so its shuffle seed moves the test accuracy (measured on one
// trained network: up to 0.5 points at layer 1); probe_repeats probes with different seeds are
// averaged (the full run uses 3).
//
// Baselines in run_clapp_experiment (same architecture, same initial weights):
//   random     = the CLAPP network at initialisation (init_clapp_net(params): He init as init_mlp,
//                W_pred = 0), untrained
//   pixels     = the probe on the 784 raw pixels
//   supervised = the same encoder (the hidden layers, shared over the grids) with a 10-way
//                linear readout on its top layer's (concatenated or averaged) grid features,
//                trained end to end with labels by backprop (softmax cross-entropy, Adam, no
//                augmentation). mlp.hpp's train_mlp does not fit (its weights are not shared over
//                patches), so the backprop is written here (and checked against finite
//                differences in the tests). Reported both as a probe on each of its hidden
//                layers (the same features as for CLAPP) and as its own readout's test accuracy.
//
// Sizes and choices. The full run (examples/clapp_fashion_mnist.json): hierarchical, 8x8
// patches on a 6x6 grid, kernel 2, widths 32-64-128, offsets 1, 2, 2, 3 probes per cell, probe
// features 36*32, 25*64, 16*128 = 1152, 1600, 2048 per layer; the CI test uses the flat
// 196-128-128-128 encoder on 4000 images.
// W_pred starts at 0 (so the first step only moves W_pred). Why hierarchical: with the flat
// encoder (196-256-256-256 on 14x14 patches, every layer on the same patch) the deeper layers
// cannot see more of the image than layer 1; they only re-encode it, the random network loses
// accuracy with depth and CLAPP's probes fell slightly too (full run 0.8829 / 0.8802 / 0.8797)
// although their hinge losses fell with depth. Why patches and not whole images: with
// whole-image views (patch 28, shifts of 2 pixels, flips), the fixation task is solved by pixel
// overlap and CLAPP's probe accuracy stayed at the random network's (measured on 5000 images:
// 0.789 vs 0.787 at layer 3). docs/float_reference.md has the measurements.
// Everything is seeded (tasks::Rng) and single-threaded: same parameters -> identical numbers.
// Random streams: weights Rng(seed) (init_mlp; kernel > 1: layer l Rng(seed + 1000003 l)), CLAPP
// shuffles, views and whole-image shifts seed + 1, probe k
// seed + 2 + 1000003 k + 7919 r (r-th repeat), supervised shuffles seed + 3, supervised readout
// init seed + 4.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "golden_model/float/adam.hpp"
#include "golden_model/float/mlp.hpp"
#include "golden_model/tasks/rng.hpp"

namespace eligo::fl {

// Every parameter of a CLAPP experiment (examples/clapp_fashion_mnist.json, key for key).
struct ClappParams {
  uint64_t seed = 1;                  // weights, views, shuffles, probes (derived streams)
  int n_train = 0;                    // first n training images (0: all 60000)
  int n_test = 0;                     // first n test images (0: all 10000)
  std::vector<int> hidden{256, 256, 256};  // layer widths (>= 1 layers; the experiment uses 3)
  // views
  int patch = 14;                     // view side (28: whole image)
  int grid = 3;                       // grid x grid patch positions (1 if patch == 28)
  int kernel = 1;                     // layers >= 2 see kernel x kernel adjacent positions of the
                                      // layer below (1: the same patch as layer 1, "flat")
  std::vector<int> offsets;           // kernel > 1: layer l predicts the position offsets[l] grid
                                      // rows below (empty: 1 for every layer; one per layer)
  int max_shift = 1;                  // jitter of every view, |dy|, |dx| <= max_shift
  bool flip = false;                  // left-right mirror with probability 1/2
  bool concat_features = true;        // probe features: concatenated over the grid (else mean)
  int views_per_image = 3;            // fixation length (>= 2)
  // CLAPP training (Adam on the CLAPP update)
  int epochs = 5;
  int batch_size = 32;                // images per update
  double lr = 3e-4;
  double lr_decay = 1.0;              // lr multiplied by this after every epoch
  // linear probes
  int probe_epochs = 20;
  int probe_batch_size = 100;
  double probe_lr = 1e-3;
  double probe_lr_decay = 0.9;
  double probe_l2 = 0.0;              // L2 penalty on the probe weights (not the bias)
  int probe_repeats = 1;              // probes per feature set (seeds differ); report their mean
  // supervised baseline (end-to-end backprop, Adam)
  int supervised_epochs = 10;
  int supervised_batch_size = 100;
  double supervised_lr = 1e-3;
  double supervised_lr_decay = 0.85;
};

constexpr int kClappSide = 28;                       // image side (Fashion-MNIST)
constexpr int kClappDim = kClappSide * kClappSide;   // 784 inputs

struct ClappLayer {
  Eigen::MatrixXd w;       // n_out x n_in
  Eigen::VectorXd b;       // n_out
  Eigen::MatrixXd w_pred;  // n_out x n_out
};

struct ClappNet {
  std::vector<ClappLayer> layers;
  int n_layers() const { return static_cast<int>(layers.size()); }
};

// W[l] = init_mlp({n_in, hidden...}, seed).w[l] (He), b = 0, W_pred = 0. Throws
// std::invalid_argument for n_in < 1, no layers or a width < 1.
ClappNet init_clapp_net(int n_in, const std::vector<int>& hidden, uint64_t seed);
// The network of the parameters: kernel 1 as above with n_in = patch^2; kernel > 1: layer l takes
// clapp_layer_inputs(params)[l] inputs, W[l] = init_mlp({in_l, hidden[l]}, seed + 1000003 l).w[0].
ClappNet init_clapp_net(const ClappParams& params);
// Per layer: the side of its grid of positions (layer 1: clapp_grid's size; each further layer
// kernel - 1 fewer) and its input width (patch^2, then kernel^2 * hidden[l-1]).
std::vector<int> clapp_layer_grids(const ClappParams& params);
std::vector<int> clapp_layer_inputs(const ClappParams& params);

// relu(W x + b) for a batch x (n_in x B).
Eigen::MatrixXd clapp_layer_forward(const ClappLayer& layer, const Eigen::MatrixXd& x);

// One transition: columns `ctx` (view t) and `next` (view t+1) of the layer's input batch.
struct ClappPair {
  int ctx = 0;
  int next = 0;
  double y = 1.0;  // +1 fixation, -1 saccade
};

// Mean hinge loss (1/N) sum_k max(0, 1 - y_k u_k) of one layer over the pairs, for the given
// weights and the layer input x (n_in x cols). Written independently of the update (for tests).
double clapp_layer_loss(const ClappLayer& layer, const Eigen::MatrixXd& x,
                        const std::vector<ClappPair>& pairs);

// The explicit CLAPP update of one layer (the closed form above, = -d loss / d theta).
struct ClappLayerUpdate {
  Eigen::MatrixXd w, w_pred;
  Eigen::VectorXd b;
  double loss = 0.0;             // mean hinge loss over the pairs
  double active_fraction = 0.0;  // fraction of pairs with an active hinge (y u < 1)
  Eigen::MatrixXd z;             // the layer output relu(W x + b) (next layer's input)
};
void clapp_layer_update(const ClappLayer& layer, const Eigen::MatrixXd& x,
                        const std::vector<ClappPair>& pairs, ClappLayerUpdate& u);

// Views. `img` is one image, 784 bytes row-major (a column of ImageData::x); `out` receives
// patch*patch doubles in [0, 1], row-major: out(r, c) = img(top + r, left + c') / 255 (0 outside
// the image), c' = patch - 1 - c if flip else c.
void clapp_view(const uint8_t* img, int patch, int top, int left, bool flip, double* out);
// The grid's patch corners (rows = columns): k * (28 - patch) / (grid - 1) rounded, k < grid;
// {(28 - patch) / 2} for grid 1.
std::vector<int> clapp_grid(const ClappParams& params);
// The training views of `images` (column b * views_per_image + v), drawn from rng in this order:
// per image the grid column (uniform_int), then per view dy, dx (uniform_int) and flip
// (bernoulli(0.5), only if params.flip).
Eigen::MatrixXd clapp_views(const ImageData& data, const std::vector<int>& images,
                            const ClappParams& params, tasks::Rng& rng);
// Layer 1's input on the whole grid: the patches of the images idx at every grid position,
// column b * G^2 + i * G + j (G = clapp_grid's size; i = row, j = column of the grid), each shifted
// by shifts[b] = (dy, dx) if shifts is given (zero padding), never flipped.
Eigen::MatrixXd clapp_patches(const ImageData& data, const std::vector<int>& idx, const ClappParams& params,
                              const std::vector<std::pair<int, int>>* shifts = nullptr);
// A layer's input from the map of the layer below (n x n_images * g_in^2, columns as in
// clapp_patches): at every position (i, j) of the g_out = g_in - kernel + 1 grid, the kernel x kernel
// block of positions (i + di, j + dj) stacked (block di * kernel + dj, n rows each).
Eigen::MatrixXd clapp_gather(const Eigen::MatrixXd& map, int n_images, int g_in, int kernel);
// Its adjoint (for backprop): map += the gathered gradient cols sent back to the positions.
void clapp_scatter_add(const Eigen::MatrixXd& cols, int n_images, int g_in, int kernel, Eigen::MatrixXd& map);
// The fixation and saccade transitions of a batch of n_images (see the top of this file): for
// each image b and view v, the fixation pair then (if n_images > 1) the saccade pair.
std::vector<ClappPair> clapp_pairs(int n_images, int views_per_image);
// The same on a g x g grid of positions (columns as in clapp_patches), `offset` rows ahead: for
// each image b and position (i, j) with i < g - offset, context (b, i, j), fixation next
// (b, i + offset, j), then (if n_images > 1) saccade next (b + 1 mod n_images, i + offset, j).
std::vector<ClappPair> clapp_grid_pairs(int n_images, int g, int offset = 1);
// Per layer: how many grid rows ahead it predicts (params.offsets, or 1 for every layer).
std::vector<int> clapp_layer_offsets(const ClappParams& params);

// Adam on the CLAPP updates, one state (and one bias-correction counter) per layer.
class ClappTrainer {
 public:
  ClappTrainer(ClappNet& net, const ClappParams& params);
  // One update of every layer (only_layer < 0) or of layer only_layer alone on the batch of views
  // x (784 x cols) and its pairs. Layers below only_layer are run forward, never changed.
  // Returns the mean hinge loss of each updated layer (others: 0).
  std::vector<double> step(const Eigen::MatrixXd& x, const std::vector<ClappPair>& pairs,
                           int only_layer = -1);
  // kernel > 1: one update on whole images: patches = clapp_patches of n_images images; layer l
  // learns on clapp_grid_pairs(n_images, its grid side) of its map, layer l + 1 on clapp_gather
  // of that map (computed before layer l's update).
  std::vector<double> step_grid(const Eigen::MatrixXd& patches, int n_images, int only_layer = -1);
  void set_lr(double lr) { lr_ = lr; }
  long steps(int layer) const { return state_[size_t(layer)].t; }

 private:
  struct Moments {
    Eigen::MatrixXd m, v;
  };
  struct LayerState {
    Moments w, b, w_pred;
    AdamBiasCorrection bias;
    long t = 0;
  };
  // The CLAPP update of layer l on its input h and Adam; h becomes the layer's output (before
  // the update). Returns the mean hinge loss.
  double update_layer(int l, Eigen::MatrixXd& h, const std::vector<ClappPair>& pairs);
  ClappNet& net_;
  double lr_;
  int kernel_;
  std::vector<int> grids_, offsets_;
  std::vector<LayerState> state_;
  ClappLayerUpdate u_;
};

struct ClappEpochLog {
  int epoch = 0;
  std::vector<double> loss;             // mean hinge loss per layer over the epoch's batches
  double wall_s = 0.0;
};

// Trains net in place by CLAPP on the training images (labels unused), params.epochs epochs.
std::vector<ClappEpochLog> train_clapp(ClappNet& net, const ImageData& train,
                                       const ClappParams& params,
                                       const std::function<void(const ClappEpochLog&)>& progress = {});

// The grid features of layer `layer` (0-based) for every image, one column per image
// (concat_features: n_layer * grid^2 rows, block k = grid patch k; else n_layer rows, the mean).
// layer = -1: the raw pixels (784 x n, /255).
Eigen::MatrixXd clapp_features(const ClappNet& net, const ImageData& data, int layer,
                               const ClappParams& params);

// The supervised baseline: the patch encoder (w, b of `encoder`; w_pred unused) shared over the
// grid, and a linear readout on the top layer's grid features (concatenated: w_out is
// 10 x (n_top * grid^2); mean: 10 x n_top).
struct PatchClassifier {
  ClappNet encoder;
  Eigen::MatrixXd w_out;
  Eigen::VectorXd b_out;
};
// Encoder = init_clapp_net(params) (the CLAPP and random networks' initial weights);
// w_out = sqrt(1 / fan_in) N(0, 1) from Rng(seed + 4); b_out = 0.
PatchClassifier init_patch_classifier(const ClappParams& params);
// Mean softmax cross-entropy over the batch (patches: clapp_patches of the batch's images) and
// its gradient (same shapes as net; grad.encoder's w_pred empty). Returns the loss; *correct
// counts argmax hits if non-null.
double patch_classifier_gradients(const PatchClassifier& net, const Eigen::MatrixXd& patches,
                                  const std::vector<int>& labels, const ClappParams& params,
                                  PatchClassifier& grad, int* correct = nullptr);
// Trains by backprop with labels: supervised_epochs epochs, supervised_batch_size, Adam
// (supervised_lr, x supervised_lr_decay per epoch), per-epoch shuffle from Rng(seed + 3).
// progress gets (epoch, mean train loss, train accuracy).
void train_patch_classifier(PatchClassifier& net, const ImageData& train, const ClappParams& params,
                            const std::function<void(int, double, double)>& progress = {});
double patch_classifier_accuracy(const PatchClassifier& net, const ImageData& data,
                                 const ClappParams& params);

struct ProbeParams {
  int epochs = 20;
  int batch_size = 100;
  double lr = 1e-3;
  double lr_decay = 0.9;
  double l2 = 0.0;
  uint64_t seed = 1;
};
struct ProbeResult {
  double train_accuracy = 0.0, test_accuracy = 0.0;
};
// Softmax regression (10 classes) on frozen features (dim x n, one column per image).
ProbeResult linear_probe(const Eigen::MatrixXd& train_features, const std::vector<int>& train_labels,
                         const Eigen::MatrixXd& test_features, const std::vector<int>& test_labels,
                         const ProbeParams& params);

struct ClappReport {
  std::vector<int> hidden;
  int patch = 0, grid = 0;
  bool concat_features = true;
  int n_train = 0, n_test = 0;
  int probe_repeats = 1;
  // Linear-probe test accuracy per layer (index 0 = first hidden layer), the mean over
  // probe_repeats probes; *_spread: max - min over those probes.
  std::vector<double> clapp, random, supervised;
  std::vector<double> clapp_spread, random_spread, supervised_spread;
  double pixels = 0.0;                 // probe on the raw pixels
  double pixels_spread = 0.0;
  double supervised_readout = 0.0;     // the supervised network's own test accuracy
  std::vector<ClappEpochLog> clapp_log;
  double clapp_s = 0.0, supervised_s = 0.0, probes_s = 0.0, total_s = 0.0;

  bool top_beats_random() const { return clapp.back() > random.back(); }
  bool top_beats_pixels() const { return clapp.back() > pixels; }
  // clapp[l+1] >= clapp[l] - tolerance for every l.
  bool non_decreasing(double tolerance = 0.0) const;
  // A plain-text table: one row per layer (CLAPP, random, supervised probe), then pixels and
  // the supervised readout.
  std::string table() const;
};

// The whole comparison on the given data (784-pixel images, labels 0..9). progress receives one
// line per phase / epoch.
ClappReport run_clapp_experiment(const ClappParams& params, const ImageData& train,
                                 const ImageData& test,
                                 const std::function<void(const std::string&)>& progress = {});
// (Fashion-MNIST as ImageData: io::load_fashion_mnist in golden_model/io/fashion_mnist.hpp.)

// Throws std::invalid_argument naming the field if a parameter is out of range.
void validate_clapp_params(const ClappParams& params);

}  // namespace eligo::fl
