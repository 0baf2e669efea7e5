#include "systemc/hooks.hpp"

#include <stdexcept>

namespace eligo::cosim {

using chip::spec::Mem;

Fault parse_fault(const std::string& t, const chip::Sizes& sizes) {
  const auto c1 = t.find(':'), c2 = t.find(':', c1 == std::string::npos ? 0 : c1 + 1), at = t.find('@');
  if (c1 == std::string::npos || c2 == std::string::npos || at == std::string::npos || !(c1 < c2 && c2 < at)) {
    throw std::invalid_argument("--inject-fault " + t + ": expected MEMORY:ADDRESS:BIT@TIMESTEP");
  }
  Fault f;
  const std::string mem = t.substr(0, c1);
  bool found = false;
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    if (mem == chip::spec::kMems[static_cast<size_t>(m)].name) {
      f.mem = static_cast<Mem>(m);
      found = true;
    }
  }
  if (!found) throw std::invalid_argument("--inject-fault " + t + ": unknown memory " + mem);
  try {
    f.address = std::stoll(t.substr(c1 + 1, c2 - c1 - 1));
    f.bit = std::stoi(t.substr(c2 + 1, at - c2 - 1));
    f.timestep = std::stoll(t.substr(at + 1));
  } catch (const std::exception&) {
    throw std::invalid_argument("--inject-fault " + t + ": ADDRESS, BIT and TIMESTEP must be integers");
  }
  const int bits = chip::spec::kMems[static_cast<size_t>(f.mem)].bits;
  if (f.bit < 0 || f.bit >= bits || f.address < 0 || f.timestep < 0) {
    throw std::invalid_argument("--inject-fault " + t + ": BIT must be in 0 .. " + std::to_string(bits - 1) +
                                ", ADDRESS and TIMESTEP >= 0");
  }
  const int64_t depth = sizes.depth(f.mem);
  if (f.address >= depth) {
    throw std::invalid_argument("--inject-fault " + t + ": ADDRESS " + std::to_string(f.address) + " is outside " +
                                mem + " (allowed: 0 .. " + std::to_string(depth - 1) + " at these sizes)");
  }
  return f;
}

void FaultInjector::on_timestep(Engine& rtl, int64_t timestep) {
  for (const Fault& f : faults_) {
    if (f.timestep != timestep) continue;
    const MemoryBackdoor bd = rtl.memory(f.mem);
    if (f.address >= bd.depth) throw std::logic_error("fault address outside the memory (parse_fault checks it)");
    bd.write(f.address, bd.read(f.address) ^ (uint64_t{1} << f.bit));
  }
}

void TraceWindow::on_timestep(Engine& rtl, int64_t timestep) {
  if (!tracing_ && timestep >= from_) {
    rtl.trace_open(path_);
    tracing_ = true;
  }
}

void StimulusRecorder::on_cycle(Engine&, const PinsIn& in, const PinsOut&, const std::vector<chip::WriteEvent>& writes) {
  if (with_spikes_) collect_spikes(writes, inputs_.size(), spikes_);
  inputs_.push_back(in);
}

}  // namespace eligo::cosim
