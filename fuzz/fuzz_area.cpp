// eligo report's reading of area.json (harness/commands/report_commands.cpp, render_report).
#include "fuzz/report_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eligo::fuzz::render_report_input(data, size, "area.json");
  return 0;
}
