// The host's bus-functional models: an APB master (setup and access phases, wait states,
// PSLVERR) and an AER driver (events, then the end-of-timestep marker), driving an Engine one
// cycle at a time. Every cycle goes through the registered hooks (cycle_hook.hpp) before its
// rising edge; the BFM stops waiting as soon as a hook asks to stop.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "systemc/cycle_hook.hpp"
#include "systemc/engine.hpp"

namespace eligo::cosim {

class HostBfm {
 public:
  explicit HostBfm(Engine& rtl) : rtl_(rtl) {}
  Engine& rtl() { return rtl_; }

  // Hooks run in the order they are added; each must outlive the BFM's cycles.
  void add_hook(CycleHook& hook) { hooks_.push_back(&hook); }
  // Called on PSLVERR when the caller gave no slverr flag (the scoreboard reports it).
  void on_bus_error(std::function<void(uint32_t addr, bool write)> handler) { bus_error_ = std::move(handler); }

  // One cycle: drive and settle, the hooks, the rising edge.
  PinsOut cycle(const PinsIn& in);
  void apb_write(uint32_t addr, uint32_t data, bool* slverr = nullptr);
  uint32_t apb_read(uint32_t addr, bool* slverr = nullptr);
  // The input events of a timestep and the end-of-timestep marker; false when a hook stopped.
  // between(i), when given, runs before beat i > 0 (the host's APB traffic in the input phase).
  bool aer_timestep(const std::vector<int>& events, const std::function<void(size_t)>& between = {});
  // Wait states an APB access may take before it counts as hung (default 16; a memory access
  // while the core runs a phase other than IN waits until the core is idle: thousands).
  void set_max_wait(int64_t n) { max_wait_ = n; }
  // Idle cycles until BUSY is low; false when a hook stopped.
  bool wait_idle();

  void begin_timestep(int64_t timestep);  // the hooks' on_timestep
  void finish();                          // the hooks' on_finish
  bool stopped() const;

 private:
  PinsOut apb_transfer(PinsIn in, bool* slverr);
  Engine& rtl_;
  std::vector<CycleHook*> hooks_;
  std::vector<chip::WriteEvent> writes_;
  std::function<void(uint32_t, bool)> bus_error_;
  int64_t max_wait_ = 16;
};

std::string hex(uint64_t v);  // "0x1f"

}  // namespace eligo::cosim
