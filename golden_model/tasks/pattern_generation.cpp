// Pattern generation task: see pattern_generation.hpp for shapes, units and the random stream.
#include "golden_model/tasks/pattern_generation.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "golden_model/tasks/rng.hpp"

namespace eligo::tasks {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

template <typename V>
[[noreturn]] void fail(const std::string& name, const std::string& range, V got) {
  std::ostringstream os;
  os << "pattern_generation: " << name << " must be " << range << ", got " << got;
  throw std::invalid_argument(os.str());
}

void require_positive_size(const std::string& name, int v) {
  if (v < 1) fail(name, ">= 1", v);
}

void validate_rate(const PatternGenerationParams& p) {
  const double prob = p.input_rate_hz * p.dt_ms / 1000.0;
  if (!(p.input_rate_hz >= 0.0) || !(prob <= 1.0)) {
    fail("input_rate_hz", "in [0, 1000/dt_ms] (spike probability rate*dt_ms/1000 <= 1)",
         p.input_rate_hz);
  }
}

void validate_target(const PatternGenerationParams& p) {
  if (p.freqs_hz.empty()) fail("freqs_hz", "non-empty", "an empty list");
  for (double f : p.freqs_hz) {
    if (!std::isfinite(f) || f < 0.0) fail("freqs_hz", "finite and >= 0 (each entry)", f);
  }
  if (!std::isfinite(p.amp_min)) fail("amp_min", "finite", p.amp_min);
  if (!std::isfinite(p.amp_max) || p.amp_max < p.amp_min) {
    fail("amp_max", "finite and >= amp_min (" + std::to_string(p.amp_min) + ")", p.amp_max);
  }
}

PatternGenerationComponents draw_components(const PatternGenerationParams& p, Rng& rng) {
  const auto n_freqs = static_cast<Eigen::Index>(p.freqs_hz.size());
  PatternGenerationComponents c{Eigen::MatrixXd(p.n_out, n_freqs), Eigen::MatrixXd(p.n_out, n_freqs)};
  const double amp_range = p.amp_max - p.amp_min;
  for (int k = 0; k < p.n_out; ++k) {
    for (Eigen::Index i = 0; i < n_freqs; ++i) {
      const double scaled = amp_range * rng.uniform();  // separate statement: no FMA contraction
      c.amplitudes(k, i) = p.amp_min + scaled;
      c.phases(k, i) = kTwoPi * rng.uniform();
    }
  }
  return c;
}

// n_in x T frozen raster.
Eigen::MatrixXd draw_raster(const PatternGenerationParams& p, Rng& rng) {
  const double prob = p.input_rate_hz * p.dt_ms / 1000.0;
  Eigen::MatrixXd raster(p.n_in, p.T);
  for (int t = 0; t < p.T; ++t) {
    for (int i = 0; i < p.n_in; ++i) raster(i, t) = rng.bernoulli(prob) ? 1.0 : 0.0;
  }
  return raster;
}

// Repeats each column of `per_step` (rows x T) B times: column t*B + b = per_step column t.
Eigen::MatrixXd repeat_over_batch(const Eigen::MatrixXd& per_step, int B) {
  Eigen::MatrixXd out(per_step.rows(), per_step.cols() * B);
  for (Eigen::Index t = 0; t < per_step.cols(); ++t) {
    out.middleCols(t * B, B) = per_step.col(t).replicate(1, B);
  }
  return out;
}

}  // namespace

void validate(const PatternGenerationParams& p) {
  require_positive_size("n_in", p.n_in);
  require_positive_size("T", p.T);
  require_positive_size("n_out", p.n_out);
  if (!(p.dt_ms > 0.0) || !std::isfinite(p.dt_ms)) fail("dt_ms", "finite and > 0", p.dt_ms);
  validate_rate(p);
  validate_target(p);
}

Eigen::MatrixXd pattern_generation_target(const PatternGenerationParams& p,
                                          const PatternGenerationComponents& c) {
  const auto n_freqs = static_cast<Eigen::Index>(p.freqs_hz.size());
  if (c.amplitudes.rows() != p.n_out || c.amplitudes.cols() != n_freqs ||
      c.phases.rows() != p.n_out || c.phases.cols() != n_freqs) {
    throw std::invalid_argument("pattern_generation: components must be n_out x freqs_hz.size()");
  }
  Eigen::MatrixXd target = Eigen::MatrixXd::Zero(p.n_out, p.T);
  for (int t = 0; t < p.T; ++t) {
    const double time_s = static_cast<double>(t) * p.dt_ms / 1000.0;
    for (int k = 0; k < p.n_out; ++k) {
      double sum = 0.0;
      for (Eigen::Index i = 0; i < n_freqs; ++i) {
        // One operation per statement so that no FMA contraction changes the rounding.
        const double omega_t = kTwoPi * p.freqs_hz[static_cast<size_t>(i)] * time_s;
        const double arg = omega_t + c.phases(k, i);
        const double term = c.amplitudes(k, i) * std::sin(arg);
        sum += term;
      }
      target(k, t) = sum;
    }
  }
  return target;
}

Batch make_pattern_generation(const PatternGenerationParams& p, int batch_size, uint64_t seed,
                              PatternGenerationComponents* components) {
  validate(p);
  if (batch_size < 1) fail("batch_size", ">= 1", batch_size);
  Rng rng(seed);
  const PatternGenerationComponents c = draw_components(p, rng);
  const Eigen::MatrixXd raster = draw_raster(p, rng);
  Batch batch;
  batch.T = p.T;
  batch.B = batch_size;
  batch.x = repeat_over_batch(raster, batch_size);
  batch.target = repeat_over_batch(pattern_generation_target(p, c), batch_size);
  if (components != nullptr) *components = c;
  return batch;
}

}  // namespace eligo::tasks
