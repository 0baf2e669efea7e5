// e-prop (Bellec et al. 2020): forward-in-time gradients from eligibility traces and learning
// signals. Memory does not grow with T: traces are per synapse and per sequence.
//
// Presynaptic input of a recurrent synapse j<-i: pre_i(t) = x_i(t) (input synapses, 0 at step 0
// when discard_input_at_step0) or z_i(t-1) (recurrent synapses). Per synapse, in time order:
//   eps_v(t) = alpha_j eps_v(t-1) + zeta_j pre_i(t)        (kept per population: it only
//                                                           depends on j through alpha_j, zeta_j)
//   e(t)     = psi_j(t) (eps_v(t) - beta_j eps_a)          (LIF: beta = 0, e = psi eps_v)
//   eps_a    = rho_j eps_a + e(t)                          (ALIF adaptation eligibility)
//   ebar(t)  = kappa ebar(t-1) + c e(t)                    (readout-filtered trace)
//   G       += L_j(t) ebar(t),   L_j(t) = sum_k B_jk err_k(t)
//   S       += e(t)                                        (only with the rate regulariser)
// At the end of the sequence: G += reg_coef_jb S (regulariser, objective.hpp).
// Readout synapses: zbar_j(t) = kappa zbar_j(t-1) + c z_j(t); dW_out += err(t) zbar(t)^T.
// Feedback: Symmetric uses B = W_out^T, Random and Adaptive use w.b_fb.
// With symmetric feedback this is exactly BPTT with stop_z_gradient (bptt.hpp).
// That is TraceMode::Exact; Windowed and Factored approximate it (params.hpp TraceMode).
#pragma once

#include <functional>

#include "golden_model/float/lsnn.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::fl {

// Gradient of one batch (weights fixed during the batch). With `forward` set, the forward pass
// is that of a hardware model and the traces are computed from its observed activity with the
// nominal constants of n (chip-in-the-loop learning, golden_model/analog).
Gradients eprop_gradients(const Neurons& n, const Weights& w, const TrainParams& tp,
                          const tasks::Batch& batch, const ForwardStep& forward = {});

// Online e-prop: after every step, `apply` receives the gradient of that step (L(t) ebar(t),
// and err(t) zbar(t)^T) and may change `w`; the next step runs with the changed weights.
// The regulariser's contribution is passed at the end of the sequence. Returns the loss etc.
Gradients eprop_online(const Neurons& n, Weights& w, const TrainParams& tp,
                       const tasks::Batch& batch, const std::function<void(const Gradients&)>& apply);

}  // namespace eligo::fl
