// Tests of the evidence accumulation task generator.
#include "golden_model/tasks/evidence_accumulation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace eligo::tasks {
namespace {

// Binomial 4-sigma check of `count` successes out of `n` trials with probability `prob`.
void expect_binomial(double count, double n, double prob, const std::string& what) {
  const double mean = n * prob;
  const double sigma = std::sqrt(n * prob * (1.0 - prob));
  EXPECT_LE(std::abs(count - mean), 4.0 * sigma) << what << ": " << count << ", expected " << mean;
}

// Short sequences (T = 7*6 + 5 + 3 = 50) with deterministic cues (probability 1 per step).
EvidenceAccumulationParams short_deterministic_params() {
  EvidenceAccumulationParams p;
  p.n_in = 8;
  p.t_cue = 4;
  p.t_cue_spacing = 6;
  p.t_delay = 5;
  p.t_recall = 3;
  p.f_cue_hz = 1000.0;
  return p;
}

// Spikes of input rows [row0, row0+rows) of sequence b during steps [t0, t1).
double spikes(const Batch& batch, int row0, int rows, int b, int t0, int t1) {
  double total = 0.0;
  for (int t = t0; t < t1; ++t) total += batch.x_at(t).col(b).segment(row0, rows).sum();
  return total;
}

int cue_side_at(const EvidenceAccumulationParams& p, const std::vector<int>& cues, int t) {
  const int k = t / p.t_cue_spacing;
  if (k >= p.n_cues || t % p.t_cue_spacing >= p.t_cue) return -1;
  return cues[k];
}

void expect_throws_naming(const std::function<void(EvidenceAccumulationParams&)>& modify,
                          const std::string& name, int batch_size = 2) {
  EvidenceAccumulationParams p = short_deterministic_params();
  modify(p);
  try {
    make_evidence_accumulation(p, batch_size, 1);
    ADD_FAILURE() << "no exception for bad " << name;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("evidence_accumulation: " + name), std::string::npos) << e.what();
  }
}

// Mean and variance of k/n for k ~ Binomial(n, p) conditioned on k > n/2.
std::pair<double, double> majority_fraction_moments(int n, double p) {
  double norm = 0.0, m1 = 0.0, m2 = 0.0;
  for (int k = n / 2 + 1; k <= n; ++k) {
    const double w = std::tgamma(n + 1.0) / (std::tgamma(k + 1.0) * std::tgamma(n - k + 1.0)) *
                     std::pow(p, k) * std::pow(1.0 - p, n - k);
    const double f = static_cast<double>(k) / n;
    norm += w;
    m1 += w * f;
    m2 += w * f * f;
  }
  return {m1 / norm, m2 / norm - (m1 / norm) * (m1 / norm)};
}

TEST(EvidenceAccumulationTest, DefaultTimingIsTheTutorials) {
  const EvidenceAccumulationParams p;
  EXPECT_EQ(evidence_accumulation_T(p), 2250);
  EXPECT_EQ(evidence_accumulation_window(p), 150);
  EXPECT_EQ(evidence_accumulation_T(short_deterministic_params()), 50);
}

TEST(EvidenceAccumulationTest, ShapesLayoutAndOneHotTargets) {
  const EvidenceAccumulationParams p;
  const int B = 3;
  const Batch batch = make_evidence_accumulation(p, B, 8);
  EXPECT_EQ(batch.T, 2250);
  EXPECT_EQ(batch.B, B);
  EXPECT_EQ(batch.n_in(), 40);
  EXPECT_EQ(batch.n_out(), 2);
  EXPECT_EQ(batch.x.cols(), 2250 * B);
  EXPECT_EQ(batch.target.cols(), 2250 * B);
  ASSERT_EQ(batch.labels.size(), static_cast<size_t>(B));
  EXPECT_TRUE((batch.x.array() == 0.0 || batch.x.array() == 1.0).all());
  for (int t = 0; t < batch.T; ++t) {
    for (int b = 0; b < B; ++b) {
      const int label = batch.labels[b];
      ASSERT_TRUE(label == 0 || label == 1);
      ASSERT_EQ(batch.target(label, t * B + b), 1.0) << "t=" << t << " b=" << b;
      ASSERT_EQ(batch.target(1 - label, t * B + b), 0.0) << "t=" << t << " b=" << b;
    }
  }
}

TEST(EvidenceAccumulationTest, SameSeedIsBitIdentical) {
  const EvidenceAccumulationParams p;
  EvidenceAccumulationTrials ta;
  EvidenceAccumulationTrials tb;
  const Batch a = make_evidence_accumulation(p, 4, 31337, &ta);
  const Batch b = make_evidence_accumulation(p, 4, 31337, &tb);
  EXPECT_TRUE(a.x == b.x);
  EXPECT_TRUE(a.target == b.target);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(ta.cues, tb.cues);
}

TEST(EvidenceAccumulationTest, StreamIsPinned) {
  // Golden values (integer/exact arithmetic only, so identical on every platform): a change of
  // the random stream invalidates stored reference runs and must be deliberate.
  EvidenceAccumulationTrials trials;
  const Batch batch = make_evidence_accumulation(EvidenceAccumulationParams{}, 8, 1, &trials);
  EXPECT_EQ(batch.labels, (std::vector<int>{1, 1, 0, 1, 1, 1, 1, 0}));
  EXPECT_EQ(trials.cues[0], (std::vector<int>{1, 1, 0, 0, 1, 0, 1}));
  EXPECT_EQ(batch.x.sum(), 4503.0);
}

TEST(EvidenceAccumulationTest, DifferentSeedsDiffer) {
  const EvidenceAccumulationParams p;
  EvidenceAccumulationTrials ta;
  EvidenceAccumulationTrials tb;
  const Batch a = make_evidence_accumulation(p, 16, 1, &ta);
  const Batch b = make_evidence_accumulation(p, 16, 2, &tb);
  EXPECT_FALSE(a.x == b.x);
  EXPECT_NE(ta.cues, tb.cues);
}

TEST(EvidenceAccumulationTest, GroupRatesMatchAndCueGroupsAreSilentOutsideTheirCues) {
  const EvidenceAccumulationParams p;  // 40 inputs, groups of 10, 40 Hz cues, 10 Hz background
  const int B = 64;
  const int q = p.n_in / 4;
  EvidenceAccumulationTrials trials;
  const Batch batch = make_evidence_accumulation(p, B, 4242, &trials);
  const int T = batch.T;
  double on[3] = {0, 0, 0}, on_steps[3] = {0, 0, 0}, off[3] = {0, 0, 0};  // left, right, recall
  double background = 0.0;
  for (int b = 0; b < B; ++b) {
    for (int t = 0; t < T; ++t) {
      const int side = cue_side_at(p, trials.cues[b], t);
      const bool active[3] = {side == 0, side == 1, t >= T - p.t_recall};
      for (int g = 0; g < 3; ++g) {
        const double s = spikes(batch, g * q, q, b, t, t + 1);
        (active[g] ? on[g] : off[g]) += s;
        on_steps[g] += active[g] ? 1.0 : 0.0;
      }
      background += spikes(batch, 3 * q, q, b, t, t + 1);
    }
  }
  const char* names[3] = {"left cue group", "right cue group", "recall group"};
  for (int g = 0; g < 3; ++g) {
    EXPECT_GT(on_steps[g], 0.0) << names[g];
    expect_binomial(on[g], q * on_steps[g], p.f_cue_hz / 1000.0, names[g]);
    EXPECT_EQ(off[g], 0.0) << names[g] << " fired outside its active window";
  }
  expect_binomial(background, static_cast<double>(q) * T * B, p.f_background_hz / 1000.0, "background group");
}

TEST(EvidenceAccumulationTest, LabelIsTheMajorityOfTheCuesCountedFromTheRaster) {
  EvidenceAccumulationParams p = short_deterministic_params();
  p.f_background_hz = 20.0;
  const int B = 2000;
  const int q = p.n_in / 4;
  EvidenceAccumulationTrials trials;
  const Batch batch = make_evidence_accumulation(p, B, 555, &trials);
  int right_labels = 0;
  for (int b = 0; b < B; ++b) {
    int right_cues = 0;
    for (int k = 0; k < p.n_cues; ++k) {
      const int t0 = k * p.t_cue_spacing;
      const double left = spikes(batch, 0, q, b, t0, t0 + p.t_cue);
      const double right = spikes(batch, q, q, b, t0, t0 + p.t_cue);
      ASSERT_EQ(left + right, q * p.t_cue) << "b=" << b << " cue " << k << " not unambiguous";
      ASSERT_TRUE(left == 0.0 || right == 0.0) << "b=" << b << " cue " << k << " on both sides";
      const int side = right > 0.0 ? 1 : 0;
      ASSERT_EQ(side, trials.cues[b][k]);
      right_cues += side;
    }
    const int majority = 2 * right_cues > p.n_cues ? 1 : 0;
    ASSERT_EQ(batch.labels[b], majority) << "b=" << b << " right cues " << right_cues;
    ASSERT_EQ(trials.labels[b], batch.labels[b]);
    ASSERT_EQ(spikes(batch, 2 * q, q, b, batch.T - p.t_recall, batch.T), q * p.t_recall);  // recall cue
    right_labels += batch.labels[b];
  }
  // Balanced labels: Binomial(2000, 0.5) within 4 sigma.
  expect_binomial(right_labels, B, 0.5, "right labels");
}

TEST(EvidenceAccumulationTest, MajoritySideFractionFollowsTheConditionedBinomial) {
  for (double p_majority : {0.7, 0.5, 0.9}) {
    EvidenceAccumulationParams p = short_deterministic_params();
    p.p_majority = p_majority;
    const int B = 2000;
    EvidenceAccumulationTrials trials;
    make_evidence_accumulation(p, B, 99, &trials);
    double on_label_side = 0.0;
    for (int b = 0; b < B; ++b) {
      for (int side : trials.cues[b]) on_label_side += side == trials.labels[b] ? 1.0 : 0.0;
    }
    const auto [mean, var] = majority_fraction_moments(p.n_cues, p_majority);
    EXPECT_LE(std::abs(on_label_side / (B * p.n_cues) - mean), 4.0 * std::sqrt(var / B))
        << "p_majority=" << p_majority << " expected mean fraction " << mean;
  }
}

TEST(EvidenceAccumulationTest, ExtremeMajorityProbabilities) {
  EvidenceAccumulationParams p = short_deterministic_params();
  EvidenceAccumulationTrials trials;
  p.p_majority = 1.0;
  make_evidence_accumulation(p, 200, 3, &trials);
  for (size_t b = 0; b < trials.labels.size(); ++b) {
    for (int side : trials.cues[b]) ASSERT_EQ(side, trials.labels[b]);
  }
  p.p_majority = 0.0;  // limit: the smallest strict majority, must not loop forever
  for (int n_cues : {7, 1, 4}) {
    p.n_cues = n_cues;
    make_evidence_accumulation(p, 200, 3, &trials);
    for (size_t b = 0; b < trials.labels.size(); ++b) {
      int on_label = 0;
      for (int side : trials.cues[b]) on_label += side == trials.labels[b] ? 1 : 0;
      ASSERT_EQ(on_label, n_cues / 2 + 1) << "n_cues=" << n_cues;
    }
  }
}

TEST(EvidenceAccumulationTest, InvalidParametersThrowNamingTheParameter) {
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.n_in = 0; }, "n_in");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.n_in = 6; }, "n_in must be divisible by 4");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.n_cues = 0; }, "n_cues");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.t_cue = 0; }, "t_cue");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.t_cue = 7; }, "t_cue must be <= t_cue_spacing");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.t_cue_spacing = 0; }, "t_cue_spacing");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.t_delay = -1; }, "t_delay");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.t_recall = 0; }, "t_recall");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.dt_ms = 0.0; }, "dt_ms");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.dt_ms = -1.0; }, "dt_ms");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.f_cue_hz = -1.0; }, "f_cue_hz");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.f_cue_hz = 1000.5; }, "f_cue_hz");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.dt_ms = 2.0; }, "f_cue_hz");  // 1000 Hz * 2 ms
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.f_background_hz = std::nan(""); },
                       "f_background_hz");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.p_majority = 1.5; }, "p_majority");
  expect_throws_naming([](EvidenceAccumulationParams& p) { p.p_majority = -0.1; }, "p_majority");
  expect_throws_naming([](EvidenceAccumulationParams&) {}, "batch_size", 0);
  EvidenceAccumulationParams p;
  p.n_cues = 0;
  try {
    evidence_accumulation_T(p);
    ADD_FAILURE() << "evidence_accumulation_T accepted n_cues = 0";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "evidence_accumulation: n_cues must be >= 1, got 0");
  }
}

}  // namespace
}  // namespace eligo::tasks

namespace eligo::tasks {
namespace {

// The streamed batch yields exactly the stored batch's steps, on every pass.
TEST(EvidenceAccumulationStream, StepsEqualTheStoredBatch) {
  EvidenceAccumulationParams p;
  p.t_delay = 100;
  const Batch stored = make_evidence_accumulation(p, 5, 77);
  const Batch streamed = stream_evidence_accumulation(p, 5, 77);
  ASSERT_TRUE(streamed.streamed());
  EXPECT_EQ(streamed.x.size(), 0);
  EXPECT_EQ(streamed.labels, stored.labels);
  EXPECT_EQ(streamed.n_in(), 40);
  EXPECT_EQ(streamed.n_out(), 2);
  for (int pass = 0; pass < 2; ++pass) {
    StepReader r(streamed);
    for (int t = 0; t < stored.T; ++t) {
      r.read(t);
      ASSERT_EQ(r.x(), stored.x_at(t)) << "pass " << pass << " t " << t;
      ASSERT_EQ(r.target(), stored.target_at(t)) << "pass " << pass << " t " << t;
    }
  }
  StepReader r(streamed);
  EXPECT_THROW(r.read(1), std::logic_error);  // steps must come in order
}

}  // namespace
}  // namespace eligo::tasks
