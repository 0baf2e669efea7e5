// Bit fields of verilated port values (integral for <= 64 bits, VlWide above), and the write
// monitor's decoding of the core's mon_* ports, shared by the --cc and --sc engines.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "systemc/engine.hpp"

namespace eligo::cosim {

template <class T, class = void>
struct HasGetWord : std::false_type {};
template <class T>
struct HasGetWord<T, std::void_t<decltype(std::declval<const T&>().get_word(0))>> : std::true_type {};

// Bits [lsb, lsb + width) (width <= 64) of an integral port value, a VlWide (--cc) or a SystemC
// bit vector (--sc, anything with get_word(i) and length()).
template <class T>
uint64_t field(const T& v, int lsb, int width) {
  if constexpr (std::is_integral_v<T>) {
    const uint64_t x = static_cast<uint64_t>(v) >> lsb;
    return width >= 64 ? x : x & ((uint64_t{1} << width) - 1);
  } else if constexpr (HasGetWord<T>::value) {
    const int w0 = lsb / 32, sh = lsb % 32, words = (v.length() + 31) / 32;
    uint64_t lo = static_cast<uint64_t>(v.get_word(w0));
    if (w0 + 1 < words) lo |= static_cast<uint64_t>(v.get_word(w0 + 1)) << 32;
    uint64_t r = lo >> sh;
    if (sh > 0 && w0 + 2 < words) r |= static_cast<uint64_t>(v.get_word(w0 + 2)) << (64 - sh);
    return width >= 64 ? r : r & ((uint64_t{1} << width) - 1);
  } else {
    // Up to 64 bits from 32-bit words: gather three words around lsb, shift, mask.
    const size_t w0 = static_cast<size_t>(lsb / 32);
    const int sh = lsb % 32;
    constexpr size_t kWords = sizeof(T) / sizeof(uint32_t);
    uint64_t lo = static_cast<uint64_t>(v[w0]);
    if (w0 + 1 < kWords) lo |= static_cast<uint64_t>(v[w0 + 1]) << 32;
    uint64_t r = lo >> sh;
    if (sh > 0 && w0 + 2 < kWords) r |= static_cast<uint64_t>(v[w0 + 2]) << (64 - sh);
    return width >= 64 ? r : r & ((uint64_t{1} << width) - 1);
  }
}

// mon_we_o[m*L + l], mon_addr_o[m*20 +: 20], mon_data_o[(m*L + l)*64 +: 64].
template <class WE, class AD, class DA>
void collect_writes(const WE& we, const AD& addr, const DA& data, int lanes,
                    std::vector<chip::WriteEvent>& out) {
  out.clear();
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const uint64_t en = field(we, m * lanes, lanes);
    if (!en) continue;
    const uint32_t base = static_cast<uint32_t>(field(addr, m * 20, 20));
    const int bits = chip::spec::kMems[static_cast<size_t>(m)].bits;
    for (int l = 0; l < lanes; ++l) {
      if (!((en >> l) & 1u)) continue;
      const uint64_t d = field(data, (m * lanes + l) * 64, 64);
      out.push_back({static_cast<chip::spec::Mem>(m), base + static_cast<uint32_t>(l),
                     bits >= 64 ? d : d & ((uint64_t{1} << bits) - 1)});
    }
  }
}

// The sram mem_q array of memory m, found through Verilator's public scopes; `top` is the
// verilated model's instance name ("TOP" for --cc, the SystemC module name for --sc).
MemoryBackdoor find_memory(const VerilatedContext& ctx, const std::string& top, chip::spec::Mem m,
                           const chip::Sizes& s);

}  // namespace eligo::cosim
