#include "golden_model/float/mlp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "golden_model/tasks/rng.hpp"

namespace eligo::fl {

using Eigen::MatrixXd;
using Eigen::VectorXd;

Mlp init_mlp(const std::vector<int>& sizes, uint64_t seed) {
  if (sizes.size() < 2) throw std::invalid_argument("init_mlp: need at least two layer sizes");
  for (int s : sizes) {
    if (s < 1) throw std::invalid_argument("init_mlp: layer sizes must be >= 1, got " + std::to_string(s));
  }
  tasks::Rng rng(seed);
  Mlp net;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    const double scale = std::sqrt(2.0 / sizes[l]);
    MatrixXd w(sizes[l + 1], sizes[l]);
    for (Eigen::Index j = 0; j < w.size(); ++j) w.data()[j] = scale * rng.normal();
    net.w.push_back(std::move(w));
    net.b.push_back(VectorXd::Zero(sizes[l + 1]));
  }
  return net;
}

ImageData make_image_data(const std::vector<uint8_t>& pixels, const std::vector<uint8_t>& labels,
                          int dim, int n) {
  if (dim < 1 || pixels.size() != labels.size() * size_t(dim)) {
    throw std::invalid_argument("make_image_data: " + std::to_string(pixels.size()) +
                                " pixels for " + std::to_string(labels.size()) + " labels of dim " +
                                std::to_string(dim));
  }
  const int total = static_cast<int>(labels.size());
  if (n <= 0 || n > total) n = total;
  ImageData d;
  d.x.resize(dim, n);
  std::memcpy(d.x.data(), pixels.data(), size_t(n) * size_t(dim));
  d.labels.resize(size_t(n));
  for (size_t i = 0; i < size_t(n); ++i) d.labels[i] = labels[i];
  return d;
}

MatrixXd batch_inputs(const ImageData& data, const std::vector<int>& idx) {
  MatrixXd x(data.x.rows(), Eigen::Index(idx.size()));
  for (size_t k = 0; k < idx.size(); ++k) {
    x.col(Eigen::Index(k)) = data.x.col(idx[k]).cast<double>() * (1.0 / 255.0);
  }
  return x;
}

namespace {

// Forward pass into ws.h / ws.a; returns logits in ws.a.back().
void forward(const Mlp& net, const MatrixXd& x, MlpWorkspace& ws) {
  const int L = net.n_layers();
  ws.h.resize(L);
  ws.a.resize(L);
  ws.h[0] = x;
  for (int l = 0; l < L; ++l) {
    ws.a[l].noalias() = net.w[l] * ws.h[l];
    ws.a[l].colwise() += net.b[l];
    if (l + 1 < L) ws.h[l + 1] = ws.a[l].cwiseMax(0.0);
  }
}

// Softmax cross-entropy of the logits; p receives softmax probabilities. Returns (loss sum,
// correct count).
std::pair<double, int> softmax_ce(const MatrixXd& logits, const std::vector<int>& labels,
                                  MatrixXd& p) {
  p.resize(logits.rows(), logits.cols());
  double loss = 0.0;
  int correct = 0;
  for (Eigen::Index b = 0; b < logits.cols(); ++b) {
    Eigen::Index arg = 0;
    const double mx = logits.col(b).maxCoeff(&arg);
    p.col(b) = (logits.col(b).array() - mx).exp().matrix();
    const double sum = p.col(b).sum();
    p.col(b) /= sum;
    const int y = labels[size_t(b)];
    loss += std::log(sum) - (logits(y, b) - mx);
    correct += arg == y;
  }
  return {loss, correct};
}

}  // namespace

void mlp_gradients(const Mlp& net, const MatrixXd& x, const std::vector<int>& labels,
                   MlpGradients& g, MlpWorkspace& ws) {
  const int L = net.n_layers();
  const Eigen::Index B = x.cols();
  if (Eigen::Index(labels.size()) != B || x.rows() != net.w[0].cols()) {
    throw std::invalid_argument("mlp_gradients: batch shape does not match the network");
  }
  forward(net, x, ws);
  const auto [loss, correct] = softmax_ce(ws.a[L - 1], labels, ws.d);
  for (Eigen::Index b = 0; b < B; ++b) ws.d(labels[size_t(b)], b) -= 1.0;
  ws.d /= double(B);
  g.w.resize(L);
  g.b.resize(L);
  for (int l = L - 1; l >= 0; --l) {
    g.w[l].noalias() = ws.d * ws.h[l].transpose();
    g.b[l] = ws.d.rowwise().sum();
    if (l > 0) {
      ws.d_prev.noalias() = net.w[l].transpose() * ws.d;
      ws.d_prev = (ws.a[l - 1].array() > 0.0).select(ws.d_prev, 0.0);
      ws.d.swap(ws.d_prev);
    }
  }
  g.loss = loss / double(B);
  g.accuracy = double(correct) / double(B);
}

MlpScore mlp_evaluate(const Mlp& net, const ImageData& data, int chunk) {
  MlpWorkspace ws;
  MatrixXd p;
  double loss = 0.0;
  long correct = 0;
  std::vector<int> idx, labels;
  for (int s = 0; s < data.n(); s += chunk) {
    const int e = std::min(data.n(), s + chunk);
    idx.clear();
    labels.clear();
    for (int i = s; i < e; ++i) {
      idx.push_back(i);
      labels.push_back(data.labels[size_t(i)]);
    }
    forward(net, batch_inputs(data, idx), ws);
    const auto [l, c] = softmax_ce(ws.a.back(), labels, p);
    loss += l;
    correct += c;
  }
  const double n = std::max(1, data.n());
  return {loss / n, double(correct) / n};
}

namespace {

// Dense SGD/Adam (adam.hpp) on a list of parameter blocks, one global bias correction.
class DenseOpt {
 public:
  explicit DenseOpt(const OptimizerParams& o) : o_(o) {}
  void add(double* x, Eigen::Index n) {
    blocks_.push_back({x, n, VectorXd::Zero(n), VectorXd::Zero(n)});
  }
  void set_lr(double lr) { o_.lr = lr; }
  void begin_step() { lr_t_ = o_.kind == OptimizerKind::Adam ? bias_.next(o_) : o_.lr; }
  void update(size_t k, const double* grad) {
    Block& bl = blocks_[k];
    Eigen::Map<VectorXd> x(bl.x, bl.n);
    Eigen::Map<const VectorXd> g(grad, bl.n);
    if (o_.kind == OptimizerKind::SGD) {
      x -= o_.lr * g;
    } else {
      adam_step(x, g, bl.m, bl.v, o_, lr_t_);
    }
  }

 private:
  struct Block {
    double* x;
    Eigen::Index n;
    VectorXd m, v;
  };
  OptimizerParams o_;
  std::vector<Block> blocks_;
  AdamBiasCorrection bias_;
  double lr_t_ = 0.0;
};

}  // namespace

std::vector<MlpEpochLog> train_mlp(Mlp& net, const ImageData& train, const MlpTrainParams& tp,
                                   const DeepRParams* deepr, const ImageData* test,
                                   const std::function<void(const MlpEpochLog&)>& progress) {
  const int L = net.n_layers();
  if (L < 1 || train.n() < 1 || tp.batch_size < 1 || tp.epochs < 0) {
    throw std::invalid_argument("train_mlp: empty network or data, or bad batch_size/epochs");
  }
  if (train.x.rows() != net.w[0].cols()) {
    throw std::invalid_argument("train_mlp: data dimension " + std::to_string(train.x.rows()) +
                                " != network input " + std::to_string(net.w[0].cols()));
  }
  // Parameter blocks: biases always dense; weights dense unless DEEP R manages them.
  DenseOpt dense(tp.optimizer);
  std::unique_ptr<DeepR> dr;
  if (deepr) {
    std::vector<DeepRMatrix> mats;
    for (int l = 0; l < L; ++l) mats.push_back({"w" + std::to_string(l), &net.w[l], {}});
    dr = std::make_unique<DeepR>(std::move(mats), *deepr, tp.optimizer);
  } else {
    for (int l = 0; l < L; ++l) dense.add(net.w[l].data(), net.w[l].size());
  }
  for (int l = 0; l < L; ++l) dense.add(net.b[l].data(), net.b[l].size());

  tasks::Rng rng(tp.seed);
  std::vector<int> order(size_t(train.n()));
  for (int i = 0; i < train.n(); ++i) order[size_t(i)] = i;
  MlpGradients g;
  MlpWorkspace ws;
  std::vector<int> idx, labels;
  std::vector<const MatrixXd*> wgrads(size_t(L), nullptr);
  std::vector<MlpEpochLog> log;
  double lr = tp.optimizer.lr;
  for (int epoch = 0; epoch < tp.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = train.n() - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.uniform_int(0, i))]);
    MlpEpochLog entry;
    entry.epoch = epoch;
    int batches = 0;
    for (int s = 0; s < train.n(); s += tp.batch_size) {
      const int e = std::min(train.n(), s + tp.batch_size);
      idx.assign(order.begin() + s, order.begin() + e);
      labels.clear();
      for (int i : idx) labels.push_back(train.labels[size_t(i)]);
      mlp_gradients(net, batch_inputs(train, idx), labels, g, ws);
      dense.begin_step();
      size_t k = 0;
      if (dr) {
        for (int l = 0; l < L; ++l) wgrads[size_t(l)] = &g.w[size_t(l)];
        dr->apply(wgrads);
        entry.rewired += dr->rewired_last();
      } else {
        for (int l = 0; l < L; ++l) dense.update(k++, g.w[size_t(l)].data());
      }
      for (int l = 0; l < L; ++l) dense.update(k++, g.b[size_t(l)].data());
      entry.train_loss += g.loss;
      entry.train_accuracy += g.accuracy;
      ++batches;
    }
    entry.train_loss /= batches;
    entry.train_accuracy /= batches;
    for (int l = 0; l < L; ++l) {
      entry.active.push_back(dr ? dr->n_active(l) : long(net.w[size_t(l)].size()));
    }
    if (test) {
      const MlpScore sc = mlp_evaluate(net, *test);
      entry.test_loss = sc.loss;
      entry.test_accuracy = sc.accuracy;
    }
    lr *= tp.lr_decay;
    dense.set_lr(lr);
    if (dr) dr->set_lr(lr);
    entry.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    log.push_back(entry);
    if (progress) progress(entry);
  }
  return log;
}

}  // namespace eligo::fl
