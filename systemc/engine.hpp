// An RTL simulation engine seen from the co-simulation: pins in, pins out, one clock edge at a
// time, the core's memory writes of the current cycle (write monitor) and a backdoor into its
// memories. Implemented by the direct Verilator engine (cc_engine.hpp, --cc) and by the SystemC
// top (sc_engine.cpp, --sc); the host, the monitor and the scoreboard (cosim.hpp) are the same
// for both.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"

namespace eligo::cosim {

struct PinsIn {
  bool psel = false, penable = false, pwrite = false;
  uint32_t paddr = 0, pwdata = 0;
  bool aer_valid = false, aer_eot = false;
  uint32_t aer_addr = 0;
};

struct PinsOut {
  uint32_t prdata = 0;
  bool pready = false, pslverr = false, aer_ready = false, irq = false, busy = false;
  int phase = 0;
  bool phase_valid = false;
};

// Word access to one RTL memory (the sram's mem_q array).
struct MemoryBackdoor {
  void* data = nullptr;
  int elem_bytes = 0;  // 1, 2, 4 or 8
  int64_t depth = 0;
  uint64_t read(int64_t i) const;
  void write(int64_t i, uint64_t v) const;
  // Every word, masked, equals words[i] (words.size() == depth).
  bool equal_masked(const std::vector<uint64_t>& words, uint64_t mask) const;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual const char* name() const = 0;
  virtual const chip::Sizes& sizes() const = 0;
  // Reset: rst_ni low for two clock cycles, with idle inputs (the same sequence on every engine
  // and in rtl/tb/eligo_tb.sv).
  void reset() {
    set_reset(true);
    eval(PinsIn{});
    clock();
    clock();
    set_reset(false);
    eval(PinsIn{});
  }
  // Drive rst_ni (asserted = low).
  virtual void set_reset(bool asserted) = 0;
  // Drive the inputs and settle the combinational logic before the next rising edge.
  virtual PinsOut eval(const PinsIn& in) = 0;
  // The core's memory writes that the next rising edge commits: memory id, then lane order.
  virtual void writes(std::vector<chip::WriteEvent>& out) = 0;
  // One rising edge (the clock returns low).
  virtual void clock() = 0;
  virtual uint64_t cycles() const = 0;
  virtual MemoryBackdoor memory(chip::spec::Mem m) = 0;
  // Waveform (FST) of the whole run from now on, or a rolling window (see cosim.hpp).
  virtual void trace_open(const std::string& path) = 0;
  virtual void trace_close() = 0;
  // The RTL's whole state, for checkpoints (docs/runs.md): every variable of the verilated model
  // (Verilator --savable) and the engine's cycle count, saved between two commands. A new engine
  // of the same configuration restored from it continues with the same bits. The cc engine can;
  // the others (SystemC, whose kernel keeps the clock, and the toggle-counting models) throw
  // std::logic_error.
  virtual std::string save_state() const {
    throw std::logic_error(std::string("the ") + name() + " engine cannot save the RTL's state (checkpoints: --engine cc)");
  }
  virtual void restore_state(const std::string& /*bytes*/) {
    throw std::logic_error(std::string("the ") + name() + " engine cannot restore the RTL's state (checkpoints: --engine cc)");
  }
};

}  // namespace eligo::cosim
