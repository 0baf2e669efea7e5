#include "golden_model/float/deepr.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace eligo::fl {

namespace {

std::string num(double x) {
  std::ostringstream s;
  s.precision(17);
  s << x;
  return s.str();
}

void check_connectivity(double p, const std::string& what) {
  if (!(p > 0.0 && p <= 1.0)) {
    throw std::invalid_argument("DeepR: " + what + " must be in (0, 1], got " + num(p));
  }
}

}  // namespace

DeepR::DeepR(std::vector<DeepRMatrix> matrices, const DeepRParams& p, const OptimizerParams& opt)
    : p_(p), opt_(opt), rng_(p.seed) {
  if (matrices.empty()) throw std::invalid_argument("DeepR: no matrices");
  check_connectivity(p.connectivity, "connectivity");
  if (!(p.l1 >= 0.0)) throw std::invalid_argument("DeepR: l1 must be >= 0, got " + num(p.l1));
  if (!(p.temperature >= 0.0)) {
    throw std::invalid_argument("DeepR: temperature must be >= 0, got " + num(p.temperature));
  }
  if (!(p.init_gain > 0.0)) {
    throw std::invalid_argument("DeepR: init_gain must be > 0, got " + num(p.init_gain));
  }
  if (!(opt.lr > 0.0)) throw std::invalid_argument("DeepR: lr must be > 0, got " + num(opt.lr));
  if (p.global_k && !p.connectivity_of.empty()) {
    throw std::invalid_argument("DeepR: connectivity_of (per-matrix K) cannot be used with global_k");
  }
  for (const auto& [name, c] : p.connectivity_of) {
    bool found = false;
    for (const DeepRMatrix& m : matrices) found = found || m.name == name;
    if (!found) throw std::invalid_argument("DeepR: connectivity_of names no matrix: " + name);
    check_connectivity(c, "connectivity_of[" + name + "]");
  }

  long offset = 0, total_allowed = 0;
  for (DeepRMatrix& dm : matrices) {
    if (dm.w == nullptr || dm.w->size() == 0) {
      throw std::invalid_argument("DeepR: matrix " + dm.name + " is null or empty");
    }
    if (dm.allowed.size() != 0 &&
        (dm.allowed.rows() != dm.w->rows() || dm.allowed.cols() != dm.w->cols())) {
      throw std::invalid_argument("DeepR: mask of " + dm.name + " is " +
                                  std::to_string(dm.allowed.rows()) + " x " +
                                  std::to_string(dm.allowed.cols()) + ", matrix is " +
                                  std::to_string(dm.w->rows()) + " x " +
                                  std::to_string(dm.w->cols()));
    }
    Mat M;
    M.name = dm.name;
    M.w = dm.w;
    M.rows = dm.w->rows();
    M.cols = dm.w->cols();
    const long size = static_cast<long>(dm.w->size());
    M.state.assign(size, kExcluded);
    M.sign.assign(size, 0);
    M.theta.assign(size, 0.0);
    M.m.assign(size, 0.0);
    M.v.assign(size, 0.0);
    M.age.assign(size, 0);
    for (long j = 0; j < size; ++j) {
      const bool ok = dm.allowed.size() == 0 || dm.allowed.data()[j];
      if (ok) {
        M.state[j] = kDormant;
        ++M.n_allowed;
      }
    }
    if (M.n_allowed == 0) throw std::invalid_argument("DeepR: matrix " + dm.name + " has no allowed entry");
    M.offset = offset;
    offset += size;
    total_allowed += M.n_allowed;
    if (offset > long(INT_MAX)) throw std::invalid_argument("DeepR: more than INT_MAX entries");
    mats_.push_back(std::move(M));
  }

  // Signs of every allowed entry.
  for (Mat& M : mats_) {
    const double* w = M.w->data();
    for (size_t j = 0; j < M.state.size(); ++j) {
      if (M.state[j] == kExcluded) continue;
      if (p.sign_init == SignInit::FromWeights && w[j] != 0.0) {
        M.sign[j] = w[j] > 0.0 ? 1 : -1;
      } else {
        M.sign[j] = rng_.bernoulli(0.5) ? 1 : -1;
      }
    }
  }

  // Initial active sets, theta = gain |w|.
  auto draw = [&](std::vector<long>& pool, long k, auto&& take) {
    for (long i = 0; i < k; ++i) {
      const long j = rng_.uniform_int(static_cast<int>(i), static_cast<int>(pool.size() - 1));
      std::swap(pool[i], pool[j]);
      take(pool[i]);
    }
  };
  auto init_theta = [&](Mat& M, long j) {
    activate(M, j);
    M.theta[j] = p.init_gain * std::abs(M.w->data()[j]);
  };
  std::vector<long> counts(mats_.size(), 0);
  if (p.allocation == Allocation::ErdosRenyi) {
    if (!p.connectivity_of.empty()) {
      throw std::invalid_argument("DeepR: connectivity_of cannot be used with the Erdos-Renyi allocation");
    }
    counts = erdos_renyi_split(std::lround(p.connectivity * double(total_allowed)));
  } else if (!p.global_k) {
    for (size_t i = 0; i < mats_.size(); ++i) {
      const auto it = p.connectivity_of.find(mats_[i].name);
      const double c = it != p.connectivity_of.end() ? it->second : p.connectivity;
      counts[i] = std::lround(c * double(mats_[i].n_allowed));
    }
  }
  if (p.global_k && p.allocation == Allocation::Uniform) {
    // K uniformly random entries out of all allowed entries of all matrices.
    k_total_ = std::lround(p.connectivity * double(total_allowed));
    pool_.clear();
    for (const Mat& M : mats_) {
      for (size_t j = 0; j < M.state.size(); ++j) {
        if (M.state[j] != kExcluded) pool_.push_back(M.offset + long(j));
      }
    }
    draw(pool_, k_total_, [&](long g) {
      for (Mat& M : mats_) {
        if (g >= M.offset && g < M.offset + long(M.state.size())) {
          init_theta(M, g - M.offset);
          return;
        }
      }
    });
  } else {
    for (size_t i = 0; i < mats_.size(); ++i) {
      Mat& M = mats_[i];
      if (!p.global_k) M.k = counts[i];
      k_total_ += counts[i];
      pool_.clear();
      for (size_t j = 0; j < M.state.size(); ++j) {
        if (M.state[j] != kExcluded) pool_.push_back(long(j));
      }
      draw(pool_, counts[i], [&](long j) { init_theta(M, j); });
    }
  }
  if (p.scale_by_density) {
    for (Mat& M : mats_) {
      if (M.n_active == 0) continue;
      const double gain = 1.0 / std::sqrt(double(M.n_active) / double(M.n_allowed));
      for (size_t j = 0; j < M.state.size(); ++j) {
        if (M.state[j] == kActive) M.theta[j] *= gain;
      }
    }
  }
  for (Mat& M : mats_) write_weights(M);
  check_counts();
}

std::vector<long> DeepR::erdos_renyi_split(long K) const {
  const size_t n = mats_.size();
  std::vector<double> d(n, 0.0);
  std::vector<bool> capped(n, false);
  auto shape_factor = [&](const Mat& M) {
    return double(M.rows + M.cols) / (double(M.rows) * double(M.cols));
  };
  for (size_t round = 0; round <= n; ++round) {
    double fixed = 0.0, raw = 0.0;
    for (size_t i = 0; i < n; ++i) {
      if (capped[i]) {
        fixed += double(mats_[i].n_allowed);
      } else {
        raw += double(mats_[i].n_allowed) * shape_factor(mats_[i]);
      }
    }
    if (raw == 0.0) break;
    const double e = (double(K) - fixed) / raw;
    bool changed = false;
    for (size_t i = 0; i < n; ++i) {
      if (capped[i]) continue;
      d[i] = e * shape_factor(mats_[i]);
      if (d[i] >= 1.0) {
        capped[i] = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Largest remainder: floors first, then +1 by decreasing fractional part (ties: lower index).
  std::vector<long> counts(n);
  std::vector<std::pair<double, size_t>> frac;
  long sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double exact = capped[i] ? double(mats_[i].n_allowed) : d[i] * double(mats_[i].n_allowed);
    counts[i] = std::min(mats_[i].n_allowed, static_cast<long>(std::floor(exact)));
    sum += counts[i];
    frac.push_back({exact - std::floor(exact), i});
  }
  std::stable_sort(frac.begin(), frac.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t r = 0; sum < K && r < 2 * n; ++r) {
    const size_t i = frac[r % n].second;
    if (counts[i] < mats_[i].n_allowed) {
      ++counts[i];
      ++sum;
    }
  }
  return counts;
}

Eigen::Index DeepR::idx(int i, Eigen::Index r, Eigen::Index c) const {
  const Mat& M = mats_.at(static_cast<size_t>(i));
  if (r < 0 || r >= M.rows || c < 0 || c >= M.cols) {
    throw std::out_of_range("DeepR: entry (" + std::to_string(r) + ", " + std::to_string(c) +
                            ") outside " + M.name);
  }
  return c * M.rows + r;
}

void DeepR::set_lr(double lr) {
  if (!(lr > 0.0)) throw std::invalid_argument("DeepR: lr must be > 0, got " + num(lr));
  if (lr != opt_.lr) {
    opt_.lr = lr;
    correction_.clear();
    bias_.reset();
  }
}

double DeepR::adam_correction(int32_t n) {
  while (static_cast<int32_t>(correction_.size()) < n) correction_.push_back(bias_.next(opt_));
  return correction_[static_cast<size_t>(n) - 1];
}

void DeepR::activate(Mat& M, long j) {
  M.state[j] = kActive;
  M.theta[j] = 0.0;
  M.m[j] = 0.0;
  M.v[j] = 0.0;
  M.age[j] = 0;
  ++M.n_active;
}

long DeepR::n_active_total() const {
  long n = 0;
  for (const Mat& M : mats_) n += M.n_active;
  return n;
}

Eigen::MatrixXd DeepR::active_mask(int i) const {
  const Mat& M = mats_.at(static_cast<size_t>(i));
  Eigen::MatrixXd mask(M.rows, M.cols);
  for (size_t j = 0; j < M.state.size(); ++j) mask.data()[j] = M.state[j] == kActive ? 1.0 : 0.0;
  return mask;
}

void DeepR::apply(const std::vector<const Eigen::MatrixXd*>& grads) {
  if (grads.size() != mats_.size()) {
    throw std::invalid_argument("DeepR::apply: " + std::to_string(grads.size()) +
                                " gradients for " + std::to_string(mats_.size()) + " matrices");
  }
  for (size_t i = 0; i < mats_.size(); ++i) {
    if (grads[i] == nullptr || grads[i]->rows() != mats_[i].rows ||
        grads[i]->cols() != mats_[i].cols) {
      throw std::invalid_argument("DeepR::apply: gradient of " + mats_[i].name +
                                  " has the wrong shape");
    }
  }
  ++steps_;
  deactivated_last_ = 0;
  const bool adam = opt_.kind == OptimizerKind::Adam;
  const double lr = opt_.lr;
  const double l1_step = lr * p_.l1;
  const double noise = p_.temperature > 0.0 ? std::sqrt(2.0 * lr * p_.temperature) : 0.0;
  for (size_t i = 0; i < mats_.size(); ++i) {
    Mat& M = mats_[i];
    const double* grad = grads[i]->data();
    for (size_t j = 0; j < M.state.size(); ++j) {
      if (M.state[j] != kActive) continue;
      const double g = M.sign[j] > 0 ? grad[j] : -grad[j];  // dE/dtheta
      double th = M.theta[j];
      if (adam) {
        th -= adam_delta(g, M.m[j], M.v[j], opt_, adam_correction(++M.age[j]));
      } else {
        th -= lr * g;
      }
      if (l1_step != 0.0) th -= l1_step;
      if (noise != 0.0) th += noise * rng_.normal();
      if (th < 0.0) {
        M.state[j] = kDormant;
        M.theta[j] = 0.0;
        M.m[j] = 0.0;
        M.v[j] = 0.0;
        M.age[j] = 0;
        --M.n_active;
        ++deactivated_last_;
      } else {
        M.theta[j] = th;
      }
    }
  }
  rewire();
  for (Mat& M : mats_) write_weights(M);
  if (p_.check_every_step) check_counts();
}

void DeepR::rewire() {
  rewired_last_ = 0;
  auto draw = [&](long need, auto&& take) {
    if (need <= 0) return;
    if (static_cast<long>(pool_.size()) < need) {
      throw std::logic_error("DeepR: " + std::to_string(need) + " connections to re-activate but only " +
                             std::to_string(pool_.size()) + " dormant");
    }
    for (long i = 0; i < need; ++i) {
      const long j = rng_.uniform_int(static_cast<int>(i), static_cast<int>(pool_.size() - 1));
      std::swap(pool_[i], pool_[j]);
      take(pool_[i]);
    }
    rewired_last_ += need;
  };
  if (p_.global_k) {
    const long need = k_total_ - n_active_total();
    if (need <= 0) return;
    pool_.clear();
    for (const Mat& M : mats_) {
      for (size_t j = 0; j < M.state.size(); ++j) {
        if (M.state[j] == kDormant) pool_.push_back(M.offset + long(j));
      }
    }
    draw(need, [&](long g) {
      for (Mat& M : mats_) {
        if (g >= M.offset && g < M.offset + long(M.state.size())) {
          activate(M, g - M.offset);
          return;
        }
      }
    });
  } else {
    for (Mat& M : mats_) {
      const long need = M.k - M.n_active;
      if (need <= 0) continue;
      pool_.clear();
      for (size_t j = 0; j < M.state.size(); ++j) {
        if (M.state[j] == kDormant) pool_.push_back(long(j));
      }
      draw(need, [&](long j) { activate(M, j); });
    }
  }
  rewired_total_ += rewired_last_;
}

void DeepR::write_weights(Mat& M) {
  double* w = M.w->data();
  for (size_t j = 0; j < M.state.size(); ++j) {
    w[j] = M.state[j] == kActive ? (M.sign[j] > 0 ? M.theta[j] : -M.theta[j]) : 0.0;
  }
}

void DeepR::check_counts() const {
  long total = 0;
  for (const Mat& M : mats_) {
    long n = 0;
    for (uint8_t s : M.state) n += s == kActive;
    if (n != M.n_active) {
      throw std::logic_error("DeepR: " + M.name + " has " + std::to_string(n) +
                             " active connections but the counter says " +
                             std::to_string(M.n_active));
    }
    if (!p_.global_k && n != M.k) {
      throw std::logic_error("DeepR: exact-K invariant violated: " + M.name + " has " +
                             std::to_string(n) + " active connections, K = " + std::to_string(M.k));
    }
    total += n;
  }
  if (p_.global_k && total != k_total_) {
    throw std::logic_error("DeepR: exact-K invariant violated: " + std::to_string(total) +
                           " active connections in all matrices, global K = " +
                           std::to_string(k_total_));
  }
}

void DeepR::check_invariants() const {
  check_counts();
  for (const Mat& M : mats_) {
    if (M.w->rows() != M.rows || M.w->cols() != M.cols) {
      throw std::logic_error("DeepR: matrix " + M.name + " was resized");
    }
    const double* w = M.w->data();
    for (size_t j = 0; j < M.state.size(); ++j) {
      const Eigen::Index r = Eigen::Index(j) % M.rows, c = Eigen::Index(j) / M.rows;
      const std::string at = M.name + "(" + std::to_string(r) + ", " + std::to_string(c) + ")";
      if (M.state[j] == kActive) {
        const double expect = M.sign[j] > 0 ? M.theta[j] : -M.theta[j];
        if (!(M.theta[j] >= 0.0) || w[j] != expect || (M.sign[j] != 1 && M.sign[j] != -1)) {
          throw std::logic_error("DeepR: active " + at + ": w = " + num(w[j]) + ", sign " +
                                 std::to_string(M.sign[j]) + ", theta " + num(M.theta[j]));
        }
      } else if (w[j] != 0.0 || M.m[j] != 0.0 || M.v[j] != 0.0 || M.theta[j] != 0.0) {
        throw std::logic_error(std::string("DeepR: ") +
                               (M.state[j] == kDormant ? "dormant " : "excluded ") + at +
                               ": w = " + num(w[j]) + ", theta " + num(M.theta[j]) + ", m " +
                               num(M.m[j]) + ", v " + num(M.v[j]));
      }
    }
  }
}

}  // namespace eligo::fl
