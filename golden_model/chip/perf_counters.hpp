// Performance counters of the chip (spec::Counter), 64-bit and saturating, plus the reads and
// writes of every memory (kept by the Sram objects). Twin of rtl/perf_counters.sv.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "golden_model/chip/spec.hpp"

namespace eligo::chip {

struct PerfCounters {
  std::array<uint64_t, spec::NUM_COUNTERS> value{};

  void add(spec::Counter c, uint64_t n) {
    uint64_t& v = value[static_cast<size_t>(c)];
    v = (v > std::numeric_limits<uint64_t>::max() - n) ? std::numeric_limits<uint64_t>::max() : v + n;
  }
  uint64_t operator[](spec::Counter c) const { return value[static_cast<size_t>(c)]; }
  void clear() { value.fill(0); }
};

// The cycle counter of phase p.
inline spec::Counter cycles_counter(spec::Phase p) {
  return static_cast<spec::Counter>(static_cast<int>(spec::Counter::cycles_RST) + static_cast<int>(p));
}

}  // namespace eligo::chip
