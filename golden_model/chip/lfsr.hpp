// The chip's random numbers: 32-bit Galois LFSRs with feedback mask spec::LFSR_POLY
// (x^32 + x^22 + x^2 + x + 1, maximal length 2^32 - 1), advanced spec::LFSR_LEAP = 32 shifts per
// draw so that successive draws share no bits (the RTL unrolls the 32 shifts in one cycle).
// A zero seed (the LFSR's stuck state) is replaced by 1. Lane l of the update unit starts at
// seed ^ lane_salt(l).
#pragma once

#include <cstdint>

#include "golden_model/chip/spec.hpp"

namespace eligo::chip {

class Lfsr {
 public:
  explicit Lfsr(uint32_t seed = 1) : state_(seed == 0 ? 1u : seed) {}

  // One Galois shift: out = bit 0; state >>= 1; if out, state ^= POLY.
  static constexpr uint32_t shift(uint32_t s) {
    return (s & 1u) ? (s >> 1) ^ spec::LFSR_POLY : (s >> 1);
  }
  // Advance by LFSR_LEAP shifts and return the new state (the draw).
  uint32_t next() {
    for (uint32_t k = 0; k < spec::LFSR_LEAP; ++k) state_ = shift(state_);
    return state_;
  }
  uint32_t state() const { return state_; }

  static constexpr uint32_t lane_salt(int lane) { return 0x9E3779B9u * static_cast<uint32_t>(lane); }

 private:
  uint32_t state_;
};

}  // namespace eligo::chip
