// An SRAM-like memory of the chip: `depth` words of spec::kMems[id].bits bits, one read and one
// write port, every access counted. Writes are reported to the core's write stream (the
// lock-step scoreboard compares them one by one with the RTL's).
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden_model/chip/fixed.hpp"
#include "golden_model/chip/spec.hpp"

namespace eligo::chip {

// One memory write: memory, word address, data (the word's low `bits` bits).
struct WriteEvent {
  spec::Mem mem;
  uint32_t addr;
  uint64_t data;
};
using WriteHook = std::function<void(const WriteEvent&)>;

class Sram {
 public:
  Sram(spec::Mem id, int64_t depth, const WriteHook* hook)
      : id_(id), bits_(spec::kMems[static_cast<int>(id)].bits), words_(static_cast<size_t>(depth), 0),
        hook_(hook) {}

  uint64_t read(int64_t addr) {
    check(addr);
    ++reads_;
    return words_[static_cast<size_t>(addr)];
  }
  void write(int64_t addr, uint64_t data) {
    check(addr);
    ++writes_;
    data &= mask(bits_);
    words_[static_cast<size_t>(addr)] = data;
    if (*hook_) (*hook_)(WriteEvent{id_, static_cast<uint32_t>(addr), data});
  }
  // Host (APB) or test access: not counted, not streamed.
  uint64_t peek(int64_t addr) const {
    check(addr);
    return words_[static_cast<size_t>(addr)];
  }
  void poke(int64_t addr, uint64_t data) {
    check(addr);
    words_[static_cast<size_t>(addr)] = data & mask(bits_);
  }

  spec::Mem id() const { return id_; }
  const char* name() const { return spec::kMems[static_cast<int>(id_)].name; }
  int bits() const { return bits_; }
  int64_t depth() const { return static_cast<int64_t>(words_.size()); }
  const std::vector<uint64_t>& words() const { return words_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }
  void clear_counts() { reads_ = writes_ = 0; }
  // A saved state (Core::restore_state): not counted, not streamed; words masked to the width.
  void restore(const std::vector<uint64_t>& words, uint64_t reads, uint64_t writes) {
    if (words.size() != words_.size()) throw std::invalid_argument(std::string("memory ") + name() + ": another depth");
    for (size_t i = 0; i < words.size(); ++i) words_[i] = words[i] & mask(bits_);
    reads_ = reads;
    writes_ = writes;
  }

 private:
  void check(int64_t addr) const {
    if (addr < 0 || addr >= static_cast<int64_t>(words_.size())) out_of_range(addr);
  }
  [[noreturn]] __attribute__((noinline, cold)) void out_of_range(int64_t addr) const {
    throw std::out_of_range(std::string("memory ") + name() + ": address " + std::to_string(addr) +
                            " outside [0, " + std::to_string(depth()) + ")");
  }
  spec::Mem id_;
  int bits_;
  std::vector<uint64_t> words_;
  const WriteHook* hook_;
  uint64_t reads_ = 0, writes_ = 0;
};

}  // namespace eligo::chip
