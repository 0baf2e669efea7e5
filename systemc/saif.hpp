// SAIF (Switching Activity Interchange Format, version 2.0, "backward" direction as written by
// simulators) from toggle counts, and a reader for checking it. Verilator 5.006 has no SAIF
// writer (../shared/TOOLCHAIN.md), so the file is written here from the toggle-coverage counts.
//
// What is written: the header (SAIFVERSION "2.0", DIRECTION "backward", DESIGN, VENDOR,
// PROGRAM_NAME, VERSION, DIVIDER /, TIMESCALE 1 ns, DURATION = cycles x clock period), then the
// instance tree of the toggle points (TOP / eligo_core / u_regs ...; a generate scope such as
// g_mem[3] is an instance level of its own) with one NET entry per signal bit carrying (TC n),
// the toggle count. T0/T1 (time at 0 and at 1) are not written: toggle coverage does not measure
// them; power tools then use their default static probability. Identifiers escape every
// character other than letters, digits and '_' with a backslash (paddr_i\[3\]), so a bus bit
// is one net name, as in bit-blasted SAIF files.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "systemc/activity.hpp"

namespace eligo::cosim {

struct SaifHeader {
  std::string design = "eligo_core";
  std::string program = "eligo cosim --activity";
  std::string version;
  uint64_t duration_ns = 0;
};

void write_saif(std::ostream& os, const SaifHeader& h, const std::vector<TogglePoint>& points);

std::string saif_escape(const std::string& id);    // "a[3]" -> "a\[3\]"
std::string saif_unescape(const std::string& id);  // the inverse

// A SAIF file as read back: the header entries (keyword -> text as written, strings unquoted)
// and every net's states by its full path ("TOP.eligo_core.u_regs.paddr_i[3]", unescaped, '.'
// between levels as in TogglePoint::instance).
struct SaifFile {
  std::map<std::string, std::string> header;
  std::map<std::string, std::map<std::string, uint64_t>> nets;  // path -> {"TC": n, "T0": ...}
};

// Parses and checks a SAIF file: balanced parentheses, SAIFILE at the top, the required headers
// (SAIFVERSION, DIRECTION, DESIGN, DURATION, TIMESCALE), INSTANCE and NET nesting, integer
// state values, every net with a TC. std::runtime_error saying what and where (byte offset).
SaifFile parse_saif(const std::string& text);

}  // namespace eligo::cosim
