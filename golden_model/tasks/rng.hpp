// Deterministic, platform-independent random numbers for task generators and weight initialisation.
//
// Why not <random> distributions: std::uniform_real_distribution, std::normal_distribution,
// std::poisson_distribution, ... are implementation-defined (libstdc++, libc++ and MSVC give
// different numbers for the same engine state). The engine std::mt19937_64 itself is fully
// specified by the standard, so everything here is built from its raw 64-bit output with
// explicitly written transformations:
//
//   next_u64()            raw engine output, one engine call
//   uniform()             double in [0, 1): (u64 >> 11) * 2^-53, one engine call, exact
//   bernoulli(p)          uniform() < p, one engine call (p <= 0 -> false, p >= 1 -> true)
//   uniform_int(lo, hi)   integer in [lo, hi] without modulo bias (rejection), >= 1 engine call
//   normal()              N(0, 1) by the Marsaglia polar method, >= 2 engine calls; the second
//                         variate of each accepted pair is discarded (no hidden cached state, so
//                         the stream position only depends on the calls made)
//
// Bit-reproducibility: next_u64/uniform/bernoulli/uniform_int use only integer arithmetic and
// exact floating-point operations, so they are bit-identical everywhere. normal() additionally
// uses std::log and std::sqrt; sqrt is correctly rounded (IEEE 754), log is the platform's libm
// (glibc's log is correctly rounded in practice; other libms may differ in the last ulp).
// Products and sums are written as separate statements so that no compiler may fuse them into
// an FMA (clang contracts within one expression by default).
//
// Header-only; not thread-safe (use one Rng per thread / per stream).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

namespace eligo::tasks {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Raw 64-bit output of std::mt19937_64.
  uint64_t next_u64() { return engine_(); }

  // Uniform double in [0, 1) with 53 random bits (multiples of 2^-53).
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // True with probability p (p outside [0, 1] saturates).
  bool bernoulli(double p) { return uniform() < p; }

  // Uniform integer in [lo, hi_inclusive]; throws std::invalid_argument if lo > hi_inclusive.
  int uniform_int(int lo, int hi_inclusive) {
    if (lo > hi_inclusive) {
      throw std::invalid_argument("Rng::uniform_int: lo must be <= hi_inclusive, got lo=" +
                                  std::to_string(lo) + ", hi_inclusive=" + std::to_string(hi_inclusive));
    }
    const uint64_t range =
        static_cast<uint64_t>(static_cast<int64_t>(hi_inclusive) - static_cast<int64_t>(lo)) + 1U;
    // Accept r >= 2^64 mod range, so that the accepted values are a multiple of `range`.
    const uint64_t threshold = (0U - range) % range;
    uint64_t r = next_u64();
    while (r < threshold) r = next_u64();
    return static_cast<int>(static_cast<int64_t>(lo) + static_cast<int64_t>(r % range));
  }

  // Standard normal N(0, 1) (Marsaglia polar method).
  double normal() {
    double u = 0.0;
    double v = 0.0;
    double s = 0.0;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      const double uu = u * u;  // separate statements: no FMA contraction (bit-reproducibility)
      const double vv = v * v;
      s = uu + vv;
    } while (s >= 1.0 || s == 0.0);
    return u * std::sqrt(-2.0 * std::log(s) / s);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace eligo::tasks
