// Behavioural model of an analog (mixed-signal) neuromorphic core running the LSNN of the float
// reference (golden_model/float/lsnn.hpp); equations and sources in docs/analog.md.
//
// Fixed pattern (drawn once from AnalogParams::mismatch_seed, depends only on the sizes):
//   tau' = tau * m(tau_sigma) for tau_m, tau_a (per neuron) and the readout tau (per readout);
//   thr'_j = thr_j m(thr_sigma); gain_j = m(gain_sigma); per device d = m(mismatch_sigma) and
//   drift exponent nu = max(0, drift_nu + drift_nu_sigma N);  m(s) = max(1 + s N(0,1), 0.05).
// Programming (program(w), one crossbar tile per matrix, w_max = max|W| of the matrix):
//   g+ = max(W,0)/w_max, g- = max(-W,0)/w_max (normalised to g_max); per device
//   g <- round(g (L-1))/(L-1) (L levels), g <- max(0, g + s_prog(g) N), g(t) = g (t/t0)^-nu,
//   W_eff = w_max c (d+ g+(t) - d- g-(t)), c = sum(d g(t0)) / sum(d g(t)) (drift compensation);
//   W_rec keeps no device on its diagonal (no autapses).
// One step (s), per sequence b:
//   x~ = DAC(x);  I = W_in_eff x~ + W_rec_eff z(t-1) + read_noise sqrt((w_max,in |x~|)^2 +
//                                                          (w_max,rec |z|)^2) N
//   v = alpha'_j v + zeta'_j (gain_j I) - thr'_j z(t-1) + noise thr_j N
//   a = rho'_j a + z(t-1), A = thr'_j + beta_j a, refractoriness and spikes as in fl::step
//   y = kappa'_k y + c'_k (W_out_eff z + read_noise w_max,out |z| N)
// Observation (what a host sees, written into an fl::State): z; y_obs = ADC(y + noise);
//   with observe_membrane on, the membrane ADC converts the distance to the core's threshold
//   d = ADC(v - A) (in units of the nominal thr: it must cover the adaptive threshold's range
//   only near threshold), and psi = gamma/thr max(0, 1 - |d|/thr); a and refractoriness are
//   reconstructed by the host from the observed spikes with the *nominal* constants (it does
//   not know the mismatch), v_obs = A_host + d (without observation, v_obs = v).
// With AnalogParams::ideal() every step equals fl::step (tests/golden_model/analog/core_test.cpp).
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "golden_model/analog/params.hpp"
#include "golden_model/float/lsnn.hpp"
#include "golden_model/tasks/rng.hpp"

namespace eligo::analog {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// Event counts, the input of the energy model (energy.hpp).
struct Counters {
  double steps = 0;              // time steps x sequences
  double sequences = 0;          // sequences run (inferences)
  double input_events = 0;       // non-zero inputs driven onto the crossbar (DAC conversions)
  double synaptic_events = 0;    // presynaptic events x rows of the tile they drive (SOPs)
  double neuron_updates = 0;     // recurrent neurons x steps
  double readout_updates = 0;    // readouts x steps
  double readout_conversions = 0;   // readout ADC conversions
  double membrane_conversions = 0;  // membrane ADC conversions (chip-in-the-loop observation)
  double device_writes = 0;      // conductance programming events (2 devices per weight)
  double programmings = 0;       // calls of program()
  Counters& operator+=(const Counters& o);
};

class Core {
 public:
  // noise_seed seeds the temporal noise (programming, read, membrane, converter noise); the
  // fixed pattern comes from p.mismatch_seed. Throws std::invalid_argument on bad parameters.
  Core(const fl::NetworkParams& net, const AnalogParams& p, uint64_t noise_seed);

  const fl::Neurons& nominal() const { return nominal_; }
  const AnalogParams& params() const { return p_; }

  // Writes w into the crossbar (quantisation, programming noise, drift, mismatch).
  void program(const fl::Weights& w);
  bool programmed() const { return programmed_; }
  // The weights the core computes with (without read noise).
  const fl::Weights& effective_weights() const { return eff_; }

  // Chip-in-the-loop: observe (and pay for) the membrane potentials every step.
  void set_observe_membrane(bool on) { observe_membrane_ = on; }

  // One step of all sequences of x_t (n_in x B); resets the core at s = 0. The observation is
  // written into obs (see above).
  void step(const Eigen::Ref<const MatrixXd>& x_t, int s, fl::State& obs);
  // step() as an fl::ForwardStep, for fl::evaluate, fl::eprop_gradients and fl::train.
  fl::ForwardStep forward();

  const Counters& counters() const { return counters_; }
  void reset_counters() { counters_ = Counters{}; }

  // The fixed pattern actually drawn (for tests and reports).
  const VectorXd& tau_m_ms() const { return tau_m_ms_; }
  const VectorXd& tau_a_ms() const { return tau_a_ms_; }
  const VectorXd& tau_out_ms() const { return tau_out_ms_; }
  const VectorXd& thr() const { return thr_; }
  const VectorXd& gain() const { return gain_; }

  // Converter transfer functions (public for tests): signed, 2^(bits-1)-1 steps per side,
  // saturating at +-bound; bits = 0 returns x.
  static double convert(double x, int bits, double bound);

 private:
  struct Tile {
    MatrixXd d_pos, d_neg, nu_pos, nu_neg;  // fixed pattern per device (drawn at first use)
    double w_max = 1.0;
    uint64_t stream = 0;
  };
  void draw_tile(Tile& t, int rows, int cols) const;
  MatrixXd program_tile(const MatrixXd& w, Tile& t, bool zero_diagonal);
  double device(double g);  // quantisation and programming noise of one device

  fl::NetworkParams net_;
  AnalogParams p_;
  fl::Neurons nominal_;
  tasks::Rng noise_;
  VectorXd tau_m_ms_, tau_a_ms_, tau_out_ms_;
  VectorXd alpha_, zeta_, rho_, thr_, gain_, kappa_, c_;
  Tile in_, rec_, out_;
  fl::Weights eff_;
  bool programmed_ = false;
  bool observe_membrane_ = false;
  // internal analog state (n_rec x B, n_out x B)
  MatrixXd v_, a_, z_, y_, input_, ro_, x_dac_;
  Eigen::MatrixXi r_;
  Counters counters_;
};

}  // namespace eligo::analog
