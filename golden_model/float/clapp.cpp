#include "golden_model/float/clapp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>


namespace eligo::fl {

using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// Derived random streams (all from params.seed): weights = seed (init_mlp), CLAPP shuffles and
// views = seed + 1, probe k = seed + 2 + 1000003 k, supervised shuffles = seed + 3, supervised
// readout init = seed + 4.
constexpr uint64_t kViewStream = 1;
constexpr uint64_t kProbeStream = 2;
constexpr uint64_t kSupervisedStream = 3;
constexpr uint64_t kReadoutStream = 4;
// Adam (adam.hpp) of the CLAPP updates, the supervised baseline and the probes: beta1 0.9, beta2
// 0.999, eps 1e-8; the learning rate is each one's own.
constexpr OptimizerParams kAdam{OptimizerKind::Adam, 0.0, 0.9, 0.999, 1e-8};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void check_pairs(const std::vector<ClappPair>& pairs, Eigen::Index cols, const char* who) {
  if (pairs.empty()) throw std::invalid_argument(std::string(who) + ": no pairs");
  for (const ClappPair& p : pairs) {
    if (p.ctx < 0 || p.next < 0 || p.ctx >= cols || p.next >= cols) {
      throw std::invalid_argument(std::string(who) + ": pair column out of range");
    }
  }
}

void check_input(const ClappLayer& layer, const MatrixXd& x, const char* who) {
  if (x.rows() != layer.w.cols() || layer.b.size() != layer.w.rows() ||
      layer.w_pred.rows() != layer.w.rows() || layer.w_pred.cols() != layer.w.rows()) {
    throw std::invalid_argument(std::string(who) + ": shapes of the layer and its input disagree");
  }
}

}  // namespace

void validate_clapp_params(const ClappParams& p) {
  auto bad = [](const std::string& what) {
    throw std::invalid_argument("ClappParams: " + what);
  };
  if (p.n_train < 0) bad("n_train must be >= 0");
  if (p.n_test < 0) bad("n_test must be >= 0");
  if (p.hidden.empty()) bad("hidden needs at least one layer");
  for (int h : p.hidden) {
    if (h < 1) bad("hidden widths must be >= 1");
  }
  if (p.max_shift < 0 || p.max_shift >= kClappSide) bad("max_shift must be in 0..27");
  if (p.patch < 1 || p.patch > kClappSide) bad("patch must be in 1..28");
  if (p.grid < 1 || p.grid > kClappSide - p.patch + 1) bad("grid must be in 1..29-patch");
  if (p.views_per_image < 2) bad("views_per_image must be >= 2");
  if (p.kernel < 1) bad("kernel must be >= 1");
  if (p.kernel > 1) {
    if (p.flip) bad("flip needs kernel 1 (whole-grid training does not mirror)");
    const int top = p.grid - int(p.hidden.size() - 1) * (p.kernel - 1);
    if (top < 2) bad("grid - (layers - 1) * (kernel - 1) must be >= 2 (a transition needs two rows)");
  }
  if (!p.offsets.empty()) {
    if (p.kernel == 1) bad("offsets needs kernel > 1 (the flat encoder predicts the next view)");
    if (p.offsets.size() != p.hidden.size()) bad("offsets needs one entry per layer of hidden");
    const std::vector<int> grids = clapp_layer_grids(p);
    for (size_t l = 0; l < p.offsets.size(); ++l) {
      const int side = grids[l];
      if (p.offsets[l] < 1 || p.offsets[l] >= side) {
        bad("offsets[" + std::to_string(l) + "] must be in 1.." + std::to_string(side - 1) +
            " (the layer's grid has " + std::to_string(side) + " rows)");
      }
    }
  }
  if (p.epochs < 0) bad("epochs must be >= 0");
  if (p.batch_size < 2) bad("batch_size must be >= 2 (a saccade needs a second image)");
  if (!(p.lr > 0.0)) bad("lr must be > 0");
  if (!(p.lr_decay > 0.0)) bad("lr_decay must be > 0");
  if (p.probe_epochs < 1) bad("probe_epochs must be >= 1");
  if (p.probe_batch_size < 1) bad("probe_batch_size must be >= 1");
  if (!(p.probe_lr > 0.0)) bad("probe_lr must be > 0");
  if (!(p.probe_lr_decay > 0.0)) bad("probe_lr_decay must be > 0");
  if (!(p.probe_l2 >= 0.0)) bad("probe_l2 must be >= 0");
  if (p.probe_repeats < 1) bad("probe_repeats must be >= 1");
  if (p.supervised_epochs < 0) bad("supervised_epochs must be >= 0");
  if (p.supervised_batch_size < 1) bad("supervised_batch_size must be >= 1");
  if (!(p.supervised_lr > 0.0)) bad("supervised_lr must be > 0");
  if (!(p.supervised_lr_decay > 0.0)) bad("supervised_lr_decay must be > 0");
}

ClappNet init_clapp_net(int n_in, const std::vector<int>& hidden, uint64_t seed) {
  if (n_in < 1 || hidden.empty()) {
    throw std::invalid_argument("init_clapp_net: need n_in >= 1 and at least one layer");
  }
  std::vector<int> sizes{n_in};
  sizes.insert(sizes.end(), hidden.begin(), hidden.end());
  Mlp m = init_mlp(sizes, seed);  // throws for widths < 1
  ClappNet net;
  for (int l = 0; l < m.n_layers(); ++l) {
    ClappLayer layer;
    layer.w = std::move(m.w[size_t(l)]);
    layer.b = std::move(m.b[size_t(l)]);
    layer.w_pred = MatrixXd::Zero(layer.w.rows(), layer.w.rows());
    net.layers.push_back(std::move(layer));
  }
  return net;
}

std::vector<int> clapp_layer_grids(const ClappParams& p) {
  std::vector<int> g;
  int side = p.grid;
  for (size_t l = 0; l < p.hidden.size(); ++l) {
    if (l > 0) side -= p.kernel - 1;
    g.push_back(side);
  }
  return g;
}

std::vector<int> clapp_layer_offsets(const ClappParams& p) {
  return p.offsets.empty() ? std::vector<int>(p.hidden.size(), 1) : p.offsets;
}

std::vector<int> clapp_layer_inputs(const ClappParams& p) {
  std::vector<int> in;
  for (size_t l = 0; l < p.hidden.size(); ++l) {
    in.push_back(l == 0 ? p.patch * p.patch : p.kernel * p.kernel * p.hidden[l - 1]);
  }
  return in;
}

ClappNet init_clapp_net(const ClappParams& p) {
  validate_clapp_params(p);
  if (p.kernel == 1) return init_clapp_net(p.patch * p.patch, p.hidden, p.seed);
  const std::vector<int> in = clapp_layer_inputs(p);
  ClappNet net;
  for (size_t l = 0; l < p.hidden.size(); ++l) {
    Mlp m = init_mlp({in[l], p.hidden[l]}, p.seed + 1000003ULL * l);
    ClappLayer layer;
    layer.w = std::move(m.w[0]);
    layer.b = std::move(m.b[0]);
    layer.w_pred = MatrixXd::Zero(layer.w.rows(), layer.w.rows());
    net.layers.push_back(std::move(layer));
  }
  return net;
}

MatrixXd clapp_layer_forward(const ClappLayer& layer, const MatrixXd& x) {
  MatrixXd a = layer.w * x;
  a.colwise() += layer.b;
  return a.cwiseMax(0.0);
}

double clapp_layer_loss(const ClappLayer& layer, const MatrixXd& x, const std::vector<ClappPair>& pairs) {
  check_input(layer, x, "clapp_layer_loss");
  check_pairs(pairs, x.cols(), "clapp_layer_loss");
  // Straight from the definition, one transition at a time.
  double loss = 0.0;
  for (const ClappPair& p : pairs) {
    const VectorXd z_t = (layer.w * x.col(p.ctx) + layer.b).cwiseMax(0.0);
    const VectorXd z_next = (layer.w * x.col(p.next) + layer.b).cwiseMax(0.0);
    const double u = z_next.dot(layer.w_pred * z_t);
    loss += std::max(0.0, 1.0 - p.y * u);
  }
  return loss / double(pairs.size());
}

void clapp_layer_update(const ClappLayer& layer, const MatrixXd& x, const std::vector<ClappPair>& pairs,
                        ClappLayerUpdate& u) {
  check_input(layer, x, "clapp_layer_update");
  check_pairs(pairs, x.cols(), "clapp_layer_update");
  const Eigen::Index n = layer.w.rows();
  const Eigen::Index cols = x.cols();
  const double inv_n = 1.0 / double(pairs.size());
  // Forward: a = W x + b, z = relu(a); predictions W_pred c for every column as a context.
  MatrixXd a = layer.w * x;
  a.colwise() += layer.b;
  u.z = a.cwiseMax(0.0);
  const MatrixXd pred = layer.w_pred * u.z;
  // Per column: d_next collects y (W_pred c) for the columns used as view t+1; e collects
  // y z(t+1) for the columns used as context (view t), so that
  //   dW_pred = e z^T  (= sum_k y_k z_next_k c_k^T)   and   W_pred^T e is the retrograde term.
  MatrixXd d_next = MatrixXd::Zero(n, cols);
  MatrixXd e = MatrixXd::Zero(n, cols);
  double loss = 0.0;
  long active = 0;
  for (const ClappPair& p : pairs) {
    const double score = u.z.col(p.next).dot(pred.col(p.ctx));
    const double margin = 1.0 - p.y * score;
    if (margin <= 0.0) continue;  // hinge inactive: no update from this transition
    loss += margin;
    ++active;
    const double g = p.y * inv_n;
    d_next.col(p.next) += g * pred.col(p.ctx);
    e.col(p.ctx) += g * u.z.col(p.next);
  }
  u.w_pred.noalias() = e * u.z.transpose();
  // d = [ y (W_pred c) on the t+1 columns + y (W_pred^T z(t+1)) on the t columns ] .* f'(a)
  d_next.noalias() += layer.w_pred.transpose() * e;
  d_next = (a.array() > 0.0).select(d_next, 0.0);
  u.w.noalias() = d_next * x.transpose();
  u.b = d_next.rowwise().sum();
  u.loss = loss * inv_n;
  u.active_fraction = double(active) * inv_n;
}

void clapp_view(const uint8_t* img, int patch, int top, int left, bool flip, double* out) {
  for (int r = 0; r < patch; ++r) {
    const int sr = top + r;
    for (int c = 0; c < patch; ++c) {
      const int sc = left + (flip ? patch - 1 - c : c);
      double v = 0.0;
      if (sr >= 0 && sr < kClappSide && sc >= 0 && sc < kClappSide) {
        v = double(img[sr * kClappSide + sc]) * (1.0 / 255.0);
      }
      out[r * patch + c] = v;
    }
  }
}

std::vector<int> clapp_grid(const ClappParams& params) {
  const int P = params.patch;
  const int g = params.grid;
  std::vector<int> pos;
  if (g <= 1) return {(kClappSide - P) / 2};
  for (int k = 0; k < g; ++k) pos.push_back((k * (kClappSide - P) + (g - 1) / 2) / (g - 1));
  return pos;
}

namespace {

void check_images(const ImageData& data, const char* who) {
  if (data.x.rows() != kClappDim) {
    throw std::invalid_argument(std::string(who) + ": images must have 784 pixels, got " +
                                std::to_string(data.x.rows()));
  }
}

}  // namespace

MatrixXd clapp_views(const ImageData& data, const std::vector<int>& images, const ClappParams& params,
                     tasks::Rng& rng) {
  check_images(data, "clapp_views");
  const int V = params.views_per_image;
  const int P = params.patch;
  const int s = params.max_shift;
  const std::vector<int> grid = clapp_grid(params);
  MatrixXd x(Eigen::Index(P) * P, Eigen::Index(images.size()) * V);
  for (size_t b = 0; b < images.size(); ++b) {
    const uint8_t* img = data.x.col(images[b]).data();
    const int column = grid[size_t(rng.uniform_int(0, int(grid.size()) - 1))];
    for (int v = 0; v < V; ++v) {
      const int top = grid[size_t(v) % grid.size()] + rng.uniform_int(-s, s);
      const int left = column + rng.uniform_int(-s, s);
      const bool flip = params.flip && rng.bernoulli(0.5);
      clapp_view(img, P, top, left, flip, x.col(Eigen::Index(b) * V + v).data());
    }
  }
  return x;
}

MatrixXd clapp_patches(const ImageData& data, const std::vector<int>& idx, const ClappParams& params,
                       const std::vector<std::pair<int, int>>* shifts) {
  check_images(data, "clapp_patches");
  if (shifts && shifts->size() != idx.size()) throw std::invalid_argument("clapp_patches: one shift per image");
  const int P = params.patch;
  const std::vector<int> grid = clapp_grid(params);
  const Eigen::Index G = Eigen::Index(grid.size());
  MatrixXd x(Eigen::Index(P) * P, Eigen::Index(idx.size()) * G * G);
  for (size_t b = 0; b < idx.size(); ++b) {
    const uint8_t* img = data.x.col(idx[b]).data();
    const int dy = shifts ? (*shifts)[b].first : 0;
    const int dx = shifts ? (*shifts)[b].second : 0;
    for (Eigen::Index i = 0; i < G; ++i) {
      for (Eigen::Index j = 0; j < G; ++j) {
        clapp_view(img, P, grid[size_t(i)] + dy, grid[size_t(j)] + dx, false,
                   x.col((Eigen::Index(b) * G + i) * G + j).data());
      }
    }
  }
  return x;
}

namespace {

// Calls f(out_col, block, in_col) for every output position (column out_col of the gathered
// matrix), block = di * kernel + dj of its kernel x kernel window, in_col = the map column there.
template <class F>
void for_each_window(int n_images, int g_in, int kernel, F&& f) {
  const int g = g_in - kernel + 1;
  for (int b = 0; b < n_images; ++b) {
    for (int i = 0; i < g; ++i) {
      for (int j = 0; j < g; ++j) {
        const Eigen::Index col = (Eigen::Index(b) * g + i) * g + j;
        for (int di = 0; di < kernel; ++di) {
          for (int dj = 0; dj < kernel; ++dj) {
            f(col, di * kernel + dj, (Eigen::Index(b) * g_in + i + di) * g_in + j + dj);
          }
        }
      }
    }
  }
}

}  // namespace

MatrixXd clapp_gather(const MatrixXd& map, int n_images, int g_in, int kernel) {
  const int g = g_in - kernel + 1;
  if (kernel < 1 || g < 1 || map.cols() != Eigen::Index(n_images) * g_in * g_in) {
    throw std::invalid_argument("clapp_gather: map, grid and kernel disagree");
  }
  const Eigen::Index n = map.rows();
  MatrixXd out(n * kernel * kernel, Eigen::Index(n_images) * g * g);
  for_each_window(n_images, g_in, kernel, [&](Eigen::Index col, int block, Eigen::Index src) {
    out.block(n * block, col, n, 1) = map.col(src);
  });
  return out;
}

void clapp_scatter_add(const MatrixXd& cols, int n_images, int g_in, int kernel, MatrixXd& map) {
  const int g = g_in - kernel + 1;
  const Eigen::Index n = map.rows();
  if (kernel < 1 || g < 1 || map.cols() != Eigen::Index(n_images) * g_in * g_in ||
      cols.rows() != n * kernel * kernel || cols.cols() != Eigen::Index(n_images) * g * g) {
    throw std::invalid_argument("clapp_scatter_add: shapes, grid and kernel disagree");
  }
  for_each_window(n_images, g_in, kernel, [&](Eigen::Index col, int block, Eigen::Index dst) {
    map.col(dst) += cols.block(n * block, col, n, 1);
  });
}

std::vector<ClappPair> clapp_grid_pairs(int n_images, int g, int offset) {
  if (offset < 1) throw std::invalid_argument("clapp_grid_pairs: offset must be >= 1");
  std::vector<ClappPair> pairs;
  const int G2 = g * g;
  for (int b = 0; b < n_images; ++b) {
    for (int i = 0; i + offset < g; ++i) {
      for (int j = 0; j < g; ++j) {
        const int ctx = b * G2 + i * g + j;
        pairs.push_back({ctx, ctx + offset * g, 1.0});
        if (n_images > 1) pairs.push_back({ctx, ((b + 1) % n_images) * G2 + (i + offset) * g + j, -1.0});
      }
    }
  }
  return pairs;
}

std::vector<ClappPair> clapp_pairs(int n_images, int views_per_image) {
  std::vector<ClappPair> pairs;
  const int V = views_per_image;
  for (int b = 0; b < n_images; ++b) {
    for (int v = 0; v + 1 < V; ++v) {
      pairs.push_back({b * V + v, b * V + v + 1, 1.0});
      if (n_images > 1) pairs.push_back({b * V + v, ((b + 1) % n_images) * V + v + 1, -1.0});
    }
  }
  return pairs;
}

// ---- training ------------------------------------------------------------------------------

ClappTrainer::ClappTrainer(ClappNet& net, const ClappParams& params)
    : net_(net), lr_(params.lr), kernel_(params.kernel), grids_(clapp_layer_grids(params)),
      offsets_(clapp_layer_offsets(params)),
      state_(size_t(net.n_layers())) {
  for (int l = 0; l < net.n_layers(); ++l) {
    const ClappLayer& L = net.layers[size_t(l)];
    LayerState& s = state_[size_t(l)];
    s.w = {MatrixXd::Zero(L.w.rows(), L.w.cols()), MatrixXd::Zero(L.w.rows(), L.w.cols())};
    s.b = {MatrixXd::Zero(L.b.size(), 1), MatrixXd::Zero(L.b.size(), 1)};
    s.w_pred = {MatrixXd::Zero(L.w_pred.rows(), L.w_pred.cols()),
                MatrixXd::Zero(L.w_pred.rows(), L.w_pred.cols())};
  }
}

double ClappTrainer::update_layer(int l, MatrixXd& h, const std::vector<ClappPair>& pairs) {
  ClappLayer& layer = net_.layers[size_t(l)];
  clapp_layer_update(layer, h, pairs, u_);
  LayerState& s = state_[size_t(l)];
  ++s.t;
  // Ascent along the CLAPP update (= descent along the hinge-loss gradient): step -lr_t.
  const double lr_t = s.bias.next(lr_, kAdam.beta1, kAdam.beta2);
  adam_step(layer.w, u_.w, s.w.m, s.w.v, kAdam, -lr_t);
  MatrixXd bcol = layer.b;
  adam_step(bcol, u_.b, s.b.m, s.b.v, kAdam, -lr_t);
  layer.b = bcol.col(0);
  adam_step(layer.w_pred, u_.w_pred, s.w_pred.m, s.w_pred.v, kAdam, -lr_t);
  h.swap(u_.z);  // the output before this step's update feeds the next layer
  return u_.loss;
}

std::vector<double> ClappTrainer::step(const MatrixXd& x, const std::vector<ClappPair>& pairs,
                                       int only_layer) {
  const int L = net_.n_layers();
  if (only_layer >= L) throw std::invalid_argument("ClappTrainer::step: no such layer");
  std::vector<double> losses(size_t(L), 0.0);
  const int last = only_layer < 0 ? L - 1 : only_layer;
  MatrixXd h = x;  // the current layer's input, detached (a plain copy of values)
  for (int l = 0; l <= last; ++l) {
    if (only_layer >= 0 && l != only_layer) {
      h = clapp_layer_forward(net_.layers[size_t(l)], h);
      continue;
    }
    losses[size_t(l)] = update_layer(l, h, pairs);
  }
  return losses;
}

std::vector<double> ClappTrainer::step_grid(const MatrixXd& patches, int n_images, int only_layer) {
  const int L = net_.n_layers();
  if (only_layer >= L) throw std::invalid_argument("ClappTrainer::step_grid: no such layer");
  if (int(grids_.size()) != L) throw std::invalid_argument("ClappTrainer::step_grid: parameters and network disagree");
  std::vector<double> losses(size_t(L), 0.0);
  const int last = only_layer < 0 ? L - 1 : only_layer;
  MatrixXd h = patches;  // the current layer's input, detached (a plain copy of values)
  for (int l = 0; l <= last; ++l) {
    if (l > 0) h = clapp_gather(h, n_images, grids_[size_t(l) - 1], kernel_);
    if (only_layer >= 0 && l != only_layer) {
      h = clapp_layer_forward(net_.layers[size_t(l)], h);
      continue;
    }
    losses[size_t(l)] = update_layer(l, h, clapp_grid_pairs(n_images, grids_[size_t(l)], offsets_[size_t(l)]));
  }
  return losses;
}

std::vector<ClappEpochLog> train_clapp(ClappNet& net, const ImageData& train, const ClappParams& params,
                                       const std::function<void(const ClappEpochLog&)>& progress) {
  validate_clapp_params(params);
  if (train.n() < 1) throw std::invalid_argument("train_clapp: no training images");
  if (net.n_layers() < 1 || net.layers[0].w.cols() != params.patch * params.patch) {
    throw std::invalid_argument("train_clapp: the network must take patch * patch inputs");
  }
  ClappTrainer trainer(net, params);
  tasks::Rng rng(params.seed + kViewStream);
  std::vector<int> order(size_t(train.n()));
  for (int i = 0; i < train.n(); ++i) order[size_t(i)] = i;
  std::vector<ClappEpochLog> log;
  double lr = params.lr;
  std::vector<int> idx;
  std::vector<std::pair<int, int>> shifts;
  for (int epoch = 0; epoch < params.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = train.n() - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.uniform_int(0, i))]);
    ClappEpochLog entry;
    entry.epoch = epoch;
    entry.loss.assign(size_t(net.n_layers()), 0.0);
    int batches = 0;
    for (int s = 0; s < train.n(); s += params.batch_size) {
      const int e = std::min(train.n(), s + params.batch_size);
      if (e - s < 2) break;  // a saccade needs a second image
      idx.assign(order.begin() + s, order.begin() + e);
      std::vector<double> l;
      if (params.kernel == 1) {
        const MatrixXd x = clapp_views(train, idx, params, rng);
        l = trainer.step(x, clapp_pairs(e - s, params.views_per_image));
      } else {
        shifts.clear();
        for (int b = s; b < e; ++b) {
          const int dy = rng.uniform_int(-params.max_shift, params.max_shift);
          shifts.emplace_back(dy, rng.uniform_int(-params.max_shift, params.max_shift));
        }
        l = trainer.step_grid(clapp_patches(train, idx, params, &shifts), e - s);
      }
      for (size_t k = 0; k < l.size(); ++k) entry.loss[k] += l[k];
      ++batches;
    }
    for (double& v : entry.loss) v /= std::max(1, batches);
    lr *= params.lr_decay;
    trainer.set_lr(lr);
    entry.wall_s = seconds_since(t0);
    log.push_back(entry);
    if (progress) progress(entry);
  }
  return log;
}

// ---- features and probes -------------------------------------------------------------------

namespace {

// The encoder on whole grids: the map of every layer up to `upto` (n_l x n_images * G_l^2), from
// layer 1's patches. hs[l] = layer l's input (gathered), as[l] = its pre-activation, if non-null.
MatrixXd encoder_maps(const ClappNet& net, const MatrixXd& patches, int n_images, int upto,
                      const ClappParams& params, std::vector<MatrixXd>* hs, std::vector<MatrixXd>* as) {
  const std::vector<int> grids = clapp_layer_grids(params);
  if (int(grids.size()) != net.n_layers() || patches.rows() != net.layers[0].w.cols()) {
    throw std::invalid_argument("clapp encoder: parameters and network disagree");
  }
  if (hs) hs->assign(size_t(upto) + 1, MatrixXd());
  if (as) as->assign(size_t(upto) + 1, MatrixXd());
  MatrixXd h = patches;
  for (int l = 0; l <= upto; ++l) {
    if (l > 0 && params.kernel > 1) h = clapp_gather(h, n_images, grids[size_t(l) - 1], params.kernel);
    const ClappLayer& layer = net.layers[size_t(l)];
    MatrixXd a = layer.w * h;
    a.colwise() += layer.b;
    if (hs) (*hs)[size_t(l)] = std::move(h);
    h = a.cwiseMax(0.0);
    if (as) (*as)[size_t(l)] = std::move(a);
  }
  return h;
}

// A layer's map (n x n_images * G^2) as probe features, one column per image: concatenated over
// the positions (n * G^2 rows, block k = position k) or their mean (n rows).
MatrixXd map_features(const MatrixXd& map, int n_images, bool concat) {
  const Eigen::Index n = map.rows();
  const Eigen::Index G2 = map.cols() / n_images;
  if (concat) return Eigen::Map<const MatrixXd>(map.data(), n * G2, n_images);
  MatrixXd f = MatrixXd::Zero(n, n_images);
  for (int b = 0; b < n_images; ++b) f.col(b) = map.middleCols(b * G2, G2).rowwise().mean();
  return f;
}

// The adjoint of map_features: d map from d features.
MatrixXd map_features_adjoint(const MatrixXd& df, Eigen::Index n, Eigen::Index G2, int n_images, bool concat) {
  if (concat) return Eigen::Map<const MatrixXd>(df.data(), n, G2 * n_images);
  MatrixXd d(n, G2 * n_images);
  for (int b = 0; b < n_images; ++b) d.middleCols(b * G2, G2) = (df.col(b) / double(G2)).replicate(1, G2);
  return d;
}

}  // namespace

MatrixXd clapp_features(const ClappNet& net, const ImageData& data, int layer, const ClappParams& params) {
  if (layer < -1 || layer >= net.n_layers()) throw std::invalid_argument("clapp_features: no such layer");
  check_images(data, "clapp_features");
  constexpr int chunk = 1000;
  std::vector<int> idx;
  const Eigen::Index G = layer < 0 ? 1 : clapp_layer_grids(params)[size_t(layer)];
  const Eigen::Index width = layer < 0 ? kClappDim : net.layers[size_t(layer)].w.rows();
  const Eigen::Index rows = layer < 0 ? kClappDim : params.concat_features ? width * G * G : width;
  MatrixXd f = MatrixXd::Zero(rows, data.n());
  for (int s = 0; s < data.n(); s += chunk) {
    const int e = std::min(data.n(), s + chunk);
    idx.clear();
    for (int i = s; i < e; ++i) idx.push_back(i);
    if (layer < 0) {  // raw pixels of the whole image
      f.middleCols(s, e - s) = batch_inputs(data, idx);
      continue;
    }
    const MatrixXd map = encoder_maps(net, clapp_patches(data, idx, params), e - s, layer, params, nullptr, nullptr);
    f.middleCols(s, e - s) = map_features(map, e - s, params.concat_features);
  }
  return f;
}

// ---- supervised baseline -------------------------------------------------------------------

PatchClassifier init_patch_classifier(const ClappParams& params) {
  validate_clapp_params(params);
  PatchClassifier net;
  net.encoder = init_clapp_net(params);
  const Eigen::Index g = clapp_layer_grids(params).back();
  const Eigen::Index top = params.hidden.back();
  const Eigen::Index fan_in = params.concat_features ? top * g * g : top;
  tasks::Rng rng(params.seed + kReadoutStream);
  net.w_out.resize(10, fan_in);
  const double scale = std::sqrt(1.0 / double(fan_in));
  for (Eigen::Index i = 0; i < net.w_out.size(); ++i) net.w_out.data()[i] = scale * rng.normal();
  net.b_out = VectorXd::Zero(10);
  return net;
}

namespace {

// Logits of the patch classifier on n_images images (patches: clapp_patches); hs, as as in
// encoder_maps, *top_map = the top layer's map, *feat = its features.
MatrixXd patch_forward(const PatchClassifier& net, const MatrixXd& patches, int n_images,
                       const ClappParams& params, std::vector<MatrixXd>* hs, std::vector<MatrixXd>* as,
                       MatrixXd* top_map, MatrixXd* feat) {
  const int L = net.encoder.n_layers();
  const MatrixXd map = encoder_maps(net.encoder, patches, n_images, L - 1, params, hs, as);
  MatrixXd f = map_features(map, n_images, params.concat_features);
  if (net.w_out.cols() != f.rows()) {
    throw std::invalid_argument("patch classifier: readout width does not match the grid");
  }
  MatrixXd logits = net.w_out * f;
  logits.colwise() += net.b_out;
  if (top_map) *top_map = map;
  if (feat) *feat = std::move(f);
  return logits;
}

}  // namespace

double patch_classifier_gradients(const PatchClassifier& net, const MatrixXd& patches,
                                  const std::vector<int>& labels, const ClappParams& params,
                                  PatchClassifier& grad, int* correct) {
  const int L = net.encoder.n_layers();
  const int B = int(labels.size());
  const std::vector<int> grids = clapp_layer_grids(params);
  if (B == 0 || patches.cols() != Eigen::Index(B) * grids[0] * grids[0]) {
    throw std::invalid_argument("patch_classifier_gradients: empty batch or label count mismatch");
  }
  std::vector<MatrixXd> hs, as;
  MatrixXd top_map, feat;
  const MatrixXd logits = patch_forward(net, patches, B, params, &hs, &as, &top_map, &feat);
  // Softmax cross-entropy: d logits = (softmax - onehot) / B.
  MatrixXd d(10, B);
  double loss = 0.0;
  int hits = 0;
  for (Eigen::Index b = 0; b < B; ++b) {
    Eigen::Index arg = 0;
    const double mx = logits.col(b).maxCoeff(&arg);
    d.col(b) = (logits.col(b).array() - mx).exp().matrix();
    const double sum = d.col(b).sum();
    d.col(b) /= sum;
    const int y = labels[size_t(b)];
    if (y < 0 || y >= 10) throw std::invalid_argument("patch_classifier_gradients: label outside 0..9");
    loss += std::log(sum) - (logits(y, b) - mx);
    hits += arg == y;
    d(y, b) -= 1.0;
  }
  d /= double(B);
  grad.b_out = d.rowwise().sum();
  grad.w_out.noalias() = d * feat.transpose();
  grad.encoder.layers.assign(size_t(L), ClappLayer{});
  const Eigen::Index G2 = Eigen::Index(grids.back()) * grids.back();
  MatrixXd dh = map_features_adjoint(net.w_out.transpose() * d, top_map.rows(), G2, B, params.concat_features);
  for (int l = L - 1; l >= 0; --l) {
    const ClappLayer& layer = net.encoder.layers[size_t(l)];
    ClappLayer& gl = grad.encoder.layers[size_t(l)];
    const MatrixXd da = (as[size_t(l)].array() > 0.0).select(dh, 0.0);
    gl.w.noalias() = da * hs[size_t(l)].transpose();
    gl.b = da.rowwise().sum();
    if (l == 0) break;
    MatrixXd dcols = layer.w.transpose() * da;
    if (params.kernel > 1) {
      const int g_in = grids[size_t(l) - 1];
      dh = MatrixXd::Zero(net.encoder.layers[size_t(l) - 1].w.rows(), Eigen::Index(B) * g_in * g_in);
      clapp_scatter_add(dcols, B, g_in, params.kernel, dh);
    } else {
      dh = std::move(dcols);
    }
  }
  if (correct) *correct = hits;
  return loss / double(B);
}

void train_patch_classifier(PatchClassifier& net, const ImageData& train, const ClappParams& params,
                            const std::function<void(int, double, double)>& progress) {
  validate_clapp_params(params);
  check_images(train, "train_patch_classifier");
  // Adam over every parameter block (same form as the CLAPP trainer).
  std::vector<MatrixXd*> params_list;
  for (ClappLayer& l : net.encoder.layers) params_list.push_back(&l.w);
  params_list.push_back(&net.w_out);
  std::vector<MatrixXd> m, v;
  for (MatrixXd* p : params_list) {
    m.push_back(MatrixXd::Zero(p->rows(), p->cols()));
    v.push_back(MatrixXd::Zero(p->rows(), p->cols()));
  }
  std::vector<VectorXd*> vec_list;
  for (ClappLayer& l : net.encoder.layers) vec_list.push_back(&l.b);
  vec_list.push_back(&net.b_out);
  std::vector<VectorXd> mb, vb;
  for (VectorXd* p : vec_list) {
    mb.push_back(VectorXd::Zero(p->size()));
    vb.push_back(VectorXd::Zero(p->size()));
  }
  AdamBiasCorrection bias;
  double lr = params.supervised_lr;
  tasks::Rng rng(params.seed + kSupervisedStream);
  std::vector<int> order(static_cast<size_t>(train.n()));
  for (int i = 0; i < train.n(); ++i) order[size_t(i)] = i;
  PatchClassifier g;
  std::vector<int> idx, labels;
  const int L = net.encoder.n_layers();
  for (int epoch = 0; epoch < params.supervised_epochs; ++epoch) {
    for (int i = train.n() - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.uniform_int(0, i))]);
    double loss = 0.0;
    long hits = 0;
    int batches = 0;
    for (int s = 0; s < train.n(); s += params.supervised_batch_size) {
      const int e = std::min(train.n(), s + params.supervised_batch_size);
      idx.assign(order.begin() + s, order.begin() + e);
      labels.clear();
      for (int i : idx) labels.push_back(train.labels[size_t(i)]);
      int c = 0;
      loss += patch_classifier_gradients(net, clapp_patches(train, idx, params), labels, params, g, &c);
      hits += c;
      ++batches;
      const double lr_t = bias.next(lr, kAdam.beta1, kAdam.beta2);
      for (size_t k = 0; k < params_list.size(); ++k) {
        adam_step(*params_list[k], int(k) < L ? g.encoder.layers[k].w : g.w_out, m[k], v[k], kAdam, lr_t);
      }
      for (size_t k = 0; k < vec_list.size(); ++k) {
        adam_step(*vec_list[k], int(k) < L ? g.encoder.layers[k].b : g.b_out, mb[k], vb[k], kAdam, lr_t);
      }
    }
    lr *= params.supervised_lr_decay;
    if (progress) progress(epoch, loss / std::max(1, batches), double(hits) / std::max(1, train.n()));
  }
}

double patch_classifier_accuracy(const PatchClassifier& net, const ImageData& data, const ClappParams& params) {
  constexpr int chunk = 1000;
  long hits = 0;
  std::vector<int> idx;
  for (int s = 0; s < data.n(); s += chunk) {
    const int e = std::min(data.n(), s + chunk);
    idx.clear();
    for (int i = s; i < e; ++i) idx.push_back(i);
    const MatrixXd logits = patch_forward(net, clapp_patches(data, idx, params), e - s, params, nullptr,
                                          nullptr, nullptr, nullptr);
    for (int i = s; i < e; ++i) {
      Eigen::Index arg = 0;
      logits.col(i - s).maxCoeff(&arg);
      hits += int(arg) == data.labels[size_t(i)];
    }
  }
  return data.n() > 0 ? double(hits) / double(data.n()) : 0.0;
}

// ---- probes --------------------------------------------------------------------------------

ProbeResult linear_probe(const MatrixXd& train_features, const std::vector<int>& train_labels,
                         const MatrixXd& test_features, const std::vector<int>& test_labels,
                         const ProbeParams& pp) {
  const Eigen::Index dim = train_features.rows();
  const int n = static_cast<int>(train_features.cols());
  if (n < 1 || size_t(n) != train_labels.size() || test_features.rows() != dim ||
      size_t(test_features.cols()) != test_labels.size() || pp.epochs < 1 || pp.batch_size < 1) {
    throw std::invalid_argument("linear_probe: inconsistent features, labels or parameters");
  }
  constexpr int kClasses = 10;
  for (int y : train_labels) {
    if (y < 0 || y >= kClasses) throw std::invalid_argument("linear_probe: label outside 0..9");
  }
  // Standardisation with the training features' statistics.
  const VectorXd mean = train_features.rowwise().mean();
  VectorXd inv_std(dim);
  for (Eigen::Index i = 0; i < dim; ++i) {
    const double var = (train_features.row(i).array() - mean(i)).square().mean();
    inv_std(i) = 1.0 / (std::sqrt(var) + 1e-6);
  }
  auto standardise = [&](const MatrixXd& f, const std::vector<int>& cols) {
    MatrixXd x(dim, Eigen::Index(cols.size()));
    for (size_t k = 0; k < cols.size(); ++k) {
      x.col(Eigen::Index(k)) = (f.col(cols[k]) - mean).cwiseProduct(inv_std);
    }
    return x;
  };
  // Softmax regression = a one-layer Mlp (mlp_gradients: mean cross-entropy), zero init.
  Mlp probe;
  probe.w.push_back(MatrixXd::Zero(kClasses, dim));
  probe.b.push_back(VectorXd::Zero(kClasses));
  MatrixXd mw = MatrixXd::Zero(kClasses, dim), vw = mw;
  VectorXd mb = VectorXd::Zero(kClasses), vb = mb;
  AdamBiasCorrection bias;
  double lr = pp.lr;
  tasks::Rng rng(pp.seed);
  std::vector<int> order(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) order[size_t(i)] = i;
  MlpGradients g;
  MlpWorkspace ws;
  std::vector<int> idx, labels;
  for (int epoch = 0; epoch < pp.epochs; ++epoch) {
    for (int i = n - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.uniform_int(0, i))]);
    for (int s = 0; s < n; s += pp.batch_size) {
      const int e = std::min(n, s + pp.batch_size);
      idx.assign(order.begin() + s, order.begin() + e);
      labels.clear();
      for (int i : idx) labels.push_back(train_labels[size_t(i)]);
      mlp_gradients(probe, standardise(train_features, idx), labels, g, ws);
      if (pp.l2 > 0.0) g.w[0] += pp.l2 * probe.w[0];
      const double lr_t = bias.next(lr, kAdam.beta1, kAdam.beta2);
      adam_step(probe.w[0], g.w[0], mw, vw, kAdam, lr_t);
      adam_step(probe.b[0], g.b[0], mb, vb, kAdam, lr_t);
    }
    lr *= pp.lr_decay;
  }
  auto accuracy = [&](const MatrixXd& f, const std::vector<int>& y) {
    long correct = 0;
    constexpr int chunk = 1000;
    std::vector<int> cols;
    for (int s = 0; s < int(f.cols()); s += chunk) {
      const int e = std::min(int(f.cols()), s + chunk);
      cols.clear();
      for (int i = s; i < e; ++i) cols.push_back(i);
      MatrixXd logits = probe.w[0] * standardise(f, cols);
      logits.colwise() += probe.b[0];
      for (int i = s; i < e; ++i) {
        Eigen::Index arg = 0;
        logits.col(i - s).maxCoeff(&arg);
        correct += int(arg) == y[size_t(i)];
      }
    }
    return f.cols() > 0 ? double(correct) / double(f.cols()) : 0.0;
  };
  return {accuracy(train_features, train_labels), accuracy(test_features, test_labels)};
}

// ---- the experiment ------------------------------------------------------------------------

bool ClappReport::non_decreasing(double tolerance) const {
  for (size_t l = 0; l + 1 < clapp.size(); ++l) {
    if (clapp[l + 1] < clapp[l] - tolerance) return false;
  }
  return true;
}

std::string ClappReport::table() const {
  std::ostringstream s;
  char line[200];
  std::snprintf(line, sizeof line, "CLAPP on Fashion-MNIST (%d train, %d test images), network %d", n_train,
                n_test, patch * patch);
  s << line;
  for (int h : hidden) s << "-" << h;
  std::snprintf(line, sizeof line, " on %dx%d patches (%dx%d grid, features %s); linear-probe test accuracy\n",
                patch, patch, grid, grid, concat_features ? "concatenated" : "averaged");
  s << line;
  // One cell: the mean, and with several probes their spread (max - min) in brackets.
  auto cell = [&](double mean, double spread) {
    char c[48];
    if (probe_repeats > 1) {
      std::snprintf(c, sizeof c, "%.4f (%.4f)", mean, spread);
    } else {
      std::snprintf(c, sizeof c, "%.4f", mean);
    }
    return std::string(c);
  };
  auto at = [](const std::vector<double>& v, size_t l) { return l < v.size() ? v[l] : 0.0; };
  if (probe_repeats > 1) {
    s << "(each cell: the mean of " << probe_repeats << " probes with different seeds, (max - min) in brackets)\n";
  }
  s << "| layer | CLAPP | random | supervised (backprop) |\n|---|---|---|---|\n";
  for (size_t l = 0; l < clapp.size(); ++l) {
    s << "| " << l + 1 << " (" << hidden[l] << ") | " << cell(clapp[l], at(clapp_spread, l)) << " | "
      << cell(random[l], at(random_spread, l)) << " | "
      << (l < supervised.size() ? cell(supervised[l], at(supervised_spread, l)) : std::string("-")) << " |\n";
  }
  s << "| pixels (784) | " << cell(pixels, pixels_spread) << " | | |\n";
  std::snprintf(line, sizeof line, "| supervised readout | | | %.4f |\n", supervised_readout);
  s << line;
  std::snprintf(line, sizeof line, "wall: CLAPP %.0f s, supervised %.0f s, probes %.0f s, total %.0f s\n",
                clapp_s, supervised_s, probes_s, total_s);
  s << line;
  return s.str();
}

ClappReport run_clapp_experiment(const ClappParams& params, const ImageData& train, const ImageData& test,
                                 const std::function<void(const std::string&)>& progress) {
  validate_clapp_params(params);
  if (train.x.rows() != kClappDim || test.x.rows() != kClappDim || train.n() < 2 || test.n() < 1) {
    throw std::invalid_argument("run_clapp_experiment: need 784-pixel images (>= 2 train, >= 1 test)");
  }
  const auto t_all = std::chrono::steady_clock::now();
  auto say = [&](const std::string& s) {
    if (progress) progress(s);
  };
  char buf[256];
  ClappReport r;
  r.hidden = params.hidden;
  r.patch = params.patch;
  r.grid = params.grid;
  r.concat_features = params.concat_features;
  r.n_train = train.n();
  r.n_test = test.n();
  const int L = static_cast<int>(params.hidden.size());
  int probe_k = 0;
  double probe_s = 0.0;
  // The mean test accuracy of probe_repeats probes on one feature set; *spread = max - min.
  auto probe = [&](const ClappNet& net, int layer, const char* what, double* spread) {
    const auto t0 = std::chrono::steady_clock::now();
    const MatrixXd f_train = clapp_features(net, train, layer, params);
    const MatrixXd f_test = clapp_features(net, test, layer, params);
    ProbeParams pp;
    pp.epochs = params.probe_epochs;
    pp.batch_size = params.probe_batch_size;
    pp.lr = params.probe_lr;
    pp.lr_decay = params.probe_lr_decay;
    pp.l2 = params.probe_l2;
    const uint64_t base = params.seed + kProbeStream + uint64_t(probe_k++) * 1000003ULL;
    double sum = 0.0, lo = 1.0, hi = 0.0;
    std::string tests;
    for (int rep = 0; rep < params.probe_repeats; ++rep) {
      pp.seed = base + uint64_t(rep) * 7919ULL;
      const ProbeResult res = linear_probe(f_train, train.labels, f_test, test.labels, pp);
      sum += res.test_accuracy;
      lo = std::min(lo, res.test_accuracy);
      hi = std::max(hi, res.test_accuracy);
      std::snprintf(buf, sizeof buf, "%s%.4f (train %.4f)", rep ? ", " : "", res.test_accuracy,
                    res.train_accuracy);
      tests += buf;
    }
    const double mean = sum / params.probe_repeats;
    *spread = hi - lo;
    const double dt = seconds_since(t0);
    probe_s += dt;
    std::snprintf(buf, sizeof buf, "probe %-10s layer %d: test %.4f; ", what, layer + 1, mean);
    say(buf + tests + " (" + std::to_string(int(dt + 0.5)) + " s)");
    return mean;
  };

  // Raw pixels and the random (untrained) network.
  const ClappNet random_net = init_clapp_net(params);
  r.probe_repeats = params.probe_repeats;
  r.clapp_spread = r.random_spread = r.supervised_spread = std::vector<double>(size_t(L), 0.0);
  r.pixels = probe(random_net, -1, "pixels", &r.pixels_spread);
  for (int l = 0; l < L; ++l) r.random.push_back(probe(random_net, l, "random", &r.random_spread[size_t(l)]));

  // CLAPP, label-free.
  auto t0 = std::chrono::steady_clock::now();
  ClappNet net = init_clapp_net(params);
  r.clapp_log = train_clapp(net, train, params, [&](const ClappEpochLog& e) {
    std::string s = "CLAPP epoch " + std::to_string(e.epoch) + ": hinge loss per layer";
    for (double v : e.loss) {
      std::snprintf(buf, sizeof buf, " %.4f", v);
      s += buf;
    }
    std::snprintf(buf, sizeof buf, " (%.1f s)", e.wall_s);
    say(s + buf);
  });
  r.clapp_s = seconds_since(t0);
  for (int l = 0; l < L; ++l) r.clapp.push_back(probe(net, l, "CLAPP", &r.clapp_spread[size_t(l)]));

  // Supervised: the same encoder (same initial weights) + a 10-way readout, backprop.
  t0 = std::chrono::steady_clock::now();
  PatchClassifier sup = init_patch_classifier(params);
  train_patch_classifier(sup, train, params, [&](int epoch, double loss, double acc) {
    std::snprintf(buf, sizeof buf, "supervised epoch %d: train loss %.4f acc %.4f", epoch, loss, acc);
    say(buf);
  });
  r.supervised_readout = patch_classifier_accuracy(sup, test, params);
  r.supervised_s = seconds_since(t0);
  std::snprintf(buf, sizeof buf, "supervised readout: test %.4f (%.1f s)", r.supervised_readout, r.supervised_s);
  say(buf);
  for (int l = 0; l < L; ++l) {
    r.supervised.push_back(probe(sup.encoder, l, "supervised", &r.supervised_spread[size_t(l)]));
  }

  r.probes_s = probe_s;
  r.total_s = seconds_since(t_all);
  return r;
}

}  // namespace eligo::fl
