// DEEP R: deep rewiring (Bellec, Kappel, Maass, Legenstein, ICLR 2018) on a set of weight
// matrices, for any learner that supplies dE/dW (BPTT, e-prop, feedforward backprop).
//
// Parameterisation. Every ALLOWED entry k of a managed matrix (an n_rows x n_cols Eigen::MatrixXd,
// entries indexed in Eigen's column-major storage order) is a potential connection with
//   s_k in {-1, +1}   its sign, fixed for the whole run,
//   theta_k >= 0      its parameter (same units as the weight),
//   active_k          whether the connection exists:  w_k = s_k theta_k if active, else w_k = 0.
// Entries excluded by a mask (e.g. the W_rec diagonal: no autapses) are never active, w_k = 0.
//
// One apply(grads) per update, with g_k = dE/dw_k (grads have the shapes of the matrices; entries
// of dormant or excluded connections are ignored), eta = optimizer.lr, alpha = l1, T = temperature,
// nu ~ N(0, 1) (Rng::normal, one draw per active connection when T > 0, in matrix order then
// storage order):
//   for every ACTIVE connection:
//     gt_k    = s_k g_k                                        (= dE/dtheta_k)
//     SGD:      theta_k <- theta_k - eta gt_k
//     Adam:     n_k += 1 (updates since this connection was last activated),
//               m_k <- b1 m_k + (1 - b1) gt_k,  v_k <- b2 v_k + (1 - b2) gt_k^2,
//               theta_k <- theta_k - eta sqrt(1 - b2^n_k)/(1 - b1^n_k) m_k / (sqrt(v_k) + eps)
//               (optim.hpp's form, with a per-connection bias correction: a connection that was
//               active from the start gets exactly fl::Optimizer's step)
//     theta_k <- theta_k - eta alpha + sqrt(2 eta T) nu_k     (L1 prior and exploration noise)
//     if theta_k < 0: the connection turns DORMANT: theta_k = 0, m_k = v_k = 0, n_k = 0.
//   Dormant connections are not updated at all (no gradient, no noise, no Adam moment), so an
//   optimiser's state can never move them: only rewiring re-activates a connection.
//   Rewiring: per matrix (K_i of each matrix) or globally (one K over all matrices), draw
//   uniformly at random, without replacement, K - n_active of the currently dormant allowed
//   connections (including those that just turned dormant) and re-activate them with
//   theta = 0 (so w = 0 at this step), m = v = 0, n = 0. Afterwards exactly K are active;
//   this is checked after every apply() (std::logic_error with the counts otherwise).
//   Finally every managed matrix is rewritten: w = s theta on active entries, 0 elsewhere.
//
// Initialisation (constructor): K_i = round(p_i n_allowed_i) per matrix (p_i: the matrix's
// connectivity, or DeepRParams::connectivity), or K = round(p sum_i n_allowed_i) globally.
// Allocation::ErdosRenyi (Mocanu et al. 2018, as in RigL) instead splits K = round(p sum_i
// n_allowed_i) over the matrices with densities d_i = min(1, e (rows_i + cols_i)/(rows_i cols_i)),
// e chosen so that sum_i d_i n_allowed_i = K (counts by largest remainder, ties to the first
// matrix); with per-matrix K these counts are the K_i, with global K only the initial split
// (small matrices such as a readout get a larger share than with a uniform split). Signs
// of all allowed entries: SignInit::FromWeights takes sign(w_k) (a zero weight gets a random
// sign), SignInit::Random draws +-1 with probability 1/2. The active set is K uniformly random
// allowed entries (per matrix, or over all matrices for global K with a uniform allocation);
// theta_k = init_gain |w_k| on active entries, divided by sqrt(density_i) (density_i = initial
// active fraction of matrix i) if scale_by_density, which keeps the variance of a unit's input
// when w was initialised for the dense matrix. Random draws: one Rng(seed), in this order: signs (matrix order, storage
// order), active sets (partial Fisher-Yates), then per apply() the noise and the rewiring draws.
// Same seed, same inputs -> bit-identical results.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "golden_model/float/adam.hpp"
#include "golden_model/float/params.hpp"
#include "golden_model/tasks/rng.hpp"

namespace eligo::fl {

enum class SignInit { FromWeights, Random };
enum class Allocation { Uniform, ErdosRenyi };

struct DeepRParams {
  double connectivity = 0.1;   // p in (0, 1]: fraction of allowed entries active (default)
  // Per-matrix connectivity by matrix name (per-matrix K with a uniform allocation only).
  std::map<std::string, double> connectivity_of;
  bool global_k = false;       // one K over all matrices instead of one K per matrix
  double l1 = 0.0;             // alpha >= 0: L1 prior, theta -= eta alpha (units of dE/dtheta)
  double temperature = 0.0;    // T >= 0: noise of std sqrt(2 eta T) (weight units) per update
  Allocation allocation = Allocation::Uniform;  // how K is split over the matrices at the start
  SignInit sign_init = SignInit::FromWeights;
  double init_gain = 1.0;      // theta = init_gain * |w| on the initial active set (> 0)
  bool scale_by_density = false;  // theta also divided by sqrt(initial density of the matrix)
  uint64_t seed = 1;
  bool check_every_step = true;  // count active connections after every apply() (cheap)
};

// One managed matrix. `allowed` (same shape, empty = every entry allowed) masks out entries
// that may never become connections.
struct DeepRMatrix {
  std::string name;
  Eigen::MatrixXd* w = nullptr;
  Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> allowed;
};

class DeepR {
 public:
  // Throws std::invalid_argument for bad parameters (connectivity outside (0, 1], a null or
  // empty matrix, a mask of the wrong shape, a matrix without allowed entries, more than INT_MAX
  // allowed entries, negative l1/temperature, a non-positive lr). Rewrites the matrices
  // (w = s theta on the initial active set, 0 elsewhere).
  DeepR(std::vector<DeepRMatrix> matrices, const DeepRParams& p, const OptimizerParams& opt);

  // One update; grads[i] = dE/dW_i (shape of matrix i). Throws std::invalid_argument on a
  // shape mismatch, std::logic_error if the exact-K invariant fails.
  void apply(const std::vector<const Eigen::MatrixXd*>& grads);

  // Full consistency check (throws std::logic_error naming the matrix, entry and values):
  // counts equal K, excluded and dormant weights exactly 0, active w == s theta, theta >= 0,
  // dormant Adam moments 0.
  void check_invariants() const;

  void set_lr(double lr);  // e.g. for a schedule; > 0
  double lr() const { return opt_.lr; }

  int n_matrices() const { return static_cast<int>(mats_.size()); }
  const std::string& name(int i) const { return mats_[i].name; }
  long n_allowed(int i) const { return mats_[i].n_allowed; }
  long n_active(int i) const { return mats_[i].n_active; }
  long k(int i) const { return mats_[i].k; }  // per-matrix K (-1 with global K)
  long k_total() const { return k_total_; }   // sum of the K_i, or the global K
  long n_active_total() const;
  long steps() const { return steps_; }
  long rewired_last() const { return rewired_last_; }  // re-activations in the last apply()
  long rewired_total() const { return rewired_total_; }
  long deactivated_last() const { return deactivated_last_; }

  // Per-entry state of matrix i at (row, col).
  bool allowed(int i, Eigen::Index r, Eigen::Index c) const { return state(i, r, c) != kExcluded; }
  bool active(int i, Eigen::Index r, Eigen::Index c) const { return state(i, r, c) == kActive; }
  int sign(int i, Eigen::Index r, Eigen::Index c) const { return mats_[i].sign[idx(i, r, c)]; }
  double theta(int i, Eigen::Index r, Eigen::Index c) const { return mats_[i].theta[idx(i, r, c)]; }
  double adam_m(int i, Eigen::Index r, Eigen::Index c) const { return mats_[i].m[idx(i, r, c)]; }
  double adam_v(int i, Eigen::Index r, Eigen::Index c) const { return mats_[i].v[idx(i, r, c)]; }
  // 0/1 mask of the active connections of matrix i (same shape as the matrix).
  Eigen::MatrixXd active_mask(int i) const;

 private:
  static constexpr uint8_t kExcluded = 0, kDormant = 1, kActive = 2;
  struct Mat {
    std::string name;
    Eigen::MatrixXd* w = nullptr;
    Eigen::Index rows = 0, cols = 0;
    std::vector<uint8_t> state;
    std::vector<int8_t> sign;
    std::vector<double> theta, m, v;
    std::vector<int32_t> age;  // Adam updates since activation
    long n_allowed = 0, n_active = 0, k = -1;
    long offset = 0;           // first global index (global K: index space of all matrices)
  };
  Eigen::Index idx(int i, Eigen::Index r, Eigen::Index c) const;
  uint8_t state(int i, Eigen::Index r, Eigen::Index c) const { return mats_[i].state[idx(i, r, c)]; }
  void activate(Mat& M, long j);
  void rewire();
  void write_weights(Mat& M);
  void check_counts() const;
  std::vector<long> erdos_renyi_split(long K) const;
  // Bias-correction factor sqrt(1 - b2^n)/(1 - b1^n) for n = 1, 2, ... (cached).
  double adam_correction(int32_t n);

  std::vector<Mat> mats_;
  DeepRParams p_;
  OptimizerParams opt_;
  tasks::Rng rng_;
  long k_total_ = 0;
  long steps_ = 0, rewired_last_ = 0, rewired_total_ = 0, deactivated_last_ = 0;
  std::vector<double> correction_;  // correction_[n-1]
  AdamBiasCorrection bias_;         // at n = correction_.size()
  std::vector<long> pool_;          // scratch: dormant candidates
};

}  // namespace eligo::fl
