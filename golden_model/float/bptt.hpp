// Backpropagation through time for the LSNN of lsnn.hpp, with psi in place of dz/dv.
//
// Adjoints, for t = T-1 .. 0 (all n_rec x B except dy: n_out x B; products elementwise):
//   dy(t) = err(t) + kappa dy(t+1)
//   dz(t) = c W_out^T dy(t) + reg_coef + da(t+1)
//           + [W_rec^T (zeta dv(t+1)) - thr dv(t+1)]      (dropped when stop_z_gradient)
//   dv(t) = psi(t) dz(t) + alpha dv(t+1)
//   da(t) = -beta psi(t) dz(t) + rho da(t+1)
//   dW_in += (zeta dv(t)) x(t)^T,  dW_rec += (zeta dv(t)) z(t-1)^T (zero diagonal),
//   dW_out += c dy(t) z(t)^T
// stop_z_gradient stops z(t-1) only through the recurrent input and the reset, not through the
// adaptation a(t) = rho a(t-1) + z(t-1): this is the gradient e-prop computes exactly.
// Memory: z, psi, err and the input of every step are kept (grows linearly with T).
#pragma once

#include "golden_model/float/lsnn.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::fl {

// Per-step records of the forward pass (n_rec x T*B). Pass the same workspace to successive
// calls to reuse its memory (fresh pages of large buffers cost more than the arithmetic here).
struct BpttWorkspace {
  MatrixXd z, psi, err, x;
};

Gradients bptt_gradients(const Neurons& n, const Weights& w, const TrainParams& tp,
                         const tasks::Batch& batch, BpttWorkspace* workspace = nullptr);

// G += D * P^T, skipping zero entries of P (P: spikes or inputs, sparse). D: rows x N, P: cols x N.
void add_sparse_outer(Eigen::Ref<MatrixXd> G, const Eigen::Ref<const MatrixXd>& D,
                      const Eigen::Ref<const MatrixXd>& P);

}  // namespace eligo::fl
