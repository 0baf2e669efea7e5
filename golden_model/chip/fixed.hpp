// Fixed-point helpers of the bit-exact chip model: the arithmetic of every RTL unit, written
// once. Raw values are int64_t holding the two's-complement (or unsigned) value of a format of
// spec.hpp; memory words are uint64_t holding the format's low `bits` bits.
//
//   sat(f, x):   clamp x to f's range (every adder of the chip saturates; nothing wraps)
//   rnd(p, s):   p * 2^-s rounded to nearest, ties towards +infinity: (p + 2^(s-1)) >> s
//                (arithmetic shift; the rounding of every fixed-point multiply)
//   to_word / from_word: raw value <-> memory word (masking, sign extension)
//   from_real / to_real: quantisation of a real value (round to nearest, saturate) and back
#pragma once

#include <cmath>
#include <cstdint>

#include "golden_model/chip/spec.hpp"

namespace eligo::chip {

constexpr int64_t sat(const spec::Format& f, int64_t x) {
  return x > f.max_raw() ? f.max_raw() : (x < f.min_raw() ? f.min_raw() : x);
}

constexpr int64_t rnd(int64_t p, int s) {
  return s == 0 ? p : (p + (int64_t{1} << (s - 1))) >> s;
}

constexpr uint64_t mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

constexpr uint64_t to_word(const spec::Format& f, int64_t raw) {
  return static_cast<uint64_t>(raw) & mask(f.bits);
}

constexpr int64_t from_word(const spec::Format& f, uint64_t w) {
  w &= mask(f.bits);
  if (f.is_signed && f.bits < 64 && ((w >> (f.bits - 1)) & 1u)) {
    return static_cast<int64_t>(w | ~mask(f.bits));
  }
  return static_cast<int64_t>(w);
}

inline int64_t from_real(const spec::Format& f, double x) {
  const double scaled = std::ldexp(x, f.frac);
  if (!(scaled < static_cast<double>(f.max_raw()))) return f.max_raw();  // also NaN
  if (scaled <= static_cast<double>(f.min_raw())) return f.min_raw();
  return sat(f, static_cast<int64_t>(std::llround(scaled)));
}

inline double to_real(const spec::Format& f, int64_t raw) {
  return std::ldexp(static_cast<double>(raw), -f.frac);
}

// Stochastic rounding of x (UPD.frac fraction bits) to an integer with the low byte of an LFSR
// draw: floor(x 2^-UPD.frac) + (fraction > draw[7:0]); unbiased (the expected result is x 2^-UPD.frac).
inline int64_t stochastic_round(int64_t x, uint32_t draw) {
  static_assert(spec::UPD.frac == 8, "stochastic rounding compares UPD.frac bits of the draw");
  const int64_t fraction = x & ((int64_t{1} << spec::UPD.frac) - 1);
  return (x >> spec::UPD.frac) + (fraction > static_cast<int64_t>(draw & 0xFFu) ? 1 : 0);
}

// Weight word {active, sign, magnitude} (W_IN, W_REC, W_OUT).
struct WeightWord {
  bool active = false;
  bool negative = false;
  int64_t mag = 0;  // W_MAG raw

  int64_t value() const { return active ? (negative ? -mag : mag) : 0; }  // W_MAG.frac
  uint64_t pack() const {
    return (uint64_t{active} << spec::WORD_ACTIVE_BIT) | (uint64_t{negative} << spec::WORD_SIGN_BIT) |
           (to_word(spec::W_MAG, mag) << spec::WORD_MAG_LSB);
  }
  static WeightWord unpack(uint64_t w) {
    WeightWord x;
    x.active = (w >> spec::WORD_ACTIVE_BIT) & 1u;
    x.negative = (w >> spec::WORD_SIGN_BIT) & 1u;
    x.mag = from_word(spec::W_MAG, w >> spec::WORD_MAG_LSB);
    return x;
  }
};

}  // namespace eligo::chip
