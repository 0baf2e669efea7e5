// CLAPP (golden_model/float/clapp.*): the explicit layer-local update against central finite
// differences of the layer's hinge loss, the hinge gate, locality (no learning crosses layers),
// views, pairs, probe sanity and determinism. Small sizes: runs in well under a second.
#include "golden_model/float/clapp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "golden_model/tasks/rng.hpp"

namespace eligo::fl {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

double rel_err(const MatrixXd& a, const MatrixXd& b) {
  const double denom = std::max(a.norm(), b.norm());
  return denom == 0.0 ? 0.0 : (a - b).norm() / denom;
}

MatrixXd random_matrix(Eigen::Index r, Eigen::Index c, double scale, tasks::Rng& rng) {
  MatrixXd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * rng.normal();
  return m;
}

// A small layer with a random W_pred (so that the scores are not all zero) and positive
// biases (most units active), inputs in [0, 1).
ClappLayer random_layer(int n_in, int n_out, double pred_scale, uint64_t seed) {
  tasks::Rng rng(seed);
  ClappLayer l;
  l.w = random_matrix(n_out, n_in, 1.0 / std::sqrt(double(n_in)), rng);
  l.b = VectorXd::Constant(n_out, 0.1) + random_matrix(n_out, 1, 0.05, rng);
  l.w_pred = random_matrix(n_out, n_out, pred_scale, rng);
  return l;
}

MatrixXd random_inputs(int n_in, int cols, uint64_t seed) {
  tasks::Rng rng(seed);
  MatrixXd x(n_in, cols);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform();
  return x;
}

// Central finite differences of clapp_layer_loss with respect to every entry of w, b, w_pred.
// In the active region of every ReLU and every hinge, the loss is a polynomial of degree 2 in
// (w, b) and of degree 1 in w_pred, so central differences are exact up to rounding.
struct FdGrad {
  MatrixXd w, w_pred;
  VectorXd b;
};
FdGrad finite_differences(const ClappLayer& layer, const MatrixXd& x, const std::vector<ClappPair>& pairs,
                          double h) {
  FdGrad g;
  ClappLayer l = layer;
  auto fd = [&](double& p) {
    const double p0 = p;
    p = p0 + h;
    const double lp = clapp_layer_loss(l, x, pairs);
    p = p0 - h;
    const double lm = clapp_layer_loss(l, x, pairs);
    p = p0;
    return (lp - lm) / (2.0 * h);
  };
  g.w.resize(l.w.rows(), l.w.cols());
  for (Eigen::Index i = 0; i < l.w.size(); ++i) g.w.data()[i] = fd(l.w.data()[i]);
  g.b.resize(l.b.size());
  for (Eigen::Index i = 0; i < l.b.size(); ++i) g.b(i) = fd(l.b(i));
  g.w_pred.resize(l.w_pred.rows(), l.w_pred.cols());
  for (Eigen::Index i = 0; i < l.w_pred.size(); ++i) g.w_pred.data()[i] = fd(l.w_pred.data()[i]);
  return g;
}

// Smallest |pre-activation| and smallest |hinge margin| over the batch: the finite differences
// must not cross a kink.
double min_abs_preactivation(const ClappLayer& l, const MatrixXd& x) {
  MatrixXd a = l.w * x;
  a.colwise() += l.b;
  return a.cwiseAbs().minCoeff();
}
double min_abs_margin(const ClappLayer& l, const MatrixXd& x, const std::vector<ClappPair>& pairs) {
  const MatrixXd z = clapp_layer_forward(l, x);
  double m = 1e300;
  for (const ClappPair& p : pairs) m = std::min(m, std::abs(1.0 - p.y * z.col(p.next).dot(l.w_pred * z.col(p.ctx))));
  return m;
}

void expect_update_is_minus_gradient(const ClappLayer& layer, const MatrixXd& x,
                                     const std::vector<ClappPair>& pairs) {
  ASSERT_GT(min_abs_preactivation(layer, x), 1e-3);
  ASSERT_GT(min_abs_margin(layer, x, pairs), 1e-3);
  ClappLayerUpdate u;
  clapp_layer_update(layer, x, pairs, u);
  EXPECT_NEAR(u.loss, clapp_layer_loss(layer, x, pairs), 1e-12);
  const FdGrad g = finite_differences(layer, x, pairs, 1e-5);
  std::printf("relative error vs central differences: dW %.1e, db %.1e, dW_pred %.1e (active %.2f)\n",
              rel_err(u.w, -g.w), rel_err(u.b, -g.b), rel_err(u.w_pred, -g.w_pred), u.active_fraction);
  EXPECT_LT(rel_err(u.w, -g.w), 1e-8) << "dW";
  EXPECT_LT(rel_err(u.b, -g.b), 1e-8) << "db";
  EXPECT_LT(rel_err(u.w_pred, -g.w_pred), 1e-8) << "dW_pred";
  EXPECT_GT(u.w.norm(), 0.0);
  EXPECT_GT(u.w_pred.norm(), 0.0);
}

// One transition with a given label and an active hinge (|u| < 1 for a small W_pred).
TEST(Clapp, UpdateEqualsFiniteDifferenceGradientPositivePair) {
  const ClappLayer l = random_layer(7, 5, 0.1, 11);
  const MatrixXd x = random_inputs(7, 2, 12);
  const std::vector<ClappPair> pairs{{0, 1, +1.0}};
  ClappLayerUpdate u;
  clapp_layer_update(l, x, pairs, u);
  ASSERT_EQ(u.active_fraction, 1.0);
  expect_update_is_minus_gradient(l, x, pairs);
}

TEST(Clapp, UpdateEqualsFiniteDifferenceGradientNegativePair) {
  const ClappLayer l = random_layer(7, 5, 0.1, 21);
  const MatrixXd x = random_inputs(7, 2, 22);
  const std::vector<ClappPair> pairs{{0, 1, -1.0}};
  ClappLayerUpdate u;
  clapp_layer_update(l, x, pairs, u);
  ASSERT_EQ(u.active_fraction, 1.0);
  expect_update_is_minus_gradient(l, x, pairs);
}

// A batch as in training (4 images x 3 views: fixations and saccades, columns used both as
// context and as next view), W_pred large enough that some hinges are inactive; some ReLUs off.
TEST(Clapp, UpdateEqualsFiniteDifferenceGradientBatchWithMixedHinges) {
  ClappLayer l = random_layer(9, 6, 30.0, 31);
  l.b.setConstant(-0.05);
  const MatrixXd x = random_inputs(9, 12, 32);
  const std::vector<ClappPair> pairs = clapp_pairs(4, 3);
  ASSERT_EQ(pairs.size(), 16U);
  ClappLayerUpdate u;
  clapp_layer_update(l, x, pairs, u);
  EXPECT_GT(u.active_fraction, 0.0);
  EXPECT_LT(u.active_fraction, 1.0);
  MatrixXd a = l.w * x;
  a.colwise() += l.b;
  EXPECT_GT((a.array() <= 0.0).count(), 0);  // the ReLU gate matters too
  expect_update_is_minus_gradient(l, x, pairs);
}

// The update written out for one active pair: the paper's rule term by term.
TEST(Clapp, UpdateIsThePapersClosedForm) {
  const ClappLayer l = random_layer(6, 4, 0.2, 41);
  const MatrixXd x = random_inputs(6, 2, 42);
  for (double y : {+1.0, -1.0}) {
    ClappLayerUpdate u;
    clapp_layer_update(l, x, {{0, 1, y}}, u);
    ASSERT_EQ(u.active_fraction, 1.0);
    const VectorXd a_t = l.w * x.col(0) + l.b, a_n = l.w * x.col(1) + l.b;
    const VectorXd c = a_t.cwiseMax(0.0), z = a_n.cwiseMax(0.0);
    const VectorXd fp_t = (a_t.array() > 0).cast<double>(), fp_n = (a_n.array() > 0).cast<double>();
    const MatrixXd dw = y * (l.w_pred * c).cwiseProduct(fp_n) * x.col(1).transpose() +
                        y * (l.w_pred.transpose() * z).cwiseProduct(fp_t) * x.col(0).transpose();
    EXPECT_LT(rel_err(u.w, dw), 1e-14);
    EXPECT_LT(rel_err(u.w_pred, y * z * c.transpose()), 1e-14);
  }
}

// Inactive hinge (y u > 1): loss 0 and a zero update, for both labels.
TEST(Clapp, InactiveHingeGivesZeroUpdate) {
  for (double y : {+1.0, -1.0}) {
    ClappLayer l = random_layer(7, 5, 0.0, 51);
    const MatrixXd x = random_inputs(7, 2, 52);
    const MatrixXd z = clapp_layer_forward(l, x);
    // W_pred = s z_next c^T / (|z_next|^2 |c|^2): u = s; s = 3y makes y u = 3 > 1.
    l.w_pred = 3.0 * y * z.col(1) * z.col(0).transpose() / (z.col(1).squaredNorm() * z.col(0).squaredNorm());
    const std::vector<ClappPair> pairs{{0, 1, y}};
    ClappLayerUpdate u;
    clapp_layer_update(l, x, pairs, u);
    EXPECT_EQ(u.active_fraction, 0.0);
    EXPECT_EQ(u.loss, 0.0);
    EXPECT_EQ(clapp_layer_loss(l, x, pairs), 0.0);
    EXPECT_EQ(u.w.norm(), 0.0);
    EXPECT_EQ(u.b.norm(), 0.0);
    EXPECT_EQ(u.w_pred.norm(), 0.0);
    // The finite-difference gradient is zero there too.
    const FdGrad g = finite_differences(l, x, pairs, 1e-5);
    EXPECT_EQ(g.w.norm(), 0.0);
    EXPECT_EQ(g.w_pred.norm(), 0.0);
  }
}

ClappParams small_params() {
  ClappParams p;
  p.hidden = {12, 10, 8};
  p.patch = 10;
  p.max_shift = 1;
  p.views_per_image = 3;
  p.batch_size = 4;
  p.epochs = 2;
  p.lr = 1e-3;
  return p;
}

// 40 random "images" with labels (for the probe and training tests).
ImageData random_images(int n, uint64_t seed) {
  tasks::Rng rng(seed);
  ImageData d;
  d.x.resize(kClappDim, n);
  for (Eigen::Index i = 0; i < d.x.size(); ++i) d.x.data()[i] = uint8_t(rng.uniform_int(0, 255));
  for (int i = 0; i < n; ++i) d.labels.push_back(rng.uniform_int(0, 9));
  return d;
}

// Updating layer 2 changes only layer 2; layer 1 (and 3) stay bit-identical.
TEST(Clapp, UpdatingOneLayerLeavesTheOthersUnchanged) {
  const ClappParams p = small_params();
  ClappNet net = init_clapp_net(p.patch * p.patch, p.hidden, 3);
  for (auto& l : net.layers) l.w_pred.setConstant(0.01);  // non-zero retrograde term
  const ClappNet before = net;
  const ImageData data = random_images(8, 4);
  tasks::Rng rng(5);
  const MatrixXd x = clapp_views(data, {0, 1, 2, 3}, p, rng);
  ClappTrainer trainer(net, p);
  trainer.step(x, clapp_pairs(4, p.views_per_image), /*only_layer=*/1);
  EXPECT_EQ(net.layers[0].w, before.layers[0].w);
  EXPECT_EQ(net.layers[0].b, before.layers[0].b);
  EXPECT_EQ(net.layers[0].w_pred, before.layers[0].w_pred);
  EXPECT_EQ(net.layers[2].w, before.layers[2].w);
  EXPECT_EQ(net.layers[2].w_pred, before.layers[2].w_pred);
  EXPECT_NE(net.layers[1].w, before.layers[1].w);
  EXPECT_NE(net.layers[1].w_pred, before.layers[1].w_pred);
  EXPECT_EQ(trainer.steps(0), 0);
  EXPECT_EQ(trainer.steps(1), 1);
}

// No learning signal crosses layers: layers 1..k of a deeper network trained by CLAPP are
// bit-identical to a network of only k layers trained on the same data with the same seed.
TEST(Clapp, LowerLayersDoNotDependOnUpperLayers) {
  ClappParams p = small_params();
  const ImageData data = random_images(40, 6);
  ClappNet deep = init_clapp_net(p.patch * p.patch, p.hidden, p.seed);
  train_clapp(deep, data, p);
  for (size_t k = 1; k < p.hidden.size(); ++k) {
    ClappParams q = p;
    q.hidden.resize(k);
    ClappNet shallow = init_clapp_net(q.patch * q.patch, q.hidden, q.seed);
    train_clapp(shallow, data, q);
    for (size_t l = 0; l < k; ++l) {
      EXPECT_EQ(shallow.layers[l].w, deep.layers[l].w) << "layer " << l << " of " << k;
      EXPECT_EQ(shallow.layers[l].b, deep.layers[l].b);
      EXPECT_EQ(shallow.layers[l].w_pred, deep.layers[l].w_pred);
    }
  }
  // And training did change every layer.
  const ClappNet init = init_clapp_net(p.patch * p.patch, p.hidden, p.seed);
  for (size_t l = 0; l < p.hidden.size(); ++l) EXPECT_NE(deep.layers[l].w, init.layers[l].w);
}

TEST(Clapp, SameSeedSameWeights) {
  const ClappParams p = small_params();
  const ImageData data = random_images(40, 7);
  ClappNet a = init_clapp_net(p.patch * p.patch, p.hidden, p.seed);
  ClappNet b = init_clapp_net(p.patch * p.patch, p.hidden, p.seed);
  const auto la = train_clapp(a, data, p);
  const auto lb = train_clapp(b, data, p);
  for (size_t l = 0; l < p.hidden.size(); ++l) {
    EXPECT_EQ(a.layers[l].w, b.layers[l].w);
    EXPECT_EQ(a.layers[l].b, b.layers[l].b);
    EXPECT_EQ(a.layers[l].w_pred, b.layers[l].w_pred);
  }
  ASSERT_EQ(la.size(), lb.size());
  for (size_t e = 0; e < la.size(); ++e) EXPECT_EQ(la[e].loss, lb[e].loss);
  ClappParams q = p;
  q.seed = p.seed + 1;
  ClappNet c = init_clapp_net(q.patch * q.patch, q.hidden, q.seed);
  train_clapp(c, data, q);
  EXPECT_NE(a.layers[0].w, c.layers[0].w);
}

TEST(Clapp, ViewsAndPairs) {
  // A 28x28 image with pixel (r, c) = r + c; whole-image views shift it, flips mirror it.
  ImageData d;
  d.x.resize(kClappDim, 2);
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      d.x(r * 28 + c, 0) = uint8_t(r + c);
      d.x(r * 28 + c, 1) = uint8_t(100);
    }
  d.labels = {0, 1};
  std::vector<double> out(kClappDim);
  clapp_view(d.x.col(0).data(), 28, -1, 2, false, out.data());  // shifted down 1, left 2
  EXPECT_EQ(out[0], 0.0);                                      // row -1 is outside
  EXPECT_DOUBLE_EQ(out[1 * 28 + 0], (0 + 2) / 255.0);
  EXPECT_EQ(out[5 * 28 + 27], 0.0);                            // column 29 is outside
  clapp_view(d.x.col(0).data(), 28, 0, 0, true, out.data());
  EXPECT_DOUBLE_EQ(out[3 * 28 + 0], (3 + 27) / 255.0);
  std::vector<double> patch(16);
  clapp_view(d.x.col(0).data(), 4, 10, 20, false, patch.data());
  EXPECT_DOUBLE_EQ(patch[1 * 4 + 2], (11 + 22) / 255.0);

  ClappParams p;
  p.patch = 14;
  p.max_shift = 0;
  p.views_per_image = 3;
  tasks::Rng rng(1);
  const MatrixXd v = clapp_views(d, {1, 0}, p, rng);
  ASSERT_EQ(v.rows(), 14 * 14);
  ASSERT_EQ(v.cols(), 6);
  EXPECT_TRUE((v.leftCols(3).array() == 100.0 / 255.0).all());  // image 1 first

  const std::vector<ClappPair> pairs = clapp_pairs(3, 2);
  ASSERT_EQ(pairs.size(), 6U);
  int pos = 0;
  for (const ClappPair& q : pairs) {
    const bool same = q.ctx / 2 == q.next / 2;
    EXPECT_EQ(q.y > 0, same);
    EXPECT_EQ(q.next % 2, 1);
    pos += q.y > 0;
  }
  EXPECT_EQ(pos, 3);
  EXPECT_EQ(clapp_grid(p), (std::vector<int>{0, 7, 14}));
}

// The probe separates linearly separable classes and is deterministic.
TEST(Clapp, LinearProbeLearnsSeparableData) {
  tasks::Rng rng(9);
  const int n = 300;
  MatrixXd f(5, n), ft(5, n);
  std::vector<int> y(n), yt(n);
  for (int i = 0; i < n; ++i) {
    y[size_t(i)] = i % 10;
    yt[size_t(i)] = (i * 7) % 10;
    for (int k = 0; k < 5; ++k) {
      f(k, i) = (k == y[size_t(i)] % 5 ? 3.0 : 0.0) + (y[size_t(i)] >= 5 ? 1.5 * k : 0.0) + 0.1 * rng.normal();
      ft(k, i) = (k == yt[size_t(i)] % 5 ? 3.0 : 0.0) + (yt[size_t(i)] >= 5 ? 1.5 * k : 0.0) + 0.1 * rng.normal();
    }
  }
  ProbeParams pp;
  pp.epochs = 30;
  pp.batch_size = 20;
  pp.lr = 1e-2;
  const ProbeResult a = linear_probe(f, y, ft, yt, pp);
  const ProbeResult b = linear_probe(f, y, ft, yt, pp);
  EXPECT_GT(a.train_accuracy, 0.95);
  EXPECT_GT(a.test_accuracy, 0.95);
  EXPECT_EQ(a.test_accuracy, b.test_accuracy);
  EXPECT_EQ(a.train_accuracy, b.train_accuracy);
}

// The supervised baseline's backprop (shared encoder over the grid) against central differences
// of its cross-entropy, for concatenated and averaged grid features, with the flat encoder
// (kernel 1: every layer on the same patch) and the hierarchical one (kernel 2: each layer on a
// 2 x 2 block of the layer below).
TEST(Clapp, SupervisedPatchClassifierGradient) {
  for (int kernel : {1, 2}) {
    for (bool concat : {true, false}) {
      ClappParams p;
      p.hidden = {6, 5};
      p.patch = 10;
      p.grid = kernel == 1 ? 2 : 3;
      p.kernel = kernel;
      p.concat_features = concat;
      PatchClassifier net = init_patch_classifier(p);
      for (auto& l : net.encoder.layers) l.b.setConstant(0.05);
      const ImageData data = random_images(6, 8);
      const std::vector<int> idx{0, 1, 2, 3, 4, 5};
      const MatrixXd patches = clapp_patches(data, idx, p);
      ASSERT_EQ(patches.cols(), 6 * p.grid * p.grid);
      PatchClassifier g;
      patch_classifier_gradients(net, patches, data.labels, p, g);
      const double h = 1e-6;
      PatchClassifier dummy;
      auto fd = [&](double& x) {
        const double x0 = x;
        x = x0 + h;
        const double lp = patch_classifier_gradients(net, patches, data.labels, p, dummy);
        x = x0 - h;
        const double lm = patch_classifier_gradients(net, patches, data.labels, p, dummy);
        x = x0;
        return (lp - lm) / (2.0 * h);
      };
      const std::string what = " kernel " + std::to_string(kernel) + " concat " + std::to_string(concat);
      for (size_t l = 0; l < net.encoder.layers.size(); ++l) {
        MatrixXd fw(net.encoder.layers[l].w.rows(), net.encoder.layers[l].w.cols());
        for (Eigen::Index i = 0; i < fw.size(); ++i) fw.data()[i] = fd(net.encoder.layers[l].w.data()[i]);
        VectorXd fb(net.encoder.layers[l].b.size());
        for (Eigen::Index i = 0; i < fb.size(); ++i) fb(i) = fd(net.encoder.layers[l].b(i));
        EXPECT_LT(rel_err(g.encoder.layers[l].w, fw), 1e-6) << "layer " << l << what;
        EXPECT_LT(rel_err(g.encoder.layers[l].b, fb), 1e-6) << "layer " << l << what;
      }
      MatrixXd fo(net.w_out.rows(), net.w_out.cols());
      for (Eigen::Index i = 0; i < fo.size(); ++i) fo.data()[i] = fd(net.w_out.data()[i]);
      VectorXd fbo(10);
      for (Eigen::Index i = 0; i < 10; ++i) fbo(i) = fd(net.b_out(i));
      EXPECT_LT(rel_err(g.w_out, fo), 1e-6) << what;
      EXPECT_LT(rel_err(g.b_out, fbo), 1e-6) << what;
    }
  }
}

// The hierarchical encoder (kernel > 1): gather picks the right block of positions, scatter_add
// is its adjoint, the grid pairs pair (i, j) with (i + 1, j), the grids shrink by kernel - 1.
TEST(Clapp, HierarchicalGatherScatterAndGridPairs) {
  const int n_images = 2, g_in = 3, kernel = 2, n = 2;
  MatrixXd map(n, n_images * g_in * g_in);
  for (Eigen::Index c = 0; c < map.cols(); ++c) map.col(c) << double(c), -double(c);
  const MatrixXd cols = clapp_gather(map, n_images, g_in, kernel);
  ASSERT_EQ(cols.rows(), 8);
  ASSERT_EQ(cols.cols(), n_images * 4);
  // image 1, output position (1, 0): block (di, dj) = map position (1 + di, dj) of image 1.
  const Eigen::Index col = (1 * 2 + 1) * 2 + 0;
  EXPECT_EQ(cols(0, col), 9 + 1 * 3 + 0);
  EXPECT_EQ(cols(2, col), 9 + 1 * 3 + 1);
  EXPECT_EQ(cols(4, col), 9 + 2 * 3 + 0);
  EXPECT_EQ(cols(6, col), 9 + 2 * 3 + 1);
  EXPECT_EQ(cols(7, col), -(9 + 2 * 3 + 1));
  // <gather(m), c> = <m, scatter(c)> for random m, c.
  tasks::Rng rng(3);
  const MatrixXd m = random_matrix(n, map.cols(), 1.0, rng);
  const MatrixXd c = random_matrix(cols.rows(), cols.cols(), 1.0, rng);
  MatrixXd back = MatrixXd::Zero(n, map.cols());
  clapp_scatter_add(c, n_images, g_in, kernel, back);
  EXPECT_NEAR((clapp_gather(m, n_images, g_in, kernel).array() * c.array()).sum(), (m.array() * back.array()).sum(),
              1e-12);

  const std::vector<ClappPair> pairs = clapp_grid_pairs(3, 2);
  ASSERT_EQ(pairs.size(), 3U * 2 * 2);
  for (const ClappPair& q : pairs) {
    EXPECT_EQ(q.ctx % 4 / 2, 0);   // context in row 0
    EXPECT_EQ(q.next % 4 / 2, 1);  // next in row 1
    EXPECT_EQ(q.ctx % 2, q.next % 2);  // same column
    EXPECT_EQ(q.y > 0, q.ctx / 4 == q.next / 4);
  }
  // offset 2 on a 4x4 grid: rows 0 and 1 predict rows 2 and 3, fixation then saccade.
  const std::vector<ClappPair> far = clapp_grid_pairs(3, 4, 2);
  ASSERT_EQ(far.size(), 3U * 2 * 4 * 2);
  for (const ClappPair& q : far) {
    EXPECT_LT(q.ctx % 16 / 4, 2);
    EXPECT_EQ(q.next % 16 / 4, q.ctx % 16 / 4 + 2);
    EXPECT_EQ(q.ctx % 4, q.next % 4);
    EXPECT_EQ(q.y > 0, q.ctx / 16 == q.next / 16);
  }
  EXPECT_EQ(far[2].ctx, 1);  // context (image 0, row 0, column 1)
  EXPECT_EQ(far[3].next, 16 + 2 * 4 + 1);  // its saccade: image 1, row 2, column 1
  EXPECT_TRUE(clapp_grid_pairs(3, 2, 2).empty());
  EXPECT_THROW(clapp_grid_pairs(3, 4, 0), std::invalid_argument);

  ClappParams p;
  p.patch = 7;
  p.grid = 4;
  p.kernel = 2;
  p.hidden = {8, 16, 32};
  EXPECT_EQ(clapp_layer_grids(p), (std::vector<int>{4, 3, 2}));
  EXPECT_EQ(clapp_layer_inputs(p), (std::vector<int>{49, 32, 64}));
  const ClappNet net = init_clapp_net(p);
  ASSERT_EQ(net.n_layers(), 3);
  EXPECT_EQ(net.layers[2].w.cols(), 64);
  EXPECT_EQ(net.layers[2].w_pred.rows(), 32);
  // Features: concatenated over the layer's grid.
  const ImageData data = random_images(3, 2);
  EXPECT_EQ(clapp_features(net, data, 0, p).rows(), 8 * 16);
  EXPECT_EQ(clapp_features(net, data, 2, p).rows(), 32 * 4);
  EXPECT_EQ(clapp_layer_offsets(p), (std::vector<int>{1, 1, 1}));
  p.offsets = {1, 2, 1};  // grids 4, 3, 2: layer l's offset must be < its grid side
  EXPECT_NO_THROW(validate_clapp_params(p));
  EXPECT_EQ(clapp_layer_offsets(p), p.offsets);
  p.offsets = {1, 2, 2};
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  p.offsets = {1, 2};
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  p.offsets = {0, 1, 1};
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  p.offsets.clear();
  p.hidden = {8, 8, 8, 8};  // grid 4 -> 1 at layer 4: no transitions
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  ClappParams flat;
  flat.offsets = {1, 1, 1};  // the flat encoder has no grid to predict along
  EXPECT_THROW(validate_clapp_params(flat), std::invalid_argument);
}

// Hierarchical training: lower layers do not depend on upper ones, every layer learns.
TEST(Clapp, HierarchicalLowerLayersDoNotDependOnUpperLayers) {
  ClappParams p;
  p.patch = 7;
  p.grid = 4;
  p.kernel = 2;
  p.hidden = {8, 8, 8};
  p.epochs = 2;
  p.batch_size = 8;
  const ImageData data = random_images(24, 6);
  ClappNet deep = init_clapp_net(p);
  const ClappNet init = deep;
  train_clapp(deep, data, p);
  ClappParams q = p;
  q.hidden.resize(2);
  ClappNet shallow = init_clapp_net(q);
  train_clapp(shallow, data, q);
  for (size_t l = 0; l < 2; ++l) {
    EXPECT_EQ(shallow.layers[l].w, deep.layers[l].w) << "layer " << l;
    EXPECT_EQ(shallow.layers[l].w_pred, deep.layers[l].w_pred) << "layer " << l;
  }
  for (size_t l = 0; l < 3; ++l) EXPECT_NE(deep.layers[l].w, init.layers[l].w) << "layer " << l;
}

TEST(Clapp, ParameterValidation) {
  ClappParams p;
  EXPECT_NO_THROW(validate_clapp_params(p));
  p.hidden.clear();
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  p = ClappParams{};
  p.views_per_image = 1;
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  p = ClappParams{};
  p.patch = 29;
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  p = ClappParams{};
  p.patch = 28;  // whole image: grid must be 1
  EXPECT_THROW(validate_clapp_params(p), std::invalid_argument);
  p.grid = 1;
  EXPECT_NO_THROW(validate_clapp_params(p));
  EXPECT_THROW(init_clapp_net(10, {}, 1), std::invalid_argument);
  EXPECT_THROW(init_clapp_net(10, {3, 0}, 1), std::invalid_argument);
}

}  // namespace
}  // namespace eligo::fl
