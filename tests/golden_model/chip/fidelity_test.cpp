// Fidelity of the bit-exact chip model to the float reference at the default formats: the same
// weights (the chip's, read back as doubles, so that only the arithmetic differs) and the same
// input over 200 steps of evidence accumulation.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "golden_model/float/eprop.hpp"
#include "tests/golden_model/chip/chip_test_util.hpp"

namespace eligo::chip {
namespace {

using testing::reduced_setup;

tasks::Batch first_steps(const tasks::Batch& b, int T) {
  tasks::Batch out = b;
  out.T = T;
  out.x = b.x.leftCols(static_cast<Eigen::Index>(T) * b.B);
  out.target = b.target.leftCols(static_cast<Eigen::Index>(T) * b.B);
  return out;
}

double cosine(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a.array() * b.array()).sum() / (a.norm() * b.norm());
}

struct SpikeMatch {
  long float_spikes = 0, chip_spikes = 0, common = 0;
};

SpikeMatch compare_spikes(const Eigen::MatrixXd& z_float, const SampleTrace& trace) {
  SpikeMatch m;
  std::set<std::pair<int, int>> chip;
  for (int t = 0; t < static_cast<int>(trace.spikes.size()); ++t) {
    for (int j : trace.spikes[static_cast<size_t>(t)]) chip.insert({j, t});
  }
  m.chip_spikes = static_cast<long>(chip.size());
  for (int t = 0; t < z_float.cols(); ++t) {
    for (int j = 0; j < z_float.rows(); ++j) {
      if (z_float(j, t) == 0.0) continue;
      ++m.float_spikes;
      m.common += chip.count({j, t}) ? 1 : 0;
    }
  }
  return m;
}

class Fidelity : public ::testing::TestWithParam<uint64_t> {};

TEST_P(Fidelity, SpikesAndEpropGradientMatchTheFloatReference) {
  const int T = 200;
  ChipOptions o;
  o.learn = true;
  o.lr = 0.001;  // unused: no update here
  auto s = reduced_setup(o, 1, GetParam());
  const tasks::Batch batch = first_steps(s.batch, T);
  Core core = make_core(s.image);
  const fl::Weights w = chip_weights(core);  // the chip's weights as doubles

  // Float: spikes and the e-prop gradient (MSE, random feedback B, target over the last 100 steps).
  const int window = 100;
  const fl::Recording rec = fl::record_sequence(s.neurons, w, batch, 0);
  fl::TrainParams tp;
  tp.algo = fl::Algo::EProp;
  tp.loss = fl::LossKind::MSE;
  tp.feedback = fl::Feedback::Random;
  tp.learning_window = window;
  const fl::Gradients g = fl::eprop_gradients(s.neurons, w, tp, batch);

  SampleTrace trace;
  run_sample(core, batch, 0, window, /*update=*/false, &trace);
  const SpikeMatch m = compare_spikes(rec.z, trace);
  ASSERT_GT(m.float_spikes, 100) << "the test network must spike";
  const double found = static_cast<double>(m.common) / static_cast<double>(m.float_spikes);
  const double extra = static_cast<double>(m.chip_spikes - m.common) / static_cast<double>(m.float_spikes);
  RecordProperty("float_spikes", std::to_string(m.float_spikes));
  RecordProperty("found_fraction", std::to_string(found));
  RecordProperty("extra_fraction", std::to_string(extra));
  EXPECT_GE(found, 0.9) << m.common << " of " << m.float_spikes << " float spikes found";
  EXPECT_LE(extra, 0.1) << (m.chip_spikes - m.common) << " chip-only spikes";

  // The chip's accumulated gradient (GRAD memory, G format) in the float's layout.
  const Sizes& sz = core.sizes();
  Eigen::MatrixXd gin(sz.n_rec, sz.n_in), grec(sz.n_rec, sz.n_rec), gout(sz.n_out, sz.n_rec);
  auto G = [&core](int64_t a) { return to_real(spec::G, from_word(spec::G, core.mem(spec::Mem::GRAD).peek(a))); };
  for (int j = 0; j < sz.n_rec; ++j) {
    for (int i = 0; i < sz.n_in; ++i) gin(j, i) = G(static_cast<int64_t>(i) * sz.n_rec + j);
    for (int i = 0; i < sz.n_rec; ++i) grec(j, i) = G(static_cast<int64_t>(sz.n_in + i) * sz.n_rec + j);
    for (int k = 0; k < sz.n_out; ++k) gout(k, j) = G(static_cast<int64_t>(sz.n_pre()) * sz.n_rec + j * sz.n_out + k);
  }
  for (int j = 0; j < sz.n_rec; ++j) grec(j, j) = 0.0;  // autapses do not exist
  Eigen::MatrixXd grec_f = g.w_rec;
  for (int j = 0; j < sz.n_rec; ++j) grec_f(j, j) = 0.0;
  const double c_in = cosine(gin, g.w_in), c_rec = cosine(grec, grec_f), c_out = cosine(gout, g.w_out);
  RecordProperty("cos_in", std::to_string(c_in));
  RecordProperty("cos_rec", std::to_string(c_rec));
  RecordProperty("cos_out", std::to_string(c_out));
  EXPECT_GE(c_in, 0.9);
  EXPECT_GE(c_rec, 0.9);
  EXPECT_GE(c_out, 0.9);
  std::printf("seed %llu: float spikes %ld, found %.4f, extra %.4f, cos in %.6f rec %.6f out %.6f, "
              "|g_in| chip %.4g float %.4g\n",
              static_cast<unsigned long long>(GetParam()), m.float_spikes, found, extra, c_in, c_rec, c_out,
              gin.norm(), g.w_in.norm());
}

INSTANTIATE_TEST_SUITE_P(Seeds, Fidelity, ::testing::Values(1u, 2u, 3u));

}  // namespace
}  // namespace eligo::chip
