#include "systemc/host_bfm.hpp"

#include <cstdio>
#include <stdexcept>

namespace eligo::cosim {

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

PinsOut HostBfm::cycle(const PinsIn& in) {
  const PinsOut o = rtl_.eval(in);
  rtl_.writes(writes_);
  for (CycleHook* h : hooks_) h->on_cycle(rtl_, in, o, writes_);
  rtl_.clock();
  return o;
}

bool HostBfm::stopped() const {
  for (const CycleHook* h : hooks_) {
    if (h->stop()) return true;
  }
  return false;
}

void HostBfm::begin_timestep(int64_t timestep) {
  for (CycleHook* h : hooks_) h->on_timestep(rtl_, timestep);
}

void HostBfm::finish() {
  for (CycleHook* h : hooks_) h->on_finish(rtl_);
}

// Setup phase, then the access phase until PREADY (wait states).
PinsOut HostBfm::apb_transfer(PinsIn in, bool* slverr) {
  cycle(in);
  in.penable = true;
  for (int64_t wait = 0;; ++wait) {
    const PinsOut o = cycle(in);
    if (o.pready) {
      if (slverr) *slverr = o.pslverr;
      else if (o.pslverr && bus_error_) bus_error_(in.paddr, in.pwrite);
      return o;
    }
    if (wait > max_wait_) {
      throw std::runtime_error(std::string("cosim: APB ") + (in.pwrite ? "write to " : "read of ") + hex(in.paddr) +
                               " never completed");
    }
  }
}

void HostBfm::apb_write(uint32_t addr, uint32_t data, bool* slverr) {
  PinsIn in;
  in.psel = true;
  in.pwrite = true;
  in.paddr = addr;
  in.pwdata = data;
  apb_transfer(in, slverr);
}

uint32_t HostBfm::apb_read(uint32_t addr, bool* slverr) {
  PinsIn in;
  in.psel = true;
  in.paddr = addr;
  return apb_transfer(in, slverr).prdata;
}

bool HostBfm::aer_timestep(const std::vector<int>& events, const std::function<void(size_t)>& between) {
  for (size_t i = 0; i <= events.size(); ++i) {
    if (i > 0 && between) {
      between(i);
      if (stopped()) return false;
    }
    PinsIn in;
    in.aer_valid = true;
    in.aer_eot = i == events.size();
    in.aer_addr = in.aer_eot ? 0u : static_cast<uint32_t>(events[i]);
    for (int n = 0;; ++n) {
      const PinsOut o = cycle(in);
      if (stopped()) return false;
      if (o.aer_ready) break;
      if (n > 1000000) throw std::runtime_error("cosim: AER event never accepted");
    }
  }
  return true;
}

bool HostBfm::wait_idle() {
  for (int64_t n = 0;; ++n) {
    const PinsOut o = cycle(PinsIn{});
    if (stopped()) return false;
    if (!o.busy) return true;
    if (n > 100000000) throw std::runtime_error("cosim: the RTL never went idle");
  }
}

}  // namespace eligo::cosim
