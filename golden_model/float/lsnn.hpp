// The float reference LSNN (double precision): LIF and ALIF neurons in one recurrent layer,
// leaky readouts. One time step, shared by the forward pass of BPTT and of e-prop.
//
// Shapes (n_in inputs, n_rec = n_lif + n_alif recurrent neurons, n_out readouts, B sequences):
//   w_in: n_rec x n_in, w_rec: n_rec x n_rec (zero diagonal: no autapses), w_out: n_out x n_rec,
//   b_fb: n_rec x n_out (feedback matrix B of the learning signal L = B * err).
//   Per-step state matrices are n_rec x B (v, a, z, psi, refractory counter) and n_out x B (y).
//
// Dynamics at sequence step s (decay alpha = exp(-dt/tau_m), rho = exp(-dt/tau_a),
// kappa = exp(-dt/tau_out); zeta and c are 1 or one minus the decay, see params.hpp):
//   I(t)   = W_in x(t) + W_rec z(t-1)            (I = 0 at s = 0 if discard_input_at_step0)
//   v(t)   = alpha v(t-1) + zeta I(t) - thr z(t-1)   (reset by subtraction of the base thr)
//   a(t)   = rho a(t-1) + z(t-1),   A(t) = thr + beta a(t)   (beta = 0 for LIF)
//   r      = max(r-1, 0); refractory iff r > 0 (a spike sets r = n_ref: n_ref-1 blocked steps)
//   z(t)   = H(v - A) (>= or >), forced to 0 while refractory; then r = n_ref if z = 1
//   psi(t) = gamma/thr * max(0, 1 - |v - A|/thr), 0 while refractory
//   y(t)   = kappa y(t-1) + c W_out z(t)
// In SpikeFn::Sigmoid test mode z = sigmoid((v-A)/(thr*w)), psi = dz/dv, no refractoriness.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>

#include "golden_model/float/params.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::fl {

using Eigen::MatrixXd;
using Eigen::VectorXd;

struct Weights {
  MatrixXd w_in, w_rec, w_out, b_fb;
};

// Gradients of the loss with respect to the three trained matrices (same shapes as Weights).
struct Gradients {
  MatrixXd w_in, w_rec, w_out;
  double loss = 0.0;       // task loss as reported (mean over the batch, see objective.hpp)
  double reg_loss = 0.0;   // firing-rate regulariser
  double accuracy = -1.0;  // classification only, else -1
  double rate_hz = 0.0;    // mean firing rate of the recurrent layer
};

// Per-neuron constants derived from NetworkParams (vectors of length n_rec).
struct Neurons {
  VectorXd alpha, zeta, rho, beta, thr;
  Eigen::VectorXi n_ref;
  double kappa = 0.0, c = 1.0, gamma = 0.3;
  bool spike_at_threshold = true, discard_input_at_step0 = false;
  SpikeFn spike_fn = SpikeFn::Heaviside;
  double sigmoid_width = 0.1;
  int n_in = 0, n_rec = 0, n_out = 0, n_lif = 0;
  double dt_ms = 1.0;

  static Neurons from(const NetworkParams& p);  // throws std::invalid_argument on bad values
};

struct State {
  MatrixXd v, a, z, y;     // z holds z(t) after step(), i.e. z(t-1) for the next step
  Eigen::MatrixXi r;
  MatrixXd psi;            // psi(t) of the last step
  MatrixXd input;          // scratch: I(t)
  void reset(const Neurons& n, int batch);
};

// Advance all B sequences by one step (sequence step s, input x_t: n_in x B).
void step(const Neurons& n, const Weights& w, const Eigen::Ref<const MatrixXd>& x_t, int s,
          State& st);

// A forward step run by something other than step(): a hardware model (golden_model/analog)
// advances its own state by one step (resetting itself at s = 0) and writes what is observed of
// it into st (z, v, a, psi, y, r), which e-prop and the objective then read as if step() had
// run. Empty = step(n, w, ...).
using ForwardStep = std::function<void(const Eigen::Ref<const MatrixXd>& x_t, int s, State& st)>;

// out += W * P, skipping zero entries of P (spike matrices are sparse). Column order and
// summation order are fixed, so results are deterministic.
void add_sparse_product(const Eigen::Ref<const MatrixXd>& W, const Eigen::Ref<const MatrixXd>& P,
                        Eigen::Ref<MatrixXd> out);

// Random initial weights (TF tutorial): W ~ scale * N(0,1)/sqrt(fan_in), W_rec diagonal zero,
// B ~ b_scale * N(0,1)/sqrt(n_rec). Deterministic in seed.
Weights init_weights(const Neurons& n, uint64_t seed, double w_in_scale = 1.0,
                     double w_rec_scale = 1.0, double w_out_scale = 1.0, double b_scale = 1.0);

// Throws std::invalid_argument naming the matrix when a shape does not match the network.
void check_shapes(const Neurons& n, const Weights& w);

}  // namespace eligo::fl

namespace eligo::fl {

// Time courses of one sequence of a batch, for plots and reports (T columns each).
struct Recording {
  MatrixXd x;       // n_in x T   input spikes
  MatrixXd z;       // n_rec x T  recurrent spikes
  MatrixXd v;       // n_rec x T  membrane potentials
  MatrixXd y;       // n_out x T  readouts
  MatrixXd target;  // n_out x T  targets
};

// Runs the whole batch (the dynamics do not depend on the other sequences) and keeps sequence b.
Recording record_sequence(const Neurons& n, const Weights& w, const tasks::Batch& batch, int b);

}  // namespace eligo::fl
