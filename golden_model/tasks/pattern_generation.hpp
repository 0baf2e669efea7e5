// Pattern generation task (regression) of the e-prop paper (Bellec et al., Nat. Commun. 2020,
// Fig. 2), following the e-prop TensorFlow tutorial: a recurrent network driven by a frozen
// Poisson raster must reproduce a fixed sum of sines at its readout(s).
//
// Units: T in steps, dt_ms in ms per step, rates and frequencies in Hz; step t is at time
// t * dt_ms milliseconds (t = 0 .. T-1).
//
// Output Batch (see batch.hpp, column t*B + b = sequence b at step t):
//   x:      n_in  x (T*B), 0/1 spikes, each entry 1 with probability input_rate_hz*dt_ms/1000.
//           The raster is FROZEN: drawn once from `seed`, identical for every batch column b and
//           for every call with the same seed and params (it does not depend on batch_size).
//   target: n_out x (T*B), target_k(t) = sum_i a_ki * sin(2*pi*f_i*t*dt_ms/1000 + phi_ki), with
//           a_ki ~ U[amp_min, amp_max) and phi_ki ~ U[0, 2*pi), also frozen by `seed`; identical
//           for every b. NOT normalised (the paper's/tutorial's convention: the raw sum of sines).
//   labels: empty.
//
// Random stream (Rng(seed), see rng.hpp): first, for each readout k and each frequency i in
// order, the amplitude a_ki then the phase phi_ki; then the raster, step-major (t outer,
// input i inner), one uniform per entry.
//
// Throws std::invalid_argument naming the offending parameter and its allowed range.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "golden_model/tasks/batch.hpp"

namespace eligo::tasks {

struct PatternGenerationParams {
  int n_in = 100;                              // input channels, >= 1
  int T = 1000;                                // steps per sequence, >= 1
  double dt_ms = 1.0;                          // ms per step, > 0
  double input_rate_hz = 50.0;                 // >= 0, with input_rate_hz*dt_ms/1000 <= 1
  std::vector<double> freqs_hz{1.0, 2.0, 3.0, 5.0};  // >= 1 entry, each finite and >= 0
  double amp_min = 0.5, amp_max = 2.0;         // finite, amp_min <= amp_max
  int n_out = 1;                               // readouts (independent patterns), >= 1
};

// The frozen random components of the target, as drawn from the seed.
struct PatternGenerationComponents {
  Eigen::MatrixXd amplitudes;  // n_out x n_freqs, a_ki
  Eigen::MatrixXd phases;      // n_out x n_freqs, phi_ki in radians
};

// Throws std::invalid_argument if a parameter is out of range.
void validate(const PatternGenerationParams& p);

// target_k(t) for t = 0 .. T-1: n_out x T (one column per step, no batch dimension).
Eigen::MatrixXd pattern_generation_target(const PatternGenerationParams& p,
                                          const PatternGenerationComponents& c);

// The batch described above. If `components` is not null it receives the drawn amplitudes and
// phases. batch_size must be >= 1.
Batch make_pattern_generation(const PatternGenerationParams& p, int batch_size, uint64_t seed,
                              PatternGenerationComponents* components = nullptr);

}  // namespace eligo::tasks
