#include "systemc/stimulus.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "golden_model/io/files.hpp"

namespace eligo::cosim {

void write_stimulus(const std::string& path, const std::vector<PinsIn>& cycles) {
  std::string text;
  text.reserve(cycles.size() * 19);
  char line[32];
  for (const PinsIn& p : cycles) {
    const uint64_t lo = uint64_t{p.psel} | uint64_t{p.penable} << 1 | uint64_t{p.pwrite} << 2 |
                        uint64_t{p.aer_valid} << 3 | uint64_t{p.aer_eot} << 4 | uint64_t{p.aer_addr & 0xFFu} << 8 |
                        uint64_t{p.paddr & 0xFFFFFFu} << 16 | uint64_t{p.pwdata & 0xFFFFFFu} << 40;
    // 72 bits: pwdata[31:24] above the low 64 bits.
    const uint32_t hi = (p.pwdata >> 24) & 0xFFu;
    std::snprintf(line, sizeof line, "%02x%016llx\n", hi, static_cast<unsigned long long>(lo));
    text += line;
  }
  io::write_file_atomically(path, text);
}

std::vector<PinsIn> read_stimulus(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error(path + ": cannot open stimulus file");
  std::vector<PinsIn> out;
  std::string line;
  for (size_t n = 1; std::getline(f, line); ++n) {
    if (line.size() != 18 || line.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      throw std::runtime_error(path + ": line " + std::to_string(n) + ": expected 18 hex digits");
    }
    const uint32_t hi = static_cast<uint32_t>(std::stoul(line.substr(0, 2), nullptr, 16));
    const uint64_t lo = std::stoull(line.substr(2), nullptr, 16);
    PinsIn p;
    p.psel = lo & 1u;
    p.penable = (lo >> 1) & 1u;
    p.pwrite = (lo >> 2) & 1u;
    p.aer_valid = (lo >> 3) & 1u;
    p.aer_eot = (lo >> 4) & 1u;
    p.aer_addr = static_cast<uint32_t>((lo >> 8) & 0xFFu);
    p.paddr = static_cast<uint32_t>((lo >> 16) & 0xFFFFFFu);
    p.pwdata = static_cast<uint32_t>((lo >> 40) & 0xFFFFFFu) | hi << 24;
    out.push_back(p);
  }
  return out;
}

void collect_spikes(const std::vector<chip::WriteEvent>& writes, uint64_t c, SpikeStream& out) {
  constexpr int kZ = chip::spec::V.bits + chip::spec::A.bits + chip::spec::REF.bits;
  for (const auto& w : writes) {
    if (w.mem == chip::spec::Mem::STATE && ((w.data >> kZ) & 1u)) out.push_back({c, static_cast<int>(w.addr)});
  }
}

SpikeStream replay(Engine& rtl, const std::vector<PinsIn>& cycles) {
  SpikeStream spikes;
  std::vector<chip::WriteEvent> w;
  rtl.reset();
  for (size_t c = 0; c < cycles.size(); ++c) {
    rtl.eval(cycles[c]);
    rtl.writes(w);
    collect_spikes(w, c, spikes);
    rtl.clock();
  }
  return spikes;
}

}  // namespace eligo::cosim
