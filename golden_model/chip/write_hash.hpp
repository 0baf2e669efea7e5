// FNV-1a hash of a write stream: (memory, address, data) of every write, in order. Two runs with
// equal hashes and counts wrote the same words to the same places in the same order; the refactor
// checks and the co-simulation report use it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "golden_model/chip/sram.hpp"

namespace eligo::chip {

struct WriteHash {
  uint64_t h = 1469598103934665603ull;
  uint64_t n = 0;
  void add(uint64_t v) {
    for (int b = 0; b < 8; ++b) {
      h ^= (v >> (8 * b)) & 0xFFu;
      h *= 1099511628211ull;
    }
  }
  void operator()(const WriteEvent& e) {
    add(static_cast<uint64_t>(e.mem));
    add(e.addr);
    add(e.data);
    ++n;
  }
  // The hash as the reports print it: 16 hex digits.
  std::string hex() const {
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
  }
};

}  // namespace eligo::chip
