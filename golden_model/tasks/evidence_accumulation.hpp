// Evidence accumulation task (classification) of the e-prop paper (Bellec et al., Nat. Commun.
// 2020, Fig. 3), following the e-prop TensorFlow tutorial: n_cues cues appear on the left or
// right; after a delay, during the recall window, the network must report the side that had the
// majority of the cues.
//
// Units: every t_* parameter is a number of STEPS (at the default dt_ms = 1 these are ms);
// dt_ms only enters the spike probabilities f*dt_ms/1000. Rates in Hz.
//
// Timeline of one sequence (defaults in brackets):
//   cue k (k = 0 .. n_cues-1):  steps [k*t_cue_spacing, k*t_cue_spacing + t_cue)   [100 of 150]
//   delay:                      t_delay steps after the last cue slot                [1050]
//   recall window:              the last t_recall steps                              [150]
//   T = n_cues*t_cue_spacing + t_delay + t_recall                                    [7*150+1050+150 = 2250]
//
// Input groups (n_in divisible by 4, q = n_in/4) [n_in = 40, q = 10]:
//   [0, q)     left cue:   Poisson at f_cue_hz during the left cues, silent otherwise
//   [q, 2q)    right cue:  Poisson at f_cue_hz during the right cues, silent otherwise
//   [2q, 3q)   recall:     Poisson at f_cue_hz during the last t_recall steps, silent otherwise
//   [3q, 4q)   background: Poisson at f_background_hz at every step
//
// Cue sides of a sample: label ~ Bernoulli(0.5) (0 = left, 1 = right); then every cue is on the
// label side with probability p_majority, independently, CONDITIONED on the label side having a
// strict majority of the cues. This is the distribution of "redraw the cues until the majority
// matches the label", sampled exactly without redrawing (truncated binomial count of label-side
// cues, then uniformly random positions), so it also terminates for tiny p_majority. At
// p_majority = 0 the (limit) distribution puts the smallest strict majority on the label side.
// Labels are balanced in distribution, and label == majority side always.
//
// Output Batch (see batch.hpp, column t*B + b = sequence b at step t):
//   x:      n_in x (T*B), 0/1 spikes
//   target: 2 x (T*B), one-hot of the label at EVERY step (learners use only the last
//           evidence_accumulation_window() steps as the learning window)
//   labels: B entries, 0 = left, 1 = right.  n_out is always 2.
//
// Random stream (Rng(seed), see rng.hpp): first the trials of b = 0 .. B-1 in order (label,
// then the count of label-side cues, then their positions), then the raster column by column
// (t outer, b, input i inner), one uniform per entry (also where the rate is 0).
//
// Throws std::invalid_argument naming the offending parameter and its allowed range.
#pragma once

#include <cstdint>
#include <vector>

#include "golden_model/tasks/batch.hpp"

namespace eligo::tasks {

struct EvidenceAccumulationParams {
  int n_in = 40;            // >= 4, divisible by 4
  int n_cues = 7;           // >= 1 (odd in the paper; any value works, the majority is strict)
  int t_cue = 100;          // steps a cue lasts, in [1, t_cue_spacing]
  int t_cue_spacing = 150;  // steps from one cue onset to the next, >= 1
  int t_delay = 1050;       // steps between the end of the last cue slot and the recall, >= 0
  int t_recall = 150;       // steps of the recall window (= learning window), >= 1
  double dt_ms = 1.0;       // ms per step, > 0
  double f_cue_hz = 40.0;   // cue and recall rate, >= 0, f*dt_ms/1000 <= 1
  double f_background_hz = 10.0;  // background rate, >= 0, f*dt_ms/1000 <= 1
  double p_majority = 0.7;  // prob. that a cue is on the label side (before conditioning), [0, 1]
};

// Per-sample ground truth, as drawn from the seed.
struct EvidenceAccumulationTrials {
  std::vector<int> labels;            // B entries, 0 = left, 1 = right
  std::vector<std::vector<int>> cues; // B x n_cues, side of every cue, 0 = left, 1 = right
};

// Throws std::invalid_argument if a parameter is out of range.
void validate(const EvidenceAccumulationParams& p);

// Total steps per sequence: n_cues*t_cue_spacing + t_delay + t_recall (2250 by default).
int evidence_accumulation_T(const EvidenceAccumulationParams& p);

// Length of the learning window at the end of each sequence: t_recall.
int evidence_accumulation_window(const EvidenceAccumulationParams& p);

// The batch described above, streamed: inputs are drawn step by step during each pass, so its
// memory does not grow with T. If `trials` is not null it receives the labels and cue sides.
// batch_size must be >= 1.
Batch stream_evidence_accumulation(const EvidenceAccumulationParams& p, int batch_size,
                                   uint64_t seed, EvidenceAccumulationTrials* trials = nullptr);

// The same batch (identical values), stored.
Batch make_evidence_accumulation(const EvidenceAccumulationParams& p, int batch_size, uint64_t seed,
                                 EvidenceAccumulationTrials* trials = nullptr);

}  // namespace eligo::tasks
