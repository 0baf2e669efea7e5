// Evidence accumulation task: see evidence_accumulation.hpp for shapes, units, the timeline and
// the random stream.
#include "golden_model/tasks/evidence_accumulation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "golden_model/tasks/rng.hpp"

namespace eligo::tasks {
namespace {

template <typename V>
[[noreturn]] void fail(const std::string& name, const std::string& range, V got) {
  std::ostringstream os;
  os << "evidence_accumulation: " << name << " must be " << range << ", got " << got;
  throw std::invalid_argument(os.str());
}

void require_at_least(const std::string& name, int v, int min) {
  if (v < min) fail(name, ">= " + std::to_string(min), v);
}

void require_rate(const std::string& name, double f_hz, double dt_ms) {
  const double prob = f_hz * dt_ms / 1000.0;
  if (!(f_hz >= 0.0) || !(prob <= 1.0)) {
    fail(name, "in [0, 1000/dt_ms] (spike probability f*dt_ms/1000 <= 1)", f_hz);
  }
}

int64_t total_steps(const EvidenceAccumulationParams& p) {
  return static_cast<int64_t>(p.n_cues) * p.t_cue_spacing + p.t_delay + p.t_recall;
}

void validate_sizes(const EvidenceAccumulationParams& p) {
  require_at_least("n_in", p.n_in, 4);
  if (p.n_in % 4 != 0) fail("n_in", "divisible by 4 (left, right, recall, background groups)", p.n_in);
  require_at_least("n_cues", p.n_cues, 1);
  require_at_least("t_cue_spacing", p.t_cue_spacing, 1);
  require_at_least("t_cue", p.t_cue, 1);
  if (p.t_cue > p.t_cue_spacing) {
    fail("t_cue", "<= t_cue_spacing (" + std::to_string(p.t_cue_spacing) + ")", p.t_cue);
  }
  require_at_least("t_delay", p.t_delay, 0);
  require_at_least("t_recall", p.t_recall, 1);
  if (total_steps(p) > std::numeric_limits<int>::max()) {
    fail("n_cues*t_cue_spacing + t_delay + t_recall", "<= INT_MAX", total_steps(p));
  }
}

// Number of label-side cues: Binomial(n, p) conditioned on a strict majority (k > n/2). Weights
// are computed relative to the mode with ratios only (no pow/exp: bit-reproducible, and no
// overflow/underflow trouble); at p = 0 or 1 this gives the limits (n/2+1 resp. n).
int draw_majority_count(int n, double p, Rng& rng) {
  const int k_min = n / 2 + 1;
  const double q = 1.0 - p;
  const int mode = std::clamp(static_cast<int>(std::floor((n + 1) * p)), k_min, n);
  std::vector<double> w(static_cast<size_t>(n + 1), 0.0);  // w[k] ~ C(n,k) p^k q^(n-k) / w[mode]
  w[static_cast<size_t>(mode)] = 1.0;
  for (int k = mode; k < n; ++k) {  // w[k+1]/w[k] = (n-k)/(k+1) * p/q
    const double comb = w[static_cast<size_t>(k)] * (static_cast<double>(n - k) / (k + 1));
    w[static_cast<size_t>(k + 1)] = comb * (p / q);
  }
  for (int k = mode; k > k_min; --k) {  // w[k-1]/w[k] = k/(n-k+1) * q/p
    const double comb = w[static_cast<size_t>(k)] * (static_cast<double>(k) / (n - k + 1));
    w[static_cast<size_t>(k - 1)] = comb * (q / p);
  }
  double total = 0.0;
  for (int k = k_min; k <= n; ++k) total += w[static_cast<size_t>(k)];
  const double u = rng.uniform() * total;
  double cumulative = 0.0;
  for (int k = k_min; k <= n; ++k) {
    cumulative += w[static_cast<size_t>(k)];
    if (u < cumulative) return k;
  }
  return mode;  // only reachable through rounding at u ~ total; the mode has positive weight
}

// Sides of the n cues: `count` uniformly chosen positions on `label`, the others opposite.
std::vector<int> draw_cue_sides(int n, int count, int label, Rng& rng) {
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::vector<int> sides(static_cast<size_t>(n), 1 - label);
  for (int j = 0; j < count; ++j) {  // partial Fisher-Yates shuffle
    std::swap(order[static_cast<size_t>(j)], order[static_cast<size_t>(rng.uniform_int(j, n - 1))]);
    sides[static_cast<size_t>(order[static_cast<size_t>(j)])] = label;
  }
  return sides;
}

EvidenceAccumulationTrials draw_trials(const EvidenceAccumulationParams& p, int B, Rng& rng) {
  EvidenceAccumulationTrials trials;
  trials.labels.reserve(static_cast<size_t>(B));
  trials.cues.reserve(static_cast<size_t>(B));
  for (int b = 0; b < B; ++b) {
    const int label = rng.bernoulli(0.5) ? 1 : 0;
    const int count = draw_majority_count(p.n_cues, p.p_majority, rng);
    trials.labels.push_back(label);
    trials.cues.push_back(draw_cue_sides(p.n_cues, count, label, rng));
  }
  return trials;
}

// Side (0 left, 1 right) of the cue shown at step t, or -1 if no cue is shown.
int cue_side_at(const EvidenceAccumulationParams& p, const std::vector<int>& sides, int t) {
  const int k = t / p.t_cue_spacing;
  if (k >= p.n_cues || t % p.t_cue_spacing >= p.t_cue) return -1;
  return sides[static_cast<size_t>(k)];
}

// Spike probabilities of the four groups (left, right, recall, background) at step t.
std::array<double, 4> group_probs(const EvidenceAccumulationParams& p, const std::vector<int>& sides,
                                  int t, int T) {
  const double p_cue = p.f_cue_hz * p.dt_ms / 1000.0;
  const double p_bg = p.f_background_hz * p.dt_ms / 1000.0;
  const int side = cue_side_at(p, sides, t);
  const bool recall = t >= T - p.t_recall;
  return {side == 0 ? p_cue : 0.0, side == 1 ? p_cue : 0.0, recall ? p_cue : 0.0, p_bg};
}

// Step t of every sequence: spikes (drawn in the order b, then i) and one-hot targets.
void draw_step(const EvidenceAccumulationParams& p, const EvidenceAccumulationTrials& trials,
               int t, int T, Rng& rng, Eigen::MatrixXd& x_t, Eigen::MatrixXd& target_t) {
  const int group = p.n_in / 4;
  const int B = static_cast<int>(trials.labels.size());
  x_t.resize(p.n_in, B);
  target_t.setZero(2, B);
  for (int b = 0; b < B; ++b) {
    const auto probs = group_probs(p, trials.cues[static_cast<size_t>(b)], t, T);
    for (int i = 0; i < p.n_in; ++i) {
      x_t(i, b) = rng.bernoulli(probs[static_cast<size_t>(i / group)]) ? 1.0 : 0.0;
    }
    target_t(trials.labels[static_cast<size_t>(b)], b) = 1.0;
  }
}

}  // namespace

void validate(const EvidenceAccumulationParams& p) {
  validate_sizes(p);
  if (!(p.dt_ms > 0.0) || !std::isfinite(p.dt_ms)) fail("dt_ms", "finite and > 0", p.dt_ms);
  require_rate("f_cue_hz", p.f_cue_hz, p.dt_ms);
  require_rate("f_background_hz", p.f_background_hz, p.dt_ms);
  if (!(p.p_majority >= 0.0 && p.p_majority <= 1.0)) fail("p_majority", "in [0, 1]", p.p_majority);
}

int evidence_accumulation_T(const EvidenceAccumulationParams& p) {
  validate(p);
  return static_cast<int>(total_steps(p));
}

int evidence_accumulation_window(const EvidenceAccumulationParams& p) {
  validate(p);
  return p.t_recall;
}

Batch stream_evidence_accumulation(const EvidenceAccumulationParams& p, int batch_size,
                                   uint64_t seed, EvidenceAccumulationTrials* trials) {
  validate(p);
  if (batch_size < 1) fail("batch_size", ">= 1", batch_size);
  const int T = evidence_accumulation_T(p);
  Rng rng(seed);
  auto drawn = std::make_shared<const EvidenceAccumulationTrials>(draw_trials(p, batch_size, rng));
  Batch batch;
  batch.T = T;
  batch.B = batch_size;
  batch.labels = drawn->labels;
  batch.stream_n_in = p.n_in;
  batch.stream_n_out = 2;
  // Each pass restarts from the generator state right after the trials were drawn.
  batch.stream = [p, drawn, rng, T]() -> StepGenerator {
    auto pass_rng = std::make_shared<Rng>(rng);
    return [p, drawn, pass_rng, T](int t, Eigen::MatrixXd& x_t, Eigen::MatrixXd& target_t) {
      draw_step(p, *drawn, t, T, *pass_rng, x_t, target_t);
    };
  };
  if (trials != nullptr) *trials = *drawn;
  return batch;
}

Batch make_evidence_accumulation(const EvidenceAccumulationParams& p, int batch_size, uint64_t seed,
                                 EvidenceAccumulationTrials* trials) {
  return materialize(stream_evidence_accumulation(p, batch_size, seed, trials));
}

}  // namespace eligo::tasks
