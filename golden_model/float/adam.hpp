// Adam, the one implementation of the float reference (NEST/TF form: the bias correction folded
// into the step size, eps outside the square root). Used by Optimizer (optim.hpp, LSNNs), DeepR
// (deepr.hpp, per connection), the MLP trainer (mlp.cpp) and CLAPP (clapp.cpp: the CLAPP updates,
// the supervised baseline and the linear probes).
#pragma once

#include <cmath>

#include "golden_model/float/params.hpp"

namespace eligo::fl {

// Adam's bias correction folded into the step size: the t-th call of next() returns
// lr sqrt(1 - beta2^t) / (1 - beta1^t), the powers kept by repeated multiplication.
struct AdamBiasCorrection {
  double b1p = 1.0, b2p = 1.0;  // beta1^t, beta2^t after t calls of next()
  double next(double lr, double beta1, double beta2) {
    b1p *= beta1;
    b2p *= beta2;
    return lr * std::sqrt(1.0 - b2p) / (1.0 - b1p);
  }
  double next(const OptimizerParams& o) { return next(o.lr, o.beta1, o.beta2); }
  void reset() { b1p = b2p = 1.0; }
};

// One Adam step on a block x (an Eigen matrix, vector or map) with gradient g and moments m, v of
// x's shape, at the step size lr_t of AdamBiasCorrection::next (o.beta1, o.beta2, o.eps; o.lr is
// not used):  m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2;
//             x <- x - lr_t m / (sqrt(v) + eps).
// A negative lr_t ascends along g (x + |lr_t| m / (sqrt(v) + eps), the same bits).
template <class X, class G, class M>
void adam_step(X&& x, const G& g, M& m, M& v, const OptimizerParams& o, double lr_t) {
  m = o.beta1 * m + (1.0 - o.beta1) * g;
  v = o.beta2 * v + (1.0 - o.beta2) * g.cwiseAbs2();
  x.array() -= lr_t * m.array() / (v.array().sqrt() + o.eps);
}

// The same on one scalar parameter (DeepR's per-connection moments): updates m and v and returns
// the step lr_t m / (sqrt(v) + eps) to subtract.
inline double adam_delta(double g, double& m, double& v, const OptimizerParams& o, double lr_t) {
  m = o.beta1 * m + (1.0 - o.beta1) * g;
  v = o.beta2 * v + (1.0 - o.beta2) * (g * g);
  return lr_t * m / (std::sqrt(v) + o.eps);
}

}  // namespace eligo::fl
