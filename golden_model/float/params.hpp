// Parameters of the float reference (double precision). Plain structs, no parsing here:
// golden_model/io/config.* fills them from a JSON file; tests fill them directly.
//
// Units: times in ms, rates in Hz, voltages dimensionless (relative to rest, E_L = 0).
// Neuron index order in the recurrent layer: LIF neurons first (0 .. n_lif-1), then ALIF.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eligo::fl {

// Scale factor on a leaky integrator's input: One (factor 1) or OneMinusDecay (1 - decay).
// Used for the input scaling zeta (decay alpha) and the readout scaling c (decay kappa).
enum class Scaling { One, OneMinusDecay };

// Spike function. Heaviside is the normal spiking network, with the piecewise-linear
// pseudo-derivative psi. Sigmoid is a differentiable test mode: z = sigmoid((v - A) / (thr*width))
// and psi is its exact derivative, so BPTT can be checked against finite differences.
enum class SpikeFn { Heaviside, Sigmoid };

// Population parameters (one block for LIF, one for ALIF; LIF ignores tau_a_ms and beta).
struct PopulationParams {
  int n = 0;               // number of neurons, >= 0
  double tau_m_ms = 20.0;  // membrane time constant, alpha = exp(-dt/tau_m)
  double thr = 0.6;        // base threshold thr (> 0)
  int n_ref = 5;           // refractory count: a spike blocks the next n_ref-1 steps (TF, NEST)
  double tau_a_ms = 2000;  // ALIF adaptation time constant, rho = exp(-dt/tau_a)
  // ALIF adaptation strength: A = thr + beta*a, a jumps by 1 per spike; the default is TF's and
  // NEST's 1.7 (1 - rho)/(1 - alpha) for tau_a = 2000, tau_m = 20, dt = 1 (docs/config.md).
  double beta = 0.017424185109823985;
};

struct NetworkParams {
  int n_in = 40;
  int n_out = 2;
  double dt_ms = 1.0;
  PopulationParams lif{50};
  PopulationParams alif{50};
  double tau_out_ms = 20.0;                       // readout, kappa = exp(-dt/tau_out)
  Scaling input_scaling = Scaling::One;           // zeta
  Scaling readout_scaling = Scaling::OneMinusDecay;  // c
  double gamma = 0.3;                             // pseudo-derivative height factor
  bool spike_at_threshold = true;                 // z = (v >= A) if true (NEST), (v > A) if false (TF)
  bool discard_input_at_step0 = false;            // NEST: input arriving at step 0 is dropped
  SpikeFn spike_fn = SpikeFn::Heaviside;
  double sigmoid_width = 0.1;                     // Sigmoid mode only, in units of thr

  int n_rec() const { return lif.n + alif.n; }
};

enum class Algo { BPTT, EProp };
enum class LossKind { MSE, CrossEntropy };
enum class Feedback { Symmetric, Random, Adaptive };
enum class OptimizerKind { SGD, Adam };
enum class UpdateMode { PerBatch, Online };
enum class RateReg { PerSequence, PerBatch };  // NEST: per sequence; TF: mean over the batch
// How e-prop keeps its eligibility traces (eprop.hpp; the chip's design points,
// docs/architecture.md "Trace architectures"):
//   Exact     per-synapse traces every step (ebar, and eps_a for ALIF rows);
//   Windowed  the same, but the per-synapse traces start at zero trace_pre_steps before the
//             learning window and are not computed before (the trace pass is skipped there);
//             with adapt_block K > 0, ALIF rows keep eps_a over those held steps t < t0
//             (t0 = window_start - trace_pre_steps) in blocks of K steps ending at t0 - 1
//             (block ends: (t0 - 1 - t) % K == 0; the first block may be shorter): at a block
//             end, with P_j the sum of psi_j over the block, e_ji = P_j (eps_v_i - beta_j
//             eps_a_ji) and eps_a_ji = rho_j^K eps_a_ji + e_ji (eps_v of that step). ebar, G,
//             the regulariser's S and LIF rows stay untouched before t0; K = 1 is eps_a exact;
//   Factored  no per-synapse trace: e_ji(t) = psi_j(t) eps_v_i(t) for every neuron (ALIF's
//             adaptation term dropped), formed on the fly inside the learning window and not
//             filtered by the readout (G += L_j(t) e_ji(t)); per-neuron state only, as ReckOn.
//   FactoredAdapt  Factored with ALIF's adaptation term kept per neuron: eps_a_ji is replaced by
//             P_j V_i, P_j = (rho_j - beta_j psi_j) P_j + psi_j and V_i = rho V_i + (1 - rho)
//             eps_v_i (two per-neuron traces at the adaptation time constant; exact in the mean
//             when psi_j and eps_v_i are uncorrelated), e_ji = psi_j (eps_v_i - beta_j P_j V_i).
//   FactoredBins  FactoredAdapt with the sequence's steps [0, T) split into adapt_bins R time
//             bins (equal length ceil(T / R), the last one shorter; eps_a_ji(t) = sum_s
//             D_j(t,s) psi_j(s) eps_v_i(s), D_j(t,s) = prod_{u=s+1..t} (rho_j - beta_j psi_j(u))):
//             eps_v_i(s) inside bin k is replaced by V_ik, the running mean of eps_v_i over the
//             bin's steps so far, so eps_a_ji ~ sum_k P_jk V_ik with P_jk = (rho_j - beta_j
//             psi_j) P_jk + [t in bin k] psi_j for every k (past bins keep decaying);
//             e_ji = psi_j (eps_v_i - beta_j sum_k P_jk V_ik). R (n_alif + n_pre) words per
//             sequence; R = T (one step per bin) is the exact eps_a recursion, unfiltered, and
//             R = 1 is FactoredAdapt with V the running mean of eps_v over the sequence.
//             adapt_bin_spacing Exponential: the last bin is the learning window [t_w, T)
//             (t_w = T - learning_window) and bins 0 .. R-2 tile [0, t_w) with lengths doubling
//             back in time (bin k starts at t_w - round(t_w (2^(R-1-k) - 1) / (2^(R-1) - 1)),
//             the most recent one shortest); R = 1 is one bin either way.
enum class TraceMode { Exact, Windowed, Factored, FactoredAdapt, FactoredBins };
// How the factored modes (Factored, FactoredAdapt, FactoredBins) filter e by the readout before
// G += L_j (filtered e); Exact and Windowed always filter per synapse (ebar). With e_ji = psi_j
// X_ji (X_ji = eps_v_i, minus the mode's adaptation term on ALIF rows):
//   None           e unfiltered (ReckOn's rule; per-neuron state only);
//   Synapse        ebar_ji = kappa ebar_ji + c e_ji every step, as Exact: a per-synapse trace,
//                  there to measure what the filter is worth (FactoredBins with R = T is Exact);
//   SynapseWindow  the same, but ebar starts at 0 at the learning window (no credit to steps
//                  before it through the filter);
//   Neuron         ebar_ji ~ psibar_j X_ji, psibar_j = kappa psibar_j + c psi_j every step: one
//                  more per-neuron trace (exact when X_ji is constant over kappa's memory).
// The regulariser's S sums the unfiltered e in every case, as in Exact.
enum class ReadoutFilter { None, Synapse, SynapseWindow, Neuron };
enum class BinSpacing { Equal, Exponential };  // FactoredBins' time bins

struct OptimizerParams {
  OptimizerKind kind = OptimizerKind::Adam;
  double lr = 0.005;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;  // outside the square root (NEST, TF)
};

struct TrainParams {
  Algo algo = Algo::EProp;
  LossKind loss = LossKind::CrossEntropy;
  int learning_window = 0;       // last steps of each sequence that carry the loss; 0 = all T
  Feedback feedback = Feedback::Symmetric;
  double feedback_decay = 0.0;   // adaptive feedback: W_out and B decay by this factor per update
  OptimizerParams optimizer;
  std::optional<double> w_min;   // weight clipping after every update
  std::optional<double> w_max;
  double l2 = 0.0;               // adds l2 * W to every trained gradient
  double c_reg = 0.0;            // firing-rate regularisation strength
  double f_target_hz = 10.0;
  RateReg rate_reg = RateReg::PerBatch;
  bool batch_mean = true;        // gradient = mean over the batch (true) or sum (false)
  bool average_over_window = false;  // NEST average_gradient: divide by learning_window
  UpdateMode update = UpdateMode::PerBatch;
  bool stop_z_gradient = false;  // BPTT: stop dL/dz(t-1) through recurrent input and reset
  TraceMode trace = TraceMode::Exact;  // e-prop only
  int trace_pre_steps = 100;           // Windowed: steps traced before the learning window
  int adapt_block = 0;                 // Windowed: ALIF eps_a in blocks of K held steps; 0 = off
  int adapt_bins = 4;                  // FactoredBins: time bins R of the adaptation traces
  BinSpacing adapt_bin_spacing = BinSpacing::Equal;  // FactoredBins: how the bins split [0, T)
  ReadoutFilter readout_filter = ReadoutFilter::None;  // factored modes: the filter on e
  bool train_in = true, train_rec = true, train_out = true;
  int iterations = 100;
  int batch_size = 32;
};

}  // namespace eligo::fl
