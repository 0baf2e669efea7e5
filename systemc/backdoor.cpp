#include <verilated.h>
#include <verilated_syms.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "systemc/wide_bits.hpp"

namespace eligo::cosim {

uint64_t MemoryBackdoor::read(int64_t i) const {
  if (i < 0 || i >= depth) throw std::out_of_range("backdoor read outside the memory");
  uint64_t v = 0;
  std::memcpy(&v, static_cast<const char*>(data) + i * elem_bytes, static_cast<size_t>(elem_bytes));
  return v;
}

void MemoryBackdoor::write(int64_t i, uint64_t v) const {
  if (i < 0 || i >= depth) throw std::out_of_range("backdoor write outside the memory");
  std::memcpy(static_cast<char*>(data) + i * elem_bytes, &v, static_cast<size_t>(elem_bytes));
}

namespace {

// Every word compared: blocks of 64 without an early exit (the compiler vectorises them; the
// co-simulation compares every memory at every timestep boundary), then the test per block.
template <class E>
bool equal_as(const void* data, const std::vector<uint64_t>& words, uint64_t mask) {
  const E* p = static_cast<const E*>(data);
  const uint64_t* w = words.data();
  const size_t n = words.size();
  constexpr size_t kBlock = 64;
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    uint64_t diff = 0;
    for (size_t k = 0; k < kBlock; ++k) diff |= (static_cast<uint64_t>(p[i + k]) & mask) ^ w[i + k];
    if (diff != 0) return false;
  }
  uint64_t diff = 0;
  for (; i < n; ++i) diff |= (static_cast<uint64_t>(p[i]) & mask) ^ w[i];
  return diff == 0;
}

}  // namespace

bool MemoryBackdoor::equal_masked(const std::vector<uint64_t>& words, uint64_t mask) const {
  switch (elem_bytes) {
    case 1: return equal_as<uint8_t>(data, words, mask);
    case 2: return equal_as<uint16_t>(data, words, mask);
    case 4: return equal_as<uint32_t>(data, words, mask);
    default: return equal_as<uint64_t>(data, words, mask);
  }
}

MemoryBackdoor find_memory(const VerilatedContext& ctx, const std::string& top, chip::spec::Mem m,
                           const chip::Sizes& s) {
  const int id = static_cast<int>(m);
  if (id < 0 || id >= chip::spec::NUM_MEMS) throw std::invalid_argument("cosim: no memory " + std::to_string(id));
  MemoryBackdoor b;
  const int bits = chip::spec::kMems[static_cast<size_t>(id)].bits;
  b.elem_bytes = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
  b.depth = s.depth(m);
  if (b.depth == 0) return b;  // a memory of depth 0 is not built (eligo_core.sv, g_mem)
  const std::string scope = top + ".eligo_core.g_mem[" + std::to_string(id) + "].g_sram.u_sram";
  const VerilatedScope* sc = ctx.scopeFind(scope.c_str());
  if (!sc) throw std::runtime_error("cosim: RTL scope " + scope + " not found (public mem_q missing?)");
  VerilatedVar* var = sc->varFind("mem_q");
  if (!var) throw std::runtime_error("cosim: " + scope + ".mem_q not found");
  b.data = var->datap();
  return b;
}

}  // namespace eligo::cosim
